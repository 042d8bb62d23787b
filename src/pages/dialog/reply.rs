//! The reply box: a message with files, sent as multipart `POST /api/dialogs/{id}/messages`.
//!
//! The text is a draft of the session's seller ([`crate::draft`], one per dialog) from the first
//! keystroke until the server confirmed the message, so a reload, a crash or a failed send loses
//! nothing. Files stay
//! picked when sending fails. A reply on an answered dialog sends it back to support (the server
//! applies the status rule; the page shows the status it returns). The comment helper, in its
//! compact form, points out what the reply contains and warns about secrets pasted by mistake;
//! sending a reply that holds a card number or a secret needs an explicit confirmation, checked
//! on the text as it is at the moment of sending (the helper's report is debounced).
//!
//! Every draft carries one `Idempotency-Key`, saved beside the draft text from the first attempt
//! to send it until the server confirmed the message: a retry after a lost answer, also after a
//! reload, cannot post the reply twice. A confirmed reply starts the next draft with a new key.

use crate::api::{ApiError, parse_body};
use crate::components::comment_helper::{
    CommentHelper, analyze_choice, needs_secret_confirmation, use_comment_analysis,
};
use crate::components::drop_zone::{DropZone, picked_files};
use crate::components::error_box::ErrorBox;
use crate::components::{aria_bool, comment_error_line};
use crate::context::{use_api, use_shared};
use crate::draft::{Drafts, random_id};
use crate::i18n::{comment_helper::warning_text, dialog::strings, use_i18n};
use crate::upload::{Progress, Upload, UploadError, append_files};
use domain::api::{
    DialogDetail, IDEMPOTENCY_KEY_HEADER, MAX_COMMENT_CHARS, count_text_chars, fields,
    validate_comment,
};
use domain::catalog::Catalog;
use domain::comment::Warning;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The name of a dialog's reply draft among the seller's drafts.
pub fn draft_name(dialog_id: u64) -> String {
    format!("reply.{dialog_id}")
}

/// The name of the saved `Idempotency-Key` of a dialog's reply draft.
pub fn draft_key_name(dialog_id: u64) -> String {
    format!("reply-key.{dialog_id}")
}

use domain::api::codes::IDEMPOTENCY_KEY_REUSED as KEY_REUSED;

fn save_draft(drafts: Option<Drafts>, dialog_id: u64, text: &str) {
    let Some(d) = drafts else { return };
    // Whitespace alone is no draft worth keeping.
    if text.trim().is_empty() {
        d.remove(&draft_name(dialog_id));
    } else {
        d.save_text(&draft_name(dialog_id), text);
    }
}

