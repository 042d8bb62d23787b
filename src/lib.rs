//! The seller support desk: a Leptos CSR app that a seller uses to open and follow dialogs with the
//! marketplace's technical support.
//!
//! `main.rs` only calls [`start`]; everything else lives here so that browser tests can mount parts of
//! the app without the binary.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod draft;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod upload;

use leptos::prelude::*;

/// Mounts the app into the host element named by the runtime config (`#seller-support` by default),
/// or into `<body>` when the page has no such element.
pub fn start() {
    console_error_panic_hook::set_once();
    let config = config::Config::from_page();
    let host = document().get_element_by_id(&config.host_id);
    match host.and_then(|el| {
        use wasm_bindgen::JsCast;
        el.dyn_into::<web_sys::HtmlElement>().ok()
    }) {
        Some(host) => {
            // The static shell in index.html paints before the wasm arrives; the app replaces it.
            host.set_inner_html("");
            leptos::mount::mount_to(host, move || view! { <app::App config=config.clone()/> })
                .forget();
        }
        None => {
            leptos::mount::mount_to_body(move || view! { <app::App config=config.clone()/> });
        }
    }
}
