//! The locale files are read by `rust_i18n::i18n!` at compile time, which cargo does not know
//! about: rebuild the crate when one of them changes, so a changed string is never stale.
fn main() {
    println!("cargo:rerun-if-changed=src/locales");
}
