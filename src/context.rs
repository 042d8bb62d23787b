//! The app-wide contexts below the views: the API client and the signals every page may touch,
//! each with its provider and an accessor. The accessors expect their provider: a component used
//! outside the app without one is a programmer's mistake that the first test mounting it reports
//! with the message below, instead of a fresh default that silently talks to another API or
//! counts dialogs nobody else sees. (The language lives beside its type: [`crate::i18n::use_i18n`].)

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

/// Provides the API client for `config` to everything below the current owner.
pub fn provide_api(config: Config) -> Api {
    let api = Api::new(config);
    provide_context(api.clone());
    api
}

/// Provides fresh [`Shared`] signals to everything below the current owner.
pub fn provide_shared() -> Shared {
    let shared = Shared {
        dialogs_changed: RwSignal::new(0),
        flash: RwSignal::new(None),
    };
    provide_context(shared);
    shared
}

/// The app's API client ([`provide_api`]).
pub fn use_api() -> Api {
    expect_context::<Api>()
}

/// The app's [`Shared`] signals ([`provide_shared`]).
pub fn use_shared() -> Shared {
    expect_context::<Shared>()
}
