//! Load run against the release server binary over real sockets: 200 sellers listing and
//! opening their dialogs while 20 others upload 5 MiB attachments, for a fixed count of
//! requests. Prints throughput, p50/p99 per kind of request, errors and the server's memory;
//! asserts nothing.
//!
//! ```text
//! cargo build --release -p seller-support-server
//! cargo run -q --release -p seller-support-server --example load_api
//! ```
//!
//! `SERVER_BIN` overrides the binary (default `target/release/seller-support-server`). The
//! server runs with `--no-rate-limits`: every client here shares 127.0.0.1, and the per-IP
//! limits are meant to stop exactly that.
//!
//! `LOAD_DATABASE=postgres://…` runs it against PostgreSQL (an empty database: the run seeds
//! it), and `LOAD_INSTANCES=2` starts that many server processes on the one database, each
//! seller's connection going to one of them in turn (SQLite: one instance only).

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use seller_support_server::store::{Location, NewDialog};
use seller_support_server::{AppState, Config, anyhow_error, system_clock};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const READERS: usize = 200;
const READS_EACH: usize = 50;
const UPLOADERS: usize = 20;
const UPLOADS_EACH: usize = 3;
const DIALOGS_EACH: usize = 50;
const FILE_BYTES: usize = 5 * 1024 * 1024;

struct Sample {
    kind: &'static str,
    ms: f64,
    ok: bool,
}

