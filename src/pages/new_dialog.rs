//! «Новый диалог»: category, dependent theme, comment with the helper, attachments, one dialog per
//! submit.
//!
//! What the seller typed and attached is never lost: the fields are saved as they change
//! (localStorage, files in IndexedDB) and cleared only once the server confirmed the dialog. Every
//! draft carries one `Idempotency-Key`, so a double click, a retry after a timeout or a reload in
//! the middle of sending cannot create a second dialog.

use crate::api::{ApiError, CSRF_HEADER, CSRF_VALUE};
use crate::components::comment_helper::{
    CommentHelper, analyze_choice, needs_secret_confirmation, use_comment_analysis,
};
use crate::components::drop_zone::{
    DropZone, PickedFile, PickedFiles, RejectedFile, intake, picked_files,
};
use crate::components::error_box::ErrorBox;
use crate::components::{aria_bool, later, live_line};
use crate::context::{use_api, use_shared};
use crate::draft::{self, Drafts};
use crate::i18n::new_dialog::{NewDialogStrings, strings};
use crate::i18n::{Locale, Strings, catalog_name, use_i18n};
use crate::router::use_go;
use crate::upload::{Progress, Upload, UploadCanceller, UploadError, UploadRequest, append_files};
use domain::api::{
    CreatedDialog, IDEMPOTENCY_KEY_HEADER, MAX_COMMENT_CHARS, codes, count_text_chars, fields,
    validate_comment,
};
use domain::catalog::{Catalog, Category, Theme};
use domain::comment::rank_themes;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use serde::{Deserialize, Serialize};

/// The name of the form's draft among the seller's drafts.
pub const DRAFT_NAME: &str = "new-dialog";

/// The name of the files of the draft with idempotency key `key`.
fn files_name(key: &str) -> String {
    format!("new-dialog.files.{key}")
}

/// The part of the form that survives a reload.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub category: String,
    pub theme: String,
    pub comment: String,
    /// Idempotency key of this draft; a new one only after a dialog was created or the form cleared.
    pub key: String,
}

/// Which field a message belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Category,
    Theme,
    Comment,
    Files,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct FieldError {
    field: Field,
    message: String,
}

/// Outcome of a failed submit, shown above the button with a retry.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SubmitFailure {
    message: String,
}

