//! Serving the built app: SPA fallback, precompressed files, cache and security headers.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const HASHED: &str = "seller-support-0123456789abcdef.js";

fn dist_server(frame_ancestors: Option<&str>) -> (TestServer, tempfile::TempDir) {
    let dist = tempfile::tempdir().unwrap();
    let d = dist.path();
    std::fs::write(d.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(d.join(HASHED), "console.log('plain')").unwrap();
    std::fs::write(d.join(format!("{HASHED}.br")), "BROTLI-BYTES").unwrap();
    std::fs::write(d.join(format!("{HASHED}.gz")), "GZIP-BYTES").unwrap();
    std::fs::write(d.join("config.json"), "{}").unwrap();
    let path = d.to_path_buf();
    let fa = frame_ancestors.map(str::to_string);
    let s = TestServer::with(move |c| {
        c.dist = Some(path);
        if let Some(fa) = fa {
            c.frame_ancestors = fa;
        }
    });
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
    let (s, _dist) = dist_server(None);
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
    let (s, _dist) = dist_server(None);
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
    let (s, _dist) = dist_server(Some("'self' https://seller.example"));
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
    let (s, _dist) = dist_server(None);
    let r = fetch(&s, "/", None).await;
    assert!(
        r.header("content-security-policy")
            .ends_with("frame-ancestors 'self'")
    );
}

#[tokio::test]
async fn without_dist_only_the_api_answers() {
    let s = TestServer::new();
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
