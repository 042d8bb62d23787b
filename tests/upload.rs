//! The XHR upload helper in a real browser, against the test runner's own HTTP server (same
//! origin) and a closed port.
//!
//! `cargo test --target wasm32-unknown-unknown --test upload` (chromedriver on PATH).

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use seller_support::upload::{Progress, Upload, UploadError, UploadRequest};
use wasm_bindgen_test::*;
use web_sys::{File, FormData};

wasm_bindgen_test_configure!(run_in_browser);

fn form_with(bytes: u32) -> FormData {
    let form = FormData::new().expect("FormData");
    let body = Uint8Array::new_with_length(bytes);
    let file = File::new_with_u8_array_sequence(&Array::of1(&body), "a.pdf").expect("File");
    form.append_with_blob_and_filename("files", &file, "a.pdf")
        .expect("append");
    form.append_with_str("comment", "проверка").expect("append");
    form
}

fn same_origin(path: &str) -> String {
    let origin = web_sys::window()
        .expect("window")
        .location()
        .origin()
        .expect("origin");
    format!("{origin}{path}")
}

#[wasm_bindgen_test]
async fn an_answer_of_any_status_is_a_response_and_progress_is_reported() {
    let seen: Rc<RefCell<Vec<Progress>>> = Rc::default();
    let sink = seen.clone();
    let request = UploadRequest::post(same_origin("/no-such-endpoint"))
        .header("Idempotency-Key", "k-1")
        .header("X-CSRF-Token", "1");
    let upload = Upload::start(&request, &form_with(2 << 20), move |p| {
        sink.borrow_mut().push(p)
    })
    .expect("started");
    let response = upload.finish().await.expect("an HTTP answer");
    // The runner's static server knows no such path; what matters is that a non-2xx status
    // arrives as a response, not as an error.
    assert!(response.status >= 400, "status {}", response.status);
    assert!(!response.is_success());
    let seen = seen.borrow();
    assert!(!seen.is_empty(), "upload progress events were reported");
    let last = seen.last().copied().expect("one");
    let total = last
        .total
        .expect("the browser knows a FormData body's size");
    assert!(total > 2 << 20, "body includes the 2 MiB file: {total}");
    assert_eq!(last.loaded, total);
    assert!(seen.windows(2).all(|w| w[0].loaded <= w[1].loaded));
}

#[wasm_bindgen_test]
async fn cancelling_resolves_to_aborted() {
    let request = UploadRequest::post(same_origin("/slow"));
    let upload = Upload::start(&request, &form_with(8 << 20), |_| {}).expect("started");
    upload.canceller().cancel();
    assert_eq!(upload.finish().await, Err(UploadError::Aborted));
}

#[wasm_bindgen_test]
async fn a_closed_port_is_a_network_error() {
    let request = UploadRequest::post("http://127.0.0.1:9/upload");
    let upload = Upload::start(&request, &form_with(16), |_| {}).expect("started");
    assert_eq!(upload.finish().await, Err(UploadError::Network));
}

#[wasm_bindgen_test]
async fn a_request_slower_than_the_timeout_times_out() {
    // 1 ms cannot carry 8 MiB even to localhost.
    let request = UploadRequest::post(same_origin("/slow")).timeout_ms(1);
    let upload = Upload::start(&request, &form_with(8 << 20), |_| {}).expect("started");
    assert_eq!(upload.finish().await, Err(UploadError::Timeout));
}

#[wasm_bindgen_test]
async fn a_forbidden_header_or_bad_method_is_a_setup_error_not_a_panic() {
    let request = UploadRequest {
        method: "BAD METHOD".to_owned(),
        ..UploadRequest::post(same_origin("/x"))
    };
    assert!(matches!(
        Upload::start(&request, &form_with(1), |_| {}).map(|_| ()),
        Err(UploadError::Setup(_))
    ));
    let request = UploadRequest::post(same_origin("/x")).header("Bad Header\n", "v");
    assert!(matches!(
        Upload::start(&request, &form_with(1), |_| {}).map(|_| ()),
        Err(UploadError::Setup(_))
    ));
}
