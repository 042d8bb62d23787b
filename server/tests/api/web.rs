//! Serving the built app: SPA fallback, precompressed files, cache and security headers.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const HASHED: &str = "seller-support-0123456789abcdef.js";

async fn dist_server(frame_ancestors: Option<&str>) -> (TestServer, tempfile::TempDir) {
    let fa = frame_ancestors.map(str::to_string);
    dist_server_with(move |c| {
        if let Some(fa) = fa {
            c.frame_ancestors = fa;
        }
    })
    .await
}

async fn dist_server_with(
    tweak: impl FnOnce(&mut seller_support_server::Config),
) -> (TestServer, tempfile::TempDir) {
    let dist = tempfile::tempdir().unwrap();
    let d = dist.path();
    std::fs::write(d.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(d.join(HASHED), "console.log('plain')").unwrap();
    std::fs::write(d.join(format!("{HASHED}.br")), "BROTLI-BYTES").unwrap();
    std::fs::write(d.join(format!("{HASHED}.gz")), "GZIP-BYTES").unwrap();
    std::fs::write(d.join("config.json"), "{}").unwrap();
    let path = d.to_path_buf();
    let s = TestServer::with(move |c| {
        c.dist = Some(path);
        tweak(c);
    })
    .await;
    (s, dist)
}

async fn fetch(s: &TestServer, uri: &str, accept_encoding: Option<&str>) -> Resp {
    let mut b = Request::get(uri);
    if let Some(ae) = accept_encoding {
        b = b.header(header::ACCEPT_ENCODING, ae);
    }
    s.send(b.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn client_routes_get_index_html_uncached() {
    let (s, _dist) = dist_server(None).await;
    for uri in ["/", "/dialogs", "/dialogs/13718172", "/new?category=x"] {
        let r = fetch(&s, uri, None).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(
            String::from_utf8_lossy(&r.body).contains("<title>app</title>"),
            "{uri}"
        );
        assert_eq!(r.header("cache-control"), "no-cache", "{uri}");
    }
    // Missing files with an extension are real 404s, not the app.
    assert_eq!(
        fetch(&s, "/missing.js", None).await.status,
        StatusCode::NOT_FOUND
    );
    // Unknown API paths are JSON 404s, never index.html.
    fetch(&s, "/api/nope", None).await.error(404, "not_found");
    fetch(&s, "/api", None).await.error(404, "not_found");
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_precompressed() {
    let (s, _dist) = dist_server(None).await;
    let r = fetch(&s, &format!("/{HASHED}"), Some("br, gzip")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-encoding"), "br");
    assert_eq!(r.body.as_ref(), b"BROTLI-BYTES");
    assert_eq!(
        r.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let r = fetch(&s, &format!("/{HASHED}"), Some("gzip")).await;
    assert_eq!(r.header("content-encoding"), "gzip");
    let r = fetch(&s, &format!("/{HASHED}"), None).await;
    assert_eq!(r.body.as_ref(), b"console.log('plain')");
    let r = fetch(&s, "/config.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("cache-control"), "no-cache");
    let r = fetch(&s, "/index.html", None).await;
    assert_eq!(r.header("cache-control"), "no-cache");
}

#[tokio::test]
async fn security_headers_on_pages_and_api() {
    let (s, _dist) = dist_server(Some("'self' https://seller.example")).await;
    for uri in ["/", "/api/health"] {
        let r = fetch(&s, uri, None).await;
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(csp.contains("object-src 'none'"), "{csp}");
        assert!(
            csp.contains("frame-ancestors 'self' https://seller.example"),
            "{csp}"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert_eq!(
            r.header("referrer-policy"),
            "strict-origin-when-cross-origin"
        );
    }
    let r = fetch(&s, "/api/health", None).await;
    assert_eq!(r.header("cache-control"), "no-store");
    let r = fetch(&s, "/api/nope", None).await;
    assert_eq!(r.header("cache-control"), "no-store");
    let (s, _dist) = dist_server(None).await;
    let r = fetch(&s, "/", None).await;
    assert!(
        r.header("content-security-policy")
            .ends_with("frame-ancestors 'self'")
    );
}

#[tokio::test]
async fn without_dist_only_the_api_answers() {
    let s = TestServer::new().await;
    fetch(&s, "/dialogs", None).await.error(404, "not_found");
    let r = fetch(&s, "/api/health", None).await;
    assert_eq!(r.json()["status"], "ok");
    assert_eq!(r.json()["demo"], false);
    let r = s
        .send(Request::delete("/api/health").body(Body::empty()).unwrap())
        .await;
    // DELETE is state-changing: the CSRF check answers first.
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s
        .send(
            Request::put("/api/health")
                .header("X-Requested-With", "seller-support")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    r.error(405, "method_not_allowed");
}

async fn fetch_with_cookie(s: &TestServer, uri: &str, cookie: &str) -> Resp {
    s.send(
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Everything after the cookie's value: the attributes.
fn cookie_attributes(set_cookie: &str) -> &str {
    set_cookie.split_once(';').map_or("", |(_, a)| a)
}

#[tokio::test]
async fn demo_page_request_without_a_session_gets_the_demo_session() {
    let (s, _dist) = dist_server_with(|c| c.demo = true).await;
    let login = s
        .send(
            Request::post("/api/dev/login")
                .header("X-Requested-With", "seller-support")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"seller":"demo"}"#))
                .unwrap(),
        )
        .await;
    let login_attributes = cookie_attributes(login.header("set-cookie")).to_string();
    // The app's routes, at the root and under a sub-path build served at the root.
    for uri in [
        "/",
        "/index.html",
        "/new",
        "/dialogs/5",
        "/support/",
        "/support/new",
        "/support/dialogs/13718172",
    ] {
        let r = fetch(&s, uri, None).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(
            String::from_utf8_lossy(&r.body).contains("<title>app</title>"),
            "{uri}"
        );
        let set = r.header("set-cookie");
        assert!(set.starts_with("support_session="), "{uri}: {set}");
        assert_eq!(cookie_attributes(set), login_attributes, "{uri}");
        assert_eq!(r.header("cache-control"), "private, no-cache", "{uri}");
        // The app's first API call succeeds with it: no 401 in the console.
        let cookie = set.split(';').next().unwrap();
        let session = s.get(cookie, "/api/session").await;
        assert_eq!(session.status, StatusCode::OK, "{uri}");
        assert_eq!(session.json()["seller"], "demo");
        assert!(s.get(cookie, "/api/dialogs").await.json()["total"].as_u64() > Some(0));
    }
    // An unknown or expired session is no session.
    let r = fetch_with_cookie(&s, "/new", "support_session=forged").await;
    assert!(r.header("set-cookie").starts_with("support_session="));
    // Files are not pages; the API itself still answers 401 without a session.
    let r = fetch(&s, &format!("/{HASHED}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("set-cookie"), "");
    assert_eq!(
        fetch(&s, "/config.json", None).await.header("set-cookie"),
        ""
    );
    s.get("", "/api/session").await.error(401, "unauthorized");
}

#[tokio::test]
async fn demo_page_request_with_a_valid_session_keeps_it() {
    let (s, _dist) = dist_server_with(|c| c.demo = true).await;
    let me = s.login("e2e-seller").await;
    for uri in ["/", "/dialogs/5", "/support/new"] {
        let r = fetch_with_cookie(&s, uri, &me).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(r.header("set-cookie"), "", "{uri}");
        assert_eq!(r.header("cache-control"), "no-cache", "{uri}");
    }
    assert_eq!(
        s.get(&me, "/api/session").await.json()["seller"],
        "e2e-seller"
    );
    // A second page load with the session the first one handed out keeps that one too.
    let first = fetch(&s, "/", None).await;
    let cookie = first
        .header("set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let second = fetch_with_cookie(&s, "/new", &format!("lang=ru; {cookie}")).await;
    assert_eq!(second.header("set-cookie"), "");
    // Once the session has expired, the next page load replaces it.
    s.advance(seller_support_server::auth::SESSION_MAX_AGE_SECS as i64 * 1000);
    let r = fetch_with_cookie(&s, "/", &cookie).await;
    assert!(r.header("set-cookie").starts_with("support_session="));
}

#[tokio::test]
async fn outside_demo_mode_pages_set_no_session() {
    let (s, _dist) = dist_server(None).await;
    for uri in ["/", "/new", "/dialogs/5", "/support/"] {
        let r = fetch(&s, uri, None).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(r.header("set-cookie"), "", "{uri}");
    }
}

async fn fetch_as(s: &TestServer, uri: &str, cookie: &str, accept_encoding: &str) -> Resp {
    s.send(
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .header(header::ACCEPT_ENCODING, accept_encoding)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

fn unbrotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(body, 4096), &mut out)
        .expect("valid brotli");
    out
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body), &mut out)
        .expect("valid gzip");
    out
}

#[tokio::test]
async fn api_json_is_compressed_as_the_client_accepts() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    for i in 0..5 {
        s.create(&me, &format!("Поставка {i} не принята складом."))
            .await;
    }
    for uri in ["/api/catalog", "/api/dialogs"] {
        let plain = fetch_as(&s, uri, &me, "identity").await;
        assert_eq!(plain.status, StatusCode::OK);
        assert_eq!(plain.header("content-encoding"), "", "{uri}");
        assert!(plain.body.len() > 1000, "{uri}: {}", plain.body.len());

        let br = fetch_as(&s, uri, &me, "gzip, deflate, br").await;
        assert_eq!(br.status, StatusCode::OK);
        assert_eq!(br.header("content-encoding"), "br", "{uri}");
        assert!(
            br.header("vary")
                .to_ascii_lowercase()
                .contains("accept-encoding")
        );
        assert!(br.body.len() < plain.body.len() / 2, "{uri}");
        assert_eq!(unbrotli(&br.body), plain.body.as_ref(), "{uri}");

        let gz = fetch_as(&s, uri, &me, "gzip").await;
        assert_eq!(gz.header("content-encoding"), "gzip", "{uri}");
        assert_eq!(gunzip(&gz.body), plain.body.as_ref(), "{uri}");
    }
    // Small answers are not worth it.
    let health = fetch_as(&s, "/api/health", &me, "br").await;
    assert_eq!(health.header("content-encoding"), "");
    assert_eq!(health.json()["status"], "ok");
}

#[tokio::test]
async fn downloads_and_static_files_are_not_compressed_again() {
    let (s, dist) = dist_server(None).await;
    let me = s.login("a").await;
    let (cat, theme) = first_theme();
    let form = Form::new()
        .text("category", &cat)
        .text("theme", &theme)
        .text("comment", "скриншот")
        .png("screen.png", 4096);
    let created = s.post_form(&me, "/api/dialogs", form, None).await.json();
    let detail = s
        .get(&me, &format!("/api/dialogs/{}", created["id"]))
        .await
        .json();
    let att = detail["messages"][0]["attachments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = fetch_as(&s, &format!("/api/attachments/{att}"), &me, "br, gzip").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-encoding"), "");
    assert_eq!(r.body.len(), 4096);
    // Precompressed files go out as they are on disk, never encoded a second time.
    let r = fetch_as(&s, &format!("/{HASHED}"), &me, "br").await;
    assert_eq!(r.header("content-encoding"), "br");
    assert_eq!(r.body.as_ref(), b"BROTLI-BYTES");
    // A JSON file of the build is a static file, not an API answer.
    let big = format!("{{\"locale\":\"ru\",\"pad\":\"{}\"}}", "x".repeat(2000));
    std::fs::write(dist.path().join("config.json"), &big).unwrap();
    let r = fetch_as(&s, "/config.json", &me, "br").await;
    assert_eq!(r.header("content-encoding"), "");
    assert_eq!(r.body.as_ref(), big.as_bytes());
}
