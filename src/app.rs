//! The app shell: providers, header, the standing anti-fraud notice and the routes.

use crate::api::Api;
use crate::config::Config;
use crate::i18n::{I18n, Locale, use_i18n};
use crate::pages::list::ListPage;
use crate::parts::{Part, part_view, prefetch_all, prefetch_on_intent};
use crate::router::{Page, link_handler, provide_location, routes, use_location};
use leptos::prelude::*;

/// Signals every page may touch; `Copy` so closures capture it freely.
#[derive(Clone, Copy)]
pub struct Shared {
    /// Bumped whenever a dialog changes, so the header counter and lists refetch.
    pub dialogs_changed: RwSignal<u32>,
    /// A one-off confirmation `(path, text)`: shown on the page at `path` (e.g. the dialog just
    /// created), dropped once the seller navigates away from it.
    pub flash: RwSignal<Option<(String, String)>>,
}

impl Shared {
    pub fn touch(&self) {
        self.dialogs_changed.update(|n| *n = n.wrapping_add(1));
    }
}

pub fn use_shared() -> Shared {
    use_context::<Shared>().unwrap_or_else(|| {
        let s = Shared {
            dialogs_changed: RwSignal::new(0),
            flash: RwSignal::new(None),
        };
        provide_context(s);
        s
    })
}

/// An app path (`/`, `/new`, `/dialogs/1`) as an address under the base path: `/support/`,
/// `/support/new`. Links are plain `<a href>`, so every absolute link inside the app goes through
/// this ([`crate::router::Location::navigate`] adds the base itself).
pub fn app_href(base: &str, path: &str) -> String {
    if base.is_empty() {
        path.to_string()
    } else {
        format!("{base}{path}")
    }
}

/// [`app_href`] with the running app's base path.
pub fn use_href(path: &str) -> String {
    app_href(&use_api().config().base_path, path)
}

/// The API client of the app (a default same-origin one outside the app, e.g. in component tests).
pub fn use_api() -> Api {
    use_context::<Api>().unwrap_or_else(|| {
        let api = Api::new(Config::default());
        provide_context(api.clone());
        api
    })
}

