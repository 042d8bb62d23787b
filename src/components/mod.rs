//! Reusable parts of pages.
pub mod comment_helper;
pub mod drop_zone;
pub mod error_box;
pub mod status_badge;

use leptos::prelude::*;

/// A one-line message, in the page only while `when` holds: with `role="alert"` or `"status"` its
/// insertion is what screen readers announce, so it is inserted and removed, not hidden.
///
/// One concrete function instead of a `<Show>` at each place: every `Show` is generic over its
/// condition and children and carries its own copy of the rendering code.
///
/// Measured 2026-12-06 (release, brotli, against a `<Show>` per use): saves ~180 B on the new-dialog
/// page and ~125 B on the dialog page; small, but still a saving.
pub fn live_line(
    when: Signal<bool>,
    class: &'static str,
    role: &'static str,
    id: Option<&'static str>,
    text: Signal<&'static str>,
) -> impl IntoView {
    move || {
        when.get()
            .then(|| view! { <p class=class id=id role=role>{text}</p> })
    }
}

/// The error under a comment field (reply, rating), in the seller's language; inserted when the
/// error appears, so `role="alert"` announces it. One function for both fields' copies.
pub fn comment_error_line(
    error: Memo<Option<domain::api::CommentError>>,
    id: Option<String>,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    move || {
        error.get().map(|e| {
            view! {
                <span class="ss-field-error" id=id.clone() role="alert">
                    {crate::i18n::errors::comment_error_text(i18n.locale(), e)}
                </span>
            }
        })
    }
}

/// Builds `part` one task after the view around it, with nothing in its place until then.
///
/// For a page's parts below the fold on a phone (the comment helper, the drop zone): the browser
/// then runs the page in two shorter tasks instead of one long one, which is what Lighthouse's
/// total blocking time counts (each task's time beyond 50 ms). A part that appears later does not
/// shift what is above it. One boxed builder instead of a generic one, so every use shares this
/// code.
///
/// Measured 2026-12-06 (release, brotli): the boxed builder saves ~430 B of the new-dialog page
/// against a generic `later<F>`.
pub fn later(part: Box<dyn Fn() -> AnyView + Send + Sync>) -> impl IntoView {
    let ready = RwSignal::new(false);
    // `try_set`: the page may be gone by the time the task runs.
    set_timeout(
        move || {
            ready.try_set(true);
        },
        std::time::Duration::ZERO,
    );
    move || ready.get().then(&part)
}

/// `"true"` / `"false"` for an ARIA state (`aria-busy`, `aria-expanded`) that follows `on`.
///
/// One function instead of a closure at each use: every closure in a view is its own type with its
/// own copy of the rendering code, while all of these share the code of `Signal<&'static str>`.
///
/// Measured 2026-12-06 (release, brotli, against a closure per use): saves ~590 B on the dialog
/// page, ~50 B on the new-dialog page.
pub fn aria_bool(on: Signal<bool>) -> Signal<&'static str> {
    Signal::derive(move || if on.get() { "true" } else { "false" })
}
