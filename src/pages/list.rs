//! The dialog list: the seller's home in support.
//!
//! Filter, search, sort and page live in the URL query ([`ListQuery`] parses and writes it), so a
//! reload, back/forward and a shared link show the same list. The page keeps the last list it
//! loaded and shows it, dimmed, while the next one loads: rows never flash away between pages.
//!
//! [`DialogTable`] renders rows it is given and knows nothing of the network, so tests and the
//! render benchmark mount it directly.

use crate::api::ApiError;
use crate::components::error_box::ErrorBox;
use crate::components::status_badge::{badge_html, clamp_ms, push_escaped};
use crate::context::{use_api, use_shared};
use crate::format::{date, local_offset_min, now_ms, plural};
use crate::i18n::live::{LiveStrings, strings as live_strings};
use crate::i18n::{Locale, catalog_name, list as li, use_i18n};
use crate::live::LiveEvent;
use crate::pages::list_updates::{RowUpdate, apply_change};
use crate::router::{Page, page_of, use_go};
use domain::api::{DialogListItem, DialogPage, ListQuery, SORT_ACTIVITY_DESC, SortOrder};
use domain::events::EventKind;
use domain::status::DialogStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};
use std::collections::HashSet;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The list's path inside the app, e.g. `/?status=answered&page=2`.
pub fn list_path(query: &ListQuery) -> String {
    let qs = query.to_query_string();
    if qs.is_empty() {
        "/".to_string()
    } else {
        format!("/?{qs}")
    }
}

/// The list's address under the app's base path, e.g. `/support/?status=answered&page=2`: always
/// with the slash after the base, as the header's link and every move to the list write it.
pub fn list_href(base: &str, query: &ListQuery) -> String {
    format!("{base}{}", list_path(query))
}

/// The address of a dialog's page under the app's base path.
pub fn dialog_href(base: &str, id: u64) -> String {
    format!("{base}/dialogs/{id}")
}

/// Number of pages for `total` rows, at least one.
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let per = u64::from(per_page.max(1));
    u32::try_from(total.div_ceil(per).max(1)).unwrap_or(u32::MAX)
}

/// Drops repeated dialog numbers (a keyed list must not see one key twice), keeping the first.
pub fn without_duplicates(mut list: DialogPage) -> DialogPage {
    let mut seen = HashSet::with_capacity(list.items.len());
    list.items.retain(|d| seen.insert(d.summary.id));
    list
}

/// Pause before the one automatic retry after a 401 (see `ListPage`).
const AUTH_RETRY_DELAY: Duration = Duration::from_millis(700);
/// The header count retries a failed request this many times, waiting longer each time.
const COUNT_RETRIES: u32 = 3;

/// What the page has: the last list that loaded (with the query it answers), whether a request is
/// running, and the error of the last request if it failed.
#[derive(Clone, Default)]
struct ListState {
    shown: Option<(ListQuery, DialogPage)>,
    loading: bool,
    /// The running request was started by a live change, not by the seller: the rows stay as
    /// they are (not dimmed) and nothing is announced.
    quiet: bool,
    error: Option<(ListQuery, ApiError)>,
}

