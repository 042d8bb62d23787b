//! Browser tests of the dialog list: the table itself (headers, rows, badges, sort toggle,
//! language), and the page with a stand-in `fetch` (filter and search in the URL, back, paging
//! links, keeping rows while loading, empty and error states, malformed answers) and the header's
//! awaiting-rating count.
#![cfg(target_arch = "wasm32")]

use domain::api::{DialogListItem, DialogPage, DialogSummary, SortOrder};
use domain::status::DialogStatus;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use seller_support::components::status_badge::StatusBadge;
use seller_support::context::Shared;
use seller_support::i18n::{I18n, Locale};
use seller_support::pages::list::{AwaitingRatingCount, DialogTable, ListPage};
use seller_support::router::{AppRoute, Page};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod common;

use common::{Mounted, host, mount, set_url};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const rules = [];
let fallback = { status: 404, body: '{"code":"not_found","message":"nothing here"}' };
let held = null;
export const calls = [];
export function mock_reset() {
  rules.length = 0; calls.length = 0; held = null;
  fallback = { status: 404, body: '{"code":"not_found","message":"nothing here"}' };
  window.fetch = async (url) => {
    const u = url instanceof Request ? url.url : String(url);
    calls.push(u);
    if (held) await held.promise;
    const rule = rules.find((r) => u.includes(r.part)) || fallback;
    return new Response(rule.body, { status: rule.status, headers: { 'Content-Type': 'application/json' } });
  };
}
export function mock_default(status, body) { fallback = { status, body }; }
export function mock_rule(part, status, body) { rules.unshift({ part, status, body }); }
export function mock_hold() { let release; const promise = new Promise((r) => { release = r; }); held = { promise, release }; }
export function mock_release() { if (held) { held.release(); held = null; } }
export function mock_calls() { return calls.join('\n'); }
export function select_all(el, sel) { return Array.from(el.querySelectorAll(sel)); }
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
"#)]
extern "C" {
    fn mock_reset();
    fn mock_default(status: u16, body: &str);
    fn mock_rule(part: &str, status: u16, body: &str);
    fn mock_hold();
    fn mock_release();
    fn mock_calls() -> String;
    fn sleep(ms: u32) -> js_sys::Promise;
    fn select_all(el: &web_sys::HtmlElement, selector: &str) -> js_sys::Array;
}

const DAY: i64 = 86_400_000;
// 2023-04-07T10:00:00Z: a date that reads the same in every time zone the tests may run in.
const APR_7: i64 = 1_680_861_600_000;

fn summary(
    id: u64,
    status: DialogStatus,
    created_at: i64,
    closes_at: Option<i64>,
) -> DialogSummary {
    DialogSummary {
        id,
        status,
        category_id: "returns".into(),
        theme_id: "return-requests".into(),
        category_name: "Возвраты".into(),
        theme_name: "Вопросы по уже оформленным заявкам на возврат".into(),
        created_at,
        updated_at: created_at,
        closes_at,
        awaiting_rating: status == DialogStatus::Answered,
    }
}

/// A row as the list shows it (nothing unread).
fn item(summary: DialogSummary) -> DialogListItem {
    DialogListItem {
        last_activity_at: summary.updated_at,
        summary,
        unread: 0,
    }
}

fn list_json(items: Vec<DialogSummary>, total: u64) -> String {
    let items = items.into_iter().map(item).collect();
    serde_json::to_string(&DialogPage {
        items,
        total,
        unread_dialogs: 0,
    })
    .expect("serialize a test list")
}

fn current_search() -> String {
    window().location().search().unwrap_or_default()
}

async fn pause(ms: u32) {
    let _ = JsFuture::from(sleep(ms)).await;
}

/// Polls until `cond` holds (the app answers through fetch promises and effects), failing with
/// `what` after two seconds.
async fn wait_for(what: &str, el: &web_sys::HtmlElement, cond: impl Fn() -> bool) {
    for _ in 0..200 {
        if cond() {
            return;
        }
        pause(10).await;
    }
    panic!(
        "timed out waiting for {what}; page text: {}",
        el.text_content().unwrap_or_default()
    );
}