async fn connect(addr: SocketAddr) -> anyhow::Result<SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// Sends one request on the seller's connection (reconnecting if the server closed it);
/// returns the status (0 on a transport error) and the body.
async fn send(
    addr: SocketAddr,
    conn: &mut Option<SendRequest<Full<Bytes>>>,
    req: Request<Full<Bytes>>,
) -> (u16, Bytes) {
    if conn.as_ref().is_none_or(|c| c.is_closed()) {
        *conn = connect(addr).await.ok();
    }
    let Some(c) = conn.as_mut() else {
        return (0, Bytes::new());
    };
    if c.ready().await.is_err() {
        *conn = None;
        return (0, Bytes::new());
    }
    match c.send_request(req).await {
        Ok(res) => {
            let status = res.status().as_u16();
            let body = res
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            (status, body)
        }
        Err(_) => {
            *conn = None;
            (0, Bytes::new())
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn server_memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn upload_body(boundary: &str, cat: &str, theme: &str, n: usize) -> Bytes {
    let mut b = Vec::with_capacity(FILE_BYTES + 1024);
    for (name, value) in [
        ("category", cat),
        ("theme", theme),
        ("comment", "Нагрузочный тест"),
    ] {
        b.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    b.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"scan-{n}.pdf\"\r\n\r\n%PDF-1.7\n"
        )
        .as_bytes(),
    );
    b.resize(b.len() + FILE_BYTES - 9, b'x');
    b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Bytes::from(b)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let bin = std::env::var("SERVER_BIN")
        .unwrap_or_else(|_| "target/release/seller-support-server".to_string());

    let database = std::env::var("LOAD_DATABASE")
        .ok()
        .filter(|d| !d.is_empty());
    let instances: usize = std::env::var("LOAD_INSTANCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .max(1);
    anyhow::ensure!(
        instances == 1 || database.is_some(),
        "LOAD_INSTANCES > 1 needs LOAD_DATABASE=postgres://… (SQLite is one process)"
    );
    // One data directory per instance: with SQLite it holds the data, with PostgreSQL only the
    // uploads being received.
    let dirs: Vec<tempfile::TempDir> = (0..instances)
        .map(|_| tempfile::tempdir())
        .collect::<Result<_, _>>()?;

    // Seed through the store the server will use, then hand it to the server binaries.
    let t = Instant::now();
    let mut config = Config::new(dirs[0].path());
    config.database = database
        .as_deref()
        .map(Location::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!(e))?;
    let state = AppState::open(config, system_clock()).await?;
    let backend = state.store.backend();
    let (cat, theme) = {
        let c = &state.catalog.categories[0];
        (c.id.clone(), c.themes[0].id.clone())
    };
    let now = state.now();
    let mut seeding = tokio::task::JoinSet::new();
    for s in 0..READERS + UPLOADERS {
        let (state, cat, theme) = (state.clone(), cat.clone(), theme.clone());
        seeding.spawn(async move {
            let seller = state.store.upsert_seller(&format!("load-{s}"), now).await?;
            let mut ids = Vec::new();
            for i in 0..DIALOGS_EACH {
                let created = state
                    .store
                    .create_dialog(NewDialog {
                        seller_id: seller,
                        category_id: cat.clone(),
                        theme_id: theme.clone(),
                        comment: format!("Вопрос {i} продавца {s}: поставка, приёмка, выплата."),
                        follows: None,
                        files: Vec::new(),
                        key: None,
                        now: now - (DIALOGS_EACH - i) as i64 * 60_000,
                    })
                    .await?;
                ids.push(created.id);
            }
            let token = state.store.login(&format!("load-{s}"), now).await?;
            Ok::<_, seller_support_server::error::AppError>((
                s,
                format!("support_session={token}"),
                ids,
            ))
        });
    }
    let mut seeded = Vec::new();
    while let Some(r) = seeding.join_next().await {
        seeded.push(r?.map_err(anyhow_error)?);
    }
    seeded.sort_by_key(|(s, _, _)| *s);
    let sellers: Vec<(String, Vec<u64>)> = seeded.into_iter().map(|(_, c, i)| (c, i)).collect();
    drop(state);
    println!(
        "seeded {} sellers × {DIALOGS_EACH} dialogs in {:.1} s ({backend}, {instances} instance{})",
        sellers.len(),
        t.elapsed().as_secs_f64(),
        if instances == 1 { "" } else { "s" }
    );

    let mut servers = Vec::new();
    let mut addrs = Vec::new();
    for dir in &dirs {
        let addr: SocketAddr = {
            let l = std::net::TcpListener::bind("127.0.0.1:0")?;
            l.local_addr()?
        };
        let mut cmd = std::process::Command::new(&bin);
        cmd.arg("--addr")
            .arg(addr.to_string())
            .arg("--data")
            .arg(dir.path())
            .arg("--no-rate-limits")
            .env("RUST_LOG", "warn");
        if let Some(db) = &database {
            cmd.arg("--database").arg(db);
        }
        let server = cmd.spawn().map_err(|e| {
            anyhow::anyhow!(
                "{bin}: {e} (build it with cargo build --release -p seller-support-server)"
            )
        })?;
        servers.push(server);
        addrs.push(addr);
    }
    let pids: Vec<u32> = servers.iter().map(|s| s.id()).collect();
    let ready = Instant::now();
    for addr in &addrs {
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            anyhow::ensure!(
                ready.elapsed() < Duration::from_secs(60),
                "server did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let memory = || {
        pids.iter()
            .map(|p| server_memory_kib(*p))
            .fold((0, 0), |a, m| (a.0 + m.0, a.1 + m.1))
    };
    let (rss_idle, _) = memory();

    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (n, (cookie, ids)) in sellers.iter().take(READERS).cloned().enumerate() {
        let addr = addrs[n % addrs.len()];
        tasks.spawn(async move {
            let mut conn = None;
            let mut out = Vec::with_capacity(READS_EACH);
            for i in 0..READS_EACH {
                let (kind, uri) = if i % 2 == 0 {
                    ("list", "/api/dialogs".to_string())
                } else {
                    ("open", format!("/api/dialogs/{}", ids[(i + n) % ids.len()]))
                };
                let req = Request::get(uri)
                    .header("host", "load")
                    .header("cookie", &cookie)
                    .body(Full::new(Bytes::new()))
                    .expect("request");
                let t = Instant::now();
                let (status, _) = send(addr, &mut conn, req).await;
                out.push(Sample {
                    kind,
                    ms: t.elapsed().as_secs_f64() * 1000.0,
                    ok: status == 200,
                });
            }
            out
        });
    }
    for (n, (cookie, _)) in sellers.iter().skip(READERS).cloned().enumerate() {
        let (cat, theme) = (cat.clone(), theme.clone());
        let addr = addrs[n % addrs.len()];
        tasks.spawn(async move {
            let boundary = format!("----load-{n}");
            let mut conn = None;
            let mut out = Vec::with_capacity(UPLOADS_EACH);
            for i in 0..UPLOADS_EACH {
                let body = upload_body(&boundary, &cat, &theme, i);
                let req = Request::post("/api/dialogs")
                    .header("host", "load")
                    .header("cookie", &cookie)
                    .header("x-requested-with", "seller-support")
                    .header(
                        "content-type",
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(Full::new(body))
                    .expect("request");
                let t = Instant::now();
                let (status, _) = send(addr, &mut conn, req).await;
                out.push(Sample {
                    kind: "upload 5 MiB",
                    ms: t.elapsed().as_secs_f64() * 1000.0,
                    ok: status == 201,
                });
            }
            out
        });
    }
    let mut samples = Vec::new();
    while let Some(r) = tasks.join_next().await {
        samples.extend(r?);
    }
    let wall = started.elapsed().as_secs_f64();
    let (rss_end, hwm) = memory();
    for mut server in servers {
        let _ = server.kill();
        let _ = server.wait();
    }

    println!(
        "\n{READERS} sellers × {READS_EACH} list/open + {UPLOADERS} sellers × {UPLOADS_EACH} uploads of 5 MiB, \
         keep-alive HTTP/1.1, release server on 127.0.0.1: {backend}, {instances} instance{}",
        if instances == 1 { "" } else { "s" }
    );
    println!(
        "{:<14} {:>7} {:>7} {:>9} {:>9} {:>9}",
        "request", "count", "errors", "p50 ms", "p99 ms", "max ms"
    );
    for kind in ["list", "open", "upload 5 MiB"] {
        let mut ms: Vec<f64> = samples
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.ms)
            .collect();
        ms.sort_by(f64::total_cmp);
        let errors = samples.iter().filter(|s| s.kind == kind && !s.ok).count();
        println!(
            "{kind:<14} {:>7} {errors:>7} {:>9.1} {:>9.1} {:>9.1}",
            ms.len(),
            percentile(&ms, 0.5),
            percentile(&ms, 0.99),
            ms.last().copied().unwrap_or(0.0)
        );
    }
    let errors = samples.iter().filter(|s| !s.ok).count();
    println!(
        "total {} requests in {wall:.2} s: {:.0} req/s, {errors} errors; upload throughput {:.1} MiB/s",
        samples.len(),
        samples.len() as f64 / wall,
        (UPLOADERS * UPLOADS_EACH * FILE_BYTES) as f64 / 1_048_576.0 / wall
    );
    println!(
        "server memory (all instances): {:.1} MiB idle, {:.1} MiB after the run, peak {:.1} MiB",
        rss_idle as f64 / 1024.0,
        rss_end as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    Ok(())
}
