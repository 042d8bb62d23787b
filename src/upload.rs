//! Multipart uploads with progress: `XMLHttpRequest`, the one place the app does not use gloo-net
//! (fetch), because `fetch` cannot report upload progress and the form shows a percentage.
//!
//! ```ignore
//! let form = web_sys::FormData::new()?;
//! upload::append_files(&form, "files", &picked.get_untracked())?;
//! let request = UploadRequest::post("/api/dialogs")
//!     .header("Idempotency-Key", key)
//!     .header("X-CSRF-Token", token);
//! let upload = Upload::start(&request, &form, move |p| progress.set(Some(p)))?;
//! let cancel = upload.canceller();           // keep for a «Отменить» button
//! match upload.finish().await { ... }       // Ok(UploadResponse { status, body }) or UploadError
//! ```
//!
//! Dropping an unfinished [`Upload`] aborts the request, so a page that unmounts does not leave a
//! request running with callbacks into freed closures.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use domain::attachments::{AcceptedFile, Candidate, Kind, Rejection};
use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{EventTarget, File, FormData, ProgressEvent, XmlHttpRequest};

/// A file the policy accepted, as the form sends it.
#[derive(Clone, Debug)]
pub struct PickedFile {
    /// Unique within the page; keys the list rows.
    pub key: u64,
    /// The browser's file, for `FormData`.
    pub file: File,
    /// Its first bytes, kept so the batch can be re-checked without reading the file again.
    pub head: Vec<u8>,
    /// The policy's verdict: name, size, fingerprint and kind.
    pub accepted: AcceptedFile,
}

impl PickedFile {
    /// The file name.
    pub fn name(&self) -> &str {
        self.accepted.name()
    }

    /// The size in bytes.
    pub fn size(&self) -> u64 {
        self.accepted.size()
    }

    /// The confirmed kind.
    pub fn kind(&self) -> Kind {
        self.accepted.kind
    }

    pub(crate) fn candidate(&self) -> Candidate<'_> {
        Candidate {
            name: self.name(),
            size: self.size(),
            head: &self.head,
            fingerprint: self.accepted.identity.fingerprint,
        }
    }
}

thread_local! {
    static DEFAULT_TIMEOUT: Cell<u32> = const { Cell::new(crate::config::DEFAULT_TIMEOUT_MS) };
}

/// The timeout [`UploadRequest::post`] starts with: the runtime configuration's `timeoutMs`
/// (set by [`crate::api::Api::new`]), so every upload honours it, also those built elsewhere.
pub fn default_timeout_ms() -> u32 {
    DEFAULT_TIMEOUT.with(Cell::get)
}

/// Sets [`default_timeout_ms`] (at least 1 s, like the configuration itself).
pub fn set_default_timeout_ms(ms: u32) {
    DEFAULT_TIMEOUT.with(|t| t.set(ms.max(1_000)));
}

/// What to send and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRequest {
    /// `POST` unless set otherwise.
    pub method: String,
    /// The endpoint, absolute or relative to the page.
    pub url: String,
    /// Extra request headers (e.g. `Idempotency-Key`, the CSRF header). Do not set
    /// `Content-Type`: the browser writes the multipart boundary itself.
    pub headers: Vec<(String, String)>,
    /// Send cookies on a cross-origin request (`xhr.withCredentials`).
    pub with_credentials: bool,
    /// Give up when nothing has moved for this many milliseconds; 0 means never.
    ///
    /// Not a limit on the whole upload, unlike the timeout of a JSON call: 50 MiB over a slow
    /// uplink legitimately takes minutes, and any fixed total either cuts such an upload off or
    /// waits far too long for a dead connection. The timer restarts with every byte that goes out
    /// (upload progress), when the body is complete, and with every byte of the answer, so it
    /// measures silence: a stalled connection, or a server that does not answer within the same
    /// time a JSON call is given once it has the whole body.
    pub timeout_ms: u32,
}