fn all(el: &web_sys::HtmlElement, selector: &str) -> Vec<web_sys::Element> {
    select_all(el, selector)
        .iter()
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

fn one(el: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    el.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector} in: {}", el.inner_html()))
        .unchecked_into()
}

fn text(e: &web_sys::Element) -> String {
    e.text_content().unwrap_or_default()
}

fn row_numbers(el: &web_sys::HtmlElement) -> Vec<String> {
    all(el, "tbody tr td:first-child a")
        .iter()
        .map(text)
        .collect()
}

#[wasm_bindgen_test]
async fn table_shows_headers_rows_links_dates_and_badges() {
    let el = host();
    let now = APR_7 + 10 * DAY;
    let rows: Vec<DialogListItem> = [
        summary(13718172, DialogStatus::Closed, APR_7, None),
        summary(
            13718173,
            DialogStatus::Answered,
            APR_7 + DAY,
            Some(now + 2 * DAY + 3_600_000),
        ),
        summary(13718174, DialogStatus::Waiting, APR_7 + 2 * DAY, None),
    ]
    .into_iter()
    .map(item)
    .collect();
    let handle = mount(&el, move || {
        view! {
            <DialogTable rows=Signal::stored(rows.clone()) sort=Signal::stored(SortOrder::CreatedDesc) now=now/>
        }
    });
    leptos::task::tick().await;

    let heads: Vec<String> = all(&el, "thead th").iter().map(text).collect();
    assert_eq!(heads.len(), 4);
    assert_eq!(heads[0], "№ диалога");
    assert_eq!(heads[1], "Статус");
    assert!(heads[2].starts_with("Дата создания ↓"), "{heads:?}");
    assert_eq!(heads[3], "Тема");
    assert_eq!(
        one(&el, "thead th:nth-child(3)")
            .get_attribute("aria-sort")
            .as_deref(),
        Some("descending")
    );

    assert_eq!(row_numbers(&el), ["13718172", "13718173", "13718174"]);
    let links = all(&el, "tbody a");
    assert_eq!(
        links[0].get_attribute("href").as_deref(),
        Some("/dialogs/13718172")
    );
    assert_eq!(
        links[2].get_attribute("href").as_deref(),
        Some("/dialogs/13718174")
    );

    let first = &all(&el, "tbody tr")[0];
    let cells: Vec<String> = all(&el, "tbody tr:first-child td")
        .iter()
        .map(text)
        .collect();
    assert_eq!(cells[1], "Завершён");
    assert_eq!(cells[2], "07.04.2023");
    assert!(cells[3].starts_with("Вопросы по уже оформленным заявкам на возврат"));
    assert_eq!(
        text(
            &first
                .query_selector(".ss-secondary")
                .ok()
                .flatten()
                .expect("category")
        ),
        "Возвраты"
    );

    let answered = &all(&el, "tbody tr")[1];
    assert!(answered.class_list().contains("ss-row-answered"));
    let badge = answered
        .query_selector(".ss-badge")
        .ok()
        .flatten()
        .expect("badge");
    assert_eq!(text(&badge), "Поступил ответ. Ждёт оценки");
    assert!(badge.class_list().contains("ss-badge-answered"));
    let closes = answered
        .query_selector(".ss-closes")
        .ok()
        .flatten()
        .expect("closing text");
    assert_eq!(text(&closes), "закроется через 2 дня");
    // Only answered dialogs close by themselves.
    assert_eq!(all(&el, ".ss-closes").len(), 1);
    assert!(text(&all(&el, "tbody tr")[2]).contains("Ожидает ответа поддержки"));
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_date_header_toggles_the_order_and_says_so() {
    let el = host();
    let sort = RwSignal::new(SortOrder::CreatedDesc);
    let toggles = RwSignal::new(0u32);
    let on_sort = Callback::new(move |()| {
        toggles.update(|n| *n += 1);
        sort.update(|s| {
            *s = match s {
                SortOrder::CreatedDesc => SortOrder::CreatedAsc,
                SortOrder::CreatedAsc => SortOrder::CreatedDesc,
            }
        });
    });
    let handle = mount(&el, move || {
        view! {
            <DialogTable rows=Signal::stored(vec![item(summary(1, DialogStatus::Waiting, APR_7, None))]) sort=sort on_sort=on_sort/>
        }
    });
    leptos::task::tick().await;
    let th = one(&el, "thead th:nth-child(3)");
    let button = one(&el, "thead th:nth-child(3) button");
    assert!(text(&button).contains("сначала новые"), "{}", text(&button));

    button.click();
    leptos::task::tick().await;
    assert_eq!(toggles.get_untracked(), 1);
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("ascending"));
    assert!(text(&th).starts_with("Дата создания ↑"), "{}", text(&th));
    assert!(text(&button).contains("сначала старые"));

    button.click();
    leptos::task::tick().await;
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("descending"));
    assert!(text(&th).contains('↓'));

    drop(handle);
}

