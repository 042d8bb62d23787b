//! The links between a dialog and its continuations: «Продолжает диалог № …» on a dialog created
//! with «Создать новый диалог» from a closed one, «Продолжение — диалог № …» on that closed one.
//! Support reads the earlier dialog with the new one; the seller finds the way back and forth.

use crate::i18n::{live::strings, use_i18n};
use crate::pages::list::dialog_href;
use leptos::prelude::*;

#[component]
pub fn FollowLinks(
    /// The earlier dialog this one continues.
    #[prop(into)]
    follows: Signal<Option<u64>>,
    /// The later dialogs that continue this one, oldest first.
    #[prop(into)]
    followed_by: Signal<Vec<u64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let base = crate::router::use_base();
    let link = move |id: u64| {
        view! { <a href=dialog_href(&base, id)>{id.to_string()}</a> }
    };
    let earlier = {
        let link = link.clone();
        move || {
            follows.get().map(|id| {
                view! {
                    <p class="ss-follows">
                        {i18n.tr_in(strings, |s| s.follows)} " " {link(id)}
                    </p>
                }
            })
        }
    };
    let later = move || {
        let ids = followed_by.get();
        (!ids.is_empty()).then(|| {
            let links = ids
                .into_iter()
                .enumerate()
                .map(|(i, id)| view! { {(i > 0).then_some(", ")} {link(id)} })
                .collect_view();
            view! {
                <p class="ss-follows">
                    {i18n.tr_in(strings, |s| s.followed_by)} " " {links}
                </p>
            }
        })
    };
    view! { {earlier} {later} }
}
