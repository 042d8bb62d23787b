//! Browser tests of the live-update pieces that need no server: a host mounting and unmounting the
//! app, the unread count told to the host once per change, the continuation links.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use seller_support::config::Config;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_test::*;

mod common;

use common::{host, next_task};

wasm_bindgen_test_configure!(run_in_browser);

fn quiet_config() -> JsValue {
    let config = js_sys::Object::new();
    // No stream and no polling: the test server has no API.
    let _ = js_sys::Reflect::set(&config, &"events".into(), &"off".into());
    config.into()
}

#[wasm_bindgen_test]
async fn a_host_mounts_the_app_and_unmounting_takes_it_away() {
    let el = host();
    el.set_inner_html("<p>Загрузка поддержки…</p>");
    let mut app = seller_support::mount(el.clone(), quiet_config());
    next_task().await;
    assert!(
        el.query_selector(".ss-app").ok().flatten().is_some(),
        "mounted: {}",
        el.inner_html()
    );
    assert!(
        !el.inner_html().contains("Загрузка поддержки"),
        "placeholder replaced"
    );
    app.unmount();
    next_task().await;
    assert_eq!(el.child_element_count(), 0, "left: {}", el.inner_html());
}

#[wasm_bindgen_test]
async fn the_host_hears_the_unread_count_once_per_change() {
    let el = host();
    let heard: Rc<RefCell<Vec<f64>>> = Rc::default();
    let listener = {
        let heard = heard.clone();
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            let count = js_sys::Reflect::get(&e.detail(), &"count".into())
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(-1.0);
            heard.borrow_mut().push(count);
        })
    };
    el.add_event_listener_with_callback(
        seller_support::host::UNREAD,
        listener.as_ref().unchecked_ref(),
    )
    .expect("listen");
    let target: web_sys::Element = el.clone().into();
    let live = Rc::new(RefCell::new(None));
    let _handle = {
        let live = live.clone();
        common::mount_to(el.clone(), move || {
            let host = seller_support::host::provide_host(Some(target));
            let config = Config {
                events: seller_support::config::Events::Off,
                ..Config::default()
            };
            let l = seller_support::live::provide_live(&config);
            seller_support::host::announce_unread(host, l);
            *live.borrow_mut() = Some(l);
        })
    };
    let live = live.borrow().expect("provided");
    next_task().await;
    live.report_unread(2);
    next_task().await;
    live.report_unread(2);
    next_task().await;
    live.report_unread(0);
    next_task().await;
    assert_eq!(*heard.borrow(), vec![2.0, 0.0]);
}

#[wasm_bindgen_test]
async fn continuation_links_lead_to_both_sides() {
    let el = host();
    let _handle = common::mount_to(el.clone(), || {
        view! {
            <seller_support::pages::dialog::FollowLinks
                follows=Some(10_000_001)
                followed_by=vec![10_000_002, 10_000_003]
            />
        }
    });
    next_task().await;
    let text = el.text_content().unwrap_or_default();
    assert!(text.contains("Продолжает диалог № 10000001"), "{text}");
    assert!(
        text.contains("Продолжение — диалог № 10000002, 10000003"),
        "{text}"
    );
    let html = el.inner_html();
    for id in [10_000_001, 10_000_002, 10_000_003] {
        assert!(html.contains(&format!("href=\"/dialogs/{id}\"")), "{html}");
    }
}
