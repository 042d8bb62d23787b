//! `GET /api/events`: the seller's changes as Server-Sent Events (kinds and payloads in
//! `domain::events`), replayed from the event table after a reconnect.
//!
//! How it lives beside the other layers: the concurrency limit holds its slot only until the
//! response head is out (tower's permit lives in the response future, not the body), so a
//! stream holds none; the per-seller and total caps of [`crate::events::Hub`] bound streams
//! instead. The body timeouts concern request bodies, which a GET has none of. Compression
//! only touches `application/json`, so events are never held back in an encoder's buffer.

use super::*;
use crate::events::{Refused, Subscription};
use axum::response::sse::{Event, KeepAlive, Sse};
use domain::events::{EventKind, Resync, ResyncReason, StreamReady, StreamStart, stream_start};
use std::collections::VecDeque;
use tokio_util::sync::CancellationToken;

/// Events read from the table at once; a stream never holds more in memory.
const BATCH: usize = 64;

/// The query parameter for clients that cannot set `Last-Event-ID`.
const LAST_EVENT_ID_PARAM: &str = "last_event_id";

/// The seller's live events (Server-Sent Events). A reconnect with `Last-Event-ID` first gets
/// every event it missed, or `resync` when that is no longer possible; then `ready`; then live
/// events. A comment line every `--event-heartbeat` (20 s) keeps proxies from closing it.
#[utoipa::path(get, path = "/api/events", tag = "events",
    params(
        ("Last-Event-ID" = Option<String>, Header, description = "The `id` of the last event received (EventSource sends it on reconnect); the missed events are replayed, or `resync` is sent"),
        ("last_event_id" = Option<String>, Query, description = "The same, for clients that cannot set headers; the header wins"),
    ),
    responses(
        (status = 200, content_type = "text/event-stream", body = String, description = "\
`event: created|message|status|read` with `data`: DialogChange JSON; `event: ready` (once, after \
the replay) with StreamReady; `event: resync` with Resync. Every event has an `id`. A `:` comment \
line is the heartbeat. The stream ends when the server shuts down."),
        (status = 401, body = ApiError),
        (status = 429, description = "The seller has `--max-event-streams-per-seller` streams open already (`rate_limited`, `Retry-After`)", body = ApiError, headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "The server has `--max-event-streams` open, or is shutting down (`overloaded`, `Retry-After`)", body = ApiError, headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn event_stream(
    State(state): State<AppState>,
    seller: SellerAuth,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| domain::api::query_param(raw.as_deref().unwrap_or(""), LAST_EVENT_ID_PARAM));
    // The caps first, before any database work; events committed after the position read
    // below are still read by the stream's first fill.
    let sub = match state.events.subscribe(seller.id) {
        Ok(sub) => sub,
        Err(r) => return Ok(refused(r, state.events.per_seller())),
    };
    let sid = seller.id;
    let pos = state.store.stream_position(sid).await?;
    // stream_start asks about the id only when it parses and lies above the floor: ask the
    // store first (it is async), then let stream_start decide as always.
    let own = match last.as_deref().map(str::trim).map(str::parse::<i64>) {
        Some(Ok(id)) if id > pos.floor => state.store.is_own_event(sid, id).await?,
        _ => false,
    };
    let start = stream_start(last.as_deref(), pos.floor, |_| own);
    let mut queue = VecDeque::new();
    let after = match start {
        StreamStart::Live => pos.head,
        StreamStart::Replay { after } => after,
        StreamStart::Resync(reason) => {
            queue.push_back(resync_event(reason, pos.head, pos.unread_dialogs)?);
            pos.head
        }
    };
    let stream = Cursor {
        state: state.clone(),
        sub,
        seller: sid,
        last: after,
        queue,
        catching_up: true,
        replayed: 0,
        closed: state.events.closed(),
    }
    .into_stream();
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(state.config.event_heartbeat))
        .into_response();
    let h = res.headers_mut();
    // Per-seller data, like every API answer; and nginx must pass each event on at once.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(res)
}

fn refused(r: Refused, per_seller: usize) -> Response {
    match r {
        Refused::SellerFull => {
            let mut res = AppError::new(
                StatusCode::TOO_MANY_REQUESTS,
                codes::RATE_LIMITED,
                crate::messages::too_many_streams(per_seller),
            )
            .into_response();
            // About how long a closed tab's stream takes to be noticed and dropped.
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            res
        }
        Refused::ServerFull | Refused::Closed => {
            let mut res = AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                codes::OVERLOADED,
                crate::messages::STREAMS_FULL,
            )
            .into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            res
        }
    }
}

fn resync_event(reason: ResyncReason, head: i64, unread_dialogs: u64) -> AppResult<Event> {
    Event::default()
        .event(EventKind::Resync.as_str())
        .id(head.to_string())
        .json_data(Resync {
            reason,
            unread_dialogs,
        })
        .map_err(AppError::internal)
}

/// One stream's place: what it sent last, what is queued, and how it is woken.
struct Cursor {
    state: AppState,
    sub: Subscription,
    seller: i64,
    /// The id of the last event taken from the table (or the start position).
    last: i64,
    queue: VecDeque<Event>,
    /// Still replaying: `ready` follows once the table has nothing newer.
    catching_up: bool,
    replayed: u64,
    closed: CancellationToken,
}

impl Cursor {
    fn into_stream(
        self,
    ) -> impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>> + Send + 'static
    {
        futures_util::stream::unfold(
            self,
            |mut c| async move { c.next().await.map(|ev| (Ok(ev), c)) },
        )
    }

    /// The next event to send; `None` ends the stream (shutdown, or the database failed: the
    /// client reconnects with its last id and loses nothing).
    async fn next(&mut self) -> Option<Event> {
        loop {
            if self.closed.is_cancelled() {
                return None;
            }
            if let Some(ev) = self.queue.pop_front() {
                return Some(ev);
            }
            if self.fill().await.is_err() {
                return None;
            }
            if !self.queue.is_empty() {
                continue;
            }
            tokio::select! {
                biased;
                () = self.closed.cancelled() => return None,
                woken = self.sub.news() => if !woken { return None },
            }
        }
    }

    /// Reads the next batch after `last` into the queue, and `ready` at the end of the replay.
    async fn fill(&mut self) -> AppResult<()> {
        let (seller, after, catching_up) = (self.seller, self.last, self.catching_up);
        // A publication comes after its commit: one noted here is in the table for the read
        // below, one after it wakes the stream again.
        self.sub.mark_seen();
        let store = &self.state.store;
        let read = async {
            let batch = store.events_after(seller, after, BATCH).await?;
            let unread = if catching_up && batch.len() < BATCH {
                Some(store.unread_dialogs(seller).await?)
            } else {
                None
            };
            Ok::<_, AppError>((batch, unread))
        };
        let (batch, unread) = read
            .await
            .inspect_err(|e| tracing::warn!(error = %e.body.message, "event stream read failed"))?;
        for e in batch {
            self.last = e.id;
            if self.catching_up {
                self.replayed += 1;
            }
            self.queue.push_back(
                Event::default()
                    .event(e.kind.as_str())
                    .id(e.id.to_string())
                    .data(e.payload),
            );
        }
        if let Some(unread_dialogs) = unread {
            self.catching_up = false;
            self.queue.push_back(
                Event::default()
                    .event(EventKind::Ready.as_str())
                    .id(self.last.to_string())
                    .json_data(StreamReady {
                        unread_dialogs,
                        replayed: self.replayed,
                    })
                    .map_err(AppError::internal)?,
            );
        }
        Ok(())
    }
}
