//! Browser test of the app shell: mounts the whole app in headless Chromium and reads what a seller
//! sees first.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use seller_support::app::App;
use seller_support::config::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;

use common::{host, next_task};

wasm_bindgen_test_configure!(run_in_browser);

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

#[wasm_bindgen_test]
async fn the_page_is_built_one_task_after_the_shell() {
    let el = host();
    let _handle = leptos::mount::mount_to(el.clone(), || view! { <App config=Config::default()/> });
    leptos::task::tick().await;
    // First task: the header and the page area with the shell's own «Загрузка…».
    let main = el.query_selector("main").ok().flatten().expect("main");
    assert!(el.query_selector(".ss-lang").ok().flatten().is_some());
    assert_eq!(
        main.text_content().as_deref().map(str::trim),
        Some("Загрузка…")
    );
    // Next task: the page itself (the list, for the test runner's address).
    for _ in 0..20 {
        next_task().await;
        if main.query_selector("h1").ok().flatten().is_some() {
            break;
        }
    }
    let h1 = main
        .query_selector("h1")
        .ok()
        .flatten()
        .expect("the page's heading");
    assert!(!h1.text_content().unwrap_or_default().is_empty());
}
