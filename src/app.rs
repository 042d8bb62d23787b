//! The app shell: providers, header, the standing anti-fraud notice and the routes.

use crate::config::Config;
use crate::context::{use_api, use_shared};
use crate::i18n::{I18n, Locale, use_i18n};
use crate::pages::list::ListPage;
use crate::pages::{DIALOG, NEW_DIALOG, PARTS, part_of};
use crate::parts::{part_view, prefetch, prefetch_on_intent};
use crate::router::{AppRoute, Page, focus_on_moves, guard_links, page_of, use_base, use_href};
use leptos::prelude::*;
use leptos_router::components::{A, FlatRoutes, Route, Router};

/// `shell_notice` is the static page's anti-fraud notice that [`crate::start`] kept: the app keeps
/// its text in the seller's language instead of rendering a notice of its own.
#[component]
pub fn App(
    config: Config,
    #[prop(default = None)] shell_notice: Option<web_sys::Element>,
) -> impl IntoView {
    let i18n = I18n::new(config.locale);
    provide_context(i18n);
    crate::context::provide_api(config.clone());
    crate::context::provide_shared();
    i18n.show(config.locale);
    let base = config.base_path.clone();
    view! {
        // The runtime base path (config's `basePath`): links and history stay under it.
        <Router base=base>
            <Shell shell_notice/>
        </Router>
    }
}

/// Everything inside the router: the header, the notice and the page the address shows.
#[component]
fn Shell(shell_notice: Option<web_sys::Element>) -> impl IntoView {
    let i18n = use_i18n();
    let base = use_base();
    let location = leptos_router::hooks::use_location();
    guard_links();
    focus_on_moves();
    let go = crate::router::use_go();
    let live = crate::host::start_live_updates(
        &use_api().config().clone(),
        Callback::new(move |id: u64| go(&format!("/dialogs/{id}"), true)),
    );
    crate::host::announce_navigation(location.pathname.into());
    // The standalone page's title names the page, so the tab and the browser's history list tell
    // the pages apart (WCAG 2.4.2). Embedded, the title is the host's and is left alone.
    let standalone = document()
        .document_element()
        .is_some_and(|root| root.class_list().contains("ss-standalone-root"));
    if standalone {
        Effect::new(move |_| {
            let title = location
                .pathname
                .with(|path| page_title(i18n.locale(), page_of(&base, path)));
            document().set_title(&crate::host::counted_title(live.unread.get(), &title))
        });
    }
    let own_notice = shell_notice.is_none();
    if let Some(notice) = shell_notice {
        Effect::new(move |_| adopt_notice(&notice, i18n.locale()));
    }

    // The page is built one task after the shell. On a slow phone the first render is then two
    // shorter tasks instead of one long one: the browser gets to handle input and paint in between
    // (Lighthouse's Total Blocking Time counts every task's excess over 50 ms).
    let page_ready = RwSignal::new(false);
    set_timeout(move || page_ready.set(true), std::time::Duration::ZERO);
    // The other pages' modules (release build) load once the first page has settled, so a later
    // move does not wait for the network; the first page's own work goes first.
    crate::host::owned_timeout(|| prefetch(&PARTS), std::time::Duration::from_secs(2));
    // A change of seller (a shared computer, another cabinet account) is noticed on whatever page
    // comes first, usually the list: the previous seller's drafts leave the browser then, not only
    // once a page that shows drafts is opened. Late, like the prefetch: the list goes first.
    {
        let api = use_api();
        crate::host::owned_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    let _ = crate::draft::Drafts::for_session(&api).await;
                })
            },
            std::time::Duration::from_secs(2),
        );
    }

    // `lang` on the app's own root too: embedded in a cabinet page, the app's language may differ
    // from the host's, and screen readers and hyphenation follow the nearest `lang`.
    view! {
        <div
            class="ss-app"
            lang=move || i18n.locale().tag()
            on:pointerover={
                let f = prefetch_on_intent(part_of);
                move |ev| f(ev.into())
            }
            on:focusin={
                let f = prefetch_on_intent(part_of);
                move |ev| f(ev.into())
            }
        >
            // First on the page, before the header: support is free and only here.
            {own_notice.then(|| view! { <FraudNotice/> })}
            <Header/>
            <main class="ss-main" id="ss-main">
                <Flash/>
                <Show when=move || page_ready.get() fallback=Loading>
                    // The patterns come from the route table (crate::router::ROUTES).
                    <FlatRoutes fallback=NotFound>
                        <Route path=AppRoute::of(Page::List) view=ListPage/>
                        <Route path=AppRoute::of(Page::New) view=|| part_view(NEW_DIALOG)/>
                        <Route path=AppRoute::of(Page::Dialog) view=|| part_view(DIALOG)/>
                    </FlatRoutes>
                </Show>
            </main>
        </div>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let switch = move |_| {
        let next = match i18n.locale() {
            Locale::Ru => Locale::En,
            Locale::En => Locale::Ru,
        };
        i18n.set(next);
    };
    view! {
        <header class="ss-header">
            // Plain: an `<A>` would be current on the list too, and one current link is enough.
            // The router follows it like any link to its pages.
            <a href=use_href("/") class="ss-brand">{i18n.tr(|t| t.app_title)}</a>
            // `<A>` marks the current page's own link for screen readers (`aria-current`, which
            // the style underlines); `exact`, or the list's link would be current everywhere.
            <nav class="ss-nav" aria-label=i18n.tr(|t| t.main_nav)>
                <A href=use_href("/") attr:class="ss-nav-link" exact=true>
                    {i18n.tr(|t| t.nav_dialogs)}
                </A>
                <crate::pages::list::AwaitingRatingCount/>
                <A href=use_href("/new") attr:class="ss-button ss-button-primary" exact=true>
                    {i18n.tr(|t| t.new_dialog)}
                </A>
            </nav>
            // The name holds the visible word («English»), so voice control finds the button by
            // what it shows (WCAG 2.5.3); each part is marked with the language it is read in.
            <button type="button" class="ss-lang" on:click=switch>
                <span class="ss-visually-hidden">{i18n.tr(|t| t.language_switch)} ": "</span>
                <span lang=move || match i18n.locale() {
                    Locale::Ru => "en",
                    Locale::En => "ru",
                }>{i18n.tr(|t| t.other_language)}</span>
            </button>
        </header>
    }
}

