//! Browser tests of the app's routing (leptos_router with the app's route table and link guard):
//! which clicks it follows in place, which it leaves to the browser, and back/forward.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_params_map;
use seller_support::router::{AppRoute, Page, guard_links};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

mod common;

use common::{host, mount, next_task, set_url};

wasm_bindgen_test_configure!(run_in_browser);

fn path_and_search() -> String {
    let l = window().location();
    format!(
        "{}{}",
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default()
    )
}

/// [`mount_app`] at the list's address, once it has rendered.
async fn mount_app_at_list() -> (web_sys::HtmlElement, impl Drop + use<>) {
    set_url("/support/");
    let el = host();
    let app = mount_app(&el);
    next_task().await;
    (el, app)
}

/// A page under `/support` with links of every kind, each page naming itself in `#page`.
fn mount_app(el: &web_sys::HtmlElement) -> impl Drop + use<> {
    // Cleaned up as a whole on drop: a router left behind would take the next test's clicks.
    mount(el, || {
        provide_context(seller_support::api::Api::new(
            seller_support::config::Config {
                base_path: "/support".into(),
                ..seller_support::config::Config::default()
            },
        ));
        view! {
            <Router base="/support">
                <Links/>
            </Router>
        }
    })
}

#[component]
fn DialogName() -> impl IntoView {
    let params = use_params_map();
    move || {
        format!(
            "dialog {}",
            params.with(|p| p.get("id").unwrap_or_default())
        )
    }
}

#[component]
fn Links() -> impl IntoView {
    guard_links();
    view! {
            <div>
                <a id="to-new" href="/support/new">"new"</a>
                <a id="to-dialog" href="/support/dialogs/7?from=list#top">"dialog"</a>
                <a id="to-list" href="/support/?status=answered" data-noscroll="true">"list"</a>
                <a id="download" href="/support/dialogs/7" download="x.pdf">"file"</a>
                <a id="blank" href="/support/new" target="_blank">"tab"</a>
                <a id="external" href="/support/new" rel="noopener external">"ext"</a>
                <a id="outside" href="/orders">"host page"</a>
                <a id="api" href="/support/api/files/1">"api file"</a>
                <a id="prefix" href="/supportnew">"beside the base"</a>
                <a id="other-origin" href="http://localhost:1/support/new">"other"</a>
                <p id="page">
                    <Routes fallback=|| "not found">
                        <Route path=AppRoute::of(Page::List) view=|| "list"/>
                        <Route path=AppRoute::of(Page::New) view=|| "new"/>
                        <Route path=AppRoute::of(Page::Dialog) view=DialogName/>
                    </Routes>
                </p>
            </div>
    }
}

/// Clicks `#id` and says whether the router took the click (the default action was prevented
/// before the page's last listener ran); that listener cancels every click, so a link the router
/// leaves alone does not unload the test page either. The last listener is the window's, after
/// leptos_router's; or the document's, after the app's link guard, when the guard kept the click
/// from the window (it stopped its propagation).
fn click(el: &web_sys::HtmlElement, id: &str, init: &web_sys::MouseEventInit) -> bool {
    let taken = Rc::new(RefCell::new(None));
    let seen = taken.clone();
    let last = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        *seen.borrow_mut() = Some(ev.default_prevented());
        ev.prevent_default();
    });
    let seen = taken.clone();
    let stopped = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if ev.cancel_bubble() {
            *seen.borrow_mut() = Some(ev.default_prevented());
            ev.prevent_default();
        }
    });
    window()
        .add_event_listener_with_callback("click", last.as_ref().unchecked_ref())
        .expect("listener");
    document()
        .add_event_listener_with_callback("click", stopped.as_ref().unchecked_ref())
        .expect("listener");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", init).expect("event");
    let link = el
        .query_selector(&format!("#{id}"))
        .ok()
        .flatten()
        .expect(id);
    link.dispatch_event(&ev).expect("dispatch");
    window()
        .remove_event_listener_with_callback("click", last.as_ref().unchecked_ref())
        .expect("remove listener");
    document()
        .remove_event_listener_with_callback("click", stopped.as_ref().unchecked_ref())
        .expect("remove listener");
    taken.take().expect("the click reached the window")
}

fn page_text(el: &web_sys::HtmlElement) -> String {
    el.query_selector("#page")
        .ok()
        .flatten()
        .and_then(|p| p.text_content())
        .unwrap_or_default()
}

/// Goes one entry back and waits (a few tasks at most) until the page reads `expected`.
async fn back_until(el: &web_sys::HtmlElement, expected: &str) {
    window().history().expect("history").back().expect("back");
    for _ in 0..50 {
        if page_text(el) == expected {
            break;
        }
        next_task().await;
    }
    assert_eq!(page_text(el), expected);
}

#[wasm_bindgen_test]
async fn the_apps_own_links_change_the_page_in_place() {
    let (el, _app) = mount_app_at_list().await;
    assert_eq!(page_text(&el), "list");

    assert!(click(&el, "to-new", &web_sys::MouseEventInit::new()));
    next_task().await;
    assert_eq!(path_and_search(), "/support/new");
    assert_eq!(page_text(&el), "new");

    assert!(click(&el, "to-dialog", &web_sys::MouseEventInit::new()));
    next_task().await;
    assert_eq!(path_and_search(), "/support/dialogs/7?from=list");
    assert_eq!(window().location().hash().unwrap_or_default(), "#top");
    assert_eq!(page_text(&el), "dialog 7");

    assert!(click(&el, "to-list", &web_sys::MouseEventInit::new()));
    next_task().await;
    assert_eq!(path_and_search(), "/support/?status=answered");
    assert_eq!(page_text(&el), "list");

    // Back walks the same way, page by page.
    back_until(&el, "dialog 7").await;
    assert_eq!(path_and_search(), "/support/dialogs/7?from=list");
}

#[wasm_bindgen_test]
async fn a_link_to_the_page_already_shown_adds_no_history_entry() {
    let (el, _app) = mount_app_at_list().await;

    assert!(click(&el, "to-new", &web_sys::MouseEventInit::new()));
    next_task().await;
    assert!(click(&el, "to-new", &web_sys::MouseEventInit::new()));
    next_task().await;
    assert_eq!(page_text(&el), "new");
    assert_eq!(path_and_search(), "/support/new");
    // One Back leaves the page: the second click did not stack a copy of it.
    back_until(&el, "list").await;
    assert_eq!(path_and_search(), "/support/");
}

#[wasm_bindgen_test]
async fn clicks_meant_for_the_browser_are_left_to_it() {
    let (el, _app) = mount_app_at_list().await;

    for id in [
        "download",
        "blank",
        "external",
        "outside",
        "api",
        "prefix",
        "other-origin",
    ] {
        assert!(
            !click(&el, id, &web_sys::MouseEventInit::new()),
            "#{id} is the browser's"
        );
    }
    let ctrl = web_sys::MouseEventInit::new();
    ctrl.set_ctrl_key(true);
    assert!(!click(&el, "to-new", &ctrl), "Ctrl+click opens a tab");
    let shift = web_sys::MouseEventInit::new();
    shift.set_shift_key(true);
    assert!(!click(&el, "to-new", &shift), "Shift+click opens a window");
    let middle = web_sys::MouseEventInit::new();
    middle.set_button(1);
    assert!(!click(&el, "to-new", &middle), "a middle click");

    next_task().await;
    assert_eq!(path_and_search(), "/support/");
    assert_eq!(page_text(&el), "list");
}