#[component]
pub fn NewDialogPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || strings(i18n.locale());
    let api = use_api();
    let shared = use_shared();
    let location = use_location();
    let go = use_go();

    // The built-in catalog renders at once; the served one replaces it when it arrives.
    let catalog = RwSignal::new(Catalog::builtin());
    let catalog_offline = RwSignal::new(false);
    {
        let api = api.clone();
        spawn_local(async move {
            match api.catalog().await {
                Ok(c) if !c.categories.is_empty() => catalog.set(c),
                _ => catalog_offline.set(true),
            }
        });
    }

    // `?category=&theme=` (from «Создать новый диалог») wins over the draft.
    let (q_cat, q_theme) = location.search.with_untracked(|q| {
        (
            domain::api::query_param(q, "category").filter(|c| !c.is_empty()),
            domain::api::query_param(q, "theme"),
        )
    });
    let category = RwSignal::new(q_cat.clone().unwrap_or_default());
    let theme = RwSignal::new(
        q_theme
            .clone()
            .filter(|_| q_cat.is_some())
            .unwrap_or_default(),
    );
    let comment = RwSignal::new(String::new());
    let key = RwSignal::new(draft::random_id());
    let files: PickedFiles = picked_files();
    // Shared with the drop zone so that a restored file the policy now refuses is listed, not lost.
    let rejections: RwSignal<Vec<RejectedFile>> = RwSignal::new(Vec::new());
    let show_restored = RwSignal::new(false);
    // The session's seller's drafts; nothing is restored or saved before the server named them.
    let drafts: RwSignal<Option<Drafts>> = RwSignal::new(None);
    {
        let api = api.clone();
        spawn_local(async move {
            let Some(mine) = Drafts::for_session(&api).await else {
                return;
            };
            // The seller may have left while the server was asked.
            let Some(typed) = comment.try_with_untracked(|c| !c.is_empty()) else {
                return;
            };
            let touched = typed || files.with_untracked(|f| !f.is_empty());
            // What the seller typed meanwhile wins over an older draft (and is saved below).
            let saved = mine.load::<Draft>(DRAFT_NAME).filter(|_| !touched);
            if let Some(saved) = saved {
                if q_cat.is_none() {
                    category.set(saved.category.clone());
                    theme.set(saved.theme.clone());
                }
                comment.set(saved.comment.clone());
                if !saved.key.is_empty() {
                    key.set(saved.key.clone());
                }
                show_restored.set(!saved.comment.trim().is_empty() || !saved.category.is_empty());
                // Files come back from IndexedDB through the same policy checks as new ones.
                let stored = mine.load_files(&files_name(&saved.key)).await;
                if !stored.is_empty() {
                    if show_restored.try_set(true).is_some() {
                        return;
                    }
                    intake(files, rejections, stored);
                }
            } else if touched {
                let list = picked_list(files);
                mine.save_files(&files_name(&key.get_untracked()), &list)
                    .await;
            }
            // A reply whose dialog closed before it went out, brought by «Новый диалог с этим
            // текстом»: added to the comment, never put in place of what is there.
            if let Some(carried) = mine.load_text(draft::CARRIED) {
                let added = comment.try_update(|c| {
                    if !c.trim().is_empty() {
                        c.push_str("\n\n");
                    }
                    c.push_str(&carried);
                });
                if added.is_none() {
                    return;
                }
                mine.remove(draft::CARRIED);
            }
            drafts.try_set(Some(mine));
        });
    }

    // Save text fields on every change; files whenever the accepted list changes.
    Effect::new(move |_| {
        let d = Draft {
            category: category.get(),
            theme: theme.get(),
            comment: comment.get(),
            key: key.get(),
        };
        if let Some(mine) = drafts.get() {
            mine.save(DRAFT_NAME, &d);
        }
    });
    Effect::new(move |prev: Option<Vec<u64>>| {
        let keys: Vec<u64> = files.with(|f| f.iter().map(|p| p.key).collect());
        // The first run only records what was restored; saving it back would be wasted work.
        if prev.is_some_and(|p| p != keys)
            && let Some(mine) = drafts.get_untracked()
        {
            let list = picked_list(files);
            let name = files_name(&key.get_untracked());
            spawn_local(async move { mine.save_files(&name, &list).await });
        }
        keys
    });

    // If a category from the draft or the link no longer exists in the served catalog, drop it.
    Effect::new(move |_| {
        let (c, th) = (category.get_untracked(), theme.get_untracked());
        catalog.with(|cat| {
            if !c.is_empty() && cat.category(&c).is_none() {
                category.set(String::new());
                theme.set(String::new());
            } else if !th.is_empty() && cat.theme(&c, &th).is_none() {
                theme.set(String::new());
            }
        });
    });

    let chosen_theme: Signal<Option<Theme>> = Signal::derive(move || {
        let (c, th) = (category.get(), theme.get());
        catalog.with(|cat| cat.theme(&c, &th).cloned())
    });

    // Comment helper.
    let attachments_count = Signal::derive(move || files.with(|f| f.len()));
    let has_text = Signal::derive(move || comment.with(|c| !c.trim().is_empty()));

    // Validation and submit state.
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let tried = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let progress: RwSignal<Option<Progress>> = RwSignal::new(None);
    let failure: RwSignal<Option<SubmitFailure>> = RwSignal::new(None);
    let canceller: StoredValue<Option<UploadCanceller>, LocalStorage> =
        StoredValue::new_local(None);
    let secret_ack = RwSignal::new(false);
    let secret_pending = RwSignal::new(false);

    let cat_ref = NodeRef::<leptos::html::Select>::new();
    let theme_ref = NodeRef::<leptos::html::Select>::new();
    let comment_ref = NodeRef::<leptos::html::Textarea>::new();

    let validate = move || -> Vec<FieldError> {
        let s = t();
        let mut out = Vec::new();
        let (c, th) = (category.get_untracked(), theme.get_untracked());
        let (cat_ok, theme_ok) = catalog
            .with_untracked(|cat| (cat.category(&c).is_some(), cat.theme(&c, &th).is_some()));
        if !cat_ok {
            out.push(FieldError {
                field: Field::Category,
                message: s.error_category.into(),
            });
        }
        if !theme_ok {
            out.push(FieldError {
                field: Field::Theme,
                message: s.error_theme.into(),
            });
        }
        if let Err(e) = comment.with_untracked(|c| validate_comment(c)) {
            out.push(FieldError {
                field: Field::Comment,
                message: crate::i18n::errors::comment_error_text(i18n.locale(), e),
            });
        }
        out
    };
    // After the first attempt, errors follow the fields live so they disappear once fixed.
    Effect::new(move |_| {
        category.track();
        theme.track();
        comment.track();
        if tried.get_untracked() {
            let server_files: Vec<FieldError> = errors
                .get_untracked()
                .into_iter()
                .filter(|e| e.field == Field::Files)
                .collect();
            let mut live = validate();
            live.extend(server_files);
            errors.set(live);
        }
    });

    let error_for = move |field: Field| {
        Signal::derive(move || {
            errors.with(|es| {
                es.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        })
    };

    let focus_field = move |field: Field| {
        let _ = match field {
            Field::Category => cat_ref.get_untracked().map(|e| e.focus()),
            Field::Theme => theme_ref.get_untracked().map(|e| e.focus()),
            Field::Comment => comment_ref.get_untracked().map(|e| e.focus()),
            Field::Files => web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("ss-attachments"))
                .map(|e| {
                    use wasm_bindgen::JsCast;
                    e.unchecked_into::<web_sys::HtmlElement>().focus()
                }),
        };
    };

    let send = {
        let api = api.clone();
        move || {
            if sending.get_untracked() {
                return; // a second click while sending does nothing
            }
            tried.set(true);
            failure.set(None);
            let found = validate();
            let first = found.first().map(|e| e.field);
            errors.set(found);
            if let Some(f) = first {
                focus_field(f);
                return;
            }
            // The panel's report is debounced; a submit right after typing must not slip past it.
            let fresh = catalog.with_untracked(|cat| {
                analyze_choice(
                    &comment.get_untracked(),
                    cat,
                    &category.get_untracked(),
                    &theme.get_untracked(),
                    files.with_untracked(|f| f.len()),
                )
            });
            if needs_secret_confirmation(&fresh) && !secret_ack.get_untracked() {
                secret_pending.set(true);
                return;
            }
            secret_pending.set(false);
            let Ok(form) = web_sys::FormData::new() else {
                failure.set(Some(SubmitFailure {
                    message: t().fail_server.into(),
                }));
                return;
            };
            let _ = form.append_with_str(fields::CATEGORY, &category.get_untracked());
            let _ = form.append_with_str(fields::THEME, &theme.get_untracked());
            let _ = form.append_with_str(fields::COMMENT, comment.get_untracked().trim());
            let picked: Vec<PickedFile> = files.get_untracked();
            if append_files(&form, fields::FILES, &picked).is_err() {
                failure.set(Some(SubmitFailure {
                    message: t().fail_server.into(),
                }));
                return;
            }
            sending.set(true);
            progress.set(Some(Progress::default()));
            let api = api.clone();
            // Read now: the seller may leave the page while this is sent, and a disposed signal
            // read after an `.await` would panic.
            let idempotency_key = key.get_untracked();
            let mine = drafts.get_untracked();
            spawn_local(async move {
                // A session must exist before the upload: the API client logs in to a demo
                // server on 401, an XHR upload cannot.
                let _ = api.ensure_session().await;
                let mut request = UploadRequest::post(api.url("/api/dialogs"))
                    .header(CSRF_HEADER, CSRF_VALUE)
                    .header(IDEMPOTENCY_KEY_HEADER, idempotency_key.as_str())
                    .header("Accept", "application/json")
                    .with_credentials(true);
                for (name, value) in api.auth_headers() {
                    request = request.header(name, value);
                }
                let outcome = match Upload::start(&request, &form, move |p| {
                    progress.try_set(Some(p));
                }) {
                    Ok(upload) => {
                        canceller.set_value(Some(upload.canceller()));
                        upload.finish().await
                    }
                    Err(e) => Err(e),
                };
                let created = outcome
                    .as_ref()
                    .ok()
                    .filter(|r| r.is_success())
                    .and_then(|r| serde_json::from_str::<CreatedDialog>(&r.body).ok());
                // The server has the dialog: its draft goes, whether the form is still here or not.
                // The seller's drafts may have been named only while this was sent.
                let mine = mine.or_else(|| drafts.try_get_untracked().flatten());
                if created.is_some()
                    && let Some(mine) = &mine
                {
                    mine.remove(DRAFT_NAME);
                    mine.clear_files(&files_name(&idempotency_key)).await;
                }
                // The seller left while it was sent: nothing of the form is left to update (its
                // signals and nodes are disposed, and reading them would panic). A failed send
                // stays in the draft for the next visit.
                if sending.try_set(false).is_some() {
                    if created.is_some() {
                        shared.touch();
                    }
                    return;
                }
                progress.set(None);
                canceller.set_value(None);
                let s = t();
                match outcome {
                    Ok(resp) if resp.is_success() => match created {
                        Some(created) => {
                            let path = format!("/dialogs/{}", created.id);
                            shared
                                .flash
                                .set(Some((path.clone(), s.created.to_string())));
                            shared.touch();
                            go(&path, true);
                        }
                        None => failure.set(Some(SubmitFailure {
                            message: api_error_text(s, i18n.t(), &ApiError::Malformed),
                        })),
                    },
                    Ok(resp) => {
                        let err = resp.error();
                        apply_server_error(&err, errors, failure, s, i18n.t());
                        if let ApiError::Http { field: Some(f), .. } = &err
                            && let Some(field) = field_of(f)
                        {
                            focus_field(field);
                        }
                    }
                    Err(e) => failure.set(Some(SubmitFailure {
                        message: upload_error_text(s, &e),
                    })),
                }
            });
        }
    };
    let send = StoredValue::new_local(send);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.with_value(|f| f());
    };

    let clear = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(t().clear_confirm).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        if let Some(mine) = drafts.get_untracked() {
            let name = files_name(&key.get_untracked());
            spawn_local(async move { mine.clear_files(&name).await });
        }
        category.set(String::new());
        theme.set(String::new());
        comment.set(String::new());
        files.set(Vec::new());
        key.set(draft::random_id());
        errors.set(Vec::new());
        tried.set(false);
        failure.set(None);
        show_restored.set(false);
        secret_ack.set(false);
        secret_pending.set(false);
    };

    let on_category = move |value: String| {
        if value != category.get_untracked() {
            category.set(value);
            // The theme list depends on the category: a theme of another category is never kept.
            theme.set(String::new());
        }
    };

    let apply_suggestion = Callback::new(move |(c, th): (String, String)| {
        category.set(c);
        theme.set(th);
    });
    let insert_template = Callback::new(move |text: String| {
        comment.update(|c| {
            if c.trim().is_empty() {
                *c = text;
            } else {
                c.push_str("\n\n");
                c.push_str(&text);
            }
        });
        if let Some(el) = comment_ref.get_untracked() {
            let _ = el.focus();
        }
    });

    let cat_error = error_for(Field::Category);
    let theme_error = error_for(Field::Theme);
    let comment_error = error_for(Field::Comment);
    let files_error = error_for(Field::Files);
    let chars = move || comment.with(|c| count_text_chars(c));
    let sending_signal = Signal::derive(move || sending.get());
    let progress_signal = Signal::derive(move || progress.get());

    view! {
        <section class="ss-page ss-new-dialog" aria-labelledby="ss-new-title">
            <h1 id="ss-new-title">{i18n.tr_in(strings, |s| s.title)}</h1>
            <p class="ss-muted">{i18n.tr_in(strings, |s| s.intro)}</p>
            {live_line(
                show_restored.into(),
                "ss-flash",
                "status",
                None,
                i18n.tr_in(strings, |s| s.draft_restored),
            )}
            {live_line(
                catalog_offline.into(),
                "ss-advice",
                "status",
                None,
                i18n.tr_in(strings, |s| s.catalog_offline),
            )}
            <form class="ss-form" novalidate=true on:submit=on_submit>
                <p class="ss-hint">{i18n.tr_in(strings, |s| s.required_note)}</p>
                <ThemeSearch catalog=catalog on_pick=apply_suggestion/>
                <div class="ss-field">
                    {required_label("ss-category", i18n.tr_in(strings, |s| s.category_label))}
                    <select
                        id="ss-category"
                        class="ss-select"
                        node_ref=cat_ref
                        required=true
                        aria-invalid=aria_invalid(cat_error)
                        aria-describedby=Signal::derive(move || cat_error.get().map(|_| "ss-category-error"))
                        prop:value=category
                        on:change:target=move |ev| on_category(ev.target().value())
                    >
                        <option value="">{i18n.tr_in(strings, |s| s.category_placeholder)}</option>
                        {select_options(
                            Signal::derive(move || {
                                let locale = i18n.locale();
                                catalog.with(|c| {
                                    in_locale_order(locale, c.categories.iter().map(|cat| (&cat.id, &cat.name)))
                                })
                            }),
                            category,
                        )}
                    </select>
                    <FieldErrorText id="ss-category-error" error=cat_error/>
                </div>
                <div class="ss-field">
                    {required_label("ss-theme", i18n.tr_in(strings, |s| s.theme_label))}
                    <select
                        id="ss-theme"
                        class="ss-select"
                        node_ref=theme_ref
                        required=true
                        disabled=Signal::derive(move || category.with(|c| c.is_empty()))
                        aria-invalid=aria_invalid(theme_error)
                        aria-describedby=Signal::derive(move || if theme_error.get().is_some() { "ss-theme-error" } else { "ss-theme-hint" })
                        prop:value=theme
                        on:change:target=move |ev| theme.set(ev.target().value())
                    >
                        <option value="">{i18n.tr_in(strings, |s| s.theme_placeholder)}</option>
                        {select_options(
                            Signal::derive(move || {
                                let c = category.get();
                                let locale = i18n.locale();
                                catalog.with(|cat| {
                                    cat.category(&c)
                                        .map(|cat| in_locale_order(locale, cat.themes.iter().map(|th| (&th.id, &th.name))))
                                        .unwrap_or_default()
                                })
                            }),
                            theme,
                        )}
                    </select>
                    <Show when=move || category.with(|c| c.is_empty()) && theme_error.get().is_none()>
                        <span id="ss-theme-hint" class="ss-hint">{i18n.tr_in(strings, |s| s.theme_disabled_hint)}</span>
                    </Show>
                    <FieldErrorText id="ss-theme-error" error=theme_error/>
                </div>
                // Below the category and theme: built one task later, with everything after it, so
                // no part that is already on screen moves when it arrives.
                {later(Box::new(move || view! {
                    <div class="ss-form-grid">
                        <div>
                            <div class="ss-field">
                                {required_label("ss-comment", i18n.tr_in(strings, |s| s.comment_label))}
                                <textarea
                                    id="ss-comment"
                                    class="ss-textarea"
                                    node_ref=comment_ref
                                    required=true
                                    rows="8"
                                    placeholder=i18n.tr_in(strings, |s| s.comment_placeholder)
                                    aria-invalid=aria_invalid(comment_error)
                                    aria-describedby=Signal::derive(move || if comment_error.get().is_some() { "ss-comment-error ss-comment-count" } else { "ss-comment-count" })
                                    prop:value=comment
                                    on:input:target=move |ev| comment.set(ev.target().value())
                                ></textarea>
                                <span id="ss-comment-count" class="ss-hint">
                                    {Signal::derive(move || format!("{} / {} {}", chars(), MAX_COMMENT_CHARS, t().chars))}
                                </span>
                                <FieldErrorText id="ss-comment-error" error=comment_error/>
                            </div>
                            <div class="ss-field">
                                <span class="ss-label" id="ss-attachments-label">{i18n.tr_in(strings, |s| s.attachments_label)}</span>
                                <DropZone files=files rejections=rejections progress=progress_signal disabled=sending_signal/>
                                <FieldErrorText id="ss-files-error" error=files_error/>
                            </div>
                        </div>
                        // The helper, with its first analysis, one task later still.
                        {later(Box::new(move || {
                            let report = use_comment_analysis(
                                comment.into(),
                                catalog.into(),
                                category.into(),
                                theme.into(),
                                attachments_count,
                            );
                            view! {
                                <CommentHelper
                                    report=report
                                    has_text=has_text
                                    theme=chosen_theme
                                    on_apply_suggestion=apply_suggestion
                                    on_insert_template=insert_template
                                />
                            }
                            .into_any()
                        }))}
                    </div>
                    // After the helper, in the task after its own: when the helper arrives, nothing
                    // below it is on the page yet to be pushed down.
                    {later(Box::new(move || view! {
                        <SecretConfirm pending=secret_pending ack=secret_ack/>
                        <ErrorBox
                            message=Signal::derive(move || failure.get().map(|f| f.message))
                            note=i18n.tr_in(strings, |s| s.fail_keep)
                            retry_label=i18n.tr_in(strings, |s| s.retry_submit)
                        />
                        {live_line(
                            Signal::derive(move || tried.get() && !errors.with(|e| e.is_empty())),
                            "ss-field-error",
                            "alert",
                            None,
                            i18n.tr_in(strings, |s| s.errors_summary),
                        )}
                        <div class="ss-actions" class:ss-actions-sending=sending>
                            <button
                                type="submit"
                                class="ss-button ss-button-primary"
                                aria-disabled=aria_bool(sending.into())
                            >
                                // The share sent, in the button: on a phone the drop zone's own
                                // progress bar may be off screen above the keyboard.
                                {Signal::derive(move || match (sending.get(), progress.get().and_then(|p| p.per_mille())) {
                                    (false, _) => t().submit.to_string(),
                                    (true, Some(pm)) => format!("{} {}%", t().submitting, pm / 10),
                                    (true, None) => t().submitting.to_string(),
                                })}
                            </button>
                            <button
                                type="button"
                                class="ss-button"
                                hidden=Signal::derive(move || !sending.get())
                                on:click=move |_| canceller.with_value(|c| if let Some(c) = c { c.cancel() })
                            >
                                {i18n.tr_in(strings, |s| s.cancel_upload)}
                            </button>
                            <button type="button" class="ss-button ss-button-danger" on:click=clear disabled=sending>
                                {i18n.tr_in(strings, |s| s.clear)}
                            </button>
                            <span class="ss-hint">{i18n.tr_in(strings, |s| s.draft_saved)}</span>
                        </div>
                    }.into_any()))}
                }.into_any()))}
            </form>
        </section>
    }
}

