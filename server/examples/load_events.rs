//! 1 000 open event streams (`GET /api/events`) on the release server binary, over real
//! sockets: the server's memory per open stream (RSS from /proc before and after opening them)
//! and the time from the agent's answer to its `message` event at the seller's client, p50/p99.
//! Prints, asserts nothing.
//!
//! ```text
//! cargo build --release -p seller-support-server
//! cargo run -q --release -p seller-support-server --example load_events
//! ```
//!
//! One seller per stream (1 000 sellers, seeded straight into the database), so the per-seller
//! cap (8) is not what is measured; the total cap stays at its default (10 000). Each stream is
//! a socket on both sides: the run needs about 2 100 open files (`ulimit -n`). `STREAMS=N` and
//! `ANSWERS=N` change the counts; `SERVER_BIN` the binary.

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use seller_support_server::{AppState, Config, db, system_clock};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const AGENT_TOKEN: &str = "bench-agent";

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn open_files_limit() -> Option<u64> {
    std::fs::read_to_string("/proc/self/limits")
        .ok()?
        .lines()
        .find(|l| l.starts_with("Max open files"))?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

type Conn = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> anyhow::Result<Conn> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// One request on a connection of its own (each stream holds its connection).
async fn send(
    addr: SocketAddr,
    req: Request<Full<Bytes>>,
) -> anyhow::Result<hyper::Response<Incoming>> {
    Ok(connect(addr).await?.send_request(req).await?)
}

/// Reads one stream; reports `(seller, when)` for every `message` event, and once when
/// `ready` arrived.
async fn follow(
    n: usize,
    mut body: Incoming,
    ready: mpsc::UnboundedSender<usize>,
    got: mpsc::UnboundedSender<(usize, Instant)>,
) {
    let mut buf = String::new();
    while let Some(Ok(frame)) = body.frame().await {
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buf.push_str(&String::from_utf8_lossy(&data));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if block.starts_with("event: message") || block.contains("\nevent: message") {
                let _ = got.send((n, Instant::now()));
            } else if block.contains("event: ready") {
                let _ = ready.send(n);
            }
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let streams = env_count("STREAMS", 1000);
    let answers = env_count("ANSWERS", 300);
    let bin = std::env::var("SERVER_BIN")
        .unwrap_or_else(|_| "target/release/seller-support-server".to_string());
    if let Some(limit) = open_files_limit()
        && limit < (streams as u64) * 2 + 100
    {
        println!(
            "open-file limit {limit} is below the {} this run needs (ulimit -n); fewer streams will open",
            streams * 2 + 100
        );
    }
    let dir = tempfile::tempdir()?;

    let state = AppState::open(Config::new(dir.path()), system_clock()).await?;
    let catalog = state.catalog.clone();
    let (cat, theme) = {
        let c = &catalog.categories[0];
        (c.id.clone(), c.themes[0].id.clone())
    };
    let now = state.now();
    // Seeded straight through the SQLite connection in one transaction (the embedded backend
    // this benchmark measures).
    let sqlite = state
        .store
        .sqlite()
        .ok_or_else(|| anyhow::anyhow!("load_events seeds an SQLite data folder"))?;
    let sellers: Vec<(String, u64)> = sqlite
        .db()
        .call_sync(move |c| {
            let tx = c.transaction()?;
            let mut out = Vec::new();
            for s in 0..streams {
                let seller = db::upsert_seller(&tx, &format!("events-{s}"), now)?;
                let id = db::insert_dialog(
                    &tx,
                    seller,
                    &cat,
                    &theme,
                    "Когда придут деньги за поставку?",
                    &[],
                    now,
                    &catalog,
                )?;
                let token = db::create_session(&tx, seller, now)?;
                out.push((format!("support_session={token}"), id));
            }
            tx.commit()?;
            Ok(out)
        })
        .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    drop(state);

    let addr: SocketAddr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0")?;
        l.local_addr()?
    };
    let mut server = std::process::Command::new(&bin)
        .arg("--addr")
        .arg(addr.to_string())
        .arg("--data")
        .arg(dir.path())
        .arg("--no-rate-limits")
        .arg("--agent-token")
        .arg(AGENT_TOKEN)
        .env("RUST_LOG", "warn")
        .spawn()
        .map_err(|e| {
            anyhow::anyhow!(
                "{bin}: {e} (build it with cargo build --release -p seller-support-server)"
            )
        })?;
    let pid = server.id();
    let started = Instant::now();
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(60),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // One ordinary request first, so the baseline includes a warmed-up runtime and database.
    let warm = Request::get("/api/dialogs")
        .header("host", "bench")
        .header("cookie", &sellers[0].0)
        .body(Full::new(Bytes::new()))?;
    let _ = send(addr, warm).await?.into_body().collect().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss_before = rss_kib(pid);

    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (got_tx, mut got_rx) = mpsc::unbounded_channel();
    let opening = Instant::now();
    let mut failed = 0usize;
    for (n, (cookie, _)) in sellers.iter().enumerate() {
        let req = Request::get("/api/events")
            .header("host", "bench")
            .header("cookie", cookie)
            .body(Full::new(Bytes::new()))?;
        match send(addr, req).await {
            Ok(res) if res.status() == 200 => {
                tokio::spawn(follow(n, res.into_body(), ready_tx.clone(), got_tx.clone()));
            }
            _ => failed += 1,
        }
    }
    let mut open = 0usize;
    while open + failed < streams {
        match tokio::time::timeout(Duration::from_secs(30), ready_rx.recv()).await {
            Ok(Some(_)) => open += 1,
            _ => break,
        }
    }
    let open_secs = opening.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_open = rss_kib(pid);

    // One answer at a time, to a seller picked in a fixed stride, timed to its event.
    let mut latencies = Vec::with_capacity(answers);
    let mut posts = Vec::with_capacity(answers);
    let mut lost = 0usize;
    // The agent keeps one connection, like a helpdesk integration would.
    let mut agent = connect(addr).await?;
    for i in 0..answers {
        let n = (i * 7919) % sellers.len();
        let req = Request::post(format!("/api/agent/dialogs/{}/messages", sellers[n].1))
            .header("host", "bench")
            .header("authorization", format!("Bearer {AGENT_TOKEN}"))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from_static(
                "{\"text\":\"Проверили: деньги придут завтра.\"}".as_bytes(),
            )))?;
        if agent.is_closed() {
            agent = connect(addr).await?;
        }
        agent.ready().await?;
        let t = Instant::now();
        let res = agent.send_request(req).await?;
        let ok = res.status() == 201;
        let _ = res.into_body().collect().await;
        posts.push(t.elapsed().as_secs_f64() * 1000.0);
        if !ok {
            lost += 1;
            continue;
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match tokio::time::timeout_at(deadline.into(), got_rx.recv()).await {
                Ok(Some((who, at))) if who == n => {
                    latencies.push(at.duration_since(t).as_secs_f64() * 1000.0);
                    break;
                }
                Ok(Some(_)) => {}
                _ => {
                    lost += 1;
                    break;
                }
            }
        }
    }
    let rss_end = rss_kib(pid);
    let _ = server.kill();
    let _ = server.wait();

    latencies.sort_by(f64::total_cmp);
    posts.sort_by(f64::total_cmp);
    let per_stream = if open > 0 {
        (rss_open.saturating_sub(rss_before)) as f64 / open as f64
    } else {
        0.0
    };
    println!(
        "{open} of {streams} event streams open in {open_secs:.2} s ({failed} refused), release server on 127.0.0.1, one seller per stream"
    );
    println!(
        "server RSS: {:.1} MiB before, {:.1} MiB with the streams open, {:.1} MiB after {answers} answers: {per_stream:.1} KiB per open stream",
        rss_before as f64 / 1024.0,
        rss_open as f64 / 1024.0,
        rss_end as f64 / 1024.0,
    );
    println!(
        "agent answer → `message` event at the client: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples, {lost} lost)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0),
        latencies.len()
    );
    println!(
        "  of which the agent's POST itself: p50 {:.2} ms, p99 {:.2} ms",
        percentile(&posts, 0.5),
        percentile(&posts, 0.99)
    );
    Ok(())
}