#[component]
pub fn ListPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let shared = use_shared();
    let base = api.config().base_path.clone();
    let location = use_location();
    let query_map = use_query_map();
    let go_to = use_go();

    // While the router leaves for a dialog the URL changes before this page is gone; holding the
    // last query then avoids a useless request for the next page's (empty) query string. (The
    // page, not the path, is compared: `/support` and `/support/` are both the list.)
    let on_list = {
        let base = base.clone();
        Memo::new(move |_| {
            location
                .pathname
                .with(|p| page_of(&base, p).is_some_and(|(page, _)| page == Page::List))
        })
    };
    let query = Memo::new(move |prev: Option<&ListQuery>| match prev {
        Some(prev) if !on_list.get() => prev.clone(),
        _ => query_map.with(|m| ListQuery::parse_query_string(&m.to_query_string())),
    });
    let state = RwSignal::new(ListState::default());
    let retry = RwSignal::new(0u32);
    let latest = crate::api::Latest::new();
    let auth_retry_used = StoredValue::new(false);
    let live = crate::live::use_live();
    // A reload asked for by a live change (see `list_updates`), and whether the next run is one.
    let live_reload = RwSignal::new(0u32);
    let quiet_next = StoredValue::new(false);
    live.subscribe(move |event| {
        let reload = match event {
            LiveEvent::Refresh => true,
            LiveEvent::Change(kind, change) => state
                .try_update(|s| match &mut s.shown {
                    Some((q, page)) => {
                        let update = apply_change(&mut page.items, q, *kind, change);
                        if *kind == EventKind::Created && update == RowUpdate::Reload {
                            page.total += 1;
                        }
                        update == RowUpdate::Reload
                    }
                    None => false,
                })
                .unwrap_or(false),
        };
        if reload {
            quiet_next.set_value(true);
            live_reload.try_update(|n| *n = n.wrapping_add(1));
        }
    });

    {
        let api = api.clone();
        Effect::new(move |_| {
            let q = query.get();
            shared.dialogs_changed.track();
            retry.track();
            live_reload.track();
            let quiet = quiet_next.try_update_value(std::mem::take).unwrap_or(false);
            state.update(|s| {
                s.loading = true;
                s.quiet = quiet;
                s.error = None;
            });
            let api = api.clone();
            spawn_local(async move {
                // A newer request (the seller clicked on) aborts this one and owns the page now.
                let Some(result) = latest
                    .run(|signal| async { api.with_signal(signal).dialogs(&q).await })
                    .await
                else {
                    return;
                };
                // On a first visit in demo mode the header's counter and this list both meet a 401
                // and only one of them performs the demo login; the other is let in a moment
                // later. One quiet retry covers that instead of greeting the seller with an error.
                if matches!(result, Err(ApiError::Http { status: 401, .. }))
                    && auth_retry_used.try_update_value(|used| !std::mem::replace(used, true))
                        == Some(true)
                {
                    set_timeout(
                        move || {
                            retry.try_update(|n| *n += 1);
                        },
                        AUTH_RETRY_DELAY,
                    );
                    return;
                }
                if let Ok(list) = &result {
                    live.report_unread(list.unread_dialogs);
                }
                state.try_update(|s| {
                    s.loading = false;
                    match result {
                        Ok(list) => s.shown = Some((q, without_duplicates(list))),
                        // A quiet reload that failed leaves the rows as they were: the next event
                        // or poll tries again, and the seller did not ask for it.
                        Err(_) if s.quiet => {}
                        Err(e) => s.error = Some((q, e)),
                    }
                });
            });
        });
    }

    // The search box: what the seller typed, reset from the URL only when the URL's search changes
    // (back/forward, a shared link), never by a filter or page change.
    let search_text = RwSignal::new(query.with_untracked(|q| q.q.clone().unwrap_or_default()));
    let url_search = Memo::new(move |_| query.with(|q| q.q.clone()));
    Effect::new(move |_| search_text.set(url_search.get().unwrap_or_default()));

    let go = Callback::new(move |next: ListQuery| {
        let next = next.normalized();
        if next == query.get_untracked() {
            return;
        }
        go_to(&list_path(&next), false);
    });
    // Every change of filter, search or order starts at page one, and takes along what is typed in
    // the search box so nothing the seller entered is dropped.
    let change = move |edit: &dyn Fn(&mut ListQuery)| {
        let mut next = query.get_untracked();
        next.q = Some(search_text.get_untracked());
        next.page = 1;
        edit(&mut next);
        go.run(next);
    };

    let on_sort = Callback::new(move |()| {
        change(&|q| {
            q.sort = match q.sort {
                _ if q.by_activity => SortOrder::CreatedDesc,
                SortOrder::CreatedDesc => SortOrder::CreatedAsc,
                SortOrder::CreatedAsc => SortOrder::CreatedDesc,
            };
            q.by_activity = false;
        })
    });
    let on_order = move |value: String| {
        change(&move |q| {
            if value == SORT_ACTIVITY_DESC {
                q.by_activity = true;
            } else if let Some(order) = SortOrder::parse(&value) {
                q.by_activity = false;
                q.sort = order;
            }
        })
    };
    let order_value = move || {
        query.with(|q| {
            if q.by_activity {
                SORT_ACTIVITY_DESC
            } else {
                q.sort.as_str()
            }
        })
    };
    let on_status = move |value: String| {
        let status = DialogStatus::parse(&value);
        change(&move |q| q.status = status);
    };
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change(&|_| {});
    };

    let current_error = Memo::new(move |_| {
        let q = query.get();
        state.with(|s| {
            s.error
                .as_ref()
                .filter(|(eq, _)| *eq == q)
                .map(|(_, e)| e.clone())
        })
    });
    // The last good rows stay while another list loads or a refresh of the same list failed; a
    // failed load of a different filter hides them, so the table never claims to answer it.
    let visible = Memo::new(move |_| {
        let q = query.get();
        state.with(|s| {
            s.shown
                .as_ref()
                .filter(|(sq, _)| *sq == q || s.loading)
                .map(|(sq, l)| (sq.clone(), l.clone()))
        })
    });
    let loading = Memo::new(move |_| state.with(|s| s.loading && !s.quiet));
    let rows = Signal::derive(move || {
        visible.with(|v| v.as_ref().map(|(_, l)| l.items.clone()).unwrap_or_default())
    });
    let sort = Signal::derive(move || query.with(|q| q.sort));
    let by_activity = Signal::derive(move || query.with(|q| q.by_activity));

    let status_value = move || query.with(|q| q.status.map(|s| s.as_str()).unwrap_or(""));

    let live_text = Signal::derive(move || {
        let t = i18n.t();
        if !loading.get() {
            ""
        } else if visible.with(Option::is_some) {
            t.refreshing
        } else {
            t.loading
        }
    });

    let error_view = view! {
        <ErrorBox
            message=Signal::derive(move || current_error.get().map(|e| e.message(i18n.t())))
            title=i18n.tr_in(li::strings, |s| s.load_error_title)
            on_retry=Callback::new(move |()| retry.update(|n| *n += 1))
        />
    };

    let base_for_body = base.clone();
    let body = move || {
        let base = base_for_body.clone();
        let Some((shown_query, list)) = visible.get() else {
            return ().into_any();
        };
        if list.items.is_empty() {
            return view! { <ListEmpty base=base query=shown_query total=list.total/> }.into_any();
        }
        let option = move |value: &'static str, pick: fn(&'static LiveStrings) -> &'static str| {
            view! {
                <option value=value prop:selected=Signal::derive(move || order_value() == value)>
                    {i18n.tr_in(live_strings, pick)}
                </option>
            }
        };
        view! {
            // The order, «Последняя активность» included; on narrow screens also the stand-in for
            // the hidden date header's sort button.
            <p class="ss-list-sort">
                <label for="ss-list-order">{i18n.tr_in(live_strings, |s| s.sort_label)}</label>
                <select
                    id="ss-list-order"
                    class="ss-select"
                    on:change:target=move |ev| on_order(ev.target().value())
                >
                    {option("created_desc", |s| s.sort_created_desc)}
                    {option("created_asc", |s| s.sort_created_asc)}
                    {option(SORT_ACTIVITY_DESC, |s| s.sort_activity)}
                </select>
            </p>
            <DialogTable rows=rows sort=sort by_activity=by_activity on_sort=on_sort busy=loading/>
        }
        .into_any()
    };

    let base_for_pager = base.clone();
    let pager = move || {
        let (_, list) = visible.get()?;
        let q = query.get();
        let pages = page_count(list.total, q.per_page);
        if pages <= 1 && q.page <= 1 {
            return Some(
                view! { <p class="ss-list-total">{total_text(i18n.locale(), list.total)}</p> }
                    .into_any(),
            );
        }
        let t = i18n.t();
        let at = q.page.min(pages);
        let prev = (q.page > 1).then(|| {
            list_href(
                &base_for_pager,
                &ListQuery {
                    page: at.min(q.page - 1).max(1),
                    ..q.clone()
                },
            )
        });
        let next = (q.page < pages).then(|| {
            list_href(
                &base_for_pager,
                &ListQuery {
                    page: q.page + 1,
                    ..q.clone()
                },
            )
        });
        let link = |href: Option<String>, text: &'static str, rel: &'static str| match href {
            // Links to the list itself are plain `<a>` (the router follows them all the same):
            // `<A>` compares paths only and would mark `/?page=2` or `/` as the current page.
            Some(h) => {
                view! { <a class="ss-button" href=h rel=rel data-noscroll="true">{text}</a> }
                    .into_any()
            }
            None => view! { <span class="ss-button" aria-disabled="true">{text}</span> }.into_any(),
        };
        Some(
            view! {
                <nav class="ss-pager" aria-label=t.pagination>
                    {link(prev, t.page_prev, "prev")}
                    <span class="ss-pager-at" aria-current="page">
                        {format!("{} {} {} {}", li::strings(i18n.locale()).page, q.page, t.page_of, pages)}
                    </span>
                    {link(next, t.page_next, "next")}
                    <span class="ss-list-total">{total_text(i18n.locale(), list.total)}</span>
                </nav>
            }
            .into_any(),
        )
    };

    view! {
        <section class="ss-page ss-list" aria-labelledby="ss-list-title">
            <h1 id="ss-list-title">{i18n.tr(|t| t.list_title)}</h1>
            <form class="ss-toolbar ss-list-toolbar" role="search" on:submit=on_search>
                <div class="ss-field">
                    <label for="ss-list-status">{i18n.tr(|t| t.filter_status)}</label>
                    <select
                        id="ss-list-status"
                        class="ss-select"
                        on:change:target=move |ev| on_status(ev.target().value())
                    >
                        <option value="" prop:selected=Signal::derive(move || status_value().is_empty())>
                            {i18n.tr(|t| t.filter_all)}
                        </option>
                        {DialogStatus::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option
                                        value=s.as_str()
                                        prop:selected=Signal::derive(move || status_value() == s.as_str())
                                    >
                                        {Signal::derive(move || crate::components::status_badge::status_label(i18n.locale(), s))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="ss-field ss-list-search">
                    <label for="ss-list-q">{i18n.tr(|t| t.search_label)}</label>
                    <input
                        id="ss-list-q"
                        class="ss-input"
                        type="search"
                        name="q"
                        autocomplete="off"
                        placeholder=i18n.tr(|t| t.search_placeholder)
                        prop:value=search_text
                        on:input:target=move |ev| search_text.set(ev.target().value())
                    />
                </div>
                <button type="submit" class="ss-button">{i18n.tr(|t| t.search_button)}</button>
            </form>
            <p class="ss-list-live ss-muted" role="status" aria-live="polite">{live_text}</p>
            <crate::notify::NotifyToggle/>
            {error_view}
            {body}
            {pager}
        </section>
    }
}

fn total_text(locale: Locale, total: u64) -> String {
    format!("{}: {total}", locale.strings().total_dialogs)
}

/// No rows: a first-time seller gets the call to write; a filter that matched nothing says so and
/// offers to clear it; a page past the end offers the first page.
#[component]
fn ListEmpty(base: String, query: ListQuery, total: u64) -> impl IntoView {
    let i18n = use_i18n();
    let filtered = query.status.is_some() || query.q.is_some();
    // One markup with optional parts for the three cases: each `view!` shape costs its own
    // rendering code in the wasm.
    let past_end = total > 0;
    let (title, text) = if past_end {
        (None, i18n.tr_in(li::strings, |s| s.page_empty))
    } else if filtered {
        (
            Some(i18n.tr_in(li::strings, |s| s.empty_filtered_title)),
            i18n.tr(|t| t.empty_filtered),
        )
    } else {
        (Some(i18n.tr(|t| t.empty_title)), i18n.tr(|t| t.empty_text))
    };
    let first_page = past_end.then(|| {
        let first = list_href(
            &base,
            &ListQuery {
                page: 1,
                ..query.clone()
            },
        );
        view! { <a class="ss-button" href=first>{i18n.tr_in(li::strings, |s| s.first_page)}</a> }
    });
    let actions = (!past_end).then(|| {
        let reset = filtered.then(|| {
            let reset = list_href(
                &base,
                &ListQuery {
                    sort: query.sort,
                    ..ListQuery::default()
                },
            );
            view! { <a class="ss-button" href=reset>{i18n.tr_in(li::strings, |s| s.reset_filters)}</a> }
        });
        view! {
            <div class="ss-actions ss-empty-actions">
                {reset}
                <A href=format!("{base}/new") attr:class="ss-button ss-button-primary">
                    {i18n.tr(|t| t.new_dialog)}
                </A>
            </div>
        }
    });
    view! {
        <div class="ss-empty">
            {title.map(|t| view! { <h2>{t}</h2> })}
            <p>{text}</p>
            {first_page}
            {actions}
        </div>
    }
}

/// The table of dialogs. The header is reactive; the rows are static markup rebuilt when the rows
/// or the language change (see `rows_html`); one click listener on the body makes whole rows
/// clickable. The rows' links are plain `<a href>` in that markup, not `<A>`: leptos_router
/// follows them like any link to the app's pages (its click handler reads every link).
#[component]
pub fn DialogTable(
    #[prop(into)] rows: Signal<Vec<DialogListItem>>,
    #[prop(into)] sort: Signal<SortOrder>,
    /// The list is in the order «Последняя активность»: the date column is not the order then.
    #[prop(into, default = Signal::stored(false))]
    by_activity: Signal<bool>,
    /// Called when the seller activates the date header.
    #[prop(optional)]
    on_sort: Option<Callback<()>>,
    /// True while a newer list loads: rows stay, dimmed.
    #[prop(into, default = Signal::stored(false))]
    busy: Signal<bool>,
    /// The moment «закроется через …» counts from; defaults to now.
    #[prop(optional)]
    now: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let base = use_api().config().base_path.clone();
    let now = now.unwrap_or_else(now_ms);
    let lt = move || li::strings(i18n.locale());

    // Signals rather than closures: every `Signal<&str>` shares one copy of the rendering code.
    let aria_sort = Signal::derive(move || match sort.get() {
        _ if by_activity.get() => "none",
        SortOrder::CreatedDesc => "descending",
        SortOrder::CreatedAsc => "ascending",
    });
    let arrow = Signal::derive(move || match sort.get() {
        _ if by_activity.get() => "",
        SortOrder::CreatedDesc => "↓",
        SortOrder::CreatedAsc => "↑",
    });
    let sort_state = Signal::derive(move || match sort.get() {
        _ if by_activity.get() => live_strings(i18n.locale()).sort_state_activity,
        SortOrder::CreatedDesc => lt().sort_state_desc,
        SortOrder::CreatedAsc => lt().sort_state_asc,
    });
    let sort_hint = Signal::derive(move || match sort.get() {
        _ if by_activity.get() => lt().sort_to_desc,
        SortOrder::CreatedDesc => lt().sort_to_asc,
        SortOrder::CreatedAsc => lt().sort_to_desc,
    });

    // Rows are static text: one string, set at once, is several times faster to build than a
    // thousand element trees through the wasm boundary, and the memo only touches the DOM when the
    // rows or the language really changed (a refresh with the same answer leaves focus alone).
    let body_html = Memo::new(move |_| {
        let locale = i18n.locale();
        rows.with(|rows| rows_html(locale, &base, now, rows))
    });

    // The rows are rebuilt as a whole when one changes (a live answer): the link that had the
    // focus gets it back, so a keyboard user keeps their place.
    // The first rows go in with the table itself (no frame without them); the effect takes over
    // for every later change.
    let tbody = NodeRef::<leptos::html::Tbody>::new();
    let first_rows = body_html.get_untracked();
    let in_body = StoredValue::new(first_rows.clone());
    Effect::new(move |_| {
        let Some(body) = tbody.get() else { return };
        let same = body_html.with(|html| in_body.with_value(|shown| shown == html));
        if same {
            return;
        }
        let html = body_html.get_untracked();
        let focused = document()
            .active_element()
            .filter(|a| body.contains(Some(a)))
            .and_then(|a| a.get_attribute("href"));
        body.set_inner_html(&html);
        in_body.set_value(html);
        if let Some(href) = focused
            && let Ok(Some(link)) = body.query_selector(&format!("a[href=\"{href}\"]"))
            && let Ok(link) = link.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = link.focus();
        }
    });

    let sort_click = move |_| {
        if let Some(cb) = on_sort {
            cb.run(())
        }
    };
    view! {
        <div class="ss-table-wrap">
            <table
                class="ss-table ss-dialogs"
                class:ss-table-busy=busy
                aria-busy=Signal::derive(move || if busy.get() { "true" } else { "false" })
            >
                <caption class="ss-visually-hidden">
                    {i18n.tr_in(li::strings, |s| s.caption)} ", " {sort_state}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(|t| t.col_number)}</th>
                        <th scope="col">{i18n.tr(|t| t.col_status)}</th>
                        <th scope="col" aria-sort=aria_sort>
                            <button
                                type="button"
                                class="ss-sort"
                                title=sort_hint
                                on:click=sort_click
                            >
                                {i18n.tr(|t| t.col_created)}
                                " "
                                <span class="ss-sort-arrow" aria-hidden="true">{arrow}</span>
                                <span class="ss-visually-hidden">", " {sort_state}</span>
                            </button>
                        </th>
                        <th scope="col">{i18n.tr(|t| t.col_theme)}</th>
                    </tr>
                </thead>
                <tbody on:click=row_click node_ref=tbody inner_html=first_rows></tbody>
            </table>
        </div>
    }
}

