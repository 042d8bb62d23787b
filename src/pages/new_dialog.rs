//! «Новый диалог»: category, theme, comment with the helper, attachments.

use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn NewDialogPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="ss-page">
            <h1>{move || i18n.t().new_dialog}</h1>
        </section>
    }
}