/// The label of a required field: its name, a star for the eye, and a star in the name a screen
/// reader reads ("Категория *"). One function for the three fields.
/// `aria-invalid` of a field: "true" while it has an error message.
fn aria_invalid(error: Signal<Option<String>>) -> Signal<&'static str> {
    aria_bool(Signal::derive(move || error.with(Option::is_some)))
}

fn required_label(for_id: &'static str, text: Signal<&'static str>) -> impl IntoView {
    view! {
        <label for=for_id>
            {text} <span class="ss-required" aria-hidden="true">" *"</span>
            <span class="ss-visually-hidden">" *"</span>
        </label>
    }
}

/// The `<option>`s of a select from `(id, name)` pairs, the one equal to `value` selected. One
/// function for both selects, so their options share one copy of the rendering code.
fn select_options(items: Signal<Vec<(String, String)>>, value: RwSignal<String>) -> impl IntoView {
    move || {
        items
            .get()
            .into_iter()
            .map(|(id, name)| {
                let selected = value.with_untracked(|v| *v == id);
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view()
    }
}

/// The error line under a field, referenced by the field's `aria-describedby` while there is an
/// error. Hidden, not removed, without one: it is no live region, and nothing else points at it.
#[component]
fn FieldErrorText(id: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <span id=id class="ss-field-error" hidden=Signal::derive(move || error.with(Option::is_none))>
            {error}
        </span>
    }
}

/// `(id, name)` pairs with names in `locale`. The API orders the catalog by its Russian names; in
/// English the options are sorted again, or the list would look shuffled.
fn in_locale_order<'a>(
    locale: Locale,
    items: impl Iterator<Item = (&'a String, &'a String)>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = items
        .map(|(id, name)| (id.clone(), catalog_name(locale, id, name).to_string()))
        .collect();
    if locale == Locale::En {
        out.sort_by_cached_key(|(_, name)| name.to_lowercase());
    }
    out
}

