//! Times the comment analysis on a realistic ~5 000-character comment (prints, never asserts).
//!
//! `cargo run -q --release -p domain --example bench_comment`
//!
//! The same measurement in wasm (V8, as in Chromium): see `benches/wasm/src/lib.rs`.

use std::hint::black_box;
use std::time::Instant;

use domain::catalog::Catalog;
use domain::comment::{Context, analyze};

/// A long, realistic comment (a penalty dispute with lists, dates, amounts, phones, quotes),
/// shared with the wasm benchmark in `benches/wasm`.
const COMMENT: &str = include_str!("../benches/comment-5000.txt");

/// Wall-clock µs per call: (median, mean, p99, best batch mean).
fn measure(mut f: impl FnMut()) -> (f64, f64, f64, f64) {
    for _ in 0..200 {
        f();
    }
    let (batches, per_batch) = (40, 50);
    let mut times = Vec::with_capacity(batches * per_batch);
    let mut best = f64::MAX;
    for _ in 0..batches {
        let batch = Instant::now();
        for _ in 0..per_batch {
            let start = Instant::now();
            f();
            times.push(start.elapsed().as_secs_f64() * 1e6);
        }
        best = best.min(batch.elapsed().as_secs_f64() * 1e6 / per_batch as f64);
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    (
        times[times.len() / 2],
        mean,
        times[times.len() * 99 / 100],
        best,
    )
}

fn main() {
    let text = COMMENT;
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog).with_theme("finance", "finance.penalties");
    let (median, mean, p99, best) = measure(|| {
        black_box(analyze(black_box(text), &ctx));
    });
    // A calibration on the same machine: one lowercase copy of the text, the least any
    // analysis must do. The ratio travels between machines better than microseconds do.
    let (base, _, _, base_best) = measure(|| {
        let mut out = String::with_capacity(text.len());
        for c in black_box(text).chars() {
            out.extend(c.to_lowercase());
        }
        black_box(out);
    });
    println!(
        "analyze(): {} chars, {} entities (native, release)",
        text.chars().count(),
        analyze(text, &ctx).entities.len()
    );
    println!(
        "  median {median:.1} µs, mean {mean:.1} µs, p99 {p99:.1} µs, best batch mean {best:.1} µs"
    );
    println!(
        "  calibration: a plain lowercase copy of the same text takes median {base:.1} µs (best {base_best:.1} µs); analyze = {:.1}x that",
        median / base.max(f64::MIN_POSITIVE)
    );
}
