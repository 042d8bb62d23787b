//! The typed HTTP client of the support API.
//!
//! Every failure becomes an [`ApiError`] the pages can show with a retry: the network being down,
//! a timeout, an error answer from the server, or a body that does not parse. Nothing here panics on
//! what the network sends.

use crate::config::{Auth, Config};
use gloo_net::http::{Method, RequestBuilder};
use send_wrapper::SendWrapper;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

mod latest;
pub use latest::Latest;

/// Why a request did not produce the expected value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The request never reached the server (offline, DNS, CORS, connection reset).
    Network,
    /// No answer within the configured timeout.
    Timeout,
    /// The server answered with an error status; `code`/`message`/`field` come from its JSON body
    /// when it sent one.
    Http {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
    /// A 2xx answer whose body is not what the API promises.
    Malformed,
    /// 429: too many requests for now; `retry_after_s` is the server's `Retry-After` in seconds
    /// from now, when it sent a readable one.
    TooManyRequests { retry_after_s: Option<u64> },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            ApiError::TooManyRequests { .. } => Some(429),
            _ => None,
        }
    }

    /// The message to show: the server's own words for 4xx (they explain what to fix), a generic
    /// sentence for everything else (5xx bodies may be proxies' HTML or internals).
    pub fn message(&self, t: &crate::i18n::Strings) -> String {
        match self {
            ApiError::Network => t.error_network.to_string(),
            ApiError::Timeout => t.error_timeout.to_string(),
            ApiError::Malformed => t.error_malformed.to_string(),
            ApiError::Http { status: 401, .. } => t.error_unauthorized.to_string(),
            ApiError::TooManyRequests { retry_after_s } => {
                crate::i18n::errors::too_many_requests(t.locale, *retry_after_s)
            }
            ApiError::Http {
                status,
                code,
                message,
                field,
            } if (400..500).contains(status) => {
                let english = (t.locale == crate::i18n::Locale::En)
                    .then(|| crate::i18n::errors::api_message_en(code, field.as_deref(), message))
                    .flatten();
                match english {
                    Some(m) => m,
                    None if !message.is_empty() => message.clone(),
                    None => format!("{} ({status})", t.error_server),
                }
            }
            ApiError::Http { status, .. } => format!("{} ({status})", t.error_server),
        }
    }
}

pub use domain::api::{CSRF_HEADER, CSRF_VALUE};
use domain::api::{DialogDetail, DialogPage, DialogView, Health, ListQuery, ResolveRequest};
use domain::catalog::Catalog;

const LOGIN_IDLE: u8 = 0;
const LOGIN_RUNNING: u8 = 1;
const LOGIN_GAVE_UP: u8 = 2;

/// Resolves after `ms` milliseconds (at once outside a browser window).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The API client; cheap to clone, shared through context.
#[derive(Clone)]
pub struct Api {
    // Arc, not Rc: context values must be Send + Sync (the app itself is single-threaded).
    config: Arc<Config>,
    /// State of the demo login: [`LOGIN_IDLE`], [`LOGIN_RUNNING`] or [`LOGIN_GAVE_UP`].
    demo_login: Arc<AtomicU8>,
    /// Aborts this client's requests when it fires ([`Api::with_signal`]). Wrapped because
    /// context values must be `Send`; the app only ever runs on the browser's one thread.
    signal: Option<SendWrapper<AbortSignal>>,
}

impl Api {
    /// The client for `config`. Also makes the configured `timeoutMs` the no-progress timeout of
    /// every upload ([`crate::upload::set_default_timeout_ms`]), including requests built with
    /// [`crate::upload::UploadRequest::post`] directly.
    pub fn new(config: Config) -> Self {
        crate::upload::set_default_timeout_ms(config.timeout_ms);
        Api {
            config: Arc::new(config),
            demo_login: Arc::new(AtomicU8::new(LOGIN_IDLE)),
            signal: None,
        }
    }

