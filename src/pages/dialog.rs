//! One dialog: header, thread, reply, «Вопрос решён» with a rating, auto-close made visible.
//!
//! [`DialogPage`] owns the network: it loads `GET /api/dialogs/{id}`, keeps it fresh (a poll every
//! [`POLL_MS`] while the tab is visible, paused while hidden, plus a refresh button) and turns
//! failures into «Диалог не найден» or an error with «Повторить». Everything it shows is
//! [`DialogView`] and its parts, which take the dialog as props, so browser tests mount them
//! without a server.

mod follows;
mod rating;
mod reply;
mod thread;

pub use follows::FollowLinks;
pub use rating::{
    AutoCloseNotice, ClosedPanel, REASONS_UP_TO, RatingForm, ResolvePanel, new_dialog_href,
    reason_label,
};
pub use reply::{ReplyBox, UnsentReply, draft_key_name, draft_name};
pub use thread::Thread;

use crate::api::ApiError;
use crate::components::aria_bool;
use crate::components::error_box::ErrorBox;
use crate::components::status_badge::StatusBadge;
use crate::context::{use_api, use_shared};
use crate::format::{date, local_offset_min, now_ms};
use crate::i18n::{catalog_name, dialog::strings, use_i18n};
use crate::router::use_href;
use domain::api::{DIALOG_ID_MAX, DIALOG_ID_MIN, DialogDetail};
use domain::status::DialogStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::sync::{Arc, Mutex};
use std::time::Duration;

crate::lazy_part!(pub REPLY = reply_box in reply: || view! { <ReplyFromContext/> }.into_any());

/// What [`DialogView`] hands to its [`ReplyBox`], which is a module of its own in the split build
/// (`REPLY`): the reply box brings the comment analysis, the drop zone and the upload, which the
/// thread does not need to show. The dialog shows at once; the box follows when its module is there.
#[derive(Clone)]
struct ReplyArgs {
    dialog_id: u64,
    answered: Memo<bool>,
    category_id: String,
    theme_id: String,
    on_sent: Option<Callback<DialogDetail>>,
    on_stale: Option<Callback<()>>,
    unsent: RwSignal<String>,
}

crate::lazy_part!(pub UNSENT = unsent_reply in unsent:
    || view! { <UnsentFromContext/> }.into_any());

/// What [`DialogView`] hands to its [`UnsentReply`] once the dialog closed: a module of its own
/// too (`UNSENT`, small), which the thread does not need to show.
#[derive(Clone)]
struct UnsentArgs {
    dialog_id: u64,
    carried: String,
    new_dialog_path: String,
}

#[component]
fn UnsentFromContext() -> impl IntoView {
    let a = expect_context::<UnsentArgs>();
    view! {
        <UnsentReply
            dialog_id=a.dialog_id
            carried=a.carried
            new_dialog_path=a.new_dialog_path
        />
    }
}

#[component]
fn ReplyFromContext() -> impl IntoView {
    let a = expect_context::<ReplyArgs>();
    view! {
        <ReplyBox
            dialog_id=a.dialog_id
            answered=a.answered
            category_id=a.category_id
            theme_id=a.theme_id
            on_sent=a.on_sent
            on_stale=a.on_stale
            unsent=a.unsent
        />
    }
}

/// How often an open, visible dialog asks the server for news.
pub const POLL_MS: u64 = 10_000;

/// The dialog number in a URL: exactly eight digits in the API's range. Anything else cannot be a
/// dialog, so the page says «Диалог не найден» without asking the server.
pub fn parse_dialog_id(raw: &str) -> Option<u64> {
    if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse()
        .ok()
        .filter(|id| (DIALOG_ID_MIN..=DIALOG_ID_MAX).contains(id))
}

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    NotFound,
    Failed(ApiError),
    Ready,
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

