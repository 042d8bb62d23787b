//! Browser test of the app shell: mounts the whole app in headless Chromium and reads what a seller
//! sees first.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use seller_support::app::App;
use seller_support::config::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("div").expect("create div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

#[wasm_bindgen_test]
async fn shell_shows_header_notice_and_switches_language() {
    let el = host();
    let _handle = leptos::mount::mount_to(el.clone(), || view! { <App config=Config::default()/> });
    leptos::task::tick().await;

    let text = el.text_content().unwrap_or_default();
    assert!(text.contains("Поддержка"), "header: {text}");
    assert!(text.contains("Новый диалог"), "new dialog link: {text}");
    assert!(text.contains("специалистам"), "anti-fraud notice: {text}");

    let link = el
        .query_selector("a[href='/new']")
        .ok()
        .flatten()
        .expect("a link to /new");
    assert_eq!(link.text_content().as_deref(), Some("Новый диалог"));

    let switch: web_sys::HtmlElement = el
        .query_selector(".ss-lang")
        .ok()
        .flatten()
        .expect("language switch")
        .unchecked_into();
    switch.click();
    leptos::task::tick().await;
    let text = el.text_content().unwrap_or_default();
    assert!(text.contains("New dialog"), "after switching: {text}");
    assert!(
        text.contains("Support is free"),
        "notice in English: {text}"
    );
    // Leave the next test (and the next run) in Russian.
    switch.click();
    leptos::task::tick().await;
}
