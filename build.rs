//! The locale files (read by `rust_i18n::i18n!`) and the migrations (by `embed_migrations!`) are
//! read at compile time, which cargo does not know about: rebuild the crate when one of them
//! changes or is added, so a changed string or a new migration is never left out.
fn main() {
    println!("cargo:rerun-if-changed=src/locales");
    println!("cargo:rerun-if-changed=migrations");
}