/// A keyword search over every category's themes: the real cabinet lets sellers find a theme by
/// typing, and choosing precisely is what gets a dialog answered.
#[component]
fn ThemeSearch(catalog: RwSignal<Catalog>, on_pick: Callback<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let results = Memo::new(move |_| {
        let q = query.get().trim().to_lowercase().replace('ё', "е");
        if q.chars().count() < 2 {
            return Vec::new();
        }
        let locale = i18n.locale();
        // Both the API's (Russian) name and the shown one match: a seller in English mode may
        // still type the cabinet's Russian words.
        let matches = |id: &str, name: &str| {
            let fold = |s: &str| s.to_lowercase().replace('ё', "е");
            fold(name).contains(&q) || fold(catalog_name(locale, id, name)).contains(&q)
        };
        catalog.with(|c| {
            let row = |cat: &Category, th: &Theme| {
                (
                    cat.id.clone(),
                    th.id.clone(),
                    catalog_name(locale, &cat.id, &cat.name).to_string(),
                    catalog_name(locale, &th.id, &th.name).to_string(),
                )
            };
            let mut out = Vec::new();
            for cat in &c.categories {
                let cat_match = matches(&cat.id, &cat.name);
                for th in &cat.themes {
                    if cat_match || matches(&th.id, &th.name) {
                        out.push(row(cat, th));
                    }
                }
            }
            // Then the themes the comment helper would rank for these words («штраф», «не
            // пустили»): a seller types their problem, not our theme names.
            for s in rank_themes(&q, c).iter().take_while(|s| s.own > 0) {
                if !out.iter().any(|r| r.1 == s.theme.id) {
                    out.push(row(s.category, s.theme));
                }
            }
            out.truncate(8);
            out
        })
    });
    view! {
        <div class="ss-field ss-theme-search">
            <label for="ss-theme-search">{i18n.tr_in(strings, |s| s.find_theme_label)}</label>
            <input
                id="ss-theme-search"
                class="ss-input"
                type="search"
                autocomplete="off"
                placeholder=i18n.tr_in(strings, |s| s.find_theme_placeholder)
                prop:value=query
                on:input:target=move |ev| query.set(ev.target().value())
            />
            <Show when=move || query.with(|q| q.trim().chars().count() >= 2)>
                <Show
                    when=move || !results.with(|r| r.is_empty())
                    fallback=move || view! { <p class="ss-hint" role="status">{i18n.tr_in(strings, |s| s.find_theme_none)}</p> }
                >
                    <ul class="ss-search-results" aria-label=i18n.tr_in(strings, |s| s.find_theme_results)>
                        <For
                            each=move || results.get()
                            key=|r| r.1.clone()
                            let((cat_id, theme_id, cat_name, theme_name))
                        >
                            <li>
                                <button
                                    type="button"
                                    class="ss-link-button"
                                    on:click={
                                        let (c, th) = (cat_id.clone(), theme_id.clone());
                                        move |_| {
                                            on_pick.run((c.clone(), th.clone()));
                                            query.set(String::new());
                                        }
                                    }
                                >
                                    {theme_name.clone()}
                                </button>
                                <span class="ss-secondary">{cat_name.clone()}</span>
                            </li>
                        </For>
                    </ul>
                </Show>
            </Show>
        </div>
    }
}

