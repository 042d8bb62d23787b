//! Live updates: how the app hears that support answered, without a reload.
//!
//! One client per mounted app ([`provide_live`]) keeps the seller's event stream
//! (`GET /api/events`, Server-Sent Events through gloo-net's `EventSource`) open and hands every
//! dialog change to the pages that [`Live::subscribe`]d. The browser reconnects a dropped stream by
//! itself and sends `Last-Event-ID`, so the server replays what the tab missed; a stream the
//! browser gave up on (a host API without it: 404; too many tabs: 429) is opened again later,
//! from the last id seen, with a growing pause.
//!
//! Whenever the stream is not live (not opened yet, reconnecting, refused, a proxy that holds
//! events back so `ready` never comes, or `events: "poll"` in the config), the client asks the pages
//! to reload ([`LiveEvent::Refresh`]) every [`POLL_MS`] while the tab is visible, and at once when
//! the tab becomes visible again or the browser comes back online. None of this is shown to the
//! seller: a late answer is not an error.
//!
//! Everything it starts (the stream, timers, listeners) is released by `on_cleanup` of the owner it
//! was provided under, so an unmounted app leaves nothing running.

use crate::config::{Auth, Config, Events};
use domain::events::{DialogChange, EventKind, Resync, StreamReady};
use futures::StreamExt;
use gloo_net::eventsource::futures::{EventSource, EventSourceBuilder};
use leptos::prelude::*;
use std::rc::Rc;
use std::time::Duration;

/// Polling period while there is no live stream (the 30 s: an answer is seen within half
/// a minute, and a few hundred open tabs cost the API a request a second between them).
pub const POLL_MS: u64 = 30_000;
/// First pause before opening again a stream the browser gave up on; doubled after each failure.
const REOPEN_MIN_MS: u64 = 5_000;
/// The longest pause: a host without the stream is asked again every five minutes.
const REOPEN_MAX_MS: u64 = 300_000;

/// What subscribers hear.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveEvent {
    /// A dialog changed: `created`, `message`, `status` or `read`, with the dialog's list row
    /// after the change.
    Change(EventKind, Box<DialogChange>),
    /// Reload what is shown: the stream could not replay what was missed (`resync`), or there is
    /// no stream and it is time to look (a poll, the tab visible again, back online).
    Refresh,
}

type Subscriber = Rc<dyn Fn(&LiveEvent)>;

/// The live-update client; `Copy`, shared through context.
#[derive(Clone, Copy)]
pub struct Live {
    /// The seller's dialogs with unread answers, as the server last said (stream events, or a
    /// list answer through [`Live::report_unread`]); `None` until known.
    pub unread: RwSignal<Option<u64>>,
    subscribers: StoredValue<Vec<(u64, Subscriber)>, LocalStorage>,
    next_subscriber: StoredValue<u64>,
    stream: StoredValue<Stream, LocalStorage>,
}

/// The stream's state. `source` is `None` while waiting to open it again.
#[derive(Default)]
struct Stream {
    source: Option<EventSource>,
    /// Bumped for every `EventSource` opened; a reading task whose number is stale stops.
    generation: u64,
    /// The current `EventSource` said `ready`: events arrive live (until its state says otherwise).
    ready: bool,
    /// The last event id seen, sent back when the app opens a new `EventSource` itself.
    last_id: Option<String>,
    /// The stream was opened again by the app without an id to replay from (the failed one never
    /// got one): what happened meanwhile only a reload shows, once it is `ready`.
    refresh_on_ready: bool,
    reopen_ms: u64,
    reopen_timer: Option<TimeoutHandle>,
    url: String,
    with_credentials: bool,
}

impl Live {
    fn new() -> Live {
        Live {
            unread: RwSignal::new(None),
            subscribers: StoredValue::new_local(Vec::new()),
            next_subscriber: StoredValue::new(0),
            stream: StoredValue::new_local(Stream::default()),
        }
    }

    /// Calls `f` for every event until the current owner (the subscribing component) is cleaned up.
    pub fn subscribe(&self, f: impl Fn(&LiveEvent) + 'static) {
        let Some(id) = self.next_subscriber.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        self.subscribers
            .update_value(|s| s.push((id, Rc::new(f) as Subscriber)));
        let subscribers = self.subscribers;
        on_cleanup(move || {
            subscribers.try_update_value(|s| s.retain(|(i, _)| *i != id));
        });
    }

    /// Takes the unread count from a list answer (`DialogPage::unread_dialogs`).
    pub fn report_unread(&self, count: u64) {
        if self.unread.try_get_untracked() != Some(Some(count)) {
            self.unread.try_set(Some(count));
        }
    }

    /// True while the stream is open and past its `ready`: pages need not poll.
    pub fn is_streaming(&self) -> bool {
        self.stream
            .try_with_value(|s| {
                s.ready
                    && s.source
                        .as_ref()
                        .is_some_and(|es| es.state() == gloo_net::eventsource::State::Open)
            })
            .unwrap_or(false)
    }

    fn emit(&self, event: &LiveEvent) {
        // A copy of the list: a subscriber may navigate, and a page it leaves unsubscribes.
        let subscribers: Vec<Subscriber> = self
            .subscribers
            .try_with_value(|s| s.iter().map(|(_, f)| f.clone()).collect())
            .unwrap_or_default();
        for f in subscribers {
            f(event);
        }
    }

