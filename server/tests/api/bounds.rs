//! Issue 19: the server bounds its work — rate limits answering 429 with `Retry-After`, body
//! and header timeouts. Limits are set tiny (bursts of 2, refills of an hour) so that no test
//! depends on how fast it runs.

use crate::common::*;
use axum::http::StatusCode;
use seller_support_server::limits::{EndpointRate, Rate, RateLimits};
use seller_support_server::serve::{ServeOptions, serve};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const HOUR: Duration = Duration::from_secs(3600);

fn tight() -> RateLimits {
    let seller = EndpointRate {
        seller: Some(Rate::new(2, HOUR)),
        ip: Rate::new(1000, Duration::from_millis(1)),
    };
    RateLimits {
        login: EndpointRate {
            seller: None,
            ip: Rate::new(2, HOUR),
        },
        create: seller,
        reply: seller,
        download: seller,
    }
}

fn form(comment: &str) -> Form {
    let (cat, theme) = first_theme();
    Form::new()
        .text("category", &cat)
        .text("theme", &theme)
        .text("comment", comment)
}

fn assert_429(r: &Resp) {
    let v = r.error(429, "rate_limited");
    let wait: u64 = r
        .header("retry-after")
        .parse()
        .expect("Retry-After in seconds");
    assert!(wait >= 1, "{wait}");
    let message = v["message"].as_str().unwrap_or("");
    assert!(message.contains(&format!("{wait} с")), "{message}");
    assert!(r.header("content-type").starts_with("application/json"));
}

