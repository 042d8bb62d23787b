//! The seller support desk: a Leptos CSR app that a seller uses to open and follow dialogs with the
//! marketplace's technical support.
//!
//! `main.rs` only calls [`start`]; everything else lives here so that browser tests can mount parts of
//! the app without the binary.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod context;
pub mod draft;
pub mod format;
pub mod host;
pub mod i18n;
pub mod live;
pub mod notify;
pub mod pages;
pub mod parts;
pub mod router;
pub mod upload;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Mounts the app into the host element named by the runtime config (`#seller-support` by default),
/// or into `<body>` when the page has no such element.
pub fn start() {
    console_error_panic_hook::set_once();
    // A host that is a single-page app mounts the app itself, when and where it wants
    // (`SellerSupport.mount`, see `host`).
    if config::Config::manual_mount() {
        return;
    }
    let config = config::Config::from_page();
    let host = document().get_element_by_id(&config.host_id);
    match host.and_then(|el| {
        use wasm_bindgen::JsCast;
        el.dyn_into::<web_sys::HtmlElement>().ok()
    }) {
        Some(host) => {
            // The static shell in index.html paints before the wasm arrives. The app replaces it,
            // except for the anti-fraud notice, which it adopts: that notice is the largest text
            // of the first screen, and a re-created copy would count as a new Largest Contentful
            // Paint (Lighthouse) at the moment the wasm has run instead of at the first paint.
            let notice = host
                .query_selector("[data-ss-shell-notice]")
                .ok()
                .flatten()
                .filter(|n| n.parent_element().as_ref() == Some(&host));
            let mut child = host.first_child();
            while let Some(node) = child {
                child = node.next_sibling();
                let keep = notice.as_ref().is_some_and(|n| {
                    let n: &web_sys::Node = n;
                    n == &node
                });
                if !keep {
                    let _ = host.remove_child(&node);
                }
            }
            let element: web_sys::Element = host.clone().into();
            leptos::mount::mount_to(host, move || {
                host::provide_host(Some(element));
                view! { <app::App config=config.clone() shell_notice=notice.clone()/> }
            })
            .forget();
        }
        None => {
            leptos::mount::mount_to_body(move || {
                host::provide_host(document().body().map(Into::into));
                view! { <app::App config=config.clone()/> }
            });
        }
    }
}

/// The app mounted by a host through `SellerSupport.mount`; `unmount()` (or dropping it, which
/// the JS `free()` does) removes the app and stops everything it started.
#[wasm_bindgen]
pub struct Mounted {
    app: Option<(Owner, Box<dyn std::any::Any>)>,
}

#[wasm_bindgen]
impl Mounted {
    pub fn unmount(&mut self) {
        if let Some((owner, view)) = self.app.take() {
            drop(view);
            // Dropping the view's handle cleans its owner up only when nothing else holds that
            // owner, and a value stored under it may (`router::use_go` keeps its owner to find
            // the router again). Cleaning up from above reaches it anyway: every `on_cleanup`
            // runs, the stream closes, timers and listeners go.
            owner.cleanup();
        }
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.unmount();
    }
}

/// `mount(element, config)`: mounts the app into `element` with `config` (the keys of the README's
/// table) over `window.SELLER_SUPPORT_CONFIG`, under the element's own `data-` attributes. What
/// the element held is replaced.
#[wasm_bindgen(js_name = mount)]
pub fn mount(element: web_sys::HtmlElement, config: JsValue) -> Mounted {
    console_error_panic_hook::set_once();
    let config = config::Config::for_host(&element, &config);
    element.set_inner_html("");
    let host: web_sys::Element = element.clone().into();
    let owner = Owner::new();
    let handle = owner.with(|| {
        leptos::mount::mount_to(element, move || {
            host::provide_host(Some(host));
            view! { <app::App config/> }
        })
    });
    Mounted {
        app: Some((owner, Box::new(handle))),
    }
}
