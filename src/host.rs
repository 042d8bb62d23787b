//! The app and the page it lives in: the DOM events a host cabinet listens to, and
//! `SellerSupport.mount(element, config)` for hosts that are single-page apps themselves.
//!
//! Events are `CustomEvent`s on the element the app is mounted into, bubbling, so a cabinet may
//! listen on it or on `document`:
//! - [`UNREAD`] `{count}`: dialogs with unread answers (the cabinet's menu badge), sent when the
//!   count is first known and whenever it changes;
//! - [`DIALOG_CREATED`] `{id}`: the seller created a dialog in this app;
//! - [`NAVIGATE`] `{path}`: the app moved to another of its pages (`/support/dialogs/13718172`),
//!   for a cabinet that mirrors the app's page in its own router or breadcrumbs.

use crate::config::Config;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub const UNREAD: &str = "seller-support:unread";
pub const DIALOG_CREATED: &str = "seller-support:dialog-created";
pub const NAVIGATE: &str = "seller-support:navigate";

/// The element the app is mounted into; `Copy`, shared through context.
#[derive(Clone, Copy)]
pub struct Host {
    element: StoredValue<Option<web_sys::Element>, LocalStorage>,
}

impl Host {
    /// Sends `name` with a `detail` object of the given fields to the host element. Nothing
    /// happens outside a mounted app (component tests) or after it is gone.
    pub fn dispatch(&self, name: &str, detail: &[(&str, JsValue)]) {
        let Some(Some(element)) = self.element.try_get_value() else {
            return;
        };
        let object = js_sys::Object::new();
        for (key, value) in detail {
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
        }
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_detail(&object);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = element.dispatch_event(&event);
        }
    }

    /// `seller-support:dialog-created` `{id}`.
    pub fn dialog_created(&self, id: u64) {
        self.dispatch(DIALOG_CREATED, &[("id", JsValue::from_f64(id as f64))]);
    }

    /// `seller-support:navigate` `{path}`.
    pub fn navigated(&self, path: &str) {
        self.dispatch(NAVIGATE, &[("path", JsValue::from_str(path))]);
    }
}

/// Records the element the app is mounted into (none in component tests).
pub fn provide_host(element: Option<web_sys::Element>) -> Host {
    let host = Host {
        element: StoredValue::new_local(element),
    };
    provide_context(host);
    host
}

/// The app's [`Host`] ([`provide_host`]).
pub fn use_host() -> Host {
    expect_context::<Host>()
}

/// Sends `seller-support:unread` whenever the live client's count changes.
pub fn announce_unread(host: Host, live: crate::live::Live) {
    Effect::new(move |prev: Option<Option<u64>>| {
        let now = live.unread.get();
        if let Some(count) = now
            && prev.flatten() != Some(count)
        {
            host.dispatch(UNREAD, &[("count", JsValue::from_f64(count as f64))]);
        }
        now
    });
}

/// What the app shell starts for live updates under its owner: the client ([`crate::live`]),
/// `seller-support:unread` for the host, and notifications of answers, whose click calls
/// `open(dialog id)`.
pub fn start_live_updates(config: &Config, open: Callback<u64>) -> crate::live::Live {
    let live = crate::live::provide_live(config);
    // The shell mounted on its own (component tests) has no host element: nothing to tell.
    let host = use_context::<Host>().unwrap_or_else(|| provide_host(None));
    announce_unread(host, live);
    crate::notify::watch_answers(open);
    live
}

/// Sends `seller-support:navigate` `{path}` whenever `path` (the address bar's path) changes
/// after the first page.
pub fn announce_navigation(path: Signal<String>) {
    let host = use_host();
    Effect::new(move |prev: Option<String>| {
        let now = path.get();
        if prev.is_some_and(|p| p != now) {
            host.navigated(&now);
        }
        now
    });
}

/// `set_timeout` that is cleared when the current owner is cleaned up: an app unmounted by its
/// host before the timeout leaves nothing behind to wake up.
pub fn owned_timeout(f: impl FnOnce() + 'static, delay: std::time::Duration) {
    if let Ok(handle) = set_timeout_with_handle(f, delay) {
        on_cleanup(move || handle.clear());
    }
}

/// «(2) Мои диалоги — Поддержка»: the standalone page's title with the count of dialogs that
/// have unread answers in front, as mail and chat tabs do, so a background tab shows it.
pub fn counted_title(unread: Option<u64>, title: &str) -> String {
    match unread {
        Some(n) if n > 0 => format!("({n}) {title}"),
        _ => title.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::counted_title;

    #[test]
    fn the_title_counts_only_dialogs_with_unread_answers() {
        assert_eq!(
            counted_title(Some(2), "Мои диалоги — Поддержка"),
            "(2) Мои диалоги — Поддержка"
        );
        assert_eq!(
            counted_title(Some(0), "Мои диалоги — Поддержка"),
            "Мои диалоги — Поддержка"
        );
        assert_eq!(
            counted_title(None, "New dialog — Support"),
            "New dialog — Support"
        );
    }
}
