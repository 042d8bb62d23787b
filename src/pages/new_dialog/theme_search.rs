//! Finding a theme by words instead of by category: names in either language, then the themes the
//! comment helper would rank for the same words.

use crate::i18n::new_dialog::strings;
use crate::i18n::{catalog_name, use_i18n};
use domain::catalog::{Catalog, Category, Theme};
use domain::comment::rank_themes;
use leptos::prelude::*;

/// A keyword search over every category's themes: the real cabinet lets sellers find a theme by
/// typing, and choosing precisely is what gets a dialog answered.
#[component]
pub(super) fn ThemeSearch(
    catalog: RwSignal<Catalog>,
    on_pick: Callback<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let results = Memo::new(move |_| {
        let q = query.get().trim().to_lowercase().replace('ё', "е");
        if q.chars().count() < 2 {
            return Vec::new();
        }
        let locale = i18n.locale();
        // Both the API's (Russian) name and the shown one match: a seller in English mode may
        // still type the cabinet's Russian words.
        let matches = |id: &str, name: &str| {
            let fold = |s: &str| s.to_lowercase().replace('ё', "е");
            fold(name).contains(&q) || fold(catalog_name(locale, id, name)).contains(&q)
        };
        catalog.with(|c| {
            let row = |cat: &Category, th: &Theme| {
                (
                    cat.id.clone(),
                    th.id.clone(),
                    catalog_name(locale, &cat.id, &cat.name).to_string(),
                    catalog_name(locale, &th.id, &th.name).to_string(),
                )
            };
            let mut out = Vec::new();
            for cat in &c.categories {
                let cat_match = matches(&cat.id, &cat.name);
                for th in &cat.themes {
                    if cat_match || matches(&th.id, &th.name) {
                        out.push(row(cat, th));
                    }
                }
            }
            // Then the themes the comment helper would rank for these words («штраф», «не
            // пустили»): a seller types their problem, not our theme names.
            for s in rank_themes(&q, c).iter().take_while(|s| s.own > 0) {
                if !out.iter().any(|r| r.1 == s.theme.id) {
                    out.push(row(s.category, s.theme));
                }
            }
            out.truncate(8);
            out
        })
    });
    view! {
        <div class="ss-field ss-theme-search">
            <label for="ss-theme-search">{i18n.tr_in(strings, |s| s.find_theme_label)}</label>
            <input
                id="ss-theme-search"
                class="ss-input"
                type="search"
                autocomplete="off"
                placeholder=i18n.tr_in(strings, |s| s.find_theme_placeholder)
                prop:value=query
                on:input:target=move |ev| query.set(ev.target().value())
            />
            <Show when=move || query.with(|q| q.trim().chars().count() >= 2)>
                <Show
                    when=move || !results.with(|r| r.is_empty())
                    fallback=move || view! { <p class="ss-hint" role="status">{i18n.tr_in(strings, |s| s.find_theme_none)}</p> }
                >
                    <ul class="ss-search-results" aria-label=i18n.tr_in(strings, |s| s.find_theme_results)>
                        <For
                            each=move || results.get()
                            key=|r| r.1.clone()
                            let((cat_id, theme_id, cat_name, theme_name))
                        >
                            <li>
                                <button
                                    type="button"
                                    class="ss-link-button"
                                    on:click={
                                        let (c, th) = (cat_id.clone(), theme_id.clone());
                                        move |_| {
                                            on_pick.run((c.clone(), th.clone()));
                                            query.set(String::new());
                                        }
                                    }
                                >
                                    {theme_name.clone()}
                                </button>
                                <span class="ss-secondary">{cat_name.clone()}</span>
                            </li>
                        </For>
                    </ul>
                </Show>
            </Show>
        </div>
    }
}
