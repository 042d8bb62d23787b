//! Reusable parts of pages.
pub mod comment_helper;
pub mod drop_zone;
pub mod error_box;
pub mod status_badge;

use leptos::prelude::*;

/// `"true"` / `"false"` for an ARIA state (`aria-busy`, `aria-expanded`) that follows `on`.
///
/// One function instead of a closure at each use: every closure in a view is its own type with its
/// own copy of the rendering code, while all of these share the code of `Signal<&'static str>`.
pub fn aria_bool(on: Signal<bool>) -> Signal<&'static str> {
    Signal::derive(move || if on.get() { "true" } else { "false" })
}
