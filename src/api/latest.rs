//! "The latest answer only" for a page that asks the same question again (a filter changed, a
//! poll, the page left): the request a newer one supersedes is aborted, so the browser stops
//! downloading it and the server's limits do not count it, and its answer, if it still arrives, is
//! dropped rather than shown over the newer one.
//!
//! ```ignore
//! let latest = Latest::new();                      // in the component: aborts on its cleanup
//! Effect::new(move |_| {
//!     let q = query.get();
//!     let api = api.clone();
//!     spawn_local(async move {
//!         let Some(result) = latest.run(|signal| async move {
//!             api.with_signal(signal).dialogs(&q).await
//!         }).await else { return };                // superseded, cancelled or page gone
//!         state.set(result);
//!     });
//! });
//! ```

use leptos::prelude::*;
use std::future::Future;
use web_sys::{AbortController, AbortSignal};

/// The one request of a component that counts; `Copy`, so closures capture it freely.
#[derive(Clone, Copy)]
pub struct Latest {
    state: StoredValue<Current, LocalStorage>,
}

#[derive(Default)]
struct Current {
    /// Bumped by every [`Latest::run`] and [`Latest::cancel`]; a run whose number is no longer
    /// this one has been superseded.
    generation: u64,
    /// Aborts the run in flight.
    controller: Option<AbortController>,
}

impl Current {
    fn supersede(&mut self) -> u64 {
        if let Some(c) = self.controller.take() {
            c.abort();
        }
        self.generation = self.generation.wrapping_add(1);
        self.generation
    }
}

impl Latest {
    /// A helper owned by the current reactive owner (the component): its cleanup aborts whatever
    /// is still running, so a page that is left leaves no request behind.
    pub fn new() -> Latest {
        let state = StoredValue::new_local(Current::default());
        on_cleanup(move || {
            state.try_update_value(|s| s.supersede());
        });
        Latest { state }
    }

    /// Aborts the run in flight, if any: its [`Latest::run`] returns `None`. For an answer that
    /// arrived another way and is newer than anything a running request could bring back.
    pub fn cancel(&self) {
        self.state.try_update_value(|s| s.supersede());
    }

    /// Whether a run is in flight.
    pub fn running(&self) -> bool {
        self.state
            .try_with_value(|s| s.controller.is_some())
            .unwrap_or(false)
    }

    /// Aborts the previous run and starts `request` with the signal of a fresh controller (`None`
    /// only where the browser has no `AbortController`). Returns its output only if no newer run
    /// or [`Latest::cancel`] came meanwhile and the owner still lives.
    pub async fn run<T, F>(&self, request: impl FnOnce(Option<AbortSignal>) -> F) -> Option<T>
    where
        F: Future<Output = T>,
    {
        let (ticket, signal) = self.state.try_update_value(|s| {
            let ticket = s.supersede();
            s.controller = AbortController::new().ok();
            (ticket, s.controller.as_ref().map(AbortController::signal))
        })?;
        let output = request(signal).await;
        let current = self.state.try_update_value(|s| {
            let current = s.generation == ticket;
            if current {
                s.controller = None;
            }
            current
        })?;
        current.then_some(output)
    }
}

impl Default for Latest {
    fn default() -> Self {
        Latest::new()
    }
}
