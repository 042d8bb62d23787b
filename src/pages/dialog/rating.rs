//! «Вопрос решён»: the rating of an answered dialog, and what a closed dialog shows instead.

use crate::components::error_box::ErrorBox;
use crate::components::{aria_bool, comment_error_line, live_line};
use crate::context::{use_api, use_shared};
use crate::format::{date, date_time, local_offset_min, now_ms};
use crate::i18n::{Locale, dialog::strings, use_i18n};
use domain::api::{CommentError, Resolution, ResolveRequest, percent_encode, validate_comment};
use domain::status::{CloseReason, MAX_RATING, MIN_RATING, ResolveReason};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Ratings up to this one ask what was wrong; higher ones do not (the reasons stay optional).
pub const REASONS_UP_TO: u8 = 3;

/// The words for a reason in `locale`; Russian ones are the domain's.
pub fn reason_label(locale: Locale, reason: ResolveReason) -> &'static str {
    match locale {
        Locale::Ru => reason.label_ru(),
        Locale::En => {
            let i = ResolveReason::ALL
                .iter()
                .position(|r| *r == reason)
                .unwrap_or(0);
            strings(locale).reasons.get(i).copied().unwrap_or("")
        }
    }
}

/// When an answered dialog closes by itself, as a sentence (or `None` when the server gave no date).
#[component]
pub fn AutoCloseNotice(#[prop(into)] closes_at: Signal<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let text = Signal::derive(move || {
        let locale = i18n.locale();
        let s = strings(locale);
        closes_at
            .get()
            .map(|at| {
                if at > now_ms() {
                    format!(
                        "{} {}.",
                        s.closes_on,
                        date_time(locale, at, local_offset_min(at))
                    )
                } else {
                    s.closes_soon.to_string()
                }
            })
            .unwrap_or_default()
    });
    // Hidden, not removed, without a date: a plain line, no live region or focus depends on it.
    view! {
        <p class="ss-autoclose" hidden=Signal::derive(move || closes_at.with(Option::is_none))>
            {text}
        </p>
    }
}

/// The answered dialog's call to action: the auto-close date and the prominent «Вопрос решён»
/// that opens the [`RatingForm`]. Continuing the dialog is the reply box below.
#[component]
pub fn ResolvePanel(
    dialog_id: u64,
    #[prop(into)] closes_at: Signal<Option<i64>>,
    #[prop(default = None)] on_resolved: Option<Callback<domain::api::DialogDetail>>,
    #[prop(default = None)] on_stale: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    let cancel = Callback::new(move |()| {
        open.set(false);
        // Give the focus back to where the seller came from.
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    });
    view! {
        <section class="ss-callout ss-answered" aria-labelledby="ss-answered-title">
            <h2 id="ss-answered-title">{i18n.tr_in(strings, |s| s.answered_title)}</h2>
            <p>{i18n.tr_in(strings, |s| s.answered_text)}</p>
            <AutoCloseNotice closes_at=closes_at/>
            <button
                type="button"
                class="ss-button ss-button-primary ss-resolve"
                node_ref=button
                hidden=open
                aria-expanded=aria_bool(open.into())
                aria-controls="ss-rating-form"
                on:click=move |_| open.set(true)
            >
                {i18n.tr_in(strings, |s| s.resolve_button)}
            </button>
            <Show when=move || open.get()>
                <RatingForm
                    dialog_id=dialog_id
                    on_resolved=on_resolved
                    on_cancel=Some(cancel)
                    on_stale=on_stale
                    focus_first=true
                />
            </Show>
        </section>
    }
}

