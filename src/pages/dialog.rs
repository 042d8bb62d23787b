//! One dialog: the thread, replies, «Вопрос решён» with a rating.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DialogPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! {
        <section class="ss-page">
            <h1>"№ " {id}</h1>
        </section>
    }
}