/// The rows as one HTML string, every server-sent text escaped.
pub fn rows_html(locale: Locale, base: &str, now: i64, rows: &[DialogListItem]) -> String {
    use std::fmt::Write;
    // About 600 bytes a row; one allocation for a typical page.
    let mut out = String::with_capacity(rows.len() * 640);
    for item in rows {
        let r = &item.summary;
        let created = clamp_ms(r.created_at);
        out.push_str("<tr class=\"ss-row");
        if r.status.awaiting_rating() {
            out.push_str(" ss-row-answered");
        }
        if item.unread > 0 {
            out.push_str(" ss-row-unread");
        }
        out.push_str("\"><td class=\"ss-col-number\"><a href=\"");
        push_escaped(&mut out, base);
        let _ = write!(out, "/dialogs/{}\">{}", r.id, r.id);
        // Inside the link, so the link's name says it too: «13718172, новый ответ».
        if item.unread > 0 {
            let _ = write!(
                out,
                "<span class=\"ss-unread\"><span class=\"ss-visually-hidden\">, {}</span></span>",
                live_strings(locale).unread_mark
            );
        }
        out.push_str("</a></td><td class=\"ss-col-status\">");
        badge_html(&mut out, locale, r.status, r.closes_at, now);
        out.push_str("</td><td class=\"ss-col-date\">");
        out.push_str(&date(locale, created, local_offset_min(created)));
        out.push_str("</td><td class=\"ss-col-theme\">");
        push_escaped(&mut out, catalog_name(locale, &r.theme_id, &r.theme_name));
        out.push_str("<span class=\"ss-secondary\">");
        push_escaped(
            &mut out,
            catalog_name(locale, &r.category_id, &r.category_name),
        );
        out.push_str("</span></td></tr>");
    }
    out
}