/// «Мои диалоги — Поддержка», «№ диалога 12345678 — Поддержка», …, for the page an address shows
/// ([`page_of`]; `None`: no page).
pub fn page_title(locale: Locale, page: Option<(Page, Vec<(&'static str, String)>)>) -> String {
    let t = locale.strings();
    let name = match page {
        Some((Page::List, _)) => t.nav_dialogs.to_string(),
        Some((Page::New, _)) => t.new_dialog.to_string(),
        Some((Page::Dialog, params)) => {
            let id = params.iter().find(|(k, _)| *k == "id");
            match id.and_then(|(_, raw)| crate::pages::dialog::parse_dialog_id(raw)) {
                Some(id) => format!("{} {id}", crate::i18n::dialog::strings(locale).number_label),
                None => crate::i18n::dialog::strings(locale)
                    .not_found_title
                    .to_string(),
            }
        }
        None => t.not_found_title.to_string(),
    };
    format!("{name} — {}", t.app_title)
}

/// A one-off confirmation (e.g. «Диалог создан») on the page it belongs to.
#[component]
fn Flash() -> impl IntoView {
    let shared = use_shared();
    let location = leptos_router::hooks::use_location();
    let shown = StoredValue::new(false);
    let here = move || {
        let path = location.pathname.get();
        shared.flash.with(|f| {
            f.as_ref()
                .is_some_and(|(target, _)| path.ends_with(target.as_str()))
        })
    };
    Effect::new(move |_| {
        if shared.flash.with(|f| f.is_none()) {
            shown.set_value(false);
        } else if here() {
            shown.set_value(true);
        } else if shown.get_value() {
            shown.set_value(false);
            shared.flash.set(None);
        }
    });
    view! {
        <Show when=here>
            <p class="ss-flash" role="status">{move || shared.flash.get().map(|(_, text)| text)}</p>
        </Show>
    }
}

/// Puts the static notice's words in `locale`. Text that is already right is left alone: a
/// rewritten text node is painted anew, and the whole point of adopting the notice is that it is not.
fn adopt_notice(notice: &web_sys::Element, locale: Locale) {
    let t = locale.strings();
    let _ = notice.set_attribute("lang", locale.tag());
    for (selector, text) in [("strong", t.fraud_notice_title), ("span", t.fraud_notice)] {
        if let Ok(Some(el)) = notice.query_selector(selector)
            && el.text_content().as_deref() != Some(text)
        {
            el.set_text_content(Some(text));
        }
    }
}

/// The standing notice: support is free and only here.
#[component]
pub fn FraudNotice() -> impl IntoView {
    let i18n = use_i18n();
    // The `aside` stays a (labelled) complementary landmark and the note sits inside it: a
    // `role="note"` on the aside itself would leave the notice outside every landmark (axe `region`).
    view! {
        <aside class="ss-notice" aria-labelledby="ss-fraud-title">
            <div role="note">
                <strong id="ss-fraud-title">{i18n.tr(|t| t.fraud_notice_title)}</strong>
                " "
                <span>{i18n.tr(|t| t.fraud_notice)}</span>
            </div>
        </aside>
    }
}

/// What the page area shows until the page is built: the static shell's own words.
#[component]
fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="ss-page">
            <p class="ss-muted">{i18n.tr(|t| t.loading)}</p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="ss-page ss-not-found">
            <h1>{i18n.tr(|t| t.not_found_title)}</h1>
            <p>{i18n.tr(|t| t.not_found_text)}</p>
            <A href=use_href("/") attr:class="ss-button">
                {i18n.tr(|t| t.back_to_list)}
            </A>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::page_title;
    use crate::i18n::Locale;
    use crate::router::{app_href, page_of};

    #[test]
    fn titles_name_the_page_in_the_sellers_language() {
        let title = |locale, path| page_title(locale, page_of("", path));
        assert_eq!(title(Locale::Ru, "/"), "Мои диалоги — Поддержка");
        assert_eq!(title(Locale::En, "/new"), "New dialog — Support");
        assert_eq!(
            title(Locale::Ru, "/dialogs/13718172"),
            "№ диалога 13718172 — Поддержка"
        );
        assert_eq!(
            title(Locale::Ru, "/dialogs/abc"),
            "Диалог не найден — Поддержка"
        );
        assert_eq!(title(Locale::En, "/nowhere"), "Page not found — Support");
    }

    #[test]
    fn hrefs_stay_under_the_base_path() {
        assert_eq!(app_href("", "/"), "/");
        assert_eq!(app_href("", "/new"), "/new");
        assert_eq!(app_href("/support", "/"), "/support/");
        assert_eq!(
            app_href("/support", "/new?category=a"),
            "/support/new?category=a"
        );
        assert_eq!(app_href("/a/b", "/dialogs/1"), "/a/b/dialogs/1");
    }
}
