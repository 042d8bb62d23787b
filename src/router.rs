//! The route table, and what leptos_router leaves to the app.
//!
//! leptos_router does the routing (`<Router base>`, `<Routes>`, `<A>`, `use_params_map`,
//! `use_query_map`, `use_navigate`, the history). What stays here, and why:
//!
//! - [`ROUTES`], the one table of the app's addresses: which pattern shows which page and in which
//!   wasm module the page's code lives. `<FlatRoutes>` (crate::app) takes its patterns from it through
//!   [`AppRoute`]'s `PossibleRouteMatch`; `scripts/build-wasm/hook.mjs` reads it to tell `boot.js`
//!   which modules a direct visit needs; [`page_of`] answers "which page is this address" for
//!   any link, which the prefetch on hover (crate::parts) and [`guard_links`] need and the library
//!   only does for the address bar.
//! - [`guard_links`]: leptos_router follows in place every same-origin link whose path merely
//!   starts with the base (its `handle_anchor_click`, location/mod.rs): `/supportnew`, a file the
//!   server serves under the base (`/support/api/files/1`), and with an empty base a host cabinet's
//!   own pages (`/orders`). The app only follows links to its own pages.
//! - [`use_go`]: moves under the runtime base path, with the list always at `{base}/`.
//! - [`focus_on_moves`]: after a move inside the app the focus goes to the new page's heading.

use crate::context::use_api;
use leptos::prelude::*;
use leptos_router::{PartialPathMatch, PathSegment, PossibleRouteMatch};
use std::borrow::Cow;
use wasm_bindgen::JsCast;

/// What an address shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The dialog list (its filters live in the query string).
    List,
    /// The new-dialog form.
    New,
    /// One dialog (`:id`, as written in the address: the page decides if it is one).
    Dialog,
}

/// One row of [`ROUTES`]: a path pattern below the base path (`:name` matches one segment), the
/// page it shows, and the split module the page's code lives in (release build; `None`: the main
/// module).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppRoute {
    pub page: Page,
    pub pattern: &'static str,
    pub module: Option<&'static str>,
}

impl AppRoute {
    const fn new(page: Page, pattern: &'static str, module: Option<&'static str>) -> AppRoute {
        AppRoute {
            page,
            pattern,
            module,
        }
    }

    /// The route of `page`.
    pub fn of(page: Page) -> AppRoute {
        ROUTES
            .into_iter()
            .find(|r| r.page == page)
            .unwrap_or(ROUTES[0])
    }
}

/// The app's addresses. scripts/build-wasm/hook.mjs reads the `AppRoute::new(...)` rows (pattern
/// and module) and checks every module against the split build's; src/parts.rs names the same
/// modules in its `#[wasm_split]` points.
pub const ROUTES: [AppRoute; 3] = [
    AppRoute::new(Page::List, "/", None),
    AppRoute::new(Page::New, "/new", Some("new_dialog")),
    AppRoute::new(Page::Dialog, "/dialogs/:id", Some("dialog")),
];

/// The `:name` values of `pattern` in `path` (both below the base path), or `None` when the path
/// is not this pattern's. A trailing slash does not matter (`/new/` is `/new`, `` is `/`).
pub fn match_pattern(pattern: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let path = path.trim_end_matches('/');
    let mut params = Vec::new();
    let mut wanted = pattern.trim_end_matches('/').split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) => match w.strip_prefix(':') {
                Some(name) if !g.is_empty() => params.push((name, g.to_string())),
                None if w == g => {}
                _ => return None,
            },
            _ => return None,
        }
    }
}

/// The page at the address bar's `path` (base path included) when the app lives under `base`
/// (`""` or `/support`), with the route's `:name` values.
pub fn page_of(base: &str, path: &str) -> Option<(Page, Vec<(&'static str, String)>)> {
    let rest = path.strip_prefix(base)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    ROUTES
        .into_iter()
        .find_map(|r| match_pattern(r.pattern, rest).map(|p| (r.page, p)))
}

/// `<Route path=AppRoute::of(page)>`: the library matches the table's own patterns, so no pattern
/// is written twice. It gets the path below the base, with or without its leading `/`.
impl PossibleRouteMatch for AppRoute {
    fn optional(&self) -> bool {
        false
    }

    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        // Below `/support`, `/supportnew` arrives as `new`: not one of ours.
        if !(path.is_empty() || path.starts_with('/')) {
            return None;
        }
        let params = match_pattern(self.pattern, path)?;
        let params = params
            .into_iter()
            .map(|(k, v)| (Cow::Borrowed(k), v))
            .collect();
        Some(PartialPathMatch::new("", params, path))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        for segment in self.pattern.split('/').filter(|s| !s.is_empty()) {
            path.push(match segment.strip_prefix(':') {
                Some(name) => PathSegment::Param(name.into()),
                None => PathSegment::Static(segment.into()),
            });
        }
        if path.is_empty() {
            path.push(PathSegment::Static("/".into()));
        }
    }
}

