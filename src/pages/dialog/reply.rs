//! The reply box: a message with files, sent as multipart `POST /api/dialogs/{id}/messages`.
//!
//! The text is a draft in localStorage (one key per dialog) from the first keystroke until the
//! server confirmed the message, so a reload, a crash or a failed send loses nothing. Files stay
//! picked when sending fails. A reply on an answered dialog sends it back to support (the server
//! applies the status rule; the page shows the status it returns). The comment helper, in its
//! compact form, points out what the reply contains and warns about secrets pasted by mistake.

use super::rating::comment_error_text;
use crate::api::{ApiError, CSRF_HEADER, CSRF_VALUE, http_error, parse_body};
use crate::app::{use_api, use_shared};
use crate::components::comment_helper::{CommentHelper, use_comment_analysis};
use crate::components::drop_zone::{DropZone, picked_files};
use crate::i18n::{dialog::strings, use_i18n};
use crate::upload::{Progress, Upload, UploadError, UploadRequest, append_files};
use domain::api::{DialogDetail, MAX_COMMENT_CHARS, fields, validate_comment};
use domain::catalog::Catalog;
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
        let mut request =
            UploadRequest::post(api.url(&format!("/api/dialogs/{dialog_id}/messages")))
                .header(CSRF_HEADER, CSRF_VALUE)
                .header("Accept", "application/json")
                .with_credentials(true);
        for (name, value) in api.auth_headers() {
            request = request.header(name, value);
        }
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
                if err.status() == Some(409)
                    && let Some(cb) = on_stale
                {
                    cb.run(());
                }
                return;
            }
            // The server has the message: only now does the draft go.
            save_draft(dialog_id, "");
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

    let per_mille = move || progress.get().and_then(|p| p.per_mille());

    view! {
        <section class="ss-reply" aria-labelledby="ss-reply-title">
            <h2 id="ss-reply-title">{move || s().reply_title}</h2>
            <form
                class="ss-reply-form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    send();
                }
            >
                <div class="ss-field">
                    <label for=field_id.clone()>{move || s().reply_label}</label>
                    <Show when=move || answered.get()>
                        <span class="ss-hint" id=hint_id.clone()>
                            {move || s().reply_hint_answered}
                        </span>
                    </Show>
                    <textarea
                        id=field_id.clone()
                        class="ss-textarea"
                        node_ref=textarea
                        placeholder=move || s().reply_placeholder
                        aria-describedby=described
                        aria-invalid=move || if shown_error.get().is_some() { "true" } else { "false" }
                        readonly=move || sending.get()
                        prop:value=move || text.get()
                        on:input:target=move |ev| {
                            let v = ev.target().value();
                            save_draft(dialog_id, &v);
                            text.set(v);
                            notice.set(None);
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
                        class=move || {
                            if chars.get() > MAX_COMMENT_CHARS {
                                "ss-hint ss-counter-text ss-over"
                            } else {
                                "ss-hint ss-counter-text"
                            }
                        }
                        id=count_id.clone()
                    >
                        {move || format!("{} {} {MAX_COMMENT_CHARS}", chars.get(), s().chars_of)}
                    </span>
                    {
                        let error_id = error_id.clone();
                        move || {
                            shown_error
                                .get()
                                .map(|e| {
                                    view! {
                                        <span class="ss-field-error" id=error_id.clone() role="alert">
                                            {comment_error_text(i18n.locale(), e)}
                                        </span>
                                    }
                                })
                        }
                    }
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
                    failure
                        .get()
                        .map(|msg| {
                            view! {
                                <div class="ss-error" role="alert">
                                    <p>{msg}</p>
                                    <p class="ss-small">{move || s().reply_draft_kept}</p>
                                    <button type="button" class="ss-button" on:click=move |_| send()>
                                        {move || i18n.t().retry}
                                    </button>
                                </div>
                            }
                        })
                }}
                <div class="ss-actions">
                    <button
                        type="submit"
                        class="ss-button ss-button-primary"
                        aria-busy=move || if sending.get() { "true" } else { "false" }
                        disabled=move || sending.get()
                    >
                        {move || {
                            if sending.get() {
                                match per_mille() {
                                    Some(pm) => format!("{} {}%", s().reply_sending, pm / 10),
                                    None => s().reply_sending.to_string(),
                                }
                            } else {
                                s().reply_send.to_string()
                            }
                        }}
                    </button>
                    <Show when=move || sending.get()>
                        <progress
                            class="ss-progress ss-reply-progress"
                            max="1000"
                            value=move || per_mille().unwrap_or(0).to_string()
                            aria-label=move || s().reply_sending
                        ></progress>
                        <button
                            type="button"
                            class="ss-button"
                            on:click=move |_| {
                                canceller.with_value(|c| {
                                    if let Some(c) = c {
                                        c.cancel();
                                    }
                                })
                            }
                        >
                            {move || s().reply_cancel}
                        </button>
                    </Show>
                    <p class="ss-reply-notice" role="status" aria-live="polite">
                        {move || notice.get()}
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
