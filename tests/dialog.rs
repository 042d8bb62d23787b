//! Browser tests of the dialog page's parts, given data as props (thread, rating form, closed and
//! answered dialogs, the reply box's draft and validation), and of the page itself with a
//! stand-in `fetch` (malformed and unknown numbers, errors with «Повторить»).
#![cfg(target_arch = "wasm32")]

use domain::api::{AttachmentInfo, Author, DialogDetail, DialogSummary, Message, Resolution};
use domain::status::{CloseReason, DialogStatus, ResolveReason};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use seller_support::draft::{CARRIED, Drafts};
use seller_support::format::local_offset_min;
use seller_support::i18n::Locale;
use seller_support::pages::dialog::{
    ClosedPanel, DialogPage, DialogView, RatingForm, ReplyBox, Thread, draft_key_name, draft_name,
};
use seller_support::router::{AppRoute, Page};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod common;

use common::{mount, set_url};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const rules = [];
let fallback = { status: 404, body: '{"code":"not_found","message":"Диалог не найден."}' };
export const calls = [];
export function mock_reset() {
  rules.length = 0; calls.length = 0;
  fallback = { status: 404, body: '{"code":"not_found","message":"Диалог не найден."}' };
  window.fetch = async (url, init) => {
    const u = url instanceof Request ? url.url : String(url);
    const body = url instanceof Request ? await url.clone().text() : init && init.body;
    calls.push(typeof body === 'string' && body ? u + ' ' + body : u);
    const rule = rules.find((r) => u.includes(r.part)) || fallback;
    return new Response(rule.body, { status: rule.status, headers: { 'Content-Type': 'application/json' } });
  };
}
export function mock_rule(part, status, body) { rules.unshift({ part, status, body }); }
export function mock_calls() { return calls.join('\n'); }
export function select_all(el, sel) { return Array.from(el.querySelectorAll(sel)); }
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
"#)]
extern "C" {
    fn mock_reset();
    fn mock_rule(part: &str, status: u16, body: &str);
    fn mock_calls() -> String;
    fn sleep(ms: u32) -> js_sys::Promise;
    fn select_all(el: &web_sys::HtmlElement, selector: &str) -> js_sys::Array;
}

// 2023-04-07T10:00:00Z.
const APR_7: i64 = 1_680_861_600_000;
const HOUR: i64 = 3_600_000;
const XSS: &str =
    "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>&amp; <b>жирный</b>";

/// Two days from now: an answered dialog's auto-close still ahead.
fn closes_at() -> i64 {
    js_sys::Date::now() as i64 + 48 * HOUR
}

fn message(id: u64, author: Author, text: &str, attachments: Vec<AttachmentInfo>) -> Message {
    Message {
        id,
        author,
        text: text.to_string(),
        created_at: APR_7 + id as i64 * HOUR,
        attachments,
    }
}

fn detail(id: u64, status: DialogStatus, messages: Vec<Message>) -> DialogDetail {
    DialogDetail {
        summary: DialogSummary {
            id,
            status,
            category_id: "returns".into(),
            theme_id: "return-requests".into(),
            category_name: "Возвраты".into(),
            theme_name: "Вопросы по уже оформленным заявкам на возврат".into(),
            created_at: APR_7,
            updated_at: APR_7,
            closes_at: (status == DialogStatus::Answered).then(closes_at),
            awaiting_rating: status == DialogStatus::Answered,
        },
        messages,
        resolution: None,
    }
}

fn two_messages() -> Vec<Message> {
    vec![
        message(
            1,
            Author::Seller,
            "Добрый день, в отчёте № 151564 штраф.\nВторая строка",
            vec![AttachmentInfo {
                id: "att-1".into(),
                name: "отчёт.pdf".into(),
                size: 1536,
                content_type: "application/pdf".into(),
            }],
        ),
        message(2, Author::Support, "Проверили, штраф вернём.", vec![]),
    ]
}

