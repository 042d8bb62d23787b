//! What every page shares, provided once by the app shell ([`provide`]) and read by the pages.
//!
//! It lives below the pages and the shell, so pages read it without importing the shell that
//! renders them (no `app` ↔ `pages` cycle).

use crate::api::Api;
use crate::config::Config;
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

/// The app shell's provider: the API client for `config` and the shared signals.
pub fn provide(config: Config) {
    provide_context(Api::new(config));
    use_shared();
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

/// The API client of the app (a default same-origin one outside the app, e.g. in component tests).
pub fn use_api() -> Api {
    use_context::<Api>().unwrap_or_else(|| {
        let api = Api::new(Config::default());
        provide_context(api.clone());
        api
    })
}