#[component]
pub fn DialogPage() -> impl IntoView {
    let i18n = use_i18n();
    let s = move || strings(i18n.locale());
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get_str("id").and_then(parse_dialog_id)));
    let api = StoredValue::new(use_api());
    let shared = use_shared();

    let detail: RwSignal<Option<DialogDetail>> = RwSignal::new(None);
    let load = RwSignal::new(Load::Loading);
    let busy = RwSignal::new(false);
    let refresh_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let updated_at: RwSignal<Option<i64>> = RwSignal::new(None);
    // «Продолжает диалог № …» / «Продолжение — диалог № …».
    let follows: RwSignal<Option<u64>> = RwSignal::new(None);
    // A dialog shown with unread answers: marked read once the seller can see it (at once, or when
    // the tab comes back from the background).
    let unseen: StoredValue<Option<u64>> = StoredValue::new(None);
    let mark_seen = move || {
        if !page_visible() {
            return;
        }
        if let Some(Some(dialog)) = unseen.try_update_value(Option::take) {
            let api = api.get_value();
            spawn_local(async move {
                let _ = api.mark_read(dialog).await;
            });
        }
    };
    let followed_by: RwSignal<Vec<u64>> = RwSignal::new(Vec::new());
    // A newer request, an applied answer or leaving the page aborts the request in flight, so a
    // slow poll cannot undo a reply or show another dialog.
    let latest = crate::api::Latest::new();

    // Sets the state only when it changes: the page's branches re-render on every set.
    let set_load = move |next: Load| {
        if load.with_untracked(|l| *l != next) {
            load.set(next);
        }
    };
    let apply = move |d: DialogDetail| {
        let before = detail.with_untracked(|p| p.as_ref().map(|p| p.summary.status));
        // Support answered (or the dialog closed) while the page was open: the header's
        // awaiting-rating count is stale too.
        if before.is_some_and(|b| b != d.summary.status) {
            shared.touch();
        }
        if detail.with_untracked(|p| p.as_ref() != Some(&d)) {
            detail.set(Some(d));
        }
        refresh_error.set(None);
        updated_at.set(Some(now_ms()));
        set_load(Load::Ready);
    };
    let fetch = move |dialog: u64| {
        busy.set(true);
        let api = api.get_value();
        spawn_local(async move {
            let Some(result) = latest
                .run(|signal| async move { api.with_signal(signal).dialog(dialog).await })
                .await
            else {
                return;
            };
            busy.set(false);
            match result {
                Ok(v) if v.detail.summary.id == dialog => {
                    if follows.get_untracked() != v.follows {
                        follows.set(v.follows);
                    }
                    if followed_by.with_untracked(|f| *f != v.followed_by) {
                        followed_by.set(v.followed_by);
                    }
                    apply(v.detail);
                    unseen.set_value((v.unread > 0).then_some(dialog));
                    mark_seen();
                }
                Ok(_) => set_load(Load::Failed(ApiError::Malformed)),
                Err(e) if e.status() == Some(404) => {
                    detail.set(None);
                    set_load(Load::NotFound);
                }
                Err(e) => {
                    if detail.with_untracked(Option::is_some) {
                        refresh_error.set(Some(e));
                    } else {
                        set_load(Load::Failed(e));
                    }
                }
            }
        });
    };
    let refresh = move || {
        if let Some(dialog) = id.get_untracked() {
            fetch(dialog);
        }
    };
    // A reply's or a rating's answer is the newest state: it wins over any poll in flight.
    let on_change = Callback::new(move |d: DialogDetail| {
        latest.cancel();
        busy.set(false);
        apply(d);
    });
    let on_stale = Callback::new(move |()| refresh());
    // A change of this dialog elsewhere (support's answer, an auto-close, a reply from another
    // tab) or a look the live client asks for: fetch it again; drafts stay, the reply box keeps
    // its text.
    let live = crate::live::use_live();
    live.subscribe(move |event| {
        let ours = match event {
            crate::live::LiveEvent::Refresh => true,
            crate::live::LiveEvent::Change(kind, change) => {
                *kind != domain::events::EventKind::Read
                    && id.try_get_untracked().flatten() == Some(change.dialog_id)
            }
        };
        if ours {
            refresh();
        }
    });

    Effect::new(move |_| match id.get() {
        Some(dialog) => {
            if detail.with_untracked(|d| d.as_ref().map(|d| d.summary.id)) != Some(dialog) {
                detail.set(None);
                refresh_error.set(None);
                set_load(Load::Loading);
            }
            fetch(dialog);
        }
        None => {
            latest.cancel();
            detail.set(None);
            set_load(Load::NotFound);
        }
    });

    // Polling: only while the tab is visible, never for a closed dialog (it changes no more) or
    // while a request is already running.
    let poll = move || {
        // The event stream brings every change as it happens; polling is for when it is not there.
        if !page_visible() || busy.get_untracked() || live.is_streaming() {
            return;
        }
        let closed = detail.with_untracked(|d| {
            d.as_ref()
                .is_some_and(|d| d.summary.status == DialogStatus::Closed)
        });
        if closed || load.with_untracked(|l| *l == Load::NotFound) {
            return;
        }
        refresh();
    };
    let timer: Arc<Mutex<Option<IntervalHandle>>> = Arc::new(Mutex::new(None));
    let start = {
        let timer = timer.clone();
        move || {
            if let Ok(mut t) = timer.lock()
                && t.is_none()
            {
                *t = set_interval_with_handle(poll, Duration::from_millis(POLL_MS)).ok();
            }
        }
    };
    let stop = {
        let timer = timer.clone();
        move || {
            if let Ok(mut t) = timer.lock()
                && let Some(h) = t.take()
            {
                h.clear();
            }
        }
    };
    if page_visible() {
        start();
    }
    let listener = {
        let (start, stop) = (start.clone(), stop.clone());
        window_event_listener_untyped("visibilitychange", move |_| {
            if page_visible() {
                // Back on the tab: catch up at once, then poll again.
                mark_seen();
                poll();
                start();
            } else {
                stop();
            }
        })
    };
    on_cleanup(move || {
        listener.remove();
        stop();
    });

    let retry = Callback::new(move |()| refresh());

    let tools = move || {
        view! {
            <div class="ss-dialog-tools">
                <button
                    type="button"
                    class="ss-button ss-refresh"
                    aria-busy=aria_bool(busy.into())
                    disabled=busy
                    on:click=move |_| refresh()
                >
                    {Signal::derive(move || if busy.get() { s().refreshing } else { s().refresh })}
                </button>
                <span class="ss-muted ss-small">
                    {Signal::derive(move || {
                        updated_at
                            .get()
                            .map(|at| {
                                let hm = crate::format::date_time(
                                    i18n.locale(),
                                    at,
                                    local_offset_min(at),
                                );
                                let time = hm.rsplit(", ").next().unwrap_or_default().to_string();
                                format!("{} {time}", s().updated_at)
                            })
                    })}
                </span>
                <ErrorBox
                    message=Signal::derive(move || {
                        refresh_error
                            .get()
                            .map(|e| format!("{} {}", s().refresh_failed, e.message(i18n.t())))
                    })
                    class="ss-refresh-error"
                    on_retry=retry
                />
            </div>
        }
    };

    move || match load.get() {
        Load::Loading => view! {
            <section class="ss-page" aria-busy="true">
                <p role="status">{i18n.tr(|t| t.loading)}</p>
            </section>
        }
        .into_any(),
        Load::NotFound => view! { <DialogNotFound/> }.into_any(),
        Load::Failed(e) => view! {
            <section class="ss-page">
                <h1>{i18n.tr_in(strings, |s| s.load_failed_title)}</h1>
                <ErrorBox
                    message=Signal::derive(move || Some(e.message(i18n.t())))
                    note=i18n.tr(|t| t.error_what_to_do)
                    on_retry=retry
                />
            </section>
        }
        .into_any(),
        Load::Ready => match detail.get_untracked() {
            Some(first) => {
                // The page's detail is `None` only between dialogs; until the branch switches,
                // the view keeps what it last had.
                let shown = Signal::derive(move || detail.get().unwrap_or_else(|| first.clone()));
                view! {
                    <DialogView detail=shown on_change=Some(on_change) on_stale=Some(on_stale)>
                        {tools()}
                        <FollowLinks follows=follows followed_by=followed_by/>
                    </DialogView>
                }
                .into_any()
            }
            None => view! { <DialogNotFound/> }.into_any(),
        },
    }
}