#[wasm_bindgen_test]
async fn the_table_follows_the_language_switch() {
    let el = host();
    let i18n = I18n::new(Locale::Ru);
    let now = APR_7;
    let rows = vec![item(summary(
        7,
        DialogStatus::Answered,
        APR_7,
        Some(now + DAY),
    ))];
    let handle = mount(&el, move || {
        provide_context(i18n);
        view! {
            <DialogTable rows=Signal::stored(rows.clone()) sort=Signal::stored(SortOrder::CreatedDesc) now=now/>
        }
    });
    leptos::task::tick().await;
    assert_eq!(text(&one(&el, ".ss-closes")), "закроется через 1 день");
    i18n.set(Locale::En);
    leptos::task::tick().await;
    let cells: Vec<String> = all(&el, "tbody td").iter().map(text).collect();
    assert_eq!(cells[2], "7 Apr 2023");
    assert!(
        cells[1].starts_with("Answered. Awaiting your rating"),
        "{cells:?}"
    );
    assert_eq!(text(&one(&el, ".ss-closes")), "closes in 1 day");
    assert_eq!(text(&one(&el, "thead th")), "Dialog no.");
    i18n.set(Locale::Ru);
    leptos::task::tick().await;
    drop(handle);
}

#[wasm_bindgen_test]
async fn status_badge_words_every_status_and_plural_closing_times() {
    let el = host();
    let now = APR_7;
    let handle = mount(&el, move || {
        view! {
            <p id="w"><StatusBadge status=DialogStatus::Waiting/></p>
            <p id="a5"><StatusBadge status=DialogStatus::Answered closes_at=now + 5 * DAY now=now/></p>
            <p id="a21"><StatusBadge status=DialogStatus::Answered closes_at=now + 21 * DAY now=now/></p>
            <p id="h"><StatusBadge status=DialogStatus::Answered closes_at=now + 3 * 3_600_000 now=now/></p>
            <p id="c"><StatusBadge status=DialogStatus::Closed closes_at=now + DAY now=now/></p>
        }
    });
    leptos::task::tick().await;
    assert_eq!(text(&one(&el, "#w")), "Ожидает ответа поддержки");
    assert_eq!(text(&one(&el, "#a5 .ss-closes")), "закроется через 5 дней");
    assert_eq!(
        text(&one(&el, "#a21 .ss-closes")),
        "закроется через 21 день"
    );
    assert_eq!(text(&one(&el, "#h .ss-closes")), "закроется через 3 часа");
    assert_eq!(
        text(&one(&el, "#c")),
        "Завершён",
        "a closed dialog has no countdown"
    );
    drop(handle);
}

/// The list inside the app's routes, so links to a dialog complete their navigation.
fn mount_page(el: &web_sys::HtmlElement) -> Mounted {
    mount(el, || {
        view! {
            <Router>
                <Routes fallback=|| "not found">
                    <Route path=AppRoute::of(Page::List) view=ListPage/>
                    <Route
                        path=AppRoute::of(Page::Dialog)
                        view=|| view! { <h1 class="dialog-page">"dialog"</h1> }
                    />
                </Routes>
            </Router>
        }
    })
}

