//! Issue 20: two server processes on one PostgreSQL database behave as one service. A dialog
//! created through A is listed, answered and downloaded through B; the answer posted through B
//! reaches the seller's event stream held by A; the same Idempotency-Key sent to both at once
//! makes one dialog; both sweep for due dialogs and each dialog is closed, and announced on the
//! stream, exactly once.
//!
//! Needs PostgreSQL (`SUPPORT_TEST_DATABASE`); on SQLite, one process owns the data and there
//! is no second instance to test.

use crate::common::*;
use crate::crash::{free_addr, request, wait_ready};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BOUNDARY: &str = "----instances-boundary";
/// Short, so that the sweeps run every second (a tenth of it, at least 1 s) during the test.
const PERIOD_SECS: u64 = 5;

struct Instance {
    addr: SocketAddr,
    child: Child,
    log: std::path::PathBuf,
    _data: tempfile::TempDir,
}

impl Instance {
    fn start(database: &str) -> Instance {
        let data = tempfile::tempdir().expect("dir");
        let addr = free_addr();
        let log = data.path().join("server.log");
        let out = std::fs::File::create(&log).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_seller-support-server"))
            .arg("--addr")
            .arg(addr.to_string())
            .arg("--data")
            .arg(data.path())
            .arg("--database")
            .arg(database)
            .args([
                "--agent-token",
                AGENT,
                "--no-rate-limits",
                "--database-pool",
                "4",
            ])
            .arg("--auto-close-after")
            .arg(format!("{PERIOD_SECS}s"))
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .expect("server binary");
        Instance {
            addr,
            child,
            log,
            _data: data,
        }
    }

    /// The dialogs this instance's periodic sweeps closed, from its log lines
    /// `auto-closed answered dialogs closed=N`.
    fn swept(&self) -> u64 {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter(|l| l.contains("auto-closed answered dialogs"))
            .filter_map(|l| l.split("closed=").nth(1))
            .filter_map(|v| v.split_whitespace().next())
            .filter_map(|v| v.parse::<u64>().ok())
            .sum()
    }

    async fn get(&self, cookie: &str, path: &str) -> (u16, serde_json::Value) {
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        );
        let (status, _, body) = request(self.addr, raw.as_bytes()).await.expect("get");
        (status, serde_json::from_slice(&body).unwrap_or_default())
    }

    async fn get_bytes(&self, cookie: &str, path: &str) -> (u16, Vec<u8>) {
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        );
        let (status, _, body) = request(self.addr, raw.as_bytes()).await.expect("get");
        (status, body)
    }

    async fn create(
        &self,
        cookie: &str,
        key: &str,
        comment: &str,
        file: Option<&[u8]>,
    ) -> (u16, serde_json::Value) {
        let body = create_body(comment, file);
        let mut raw = format!(
            "POST /api/dialogs HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\
             X-Requested-With: seller-support\r\nIdempotency-Key: {key}\r\n\
             Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(&body);
        let (status, _, body) = request(self.addr, &raw).await.expect("create");
        (status, serde_json::from_slice(&body).unwrap_or_default())
    }

    async fn answer(&self, id: u64, text: &str) -> (u16, serde_json::Value) {
        let json = serde_json::json!({ "text": text }).to_string();
        let raw = format!(
            "POST /api/agent/dialogs/{id}/messages HTTP/1.1\r\nHost: x\r\n\
             Authorization: Bearer {AGENT}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{json}",
            json.len()
        );
        let (status, _, body) = request(self.addr, raw.as_bytes()).await.expect("answer");
        (status, serde_json::from_slice(&body).unwrap_or_default())
    }
}

/// A seller's `GET /api/events` on one instance, read as raw text as it arrives.
struct EventStream {
    socket: tokio::net::TcpStream,
    text: String,
}

impl EventStream {
    async fn open(addr: SocketAddr, cookie: &str) -> EventStream {
        let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let req = format!(
            "GET /api/events HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
        );
        socket.write_all(req.as_bytes()).await.expect("request");
        let mut s = EventStream {
            socket,
            text: String::new(),
        };
        assert!(
            s.until(|t| t.contains("event: ready"), Duration::from_secs(10))
                .await,
            "no ready event: {}",
            s.text
        );
        s
    }

    /// Reads until `done` holds for everything received so far, or the time is up.
    async fn until(&mut self, done: impl Fn(&str) -> bool, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        let mut buf = [0u8; 8192];
        while !done(&self.text) {
            match tokio::time::timeout_at(deadline, self.socket.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => self.text.push_str(&String::from_utf8_lossy(&buf[..n])),
                _ => return false,
            }
        }
        true
    }

