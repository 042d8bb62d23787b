//! Benchmark of the reference server through the real router (no socket): list latency with
//! 100 000 dialogs and create throughput with 5 MiB attachments. Prints figures, asserts
//! nothing.
//!
//! ```text
//! cargo run -q --release -p seller-support-server --example bench_api
//! ```

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use domain::api::Author;
use seller_support_server::{AppState, Config, app, db, system_clock};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const DIALOGS: usize = 100_000;
const WORDS: &[&str] = &[
    "поставка",
    "штраф",
    "отчёт",
    "возврат",
    "баркод",
    "артикул",
    "карточка",
    "фото",
    "цена",
    "скидка",
    "логистика",
    "габариты",
    "приёмка",
    "удержание",
    "выплата",
    "склад",
    "заказ",
    "этикетка",
    "сертификат",
    "договор",
];

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path());
    config.agent_token = Some("bench".into());
    // One seller creating as fast as it can: measured here, refused in production.
    config.rate_limits = None;
    let state = AppState::open(config, system_clock()).await?;
    let now = state.now();

    let t = Instant::now();
    let catalog = state.catalog.clone();
    let themes: Vec<(String, String)> = catalog
        .categories
        .iter()
        .flat_map(|c| c.themes.iter().map(move |t| (c.id.clone(), t.id.clone())))
        .collect();
    // Seeded straight through the SQLite connection, in one transaction: this benchmark measures
    // the embedded backend's list and create (load_api runs against PostgreSQL too).
    let sqlite = state
        .store
        .sqlite()
        .ok_or_else(|| anyhow::anyhow!("bench_api measures the SQLite backend"))?;
    let cookie = sqlite
        .db()
        .call_sync(|c| {
            let seller = db::upsert_seller(c, "bench", now)?;
            let other = db::upsert_seller(c, "other", now)?;
            let tx = c.transaction()?;
            for i in 0..DIALOGS {
                let (cat, theme) = &themes[i % themes.len()];
                let w1 = WORDS[i % WORDS.len()];
                let w2 = WORDS[(i / 7) % WORDS.len()];
                // One dialog in a hundred mentions a rare word, for the search query.
                let rare = if i % 100 == 0 {
                    " перемерить"
                } else {
                    ""
                };
                let comment = format!(
                    "Добрый день, вопрос про {w1} и {w2}, номер {}.{rare} Прошу проверить.",
                    100_000 + i
                );
                let owner = if i % 10 == 9 { other } else { seller };
                let created = now - (DIALOGS - i) as i64 * 60_000;
                let id =
                    db::insert_dialog(&tx, owner, cat, theme, &comment, &[], created, &catalog)?;
                if i % 3 != 0 {
                    let row = db::load_dialog(&tx, id, None)?;
                    db::add_message(
                        &tx,
                        &row,
                        Author::Support,
                        "Ответ поддержки.",
                        &[],
                        created + 1,
                    )?;
                    if i % 3 == 2 {
                        let row = db::load_dialog(&tx, id, None)?;
                        db::resolve(&tx, &row, 5, None, &[], created + 2)?;
                    }
                }
            }
            tx.commit()?;
            let token = db::create_session(c, seller, now)?;
            Ok(format!("support_session={token}"))
        })
        .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    let closed = state
        .auto_close_now()
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    println!(
        "seeded {DIALOGS} dialogs (90% for the measured seller) in {:.1} s; auto-closed {closed} old answered",
        t.elapsed().as_secs_f64()
    );

    let router = app(state.clone());
    let queries: &[(&str, usize)] = &[
        ("/api/dialogs", 300),
        ("/api/dialogs?status=waiting", 300),
        ("/api/dialogs?sort=created_asc&page=2000", 200),
        ("/api/dialogs?per_page=100", 200),
        (
            "/api/dialogs?q=%D0%BF%D0%B5%D1%80%D0%B5%D0%BC%D0%B5%D1%80%D0%B8%D1%82%D1%8C",
            50,
        ),
        ("/api/dialogs?q=150042", 50),
        // A common word (about one dialog in ten): the worst case for the index.
        (
            "/api/dialogs?q=%D0%BF%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA",
            50,
        ),
    ];
    println!("\nlist latency (router + SQLite + JSON, sequential):");
    println!(
        "{:<78} {:>8} {:>8} {:>8}",
        "query", "p50 ms", "p99 ms", "total"
    );
    for (uri, n) in queries {
        let mut times = Vec::with_capacity(*n);
        let mut total = 0;
        for _ in 0..*n {
            let req = Request::get(*uri)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())?;
            let t = Instant::now();
            let res = router.clone().oneshot(req).await?;
            let status = res.status();
            let body = http_body_util::BodyExt::collect(res.into_body())
                .await?
                .to_bytes();
            times.push(t.elapsed());
            if status != StatusCode::OK {
                println!("  {uri}: HTTP {status}");
                break;
            }
            let v: serde_json::Value = serde_json::from_slice(&body)?;
            total = v["total"].as_u64().unwrap_or(0);
        }
        times.sort();
        println!(
            "{:<78} {:>8.2} {:>8.2} {:>8}",
            uri,
            percentile(&times, 0.50),
            percentile(&times, 0.99),
            total
        );
    }

    // Create throughput: multipart bodies with one 5 MiB PNG each.
    let (cat, theme) = themes[0].clone();
    let boundary = "bench-boundary-x9";
    let mut file = vec![0u8; 5 * 1024 * 1024];
    file[..8].copy_from_slice(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
    let mut body = Vec::with_capacity(file.len() + 1024);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\n{cat}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"theme\"\r\n\r\n{theme}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nСкриншот во вложении\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"screen.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let body = Bytes::from(body);

    println!("\ncreate with one 5 MiB attachment (streamed to disk, checked, hashed):");
    for concurrency in [1usize, 4] {
        let per_task = 16 / concurrency;
        let t = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let router = router.clone();
            let cookie = cookie.clone();
            let body = body.clone();
            tasks.push(tokio::spawn(async move {
                let mut ok = 0usize;
                for _ in 0..per_task {
                    let req = Request::post("/api/dialogs")
                        .header(header::COOKIE, &cookie)
                        .header("X-Requested-With", "seller-support")
                        .header(
                            header::CONTENT_TYPE,
                            format!("multipart/form-data; boundary={boundary}"),
                        )
                        .body(Body::from(body.clone()))
                        .expect("request");
                    let res = router.clone().oneshot(req).await.expect("infallible");
                    if res.status() == StatusCode::CREATED {
                        ok += 1;
                    }
                }
                ok
            }));
        }
        let mut ok = 0;
        for task in tasks {
            ok += task.await?;
        }
        let secs = t.elapsed().as_secs_f64();
        let mb = ok as f64 * 5.0 * 1.048_576;
        println!(
            "  concurrency {concurrency}: {ok} dialogs in {secs:.2} s = {:.1} dialogs/s, {:.0} MB/s",
            ok as f64 / secs,
            mb / secs
        );
    }
    Ok(())
}
