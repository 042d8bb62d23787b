//! Render benchmark of the dialog table (issue 6, "Figures"): 1 000 rows with our Leptos
//! `DialogTable` and, in the same headless Chromium page, the same table built with plain DOM
//! calls by `e2e/bench/plain-table.js` from the same JSON. Prints both times and their ratio; it
//! asserts only that both built the same number of rows with the same text, never a time.
//!
//! Run (release, output shown): `e2e/bench/list-render.sh`, or
//! `cargo test -p seller-support --target wasm32-unknown-unknown --release --test list_bench -- --nocapture`.
#![cfg(target_arch = "wasm32")]

use domain::api::{DialogListItem, DialogSummary, SortOrder};
use domain::status::DialogStatus;
use leptos::prelude::*;
use seller_support::i18n::Locale;
use seller_support::pages::list::{DialogTable, rows_html};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/e2e/bench/plain-table.js")]
extern "C" {
    #[wasm_bindgen(js_name = buildTable)]
    fn build_table(host: &web_sys::HtmlElement, json: &str, now_ms: f64) -> u32;
}

#[wasm_bindgen(inline_js = r#"
export function perf_now() { return performance.now(); }
export function force_layout(el) { return el.getBoundingClientRect().height + el.offsetHeight; }
export function inner_html_table(el, html) {
  const t = document.createElement('table');
  const b = document.createElement('tbody');
  b.innerHTML = html;
  t.appendChild(b);
  el.appendChild(t);
  return b.rows.length;
}
export function row_count(el) { return el.querySelectorAll('tbody tr').length; }
"#)]
extern "C" {
    fn perf_now() -> f64;
    fn force_layout(el: &web_sys::HtmlElement) -> f64;
    fn row_count(el: &web_sys::HtmlElement) -> u32;
    fn inner_html_table(el: &web_sys::HtmlElement, html: &str) -> u32;
}

const ROWS: usize = 1_000;
const RUNS: usize = 31;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// The same rows as `syntheticRows` in plain-table.js: every status, varied themes and countdowns.
fn synthetic_rows(n: usize, now: i64) -> Vec<DialogSummary> {
    (0..n)
        .map(|i| {
            let status = DialogStatus::ALL[i % 3];
            let created = now - i as i64 * 3 * HOUR;
            DialogSummary {
                id: 13_718_172 + i as u64,
                status,
                category_id: format!("cat-{}", i % 12),
                theme_id: format!("theme-{}", i % 40),
                category_name: format!("Категория {}", i % 12),
                theme_name: format!("Вопросы по уже оформленным заявкам на возврат № {}", i % 40),
                created_at: created,
                updated_at: created,
                closes_at: (status == DialogStatus::Answered)
                    .then(|| now + ((i % 5) as i64 + 1) * DAY - HOUR),
                awaiting_rating: status == DialogStatus::Answered,
            }
        })
        .collect()
}