/// A click anywhere in a row opens its dialog, through the row's own link so the router (and its
/// base path) handles it. Clicks on the link itself, modified clicks and text selection keep their
/// usual meaning; Ctrl/⌘-click on the row opens a new tab like it would on the link.
fn row_click(ev: web_sys::MouseEvent) {
    if ev.default_prevented() || ev.button() != 0 {
        return;
    }
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if let Ok(Some(_)) = target.closest("a, button, input, select, textarea, label") {
        return;
    }
    let Ok(Some(row)) = target.closest("tr") else {
        return;
    };
    if selection_is_open() {
        return;
    }
    let Some(link) = row
        .query_selector("a[href]")
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    if ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
        if let (Some(w), Some(href)) = (web_sys::window(), link.get_attribute("href")) {
            let _ = w.open_with_url_and_target(&href, "_blank");
        }
        return;
    }
    link.click();
}

/// True when the seller has selected text (e.g. to copy a theme); such a click is not a "open".
fn selection_is_open() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let get = js_sys::Reflect::get(&w, &"getSelection".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(sel) = get.and_then(|f| f.call0(&w).ok()) else {
        return false;
    };
    if sel.is_null() || sel.is_undefined() {
        return false;
    }
    js_sys::Reflect::get(&sel, &"isCollapsed".into())
        .ok()
        .and_then(|v| v.as_bool())
        .map(|collapsed| !collapsed)
        .unwrap_or(false)
}

