//! The error box with «Повторить» that every page shows when a request failed.

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// `role="alert"`: the box is inserted when `message` becomes `Some`, and that insertion is what
/// screen readers announce; a new message while it shows replaces the text in place.
///
/// One concrete component instead of a `view!` at each page: every copy of the markup was its own
/// set of generic rendering code in the wasm.
#[component]
pub fn ErrorBox(
    /// What went wrong, already in the seller's language; `None` = no box.
    message: Signal<Option<String>>,
    /// What «Повторить» does; without it the button submits the form the box is in.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
    /// The button's text instead of «Повторить».
    #[prop(optional)]
    retry_label: Option<Signal<&'static str>>,
    /// A bold line above the message.
    #[prop(optional)]
    title: Option<Signal<&'static str>>,
    /// A line under the message: what happens now, what to do.
    #[prop(optional)]
    note: Option<Signal<&'static str>>,
    /// The note's class, e.g. `ss-small`.
    #[prop(optional)]
    note_class: Option<&'static str>,
    /// Classes besides `ss-error`.
    #[prop(optional)]
    class: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let button_type = if on_retry.is_some() {
        "button"
    } else {
        "submit"
    };
    let retry_label = retry_label.unwrap_or_else(|| i18n.tr(|t| t.retry));
    let class = match class {
        Some(c) => format!("ss-error {c}"),
        None => "ss-error".to_string(),
    };
    move || {
        message.get().map(|msg| {
            view! {
                <div class=class.clone() role="alert">
                    {title.map(|t| view! { <p><strong>{t}</strong></p> })}
                    <p>{msg}</p>
                    {note.map(|n| view! { <p class=note_class>{n}</p> })}
                    <button
                        type=button_type
                        class="ss-button"
                        on:click=move |_| {
                            if let Some(cb) = on_retry {
                                cb.run(())
                            }
                        }
                    >
                        {retry_label}
                    </button>
                </div>
            }
        })
    }
}