/// An app path (`/`, `/new`, `/dialogs/1`) as an address under the base path: `/support/`,
/// `/support/new`.
pub fn app_href(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

/// The running app's base path (`""` or `/support`).
pub fn use_base() -> String {
    use_api().config().base_path.clone()
}

/// [`app_href`] with the running app's base path.
pub fn use_href(path: &str) -> String {
    app_href(&use_base(), path)
}

/// Goes to `path`, an address inside the app (`/new`, `/dialogs/1`, `/?page=2`), under the base
/// path. `scroll: false` keeps the scroll position (a list that only changes its filters).
///
/// The library's own resolution would turn `/?page=2` under `/support` into `/support?page=2`;
/// the list lives at `/support/`, so the address is built here and not resolved again.
pub fn use_go() -> impl Fn(&str, bool) + Copy + Send + Sync + 'static {
    // Fails here, loudly, outside a <Router>, not at the first click.
    let _ = leptos_router::hooks::use_navigate();
    // `use_navigate`'s closure is neither `Copy` nor `Send`; the owner is `Send` and finds the
    // router again, and a stored value makes the whole `Copy` for the views' closures.
    let owner = Owner::current().expect("use_go inside a component");
    let at = StoredValue::new((owner, use_base()));
    move |path: &str, scroll: bool| {
        let Some((owner, href)) = at.try_with_value(|(o, base)| (o.clone(), app_href(base, path)))
        else {
            return;
        };
        owner.with(|| {
            leptos_router::hooks::use_navigate()(
                &href,
                leptos_router::NavigateOptions {
                    resolve: false,
                    scroll,
                    ..Default::default()
                },
            )
        })
    }
}

/// The link around an event's target when it leads to one of the app's pages: the link and the
/// page. Another origin, an address outside the base path or one the app has no page for is
/// `None`: a real page load.
pub fn own_link(
    base: &str,
    target: Option<web_sys::EventTarget>,
) -> Option<(web_sys::Element, Page)> {
    let link = target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a[href]").ok().flatten())?;
    let here = window().location();
    let url = web_sys::Url::new_with_base(&link.get_attribute("href")?, &here.href().ok()?).ok()?;
    if url.origin() != here.origin().ok()? {
        return None;
    }
    let (page, _) = page_of(base, &url.pathname())?;
    Some((link, page))
}

/// Keeps leptos_router's click handler (a `click` listener on `window`) away from same-origin
/// links that are not the app's pages (see the module documentation): their clicks stop at the
/// document, and the browser follows them. Only plain clicks on such links are stopped, the ones
/// the library would otherwise take; `document` listeners (a host's included) still see them.
pub fn guard_links() {
    let base = use_base();
    let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MouseEvent)>::new(
        move |ev: web_sys::MouseEvent| {
            if ev.default_prevented()
                || ev.button() != 0
                || ev.ctrl_key()
                || ev.meta_key()
                || ev.shift_key()
                || ev.alt_key()
            {
                return;
            }
            let Some(link) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten())
            else {
                return;
            };
            let target = link.get_attribute("target").unwrap_or_default();
            let rel = link.get_attribute("rel").unwrap_or_default();
            if !target.is_empty()
                || link.has_attribute("download")
                || rel.split_ascii_whitespace().any(|r| r == "external")
            {
                return;
            }
            let here = window().location();
            let Some(url) = link
                .get_attribute("href")
                .zip(here.href().ok())
                .and_then(|(href, at)| web_sys::Url::new_with_base(&href, &at).ok())
            else {
                return;
            };
            if here.origin().is_ok_and(|o| o == url.origin())
                && page_of(&base, &url.pathname()).is_none()
            {
                ev.stop_propagation();
            }
        },
    );
    let doc = document();
    let _ = doc.add_event_listener_with_callback("click", listener.as_ref().unchecked_ref());
    // Cleanup closures must be `Send`; this one runs on the main thread like everything here.
    let listener = send_wrapper::SendWrapper::new(listener);
    on_cleanup(move || {
        let _ = document()
            .remove_event_listener_with_callback("click", listener.as_ref().unchecked_ref());
    });
}

/// After a move to another page inside the app, the focus goes to the new page's heading (the
/// page area while it loads), as a page load would start there: a screen reader reads the new
/// page, and Tab goes on from it instead of from a link that is gone. Not on the first page, and
/// never scrolled to: back and forward restore the scroll position.
pub fn focus_on_moves() {
    let base = use_base();
    let location = leptos_router::hooks::use_location();
    let page = Memo::new(move |_| {
        location
            .pathname
            .with(|p| page_of(&base, p).map(|(p, _)| p))
    });
    Effect::new(move |prev: Option<Option<Page>>| {
        let now = page.get();
        if prev.is_some_and(|p| p != now) {
            set_timeout(focus_page_start, std::time::Duration::ZERO);
        }
        now
    });
}

/// Focuses the page's `<h1>`, or the page area when the page has none yet (a dialog loading).
pub fn focus_page_start() {
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

#[cfg(test)]
mod tests {
    use super::{Page, page_of};

    fn page(base: &str, path: &str) -> Option<Page> {
        page_of(base, path).map(|(p, _)| p)
    }

    #[test]
    fn addresses_name_their_pages() {
        assert_eq!(page("", "/"), Some(Page::List));
        assert_eq!(page("", ""), Some(Page::List));
        assert_eq!(page("", "/new"), Some(Page::New));
        assert_eq!(page("", "/new/"), Some(Page::New));
        assert_eq!(page("", "/dialogs/12"), Some(Page::Dialog));
        assert_eq!(
            page_of("", "/dialogs/abc").map(|(_, p)| p),
            Some(vec![("id", "abc".to_string())])
        );
        assert_eq!(page("", "/dialogs/"), None);
        assert_eq!(page("", "/dialogs/1/2"), None);
        assert_eq!(page("", "/newer"), None);
        assert_eq!(page("", "/nowhere"), None);
    }

    #[test]
    fn the_base_path_comes_first() {
        assert_eq!(page("/support", "/support"), Some(Page::List));
        assert_eq!(page("/support", "/support/"), Some(Page::List));
        assert_eq!(page("/support", "/support/new"), Some(Page::New));
        assert_eq!(page("/support", "/support/dialogs/7"), Some(Page::Dialog));
        assert_eq!(page("/support", "/new"), None);
        assert_eq!(page("/support", "/supportnew"), None);
        assert_eq!(page("/support", "/"), None);
        assert_eq!(page("/support", "/support/api/files/1"), None);
    }
}
