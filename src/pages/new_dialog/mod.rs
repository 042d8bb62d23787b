//! «Новый диалог»: category, dependent theme, comment with the helper, attachments, one dialog per
//! submit.
//!
//! What the seller typed and attached is never lost: the fields are saved as they change
//! (localStorage, files in IndexedDB) and cleared only once the server confirmed the dialog. Every
//! draft carries one `Idempotency-Key`, so a double click, a retry after a timeout or a reload in
//! the middle of sending cannot create a second dialog.
//!
//! The page is the view; beside it: the form's state and validation (`form.rs`), its draft
//! (`saved.rs`), the submit (`submit.rs`), the theme search (`theme_search.rs`) and the smaller
//! controls (`fields.rs`).

mod fields;
mod form;
mod saved;
mod submit;
mod theme_search;

pub use saved::{DRAFT_NAME, Draft};

use crate::components::comment_helper::{CommentHelper, use_comment_analysis};
use crate::components::drop_zone::DropZone;
use crate::components::error_box::ErrorBox;
use crate::components::{aria_bool, later, live_line};
use crate::context::{use_api, use_shared};
use crate::draft::{self, Drafts};
use crate::i18n::new_dialog::strings;
use crate::i18n::use_i18n;
use crate::router::use_go;
use domain::api::{MAX_COMMENT_CHARS, count_text_chars};
use domain::catalog::{Catalog, Theme};
use fields::{
    FieldErrorText, SecretConfirm, aria_invalid, in_locale_order, required_label, select_options,
};
use form::{Field, Form};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use submit::Submit;
use theme_search::ThemeSearch;

#[component]
pub fn NewDialogPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || strings(i18n.locale());
    let api = use_api();
    let location = use_location();

    // `?category=&theme=` (from «Создать новый диалог») wins over the draft.
    let (q_cat, q_theme) = location.search.with_untracked(|q| {
        (
            domain::api::query_param(q, "category").filter(|c| !c.is_empty()),
            domain::api::query_param(q, "theme"),
        )
    });
    let from_link = q_cat.is_some();
    // «Создать новый диалог» on a closed dialog: the new one continues it.
    let follows = location.search.with_untracked(|q| {
        domain::api::parse_follows(domain::api::query_param(q, "follows").as_deref())
            .ok()
            .flatten()
    });
    let form = Form::new(
        q_cat.unwrap_or_default(),
        q_theme.filter(|_| from_link).unwrap_or_default(),
    );
    let Form {
        catalog,
        category,
        theme,
        comment,
        key,
        files,
        rejections,
        errors,
        tried,
        cat_ref,
        theme_ref,
        comment_ref,
    } = form;

    // The built-in catalog renders at once; the served one replaces it when it arrives.
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

    let show_restored = RwSignal::new(false);
    // The session's seller's drafts; nothing is restored or saved before the server named them.
    let drafts: RwSignal<Option<Drafts>> = RwSignal::new(None);
    saved::restore(api.clone(), form, drafts, show_restored, from_link);
    saved::save_on_change(form, drafts);
    form.drop_unknown_choices();
    form.revalidate_live(move || i18n.locale());

    let chosen_theme: Signal<Option<Theme>> = Signal::derive(move || {
        let (c, th) = (category.get(), theme.get());
        catalog.with(|cat: &Catalog| cat.theme(&c, &th).cloned())
    });

    // Comment helper.
    let attachments_count = Signal::derive(move || files.with(|f| f.len()));
    let has_text = Signal::derive(move || comment.with(|c| !c.trim().is_empty()));

    let go = use_go();
    let submit = Submit::new(
        api,
        i18n,
        use_shared(),
        Callback::new(move |path: String| go(&path, true)),
        follows,
    );
    let Submit {
        sending,
        progress,
        failure,
        secret_ack,
        secret_pending,
        ..
    } = submit;

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.send(form, drafts);
    };

    let clear = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(t().clear_confirm).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        if let Some(mine) = drafts.get_untracked() {
            let name = saved::files_name(&key.get_untracked());
            spawn_local(async move { mine.clear_files(&name).await });
        }
        category.set(String::new());
        theme.set(String::new());
        comment.set(String::new());
        files.set(Vec::new());
        key.set(draft::random_id());
        errors.set(Vec::new());
        tried.set(false);
        show_restored.set(false);
        submit.reset();
    };

    let on_category = move |value: String| form.pick_category(value);

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

    let cat_error = form.error_for(Field::Category);
    let theme_error = form.error_for(Field::Theme);
    let comment_error = form.error_for(Field::Comment);
    let files_error = form.error_for(Field::Files);
    let chars = move || comment.with(|c| count_text_chars(c));
    let sending_signal = Signal::derive(move || sending.get());
    let progress_signal = Signal::derive(move || progress.get());

    view! {
        <section class="ss-page ss-new-dialog" aria-labelledby="ss-new-title">
            <h1 id="ss-new-title">{i18n.tr_in(strings, |s| s.title)}</h1>
            <p class="ss-muted">{i18n.tr_in(strings, |s| s.intro)}</p>
            <crate::pages::dialog::FollowLinks follows=follows followed_by=Vec::new()/>
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
                            message=failure.into()
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
                                on:click=move |_| submit.cancel()
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