fn host() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("div").expect("create div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

struct Timing {
    build: f64,
    with_layout: f64,
}

/// Parses the JSON and mounts the table, as the page does with an API answer.
fn leptos_run(json: &str, now: i64) -> (Timing, String) {
    let el = host();
    let owner = Owner::new();
    let t0 = perf_now();
    let rows: Vec<DialogListItem> = serde_json::from_str(json).expect("benchmark JSON");
    let handle = owner.with(|| {
        common::mount_to(el.clone(), move || {
            view! { <DialogTable rows=Signal::stored(rows) sort=Signal::stored(SortOrder::CreatedDesc) now=now/> }
        })
    });
    let t1 = perf_now();
    force_layout(&el);
    let t2 = perf_now();
    assert_eq!(row_count(&el) as usize, ROWS);
    let text = rows_text(&el);
    drop(handle);
    owner.cleanup();
    el.remove();
    (
        Timing {
            build: t1 - t0,
            with_layout: t2 - t0,
        },
        text,
    )
}

fn plain_run(json: &str, now: i64) -> (Timing, String) {
    let el = host();
    let t0 = perf_now();
    let n = build_table(&el, json, now as f64);
    let t1 = perf_now();
    force_layout(&el);
    let t2 = perf_now();
    assert_eq!(n as usize, ROWS);
    let text = rows_text(&el);
    el.remove();
    (
        Timing {
            build: t1 - t0,
            with_layout: t2 - t0,
        },
        text,
    )
}

/// The rows' text: what both tables must agree on (the Leptos table also carries its caption and,
/// for narrow screens, a sort control above it, which the plain table leaves out).
fn rows_text(el: &web_sys::HtmlElement) -> String {
    el.query_selector("tbody")
        .ok()
        .flatten()
        .and_then(|b| b.text_content())
        .unwrap_or_default()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn log(s: &str) {
    web_sys::console::log_1(&s.into());
}

#[wasm_bindgen_test]
async fn render_1000_rows_leptos_vs_plain_js() {
    let now = seller_support::format::now_ms();
    let json = serde_json::to_string(&synthetic_rows(ROWS, now)).expect("serialize rows");

    // Same data, same table: the texts must match before the times mean anything.
    let (_, leptos_text) = leptos_run(&json, now);
    let (_, plain_text) = plain_run(&json, now);
    assert_eq!(leptos_text, plain_text, "the two tables differ");

    let (mut lb, mut ll, mut pb, mut pl) = (vec![], vec![], vec![], vec![]);
    for i in 0..RUNS {
        // Alternate the order so neither side always runs on a freshly collected heap.
        let (l, p) = if i % 2 == 0 {
            let l = leptos_run(&json, now).0;
            (l, plain_run(&json, now).0)
        } else {
            let p = plain_run(&json, now).0;
            (leptos_run(&json, now).0, p)
        };
        lb.push(l.build);
        ll.push(l.with_layout);
        pb.push(p.build);
        pl.push(p.with_layout);
        // Let the browser breathe (GC, timers) between runs.
        leptos::task::tick().await;
    }
    let stats = |v: Vec<f64>| (min(&v), median(v));
    let ((lb_min, lb), (ll_min, ll), (pb_min, pb), (pl_min, pl)) =
        (stats(lb), stats(ll), stats(pb), stats(pl));

    // Where the Leptos time goes: parsing the answer and writing the rows' markup.
    let (mut parse, mut markup, mut parsing) = (vec![], vec![], vec![]);
    for _ in 0..RUNS {
        let t0 = perf_now();
        let rows: Vec<DialogListItem> = serde_json::from_str(&json).expect("benchmark JSON");
        let t1 = perf_now();
        let html = rows_html(Locale::Ru, "", now, &rows);
        let t2 = perf_now();
        assert!(html.len() > ROWS * 100);
        parse.push(t1 - t0);
        markup.push(t2 - t1);
        // The browser's own cost of that markup: the floor for any innerHTML-based table.
        let el = host();
        let t3 = perf_now();
        assert_eq!(inner_html_table(&el, &html) as usize, ROWS);
        parsing.push(perf_now() - t3);
        el.remove();
    }
    let (parse, markup, parsing) = (median(parse), median(markup), median(parsing));
    let profile = if cfg!(debug_assertions) {
        "debug build: use --release for real figures"
    } else {
        "optimized build"
    };
    let ratio = |a: f64, b: f64| a / b.max(0.001);
    log(&format!(
        "list render benchmark, {ROWS} rows, {RUNS} runs each ({profile})\n\
         \x20                      Leptos DialogTable      plain JS          ratio\n\
         \x20                      median     min       median     min      median  min\n\
         \x20 DOM built           {lb:7.2} {lb_min:7.2}    {pb:7.2} {pb_min:7.2}    {:5.2}x {:5.2}x\n\
         \x20 DOM built + layout  {ll:7.2} {ll_min:7.2}    {pl:7.2} {pl_min:7.2}    {:5.2}x {:5.2}x\n\
         \x20 (ms) of the Leptos time: JSON parse {parse:.2} ms, row markup {markup:.2} ms;\n\
         \x20 the same markup set as innerHTML by plain JS alone: {parsing:.2} ms (median)\n\
         \x20 target: ratio <= 1.30x",
        ratio(lb, pb),
        ratio(lb_min, pb_min),
        ratio(ll, pl),
        ratio(ll_min, pl_min),
    ));
}