#[wasm_bindgen_test]
async fn under_a_base_path_entered_without_its_slash_filters_still_apply() {
    mock_reset();
    set_url("/support");
    mock_default(200, &list_json(page_of(20000001, 3), 3));
    let answered = vec![summary(20000050, DialogStatus::Answered, APR_7, None)];
    mock_rule("status=answered", 200, &list_json(answered, 1));
    let el = host();
    let handle = mount(&el, || {
        provide_context(seller_support::api::Api::new(
            seller_support::config::Config {
                base_path: "/support".into(),
                ..seller_support::config::Config::default()
            },
        ));
        view! {
            <Router base="/support">
                <Routes fallback=|| "not the list">
                    <Route path=AppRoute::of(Page::List) view=ListPage/>
                </Routes>
            </Router>
        }
    });
    wait_for("the first rows", &el, || row_numbers(&el).len() == 3).await;

    let select: web_sys::HtmlSelectElement = one(&el, "#ss-list-status").unchecked_into();
    choose_answered(&el, &select).await;
    assert_eq!(
        window().location().pathname().unwrap_or_default(),
        "/support/"
    );
    assert_eq!(current_search(), "?status=answered");
    drop(handle);
    set_url("/");
}

/// Picks «answered» in the status filter and waits for the one answered row the stand-in serves.
async fn choose_answered(el: &web_sys::HtmlElement, select: &web_sys::HtmlSelectElement) {
    select.set_value("answered");
    select
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    wait_for("the answered rows", el, || row_numbers(el) == ["20000050"]).await;
}