    /// This client with its requests aborted once `signal` fires (see [`Latest`]); an aborted
    /// request ends as [`ApiError::Network`]. The demo login is never aborted: it is shared by
    /// every request that met the 401, not owned by this one.
    pub fn with_signal(&self, signal: Option<AbortSignal>) -> Api {
        Api {
            signal: signal.map(SendWrapper::new),
            ..self.clone()
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `GET /api/health`.
    pub async fn health(&self) -> Result<Health, ApiError> {
        self.get("/api/health").await
    }

    /// Makes sure a session exists (logging in to a demo server if needed); false when the
    /// server could not confirm one.
    pub async fn ensure_session(&self) -> bool {
        self.session().await.is_ok()
    }

    /// `GET /api/session`: who is logged in (logging in to a demo server if needed).
    pub async fn session(&self) -> Result<domain::api::Session, ApiError> {
        self.get("/api/session").await
    }

    /// `GET /api/catalog`.
    pub async fn catalog(&self) -> Result<Catalog, ApiError> {
        self.get("/api/catalog").await
    }

    /// `GET /api/dialogs?…`.
    pub async fn dialogs(&self, query: &ListQuery) -> Result<DialogPage, ApiError> {
        let qs = query.to_query_string();
        let path = if qs.is_empty() {
            "/api/dialogs".to_string()
        } else {
            format!("/api/dialogs?{qs}")
        };
        self.get(&path).await
    }

    /// `GET /api/dialogs/{id}` (never marks it read: see [`Api::mark_read`]).
    pub async fn dialog(&self, id: u64) -> Result<DialogView, ApiError> {
        self.get(&format!("/api/dialogs/{id}")).await
    }

    /// `POST /api/dialogs/{id}/read`: the seller has seen the dialog's answers (204).
    pub async fn mark_read(&self, id: u64) -> Result<(), ApiError> {
        self.send::<Option<()>>("POST", &format!("/api/dialogs/{id}/read"), None)
            .await
            .map(|_| ())
    }

    /// `POST /api/dialogs/{id}/resolve`: «Вопрос решён» with a rating.
    pub async fn resolve(&self, id: u64, body: &ResolveRequest) -> Result<DialogDetail, ApiError> {
        self.post_json(&format!("/api/dialogs/{id}/resolve"), body)
            .await
    }

    /// A multipart upload to `path` (XHR, for progress) that authenticates like every other call:
    /// the CSRF header, the cookie or the bearer token, JSON accepted, the configured timeout
    /// (as a no-progress timeout, see [`crate::upload::UploadRequest::timeout_ms`]).
    pub fn upload_request(&self, path: &str) -> crate::upload::UploadRequest {
        let mut request = crate::upload::UploadRequest::post(self.url(path))
            .header(CSRF_HEADER, CSRF_VALUE)
            .header("Accept", "application/json")
            .with_credentials(true)
            .timeout_ms(self.config.timeout_ms);
        for (name, value) in self.auth_headers() {
            request = request.header(name, value);
        }
        request
    }

    /// Full URL of a download, for `<a href>`.
    pub fn url(&self, path: &str) -> String {
        self.config.api_url(path)
    }

    /// `GET path` → JSON.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.send("GET", path, None).await
    }

    /// `POST path` with a JSON body → JSON.
    pub async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let text = serde_json::to_string(body).map_err(|_| ApiError::Malformed)?;
        self.send("POST", path, Some(text)).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        json_body: Option<String>,
    ) -> Result<T, ApiError> {
        let first = self.fetch_text(method, path, json_body.as_deref()).await;
        let (status, text) = match first {
            Err(ApiError::Http { status: 401, .. }) if self.try_demo_login().await => {
                self.fetch_text(method, path, json_body.as_deref()).await?
            }
            other => other?,
        };
        parse_body(status, &text)
    }

