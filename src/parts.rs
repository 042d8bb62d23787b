//! The new-dialog page and the dialog page, loaded when first shown.
//!
//! The release build (feature `split`) is cut by `wasm-split-cli` into the main module and one
//! module per page (scripts/build-wasm/hook.mjs): the list, the header and the notice come first, the
//! form with its comment helper and drop zone, or the thread with its reply box and rating, only
//! when the seller goes there. Without the feature (browser tests, debug builds) every page is in
//! the one module and renders at once.
//!
//! Why not leptos_router's lazy routes (`#[lazy_route]`): they split through `#[lazy]`, whose
//! `wasm_split` point is not `fallible`, and a module that cannot be fetched then panics, which
//! kills the app. Here the routes render [`part_view`], a lazy view over `fallible` split points
//! (the same `wasm_split_helpers`) that shows «Эта страница не загрузилась» with «Повторить».

use crate::router::{Page, ROUTES, focus_page_start, own_link, use_base};
use leptos::prelude::*;

/// Builds a page's view. A plain function pointer: it is `Copy`, so the loaded page can sit in a
/// signal, and calling it runs code from the page's own module.
pub type PageView = fn() -> AnyView;

/// A page that lives in a module of its own in the split build.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Part {
    NewDialog,
    Dialog,
}

impl Part {
    const ALL: [Part; 2] = [Part::NewDialog, Part::Dialog];

    fn index(self) -> usize {
        match self {
            Part::NewDialog => 0,
            Part::Dialog => 1,
        }
    }

    /// The module a page lives in (the route table's), if not in the main one.
    pub fn of(page: Page) -> Option<Part> {
        let module = ROUTES.into_iter().find(|r| r.page == page)?.module?;
        Part::ALL.into_iter().find(|p| p.module() == module)
    }

    /// The name of its `#[wasm_split]` point below, as the route table writes it.
    fn module(self) -> &'static str {
        match self {
            Part::NewDialog => "new_dialog",
            Part::Dialog => "dialog",
        }
    }
}

/// The page's view: at once when its module is there, else after loading it, with «Загрузка…»
/// meanwhile and an error box with «Повторить» when the module cannot be fetched.
pub fn part_view(part: Part) -> AnyView {
    match loaded(part) {
        Some(page) => page(),
        None => view! { <Lazy part/> }.into_any(),
    }
}

/// Starts fetching the modules of the given pages in the background, so the next page change
/// does not wait for the network. Failures are silent here: the page shows them if it is opened.
pub fn prefetch(parts: &[Part]) {
    for &part in parts {
        if matches!(slot(part), Slot::Absent) {
            leptos::task::spawn_local(async move {
                let _ = load(part).await;
            });
        }
    }
}

/// Every page that is not in the main module.
pub fn prefetch_all() {
    prefetch(&Part::ALL)
}

/// For `pointerover` and `focusin` on the app's root (a tap sends `pointerover` too): a link the
/// seller is about to follow starts loading its page's module, which usually arrives before the
/// click.
pub fn prefetch_on_intent() -> impl Fn(web_sys::Event) + Clone + 'static {
    let base = use_base();
    move |ev| {
        if let Some(part) = own_link(&base, ev.target()).and_then(|(_, page)| Part::of(page)) {
            prefetch(&[part]);
        }
    }
}

#[component]
fn Lazy(part: Part) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    // Whether the module is there is the one shared record below; this page only remembers that
    // its own attempt failed. A background fetch that brings the module later still shows the
    // page, without «Повторить».
    let failed = RwSignal::new(false);
    let arrived = Memo::new(move |_| {
        ARRIVED.with(|a| a.track());
        loaded(part).is_some()
    });
    let start = move || {
        failed.set(false);
        leptos::task::spawn_local(async move {
            if load(part).await.is_some() {
                set_timeout(focus_arrived_page, std::time::Duration::ZERO);
            } else {
                // The seller may have left the page meanwhile: the signal is gone then.
                let _ = failed.try_set(true);
            }
        });
    };
    start();
    let message = Signal::derive(move || {
        failed
            .get()
            .then(|| i18n.tr(|t| t.error_part).get().to_string())
    });
    // `arrived` is read first, always, so this view follows it.
    move || match arrived.get().then(|| loaded(part)).flatten() {
        Some(page) => page(),
        None if failed.get() => view! {
            <section class="ss-page">
                <crate::components::error_box::ErrorBox
                    message
                    on_retry=Callback::new(move |_| {
                        // The focused button goes with the error box: the page area keeps the
                        // focus meanwhile and hands it to the page's heading once it is there.
                        focus_page_start();
                        start();
                    })
                />
            </section>
        }
        .into_any(),
        None => view! {
            <section class="ss-page">
                <p class="ss-muted">{i18n.tr(|t| t.loading)}</p>
            </section>
        }
        .into_any(),
    }
}

