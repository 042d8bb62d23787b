//! The form's controls that are not the drop zone or the comment helper: labels, selects, the
//! error lines and the confirmation for a comment with a secret in it.

use crate::components::aria_bool;
use crate::i18n::new_dialog::strings;
use crate::i18n::{Locale, catalog_name, use_i18n};
use leptos::prelude::*;

/// `aria-invalid` of a field: "true" while it has an error message.
pub(super) fn aria_invalid(error: Signal<Option<String>>) -> Signal<&'static str> {
    aria_bool(Signal::derive(move || error.with(Option::is_some)))
}

/// The label of a required field: its name, a star for the eye, and a star in the name a screen
/// reader reads ("Категория *"). One function for the three fields.
pub(super) fn required_label(for_id: &'static str, text: Signal<&'static str>) -> impl IntoView {
    view! {
        <label for=for_id>
            {text} <span class="ss-required" aria-hidden="true">" *"</span>
            <span class="ss-visually-hidden">" *"</span>
        </label>
    }
}

/// The `<option>`s of a select from `(id, name)` pairs, the one equal to `value` selected. One
/// function for both selects, so their options share one copy of the rendering code.
pub(super) fn select_options(
    items: Signal<Vec<(String, String)>>,
    value: RwSignal<String>,
) -> impl IntoView {
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
pub(super) fn FieldErrorText(id: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <span id=id class="ss-field-error" hidden=Signal::derive(move || error.with(Option::is_none))>
            {error}
        </span>
    }
}

/// `(id, name)` pairs with names in `locale`. The API orders the catalog by its Russian names; in
/// English the options are sorted again, or the list would look shuffled.
pub(super) fn in_locale_order<'a>(
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

/// Secrets and card numbers in a comment need an explicit «send anyway».
#[component]
pub(super) fn SecretConfirm(pending: RwSignal<bool>, ack: RwSignal<bool>) -> impl IntoView {
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