/// Secrets and card numbers in a comment need an explicit «send anyway».
#[component]
fn SecretConfirm(pending: RwSignal<bool>, ack: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || pending.get()>
            <div class="ss-warning" role="alert">
                <p>{i18n.tr_in(strings, |s| s.secret_warning)}</p>
                <label>
                    <input
                        type="checkbox"
                        prop:checked=ack
                        on:change:target=move |ev| ack.set(ev.target().checked())
                    />
                    " " {i18n.tr_in(strings, |s| s.secret_ack)}
                </label>
            </div>
        </Show>
    }
}

fn picked_list(files: PickedFiles) -> Vec<web_sys::File> {
    files.with_untracked(|f| f.iter().map(|p| p.file.clone()).collect())
}

fn field_of(name: &str) -> Option<Field> {
    match name {
        "category" => Some(Field::Category),
        "theme" => Some(Field::Theme),
        "comment" => Some(Field::Comment),
        "files" => Some(Field::Files),
        _ => None,
    }
}

/// Puts a server error next to its field when it names one, and always in the failure box.
fn apply_server_error(
    err: &ApiError,
    errors: RwSignal<Vec<FieldError>>,
    failure: RwSignal<Option<SubmitFailure>>,
    s: &'static NewDialogStrings,
    common: &'static Strings,
) {
    let message = match err {
        ApiError::Http {
            status: 409, code, ..
        } if code == codes::IDEMPOTENCY_IN_PROGRESS => s.fail_in_progress.to_string(),
        // The first send did create the dialog and only its answer was lost; sending the edited
        // form under a new key would make a second dialog behind the seller's back.
        ApiError::Http { code, .. } if code == codes::IDEMPOTENCY_KEY_REUSED => {
            s.fail_key_reused.to_string()
        }
        ApiError::Http { status, .. } if *status >= 500 => s.fail_server.to_string(),
        other => other.message(common),
    };
    if let ApiError::Http { field: Some(f), .. } = err
        && let Some(field) = field_of(f)
    {
        errors.update(|es| {
            es.retain(|e| e.field != field);
            es.push(FieldError {
                field,
                message: message.clone(),
            });
        });
    }
    failure.set(Some(SubmitFailure { message }));
}

fn api_error_text(
    s: &'static NewDialogStrings,
    common: &'static Strings,
    err: &ApiError,
) -> String {
    match err {
        ApiError::Network => s.fail_network.into(),
        ApiError::Timeout => s.fail_timeout.into(),
        other => other.message(common),
    }
}

fn upload_error_text(s: &'static NewDialogStrings, err: &UploadError) -> String {
    match err {
        UploadError::Network | UploadError::Setup(_) => s.fail_network.into(),
        UploadError::Timeout => s.fail_timeout.into(),
        UploadError::Aborted => s.fail_cancelled.into(),
    }
}