impl UploadRequest {
    /// A `POST` to `url` with the [`default_timeout_ms`], no extra headers, no cross-origin
    /// cookies.
    pub fn post(url: impl Into<String>) -> Self {
        UploadRequest {
            method: "POST".to_owned(),
            url: url.into(),
            headers: Vec::new(),
            with_credentials: false,
            timeout_ms: default_timeout_ms(),
        }
    }

    /// Adds a request header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets `withCredentials`.
    pub fn with_credentials(mut self, on: bool) -> Self {
        self.with_credentials = on;
        self
    }

    /// Sets the no-progress timeout in milliseconds (0 = none); see [`UploadRequest::timeout_ms`].
    pub fn timeout_ms(mut self, ms: u32) -> Self {
        self.timeout_ms = ms;
        self
    }
}

/// Bytes of the request body sent so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Progress {
    /// Bytes sent.
    pub loaded: u64,
    /// The body's size, when the browser knows it (it does for `FormData` of files).
    pub total: Option<u64>,
}

impl Progress {
    /// Per mille sent (0–1000), if the total is known; integer so the UI needs no float format.
    pub fn per_mille(&self) -> Option<u32> {
        let total = self.total.filter(|&t| t > 0)?;
        Some((self.loaded.min(total) * 1000 / total) as u32)
    }
}

/// How far each file of a multipart body has gone, in the order they were appended: the body is
/// sent front to back, so file *i* is done once the bytes before it and its own are sent. Part
/// headers and text fields are small and ignored, which makes this a close estimate, and the last
/// file reaches its size only when the whole body has gone.
pub fn per_file_progress(sizes: &[u64], progress: Progress) -> Vec<u64> {
    let files_total: u64 = sizes.iter().sum();
    // Scale the body's progress onto the files' bytes so the overhead does not skew the bars.
    let sent = match progress.total {
        Some(total) if total > 0 => {
            (u128::from(progress.loaded.min(total)) * u128::from(files_total) / u128::from(total))
                as u64
        }
        _ => progress.loaded.min(files_total),
    };
    let mut before = 0u64;
    sizes
        .iter()
        .map(|&size| {
            let done = sent.saturating_sub(before).min(size);
            before += size;
            done
        })
        .collect()
}

/// The server's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadResponse {
    /// The HTTP status (any: 2xx, 4xx and 5xx all arrive here).
    pub status: u16,
    /// The response body as text ("" when there is none).
    pub body: String,
    /// The `Retry-After` header (of a 429), when there is one.
    pub retry_after: Option<String>,
}

impl UploadResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The attachment rule the server applied when it refused the upload, so the seller reads the
    /// same message as for a file the drop zone refused (see [`rejection_from_response`]).
    pub fn rejection(&self) -> Option<Rejection> {
        rejection_from_response(self.status, &self.body)
    }
}

/// Maps a refused upload to the policy's [`Rejection`]: the JSON error body's `code` when it is an
/// attachment code, otherwise by status: 413 (often a proxy's body limit, so about the total) →
/// `total_too_large`, 415 → `unsupported_format`. Other statuses are not about attachments.
pub fn rejection_from_response(status: u16, body: &str) -> Option<Rejection> {
    if (200..300).contains(&status) {
        return None;
    }
    let from_code = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("code")
                .and_then(|c| c.as_str())
                .and_then(Rejection::from_code)
        });
    from_code.or(match status {
        413 => Some(Rejection::TotalTooLarge),
        415 => Some(Rejection::UnsupportedFormat),
        _ => None,
    })
}

/// Why there is no [`UploadResponse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadError {
    /// The request could not be made or the connection failed (offline, DNS, CORS, reset).
    Network,
    /// Nothing moved for the timeout (see [`UploadRequest::timeout_ms`]).
    Timeout,
    /// Cancelled with [`UploadCanceller::cancel`] (or by dropping the [`Upload`]).
    Aborted,
    /// The browser refused to set the request up (bad URL, forbidden header); the text is the
    /// browser's own, for logs.
    Setup(String),
}

/// Cancels an upload from anywhere (a button), also after [`Upload::finish`] took the upload.
#[derive(Clone, Debug)]
pub struct UploadCanceller {
    xhr: XmlHttpRequest,
}

