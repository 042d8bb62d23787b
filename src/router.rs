//! The app's own router: three pages, addresses under the base path, the browser's history.
//!
//! Why not leptos_router: it was 68 KB of the wasm's raw code (nested routes, param maps, route
//! matching generics, transitions), about a fifth of what the app itself adds to Leptos, and its
//! route matching showed up in the first page's blocking time on a slow phone. This app has three
//! fixed addresses and needs only: which page the address bar shows, its query string, moving to
//! another address, and following the app's own links without a reload.
//!
//! Links are plain `<a href>` with the base path already in them ([`crate::app::use_href`]); one
//! click listener on the app's root ([`link_handler`]) turns a click on such a link into a history
//! entry. Everything the browser should handle itself is left to it: a modified or middle click,
//! `target`, `download`, `rel="external"`, another origin, a jump within the page (`#part`), or an
//! address the app has no page for (a host cabinet's own pages outside the base path, files the
//! server serves beside the app).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::app_href;

/// What an address shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// `/`: the dialog list (its filters live in the query string).
    List,
    /// `/new`: the new-dialog form.
    New,
    /// `/dialogs/:id`, with the id as written in the address (the page decides if it is one).
    Dialog(String),
    NotFound,
}

impl Page {
    /// The page for the address bar's `path` when the app lives under `base` (`""` or `/support`).
    /// A trailing slash does not matter (`/new/` is `/new`, `/support` is the list).
    pub fn of(base: &str, path: &str) -> Page {
        let Some(rest) = path.strip_prefix(base) else {
            return Page::NotFound;
        };
        match rest.trim_end_matches('/') {
            "" => Page::List,
            "/new" => Page::New,
            rest => match rest.strip_prefix("/dialogs/") {
                Some(id) if !id.is_empty() && !id.contains('/') => Page::Dialog(id.to_string()),
                _ => Page::NotFound,
            },
        }
    }
}

/// How [`Location::navigate`] moves.
#[derive(Clone, Copy, Debug)]
pub struct Nav {
    /// Replace the current history entry instead of adding one.
    pub replace: bool,
    /// Scroll to the top, as a new page would; off for a list that only changes its filters.
    pub scroll: bool,
}

impl Default for Nav {
    fn default() -> Self {
        Nav {
            replace: false,
            scroll: true,
        }
    }
}

/// The address the app shows, kept in step with the address bar.
#[derive(Clone, Copy)]
pub struct Location {
    /// The address bar's path, base path included (`/support/dialogs/1`).
    pub pathname: ReadSignal<String>,
    /// The query string without its `?`.
    pub search: ReadSignal<String>,
    set_pathname: WriteSignal<String>,
    set_search: WriteSignal<String>,
    base: StoredValue<String>,
    /// Derived once for everyone who asks: it only notifies when the page itself changes, not
    /// on every new path or query string of the same page.
    page: Memo<Page>,
}

impl Location {
    fn new(base: String) -> Location {
        let (path, search) = read_address();
        let (pathname, set_pathname) = signal(path);
        let (search, set_search) = signal(search);
        let base = StoredValue::new(base);
        let page = Memo::new(move |_| base.with_value(|b| pathname.with(|p| Page::of(b, p))));
        let location = Location {
            pathname,
            search,
            set_pathname,
            set_search,
            base,
            page,
        };
        // Back and forward: the browser has changed the address already and restores the scroll
        // position itself.
        let listener = window_event_listener_untyped("popstate", move |_| location.sync());
        on_cleanup(move || listener.remove());
        location
    }

    /// The page the address shows (tracked).
    pub fn page(&self) -> Page {
        self.page.get()
    }