/// «Диалог не найден»: unknown, malformed or another seller's number.
#[component]
pub fn DialogNotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="ss-page ss-not-found">
            <h1>{i18n.tr_in(strings, |s| s.not_found_title)}</h1>
            <p>{i18n.tr_in(strings, |s| s.not_found_text)}</p>
            <A href=use_href("/") attr:class="ss-button">
                {i18n.tr(|t| t.back_to_list)}
            </A>
        </section>
    }
}

/// The whole dialog as data: header, the answered call to action, the thread, and either the
/// reply box or (closed) the rating given. `children` go under the header (the page's refresh).
#[component]
pub fn DialogView(
    #[prop(into)] detail: Signal<DialogDetail>,
    /// The dialog after a reply or a rating, as the server returned it.
    #[prop(default = None)]
    on_change: Option<Callback<DialogDetail>>,
    /// The server refused an action because the dialog changed meanwhile: reload it.
    #[prop(default = None)]
    on_stale: Option<Callback<()>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = detail.with_untracked(|d| d.summary.id);
    let status = Memo::new(move |_| detail.with(|d| d.summary.status));
    let closes_at = Memo::new(move |_| detail.with(|d| d.summary.closes_at));
    let messages = Memo::new(move |_| detail.with(|d| d.messages.clone()));
    let resolution = Memo::new(move |_| detail.with(|d| d.resolution.clone()));
    let names = Memo::new(move |_| {
        detail.with(|d| {
            (
                d.summary.category_name.clone(),
                d.summary.theme_name.clone(),
                d.summary.category_id.clone(),
                d.summary.theme_id.clone(),
            )
        })
    });
    let created_at = detail.with_untracked(|d| d.summary.created_at);
    let answered = Memo::new(move |_| status.get() == DialogStatus::Answered);
    let open = Memo::new(move |_| status.get().accepts_messages());
    // Whether this view ever showed the dialog open: then a close happened before the seller's
    // eyes and the closed panel takes the focus.
    let was_open = StoredValue::new(false);
    // What the reply box holds, kept here: the box goes away when the dialog closes.
    let unsent = RwSignal::new(String::new());

    view! {
        <article class="ss-page ss-dialog" aria-labelledby="ss-dialog-title">
            <header class="ss-dialog-head">
                <h1 id="ss-dialog-title">
                    <span class="ss-dialog-number-label">{i18n.tr_in(strings, |s| s.number_label)}</span>
                    " "
                    <span class="ss-dialog-number">{id.to_string()}</span>
                </h1>
                <span class="ss-dialog-status" role="status" aria-live="polite" aria-atomic="true">
                    <StatusBadge
                        status=status
                        closes_at=Signal::derive(move || closes_at.get())
                    />
                </span>
            </header>
            <dl class="ss-meta" aria-label=i18n.tr_in(strings, |s| s.details_label)>
                <dt>{i18n.tr_in(strings, |s| s.category)}</dt>
                <dd>{Signal::derive(move || names.with(|n| catalog_name(i18n.locale(), &n.2, &n.0).to_string()))}</dd>
                <dt>{i18n.tr_in(strings, |s| s.theme)}</dt>
                <dd>{Signal::derive(move || names.with(|n| catalog_name(i18n.locale(), &n.3, &n.1).to_string()))}</dd>
                <dt>{i18n.tr_in(strings, |s| s.created)}</dt>
                <dd>{Signal::derive(move || date(i18n.locale(), created_at, local_offset_min(created_at)))}</dd>
            </dl>
            {children.map(|c| c())}
            {move || {
                answered
                    .get()
                    .then(|| {
                        view! {
                            <ResolvePanel
                                dialog_id=id
                                closes_at=closes_at
                                on_resolved=on_change
                                on_stale=on_stale
                            />
                        }
                    })
            }}
            <Thread messages=messages/>
            {move || {
                if open.get() {
                    was_open.set_value(true);
                    let args = ReplyArgs {
                        dialog_id: id,
                        answered,
                        category_id: names.with_untracked(|n| n.2.clone()),
                        theme_id: names.with_untracked(|n| n.3.clone()),
                        on_sent: on_change,
                        on_stale,
                        unsent,
                    };
                    view! { <leptos::context::Provider value=args>{crate::parts::part_view(REPLY)}</leptos::context::Provider> }
                        .into_any()
                } else {
                    let (_, _, category, theme) = names.get_untracked();
                    let take_focus = was_open.get_value();
                    let new_dialog_path = new_dialog_href(&category, &theme, Some(id));
                    let args = UnsentArgs {
                        dialog_id: id,
                        carried: unsent.get_untracked(),
                        new_dialog_path,
                    };
                    view! {
                        <leptos::context::Provider value=args>
                            {crate::parts::part_view(UNSENT)}
                        </leptos::context::Provider>
                        <ClosedPanel
                            resolution=resolution
                            category_id=category
                            theme_id=theme
                            take_focus=take_focus
                            follows=id
                        />
                    }
                        .into_any()
                }
            }}
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::parse_dialog_id;

    #[test]
    fn dialog_numbers_in_urls_are_eight_digits_in_range() {
        assert_eq!(parse_dialog_id("13718172"), Some(13_718_172));
        assert_eq!(parse_dialog_id("10000000"), Some(10_000_000));
        assert_eq!(parse_dialog_id("99999999"), Some(99_999_999));
        for bad in [
            "",
            "1371817",
            "137181720",
            "0137181",
            "09999999",
            "1371817a",
            "+1371817",
            " 13718172",
            "１３７１８１７２",
            "abc",
            "00000000",
        ] {
            assert_eq!(parse_dialog_id(bad), None, "{bad:?}");
        }
    }
}
