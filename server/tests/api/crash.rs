//! Issue 19, crash safety: the server binary killed with SIGKILL in the middle of a create with
//! attachments, restarted on the same data folder, leaves no partial dialog and no orphan file,
//! and the seller's retry with the same Idempotency-Key creates exactly one dialog.
//!
//! Under `cargo test --release` this drives the release binary.

use crate::common::first_theme;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BOUNDARY: &str = "----crash-boundary";
const FILE_BYTES: usize = 2 * 1024 * 1024;

fn start(data: &Path, addr: SocketAddr) -> Child {
    Command::new(env!("CARGO_BIN_EXE_seller-support-server"))
        .arg("--addr")
        .arg(addr.to_string())
        .arg("--data")
        .arg(data)
        .args(["--demo", "--no-rate-limits"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server binary")
}

pub fn free_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    l.local_addr().expect("addr")
}

pub async fn wait_ready(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = request(
            addr,
            b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await
            && r.0 == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

/// One request on a fresh connection: (status, headers text, body).
pub async fn request(addr: SocketAddr, raw: &[u8]) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(raw).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((status, head, buf[split + 4..].to_vec()))
}

/// Logs `seller` in through demo mode's `POST /api/dev/login` on a raw socket; the session cookie.
pub async fn dev_login(addr: SocketAddr, seller: &str) -> String {
    let login = format!("{{\"seller\":\"{seller}\"}}");
    let req = format!(
        "POST /api/dev/login HTTP/1.1\r\nHost: x\r\nX-Requested-With: seller-support\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{login}",
        login.len()
    );
    let (status, head, _) = request(addr, req.as_bytes()).await.expect("login");
    assert_eq!(status, 200, "{head}");
    head.lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|v| v.split(';').next())
        .expect("cookie")
        .to_string()
}

fn create_body() -> Vec<u8> {
    let (cat, theme) = first_theme();
    let mut b = Vec::new();
    for (name, value) in [
        ("category", cat.as_str()),
        ("theme", &theme),
        ("comment", "Сбой посреди загрузки"),
    ] {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for i in 0..3 {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"scan-{i}.pdf\"\r\n\r\n%PDF-1.7\n"
            )
            .as_bytes(),
        );
        b.extend(std::iter::repeat_n(b'0' + i as u8, FILE_BYTES));
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

fn create_head(addr: SocketAddr, cookie: &str, len: usize) -> String {
    format!(
        "POST /api/dialogs HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         X-Requested-With: seller-support\r\nIdempotency-Key: crash-key-1\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len}\r\n\
         Connection: close\r\n\r\n"
    )
}

fn dir_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn attachment_ids(data: &Path) -> BTreeSet<String> {
    let c = rusqlite::Connection::open(data.join("support.db")).expect("db");
    let mut st = c.prepare("SELECT id FROM attachments").expect("query");
    st.query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("ids")
}

async fn dialog_total(addr: SocketAddr, cookie: &str) -> u64 {
    let req = format!(
        "GET /api/dialogs HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    let (status, _, body) = request(addr, req.as_bytes()).await.expect("list");
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
    v["total"].as_u64().expect("total")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_create_leaves_nothing_and_the_retry_creates_one_dialog() {
    // About SQLite and files on local disk (tmp/ → files/ around the commit); with PostgreSQL
    // a killed transaction is rolled back by the database itself. The SQLite run covers it.
    if crate::common::on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let addr = free_addr();
    let mut server = start(data, addr);
    wait_ready(addr).await;

    let cookie = dev_login(addr, "crash").await;

    // Send the first file and a half, wait until it is being written, kill the server.
    let body = create_body();
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(create_head(addr, &cookie, body.len()).as_bytes())
        .await
        .expect("head");
    let cut = body.len() / 2;
    stream.write_all(&body[..cut]).await.expect("half body");
    stream.flush().await.expect("flush");
    let deadline = Instant::now() + Duration::from_secs(30);
    while dir_names(&data.join("tmp")).is_empty() {
        assert!(Instant::now() < deadline, "the upload never reached tmp/");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    drop(stream);
    assert!(
        !dir_names(&data.join("tmp")).is_empty(),
        "the kill left a partial upload"
    );

    // A crash between moving files into place and the commit leaves a file no row names.
    std::fs::write(
        data.join("files").join("0123456789abcdef0123456789abcdef"),
        b"orphan",
    )
    .expect("orphan");

    let mut server = start(data, addr);
    wait_ready(addr).await;
    assert!(dir_names(&data.join("tmp")).is_empty(), "tmp/ swept");
    assert_eq!(
        dir_names(&data.join("files")),
        attachment_ids(data),
        "no orphan file"
    );
    assert_eq!(dialog_total(addr, &cookie).await, 0, "no partial dialog");

    // The seller's retry with the same key creates the dialog, once.
    let mut ids = Vec::new();
    for _ in 0..2 {
        let mut raw = create_head(addr, &cookie, body.len()).into_bytes();
        raw.extend_from_slice(&body);
        let (status, head, resp) = request(addr, &raw).await.expect("retry");
        assert_eq!(status, 201, "{head} {}", String::from_utf8_lossy(&resp));
        let v: serde_json::Value = serde_json::from_slice(&resp).expect("json");
        ids.push(v["id"].as_u64().expect("id"));
    }
    assert_eq!(ids[0], ids[1]);
    assert_eq!(dialog_total(addr, &cookie).await, 1);
    let files = dir_names(&data.join("files"));
    assert_eq!(files, attachment_ids(data));
    server.kill().expect("stop");
    server.wait().expect("reaped");
}