/// A move inside the app put the focus on the page area while the page loaded (crate::router); now
/// that the page is there, its heading takes it.
fn focus_arrived_page() {
    let on_page_area = document()
        .active_element()
        .is_some_and(|el| el.id() == "ss-main");
    if on_page_area {
        focus_page_start();
    }
}

/// Where a page's module stands, for prefetches and pages alike.
#[derive(Clone, Copy)]
enum Slot {
    Absent,
    Fetching,
    // Read only in the split build: without it every page is there from the start.
    #[cfg_attr(not(feature = "split"), expect(dead_code))]
    Loaded(PageView),
}

thread_local! {
    static SLOTS: std::cell::Cell<[Slot; 2]> = const { std::cell::Cell::new([Slot::Absent; 2]) };
    /// Notified whenever a module has arrived.
    static ARRIVED: ArcTrigger = ArcTrigger::new();
}

fn slot(part: Part) -> Slot {
    SLOTS.with(|s| s.get()[part.index()])
}

fn set_slot(part: Part, to: Slot) {
    SLOTS.with(|s| {
        let mut all = s.get();
        all[part.index()] = to;
        s.set(all);
    });
}

#[cfg(feature = "split")]
fn loaded(part: Part) -> Option<PageView> {
    match slot(part) {
        Slot::Loaded(page) => Some(page),
        Slot::Absent | Slot::Fetching => None,
    }
}

#[cfg(not(feature = "split"))]
fn loaded(part: Part) -> Option<PageView> {
    Some(modules::page(part))
}

/// `None` when the page's module could not be fetched or instantiated; a later call tries again.
/// Callers at the same time share one attempt (wasm_split_helpers' loader).
async fn load(part: Part) -> Option<PageView> {
    if let Some(page) = loaded(part) {
        return Some(page);
    }
    set_slot(part, Slot::Fetching);
    let page = modules::load(part).await;
    set_slot(part, page.map_or(Slot::Absent, Slot::Loaded));
    if page.is_some() {
        ARRIVED.with(|a| a.notify());
    }
    page
}

#[cfg(feature = "split")]
mod modules {
    use super::PageView;
    use leptos::prelude::*;
    use wasm_split_helpers::{SplitLoaderError, wasm_split};

    pub async fn load(part: super::Part) -> Option<PageView> {
        match part {
            super::Part::NewDialog => new_dialog().await.ok(),
            super::Part::Dialog => dialog().await.ok(),
        }
    }

    #[wasm_split(new_dialog, fallible)]
    pub fn new_dialog() -> Result<PageView, SplitLoaderError> {
        Ok(|| view! { <crate::pages::new_dialog::NewDialogPage/> }.into_any())
    }

    #[wasm_split(dialog, fallible)]
    pub fn dialog() -> Result<PageView, SplitLoaderError> {
        Ok(|| view! { <crate::pages::dialog::DialogPage/> }.into_any())
    }
}

#[cfg(not(feature = "split"))]
mod modules {
    use super::PageView;
    use leptos::prelude::*;

    pub async fn load(part: super::Part) -> Option<PageView> {
        Some(page(part))
    }

    pub fn page(part: super::Part) -> PageView {
        match part {
            super::Part::NewDialog => {
                || view! { <crate::pages::new_dialog::NewDialogPage/> }.into_any()
            }
            super::Part::Dialog => || view! { <crate::pages::dialog::DialogPage/> }.into_any(),
        }
    }
}
