//! Times `domain::comment::analyze` compiled to wasm, on the same 5 000-character comment as the
//! native `bench_comment` example. Build and run from the repository root:
//!
//! ```text
//! cargo build --release --target wasm32-unknown-unknown \
//!   --manifest-path domain/benches/wasm/Cargo.toml --target-dir target/wasm-bench
//! node domain/benches/wasm/bench.mjs \
//!   target/wasm-bench/wasm32-unknown-unknown/release/comment_wasm_bench.wasm
//! ```
//!
//! It exports one function without bindings, so no wasm-bindgen is needed.

use std::sync::OnceLock;

use domain::catalog::Catalog;
use domain::comment::{Context, analyze};

const COMMENT: &str = include_str!("../../comment-5000.txt");

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::builtin)
}

/// Analyses the comment `n` times; returns the total number of entities found.
#[unsafe(no_mangle)]
pub extern "C" fn run(n: u32) -> u32 {
    let ctx = Context::new(catalog()).with_theme("finance", "finance.penalties");
    let mut total = 0u32;
    for _ in 0..n {
        let r = analyze(std::hint::black_box(COMMENT), &ctx);
        total = total.wrapping_add(r.entities.len() as u32);
    }
    total
}
