//! Helpers shared by the browser tests (each test file is its own crate and uses what it needs).
#![allow(dead_code)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A fresh element at the end of `<body>` to mount into.
pub fn host() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("div").expect("create div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

/// Resolves after a macrotask (a `setTimeout` of 0), as the browser would run the next task.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    leptos::task::tick().await;
}

/// Puts `url` in the address bar without a history entry (the router reads it when mounted).
pub fn set_url(url: &str) {
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .expect("replaceState");
}

/// A mounted view whose whole reactive tree (the router's `popstate` listener included) is
/// cleaned up on drop, so one test's router cannot follow the next test's history.
pub struct Mounted {
    handle: Option<Box<dyn std::any::Any>>,
    owner: Owner,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.handle.take();
        self.owner.cleanup();
    }
}

pub fn mount<N: IntoView + 'static>(
    el: &web_sys::HtmlElement,
    f: impl FnOnce() -> N + 'static,
) -> Mounted {
    let owner = Owner::new();
    let handle = owner.with(|| {
        leptos::mount::mount_to(el.clone(), move || {
            provide_app_context();
            f()
        })
    });
    Mounted {
        handle: Some(Box::new(handle)),
        owner,
    }
}

/// What the app provides (Russian, a same-origin API client, the shared signals), for components
/// mounted without the app: their accessors expect a provider. A test's own `provide_context`
/// inside the mounted closure replaces any of these.
pub fn provide_app_context() {
    provide_context(seller_support::i18n::I18n::new(
        seller_support::i18n::Locale::Ru,
    ));
    seller_support::context::provide_api(seller_support::config::Config::default());
    seller_support::context::provide_shared();
}

/// `leptos::mount::mount_to` with [`provide_app_context`] first.
pub fn mount_to<F, N>(parent: web_sys::HtmlElement, f: F) -> leptos::mount::UnmountHandle<N::State>
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    leptos::mount::mount_to(parent, move || {
        provide_app_context();
        f()
    })
}