fn page_of(first_id: u64, n: u64) -> Vec<DialogSummary> {
    (0..n)
        .map(|i| {
            summary(
                first_id + i,
                DialogStatus::Waiting,
                APR_7 - i as i64 * DAY,
                None,
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn filter_and_search_live_in_the_url_and_back_restores_them() {
    mock_reset();
    set_url("/");
    mock_default(200, &list_json(page_of(20000001, 3), 3));
    let answered = vec![summary(
        20000050,
        DialogStatus::Answered,
        APR_7,
        Some(seller_support::format::now_ms() + 2 * DAY + 3_600_000),
    )];
    mock_rule("status=answered", 200, &list_json(answered, 1));
    let el = host();
    let handle = mount_page(&el);
    wait_for("the first rows", &el, || row_numbers(&el).len() == 3).await;
    assert!(mock_calls().contains("/api/dialogs"), "{}", mock_calls());

    let select: web_sys::HtmlSelectElement = one(&el, "#ss-list-status").unchecked_into();
    assert_eq!(select.value(), "");
    let label = one(&el, "label[for='ss-list-status']");
    assert_eq!(text(&label), "Статус");
    choose_answered(&el, &select).await;
    assert_eq!(current_search(), "?status=answered");
    assert!(text(&one(&el, "tbody")).contains("закроется через 2 дня"));

    // Search: typed text goes to the URL and to the API on submit.
    let input: web_sys::HtmlInputElement = one(&el, "#ss-list-q").unchecked_into();
    input.set_value("возврат");
    input
        .dispatch_event(&web_sys::Event::new("input").expect("event"))
        .expect("dispatch");
    one(&el, "form[role='search'] button[type='submit']").click();
    wait_for("the search in the URL", &el, || {
        current_search().contains("q=")
    })
    .await;
    assert_eq!(
        current_search(),
        "?status=answered&q=%D0%B2%D0%BE%D0%B7%D0%B2%D1%80%D0%B0%D1%82"
    );
    wait_for("the search request", &el, || {
        mock_calls().contains("status=answered&q=%D0%B2%D0%BE%D0%B7%D0%B2%D1%80%D0%B0%D1%82")
    })
    .await;

    // Back: the previous filter comes back, and the search box follows the URL.
    window().history().expect("history").back().expect("back");
    wait_for("the URL after back", &el, || {
        current_search() == "?status=answered"
    })
    .await;
    wait_for("the box cleared by back", &el, || input.value().is_empty()).await;
    assert_eq!(select.value(), "answered");
    window().history().expect("history").back().expect("back");
    wait_for("all dialogs after a second back", &el, || {
        row_numbers(&el).len() == 3
    })
    .await;
    assert_eq!(select.value(), "");
    drop(handle);
    set_url("/");
}

#[wasm_bindgen_test]
async fn a_shared_link_opens_with_its_filter_sort_and_page() {
    mock_reset();
    set_url("/?status=closed&q=123&sort=created_asc&page=2");
    mock_default(200, &list_json(page_of(30000021, 5), 45));
    let el = host();
    let handle = mount_page(&el);
    wait_for("rows", &el, || row_numbers(&el).len() == 5).await;
    assert!(
        mock_calls().contains("/api/dialogs?status=closed&q=123&sort=created_asc&page=2"),
        "{}",
        mock_calls()
    );
    let select: web_sys::HtmlSelectElement = one(&el, "#ss-list-status").unchecked_into();
    assert_eq!(select.value(), "closed");
    let input: web_sys::HtmlInputElement = one(&el, "#ss-list-q").unchecked_into();
    assert_eq!(input.value(), "123");
    let th = one(&el, "thead th:nth-child(3)");
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("ascending"));

    // 45 dialogs, 20 a page: page 2 of 3, links to pages 1 and 3 that keep the rest.
    let pager = one(&el, "nav.ss-pager");
    let pager_text = text(&pager);
    assert!(pager_text.contains("Страница 2 из 3"), "{pager_text}");
    assert!(pager_text.contains("Всего диалогов: 45"), "{pager_text}");
    let prev = one(&el, "nav.ss-pager a[rel='prev']");
    let next = one(&el, "nav.ss-pager a[rel='next']");
    assert_eq!(
        prev.get_attribute("href").as_deref(),
        Some("/?status=closed&q=123&sort=created_asc")
    );
    assert_eq!(
        next.get_attribute("href").as_deref(),
        Some("/?status=closed&q=123&sort=created_asc&page=3")
    );

    // Toggling the order starts again at page one and keeps filter and search.
    one(&el, "thead th:nth-child(3) button").click();
    wait_for("the new order in the URL", &el, || {
        current_search() == "?status=closed&q=123"
    })
    .await;
    wait_for("aria-sort", &el, || {
        th.get_attribute("aria-sort").as_deref() == Some("descending")
    })
    .await;
    drop(handle);
    set_url("/");
}

#[wasm_bindgen_test]
async fn rows_stay_dimmed_while_the_next_list_loads() {
    mock_reset();
    set_url("/");
    mock_default(200, &list_json(page_of(40000001, 20), 30));
    mock_rule("page=2", 200, &list_json(page_of(40000021, 10), 30));
    let el = host();
    let handle = mount_page(&el);
    wait_for("page one", &el, || row_numbers(&el).len() == 20).await;

    mock_hold();
    one(&el, "nav.ss-pager a[rel='next']").click();
    wait_for("page two requested", &el, || {
        mock_calls().contains("page=2")
    })
    .await;
    pause(30).await;
    // The request hangs: the old rows are still there, marked busy, and the status says so.
    assert_eq!(row_numbers(&el).len(), 20);
    assert_eq!(row_numbers(&el)[0], "40000001");
    let table = one(&el, "table");
    assert_eq!(table.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(text(&one(&el, "[role='status']")), "Обновляем…");

    mock_release();
    wait_for("page two", &el, || {
        row_numbers(&el).first().map(String::as_str) == Some("40000021")
    })
    .await;
    assert_eq!(row_numbers(&el).len(), 10);
    assert_eq!(table.get_attribute("aria-busy").as_deref(), Some("false"));
    assert!(text(&one(&el, "nav.ss-pager")).contains("Страница 2 из 2"));
    assert_eq!(current_search(), "?page=2");
    drop(handle);
    set_url("/");
}

#[wasm_bindgen_test]
async fn a_failed_load_offers_retry_and_keeps_what_was_typed() {
    mock_reset();
    set_url("/?q=%D1%88%D1%82%D1%80%D0%B0%D1%84");
    mock_default(500, "<html>proxy error</html>");
    let el = host();
    let handle = mount_page(&el);
    wait_for("the error", &el, || {
        el.query_selector("[role='alert']").ok().flatten().is_some()
    })
    .await;
    let alert = one(&el, "[role='alert']");
    assert!(text(&alert).contains("Не удалось загрузить диалоги"));
    assert!(
        text(&alert).contains("Сервер поддержки ответил ошибкой. (500)"),
        "{}",
        text(&alert)
    );
    let input: web_sys::HtmlInputElement = one(&el, "#ss-list-q").unchecked_into();
    assert_eq!(input.value(), "штраф");
    // The seller goes on typing while the server is down; a retry must not wipe it.
    input.set_value("штраф 151564");
    input
        .dispatch_event(&web_sys::Event::new("input").expect("event"))
        .expect("dispatch");

    mock_default(200, &list_json(page_of(50000001, 2), 2));
    let retry = all(&el, "[role='alert'] button")
        .into_iter()
        .find(|b| text(b) == "Повторить")
        .expect("a Повторить button");
    retry.unchecked_into::<web_sys::HtmlElement>().click();
    wait_for("rows after retry", &el, || row_numbers(&el).len() == 2).await;
    assert!(el.query_selector("[role='alert']").ok().flatten().is_none());
    assert_eq!(input.value(), "штраф 151564");
    assert_eq!(current_search(), "?q=%D1%88%D1%82%D1%80%D0%B0%D1%84");
    drop(handle);
    set_url("/");
}

#[wasm_bindgen_test]
async fn malformed_answers_show_an_error_instead_of_panicking() {
    for body in [
        r#"{"items": 5, "total": "many"}"#,
        r#"{"items":[{"id":-1}],"total":1}"#,
        "not json at all",
        "",
    ] {
        mock_reset();
        set_url("/");
        mock_default(200, body);
        let el = host();
        let handle = mount_page(&el);
        wait_for("the error", &el, || {
            el.query_selector("[role='alert']").ok().flatten().is_some()
        })
        .await;
        assert!(
            text(&one(&el, "[role='alert']")).contains("не удалось прочитать"),
            "{body}: {}",
            text(&el)
        );
        drop(handle);
    }
    // Repeated numbers and absurd dates are shown, not fatal.
    mock_reset();
    let mut weird = summary(60000001, DialogStatus::Answered, i64::MAX, Some(i64::MIN));
    weird.updated_at = i64::MIN;
    let twin = summary(60000001, DialogStatus::Closed, i64::MIN, None);
    mock_default(200, &list_json(vec![weird, twin], 2));
    let el = host();
    let handle = mount_page(&el);
    wait_for("the odd row", &el, || row_numbers(&el).len() == 1).await;
    assert!(text(&one(&el, "tbody")).contains("закроется сегодня"));
    drop(handle);
    set_url("/");
}

#[wasm_bindgen_test]
async fn empty_lists_invite_a_new_dialog_and_filtered_ones_say_nothing_matched() {
    mock_reset();
    set_url("/");
    mock_default(200, &list_json(vec![], 0));
    let el = host();
    let handle = mount_page(&el);
    wait_for("the empty state", &el, || {
        el.query_selector(".ss-empty").ok().flatten().is_some()
    })
    .await;
    let empty = one(&el, ".ss-empty");
    assert!(
        text(&empty).contains("Диалогов пока нет"),
        "{}",
        text(&empty)
    );
    let cta = one(&el, ".ss-empty a.ss-button-primary");
    assert_eq!(text(&cta), "Новый диалог");
    assert_eq!(cta.get_attribute("href").as_deref(), Some("/new"));
    assert!(el.query_selector("table").ok().flatten().is_none());
    drop(handle);

    set_url("/?status=closed&q=zzz");
    let el = host();
    let handle = mount_page(&el);
    wait_for("the filtered empty state", &el, || {
        el.query_selector(".ss-empty").ok().flatten().is_some()
    })
    .await;
    let empty = text(&one(&el, ".ss-empty"));
    assert!(empty.contains("Ничего не найдено"), "{empty}");
    assert!(!empty.contains("Диалогов пока нет"), "{empty}");
    let reset = all(&el, ".ss-empty a")
        .into_iter()
        .find(|a| text(a) == "Сбросить фильтр и поиск")
        .expect("a reset link");
    assert_eq!(reset.get_attribute("href").as_deref(), Some("/"));
    drop(handle);

    // A page past the end is not "nothing found": it offers the first page.
    set_url("/?page=9");
    mock_default(200, &list_json(vec![], 30));
    let el = host();
    let handle = mount_page(&el);
    wait_for("the page-past-the-end state", &el, || {
        text(&el).contains("На этой странице диалогов нет")
    })
    .await;
    let first = all(&el, ".ss-empty a")
        .into_iter()
        .find(|a| text(a) == "К первой странице")
        .expect("a first-page link");
    assert_eq!(first.get_attribute("href").as_deref(), Some("/"));
    drop(handle);
    set_url("/");
}

#[wasm_bindgen_test]
async fn a_click_on_a_row_opens_its_dialog() {
    mock_reset();
    set_url("/");
    mock_default(200, &list_json(page_of(70000001, 2), 2));
    let el = host();
    let handle = mount_page(&el);
    wait_for("rows", &el, || row_numbers(&el).len() == 2).await;
    let theme_cell = one(&el, "tbody tr:nth-child(2) td.ss-col-theme");
    theme_cell.click();
    wait_for("the dialog URL", &el, || {
        window().location().pathname().unwrap_or_default() == "/dialogs/70000002"
    })
    .await;
    wait_for("the dialog route", &el, || {
        el.query_selector(".dialog-page").ok().flatten().is_some()
    })
    .await;
    drop(handle);
    set_url("/");
}

#[wasm_bindgen_test]
async fn header_count_shows_dialogs_awaiting_rating_refetches_and_hides_at_zero() {
    mock_reset();
    set_url("/");
    mock_default(200, &list_json(vec![], 0));
    mock_rule(
        "status=answered&per_page=1",
        200,
        &list_json(vec![summary(1, DialogStatus::Answered, APR_7, None)], 3),
    );
    let shared = Shared {
        dialogs_changed: RwSignal::new(0),
        flash: RwSignal::new(None),
    };
    let el = host();
    let handle = mount(&el, move || {
        provide_context(shared);
        view! {
            <Router>
                <AwaitingRatingCount/>
            </Router>
        }
    });
    wait_for("the count", &el, || text(&el).contains("ждут оценки")).await;
    assert_eq!(text(&el), "3 диалога ждут оценки");
    let link = one(&el, "a");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/?status=answered")
    );
    assert!(mock_calls().contains("/api/dialogs?status=answered&per_page=1"));

    // Another page rated a dialog: the count follows.
    mock_rule("status=answered&per_page=1", 200, &list_json(vec![], 1));
    shared.touch();
    wait_for("the new count", &el, || text(&el) == "1 диалог ждёт оценки").await;

    mock_rule("status=answered&per_page=1", 200, &list_json(vec![], 0));
    shared.touch();
    wait_for("the count hidden at zero", &el, || {
        el.query_selector("a").ok().flatten().is_none()
    })
    .await;
    assert_eq!(text(&el), "");
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_401_on_first_visit_is_retried_once_quietly() {
    mock_reset();
    set_url("/");
    mock_default(401, r#"{"code":"unauthorized","message":"no session"}"#);
    let el = host();
    let handle = mount_page(&el);
    wait_for("the first request", &el, || {
        mock_calls().contains("/api/dialogs")
    })
    .await;
    // Meanwhile the other request logged in: the next attempt is let in.
    mock_default(200, &list_json(page_of(80000001, 2), 2));
    pause(200).await;
    assert!(
        el.query_selector("[role='alert']").ok().flatten().is_none(),
        "no error while the retry is pending: {}",
        text(&el)
    );
    wait_for("rows after the quiet retry", &el, || {
        row_numbers(&el).len() == 2
    })
    .await;
    drop(handle);

    // A second 401 is a real one: the seller is told, with a retry button.
    mock_default(401, r#"{"code":"unauthorized","message":"no session"}"#);
    let el = host();
    let handle = mount_page(&el);
    wait_for("the session error", &el, || {
        text(&el).contains("Сессия кабинета закончилась")
    })
    .await;
    drop(handle);
    set_url("/");
}

#[wasm_bindgen_test]
async fn header_count_tries_again_after_a_failure() {
    mock_reset();
    set_url("/");
    mock_default(500, "");
    let el = host();
    let handle = mount(&el, || {
        view! {
            <Router>
                <AwaitingRatingCount/>
            </Router>
        }
    });
    wait_for("the first request", &el, || {
        mock_calls().contains("per_page=1")
    })
    .await;
    assert_eq!(text(&el), "");
    mock_default(200, &list_json(vec![], 2));
    wait_for("the count after a retry", &el, || {
        text(&el) == "2 диалога ждут оценки"
    })
    .await;
    drop(handle);
}
