//! The reply box: a message with files, sent as multipart `POST /api/dialogs/{id}/messages`.
//!
//! The text is a draft in localStorage (one key per dialog) from the first keystroke until the
//! server confirmed the message, so a reload, a crash or a failed send loses nothing. Files stay
//! picked when sending fails. A reply on an answered dialog sends it back to support (the server
//! applies the status rule; the page shows the status it returns). The comment helper, in its
//! compact form, points out what the reply contains and warns about secrets pasted by mistake;
//! sending a reply that holds a card number or a secret needs an explicit confirmation, checked
//! on the text as it is at the moment of sending (the helper's report is debounced).
//!
//! Every draft carries one `Idempotency-Key`, saved beside the draft text from the first attempt
//! to send it until the server confirmed the message: a retry after a lost answer, also after a
//! reload, cannot post the reply twice. A confirmed reply starts the next draft with a new key.

use crate::api::{ApiError, http_error, parse_body};
use crate::app::{use_api, use_shared};
use crate::components::comment_helper::{
    CommentHelper, analyze_choice, needs_secret_confirmation, use_comment_analysis,
};
use crate::components::drop_zone::{DropZone, picked_files};
use crate::components::error_box::ErrorBox;
use crate::components::{aria_bool, comment_error_line};
use crate::draft::random_id;
use crate::i18n::{comment_helper::warning_text, dialog::strings, use_i18n};
use crate::upload::{Progress, Upload, UploadError, append_files};
use domain::api::{
    DialogDetail, IDEMPOTENCY_KEY_HEADER, MAX_COMMENT_CHARS, fields, validate_comment,
};
use domain::catalog::Catalog;
use domain::comment::Warning;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The localStorage key of a dialog's reply draft.
pub fn draft_key(dialog_id: u64) -> String {
    format!("seller-support.reply-draft.{dialog_id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The saved draft of a dialog's reply ("" when none or storage is unavailable).
pub fn load_draft(dialog_id: u64) -> String {
    storage()
        .and_then(|s| s.get_item(&draft_key(dialog_id)).ok().flatten())
        .unwrap_or_default()
}

/// The localStorage key of the `Idempotency-Key` of a dialog's reply draft.
pub fn draft_idempotency_key(dialog_id: u64) -> String {
    format!("seller-support.reply-key.{dialog_id}")
}

/// The key of the draft that was sent before (and may have reached the server), or a new one.
fn load_or_new_key(dialog_id: u64) -> String {
    storage()
        .and_then(|s| s.get_item(&draft_idempotency_key(dialog_id)).ok().flatten())
        .filter(|k| !k.is_empty())
        .unwrap_or_else(random_id)
}

fn save_key(dialog_id: u64, key: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match key {
            Some(k) => s.set_item(&draft_idempotency_key(dialog_id), k),
            None => s.remove_item(&draft_idempotency_key(dialog_id)),
        };
    }
}

use domain::api::codes::IDEMPOTENCY_KEY_REUSED as KEY_REUSED;

fn save_draft(dialog_id: u64, text: &str) {
    if let Some(s) = storage() {
        // Whitespace alone is no draft worth keeping.
        let _ = if text.trim().is_empty() {
            s.remove_item(&draft_key(dialog_id))
        } else {
            s.set_item(&draft_key(dialog_id), text)
        };
    }
}

#[component]
pub fn ReplyBox(
    dialog_id: u64,
    /// Support has answered: the box says that a reply sends the dialog back to support.
    #[prop(optional, into)]
    answered: Signal<bool>,
    /// The dialog as the server returned it after the reply.
    #[prop(default = None)]
    on_sent: Option<Callback<DialogDetail>>,
    /// The server refused because the dialog changed meanwhile (e.g. closed): reload it.
    #[prop(default = None)]
    on_stale: Option<Callback<()>>,
    /// The dialog's category and theme, for the comment helper's checks ("" when unknown).
    #[prop(optional, into)]
    category_id: String,
    #[prop(optional, into)] theme_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = move || strings(i18n.locale());
    let api = StoredValue::new(use_api());
    let shared = use_shared();

    let text = RwSignal::new(load_draft(dialog_id));
    let files = picked_files();
    let progress: RwSignal<Option<Progress>> = RwSignal::new(None);
    let sending = RwSignal::new(false);
    let attempted = RwSignal::new(false);
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let notice: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let canceller = StoredValue::new_local(None::<crate::upload::UploadCanceller>);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // Idempotency-Key of this draft; saved when it is first sent, replaced once it went through.
    let key = StoredValue::new(load_or_new_key(dialog_id));
    // Warnings found in the text at the last send; `Some` = the confirmation is showing.
    let secret_pending: RwSignal<Option<Vec<Warning>>> = RwSignal::new(None);
    let secret_ack = RwSignal::new(false);
    let choice = StoredValue::new((Catalog::builtin(), category_id.clone(), theme_id.clone()));

    let catalog = Catalog::builtin();
    let theme = catalog.theme(&category_id, &theme_id).cloned();
    let report = use_comment_analysis(
        text.into(),
        Signal::stored(catalog),
        Signal::stored(category_id),
        Signal::stored(theme_id),
        Signal::derive(move || files.with(Vec::len)),
    );
    let has_text = Signal::derive(move || text.with(|t| !t.trim().is_empty()));

    let chars = Memo::new(move |_| text.with(|t| t.trim().chars().count()));
    let verdict = Memo::new(move |_| text.with(|t| validate_comment(t)));
    // An empty box is only an error once the seller tried to send it; too long is said at once.
    let shown_error = Memo::new(move |_| match verdict.get() {
        Ok(()) => None,
        Err(e) if attempted.get() || chars.get() > MAX_COMMENT_CHARS => Some(e),
        Err(_) => None,
    });
    let field_id = format!("ss-reply-{dialog_id}");
    let hint_id = format!("{field_id}-hint");
    let count_id = format!("{field_id}-count");
    let error_id = format!("{field_id}-error");
    let described = {
        let (hint_id, count_id, error_id) = (hint_id.clone(), count_id.clone(), error_id.clone());
        move || {
            let mut ids = vec![count_id.clone()];
            if answered.get() {
                ids.insert(0, hint_id.clone());
            }
            if shown_error.get().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };

    let send = move || {
        if sending.get_untracked() {
            return;
        }
        attempted.set(true);
        notice.set(None);
        if verdict.get_untracked().is_err() {
            if let Some(el) = textarea.get_untracked() {
                let _ = el.focus();
            }
            return;
        }
        // The helper's report is debounced: a send right after typing must not slip past it.
        let fresh = choice.with_value(|(catalog, category, theme)| {
            analyze_choice(
                &text.get_untracked(),
                catalog,
                category,
                theme,
                files.with_untracked(Vec::len),
            )
        });
        if needs_secret_confirmation(&fresh) && !secret_ack.get_untracked() {
            secret_pending.set(Some(fresh.warnings));
            return;
        }
        secret_pending.set(None);
        let t = i18n.t();
        let body = match web_sys::FormData::new() {
            Ok(f) => f,
            Err(_) => {
                failure.set(Some(s().reply_setup_failed.to_string()));
                return;
            }
        };
        let picked = files.get_untracked();
        if body
            .append_with_str(fields::TEXT, text.get_untracked().trim())
            .is_err()
            || append_files(&body, fields::FILES, &picked).is_err()
        {
            failure.set(Some(s().reply_setup_failed.to_string()));
            return;
        }
        let api = api.get_value();
        // From here on the server may get this draft: a reload must retry it with the same key.
        let draft_key = key.get_value();
        save_key(dialog_id, Some(&draft_key));
        let request = api
            .upload_request(&format!("/api/dialogs/{dialog_id}/messages"))
            .header(IDEMPOTENCY_KEY_HEADER, draft_key);
        let upload = match Upload::start(&request, &body, move |p| {
            progress.try_set(Some(p));
        }) {
            Ok(u) => u,
            Err(e) => {
                failure.set(Some(upload_error_text(i18n.t(), s(), &e)));
                return;
            }
        };
        canceller.set_value(Some(upload.canceller()));
        sending.set(true);
        failure.set(None);
        progress.set(None);
        spawn_local(async move {
            let outcome = upload.finish().await;
            if sending.try_set(false).is_some() {
                // The box is gone; the server's answer will show on the next load.
                return;
            }
            canceller.set_value(None);
            progress.set(None);
            let response = match outcome {
                Ok(r) => r,
                Err(e) => {
                    failure.set(Some(upload_error_text(t, s(), &e)));
                    return;
                }
            };
            if !response.is_success() {
                let err = http_error(response.status, &response.body);
                failure.set(Some(err.message(t)));
                let reused = matches!(&err, ApiError::Http { code, .. } if code == KEY_REUSED);
                if reused {
                    // An earlier send of this draft did reach the server, and the draft has
                    // changed since: the reload shows what went out, and sending again posts
                    // the draft as it is now, as a new message.
                    let next = random_id();
                    save_key(dialog_id, Some(&next));
                    key.set_value(next);
                }
                if (reused || err.status() == Some(409))
                    && let Some(cb) = on_stale
                {
                    cb.run(());
                }
                return;
            }
            // The server has the message: only now does the draft go, and the next one gets a
            // key of its own.
            save_draft(dialog_id, "");
            save_key(dialog_id, None);
            key.set_value(random_id());
            secret_ack.set(false);
            text.set(String::new());
            files.set(Vec::new());
            attempted.set(false);
            notice.set(Some(s().reply_sent));
            shared.touch();
            match parse_body::<DialogDetail>(response.status, &response.body) {
                Ok(detail) => {
                    if let Some(cb) = on_sent {
                        cb.run(detail);
                    }
                }
                Err(_) => {
                    if let Some(cb) = on_stale {
                        cb.run(());
                    }
                }
            }
        });
    };

    // Hidden rather than removed while idle: no live region or focus depends on their insertion.
    let idle = Signal::derive(move || !sending.get());
    let per_mille = move || progress.get().and_then(|p| p.per_mille());

    view! {
        <section class="ss-reply" aria-labelledby="ss-reply-title">
            <h2 id="ss-reply-title">{i18n.tr_in(strings, |s| s.reply_title)}</h2>
            <form
                class="ss-reply-form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    send();
                }
            >
                <div class="ss-field">
                    <label for=field_id.clone()>{i18n.tr_in(strings, |s| s.reply_label)}</label>
                    <span
                        class="ss-hint"
                        id=hint_id.clone()
                        hidden=Signal::derive(move || !answered.get())
                    >
                        {i18n.tr_in(strings, |s| s.reply_hint_answered)}
                    </span>
                    <textarea
                        id=field_id.clone()
                        class="ss-textarea"
                        node_ref=textarea
                        placeholder=i18n.tr_in(strings, |s| s.reply_placeholder)
                        aria-describedby=described
                        aria-invalid=aria_bool(Signal::derive(move || shown_error.get().is_some()))
                        readonly=sending
                        prop:value=text
                        on:input:target=move |ev| {
                            let v = ev.target().value();
                            save_draft(dialog_id, &v);
                            text.set(v);
                            notice.set(None);
                            // A changed text is checked again at the next send.
                            secret_ack.set(false);
                            secret_pending.set(None);
                        }
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            // Ctrl+Enter (⌘+Enter) sends, as in most chat boxes.
                            if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                                ev.prevent_default();
                                send();
                            }
                        }
                    ></textarea>
                    <span
                        class=Signal::derive(move || {
                            if chars.get() > MAX_COMMENT_CHARS {
                                "ss-hint ss-counter-text ss-over"
                            } else {
                                "ss-hint ss-counter-text"
                            }
                        })
                        id=count_id.clone()
                    >
                        {Signal::derive(move || format!("{} {} {MAX_COMMENT_CHARS}", chars.get(), s().chars_of))}
                    </span>
                    {comment_error_line(shown_error, Some(error_id.clone()))}
                </div>
                <Show when=move || has_text.get()>
                    <CommentHelper
                        report=report
                        has_text=has_text
                        theme=Signal::stored(theme.clone())
                        on_apply_suggestion=Callback::new(|_: (String, String)| {})
                        on_insert_template=Callback::new(|_: String| {})
                        compact=true
                    />
                </Show>
                <DropZone
                    files=files
                    id=format!("ss-reply-files-{dialog_id}")
                    progress=progress
                    disabled=sending
                />
                {move || {
                    secret_pending
                        .get()
                        .map(|warnings| {
                            view! {
                                <div class="ss-warning" role="alert">
                                    {warnings
                                        .into_iter()
                                        .map(|w| view! { <p>{Signal::derive(move || warning_text(i18n.locale(), w))}</p> })
                                        .collect_view()}
                                    <button
                                        type="button"
                                        class="ss-button"
                                        on:click=move |_| {
                                            secret_ack.set(true);
                                            send();
                                        }
                                    >
                                        {i18n.tr_in(crate::i18n::new_dialog::strings, |s| s.secret_ack)}
                                    </button>
                                </div>
                            }
                        })
                }}
                <ErrorBox
                    message=failure.into()
                    note=i18n.tr_in(strings, |s| s.reply_draft_kept)
                    note_class="ss-small"
                    on_retry=Callback::new(move |()| send())
                />
                <div class="ss-actions" class:ss-actions-sending=sending>
                    <button
                        type="submit"
                        class="ss-button ss-button-primary"
                        aria-busy=aria_bool(sending.into())
                        disabled=sending
                    >
                        {Signal::derive(move || {
                            if sending.get() {
                                match per_mille() {
                                    Some(pm) => format!("{} {}%", s().reply_sending, pm / 10),
                                    None => s().reply_sending.to_string(),
                                }
                            } else {
                                s().reply_send.to_string()
                            }
                        })}
                    </button>
                    <progress
                            hidden=idle
                            class="ss-progress ss-reply-progress"
                            max="1000"
                            value=Signal::derive(move || per_mille().unwrap_or(0).to_string())
                            aria-label=i18n.tr_in(strings, |s| s.reply_sending)
                        ></progress>
                        <button
                            type="button"
                            class="ss-button"
                            hidden=idle
                            on:click=move |_| {
                                canceller.with_value(|c| {
                                    if let Some(c) = c {
                                        c.cancel();
                                    }
                                })
                            }
                        >
                            {i18n.tr_in(strings, |s| s.reply_cancel)}
                        </button>
                    <p class="ss-reply-notice" role="status" aria-live="polite">
                        {Signal::derive(move || notice.get().unwrap_or(""))}
                    </p>
                </div>
            </form>
        </section>
    }
}

fn upload_error_text(
    t: &crate::i18n::Strings,
    s: &crate::i18n::dialog::DialogStrings,
    e: &UploadError,
) -> String {
    match e {
        UploadError::Network => ApiError::Network.message(t),
        UploadError::Timeout => ApiError::Timeout.message(t),
        UploadError::Aborted => s.reply_cancelled.to_string(),
        UploadError::Setup(_) => s.reply_setup_failed.to_string(),
    }
}
