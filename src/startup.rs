//! Builds the application: settings → pool → migrations → session key → routes → server.
//! Tests and `main` both start the server through [`build`].

use std::net::SocketAddr;
use std::path::Path;

use actix_multipart::form::MultipartFormConfig;
use actix_session::SessionMiddleware;
use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::dev::Service;
use actix_web::middleware::{Compress, Logger};
use actix_web::{App, HttpResponse, HttpServer, web};

use crate::config::Settings;
use crate::error::{AppError, AppResult};
use crate::web::AppState;

/// The session cookie's signing and encryption key: `GRIDWORK_SESSION_KEY` (128 hex characters),
/// else `session.key` in the data directory, created on first start. Several app servers share
/// sessions by sharing this key.
pub fn session_key(data_dir: &Path) -> AppResult<Key> {
    if let Ok(hex_key) = std::env::var("GRIDWORK_SESSION_KEY") {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| AppError::Internal("GRIDWORK_SESSION_KEY is not hex".into()))?;
        return Key::try_from(bytes.as_slice())
            .map_err(|_| AppError::Internal("GRIDWORK_SESSION_KEY must be 64 bytes".into()));
    }
    let path = data_dir.join("session.key");
    let io = |e: std::io::Error| AppError::Internal(format!("{}: {e}", path.display()));
    match std::fs::read(&path) {
        Ok(bytes) => Key::try_from(bytes.as_slice())
            .map_err(|_| AppError::Internal(format!("{} is not a 64-byte key", path.display()))),
        Err(_) => {
            let key = Key::generate();
            write_private(&path, key.master()).map_err(io)?;
            Ok(key)
        }
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    opts.mode(0o600);
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Opens the store and brings its schema up to date. The migrations run on one connection before
/// the pool exists, so nothing else touches a new file while its schema is written.
pub fn open_store(settings: &Settings) -> AppResult<crate::db::Pool> {
    std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
        AppError::Internal(format!("data dir {}: {e}", settings.data_dir.display()))
    })?;
    let url = settings.database_url();
    let mut conn = crate::db::connect(&url)?;
    crate::db::migrate(&mut conn)?;
    let pool = crate::db::pool(&url, settings.pool_size)?;
    drop(conn);
    Ok(pool)
}

/// Every feature's routes, in one place. `once` holds the app data made once per server (the
/// features' caches), shared by every HTTP worker.
pub fn routes(cfg: &mut web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    cfg.route(
        "/static/{name}",
        web::get().to(crate::web::static_files::serve_static),
    );
    crate::auth::routes(cfg);
    crate::home::routes(cfg, once);
    crate::org::routes(cfg);
    crate::grids::routes(cfg);
    crate::patrols::routes(cfg, once);
    crate::meetings::routes(cfg, once);
    crate::party::routes(cfg, once);
    crate::users::routes(cfg);
    crate::audit::routes(cfg);
    crate::calendar::routes(cfg);
    crate::categories::routes(cfg, once);
    crate::search::routes(cfg);
    crate::livelihood::routes(cfg);
    crate::assessment::routes(cfg);
    crate::projects::routes(cfg);
    crate::demolition::routes(cfg);
    crate::inspections::routes(cfg);
    crate::register::routes(cfg);
    crate::issues::routes(cfg, once);
    crate::campaigns::routes(cfg);
}

/// Binds and builds the server (not yet running). Returns the address actually bound, so tests
/// can bind port 0.
pub fn build(settings: Settings, pool: crate::db::Pool) -> AppResult<(Server, SocketAddr)> {
    let key = session_key(&settings.data_dir)?;
    let tz = settings.tz().map_err(AppError::Internal)?;
    let uploads = crate::storage::Store::from_settings(&settings)?;
    tracing::info!("uploads: {}", uploads.describe());
    let state = web::Data::new(AppState {
        hash_slots: tokio::sync::Semaphore::new(settings.hash_concurrency.max(1)),
        pool,
        tz,
        uploads,
        settings: settings.clone(),
    });
    // Made here, outside the worker factory, so every worker reads and fills one set of caches.
    let once = crate::web::singletons::Singletons::default();
    let secure = settings.secure_cookies;
    let count_statements = settings.count_statements;
    let upload_limit = settings.upload_max_bytes;
    let mut server = HttpServer::new(move || {
        // A browser that does not send the __Host- prefix over plain HTTP would drop the cookie.
        let cookie_name = if secure {
            "__Host-gw_session"
        } else {
            "gw_session"
        };
        let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name(cookie_name.to_string())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_path("/".to_string())
            .cookie_content_security(CookieContentSecurity::Private)
            .build();
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(crate::web::input::FORM_MAX_BYTES))
            .app_data(web::QueryConfig::default().error_handler(|_, _| AppError::BadRequest.into()))
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            // Four times the photo limit reaches the handler, which answers next to the field;
            // anything larger is cut off with 413.
            .app_data(
                MultipartFormConfig::default()
                    .total_limit(upload_limit * 4)
                    .memory_limit(256 * 1024),
            )
            // Inside the error pages, so what it refuses gets a page in the user's language.
            .wrap_fn(|req, srv| {
                let screened = crate::web::input::screen(req).map(|req| srv.call(req));
                async move {
                    match screened {
                        Ok(call) => call.await.map(|res| res.map_into_boxed_body()),
                        Err(refused) => Ok(*refused),
                    }
                }
            })
            .wrap(crate::web::errors::error_pages())
            .wrap(sessions)
            .wrap(crate::web::headers::security_headers(secure))
            .wrap(Compress::default())
            // Outside the session and error layers, so their statements are counted too.
            .wrap_fn(move |req, srv| {
                let call = srv.call(req);
                async move {
                    if !count_statements {
                        return call.await;
                    }
                    let (res, n) = crate::db::statements::counted(call).await;
                    let mut res = res?;
                    res.headers_mut().insert(
                        actix_web::http::header::HeaderName::from_static(
                            crate::db::statements::HEADER,
                        ),
                        n.into(),
                    );
                    Ok(res)
                }
            })
            // The path only: query strings may carry names typed into search boxes.
            .wrap(
                Logger::new("%a %{method}xi %U %s %b %Dms")
                    .custom_request_replace("method", |req| req.method().to_string()),
            )
            .configure(|cfg| routes(cfg, &once))
            .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
    })
    .bind(&settings.bind)
    .map_err(|e| AppError::Internal(format!("cannot listen on {}: {e}", settings.bind)))?;
    let workers = if settings.workers > 0 {
        settings.workers
    } else {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    };
    // Blocking threads per worker = its share of the pool: more threads than connections would
    // only queue on the pool's lock and add context switches (seen in profiles under load).
    let blocking = (settings.pool_size as usize / workers).max(1);
    server = server
        .workers(workers)
        .worker_max_blocking_threads(blocking);
    let addr = server
        .addrs()
        .first()
        .copied()
        .ok_or_else(|| AppError::Internal("no address bound".into()))?;
    Ok((server.run(), addr))
}
