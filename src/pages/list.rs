//! The dialog list: the seller's home in support.

use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn ListPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="ss-page">
            <h1>{move || i18n.t().list_title}</h1>
        </section>
    }
}

/// The header's count of dialogs that wait for the seller's rating.
#[component]
pub fn AwaitingRatingCount() -> impl IntoView {
    view! {}
}
