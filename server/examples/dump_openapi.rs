//! Writes the OpenAPI document to a file (default `openapi.json`), the same bytes
//! `GET /api/openapi.json` serves:
//!
//! ```text
//! cargo run -q -p seller-support-server --example dump_openapi -- target/openapi.json
//! ```
//! (`seller-support-server --dump-openapi FILE` does the same.)

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "openapi.json".to_string());
    std::fs::write(&path, seller_support_server::openapi::document_json())?;
    println!("wrote {path}");
    Ok(())
}
