//! Browser benchmark of the comment analysis (issue 5: a 5 000-character comment in ≤ 300 µs in the
//! browser). Prints figures, asserts none. Run optimised, with output shown:
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test -p seller-support --release \
//!     --target wasm32-unknown-unknown --test comment_bench -- --nocapture
//! ```
//!
//! Browsers coarsen `performance.now()` (Chrome: 100 µs unless the page is cross-origin isolated),
//! so single runs are not timed one by one: each sample is the mean of a batch of runs.
#![cfg(target_arch = "wasm32")]

use std::hint::black_box;

use domain::catalog::Catalog;
use domain::comment::{Context, analyze};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TARGET_CHARS: usize = 5_000;
const BATCH: usize = 20;
const SAMPLES: usize = 30;

/// A long comment as sellers write them: several claims, each with ids, dates and amounts, plus
/// plain narrative, a quoted error and some words the analysis must not take for facts.
fn long_comment() -> String {
    const PARTS: &[&str] = &[
        "Добрый день! В отчёте № 151564 получили штраф в размере 2 000 р. за заказанный баркод 2008500000237 (артикул 13334921) от 25.04.2023, назначение штрафа: «Повышенная логистика согласно коэффициенту по обмерам». ",
        "Габариты указаны верно, просьба перемерить товар и вернуть удержанный штраф. ",
        "Также по поставке № 21573344 от 12.05.2023 принято 118 шт. вместо 120 шт., размеры 42-44 и 46-48, артикул продавца ABC-123-black. ",
        "Сборочное задание 1843275560 отменено 3 мая 2023 года без нашего участия, сумма удержания 1 250,50 ₽. ",
        "При выгрузке отчёта через API метод возвращает ошибку «429 Too Many Requests», хотя запросов было не больше 10 в минуту. ",
        "Наш телефон для связи +7 (912) 345-67-89, но лучше отвечать здесь, в диалоге. ",
        "FBS-поставка WB-GI-12345678 передана в доставку 2023-05-20, а в кабинете до сих пор статус «На сборке». ",
        "Вчера повторно проверили остатки на складе Коледино: по номенклатуре 98765432 расхождение 7 единиц на сумму 3500 руб. ",
        "Просим разобраться и пересчитать удержания за период с 01.05.2023 по 31.05.2023. ",
    ];
    let mut out = String::new();
    let mut i = 0;
    while out.chars().count() < TARGET_CHARS {
        out.push_str(PARTS[i % PARTS.len()]);
        i += 1;
    }
    out.chars().take(TARGET_CHARS).collect()
}

/// `performance.now()` through JS: the app does not enable web-sys's `Performance` feature.
fn now_ms() -> f64 {
    let performance =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into()).expect("performance");
    let now: js_sys::Function = js_sys::Reflect::get(&performance, &"now".into())
        .expect("performance.now")
        .unchecked_into();
    now.call0(&performance)
        .ok()
        .and_then(|v| v.as_f64())
        .expect("a number")
}

fn log(line: &str) {
    web_sys::console::log_1(&line.into());
}

#[wasm_bindgen_test]
fn analysis_time_for_a_5000_char_comment() {
    let catalog = Catalog::builtin();
    let text = long_comment();
    let ctx = Context::new(&catalog)
        .with_theme("finance", "finance.penalties")
        .with_attachments(1);
    let report = analyze(&text, &ctx);
    // Guard against benchmarking something trivial: the text really is full of facts.
    assert_eq!(text.chars().count(), TARGET_CHARS);
    assert!(report.entities.len() >= 10, "{report:?}");

    for _ in 0..BATCH {
        black_box(analyze(black_box(&text), &ctx));
    }
    let mut samples_us: Vec<f64> = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = now_ms();
        for _ in 0..BATCH {
            black_box(analyze(black_box(&text), &ctx));
        }
        samples_us.push((now_ms() - start) * 1000.0 / BATCH as f64);
    }
    samples_us.sort_by(f64::total_cmp);
    let mean = samples_us.iter().sum::<f64>() / samples_us.len() as f64;
    let median = samples_us[samples_us.len() / 2];
    let (min, max) = (samples_us[0], samples_us[samples_us.len() - 1]);
    log(&format!(
        "comment_bench: {TARGET_CHARS} chars, {} entities, {SAMPLES} batches of {BATCH} runs: \
         mean {mean:.1} µs, median {median:.1} µs, min {min:.1} µs, max {max:.1} µs (target ≤ 300 µs)",
        report.entities.len()
    ));
}