#[tokio::test]
async fn creates_are_limited_per_seller_with_429_and_retry_after() {
    let s = TestServer::with(|c| c.rate_limits = Some(tight())).await;
    let a = s.login("seller-a").await;
    let b = s.login("seller-b").await;
    for i in 0..2 {
        let r = s
            .post_form(&a, "/api/dialogs", form(&format!("№{i}")), None)
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let r = s.post_form(&a, "/api/dialogs", form("третий"), None).await;
    assert_429(&r);
    assert_eq!(s.get(&a, "/api/dialogs").await.json()["total"], 2);
    // Another seller has a bucket of their own; reading is not limited.
    let r = s
        .post_form(&b, "/api/dialogs", form("мой первый"), None)
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(s.get(&a, "/api/dialogs").await.status, StatusCode::OK);
}

#[tokio::test]
async fn replies_and_downloads_are_limited_per_seller() {
    let s = TestServer::with(|c| c.rate_limits = Some(tight())).await;
    let a = s.login("seller-a").await;
    let f = form("с файлом").file("a.pdf", b"%PDF-1.7\n", 5);
    let r = s.post_form(&a, "/api/dialogs", f, None).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json()["id"].as_u64().expect("id");
    let d = s.get(&a, &format!("/api/dialogs/{id}")).await.json();
    let att = d["messages"][0]["attachments"][0]["id"]
        .as_str()
        .expect("attachment")
        .to_string();
    let uri = format!("/api/attachments/{att}");
    for _ in 0..2 {
        assert_eq!(s.get(&a, &uri).await.status, StatusCode::OK);
    }
    assert_429(&s.get(&a, &uri).await);

    let reply_uri = format!("/api/dialogs/{id}/messages");
    for i in 0..2 {
        let r = s
            .post_form(
                &a,
                &reply_uri,
                Form::new().text("text", &format!("ещё {i}")),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    }
    let r = s
        .post_form(&a, &reply_uri, Form::new().text("text", "и ещё"), None)
        .await;
    assert_429(&r);
    let d = s.get(&a, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(d["messages"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn logins_are_limited_per_ip() {
    let s = TestServer::with(|c| {
        c.demo = true;
        c.rate_limits = Some(tight());
    })
    .await;
    for name in ["first", "second"] {
        let r = s
            .post_json("", "/api/dev/login", &format!("{{\"seller\":\"{name}\"}}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());
    }
    let r = s
        .post_json("", "/api/dev/login", "{\"seller\":\"third\"}")
        .await;
    assert_429(&r);
}

#[tokio::test]
async fn logins_are_limited_per_seller_name() {
    let mut rates = tight();
    rates.login = EndpointRate {
        seller: Some(Rate::new(2, HOUR)),
        ip: Rate::new(1000, Duration::from_millis(1)),
    };
    let s = TestServer::with(|c| {
        c.demo = true;
        c.rate_limits = Some(rates);
    })
    .await;
    let login = |name: &str| format!("{{\"seller\":\"{name}\"}}");
    for _ in 0..2 {
        let r = s.post_json("", "/api/dev/login", &login("target")).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());
    }
    let r = s.post_json("", "/api/dev/login", &login("target")).await;
    assert_429(&r);
    assert!(
        r.header("set-cookie").is_empty(),
        "no session for a refused login"
    );
    // Another name from the same address is not affected.
    let r = s
        .post_json("", "/api/dev/login", &login("someone-else"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_stalled_upload_is_cut_off_with_408_and_leaves_nothing() {
    let s = TestServer::with(|c| c.body_idle_timeout = Duration::from_millis(200)).await;
    let me = s.login("seller-a").await;
    let f = form("файл")
        .file("big.pdf", b"%PDF-1.7\n", 2 * 1024 * 1024)
        .stall_after(1024 * 1024);
    let r = s.post_form(&me, "/api/dialogs", f, None).await;
    r.error(408, "request_timeout");
    assert_eq!(s.get(&me, "/api/dialogs").await.json()["total"], 0);
    assert_eq!(s.stored_files().await, 0);
    assert_eq!(s.files_in("tmp"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let s = TestServer::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = ServeOptions {
        header_read_timeout: Duration::from_millis(300),
        ..ServeOptions::default()
    };
    let router = s.router.clone();
    tokio::spawn(serve(listener, router, options, std::future::pending()));
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    // The server closes the connection (a 408 may precede the close); without a header
    // timeout this read would never end, and the outer timeout fails the test.
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection was still open after 20 s");
    let text = String::from_utf8_lossy(&buf);
    assert!(!text.contains("200 OK"), "{text}");

    // A normal client on the same server is served.
    let mut ok = tokio::net::TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    ok.read_to_end(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn the_document_lists_429_with_retry_after_where_limits_apply() {
    let s = TestServer::new().await;
    let doc = s.get("", "/api/openapi.json").await.json();
    for (method, path) in [
        ("post", "/api/dev/login"),
        ("post", "/api/dialogs"),
        ("post", "/api/dialogs/{id}/messages"),
        ("get", "/api/attachments/{id}"),
    ] {
        let r = &doc["paths"][path][method]["responses"]["429"];
        assert!(r.is_object(), "{method} {path}");
        assert!(r["headers"]["Retry-After"].is_object(), "{method} {path}");
    }
    for path in ["/api/dialogs", "/api/dialogs/{id}/messages"] {
        assert!(
            doc["paths"][path]["post"]["responses"]["507"].is_object(),
            "{path}"
        );
    }
}

/// With one request slot, a request waits while another holds it (a stalled upload here) and
/// is served as soon as the slot is free. Nothing here depends on timing: the held slot is
/// only released by aborting its request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_the_concurrency_limit_wait_for_a_slot() {
    let s = TestServer::with(|c| {
        c.max_concurrent_requests = 1;
        c.body_idle_timeout = Duration::from_secs(3600);
    })
    .await;
    let me = s.login("a").await;
    let stalled = form("файл")
        .file("big.pdf", b"%PDF-1.7\n", 1024 * 1024)
        .stall_after(64 * 1024);
    let router = s.router.clone();
    let req = axum::http::Request::post("/api/dialogs")
        .header("cookie", &me)
        .header("x-requested-with", "seller-support")
        .header("content-type", stalled.content_type())
        .body(stalled.into_body())
        .unwrap();
    let holder = tokio::spawn(tower::ServiceExt::oneshot(router, req));
    // Wait until the stalled upload is inside its handler (it has started writing).
    while s.files_in("tmp") == 0 {
        tokio::task::yield_now().await;
    }
    let health = || {
        let req = axum::http::Request::get("/api/health")
            .body(axum::body::Body::empty())
            .unwrap();
        tower::ServiceExt::oneshot(s.router.clone(), req)
    };
    let waiting = tokio::time::timeout(Duration::from_millis(300), health()).await;
    assert!(waiting.is_err(), "served while the only slot was taken");
    holder.abort();
    let served = tokio::time::timeout(Duration::from_secs(30), health())
        .await
        .expect("served once the slot is free")
        .expect("infallible");
    assert_eq!(served.status(), StatusCode::OK);
}
