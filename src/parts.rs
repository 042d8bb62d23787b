//! Code loaded when first shown: the new-dialog page, the dialog page, the dialog's reply box.
//!
//! The release build (feature `split`) is cut by `wasm-split-cli` into the main module and one
//! module per [`Part`] (scripts/build-wasm/hook.mjs): the list, the header and the notice come
//! first; the form with its comment helper and drop zone, the thread with its rating, or the reply
//! box only when the seller goes there. Without the feature (browser tests, debug builds) every
//! part is in the one module and renders at once.
//!
//! Why not leptos_router's lazy routes (`#[lazy_route]`): they split through `#[lazy]`, whose
//! `wasm_split` point is not `fallible`, and a module that cannot be fetched then panics, which
//! kills the app. Here the routes render [`part_view`], a lazy view over `fallible` split points
//! (the same `wasm_split_helpers`) that shows «Эта страница не загрузилась» with «Повторить».
//!
//! This module knows no page: each part is declared with [`lazy_part!`] beside the view it wraps
//! (crate::pages), so pages use it without an import cycle.

use crate::router::focus_page_start;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// Builds a part's view. A plain function pointer: it is `Copy`, so the loaded part can sit in a
/// record, and calling it runs code from the part's own module.
pub type PageView = fn() -> AnyView;

/// What [`Part::load`] returns: the view once its module is there, `None` when it could not be
/// fetched or instantiated.
pub type Loading = Pin<Box<dyn Future<Output = Option<PageView>>>>;

/// Code that lives in a module of its own in the split build; made by [`lazy_part!`].
#[derive(Clone, Copy, Debug)]
pub struct Part {
    /// The `#[wasm_split]` module (the route table names a page's: src/router.rs).
    pub module: &'static str,
    #[doc(hidden)]
    pub load: fn() -> Loading,
    /// The view at once: always without the `split` feature, never with it.
    #[doc(hidden)]
    pub local: Option<PageView>,
}

impl PartialEq for Part {
    fn eq(&self, other: &Part) -> bool {
        self.module == other.module
    }
}

/// `lazy_part!(pub NAME = split_fn in module: || view! { … }.into_any())` declares a [`Part`]:
/// with the `split` feature the view's code goes to the wasm module `module` through a fallible
/// split point named `split_fn` (unique per part: the split's link names derive from it).
#[macro_export]
macro_rules! lazy_part {
    ($vis:vis $name:ident = $split:ident in $module:ident : $view:expr) => {
        $vis const $name: $crate::parts::Part = $crate::parts::Part {
            module: stringify!($module),
            load: {
                #[cfg(feature = "split")]
                fn load() -> $crate::parts::Loading {
                    #[wasm_split_helpers::wasm_split($module, fallible)]
                    fn $split()
                    -> Result<$crate::parts::PageView, wasm_split_helpers::SplitLoaderError> {
                        Ok($view)
                    }
                    Box::pin(async { $split().await.ok() })
                }
                #[cfg(not(feature = "split"))]
                fn load() -> $crate::parts::Loading {
                    let view: $crate::parts::PageView = $view;
                    Box::pin(async move { Some(view) })
                }
                load
            },
            local: {
                #[cfg(feature = "split")]
                {
                    None
                }
                #[cfg(not(feature = "split"))]
                {
                    let view: $crate::parts::PageView = $view;
                    Some(view)
                }
            },
        };
    };
}

/// The part's view: at once when its module is there, else after loading it, with «Загрузка…»
/// meanwhile and an error box with «Повторить» when the module cannot be fetched.
pub fn part_view(part: Part) -> AnyView {
    match loaded(part) {
        Some(page) => page(),
        None => view! { <Lazy part/> }.into_any(),
    }
}

/// Starts fetching the modules of the given parts in the background, so the next page change
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

/// For `pointerover` and `focusin` on the app's root (a tap sends `pointerover` too): a link the
/// seller is about to follow starts loading its page's module (`part_of`, from the link's page),
/// which usually arrives before the click.
pub fn prefetch_on_intent(
    part_of: fn(crate::router::Page) -> Option<Part>,
) -> impl Fn(web_sys::Event) + Clone + 'static {
    let base = crate::router::use_base();
    move |ev| {
        if let Some(part) =
            crate::router::own_link(&base, ev.target()).and_then(|(_, page)| part_of(page))
        {
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

/// Where a part's module stands, for prefetches and views alike.
#[derive(Clone, Copy)]
enum Slot {
    Absent,
    Fetching,
    Loaded(PageView),
}

thread_local! {
    /// Per module name; a handful of parts, so a list.
    static SLOTS: std::cell::RefCell<Vec<(&'static str, Slot)>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// Notified whenever a module has arrived.
    static ARRIVED: ArcTrigger = ArcTrigger::new();
}

fn slot(part: Part) -> Slot {
    if let Some(view) = part.local {
        return Slot::Loaded(view);
    }
    SLOTS.with(|s| {
        s.borrow()
            .iter()
            .find(|(m, _)| *m == part.module)
            .map_or(Slot::Absent, |(_, slot)| *slot)
    })
}

fn set_slot(part: Part, to: Slot) {
    SLOTS.with(|s| {
        let mut all = s.borrow_mut();
        match all.iter_mut().find(|(m, _)| *m == part.module) {
            Some((_, slot)) => *slot = to,
            None => all.push((part.module, to)),
        }
    });
}

fn loaded(part: Part) -> Option<PageView> {
    match slot(part) {
        Slot::Loaded(page) => Some(page),
        Slot::Absent | Slot::Fetching => None,
    }
}

/// `None` when the part's module could not be fetched or instantiated; a later call tries again.
/// Callers at the same time share one attempt (wasm_split_helpers' loader).
async fn load(part: Part) -> Option<PageView> {
    if let Some(page) = loaded(part) {
        return Some(page);
    }
    set_slot(part, Slot::Fetching);
    let page = (part.load)().await;
    set_slot(part, page.map_or(Slot::Absent, Slot::Loaded));
    if page.is_some() {
        ARRIVED.with(|a| a.notify());
    }
    page
}
