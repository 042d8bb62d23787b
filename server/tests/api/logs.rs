//! Issue 19: request logs name the method and path, never the query string (the seller's search
//! text) or what the seller wrote. Checked on the binary's own log output.

use crate::common::first_theme;
use crate::crash::{dev_login, free_addr, request, wait_ready};
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_logs_carry_no_query_string_or_comment_text() {
    let dir = tempfile::tempdir().expect("dir");
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let addr = free_addr();
    let mut server = Command::new(env!("CARGO_BIN_EXE_seller-support-server"))
        .arg("--addr")
        .arg(addr.to_string())
        .arg("--data")
        .arg(dir.path().join("data"))
        .arg("--demo")
        .env("RUST_LOG", "trace")
        .stdout(Stdio::from(log.try_clone().expect("log")))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("server binary");
    wait_ready(addr).await;

    let cookie = dev_login(addr, "logs").await;

    let (cat, theme) = first_theme();
    let b = "----logs";
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\n{cat}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"theme\"\r\n\r\n{theme}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nсекретный комментарий 4111\r\n\
         --{b}--\r\n"
    );
    let req = format!(
        "POST /api/dialogs HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nX-Requested-With: seller-support\r\n\
         Content-Type: multipart/form-data; boundary={b}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, head, _) = request(addr, req.as_bytes()).await.expect("create");
    assert_eq!(status, 201, "{head}");
    let q = domain::api::percent_encode("тайный поиск");
    let req = format!(
        "GET /api/dialogs?q={q} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    let (status, _, _) = request(addr, req.as_bytes()).await.expect("search");
    assert_eq!(status, 200);
    server.kill().expect("stop");
    server.wait().expect("reaped");

    let logs = std::fs::read_to_string(&log_path).expect("logs");
    assert!(
        logs.contains("/api/dialogs"),
        "requests are logged:\n{logs}"
    );
    for secret in ["q=", &q[..6], "тайный", "секретный", "4111"] {
        assert!(!logs.contains(secret), "{secret} in the logs:\n{logs}");
    }
}