/// The header's count of dialogs that wait for the seller's rating; a link to exactly those.
/// Hidden while there are none (or the count could not be loaded).
#[component]
pub fn AwaitingRatingCount() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let shared = use_shared();
    let location = use_location();
    let count = RwSignal::new(0u64);
    let latest = crate::api::Latest::new();
    let attempt = RwSignal::new(0u32);
    let failures = StoredValue::new(0u32);
    let live = crate::live::use_live();
    // An answer or a close changes what awaits a rating; a mark read does not.
    live.subscribe(move |event| {
        if !matches!(event, LiveEvent::Change(EventKind::Read, _)) {
            attempt.try_update(|a| *a += 1);
        }
    });
    let query = ListQuery {
        status: Some(DialogStatus::Answered),
        per_page: 1,
        ..ListQuery::default()
    };
    let href = list_href(
        &api.config().base_path,
        &ListQuery {
            status: Some(DialogStatus::Answered),
            ..ListQuery::default()
        },
    );

    Effect::new(move |_| {
        shared.dialogs_changed.track();
        attempt.track();
        // Another page may have rated or answered a dialog; a page change is a cheap moment to look.
        location.pathname.track();
        let api = api.clone();
        let query = query.clone();
        spawn_local(async move {
            let Some(result) = latest
                .run(|signal| async { api.with_signal(signal).dialogs(&query).await })
                .await
            else {
                return;
            };
            match result {
                Ok(list) => {
                    failures.try_set_value(0);
                    live.report_unread(list.unread_dialogs);
                    count.try_set(list.total);
                }
                // The last known count stays: a blip should not hide or zero it. A few later
                // attempts cover a server that was briefly away and the first demo visit, where
                // the list's request may be the one that logs in.
                Err(_) => {
                    let n = failures
                        .try_update_value(|f| {
                            *f += 1;
                            *f
                        })
                        .unwrap_or(u32::MAX);
                    if n <= COUNT_RETRIES {
                        set_timeout(
                            move || {
                                attempt.try_update(|a| *a += 1);
                            },
                            Duration::from_millis(1_000 * u64::from(n)),
                        );
                    }
                }
            }
        });
    });

    let words = Signal::derive(move || {
        let t = i18n.t();
        plural(
            i18n.locale(),
            count.get(),
            t.awaiting_rating_badge_one,
            t.awaiting_rating_badge_few,
            t.awaiting_rating_badge_many,
        )
    });
    // A plain link, like the pager's: `<A>` would call `/?status=answered` the current page.
    view! {
        <span class="ss-awaiting" aria-live="polite">
            <Show when=move || { count.get() > 0 }>
                <a
                    class="ss-awaiting-link"
                    href=href.clone()
                    title=i18n.tr_in(li::strings, |s| s.awaiting_rating_title)
                >
                    <span class="ss-counter">{count}</span>
                    <span class="ss-awaiting-words">" " {words}</span>
                </a>
            </Show>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u64) -> DialogListItem {
        DialogListItem {
            summary: domain::api::DialogSummary {
                id,
                status: DialogStatus::Waiting,
                category_id: "c".into(),
                theme_id: "t".into(),
                category_name: "C".into(),
                theme_name: "T".into(),
                created_at: 0,
                updated_at: 0,
                closes_at: None,
                awaiting_rating: false,
            },
            unread: 0,
            last_activity_at: 0,
        }
    }

    #[test]
    fn hrefs_keep_the_base_and_the_query() {
        let q = ListQuery::parse_query_string("status=answered&q=возврат&page=2");
        assert_eq!(
            list_href("", &q),
            "/?status=answered&q=%D0%B2%D0%BE%D0%B7%D0%B2%D1%80%D0%B0%D1%82&page=2"
        );
        assert_eq!(list_href("", &ListQuery::default()), "/");
        assert_eq!(list_href("/support", &ListQuery::default()), "/support/");
        assert_eq!(
            list_href(
                "/support",
                &ListQuery {
                    page: 3,
                    ..ListQuery::default()
                }
            ),
            "/support/?page=3"
        );
        assert_eq!(dialog_href("", 13718172), "/dialogs/13718172");
        assert_eq!(
            dialog_href("/support", 13718172),
            "/support/dialogs/13718172"
        );
    }

    #[test]
    fn rows_markup_escapes_server_text_and_links_each_dialog() {
        let mut evil = row(13718172);
        evil.summary.theme_name = "<img src=x onerror=alert(1)>".into();
        evil.summary.category_name = "A & \"B\"".into();
        evil.summary.created_at = 1_680_861_600_000;
        let mut unread = row(2);
        unread.unread = 1;
        let html = rows_html(Locale::Ru, "/support", 0, &[evil, unread]);
        assert!(html.contains("<a href=\"/support/dialogs/13718172\">13718172</a>"));
        // The unread row: marked, and its link says so in words.
        assert!(
            html.contains("<tr class=\"ss-row ss-row-unread\">"),
            "{html}"
        );
        assert!(html.contains(
            "2<span class=\"ss-unread\"><span class=\"ss-visually-hidden\">, новый ответ</span></span></a>"
        ));
        assert_eq!(html.matches("ss-unread\"").count(), 1);
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!html.contains("<img"));
        assert!(html.contains("A &amp; &quot;B&quot;"));
        assert!(html.contains(">07.04.2023<"));
        assert_eq!(html.matches("<tr ").count(), 2);
        assert_eq!(rows_html(Locale::Ru, "", 0, &[]), "");
    }

    #[test]
    fn page_count_rounds_up_and_is_never_zero() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(30, 20), 2);
        assert_eq!(page_count(5, 0), 5);
        assert_eq!(page_count(u64::MAX, 1), u32::MAX);
    }

    #[test]
    fn repeated_numbers_are_dropped_keeping_the_first() {
        let mut first = row(2);
        first.summary.theme_name = "first".into();
        let list = DialogPage {
            items: vec![row(1), first, row(2), row(3), row(1)],
            total: 5,
            unread_dialogs: 0,
        };
        let out = without_duplicates(list);
        let ids: Vec<u64> = out.items.iter().map(|d| d.summary.id).collect();
        assert_eq!(ids, vec![1, 2, 3]);
        assert_eq!(out.items[1].summary.theme_name, "first");
        assert_eq!(out.total, 5);
    }
}
