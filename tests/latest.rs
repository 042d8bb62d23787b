//! The API client on gloo-net and "the latest answer only" ([`Latest`]): a superseded request is
//! aborted (its signal fires and the stand-in `fetch` sees it), its answer is dropped, the page's
//! cleanup aborts what is still running; and the client's error mapping (429 with Retry-After,
//! malformed bodies, network failures, timeouts) through a stand-in `fetch`.

use leptos::prelude::*;
use seller_support::api::{Api, ApiError, Latest};
use seller_support::config::Config;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
let plan = [];
export const log = [];
// Each call takes the next step of the plan: an answer, a hang (until aborted), or a failure.
export function mock(steps) {
  plan = JSON.parse(steps); log.length = 0;
  window.fetch = (req) => {
    const step = plan.shift() || { status: 404, body: '' };
    const entry = { url: req.url, method: req.method, aborted: false,
      headers: Object.fromEntries(req.headers.entries()), credentials: req.credentials };
    log.push(entry);
    return new Promise((resolve, reject) => {
      const abort = () => { entry.aborted = true; reject(new DOMException('aborted', 'AbortError')); };
      if (req.signal.aborted) return abort();
      req.signal.addEventListener('abort', abort);
      if (step.fail) return reject(new TypeError('Failed to fetch'));
      if (step.hang) return;
      setTimeout(() => resolve(new Response(step.body,
        { status: step.status, headers: step.headers || {} })), step.delay || 0);
    });
  };
}
export function log_json() { return JSON.stringify(log); }
"#)]
extern "C" {
    fn mock(steps: &str);
    fn log_json() -> String;
}

fn log() -> serde_json::Value {
    serde_json::from_str(&log_json()).expect("log")
}

fn api(timeout_ms: u32) -> Api {
    Api::new(Config {
        timeout_ms,
        ..Config::default()
    })
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn json_requests_carry_credentials_headers_and_parse_answers() {
    mock(r#"[{"status":200,"body":"{\"status\":\"ok\",\"demo\":false,\"version\":\"1\"}"}]"#);
    let health = api(15_000).health().await.expect("health");
    assert!(!health.demo);
    let call = &log()[0];
    assert!(
        call["url"].as_str().unwrap().ends_with("/api/health"),
        "{call}"
    );
    assert_eq!(call["method"], "GET");
    assert_eq!(call["credentials"], "include");
    assert_eq!(call["headers"]["accept"], "application/json");
    assert!(call["headers"]["x-requested-with"].is_string(), "{call}");
}

#[wasm_bindgen_test]
async fn errors_map_to_api_errors() {
    mock(
        r#"[{"status":429,"body":"{}","headers":{"Retry-After":"12"}},
            {"status":200,"body":"{not json"},
            {"fail":true},
            {"status":422,"body":"{\"code\":\"too_large\",\"message\":\"Файл больше\",\"field\":\"files\"}"}]"#,
    );
    let api = api(15_000);
    assert_eq!(
        api.health().await,
        Err(ApiError::TooManyRequests {
            retry_after_s: Some(12)
        })
    );
    assert_eq!(api.health().await, Err(ApiError::Malformed));
    assert_eq!(api.health().await, Err(ApiError::Network));
    assert_eq!(
        api.health().await,
        Err(ApiError::Http {
            status: 422,
            code: "too_large".into(),
            message: "Файл больше".into(),
            field: Some("files".into()),
        })
    );
}

#[wasm_bindgen_test]
async fn a_request_that_hangs_times_out_and_is_aborted() {
    mock(r#"[{"hang":true}]"#);
    // Config::default() keeps timeouts of at least a second.
    let started = js_sys::Date::now();
    assert_eq!(api(1_000).health().await, Err(ApiError::Timeout));
    assert!(js_sys::Date::now() - started < 5_000.0);
    assert_eq!(log()[0]["aborted"], true);
}

#[wasm_bindgen_test]
async fn a_superseded_request_is_aborted_and_only_the_latest_answer_counts() {
    mock(
        r#"[{"status":200,"body":"{\"status\":\"ok\",\"demo\":false,\"version\":\"1\"}","delay":300},
            {"status":200,"body":"{\"status\":\"ok\",\"demo\":true,\"version\":\"1\"}","delay":10}]"#,
    );
    let owner = Owner::new();
    let latest = owner.with(Latest::new);
    let first = {
        let api = api(15_000);
        async move {
            latest
                .run(|signal| async move { api.with_signal(signal).health().await })
                .await
        }
    };
    let second = {
        let api = api(15_000);
        async move {
            sleep(20).await;
            latest
                .run(|signal| async move { api.with_signal(signal).health().await })
                .await
        }
    };
    let (first, second) = futures_join(first, second).await;
    assert_eq!(first, None, "the superseded answer is dropped");
    assert!(second.expect("latest").expect("health").demo);
    let log = log();
    assert_eq!(log[0]["aborted"], true, "{log}");
    assert_eq!(log[1]["aborted"], false, "{log}");
    assert!(!latest.running());
}

#[wasm_bindgen_test]
async fn cancel_and_cleanup_abort_what_is_running() {
    mock(r#"[{"hang":true},{"hang":true}]"#);
    let owner = Owner::new();
    let latest = owner.with(Latest::new);
    let run = |latest: Latest| async move {
        let api = api(15_000);
        latest
            .run(|signal| async move { api.with_signal(signal).health().await })
            .await
    };
    let cancelled = futures_join(run(latest), async move {
        sleep(20).await;
        assert!(latest.running());
        latest.cancel();
    })
    .await
    .0;
    assert_eq!(cancelled, None);
    // The page is left while a request runs: the owner's cleanup aborts it.
    let left = futures_join(run(latest), async move {
        sleep(20).await;
        owner.cleanup();
    })
    .await
    .0;
    assert_eq!(left, None);
    let log = log();
    assert_eq!(log[0]["aborted"], true, "{log}");
    assert_eq!(log[1]["aborted"], true, "{log}");
}

#[wasm_bindgen_test]
async fn an_already_aborted_signal_sends_nothing() {
    mock(r#"[]"#);
    let controller = web_sys::AbortController::new().expect("controller");
    controller.abort();
    let result = api(15_000)
        .with_signal(Some(controller.signal()))
        .health()
        .await;
    assert_eq!(result, Err(ApiError::Network));
    assert_eq!(log().as_array().map(Vec::len), Some(0));
}

/// Both futures to completion, on the browser's one thread.
async fn futures_join<A, B>(
    a: impl std::future::Future<Output = A> + 'static,
    b: impl std::future::Future<Output = B> + 'static,
) -> (A, B)
where
    A: 'static,
    B: 'static,
{
    let out_b = std::rc::Rc::new(std::cell::RefCell::new(None));
    let done = {
        let out_b = out_b.clone();
        let (tx, rx) = futures_channel_oneshot();
        wasm_bindgen_futures::spawn_local(async move {
            *out_b.borrow_mut() = Some(b.await);
            tx();
        });
        rx
    };
    let a = a.await;
    done.await;
    let b = out_b.borrow_mut().take().expect("second future finished");
    (a, b)
}

/// A one-shot "done" signal without another dependency: a promise and its resolver.
fn futures_channel_oneshot() -> (impl FnOnce(), impl std::future::Future<Output = ()>) {
    let mut resolve_fn = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| resolve_fn = Some(resolve));
    let resolve = resolve_fn.expect("resolver");
    (
        move || {
            let _ = resolve.call0(&JsValue::NULL);
        },
        async move {
            let _ = JsFuture::from(promise).await;
        },
    )
}
