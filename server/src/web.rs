//! Serving the built app (`--dist`): precompressed files, cache headers, the SPA fallback, and
//! the security headers every response gets.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::api::codes;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The Content-Security-Policy for a given `frame-ancestors` value. `'wasm-unsafe-eval'` is what
/// `WebAssembly.instantiateStreaming` needs; nothing else is loosened.
pub fn csp(frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// Adds CSP, nosniff and Referrer-Policy to every response that does not set its own, and
/// `Cache-Control: no-store` to API responses.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // API answers are per-seller data: never store them in shared or browser caches.
    if api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(v) = HeaderValue::from_str(&csp(&state.config.frame_ancestors))
    {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    res
}

/// True for file names that carry a content hash (Trunk writes `app-1a2b3c4d5e6f7a8b.js`,
/// `app-1a2b3c4d5e6f7a8b_bg.wasm`, `style-….css`): such a file never changes under its name,
/// so it may be cached forever.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

fn has_extension(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|f| f.contains('.'))
}

/// Fallback of the whole router: unknown `/api` paths are JSON 404s; everything else is a file
/// of `--dist`, or `index.html` for extension-less paths (client-side routes like `/dialogs/1`).
pub async fn static_or_spa(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if path == "/api" || path.starts_with("/api/") {
        return AppError::not_found().into_response();
    }
    let Some(dist) = state.config.dist.clone() else {
        return AppError::not_found().into_response();
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return AppError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            codes::METHOD_NOT_ALLOWED,
            crate::messages::METHOD_NOT_ALLOWED,
        )
        .into_response();
    }
    let index = dist.join("index.html");
    let serve_dir = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    let (parts, body) = req.into_parts();
    let headers = parts.headers.clone();
    let spa_req = Request::from_parts(parts.clone(), axum::body::Body::empty());
    let req = Request::from_parts(parts, body);
    let mut res = match serve_dir.oneshot(req).await {
        Ok(r) => r.map(axum::body::Body::new),
        Err(never) => match never {},
    };
    let mut served_index = path.ends_with('/') || path.ends_with("index.html");
    if res.status() == StatusCode::NOT_FOUND && !has_extension(&path) {
        let file = ServeFile::new(&index)
            .precompressed_br()
            .precompressed_gzip();
        res = match file.oneshot(spa_req).await {
            Ok(r) => r.map(axum::body::Body::new),
            Err(never) => match never {},
        };
        served_index = true;
    }
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let cache = if !served_index && is_hashed_asset(&path) {
            "public, max-age=31536000, immutable"
        } else {
            // index.html, config.json and other unhashed files: revalidate every time.
            "no-cache"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        if served_index && state.config.demo {
            match crate::auth::demo_page_session(&state, &headers).await {
                Ok(Some(cookie)) => {
                    let h = res.headers_mut();
                    h.insert(header::SET_COOKIE, cookie);
                    // A response that logs someone in is that browser's alone.
                    h.insert(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("private, no-cache"),
                    );
                }
                Ok(None) => {}
                // The page still works: the app falls back to its own demo login.
                Err(e) => tracing::warn!(error = %e.body.message, "demo page session failed"),
            }
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_asset_names() {
        assert!(is_hashed_asset("/seller-support-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/seller-support-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/assets/style-0123abcd.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/seller-support.js"));
        assert!(!is_hashed_asset("/logo-dark.svg"));
    }
}