    /// Reacts to one event of the stream `generation` (ignored when a newer stream replaced it).
    fn receive(&self, generation: u64, kind: &str, id: String, data: Option<String>) {
        let current = self
            .stream
            .try_update_value(|s| {
                if s.generation != generation {
                    return false;
                }
                if !id.is_empty() {
                    s.last_id = Some(id);
                }
                true
            })
            .unwrap_or(false);
        if !current {
            return;
        }
        let data = data.unwrap_or_default();
        match kind {
            "ready" => {
                let fresh = self
                    .stream
                    .try_update_value(|s| {
                        s.ready = true;
                        s.reopen_ms = 0;
                        std::mem::take(&mut s.refresh_on_ready)
                    })
                    .unwrap_or(false);
                if let Ok(ready) = serde_json::from_str::<StreamReady>(&data) {
                    self.report_unread(ready.unread_dialogs);
                }
                if fresh {
                    self.emit(&LiveEvent::Refresh);
                }
            }
            "resync" => {
                if let Ok(resync) = serde_json::from_str::<Resync>(&data) {
                    self.report_unread(resync.unread_dialogs);
                }
                self.emit(&LiveEvent::Refresh);
            }
            other => {
                let Some(kind) = EventKind::parse(other) else {
                    return;
                };
                // A payload that does not read is skipped rather than guessed at; the next poll
                // or resync brings the truth.
                if let Ok(change) = serde_json::from_str::<DialogChange>(&data) {
                    self.report_unread(change.unread_dialogs);
                    self.emit(&LiveEvent::Change(kind, Box::new(change)));
                }
            }
        }
    }

    /// Opens the stream now (closing any previous one), from the last id seen.
    fn open(&self) {
        let Some((url, credentials, generation)) = self.stream.try_update_value(|s| {
            if let Some(t) = s.reopen_timer.take() {
                t.clear();
            }
            // Dropping closes it; its reading task sees a stale generation and ends.
            s.source = None;
            s.ready = false;
            s.refresh_on_ready = s.generation > 0 && s.last_id.is_none();
            s.generation += 1;
            let url = match &s.last_id {
                Some(id) => format!(
                    "{}?last_event_id={}",
                    s.url,
                    domain::api::percent_encode(id)
                ),
                None => s.url.clone(),
            };
            (url, s.with_credentials, s.generation)
        }) else {
            return;
        };
        let Ok(mut source) = EventSourceBuilder::new()
            .with_credentials(credentials)
            .build(&url)
        else {
            self.reopen_later();
            return;
        };
        let mut streams = Vec::with_capacity(6);
        for kind in ["created", "message", "status", "read", "ready", "resync"] {
            if let Ok(sub) = source.subscribe(kind) {
                streams.push(sub);
            }
        }
        self.stream.update_value(|s| s.source = Some(source));
        let live = *self;
        leptos::task::spawn_local(async move {
            let mut all = futures::stream::select_all(streams);
            while let Some(item) = all.next().await {
                match item {
                    Ok((kind, ev)) => {
                        live.receive(generation, &kind, ev.last_event_id(), ev.data().as_string())
                    }
                    // The browser gave up on this stream (404, 429, 5xx, not an event stream),
                    // or the app closed it: gloo reports both as an error once per subscription.
                    Err(_) => {
                        if live.stream.try_with_value(|s| s.generation) == Some(generation) {
                            live.reopen_later();
                        }
                        return;
                    }
                }
            }
        });
    }

    /// Drops the current stream and opens another after a pause that grows with each failure.
    fn reopen_later(&self) {
        let live = *self;
        self.stream.try_update_value(|s| {
            s.source = None;
            s.ready = false;
            s.generation += 1;
            s.reopen_ms = if s.reopen_ms == 0 {
                REOPEN_MIN_MS
            } else {
                (s.reopen_ms * 2).min(REOPEN_MAX_MS)
            };
            if let Some(t) = s.reopen_timer.take() {
                t.clear();
            }
            s.reopen_timer = set_timeout_with_handle(
                move || {
                    live.stream.try_update_value(|s| s.reopen_timer = None);
                    live.open();
                },
                Duration::from_millis(s.reopen_ms),
            )
            .ok();
        });
    }

    /// A stream waiting for its pause to end is opened at once (the seller is back, or the
    /// network is): the pause was for a server that refused, not for this moment.
    fn reopen_now_if_waiting(&self) {
        if self
            .stream
            .try_with_value(|s| s.reopen_timer.is_some())
            .unwrap_or(false)
        {
            self.open();
        }
    }
}

fn page_visible() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Visible
}

/// Starts the live-update client for `config` under the current owner and provides it to
/// everything below. The stream and the timers stop when that owner is cleaned up.
pub fn provide_live(config: &Config) -> Live {
    let live = Live::new();
    provide_context(live);
    let events = config.effective_events();
    if events == Events::Off {
        return live;
    }
    let poll = move || {
        if page_visible() && !live.is_streaming() {
            live.emit(&LiveEvent::Refresh);
        }
    };
    let interval = set_interval_with_handle(poll, Duration::from_millis(POLL_MS)).ok();
    let visible = window_event_listener_untyped("visibilitychange", move |_| {
        if page_visible() {
            live.reopen_now_if_waiting();
            poll();
        }
    });
    let online = window_event_listener_untyped("online", move |_| {
        live.reopen_now_if_waiting();
        poll();
    });
    if events == Events::Sse {
        live.stream.update_value(|s| {
            s.url = config.api_url("/api/events");
            s.with_credentials = config.auth == Auth::Cookie;
        });
        live.open();
    }
    on_cleanup(move || {
        if let Some(i) = interval {
            i.clear();
        }
        visible.remove();
        online.remove();
        live.stream.try_update_value(|s| {
            if let Some(t) = s.reopen_timer.take() {
                t.clear();
            }
            s.generation += 1;
            s.source = None;
        });
    });
    live
}

/// The app's live-update client ([`provide_live`]). A page mounted without the app around it
/// (component tests) gets a silent one: no stream, no polling, nothing to hear.
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(|| {
        provide_live(&Config {
            events: Events::Off,
            ..Config::default()
        })
    })
}