    /// Goes to `path`, an address inside the app (`/new`, `/?page=2`); the base path is added.
    pub fn navigate(&self, path: &str, nav: Nav) {
        let href = self.base.with_value(|base| app_href(base, path));
        // A link to the address already shown adds no history entry (as in a browser), so Back
        // never seems to do nothing.
        let here = window().location();
        let same = [here.pathname(), here.search(), here.hash()]
            .into_iter()
            .collect::<Result<String, _>>()
            .is_ok_and(|current| current == href);
        let nav = Nav {
            replace: nav.replace || same,
            ..nav
        };
        let Ok(history) = window().history() else {
            // No history API to speak of: a plain page load still gets the seller there.
            let _ = window().location().set_href(&href);
            return;
        };
        let moved = if nav.replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
        };
        if moved.is_err() {
            let _ = window().location().set_href(&href);
            return;
        }
        self.sync();
        if nav.scroll {
            // To the part the address names (`#id`) if the page has it, else to the top.
            let part = href
                .split_once('#')
                .and_then(|(_, id)| document().get_element_by_id(id));
            match part {
                Some(el) => el.scroll_into_view(),
                None => window().scroll_to_with_x_and_y(0.0, 0.0),
            }
        }
    }

    /// Takes the address bar's current address.
    fn sync(&self) {
        let (path, search) = read_address();
        if self.pathname.try_with_untracked(|p| *p != path) == Some(true) {
            self.set_pathname.try_set(path);
        }
        if self.search.try_with_untracked(|s| *s != search) == Some(true) {
            self.set_search.try_set(search);
        }
    }

    /// The link around an event's target when it leads to one of the app's pages: the link, its
    /// address and the page. An address the app has no page for (another origin, outside the base
    /// path, a file the server serves beside the app) is `None`: a real page load.
    pub fn own_link(
        &self,
        target: Option<web_sys::EventTarget>,
    ) -> Option<(web_sys::Element, web_sys::Url, Page)> {
        let link = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())?;
        let here = window().location();
        let url =
            web_sys::Url::new_with_base(&link.get_attribute("href")?, &here.href().ok()?).ok()?;
        if url.origin() != here.origin().ok()? {
            return None;
        }
        let page = self.base.with_value(|base| Page::of(base, &url.pathname()));
        (page != Page::NotFound).then_some((link, url, page))
    }

    /// Follows a click on one of the app's own links without reloading the page (see the module
    /// documentation for what is left to the browser).
    fn follow(&self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some((link, url, _)) = self.own_link(ev.target()) else {
            return;
        };
        let target = link.get_attribute("target").unwrap_or_default();
        let rel = link.get_attribute("rel").unwrap_or_default();
        if !(target.is_empty() || target == "_self")
            || link.has_attribute("download")
            || rel.split_ascii_whitespace().any(|r| r == "external")
        {
            return;
        }
        let here = window().location();
        let path = url.pathname();
        let base = self.base.with_value(|b| b.clone());
        // A jump within this page (`#part`) is the browser's: it scrolls and moves the focus.
        if !url.hash().is_empty()
            && here.pathname().is_ok_and(|p| p == path)
            && here.search().is_ok_and(|s| s == url.search())
        {
            return;
        }
        ev.prevent_default();
        let inside = path.get(base.len()..).unwrap_or("/");
        let inside = if inside.is_empty() { "/" } else { inside };
        let nav = Nav {
            replace: false,
            scroll: !link.has_attribute("data-noscroll"),
        };
        self.navigate(&format!("{inside}{}{}", url.search(), url.hash()), nav);
    }
}

/// The address bar's path and query string (without `?`).
fn read_address() -> (String, String) {
    let here = window().location();
    let path = here.pathname().unwrap_or_else(|_| "/".to_string());
    let search = here.search().unwrap_or_default();
    let search = search.strip_prefix('?').unwrap_or(&search).to_string();
    (path, search)
}

/// Makes the app's [`Location`] for the given base path (the app calls this once, at the top).
pub fn provide_location(base: String) -> Location {
    let location = Location::new(base);
    provide_context(location);
    location
}

/// The app's [`Location`]; outside the app (component tests) one for the runtime config's base path.
pub fn use_location() -> Location {
    use_context::<Location>()
        .unwrap_or_else(|| provide_location(crate::app::use_api().config().base_path.clone()))
}

/// A click listener for the app's root element: follows the app's own links in place.
pub fn link_handler() -> impl Fn(web_sys::MouseEvent) + 'static {
    let location = use_location();
    move |ev| location.follow(&ev)
}

/// Shows `view(page)` for the address bar's page; the view is built anew only when the page
/// changes, not when the query string does (the list reads that itself).
pub fn routes(view: impl Fn(&Page) -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let page = use_location().page;
    move || page.with(|p| view(p))
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn addresses_name_their_pages() {
        assert_eq!(Page::of("", "/"), Page::List);
        assert_eq!(Page::of("", ""), Page::List);
        assert_eq!(Page::of("", "/new"), Page::New);
        assert_eq!(Page::of("", "/new/"), Page::New);
        assert_eq!(Page::of("", "/dialogs/12"), Page::Dialog("12".into()));
        assert_eq!(Page::of("", "/dialogs/abc"), Page::Dialog("abc".into()));
        assert_eq!(Page::of("", "/dialogs/"), Page::NotFound);
        assert_eq!(Page::of("", "/dialogs/1/2"), Page::NotFound);
        assert_eq!(Page::of("", "/newer"), Page::NotFound);
        assert_eq!(Page::of("", "/nowhere"), Page::NotFound);
    }

    #[test]
    fn the_base_path_comes_first() {
        assert_eq!(Page::of("/support", "/support"), Page::List);
        assert_eq!(Page::of("/support", "/support/"), Page::List);
        assert_eq!(Page::of("/support", "/support/new"), Page::New);
        assert_eq!(
            Page::of("/support", "/support/dialogs/7"),
            Page::Dialog("7".into())
        );
        assert_eq!(Page::of("/support", "/new"), Page::NotFound);
        assert_eq!(Page::of("/support", "/supportnew"), Page::NotFound);
        assert_eq!(Page::of("/support", "/"), Page::NotFound);
    }
}
