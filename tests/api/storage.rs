//! Photos in an S3-compatible bucket (`storage = "s3"`), against a real server: `.ci/run` starts
//! moto's S3 server, creates the bucket and runs this with `S3_TEST_ENDPOINT` set and
//! `--ignored`. By hand:
//!
//! ```sh
//! moto_server -p 5055 &
//! curl -X PUT http://127.0.0.1:5055/gridwork-test
//! S3_TEST_ENDPOINT=http://127.0.0.1:5055 cargo test --test api storage -- --ignored
//! ```
//!
//! `S3_TEST_BUCKET` (default `gridwork-test`), `S3_TEST_ACCESS_KEY_ID` and
//! `S3_TEST_SECRET_ACCESS_KEY` (default `test`, which moto accepts) point it at another store.

use gridwork::config::{Settings, StorageKind};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};

use crate::grids::png;
use crate::helpers::*;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// The settings for the test bucket, under a prefix of this test's own.
fn s3_settings(s: &mut Settings, endpoint: &str, prefix: &str) {
    s.storage = StorageKind::S3;
    s.s3_endpoint = endpoint.to_string();
    s.s3_bucket = env_or("S3_TEST_BUCKET", "gridwork-test");
    s.s3_region = "us-east-1".into();
    s.s3_access_key_id = env_or("S3_TEST_ACCESS_KEY_ID", "test");
    s.s3_secret_access_key = env_or("S3_TEST_SECRET_ACCESS_KEY", "test").parse().unwrap();
    s.s3_allow_http = endpoint.starts_with("http://");
    s.s3_prefix = prefix.to_string();
}

/// The bucket seen directly, not through the app: (key under the prefix, bytes) of each object.
fn bucket_objects(s: &Settings) -> Vec<(String, Vec<u8>)> {
    let bucket = AmazonS3Builder::new()
        .with_endpoint(&s.s3_endpoint)
        .with_bucket_name(&s.s3_bucket)
        .with_region(&s.s3_region)
        .with_access_key_id(&s.s3_access_key_id)
        .with_secret_access_key(s.s3_secret_access_key.expose())
        .with_allow_http(s.s3_allow_http)
        .build()
        .unwrap();
    let prefix = Path::from(s.s3_prefix.as_str());
    actix_web::rt::System::new().block_on(async move {
        use futures_util::StreamExt;
        let metas: Vec<_> = bucket.list(Some(&prefix)).collect().await;
        let mut out = Vec::new();
        for m in metas {
            let m = m.unwrap();
            let bytes = bucket.get(&m.location).await.unwrap().bytes().await;
            let name = m.location.filename().unwrap_or_default().to_string();
            assert_eq!(
                m.location.as_ref(),
                format!("{prefix}/{name}"),
                "objects sit right under the prefix"
            );
            out.push((name, bytes.unwrap().to_vec()));
        }
        out.sort();
        out
    })
}

#[test]
#[ignore = "needs an S3 server: .ci/run starts moto and runs this with S3_TEST_ENDPOINT"]
fn photos_are_stored_in_and_served_from_an_s3_bucket() {
    let endpoint = std::env::var("S3_TEST_ENDPOINT")
        .expect("S3_TEST_ENDPOINT=http://127.0.0.1:5055 (an S3-compatible server with the bucket)");
    // The server's log (a failed PUT says why) shows with the test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn,gridwork=info")
        .with_test_writer()
        .try_init();
    let prefix = format!(
        "gw-test/{}",
        &gridwork::web::csrf::random_token()[..12].to_ascii_lowercase()
    );
    let mut settings = Settings::default();
    s3_settings(&mut settings, &endpoint, &prefix);
    let app = spawn_app_with(|s| s3_settings(s, &endpoint, &prefix));
    let c = app.login("cclerk");
    let grid = app.org_id("工人路社区第1网格");
    let pid = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM grid_people WHERE grid_id = {grid}"
    ));
    let edit = format!("/grids/{grid}/people/{pid}/edit");
    let action = format!("/grids/{grid}/people/{pid}/photo");
    assert!(bucket_objects(&settings).is_empty());

    let ok = c.upload(
        &edit,
        &action,
        "photo",
        "me.png",
        "image/png",
        &png(800, 1000),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let photo = c.get(&action);
    assert_eq!(photo.status, 200);
    assert_eq!(photo.header("content-type"), Some("image/jpeg"));
    assert_eq!(&photo.bytes[..2], &[0xFF, 0xD8]);

    // The object is in the bucket under the prefix, named by the record, with the served bytes;
    // nothing went to the local uploads directory.
    let key = app.strings(&format!(
        "SELECT photo AS s FROM grid_people WHERE id = {pid}"
    ))[0]
        .clone();
    let objects = bucket_objects(&settings);
    assert_eq!(objects, vec![(key.clone(), photo.bytes.clone())]);
    let local = app.data_dir().join("uploads");
    assert!(
        !local.exists() || std::fs::read_dir(&local).unwrap().next().is_none(),
        "local uploads stay empty"
    );

    // A new photo replaces the object; the old one is deleted from the bucket.
    let again = c.upload(
        &edit,
        &action,
        "photo",
        "me2.png",
        "image/png",
        &png(500, 400),
    );
    assert_eq!(again.status, 303, "{}", again.body);
    let objects = bucket_objects(&settings);
    assert_eq!(
        objects.len(),
        1,
        "{:?}",
        objects.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    assert_ne!(objects[0].0, key);
    assert_eq!(c.get(&action).bytes, objects[0].1);

    // A record naming a missing object answers 404, as on the local disk.
    app.exec(&format!(
        "UPDATE grid_people SET photo = 'person-{pid}-missing.jpg' WHERE id = {pid}"
    ));
    assert_eq!(c.get(&action).status, 404);
    app.exec(&format!(
        "UPDATE grid_people SET photo = '{}' WHERE id = {pid}",
        objects[0].0
    ));

    // Deleting the person deletes the photo.
    let del = c.submit(&edit, &format!("/grids/{grid}/people/{pid}/delete"), &[]);
    assert_eq!(del.status, 303, "{}", del.body);
    assert!(bucket_objects(&settings).is_empty());
}