/// The rating: an accessible radio group 1–5, for low ratings the reasons as checkboxes, an
/// optional comment; confirming sends `POST /api/dialogs/{id}/resolve`.
#[component]
pub fn RatingForm(
    dialog_id: u64,
    #[prop(default = None)] on_resolved: Option<Callback<domain::api::DialogDetail>>,
    #[prop(default = None)] on_cancel: Option<Callback<()>>,
    #[prop(default = None)] on_stale: Option<Callback<()>>,
    /// Move the focus to the first star when the form appears (after «Вопрос решён»).
    #[prop(optional)]
    focus_first: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = move || strings(i18n.locale());
    let api = StoredValue::new(use_api());
    let shared = use_shared();

    let rating: RwSignal<Option<u8>> = RwSignal::new(None);
    let reasons: RwSignal<Vec<ResolveReason>> = RwSignal::new(Vec::new());
    let comment = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let missing_rating = RwSignal::new(false);
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let wants_reasons = Memo::new(move |_| rating.get().is_some_and(|r| r <= REASONS_UP_TO));
    // Blank is fine (the comment is optional); only a too-long one is an error.
    let comment_error = Memo::new(move |_| {
        comment.with(|c| match validate_comment(c) {
            Err(e @ CommentError::TooLong { .. }) => Some(e),
            _ => None,
        })
    });
    let first_radio = NodeRef::<leptos::html::Input>::new();
    if focus_first {
        Effect::new(move |_| {
            if let Some(el) = first_radio.get() {
                let _ = el.focus();
            }
        });
    }

    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let Some(r) = rating.get_untracked() else {
            missing_rating.set(true);
            if let Some(el) = first_radio.get_untracked() {
                let _ = el.focus();
            }
            return;
        };
        if comment_error.get_untracked().is_some() {
            return;
        }
        let text = comment.get_untracked().trim().to_string();
        let body = ResolveRequest {
            rating: r,
            comment: (!text.is_empty()).then_some(text),
            // Reasons picked for a low rating and then left behind by a higher one are not sent.
            reasons: if r <= REASONS_UP_TO {
                let picked = reasons.get_untracked();
                ResolveReason::ALL
                    .into_iter()
                    .filter(|x| picked.contains(x))
                    .collect()
            } else {
                Vec::new()
            },
        };
        sending.set(true);
        failure.set(None);
        let api = api.get_value();
        spawn_local(async move {
            let result = api.resolve(dialog_id, &body).await;
            if sending.try_set(false).is_some() {
                // The form is gone (the page changed): nobody to tell.
                return;
            }
            match result {
                Ok(detail) => {
                    shared.touch();
                    if let Some(cb) = on_resolved {
                        cb.try_run(detail);
                    }
                }
                Err(e) => {
                    failure.try_set(Some(e.message(i18n.t())));
                    // 409: the dialog changed meanwhile (closed automatically, or support
                    // answered again); show the page as it is now.
                    if e.status() == Some(409)
                        && let Some(cb) = on_stale
                    {
                        cb.try_run(());
                    }
                }
            }
        });
    };

    let stars = (MIN_RATING..=MAX_RATING)
        .map(|n| {
            let id = format!("ss-rating-{n}");
            let for_id = id.clone();
            let node = if n == MIN_RATING {
                first_radio
            } else {
                NodeRef::new()
            };
            view! {
                <label for=for_id>
                    <input
                        type="radio"
                        id=id
                        name="ss-rating"
                        value=n.to_string()
                        node_ref=node
                        prop:checked=Signal::derive(move || rating.get() == Some(n))
                        on:change=move |_| {
                            rating.set(Some(n));
                            missing_rating.set(false);
                        }
                    />
                    <span>{n}</span>
                    " "
                    <span class="ss-rating-word">
                        {Signal::derive(move || s().rating_words.get(usize::from(n) - 1).copied().unwrap_or(""))}
                    </span>
                </label>
            }
        })
        .collect_view();

    let reason_boxes = move || {
        ResolveReason::ALL
            .into_iter()
            .map(|reason| {
                let id = format!("ss-reason-{}", reason.as_str());
                let for_id = id.clone();
                view! {
                    <label class="ss-check" for=for_id>
                        <input
                            type="checkbox"
                            id=id
                            value=reason.as_str()
                            prop:checked=Signal::derive(move || reasons.with(|r| r.contains(&reason)))
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                reasons.update(|r| {
                                    r.retain(|x| *x != reason);
                                    if on {
                                        r.push(reason);
                                    }
                                });
                            }
                        />
                        <span>{Signal::derive(move || reason_label(i18n.locale(), reason))}</span>
                    </label>
                }
            })
            .collect_view()
    };

    view! {
        <form
            id="ss-rating-form"
            class="ss-rating-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                send();
            }
        >
            <fieldset
                class="ss-rating-group"
                aria-describedby=Signal::derive(move || missing_rating.get().then_some("ss-rating-missing"))
            >
                <legend>{i18n.tr_in(strings, |s| s.rating_legend)}</legend>
                <div class="ss-rating">{stars}</div>
                {live_line(
                    missing_rating.into(),
                    "ss-field-error",
                    "alert",
                    Some("ss-rating-missing"),
                    i18n.tr_in(strings, |s| s.rating_required),
                )}
            </fieldset>
            <Show when=move || wants_reasons.get()>
                <fieldset class="ss-reasons-group">
                    <legend>{i18n.tr_in(strings, |s| s.reasons_legend)}</legend>
                    <div class="ss-reasons">{reason_boxes()}</div>
                </fieldset>
            </Show>
            <div class="ss-field">
                <label for="ss-rating-comment">{i18n.tr_in(strings, |s| s.rating_comment_label)}</label>
                <textarea
                    id="ss-rating-comment"
                    class="ss-textarea ss-textarea-short"
                    aria-describedby="ss-rating-comment-hint"
                    aria-invalid=Signal::derive(move || if comment_error.get().is_some() { "true" } else { "false" })
                    prop:value=comment
                    on:input:target=move |ev| comment.set(ev.target().value())
                ></textarea>
                <span class="ss-hint" id="ss-rating-comment-hint">
                    {i18n.tr_in(strings, |s| s.rating_comment_hint)}
                </span>
                {comment_error_line(comment_error, None)}
            </div>
            <ErrorBox message=failure.into() on_retry=Callback::new(move |()| send())/>
            <div class="ss-actions">
                <button
                    type="submit"
                    class="ss-button ss-button-primary"
                    aria-busy=aria_bool(sending.into())
                    disabled=sending
                >
                    {Signal::derive(move || if sending.get() { s().rating_sending } else { s().rating_confirm })}
                </button>
                {on_cancel
                    .map(|cb| {
                        view! {
                            <button
                                type="button"
                                class="ss-button"
                                disabled=sending
                                on:click=move |_| cb.run(())
                            >
                                {i18n.tr_in(strings, |s| s.rating_cancel)}
                            </button>
                        }
                    })}
            </div>
        </form>
    }
}