impl UploadCanceller {
    /// Aborts the request; the upload then resolves to [`UploadError::Aborted`]. Harmless when it
    /// already finished.
    pub fn cancel(&self) {
        let _ = self.xhr.abort();
    }
}

type Listener = (&'static str, Closure<dyn FnMut()>);

/// A running upload. Await [`Upload::finish`] for the outcome.
pub struct Upload {
    xhr: XmlHttpRequest,
    promise: Promise,
    outcome: Rc<RefCell<Option<Outcome>>>,
    done: Rc<Cell<bool>>,
    listeners: Vec<Listener>,
    progress_listener: Option<Closure<dyn FnMut(ProgressEvent)>>,
    /// Listeners on `xhr.upload` other than progress.
    upload_listeners: Vec<Listener>,
    stall: Rc<StallTimer>,
}

/// The no-progress timeout of an upload (see [`UploadRequest::timeout_ms`]): a window timer
/// that every sign of life restarts; when it runs out, `fire` gives up on the request.
struct StallTimer {
    ms: u32,
    handle: Cell<Option<i32>>,
    fire: Closure<dyn FnMut()>,
}

impl StallTimer {
    fn restart(&self) {
        self.stop();
        if self.ms == 0 {
            return;
        }
        if let Some(w) = web_sys::window() {
            let ms = i32::try_from(self.ms).unwrap_or(i32::MAX);
            self.handle.set(
                w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    self.fire.as_ref().unchecked_ref(),
                    ms,
                )
                .ok(),
            );
        }
    }

    fn stop(&self) {
        if let (Some(h), Some(w)) = (self.handle.take(), web_sys::window()) {
            w.clear_timeout_with_handle(h);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Load,
    Error,
    Timeout,
    Abort,
}

fn setup_error(e: JsValue) -> UploadError {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_default();
    UploadError::Setup(text)
}

impl Upload {
    /// Opens the request, sets headers and credentials, sends `body` and starts the no-progress
    /// timer. `on_progress` is called for every upload progress event of the browser.
    pub fn start(
        request: &UploadRequest,
        body: &FormData,
        on_progress: impl FnMut(Progress) + 'static,
    ) -> Result<Upload, UploadError> {
        let xhr = XmlHttpRequest::new().map_err(setup_error)?;
        xhr.open_with_async(&request.method, &request.url, true)
            .map_err(setup_error)?;
        for (name, value) in &request.headers {
            xhr.set_request_header(name, value).map_err(setup_error)?;
        }
        // No `xhr.timeout`: it limits the whole request. The stall timer below does the job.
        xhr.set_with_credentials(request.with_credentials);

        let outcome: Rc<RefCell<Option<Outcome>>> = Rc::new(RefCell::new(None));
        let stall = Rc::new(StallTimer {
            ms: request.timeout_ms,
            handle: Cell::new(None),
            fire: Closure::<dyn FnMut()>::new({
                let xhr = xhr.clone();
                let outcome = outcome.clone();
                move || {
                    if outcome.borrow().is_none() {
                        *outcome.borrow_mut() = Some(Outcome::Timeout);
                    }
                    // Fires "abort", whose listener settles the upload (as a timeout: set above).
                    let _ = xhr.abort();
                }
            }),
        });
        let done = Rc::new(Cell::new(false));
        let resolver: Rc<RefCell<Option<Function>>> = Rc::new(RefCell::new(None));
        let promise = {
            let resolver = resolver.clone();
            Promise::new(&mut move |resolve, _reject| {
                *resolver.borrow_mut() = Some(resolve);
            })
        };

        let target: &EventTarget = xhr.unchecked_ref();
        let mut listeners: Vec<Listener> = Vec::new();
        for (event, kind) in [
            ("load", Outcome::Load),
            ("error", Outcome::Error),
            ("timeout", Outcome::Timeout),
            ("abort", Outcome::Abort),
        ] {
            let outcome = outcome.clone();
            let done = done.clone();
            let resolver = resolver.clone();
            let stall = stall.clone();
            let closure = Closure::<dyn FnMut()>::new(move || {
                stall.stop();
                // The first terminal event wins; the browser sends only one, but be sure.
                if outcome.borrow().is_none() {
                    *outcome.borrow_mut() = Some(kind);
                }
                done.set(true);
                if let Some(resolve) = resolver.borrow_mut().take() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            });
            target
                .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
                .map_err(setup_error)?;
            listeners.push((event, closure));
        }
        // Signs of life of the answer: headers arriving, bytes of the body arriving.
        for event in ["readystatechange", "progress"] {
            let stall = stall.clone();
            let closure = Closure::<dyn FnMut()>::new(move || stall.restart());
            target
                .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
                .map_err(setup_error)?;
            listeners.push((event, closure));
        }

        let mut upload_listeners: Vec<Listener> = Vec::new();
        let progress_listener = match xhr.upload() {
            Ok(upload) => {
                let mut on_progress = on_progress;
                let restart = stall.clone();
                let closure = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
                    restart.restart();
                    on_progress(progress_of(&e));
                });
                let upload_target: &EventTarget = upload.unchecked_ref();
                upload_target
                    .add_event_listener_with_callback("progress", closure.as_ref().unchecked_ref())
                    .map_err(setup_error)?;
                // The last byte went out: from here the server has the same time to answer.
                let restart = stall.clone();
                let sent = Closure::<dyn FnMut()>::new(move || restart.restart());
                upload_target
                    .add_event_listener_with_callback("load", sent.as_ref().unchecked_ref())
                    .map_err(setup_error)?;
                upload_listeners.push(("load", sent));
                Some(closure)
            }
            // Without an upload object there is no progress to report; the upload still works.
            Err(_) => None,
        };

        let upload = Upload {
            xhr,
            promise,
            outcome,
            done,
            listeners,
            progress_listener,
            upload_listeners,
            stall,
        };
        // On failure `upload` drops here, which removes the listeners again.
        upload
            .xhr
            .send_with_opt_form_data(Some(body))
            .map_err(|_| UploadError::Network)?;
        upload.stall.restart();
        Ok(upload)
    }

    /// A handle that cancels this upload.
    pub fn canceller(&self) -> UploadCanceller {
        UploadCanceller {
            xhr: self.xhr.clone(),
        }
    }

    /// Waits for the outcome: any HTTP answer is `Ok` (check [`UploadResponse::status`]).
    pub async fn finish(self) -> Result<UploadResponse, UploadError> {
        // The promise only ever resolves; its value is unused, the outcome cell says what happened.
        let _ = JsFuture::from(self.promise.clone()).await;
        let outcome = *self.outcome.borrow();
        match outcome {
            Some(Outcome::Load) => {
                let status = self.xhr.status().map_err(|_| UploadError::Network)?;
                // A "load" with status 0 happens for some blocked requests: no answer came.
                if status == 0 {
                    return Err(UploadError::Network);
                }
                let body = self.xhr.response_text().ok().flatten().unwrap_or_default();
                let retry_after = self.xhr.get_response_header("Retry-After").ok().flatten();
                Ok(UploadResponse {
                    status,
                    body,
                    retry_after,
                })
            }
            Some(Outcome::Timeout) => Err(UploadError::Timeout),
            Some(Outcome::Abort) => Err(UploadError::Aborted),
            Some(Outcome::Error) | None => Err(UploadError::Network),
        }
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        self.stall.stop();
        if !self.done.get() {
            let _ = self.xhr.abort();
        }
        // Detach before the closures are freed: a late event must not call a dropped closure.
        let target: &EventTarget = self.xhr.unchecked_ref();
        for (event, closure) in &self.listeners {
            let _ =
                target.remove_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
        }
        if let Ok(upload) = self.xhr.upload() {
            let upload_target: &EventTarget = upload.unchecked_ref();
            if let Some(closure) = &self.progress_listener {
                let _ = upload_target.remove_event_listener_with_callback(
                    "progress",
                    closure.as_ref().unchecked_ref(),
                );
            }
            for (event, closure) in &self.upload_listeners {
                let _ = upload_target
                    .remove_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
            }
        }
    }
}

