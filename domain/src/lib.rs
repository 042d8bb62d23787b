//! Pure rules of the seller support desk, shared by the browser app and the reference server.
//!
//! Nothing here does I/O: every rule can be tested natively with `cargo test -p domain`, and the
//! same code runs in wasm (the app) and on the server, so a limit is written down exactly once.

pub mod api;
pub mod attachments;
pub mod catalog;
pub mod catalog_en;
pub mod catalog_words;
pub mod comment;
pub mod events;
pub mod status;