/// A closed dialog: the rating the seller gave (or that it closed by itself) and the way on,
/// «Создать новый диалог» with the same category and theme.
#[component]
pub fn ClosedPanel(
    #[prop(into)] resolution: Signal<Option<Resolution>>,
    #[prop(into)] category_id: String,
    #[prop(into)] theme_id: String,
    /// Move the focus to the panel's heading: the dialog closed while the seller was on the
    /// page (the rating form they were in is gone).
    #[prop(optional)]
    take_focus: bool,
    /// The closed dialog's number: «Создать новый диалог» makes a continuation of it.
    #[prop(optional, into)]
    follows: Option<u64>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Under the runtime base path (`/support/new?…`).
    let href = crate::router::use_href(&new_dialog_href(&category_id, &theme_id, follows));
    let heading = NodeRef::<leptos::html::H2>::new();
    if take_focus {
        Effect::new(move |_| {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        });
    }
    let details = move || {
        let locale = i18n.locale();
        let s = strings(locale);
        resolution.get().map(|r| {
            let when = date(locale, r.closed_at, local_offset_min(r.closed_at));
            match r.close_reason {
                CloseReason::Auto => view! {
                    <p class="ss-closed-how">{format!("{} · {when}", s.closed_auto)}</p>
                }
                .into_any(),
                CloseReason::Resolved => {
                    let rating = r.rating.map(|n| {
                        let word = usize::from(n)
                            .checked_sub(1)
                            .and_then(|i| s.rating_words.get(i))
                            .copied()
                            .unwrap_or("");
                        view! {
                            <dt>{s.your_rating}</dt>
                            <dd class="ss-rating-given">
                                {format!("{n} {} {MAX_RATING} — {word}", s.rating_of)}
                            </dd>
                        }
                    });
                    let comment = r.comment.clone().filter(|c| !c.trim().is_empty()).map(|c| {
                        view! {
                            <dt>{s.your_comment}</dt>
                            <dd class="ss-message-text">{c}</dd>
                        }
                    });
                    let reasons = (!r.reasons.is_empty()).then(|| {
                        let list = r
                            .reasons
                            .iter()
                            .map(|x| reason_label(locale, *x))
                            .collect::<Vec<_>>()
                            .join(", ");
                        view! {
                            <dt>{s.your_reasons}</dt>
                            <dd>{list}</dd>
                        }
                    });
                    view! {
                        <p class="ss-closed-how">{format!("{} · {when}", s.closed_resolved)}</p>
                        <dl class="ss-meta">{rating} {reasons} {comment}</dl>
                    }
                    .into_any()
                }
            }
        })
    };
    view! {
        <section class="ss-closed" aria-labelledby="ss-closed-title">
            <h2 id="ss-closed-title" tabindex="-1" node_ref=heading>
                {i18n.tr_in(strings, |s| s.closed_title)}
            </h2>
            {details}
            <p class="ss-muted">{i18n.tr_in(strings, |s| s.closed_readonly)}</p>
            <leptos_router::components::A href=href attr:class="ss-button ss-button-primary">
                {i18n.tr_in(strings, |s| s.create_new)}
            </leptos_router::components::A>
        </section>
    }
}

/// `/new?category=…&theme=…[&follows=…]`: the new-dialog form reads these, preselects both and
/// sends `follows` (the closed dialog the new one continues).
pub fn new_dialog_href(category_id: &str, theme_id: &str, follows: Option<u64>) -> String {
    let mut href = format!(
        "/new?category={}&theme={}",
        percent_encode(category_id),
        percent_encode(theme_id)
    );
    if let Some(id) = follows {
        href.push_str(&format!("&follows={id}"));
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_dialog_link_carries_category_and_theme_encoded() {
        assert_eq!(
            new_dialog_href("returns", "return-requests", None),
            "/new?category=returns&theme=return-requests"
        );
        assert_eq!(
            new_dialog_href("a b", "x&y", Some(13718172)),
            "/new?category=a%20b&theme=x%26y&follows=13718172"
        );
    }

    #[test]
    fn reasons_have_words_in_both_locales() {
        for r in ResolveReason::ALL {
            assert_eq!(reason_label(Locale::Ru, r), r.label_ru());
            assert!(!reason_label(Locale::En, r).is_empty());
        }
        assert_eq!(
            reason_label(Locale::En, ResolveReason::NotSolved),
            "Not solved"
        );
    }
}