    /// In demo mode the reference server accepts a login by name; real cabinets own their sessions.
    /// Requests that get a 401 at the same time (the list and the header counter on a first visit)
    /// share one login instead of racing: the others wait for it and then retry.
    async fn try_demo_login(&self) -> bool {
        match self.demo_login.compare_exchange(
            LOGIN_IDLE,
            LOGIN_RUNNING,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => {}
            Err(LOGIN_RUNNING) => {
                // Bounded wait: a login that hangs must not hang every request behind it.
                for _ in 0..200 {
                    sleep_ms(50).await;
                    if self.demo_login.load(Ordering::Acquire) != LOGIN_RUNNING {
                        break;
                    }
                }
                return self.demo_login.load(Ordering::Acquire) == LOGIN_IDLE;
            }
            Err(_) => return false,
        }
        let shared = self.with_signal(None);
        let demo = match shared.fetch_text("GET", "/api/health", None).await {
            Ok((status, body)) => parse_body::<Health>(status, &body).is_ok_and(|h| h.demo),
            Err(_) => false,
        };
        let ok = demo
            && shared
                .fetch_text("POST", "/api/dev/login", Some(r#"{"seller":"demo"}"#))
                .await
                .is_ok();
        // After a success a later 401 (e.g. the server restarted) may log in again; a server that
        // is not in demo mode is never asked again.
        self.demo_login.store(
            if ok { LOGIN_IDLE } else { LOGIN_GAVE_UP },
            Ordering::Release,
        );
        ok
    }

    /// Sends a request and returns the status and body of a 2xx answer; other statuses become
    /// [`ApiError::Http`] with the server's JSON error when there is one. `method` is `GET`,
    /// `POST`, `PUT`, `PATCH` or `DELETE`; anything else is sent as `GET`.
    pub async fn fetch_text(
        &self,
        method: &str,
        path: &str,
        json_body: Option<&str>,
    ) -> Result<(u16, String), ApiError> {
        let outer = self.signal.as_deref();
        // An answer nobody waits for any more is not even asked for.
        if outer.is_some_and(AbortSignal::aborted) {
            return Err(ApiError::Network);
        }
        let window = web_sys::window().ok_or(ApiError::Network)?;
        let mut request = RequestBuilder::new(&self.config.api_url(path))
            .header("Accept", "application/json")
            .header(CSRF_HEADER, CSRF_VALUE)
            .credentials(web_sys::RequestCredentials::Include);
        // The methods the API has, as constants: `Method::from_bytes` would bring in the `http`
        // crate's parser for a string we always write ourselves.
        request = request.method(match method {
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            _ => Method::GET,
        });
        for (name, value) in self.auth_headers() {
            request = request.header(name, &value);
        }
        if json_body.is_some() {
            request = request.header("Content-Type", "application/json");
        }

        // One signal per request, aborted by the timer and by the caller's signal (a newer request
        // superseded this one): fetch takes a single signal, and only ours tells a timeout apart.
        let controller = AbortController::new().ok();
        let request = request.abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
        let timed_out = Rc::new(Cell::new(false));
        let timer = controller.as_ref().and_then(|c| {
            let c = c.clone();
            let flag = timed_out.clone();
            let cb = Closure::once_into_js(move || {
                flag.set(true);
                c.abort();
            });
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    cb.unchecked_ref(),
                    self.config.timeout_ms as i32,
                )
                .ok()
        });
        let _link = outer
            .zip(controller.as_ref())
            .map(|(outer, c)| AbortLink::new(outer, c));

        let result = async {
            let request = match json_body {
                Some(body) => request.body(body),
                None => request.build(),
            }
            .map_err(|_| ApiError::Network)?;
            let resp = request.send().await.map_err(|_| ApiError::Network)?;
            let status = resp.status();
            if status == 429 {
                return Err(too_many_requests(
                    resp.headers().get("Retry-After").as_deref(),
                ));
            }
            // A body cut off mid-way (connection lost, aborted) is a network failure, not an
            // empty answer.
            let text = resp.text().await.map_err(|_| ApiError::Network)?;
            if (200..300).contains(&status) {
                Ok((status, text))
            } else {
                Err(http_error(status, &text))
            }
        }
        .await;
        if let Some(id) = timer {
            window.clear_timeout_with_handle(id);
        }
        match result {
            Err(ApiError::Network) if timed_out.get() => Err(ApiError::Timeout),
            other => other,
        }
    }

    /// Headers that authenticate a request beyond the cookie, for XHR uploads too.
    pub fn auth_headers(&self) -> Vec<(&'static str, String)> {
        match &self.config.auth {
            Auth::Bearer(token) => vec![("Authorization", format!("Bearer {token}"))],
            Auth::Cookie => Vec::new(),
        }
    }
}

/// The error of a refused upload, as a JSON call would report it. Here rather than in
/// `upload.rs`, so that the upload, which this client builds, does not import the client back.
impl From<&crate::upload::UploadResponse> for ApiError {
    fn from(response: &crate::upload::UploadResponse) -> ApiError {
        if response.status == 429 {
            too_many_requests(response.retry_after.as_deref())
        } else {
            http_error(response.status, &response.body)
        }
    }
}

/// Aborts `inner` when `outer` fires, for as long as it lives.
struct AbortLink {
    outer: AbortSignal,
    listener: Closure<dyn FnMut()>,
}

impl AbortLink {
    fn new(outer: &AbortSignal, inner: &AbortController) -> AbortLink {
        let inner = inner.clone();
        let listener = Closure::<dyn FnMut()>::new(move || inner.abort());
        let _ = outer.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        AbortLink {
            outer: outer.clone(),
            listener,
        }
    }
}

impl Drop for AbortLink {
    fn drop(&mut self) {
        // Detach before the closure is freed: a signal that fires later must not call it.
        let _ = self
            .outer
            .remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// Parses a 2xx body; an empty body parses as JSON `null` so `()`-like answers work.
pub fn parse_body<T: DeserializeOwned>(_status: u16, text: &str) -> Result<T, ApiError> {
    let text = if text.trim().is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(|_| ApiError::Malformed)
}

/// The error for a 429 answer with the `Retry-After` header `header` (seconds or an HTTP date).
pub fn too_many_requests(header: Option<&str>) -> ApiError {
    let now = js_sys::Date::now();
    ApiError::TooManyRequests {
        retry_after_s: header
            .and_then(|h| retry_after_secs(h, now, |d| Some(js_sys::Date::parse(d)))),
    }
}

/// Seconds to wait from a `Retry-After` value: delay-seconds, or an HTTP date compared with
/// `now_ms` (a date already past means «now», 0). `None` for anything unreadable.
pub fn retry_after_secs(
    value: &str,
    now_ms: f64,
    parse_date: impl Fn(&str) -> Option<f64>,
) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    if value.is_empty()
        || value
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return None;
    }
    let at = parse_date(value).filter(|ms| ms.is_finite())?;
    Some(((at - now_ms) / 1000.0).ceil().max(0.0) as u64)
}

/// Builds the error for a non-2xx answer, reading the API's `{code, message, field}` when present.
pub fn http_error(status: u16, body: &str) -> ApiError {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
        #[serde(default)]
        field: Option<String>,
    }
    match serde_json::from_str::<Body>(body) {
        Ok(b) => ApiError::Http {
            status,
            code: b.code,
            message: b.message,
            field: b.field,
        },
        Err(_) => ApiError::Http {
            status,
            code: String::new(),
            message: String::new(),
            field: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn error_bodies_are_read_when_json_and_ignored_otherwise() {
        let e = http_error(
            422,
            r#"{"code":"too_large","message":"Файл больше 10 МБ","field":"files"}"#,
        );
        assert_eq!(e.status(), Some(422));
        assert_eq!(e.message(Locale::Ru.strings()), "Файл больше 10 МБ");
        let html = http_error(502, "<html>Bad gateway</html>");
        assert_eq!(
            html.message(Locale::Ru.strings()),
            "Сервер поддержки ответил ошибкой. (502)"
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        let date = |d: &str| (d == "Wed, 21 Oct 2026 07:28:00 GMT").then_some(1_000_000.0);
        assert_eq!(retry_after_secs("120", 0.0, date), Some(120));
        assert_eq!(retry_after_secs(" 0 ", 0.0, date), Some(0));
        assert_eq!(
            retry_after_secs("Wed, 21 Oct 2026 07:28:00 GMT", 900_500.0, date),
            Some(100)
        );
        assert_eq!(
            retry_after_secs("Wed, 21 Oct 2026 07:28:00 GMT", 2_000_000.0, date),
            Some(0)
        );
        for bad in ["", "-5", "1.5", "soon", "99999999999999999999999"] {
            assert_eq!(retry_after_secs(bad, 0.0, date), None, "{bad:?}");
        }
    }

    #[test]
    fn malformed_success_bodies_are_errors_not_panics() {
        let r: Result<Vec<u32>, _> = parse_body(200, "{not json");
        assert_eq!(r, Err(ApiError::Malformed));
        let ok: Result<Option<u32>, _> = parse_body(204, "");
        assert_eq!(ok, Ok(None));
    }
}
