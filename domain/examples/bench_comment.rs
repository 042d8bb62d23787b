//! Times the comment analysis on a realistic ~5 000-character comment (prints, never asserts).
//!
//! `cargo run -q --release -p domain --example bench_comment`

use std::hint::black_box;
use std::time::Instant;

use domain::catalog::Catalog;
use domain::comment::{Context, analyze};

/// A long, realistic comment: a penalty dispute with lists, dates, amounts, phones, quotes.
fn comment() -> String {
    let parts = [
        "Добрый день!\n\nПишем повторно: предыдущее обращение закрыли без ответа по существу.\n\n",
        "В еженедельном отчёте № 247001932 (период 22.04.2024 – 28.04.2024) нам начислены штрафы ",
        "«Занижение фактических габаритов упаковки» по следующим позициям:\n\n",
        "1) ШК 4629378657973, артикул 172839465, штраф 1 200 руб.;\n",
        "2) ШК 4625432319481, артикул 172839473, штраф 1 200 руб.;\n",
        "3) ШК 4627574911868, артикул 172839481, штраф 2 400 руб.\n\nИтого удержано 4 800 руб.\n\n",
        "По всем позициям габариты в карточках указаны по фактическому замеру: 35 × 25 × 12 см, вес 1,2 кг. ",
        "Упаковка не менялась с первой поставки 21573344 от 12.02.2024, склад принял товар без замечаний. ",
        "На складе Электросталь товар перемеряли 24.04.2024, но фото замеров в отчёте нет, а по заказу ",
        "1811234590 логистика уже посчитана по новым габаритам. Сборочные задания 1907345521, 1907345603 ",
        "и 1907345687 тоже затронуты. Контактное лицо — менеджер Анна, +7 (912) 345-67-89, с 10 до 19.\n\n",
    ];
    let mut s = String::new();
    while s.chars().count() < 5_000 {
        for p in parts {
            s.push_str(p);
        }
    }
    s.chars().take(5_000).collect()
}

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
    let text = comment();
    let catalog = Catalog::builtin();
    let ctx = Context::new(&catalog).with_theme("finance", "finance.penalties");
    let (median, mean, p99, best) = measure(|| {
        black_box(analyze(black_box(&text), &ctx));
    });
    // A calibration on the same machine: one lowercase copy of the text, the least any
    // analysis must do. The ratio travels between machines better than microseconds do.
    let (base, _, _, base_best) = measure(|| {
        let mut out = String::with_capacity(text.len());
        for c in black_box(&text).chars() {
            out.extend(c.to_lowercase());
        }
        black_box(out);
    });
    println!(
        "analyze(): {} chars, {} entities (native, release)",
        text.chars().count(),
        analyze(&text, &ctx).entities.len()
    );
    println!(
        "  median {median:.1} µs, mean {mean:.1} µs, p99 {p99:.1} µs, best batch mean {best:.1} µs"
    );
    println!(
        "  calibration: a plain lowercase copy of the same text takes median {base:.1} µs (best {base_best:.1} µs); analyze = {:.1}x that",
        median / base.max(f64::MIN_POSITIVE)
    );
}