    fn count(&self, needle: &str) -> usize {
        self.text.matches(needle).count()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn create_body(comment: &str, file: Option<&[u8]>) -> Vec<u8> {
    let (cat, theme) = first_theme();
    let mut b = Vec::new();
    for (name, value) in [
        ("category", cat.as_str()),
        ("theme", &theme),
        ("comment", comment),
    ] {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some(bytes) = file {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"scan.pdf\"\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// A PDF that spans several 256 KiB chunks with a different byte in each position, so a chunk
/// out of order or missing shows.
fn big_pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    v.extend((0..700_000u32).map(|i| (i % 251) as u8));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_act_as_one() {
    if !on_postgres() {
        return;
    }
    // The database (created and migrated for this test) and a session in it, valid on both.
    let server = TestServer::new().await;
    let database = server
        .database_url()
        .expect("a PostgreSQL test database")
        .to_string();
    // The processes run on the system clock: so does the session.
    server.set_time(seller_support_server::system_clock()());
    let me = server.login("seller-a").await;
    let a = Instance::start(&database);
    let b = Instance::start(&database);
    wait_ready(a.addr).await;
    wait_ready(b.addr).await;
    // The seller's tab is connected to A for the whole test.
    let mut stream = EventStream::open(a.addr, &me).await;

    // Created through A (with a file), listed, opened and downloaded through B.
    let pdf = big_pdf();
    let (status, created) = a.create(&me, "k-first", "Создан на A", Some(&pdf)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_u64().expect("id");
    let (status, list) = b.get(&me, "/api/dialogs").await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id);
    let (_, detail) = b.get(&me, &format!("/api/dialogs/{id}")).await;
    let att = detail["messages"][0]["attachments"][0]["id"]
        .as_str()
        .expect("attachment")
        .to_string();
    let (status, bytes) = b.get_bytes(&me, &format!("/api/attachments/{att}")).await;
    assert_eq!(status, 200);
    assert!(
        bytes == pdf,
        "the download through B is the upload through A"
    );

    // Answered through B, seen through A: in the list, and on the stream A holds.
    let (status, answered) = b.answer(id, "Ответ через B").await;
    assert_eq!(status, 201, "{answered}");
    // Well within the auto-close period: A's own sweep, which would wake its streams anyway,
    // closes the dialog only after it.
    let heard = stream
        .until(|t| t.contains("event: message"), Duration::from_secs(3))
        .await;
    assert!(
        heard,
        "the answer through B never reached A's stream: {}",
        stream.text
    );
    assert!(
        stream.text.contains(&format!("\"dialog_id\":{id}")),
        "{}",
        stream.text
    );
    let (_, detail) = a.get(&me, &format!("/api/dialogs/{id}")).await;
    assert_eq!(detail["status"], "answered");
    assert_eq!(detail["messages"].as_array().map(Vec::len), Some(2));

    // The same key sent to both at once, several times over: one dialog per key.
    for round in 0..8 {
        let key = format!("k-both-{round}");
        let comment = format!("Один ключ, два сервера, {round}");
        let (ra, rb) = tokio::join!(
            a.create(&me, &key, &comment, None),
            b.create(&me, &key, &comment, None)
        );
        assert_eq!((ra.0, rb.0), (201, 201), "{} {}", ra.1, rb.1);
        assert_eq!(ra.1["id"], rb.1["id"], "round {round}: one dialog");
    }
    let (_, list) = a.get(&me, "/api/dialogs?per_page=50").await;
    assert_eq!(list["total"], 9);

    // Every waiting dialog answered (alternating instances), then nobody asks anything while
    // both instances' sweeps run: each dialog is closed once, by one of them.
    let ids: Vec<u64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|d| d["status"] == "waiting")
        .filter_map(|d| d["id"].as_u64())
        .collect();
    assert_eq!(ids.len(), 8);
    for (i, id) in ids.iter().enumerate() {
        let via = if i % 2 == 0 { &a } else { &b };
        assert_eq!(via.answer(*id, "Ответ").await.0, 201);
    }
    tokio::time::sleep(Duration::from_secs(PERIOD_SECS + 3)).await;
    let (swept_a, swept_b) = (a.swept(), b.swept());
    assert_eq!(
        swept_a + swept_b,
        9,
        "closed once each: A closed {swept_a}, B closed {swept_b}"
    );
    let (_, list) = b.get(&me, "/api/dialogs?status=closed&per_page=50").await;
    assert_eq!(list["total"], 9);
    // And each close was announced once, whichever instance made it.
    stream
        .until(
            |t| t.matches("event: status").count() >= 9,
            Duration::from_secs(5),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream.until(|_| false, Duration::from_millis(200)).await;
    assert_eq!(stream.count("event: status"), 9, "{}", stream.text);
    assert_eq!(stream.count("event: created"), 9);
}

/// The same race without processes and with many more dialogs: two stores (two pools) on one
/// database sweep at once; every due dialog is closed, and counted, exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sweeps_close_each_dialog_once() {
    if !on_postgres() {
        return;
    }
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let mut ids = Vec::new();
    for i in 0..60 {
        ids.push(s.create(&me, &format!("Вопрос {i}")).await);
    }
    for id in &ids {
        assert_eq!(s.agent_answer(*id, "Ответ").await.status.as_u16(), 201);
    }
    s.advance(PERIOD.as_millis() as i64 + 1);
    let other = s.reopen(s.state.clock.clone()).await;
    let (x, y) = tokio::join!(s.state.auto_close_now(), other.auto_close_now());
    let (x, y) = (x.expect("sweep"), y.expect("sweep"));
    assert_eq!(x + y, ids.len(), "{x} + {y}");
    assert_eq!(
        s.sql_i64("SELECT count(*) FROM dialogs WHERE status = 'closed' AND close_reason = 'auto'")
            .await,
        ids.len() as i64
    );
}
