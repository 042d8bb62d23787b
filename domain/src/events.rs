//! The seller's live event stream, `GET /api/events` (Server-Sent Events): the event kinds, the
//! JSON of their `data`, and the rule that decides whether a reconnect can be replayed.
//!
//! # The stream
//! Every event has an `event:` name ([`EventKind::as_str`]), an `id:` and one JSON `data:` line.
//! Ids grow over the whole server (not per seller), so a client only keeps the last one it saw;
//! a reconnect sends it back as the `Last-Event-ID` header (browsers' `EventSource` does this by
//! itself) or as `?last_event_id=` for clients that cannot set headers.
//!
//! - `created`, `message`, `status`, `read` carry a [`DialogChange`]: enough to replace the
//!   dialog's list row and the header count without asking the server again.
//! - `ready` ([`StreamReady`]) comes once per connection, after whatever was replayed: from
//!   here on events arrive live. Its id is the seller's latest, so a reconnect after a quiet
//!   spell replays from there.
//! - `resync` ([`Resync`]) replaces the replay when it cannot be exact (the id is older than
//!   what the server keeps, or not one of the seller's): reload the list and the open dialog.
//!   Its id is again the seller's latest.
//!
//! A comment line (`:`) is sent every 20 s or so when nothing else is, so proxies keep the
//! connection open. The stream ends when the server shuts down; the browser reconnects.

use crate::api::{Author, DialogListItem};
use crate::status::{CloseReason, DialogStatus};
use serde::{Deserialize, Serialize};

/// The `event:` name of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The seller created a dialog (possibly in another tab).
    Created,
    /// A message was added to a dialog: support's answer (the dialog's `unread` grew), or the
    /// seller's own reply from another tab. [`DialogChange::message`] says which.
    Message,
    /// The status changed without a message: the seller rated the answer (`close_reason:
    /// resolved`), or the dialog closed by itself (`close_reason: auto`).
    Status,
    /// The seller marked the dialog read (in any tab): its `unread` is 0 now.
    Read,
    /// Sent once per connection after the replay: the stream is live (not stored).
    Ready,
    /// The missed events cannot be replayed exactly: reload (not stored).
    Resync,
}

impl EventKind {
    /// Kinds that are stored and replayed; `ready` and `resync` exist only on a connection.
    pub const STORED: [EventKind; 4] = [
        EventKind::Created,
        EventKind::Message,
        EventKind::Status,
        EventKind::Read,
    ];

    /// The wire name, used as the SSE `event:` field and in the event table.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Message => "message",
            EventKind::Status => "status",
            EventKind::Read => "read",
            EventKind::Ready => "ready",
            EventKind::Resync => "resync",
        }
    }

    /// Parses a stored kind's wire name.
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::STORED.into_iter().find(|k| k.as_str() == s)
    }
}

/// The message that a `message` event is about (its text is in the dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageNote {
    /// Message id.
    pub id: u64,
    /// `support` for an answer (notify the seller), `seller` for their own reply elsewhere.
    pub author: Author,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// `data` of `created`, `message`, `status` and `read`: the dialog after the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogChange {
    /// The dialog number (also `dialog.id`).
    pub dialog_id: u64,
    /// Its status after the change (also `dialog.status`).
    pub status: DialogStatus,
    /// Set when the change closed the dialog: `resolved` or `auto`.
    #[serde(default)]
    pub close_reason: Option<CloseReason>,
    /// The whole list row after the change, as `GET /api/dialogs` would show it then.
    pub dialog: DialogListItem,
    /// `message` events: which message arrived.
    #[serde(default)]
    pub message: Option<MessageNote>,
    /// `created` events of a continuation: the dialog it continues (whose `followed_by`
    /// now lists this one).
    #[serde(default)]
    pub follows: Option<u64>,
    /// The seller's dialogs with unread support messages after the change (the header
    /// badge, `seller-support:unread`).
    pub unread_dialogs: u64,
}

/// `data` of `ready`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamReady {
    /// The seller's dialogs with unread support messages now.
    pub unread_dialogs: u64,
    /// How many events were replayed before this one (0 on a first connection).
    pub replayed: u64,
}

/// Why a reconnect gets `resync` instead of a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResyncReason {
    /// Events after that id were already pruned (kept for a limited time and count).
    TooOld,
    /// Not an id of one of the seller's events (another seller's, a reset server, garbage).
    Unknown,
}

/// `data` of `resync`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resync {
    /// Why the missed events cannot be replayed.
    pub reason: ResyncReason,
    /// The seller's dialogs with unread support messages now.
    pub unread_dialogs: u64,
}

/// Where a new connection starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamStart {
    /// No id given: live events only, from the seller's latest on.
    Live,
    /// Replay the seller's events after this id, then live.
    Replay {
        /// The last id the client saw.
        after: i64,
    },
    /// Send `resync`, then live.
    Resync(ResyncReason),
}

/// Longest `Last-Event-ID` looked at; a longer one is [`ResyncReason::Unknown`] (ids are
/// decimal `i64`s, 19 digits at most).
pub const MAX_EVENT_ID_LEN: usize = 20;

/// Decides how a connection starts from the id the client sent back (`None`: none sent, or
/// blank, as `EventSource` sends before it saw an id).
///
/// `floor` is the seller's highest event id that may have been pruned (0 if none was), and
/// `is_own(id)` says whether `id` is one of the seller's kept events. The replay is exact when
/// every event of the seller after the id is still kept: the id is the floor itself, or a
/// kept event of the seller (pruning removes the oldest first, so the later ones are kept too).
pub fn stream_start(
    last_event_id: Option<&str>,
    floor: i64,
    is_own: impl FnOnce(i64) -> bool,
) -> StreamStart {
    let Some(raw) = last_event_id.map(str::trim).filter(|s| !s.is_empty()) else {
        return StreamStart::Live;
    };
    let id = match raw.parse::<i64>() {
        Ok(id) if raw.len() <= MAX_EVENT_ID_LEN && id >= 0 => id,
        _ => return StreamStart::Resync(ResyncReason::Unknown),
    };
    if id == floor || (id > floor && is_own(id)) {
        StreamStart::Replay { after: id }
    } else if id < floor {
        StreamStart::Resync(ResyncReason::TooOld)
    } else {
        StreamStart::Resync(ResyncReason::Unknown)
    }
}