fn host() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("div").expect("create div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

fn text(el: &web_sys::HtmlElement) -> String {
    el.text_content().unwrap_or_default()
}

fn one(el: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::HtmlElement> {
    el.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

fn count(el: &web_sys::HtmlElement, selector: &str) -> u32 {
    select_all(el, selector).length()
}

fn click(el: &web_sys::HtmlElement, selector: &str) {
    one(el, selector)
        .unwrap_or_else(|| panic!("no {selector} in: {}", text(el)))
        .click();
}

async fn pause(ms: u32) {
    let _ = JsFuture::from(sleep(ms)).await;
}

async fn wait_for(what: &str, el: &web_sys::HtmlElement, cond: impl Fn() -> bool) {
    for _ in 0..200 {
        if cond() {
            return;
        }
        pause(10).await;
    }
    panic!("timed out waiting for {what}; page text: {}", text(el));
}

/// The button whose text is exactly `label`.
fn button(el: &web_sys::HtmlElement, label: &str) -> Option<web_sys::HtmlElement> {
    select_all(el, "button")
        .iter()
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|b| b.text_content().unwrap_or_default().trim() == label && !b.hidden())
}

#[wasm_bindgen_test]
async fn thread_shows_messages_as_text_with_authors_times_and_downloads() {
    let el = host();
    let mut messages = two_messages();
    messages.push(message(3, Author::Support, XSS, vec![]));
    let _h = mount(&el, move || view! { <Thread messages=messages/> });
    leptos::task::tick().await;

    assert_eq!(count(&el, "li.ss-message"), 3);
    assert_eq!(count(&el, "li.ss-message-seller"), 1);
    assert_eq!(count(&el, "li.ss-message-support"), 2);
    // The markup an agent or seller types stays text: no element was made from it.
    let bodies: Vec<String> = select_all(&el, ".ss-message-text")
        .iter()
        .filter_map(|n| n.dyn_into::<web_sys::Node>().ok())
        .map(|n| n.text_content().unwrap_or_default())
        .collect();
    let last = bodies.get(2).cloned().unwrap_or_default();
    assert_eq!(last, XSS);
    assert_eq!(count(&el, ".ss-thread img"), 0);
    assert_eq!(count(&el, ".ss-thread script"), 0);
    assert_eq!(count(&el, ".ss-thread b"), 0);
    assert!(
        js_sys::Reflect::get(&window(), &"__xss".into())
            .map(|v| v.is_undefined())
            .unwrap_or(false)
    );
    // Line breaks reach the page as typed (CSS pre-wrap shows them).
    let first = bodies.first().cloned().unwrap_or_default();
    assert_eq!(
        first,
        "Добрый день, в отчёте № 151564 штраф.\nВторая строка"
    );

    let all = text(&el);
    assert!(all.contains("Вы"), "{all}");
    assert!(all.contains("Поддержка"), "{all}");
    let link = one(&el, "a.ss-attachment").expect("a download link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/api/attachments/att-1")
    );
    let link_text = link.text_content().unwrap_or_default();
    assert!(
        link_text.contains("отчёт.pdf") && link_text.contains("1,5 КБ"),
        "{link_text}"
    );
    let time = one(&el, "li.ss-message time").expect("a time");
    assert_eq!(
        time.get_attribute("datetime").as_deref(),
        Some("2023-04-07T11:00Z")
    );
}

#[wasm_bindgen_test]
async fn rating_is_a_radio_group_and_asks_for_reasons_only_for_low_ratings() {
    let el = host();
    let _h = mount(&el, || view! { <RatingForm dialog_id=13718172/> });
    leptos::task::tick().await;

    let legend = one(&el, "fieldset > legend").expect("a legend");
    assert_eq!(
        legend.text_content().as_deref(),
        Some("Оцените ответ поддержки")
    );
    assert_eq!(count(&el, "fieldset input[type=radio][name=ss-rating]"), 5);
    for n in 1..=5 {
        let label = one(&el, &format!("label[for=ss-rating-{n}]")).expect("a label per radio");
        assert!(
            label
                .text_content()
                .unwrap_or_default()
                .starts_with(&n.to_string())
        );
    }
    assert_eq!(
        count(&el, "input[type=checkbox]"),
        0,
        "no reasons before a rating"
    );

    click(&el, "#ss-rating-2");
    leptos::task::tick().await;
    assert_eq!(count(&el, "input[type=checkbox]"), 3);
    let all = text(&el);
    for r in ResolveReason::ALL {
        assert!(all.contains(r.label_ru()), "{} in {all}", r.label_ru());
    }

    click(&el, "#ss-rating-5");
    leptos::task::tick().await;
    assert_eq!(count(&el, "input[type=checkbox]"), 0, "no reasons for a 5");

    click(&el, "#ss-rating-3");
    leptos::task::tick().await;
    assert_eq!(count(&el, "input[type=checkbox]"), 3, "3 is still low");
}

#[wasm_bindgen_test]
async fn rating_without_a_choice_says_so_and_sends_nothing() {
    mock_reset();
    let el = host();
    let _h = mount(&el, || view! { <RatingForm dialog_id=13718172/> });
    leptos::task::tick().await;
    button(&el, "Подтвердить и завершить")
        .expect("confirm")
        .click();
    leptos::task::tick().await;
    assert!(text(&el).contains("Выберите оценку"), "{}", text(&el));
    pause(20).await;
    assert_eq!(mock_calls(), "");
}

#[wasm_bindgen_test]
async fn rating_sends_the_choice_and_reports_the_closed_dialog() {
    mock_reset();
    let mut closed = detail(13718172, DialogStatus::Closed, two_messages());
    closed.resolution = Some(Resolution {
        close_reason: CloseReason::Resolved,
        closed_at: APR_7 + 5 * HOUR,
        rating: Some(2),
        comment: None,
        reasons: vec![ResolveReason::OffTopic],
    });
    mock_rule(
        "/api/dialogs/13718172/resolve",
        200,
        &serde_json::to_string(&closed).expect("json"),
    );
    let el = host();
    let got: RwSignal<Option<DialogDetail>> = RwSignal::new(None);
    let _h = mount(&el, move || {
        view! { <RatingForm dialog_id=13718172 on_resolved=Some(Callback::new(move |d| got.set(Some(d))))/> }
    });
    leptos::task::tick().await;
    // Reasons ticked for a 2 and then the 2 changed to a 5: they are not sent with the 5...
    click(&el, "#ss-rating-2");
    leptos::task::tick().await;
    click(&el, "#ss-reason-off_topic");
    leptos::task::tick().await;
    click(&el, "#ss-rating-5");
    leptos::task::tick().await;
    // ...but back on the 2 they are still ticked and go with it.
    click(&el, "#ss-rating-2");
    leptos::task::tick().await;
    let comment: web_sys::HtmlTextAreaElement = one(&el, "#ss-rating-comment")
        .expect("comment")
        .unchecked_into();
    comment.set_value("  ");
    let _ = comment.dispatch_event(&web_sys::Event::new("input").expect("event"));
    leptos::task::tick().await;
    button(&el, "Подтвердить и завершить")
        .expect("confirm")
        .click();
    wait_for("the resolve answer", &el, || got.get_untracked().is_some()).await;
    let calls = mock_calls();
    assert!(
        calls.contains(r#"{"rating":2,"comment":null,"reasons":["off_topic"]}"#),
        "{calls}"
    );
    assert_eq!(
        got.get_untracked().map(|d| d.summary.status),
        Some(DialogStatus::Closed)
    );
    assert!(
        mock_calls().contains("/api/dialogs/13718172/resolve"),
        "{}",
        mock_calls()
    );
}

#[wasm_bindgen_test]
async fn resolve_failure_shows_the_message_and_retry() {
    mock_reset();
    mock_rule(
        "/resolve",
        409,
        r#"{"code":"dialog_closed","message":"Диалог завершён: в него нельзя писать."}"#,
    );
    let el = host();
    let _h = mount(&el, || view! { <RatingForm dialog_id=13718172/> });
    leptos::task::tick().await;
    click(&el, "#ss-rating-4");
    leptos::task::tick().await;
    button(&el, "Подтвердить и завершить")
        .expect("confirm")
        .click();
    wait_for("the error", &el, || text(&el).contains("Диалог завершён")).await;
    assert!(button(&el, "Повторить").is_some(), "{}", text(&el));
}

#[wasm_bindgen_test]
async fn closed_dialog_is_read_only_and_shows_the_rating_and_a_new_dialog_link() {
    let el = host();
    let mut d = detail(13718172, DialogStatus::Closed, two_messages());
    d.resolution = Some(Resolution {
        close_reason: CloseReason::Resolved,
        closed_at: APR_7 + 5 * HOUR,
        rating: Some(4),
        comment: Some("Спасибо".into()),
        reasons: vec![],
    });
    let _h = mount(&el, move || {
        view! {
            <Router>
                <DialogView detail=d/>
            </Router>
        }
    });
    leptos::task::tick().await;
    let all = text(&el);
    assert_eq!(count(&el, "textarea"), 0, "no reply box: {all}");
    assert!(button(&el, "Вопрос решён").is_none(), "{all}");
    assert!(all.contains("Завершён"), "{all}");
    assert!(all.contains("4 из 5"), "{all}");
    assert!(all.contains("Спасибо"), "{all}");
    let h1 = one(&el, "h1").expect("h1");
    assert_eq!(h1.text_content().as_deref(), Some("№ диалога 13718172"));
    let link = el
        .query_selector("a[href='/new?category=returns&theme=return-requests&follows=13718172']")
        .ok()
        .flatten()
        .expect("a prefilled new-dialog link that continues this dialog");
    assert_eq!(link.text_content().as_deref(), Some("Создать новый диалог"));
}

#[wasm_bindgen_test]
async fn auto_closed_dialog_says_so() {
    let el = host();
    let resolution = Some(Resolution {
        close_reason: CloseReason::Auto,
        closed_at: APR_7,
        rating: None,
        comment: None,
        reasons: vec![],
    });
    let _h = mount(&el, move || {
        view! {
            <Router>
                <ClosedPanel resolution=resolution category_id="a" theme_id="b"/>
            </Router>
        }
    });
    leptos::task::tick().await;
    let all = text(&el);
    assert!(all.contains("Закрыт автоматически"), "{all}");
    assert!(!all.contains("Ваша оценка"), "{all}");
}

#[wasm_bindgen_test]
async fn answered_dialog_offers_resolve_the_auto_close_date_and_a_reply() {
    let el = host();
    let d = detail(13718172, DialogStatus::Answered, two_messages());
    let _h = mount(&el, move || {
        view! {
            <Router>
                <DialogView detail=d/>
            </Router>
        }
    });
    leptos::task::tick().await;
    let all = text(&el);
    assert!(all.contains("Поступил ответ. Ждёт оценки"), "{all}");
    assert!(all.contains("закроется автоматически"), "{all}");
    let at = closes_at();
    let day = seller_support::format::date(Locale::Ru, at, local_offset_min(at));
    assert!(all.contains(&day), "closes_at date {day}: {all}");
    assert!(all.contains("диалог снова перейдёт к поддержке"), "{all}");
    assert_eq!(count(&el, "textarea"), 1);
    assert_eq!(
        count(&el, "input[type=radio]"),
        0,
        "the rating waits for the button"
    );

    let resolve = button(&el, "Вопрос решён").expect("«Вопрос решён»");
    assert_eq!(
        resolve.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    resolve.click();
    leptos::task::tick().await;
    assert_eq!(count(&el, "input[type=radio]"), 5);
    button(&el, "Отмена").expect("cancel").click();
    leptos::task::tick().await;
    assert_eq!(count(&el, "input[type=radio]"), 0);
    assert!(button(&el, "Вопрос решён").is_some());
}

#[wasm_bindgen_test]
async fn waiting_dialog_has_a_reply_box_and_no_rating() {
    let el = host();
    let d = detail(
        13718172,
        DialogStatus::Waiting,
        two_messages()[..1].to_vec(),
    );
    let _h = mount(&el, move || {
        view! {
            <Router>
                <DialogView detail=d/>
            </Router>
        }
    });
    leptos::task::tick().await;
    let all = text(&el);
    assert!(all.contains("Ожидает ответа"), "{all}");
    assert!(button(&el, "Вопрос решён").is_none(), "{all}");
    assert!(!all.contains("закроется автоматически"), "{all}");
    let label = one(&el, "label[for=ss-reply-13718172]").expect("the reply's label");
    assert_eq!(label.text_content().as_deref(), Some("Ваше сообщение"));
    assert!(one(&el, "textarea#ss-reply-13718172").is_some());
}

const SESSION_A: &str = r#"{"seller":"seller-a"}"#;

#[wasm_bindgen_test]
async fn reply_draft_survives_a_remount_and_empty_replies_are_not_sent() {
    mock_reset();
    mock_rule("/api/session", 200, SESSION_A);
    let mine = Drafts::claim("seller-a").await;
    let name = draft_name(13718173);
    mine.save_text(&name, "черновик ответа");
    let el = host();
    let h = mount(&el, || view! { <ReplyBox dialog_id=13718173/> });
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    wait_for("the draft", &el, || area.value() == "черновик ответа").await;

    // Typing goes to the draft at once.
    area.set_value("новый текст");
    let _ = area.dispatch_event(&web_sys::Event::new("input").expect("event"));
    leptos::task::tick().await;
    assert_eq!(mine.load_text(&name).as_deref(), Some("новый текст"));
    drop(h);

    let el = host();
    let _h = mount(&el, || view! { <ReplyBox dialog_id=13718173/> });
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    wait_for("the draft", &el, || area.value() == "новый текст").await;

    // Whitespace only: the box says why and nothing leaves the browser.
    area.set_value("   ");
    let _ = area.dispatch_event(&web_sys::Event::new("input").expect("event"));
    leptos::task::tick().await;
    button(&el, "Отправить").expect("send").click();
    leptos::task::tick().await;
    assert!(text(&el).contains("не может быть пустым"), "{}", text(&el));
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(mine.load_text(&name), None, "blank is no draft");
    pause(20).await;
    assert!(!mock_calls().contains("/messages"), "{}", mock_calls());
}

/// Every localStorage key that holds a draft.
fn draft_keys() -> Vec<String> {
    let storage = window()
        .local_storage()
        .ok()
        .flatten()
        .expect("localStorage");
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with("seller-support.draft.") || k.contains("reply-"))
        .collect()
}

#[wasm_bindgen_test]
async fn another_seller_never_sees_a_reply_draft_and_it_is_removed_from_the_browser() {
    mock_reset();
    mock_rule("/api/session", 200, SESSION_A);
    let el = host();
    let h = mount(&el, || view! { <ReplyBox dialog_id=13718176/> });
    pause(20).await;
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    area.set_value("карта 4111 1111 1111 1111, продавец А");
    let _ = area.dispatch_event(&web_sys::Event::new("input").expect("event"));
    leptos::task::tick().await;
    assert!(!draft_keys().is_empty(), "seller A's draft is saved");
    // A draft of the app before drafts had owners is nobody's to show either.
    let storage = window()
        .local_storage()
        .ok()
        .flatten()
        .expect("localStorage");
    let _ = storage.set_item("seller-support.reply-draft.13718176", "старый черновик");
    drop(h);

    // Seller B logs in in the same browser.
    mock_rule("/api/session", 200, r#"{"seller":"seller-b"}"#);
    let el = host();
    let _h = mount(&el, || view! { <ReplyBox dialog_id=13718176/> });
    wait_for("the session", &el, || draft_keys().is_empty()).await;
    pause(20).await;
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    assert_eq!(area.value(), "", "seller B sees nothing of seller A's");
    assert_eq!(
        Drafts::claim("seller-a")
            .await
            .load_text(&draft_name(13718176)),
        None,
        "seller A's draft is gone from this browser"
    );
}

#[wasm_bindgen_test]
async fn without_a_confirmed_session_no_draft_is_shown() {
    mock_reset();
    let mine = Drafts::claim("seller-a").await;
    mine.save_text(&draft_name(13718177), "чужой черновик?");
    mock_rule(
        "/api/session",
        401,
        r#"{"code":"unauthorized","message":"no session"}"#,
    );
    let el = host();
    let _h = mount(&el, || view! { <ReplyBox dialog_id=13718177/> });
    pause(50).await;
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    assert_eq!(area.value(), "");
    mine.remove(&draft_name(13718177));
}

#[wasm_bindgen_test]
async fn a_dialog_that_closes_while_a_reply_is_typed_offers_the_text_then_forgets_it() {
    mock_reset();
    mock_rule("/api/session", 200, SESSION_A);
    set_url("/dialogs/13718178");
    let detail_now = RwSignal::new(detail(13718178, DialogStatus::Answered, two_messages()));
    let el = host();
    let _h = mount(&el, move || {
        view! {
            <Router>
                <DialogView detail=detail_now/>
            </Router>
        }
    });
    pause(20).await;
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    area.set_value("Спасибо, но штраф ещё не вернули.");
    let _ = area.dispatch_event(&web_sys::Event::new("input").expect("event"));
    leptos::task::tick().await;
    let mine = Drafts::claim("seller-a").await;
    mine.save_text(&draft_key_name(13718178), "ключ");
    assert!(mine.load_text(&draft_name(13718178)).is_some());

    // The auto-close arrives with a poll.
    let mut closed = detail(13718178, DialogStatus::Closed, two_messages());
    closed.resolution = Some(Resolution {
        close_reason: CloseReason::Auto,
        closed_at: APR_7 + 72 * HOUR,
        rating: None,
        reasons: vec![],
        comment: None,
    });
    detail_now.set(closed);
    wait_for("the unsent text", &el, || {
        text(&el).contains("Сообщение не отправлено")
    })
    .await;
    let kept: web_sys::HtmlTextAreaElement = one(&el, "textarea#ss-unsent-text")
        .expect("the unsent text")
        .unchecked_into();
    assert_eq!(kept.value(), "Спасибо, но штраф ещё не вернули.");
    assert!(
        one(&el, "label[for=ss-unsent-text]").is_some(),
        "a labelled field"
    );
    assert!(button(&el, "Скопировать").is_some());
    let start = button(&el, "Новый диалог с этим текстом").expect("new dialog button");
    wait_for("the draft cleared", &el, || {
        mine.load_text(&draft_name(13718178)).is_none()
            && mine.load_text(&draft_key_name(13718178)).is_none()
    })
    .await;
    wait_for("the button enabled", &el, || {
        !start.has_attribute("disabled")
    })
    .await;

    start.click();
    leptos::task::tick().await;
    assert_eq!(
        mine.load_text(CARRIED).as_deref(),
        Some("Спасибо, но штраф ещё не вернули.")
    );
    assert_eq!(window().location().pathname().ok().as_deref(), Some("/new"));
    mine.remove(CARRIED);
    set_url("/");
}

fn mount_page(el: &web_sys::HtmlElement) -> impl Drop {
    mount(el, || {
        view! {
            <Router>
                <Routes fallback=|| "no route">
                    <Route path=AppRoute::of(Page::Dialog) view=DialogPage/>
                </Routes>
            </Router>
        }
    })
}

#[wasm_bindgen_test]
async fn malformed_numbers_are_not_found_without_asking_the_server() {
    mock_reset();
    for bad in [
        "/dialogs/abc",
        "/dialogs/123",
        "/dialogs/1371817299",
        "/dialogs/%3Cscript%3E",
    ] {
        set_url(bad);
        let el = host();
        let h = mount_page(&el);
        wait_for("not found", &el, || text(&el).contains("Диалог не найден")).await;
        drop(h);
    }
    assert_eq!(mock_calls(), "");
    set_url("/");
}

#[wasm_bindgen_test]
async fn unknown_number_is_not_found_and_errors_offer_retry() {
    mock_reset();
    set_url("/dialogs/12345678");
    let el = host();
    let h = mount_page(&el);
    wait_for("not found", &el, || text(&el).contains("Диалог не найден")).await;
    assert!(mock_calls().contains("/api/dialogs/12345678"));
    drop(h);

    mock_reset();
    mock_rule("/api/dialogs/13718172", 500, "oops");
    set_url("/dialogs/13718172");
    let el = host();
    let _h = mount_page(&el);
    wait_for("the error", &el, || button(&el, "Повторить").is_some()).await;
    assert!(
        text(&el).contains("Сервер поддержки ответил ошибкой"),
        "{}",
        text(&el)
    );

    let d = detail(13718172, DialogStatus::Answered, two_messages());
    mock_rule(
        "/api/dialogs/13718172",
        200,
        &serde_json::to_string(&d).expect("json"),
    );
    button(&el, "Повторить").expect("retry").click();
    wait_for("the dialog", &el, || text(&el).contains("штраф вернём")).await;
    assert!(text(&el).contains("Поступил ответ. Ждёт оценки"));
    assert!(button(&el, "Обновить").is_some(), "a refresh control");
    set_url("/");
}

#[wasm_bindgen_test]
async fn refresh_shows_a_new_answer_and_keeps_the_typed_reply() {
    mock_reset();
    let waiting = detail(
        13718174,
        DialogStatus::Waiting,
        two_messages()[..1].to_vec(),
    );
    mock_rule(
        "/api/dialogs/13718174",
        200,
        &serde_json::to_string(&waiting).expect("json"),
    );
    set_url("/dialogs/13718174");
    let el = host();
    let _h = mount_page(&el);
    wait_for("the dialog", &el, || one(&el, "textarea").is_some()).await;
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    area.set_value("пишу ответ");
    let _ = area.dispatch_event(&web_sys::Event::new("input").expect("event"));
    leptos::task::tick().await;

    let answered = detail(13718174, DialogStatus::Answered, two_messages());
    mock_rule(
        "/api/dialogs/13718174",
        200,
        &serde_json::to_string(&answered).expect("json"),
    );
    button(&el, "Обновить").expect("refresh").click();
    wait_for("the answer", &el, || text(&el).contains("штраф вернём")).await;
    assert!(text(&el).contains("Поступил ответ. Ждёт оценки"));
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    assert_eq!(area.value(), "пишу ответ", "the reply box was not rebuilt");
    Drafts::claim("seller-a")
        .await
        .remove(&draft_name(13718174));
    set_url("/");
}

#[wasm_bindgen_test]
async fn the_compact_comment_helper_warns_about_a_card_number_in_a_reply() {
    let el = host();
    let _h = mount(&el, || {
        view! { <ReplyBox dialog_id=13718175 category_id="returns" theme_id="returns.requests"/> }
    });
    leptos::task::tick().await;
    assert_eq!(count(&el, ".ss-helper"), 0, "no helper for an empty box");
    let area: web_sys::HtmlTextAreaElement =
        one(&el, "textarea").expect("textarea").unchecked_into();
    area.set_value("Деньги вернули на карту 4111 1111 1111 1111, поставка 21573344");
    let _ = area.dispatch_event(&web_sys::Event::new("input").expect("event"));
    wait_for("the card warning", &el, || {
        text(&el).contains("Похоже на номер банковской карты")
    })
    .await;
    assert_eq!(count(&el, ".ss-helper.ss-helper-compact"), 1);
    Drafts::claim("seller-a")
        .await
        .remove(&draft_name(13718175));
}