fn save_key(drafts: Option<Drafts>, dialog_id: u64, key: Option<&str>) {
    let Some(d) = drafts else { return };
    match key {
        Some(k) => d.save_text(&draft_key_name(dialog_id), k),
        None => d.remove(&draft_key_name(dialog_id)),
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
    /// Kept up to date with the typed text by the box, and owned by the page: when the dialog
    /// closes under the seller's hands, the box is gone but the page still has the words.
    #[prop(optional)]
    unsent: Option<RwSignal<String>>,
    /// The dialog's category and theme, for the comment helper's checks ("" when unknown).
    #[prop(optional, into)]
    category_id: String,
    #[prop(optional, into)] theme_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = move || strings(i18n.locale());
    let api = StoredValue::new(use_api());
    let shared = use_shared();

    let text = RwSignal::new(String::new());
    let files = picked_files();
    let progress: RwSignal<Option<Progress>> = RwSignal::new(None);
    let sending = RwSignal::new(false);
    let attempted = RwSignal::new(false);
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let notice: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let canceller = StoredValue::new_local(None::<crate::upload::UploadCanceller>);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // Idempotency-Key of this draft; saved when it is first sent, replaced once it went through.
    let key = StoredValue::new(random_id());
    // The session's seller's drafts, once the server named the seller.
    let drafts: StoredValue<Option<Drafts>> = StoredValue::new(None);
    let session_api = api.get_value();
    spawn_local(async move {
        let Some(mine) = Drafts::for_session(&session_api).await else {
            return;
        };
        // The box may be gone (the seller left), or the seller may have typed meanwhile: the
        // typed words win over an older draft and become the draft.
        let Some(typed) = text.try_get_untracked() else {
            return;
        };
        if typed.is_empty() {
            if let Some(saved) = mine.load_text(&draft_name(dialog_id)) {
                text.set(saved);
            }
        } else {
            save_draft(Some(mine.clone()), dialog_id, &typed);
        }
        if let Some(k) = mine
            .load_text(&draft_key_name(dialog_id))
            .filter(|k| !k.is_empty())
        {
            key.set_value(k);
        }
        drafts.set_value(Some(mine));
    });
    if let Some(unsent) = unsent {
        Effect::new(move |_| text.with(|t| unsent.set(t.clone())));
    }
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

    let chars = Memo::new(move |_| text.with(|t| count_text_chars(t)));
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
        save_key(drafts.get_value(), dialog_id, Some(&draft_key));
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
        let mine = drafts.get_value();
        spawn_local(async move {
            let outcome = upload.finish().await;
            if sending.try_set(false).is_some() {
                // The box is gone; the server's answer will show on the next load.
                if outcome.as_ref().is_ok_and(|r| r.is_success()) {
                    save_draft(mine.clone(), dialog_id, "");
                    save_key(mine, dialog_id, None);
                }
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
                let err = ApiError::from(&response);
                failure.set(Some(err.message(t)));
                let reused = matches!(&err, ApiError::Http { code, .. } if code == KEY_REUSED);
                if reused {
                    // An earlier send of this draft did reach the server, and the draft has
                    // changed since: the reload shows what went out, and sending again posts
                    // the draft as it is now, as a new message.
                    let next = random_id();
                    save_key(mine, dialog_id, Some(&next));
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
            save_draft(mine.clone(), dialog_id, "");
            save_key(mine, dialog_id, None);
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
                            save_draft(drafts.get_value(), dialog_id, &v);
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

/// The words of a reply that never went out because the dialog closed (a 409 on send, the
/// auto-close seen while typing, or a draft left for a dialog that closed since): shown once, with
/// «Скопировать» and «Новый диалог с этим текстом», and no longer kept in the draft, since the
/// dialog takes no more messages.
#[component]
pub fn UnsentReply(
    dialog_id: u64,
    /// What the reply box held when it went away ("" when none).
    carried: String,
    /// Where «Новый диалог с этим текстом» goes (an app path: `/new?category=…&theme=…`).
    new_dialog_path: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = move || strings(i18n.locale());
    let go = crate::router::use_go();
    let text = RwSignal::new(Some(carried).filter(|t| !t.trim().is_empty()));
    let drafts: RwSignal<Option<Drafts>> = RwSignal::new(None);
    let copied: RwSignal<Option<bool>> = RwSignal::new(None);
    let area = NodeRef::<leptos::html::Textarea>::new();
    let new_dialog_path = StoredValue::new(new_dialog_path);
    let api = use_api();
    spawn_local(async move {
        let Some(mine) = Drafts::for_session(&api).await else {
            return;
        };
        let stored = mine
            .load_text(&draft_name(dialog_id))
            .filter(|t| !t.trim().is_empty());
        if text.try_with_untracked(Option::is_none) == Some(true)
            && let Some(stored) = stored
        {
            text.set(Some(stored));
        }
        mine.remove(&draft_name(dialog_id));
        mine.remove(&draft_key_name(dialog_id));
        drafts.try_set(Some(mine));
    });
    let copy = move |_| {
        let Some(words) = text.get_untracked() else {
            return;
        };
        // Selected first: where no clipboard is reachable, Ctrl+C still copies it.
        if let Some(el) = area.get_untracked() {
            el.select();
        }
        let written = clipboard_write(&words);
        spawn_local(async move {
            let ok = match written {
                Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
                None => exec_copy(),
            };
            copied.try_set(Some(ok));
        });
    };
    let start_new = move |_| {
        if let (Some(words), Some(mine)) = (text.get_untracked(), drafts.get_untracked()) {
            mine.save_text(crate::draft::CARRIED, &words);
            new_dialog_path.with_value(|path| go(path, true));
        }
    };
    view! {
        <Show when=move || text.with(Option::is_some)>
            <section class="ss-unsent ss-warning" aria-labelledby="ss-unsent-title">
                <h2 id="ss-unsent-title">{i18n.tr_in(strings, |s| s.unsent_title)}</h2>
                <p>{i18n.tr_in(strings, |s| s.unsent_text)}</p>
                <label for="ss-unsent-text">{i18n.tr_in(strings, |s| s.unsent_label)}</label>
                <textarea
                    id="ss-unsent-text"
                    class="ss-textarea"
                    readonly=true
                    rows="4"
                    node_ref=area
                    prop:value=move || text.get().unwrap_or_default()
                ></textarea>
                <div class="ss-actions">
                    <button type="button" class="ss-button" on:click=copy>
                        {i18n.tr_in(strings, |s| s.unsent_copy)}
                    </button>
                    <button
                        type="button"
                        class="ss-button ss-button-primary"
                        disabled=move || drafts.with(Option::is_none)
                        on:click=start_new
                    >
                        {i18n.tr_in(strings, |s| s.unsent_new_dialog)}
                    </button>
                    <p class="ss-hint" role="status">
                        {move || copied.get().map(|ok| if ok { s().unsent_copied } else { s().unsent_copy_failed })}
                    </p>
                </div>
            </section>
        </Show>
    }
}

/// `navigator.clipboard.writeText(text)`; `None` where there is no clipboard API (plain HTTP).
fn clipboard_write(text: &str) -> Option<js_sys::Promise> {
    use wasm_bindgen::{JsCast, JsValue};
    let navigator = web_sys::window()?.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .ok()
        .filter(JsValue::is_object)?;
    let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()?
        .dyn_into()
        .ok()?;
    write
        .call1(&clipboard, &JsValue::from_str(text))
        .ok()?
        .dyn_into()
        .ok()
}

/// The old way, `document.execCommand("copy")` on the selection; false where it fails.
fn exec_copy() -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    js_sys::Reflect::get(&doc, &JsValue::from_str("execCommand"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&doc, &JsValue::from_str("copy")).ok())
        .is_some_and(|r| r.is_truthy())
}
