//! System notifications of support's answers, opt-in.
//!
//! The browser's permission is asked for only when the seller presses «Уведомлять о новых ответах»
//! ([`NotifyToggle`]); a prompt on page load is what teaches people to block every site. The choice
//! is kept in `localStorage`, so it survives a reload, and counts only while the browser's
//! permission is still granted. An answer then shows a notification only while the tab is hidden
//! (a visible tab shows the answer itself); a click on it brings the tab forward and opens the
//! dialog.

use crate::i18n::{Locale, live::strings, use_i18n};
use crate::live::{LiveEvent, use_live};
use domain::api::Author;
use domain::events::EventKind;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

const STORAGE_KEY: &str = "seller-support.notify";
/// Notifications kept open at most; older ones are closed (the system would stack them anyway).
const MAX_SHOWN: usize = 5;

fn supported() -> bool {
    js_sys::Reflect::has(&window(), &JsValue::from_str("Notification")).unwrap_or(false)
}

fn permission() -> web_sys::NotificationPermission {
    if supported() {
        web_sys::Notification::permission()
    } else {
        web_sys::NotificationPermission::Denied
    }
}

fn opted_in() -> bool {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .is_some_and(|v| v == "on")
}

fn set_opted_in(on: bool) {
    if let Ok(Some(s)) = window().local_storage() {
        let _ = if on {
            s.set_item(STORAGE_KEY, "on")
        } else {
            s.remove_item(STORAGE_KEY)
        };
    }
}

/// Whether an answer arriving now would be announced by the system.
pub fn enabled() -> bool {
    opted_in() && permission() == web_sys::NotificationPermission::Granted
}

/// Shows a notification for every answer of support that arrives while the tab is hidden and
/// the seller opted in; a click on one calls `open(dialog id)`. Open notifications and their
/// click handlers are dropped with the current owner.
pub fn watch_answers(open: Callback<u64>) {
    let i18n = use_i18n();
    type Shown = Vec<(web_sys::Notification, Closure<dyn FnMut()>)>;
    let shown: StoredValue<Shown, LocalStorage> = StoredValue::new_local(Vec::new());
    use_live().subscribe(move |ev| {
        let LiveEvent::Change(EventKind::Message, change) = ev else {
            return;
        };
        let by_support = change
            .message
            .as_ref()
            .is_some_and(|m| m.author == Author::Support);
        if !by_support || document().visibility_state() == web_sys::VisibilityState::Visible {
            return;
        }
        if !enabled() {
            return;
        }
        let locale = i18n.locale();
        let theme = crate::i18n::catalog_name(
            locale,
            &change.dialog.summary.theme_id,
            &change.dialog.summary.theme_name,
        );
        let Some(n) = show(locale, change.dialog_id, theme) else {
            return;
        };
        let id = change.dialog_id;
        let notification = n.clone();
        let on_click = Closure::<dyn FnMut()>::new(move || {
            let _ = window().focus();
            notification.close();
            open.try_run(id);
        });
        n.set_onclick(Some(on_click.as_ref().unchecked_ref()));
        shown.update_value(|list| {
            if list.len() >= MAX_SHOWN {
                let (old, _) = list.remove(0);
                old.set_onclick(None);
                old.close();
            }
            list.push((n, on_click));
        });
    });
    on_cleanup(move || {
        shown.try_update_value(|list| {
            for (n, _) in list.drain(..) {
                n.set_onclick(None);
                n.close();
            }
        });
    });
}

fn show(locale: Locale, id: u64, theme: &str) -> Option<web_sys::Notification> {
    let s = strings(locale);
    let options = web_sys::NotificationOptions::new();
    options.set_body(&format!("{} {id}: {theme}", s.notification_dialog));
    // One notification per dialog: a second answer replaces the first instead of stacking.
    options.set_tag(&format!("seller-support-{id}"));
    web_sys::Notification::new_with_options(s.notification_title, &options).ok()
}

/// What the toggle last said.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Said {
    Nothing,
    On,
    Off,
    Denied,
    Unsupported,
}

/// «Уведомлять о новых ответах»: a toggle button (`aria-pressed`) and, once pressed, a line that
/// says what happened. Asking the browser happens here and only here.
#[component]
pub fn NotifyToggle() -> impl IntoView {
    let i18n = use_i18n();
    let on = RwSignal::new(enabled());
    let said = RwSignal::new(Said::Nothing);
    let press = move |_| {
        if !supported() {
            said.set(Said::Unsupported);
            return;
        }
        if on.get_untracked() {
            set_opted_in(false);
            on.set(false);
            said.set(Said::Off);
            return;
        }
        match permission() {
            web_sys::NotificationPermission::Granted => {
                set_opted_in(true);
                on.set(true);
                said.set(Said::On);
            }
            web_sys::NotificationPermission::Denied => said.set(Said::Denied),
            _ => {
                let Ok(asked) = web_sys::Notification::request_permission() else {
                    said.set(Said::Denied);
                    return;
                };
                leptos::task::spawn_local(async move {
                    let answer = wasm_bindgen_futures::JsFuture::from(asked).await;
                    let granted =
                        answer.ok().and_then(|v| v.as_string()).as_deref() == Some("granted");
                    set_opted_in(granted);
                    // The toggle may be gone by now (the seller moved on, the host unmounted).
                    on.try_set(granted);
                    said.try_set(if granted { Said::On } else { Said::Denied });
                });
            }
        }
    };
    let text = Signal::derive(move || {
        let s = strings(i18n.locale());
        match said.get() {
            Said::Nothing => "",
            Said::On => s.notify_on,
            Said::Off => s.notify_off,
            Said::Denied => s.notify_denied,
            Said::Unsupported => s.notify_unsupported,
        }
    });
    view! {
        <div class="ss-notify">
            <button
                type="button"
                class="ss-button ss-notify-button"
                aria-pressed=crate::components::aria_bool(on.into())
                on:click=press
            >
                {i18n.tr_in(strings, |s| s.notify_button)}
            </button>
            <p class="ss-notify-said ss-muted ss-small" role="status">{text}</p>
        </div>
    }
}