/// `shell_notice` is the static page's anti-fraud notice that [`crate::start`] kept: the app keeps
/// its text in the seller's language instead of rendering a notice of its own.
#[component]
pub fn App(
    config: Config,
    #[prop(default = None)] shell_notice: Option<web_sys::Element>,
) -> impl IntoView {
    let i18n = I18n::new(config.locale);
    provide_context(i18n);
    provide_context(Api::new(config.clone()));
    let shared = use_shared();
    i18n.show(config.locale);
    let location = provide_location(config.base_path.clone());
    let live = crate::host::start_live_updates(
        &config,
        Callback::new(move |id: u64| {
            location.navigate(&format!("/dialogs/{id}"), crate::router::Nav::default())
        }),
    );
    crate::host::announce_navigation(location.pathname.into());
    // Until the pages apply changes themselves: every event reloads the list and the count.
    live.subscribe(move |_| shared.touch());
    // The standalone page's title names the page, so the tab and the browser's history list tell
    // the pages apart (WCAG 2.4.2). Embedded, the title is the host's and is left alone.
    let standalone = document()
        .document_element()
        .is_some_and(|root| root.class_list().contains("ss-standalone-root"));
    if standalone {
        Effect::new(move |_| {
            let title = page_title(i18n.locale(), &location.page());
            document().set_title(&crate::host::counted_title(live.unread.get(), &title));
        });
    }
    // After a move to another page inside the app, the focus goes to the new page's heading (the
    // page area while it loads), as a page load would start there: a screen reader reads the new
    // page, and Tab goes on from it instead of from a link that is gone. Not on the first page,
    // and never scrolled to: back and forward restore the scroll position.
    Effect::new(move |prev: Option<Page>| {
        let page = location.page();
        if prev.is_some_and(|p| p != page) {
            set_timeout(focus_page_start, std::time::Duration::ZERO);
        }
        page
    });
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
    crate::host::owned_timeout(prefetch_all, std::time::Duration::from_secs(2));
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
            on:click=link_handler()
            on:pointerover={
                let f = prefetch_on_intent();
                move |ev| f(ev.into())
            }
            on:focusin={
                let f = prefetch_on_intent();
                move |ev| f(ev.into())
            }
        >
            // First on the page, before the header: support is free and only here.
            {own_notice.then(|| view! { <FraudNotice/> })}
            <Header/>
            <main class="ss-main" id="ss-main">
                <Flash/>
                <Show when=move || page_ready.get() fallback=Loading>
                    {routes(|page| match page {
                        Page::List => view! { <ListPage/> }.into_any(),
                        Page::New => part_view(Part::NewDialog),
                        Page::Dialog(_) => part_view(Part::Dialog),
                        Page::NotFound => view! { <NotFound/> }.into_any(),
                    })}
                </Show>
            </main>
        </div>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // The current page's own link is marked for screen readers (and underlined by the style).
    let current = move |page: Page| (location.page() == page).then_some("page");
    let switch = move |_| {
        let next = match i18n.locale() {
            Locale::Ru => Locale::En,
            Locale::En => Locale::Ru,
        };
        i18n.set(next);
    };
    view! {
        <header class="ss-header">
            <a href=use_href("/") class="ss-brand">{i18n.tr(|t| t.app_title)}</a>
            <nav class="ss-nav" aria-label=i18n.tr(|t| t.main_nav)>
                <a
                    href=use_href("/")
                    class="ss-nav-link"
                    aria-current=move || current(Page::List)
                >
                    {i18n.tr(|t| t.nav_dialogs)}
                </a>
                <crate::pages::list::AwaitingRatingCount/>
                <a
                    href=use_href("/new")
                    class="ss-button ss-button-primary"
                    aria-current=move || current(Page::New)
                >
                    {i18n.tr(|t| t.new_dialog)}
                </a>
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

/// Focuses the page's `<h1>`, or the page area when the page has none yet (a dialog loading).
pub(crate) fn focus_page_start() {
    use wasm_bindgen::JsCast;
    let Some(main) = document().get_element_by_id("ss-main") else {
        return;
    };
    let target = main.query_selector("h1").ok().flatten().unwrap_or(main);
    if !target.has_attribute("tabindex") {
        let _ = target.set_attribute("tabindex", "-1");
    }
    if let Ok(el) = target.dyn_into::<web_sys::HtmlElement>() {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = el.focus_with_options(&options);
    }
}

/// «Мои диалоги — Поддержка», «№ диалога 12345678 — Поддержка», …
pub fn page_title(locale: Locale, page: &Page) -> String {
    let t = locale.strings();
    let name = match page {
        Page::List => t.nav_dialogs.to_string(),
        Page::New => t.new_dialog.to_string(),
        Page::Dialog(raw) => match crate::pages::dialog::parse_dialog_id(raw) {
            Some(id) => format!("{} {id}", crate::i18n::dialog::strings(locale).number_label),
            None => crate::i18n::dialog::strings(locale)
                .not_found_title
                .to_string(),
        },
        Page::NotFound => t.not_found_title.to_string(),
    };
    format!("{name} — {}", t.app_title)
}

/// A one-off confirmation (e.g. «Диалог создан») on the page it belongs to.
#[component]
fn Flash() -> impl IntoView {
    let shared = use_shared();
    let location = use_location();
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
            <a href=use_href("/") class="ss-button">{i18n.tr(|t| t.back_to_list)}</a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{app_href, page_title};
    use crate::i18n::Locale;
    use crate::router::Page;

    #[test]
    fn titles_name_the_page_in_the_sellers_language() {
        assert_eq!(
            page_title(Locale::Ru, &Page::List),
            "Мои диалоги — Поддержка"
        );
        assert_eq!(page_title(Locale::En, &Page::New), "New dialog — Support");
        assert_eq!(
            page_title(Locale::Ru, &Page::Dialog("13718172".into())),
            "№ диалога 13718172 — Поддержка"
        );
        assert_eq!(
            page_title(Locale::Ru, &Page::Dialog("abc".into())),
            "Диалог не найден — Поддержка"
        );
        assert_eq!(
            page_title(Locale::En, &Page::NotFound),
            "Page not found — Support"
        );
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
