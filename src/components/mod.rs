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

/// `"true"` / `"false"` for an ARIA state (`aria-busy`, `aria-expanded`) that follows `on`.
///
/// One function instead of a closure at each use: every closure in a view is its own type with its
/// own copy of the rendering code, while all of these share the code of `Signal<&'static str>`.
pub fn aria_bool(on: Signal<bool>) -> Signal<&'static str> {
    Signal::derive(move || if on.get() { "true" } else { "false" })
}