fn progress_of(e: &ProgressEvent) -> Progress {
    Progress {
        loaded: f64_to_u64(e.loaded()),
        total: e.length_computable().then(|| f64_to_u64(e.total())),
    }
}

/// Browser byte counts arrive as `f64`; NaN and negatives become 0 instead of wrapping.
pub(crate) fn f64_to_u64(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        // `as` saturates at u64::MAX for larger values.
        x as u64
    } else {
        0
    }
}

/// Appends the accepted files to `form` under `field`, each with its own file name.
pub fn append_files(form: &FormData, field: &str, files: &[PickedFile]) -> Result<(), UploadError> {
    for picked in files {
        form.append_with_blob_and_filename(field, &picked.file, picked.name())
            .map_err(setup_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_file_progress_fills_files_front_to_back() {
        let sizes = [100, 300, 600];
        let p = |loaded, total| Progress {
            loaded,
            total: Some(total),
        };
        // The body is twice the files' bytes (say, large headers): halfway through the body is
        // halfway through the files.
        assert_eq!(per_file_progress(&sizes, p(0, 2000)), [0, 0, 0]);
        assert_eq!(per_file_progress(&sizes, p(1000, 2000)), [100, 300, 100]);
        assert_eq!(per_file_progress(&sizes, p(2000, 2000)), [100, 300, 600]);
        // Overshoot and unknown totals stay within the sizes.
        assert_eq!(per_file_progress(&sizes, p(5000, 2000)), [100, 300, 600]);
        let unknown = Progress {
            loaded: 250,
            total: None,
        };
        assert_eq!(per_file_progress(&sizes, unknown), [100, 150, 0]);
        assert!(per_file_progress(&[], p(10, 10)).is_empty());
    }

    #[test]
    fn per_mille_is_bounded_and_needs_a_total() {
        let p = Progress {
            loaded: 50,
            total: Some(200),
        };
        assert_eq!(p.per_mille(), Some(250));
        let over = Progress {
            loaded: 500,
            total: Some(200),
        };
        assert_eq!(over.per_mille(), Some(1000));
        assert_eq!(
            Progress {
                loaded: 5,
                total: None
            }
            .per_mille(),
            None
        );
        assert_eq!(
            Progress {
                loaded: 5,
                total: Some(0)
            }
            .per_mille(),
            None
        );
    }

    #[test]
    fn refused_uploads_map_to_the_policy_messages() {
        let body = r#"{"code":"too_large","message":"Файл больше 10 МБ","field":"files"}"#;
        assert_eq!(
            rejection_from_response(413, body),
            Some(Rejection::TooLarge)
        );
        assert_eq!(
            rejection_from_response(415, r#"{"code":"content_mismatch"}"#),
            Some(Rejection::ContentMismatch)
        );
        assert_eq!(
            rejection_from_response(422, r#"{"code":"duplicate"}"#),
            Some(Rejection::Duplicate)
        );
        // A proxy's HTML 413 page carries no code: it is about the request's size.
        assert_eq!(
            rejection_from_response(413, "<html>Request Entity Too Large</html>"),
            Some(Rejection::TotalTooLarge)
        );
        assert_eq!(
            rejection_from_response(415, ""),
            Some(Rejection::UnsupportedFormat)
        );
        // Other errors are not about attachments.
        assert_eq!(
            rejection_from_response(422, r#"{"code":"comment_empty"}"#),
            None
        );
        assert_eq!(rejection_from_response(500, ""), None);
        assert_eq!(
            rejection_from_response(201, r#"{"code":"too_large"}"#),
            None
        );
    }

    #[test]
    fn byte_counts_from_the_browser_never_wrap() {
        assert_eq!(f64_to_u64(f64::NAN), 0);
        assert_eq!(f64_to_u64(-1.0), 0);
        assert_eq!(f64_to_u64(10_485_760.0), 10_485_760);
        assert_eq!(f64_to_u64(f64::INFINITY), 0);
    }
}
