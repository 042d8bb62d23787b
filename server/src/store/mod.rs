//! The storage boundary: every route reads and writes through [`Store`], never through a
//! connection of its own. That includes the event log of `GET /api/events`: each change writes
//! its event in its own transaction, and the store wakes the streams (`crate::events::Hub`)
//! after the commit — on PostgreSQL through `LISTEN`/`NOTIFY`, so a change made through one
//! instance reaches the streams held by every other.
//!
//! Two backends stand behind it. SQLite (the embedded default: one file and a folder of
//! attachments under `--data`, one process) and PostgreSQL (shared by any number of instances:
//! the data and the attachments' bytes both live in the database, so an instance keeps nothing
//! another one needs). The operations are coarse on purpose: each is one unit of work with its
//! own transaction, so whatever one instance does is atomic for the others too, and the routes
//! never hold a transaction across an `await` of their own.
//!
//! An enum rather than a trait object: the set of backends is closed, `async fn` works without
//! boxing every future, and a backend's own extras (the SQLite connection for its migration
//! tests, the PostgreSQL pool) stay reachable through [`Store::sqlite`] / [`Store::postgres`].

pub mod pg;
pub mod sqlite;

use crate::db::{DialogRow, StoredEvent, StreamPosition};
use crate::error::AppResult;
use crate::events::Hub;
use crate::idempotency::Stored;
use crate::upload::StagedFile;
use axum::body::Body;
use domain::api::{Author, DialogPage, DialogView, ListQuery};
use domain::catalog::Catalog;
use domain::status::ResolveReason;
use std::path::PathBuf;
use std::sync::Arc;

pub use pg::PgStore;
pub use sqlite::SqliteStore;

/// 404 on the `follows` field: the dialog to continue is not one of the seller's.
pub(crate) fn follows_not_found() -> crate::error::AppError {
    use domain::api::{codes, fields};
    crate::error::AppError::new(
        axum::http::StatusCode::NOT_FOUND,
        codes::NOT_FOUND,
        crate::messages::FOLLOWS_NOT_FOUND,
    )
    .field(fields::FOLLOWS)
}

/// Where the data lives, from `--database` (or the data directory when it is not given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file; attachments in `files/` beside the data directory's `tmp/`.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string (`postgres://user:pass@host:port/db`).
    Postgres(String),
}

impl Location {
    /// Parses `sqlite://PATH` or `postgres://…` / `postgresql://…`.
    pub fn parse(s: &str) -> Result<Location, String> {
        let s = s.trim();
        if let Some(path) = s.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://./data/support.db".into());
            }
            return Ok(Location::Sqlite(PathBuf::from(path)));
        }
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(Location::Postgres(s.to_string()));
        }
        // Only the scheme: the rest may hold a password.
        let scheme = s
            .split_once("://")
            .map_or("(no scheme)", |(scheme, _)| scheme);
        Err(format!(
            "unknown database scheme {scheme:?}: expected sqlite://PATH or \
             postgres://USER:PASSWORD@HOST:PORT/DB"
        ))
    }
}

/// What a list row and a dialog are rendered with: names from the catalog and the auto-close
/// period. Fixed for the life of a server.
#[derive(Clone)]
pub struct Views {
    pub catalog: Arc<Catalog>,
    pub auto_close_ms: i64,
}

/// An `Idempotency-Key` with the fingerprint of the request that carries it.
#[derive(Debug, Clone)]
pub struct IdemKey {
    pub key: String,
    pub fingerprint: String,
}

/// A new dialog: its first message and files (staged in `tmp/`, checked), the earlier dialog
/// it continues, and its key.
#[derive(Debug)]
pub struct NewDialog {
    pub seller_id: i64,
    pub category_id: String,
    pub theme_id: String,
    pub comment: String,
    /// An earlier dialog of the same seller (404 on `follows` otherwise).
    pub follows: Option<u64>,
    pub files: Vec<StagedFile>,
    pub key: Option<IdemKey>,
    pub now: i64,
}

/// The dialog a create answers with: new, or the one its key created earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    pub id: u64,
    pub created_at: i64,
}

/// A message to an existing dialog, from the seller (`seller: Some`, may carry a key) or from
/// support (`seller: None`).
#[derive(Debug)]
pub struct NewMessage {
    pub dialog_id: u64,
    pub seller: Option<i64>,
    pub author: Author,
    pub text: String,
    pub files: Vec<StagedFile>,
    pub key: Option<IdemKey>,
    pub now: i64,
}

/// The seller's rating that closes an answered dialog.
#[derive(Debug, Clone)]
pub struct Resolve {
    pub dialog_id: u64,
    pub seller_id: i64,
    pub rating: u8,
    pub comment: Option<String>,
    pub reasons: Vec<ResolveReason>,
    pub now: i64,
}

/// What one purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: usize,
    pub idempotency_keys: usize,
    pub events: usize,
}

/// How long events are kept for replays, and at most how many per seller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub keep_ms: i64,
    pub per_seller: usize,
}

/// An attachment to send: what the headers say, and its bytes as a stream.
pub struct Download {
    pub name: String,
    pub size: u64,
    pub content_type: String,
    pub body: Body,
}

/// The storage of one server process (cheap to clone).
#[derive(Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Calls the same method on whichever backend this is.
macro_rules! each {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            Store::Sqlite($s) => $e,
            Store::Postgres($s) => $e,
        }
    };
}

impl Store {
    /// Opens and migrates the store at `location`. `data_dir` holds `tmp/` (uploads being
    /// received, on both backends) and, with SQLite, `files/`.
    pub async fn open(
        location: &Location,
        data_dir: &std::path::Path,
        views: Views,
        pool_size: usize,
        hub: Arc<Hub>,
    ) -> anyhow::Result<Store> {
        match location {
            Location::Sqlite(path) => {
                let files = data_dir.join("files");
                let path = path.clone();
                let s = tokio::task::spawn_blocking(move || {
                    SqliteStore::open(&path, files, views, hub)
                })
                .await??;
                Ok(Store::Sqlite(s))
            }
            Location::Postgres(url) => Ok(Store::Postgres(
                PgStore::connect(url, pool_size, views, hub).await?,
            )),
        }
    }

    /// `"sqlite"` or `"postgres"`, for logs.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub fn sqlite(&self) -> Option<&SqliteStore> {
        match self {
            Store::Sqlite(s) => Some(s),
            Store::Postgres(_) => None,
        }
    }

    pub fn postgres(&self) -> Option<&PgStore> {
        match self {
            Store::Postgres(s) => Some(s),
            Store::Sqlite(_) => None,
        }
    }

    // -- sellers and sessions -----------------------------------------------------------------

    /// The seller's id, creating the seller if new.
    pub async fn upsert_seller(&self, name: &str, now: i64) -> AppResult<i64> {
        each!(self, s => s.upsert_seller(name, now).await)
    }

    /// Creates the seller if new and a session for it; returns the session token (only its
    /// hash is stored).
    pub async fn login(&self, seller: &str, now: i64) -> AppResult<String> {
        each!(self, s => s.login(seller, now).await)
    }

    /// The seller (id, name) of a live session token; notes the use.
    pub async fn session_seller(&self, token: &str, now: i64) -> AppResult<Option<(i64, String)>> {
        each!(self, s => s.session_seller(token, now).await)
    }

    pub async fn delete_session(&self, token: &str) -> AppResult<()> {
        each!(self, s => s.delete_session(token).await)
    }

    /// Deletes expired sessions and idempotency keys, and prunes old events. Conditional
    /// deletes: any number of instances may run it at once.
    pub async fn purge_expired(&self, now: i64, keep: Retention) -> AppResult<Purged> {
        each!(self, s => s.purge_expired(now, keep).await)
    }

    // -- dialogs ------------------------------------------------------------------------------

    /// Closes every answered dialog whose period is over; returns how many this call closed
    /// (on PostgreSQL each dialog is closed by exactly one caller, whichever instance).
    pub async fn auto_close_due(&self, now: i64) -> AppResult<usize> {
        each!(self, s => s.auto_close_due(now).await)
    }

    /// A page of the seller's dialogs with what is unread (due dialogs closed first).
    pub async fn list_dialogs(
        &self,
        seller_id: i64,
        query: ListQuery,
        now: i64,
    ) -> AppResult<DialogPage> {
        each!(self, s => s.list_dialogs(seller_id, query, now).await)
    }

    /// One dialog of the seller (`None`: any seller, for the agent), without its messages.
    pub async fn load_dialog(&self, id: u64, seller: Option<i64>) -> AppResult<DialogRow> {
        each!(self, s => s.load_dialog(id, seller).await)
    }

    /// One dialog with its messages (due dialogs closed first).
    pub async fn dialog_detail(
        &self,
        id: u64,
        seller: Option<i64>,
        now: i64,
    ) -> AppResult<DialogView> {
        each!(self, s => s.dialog_detail(id, seller, now).await)
    }

    /// The seller has seen the dialog: nothing unread, and a `read` event when something was.
    pub async fn mark_read(&self, id: u64, seller_id: i64, now: i64) -> AppResult<()> {
        each!(self, s => s.mark_read(id, seller_id, now).await)
    }

    /// The earlier, unexpired request under (seller, key).
    pub async fn idempotent_request(
        &self,
        seller_id: i64,
        key: &str,
        now: i64,
    ) -> AppResult<Option<Stored>> {
        each!(self, s => s.idempotent_request(seller_id, key, now).await)
    }

    /// Creates a dialog with its first message and files, or, for a repeat of a keyed request,
    /// answers with the dialog the key made (422 for the same key with another request).
    pub async fn create_dialog(&self, d: NewDialog) -> AppResult<Created> {
        each!(self, s => s.create_dialog(d).await)
    }

    /// Adds a message after the state machine agreed and returns the dialog; a repeat of a
    /// keyed reply returns the dialog and adds nothing.
    pub async fn post_message(&self, m: NewMessage) -> AppResult<DialogView> {
        each!(self, s => s.post_message(m).await)
    }

    /// Closes an answered dialog with the seller's rating; returns the dialog.
    pub async fn resolve(&self, r: Resolve) -> AppResult<DialogView> {
        each!(self, s => s.resolve(r).await)
    }

    // -- the event stream ---------------------------------------------------------------------

    /// The seller's pruned floor, latest event id and unread count.
    pub async fn stream_position(&self, seller_id: i64) -> AppResult<StreamPosition> {
        each!(self, s => s.stream_position(seller_id).await)
    }

    /// Whether `id` is one of the seller's kept events.
    pub async fn is_own_event(&self, seller_id: i64, id: i64) -> AppResult<bool> {
        each!(self, s => s.is_own_event(seller_id, id).await)
    }

    /// The seller's events after `after`, oldest first, at most `limit`.
    pub async fn events_after(
        &self,
        seller_id: i64,
        after: i64,
        limit: usize,
    ) -> AppResult<Vec<StoredEvent>> {
        each!(self, s => s.events_after(seller_id, after, limit).await)
    }

    /// The seller's dialogs with unread answers.
    pub async fn unread_dialogs(&self, seller_id: i64) -> AppResult<u64> {
        each!(self, s => s.unread_dialogs(seller_id).await)
    }

    // -- attachments --------------------------------------------------------------------------

    /// An attachment of one of the seller's dialogs, streamed (never read whole).
    pub async fn attachment(&self, id: &str, seller_id: i64) -> AppResult<Option<Download>> {
        each!(self, s => s.attachment(id, seller_id).await)
    }

    /// How many attachments are stored (tests, the demo seed's check).
    pub async fn attachment_count(&self) -> AppResult<u64> {
        each!(self, s => s.attachment_count().await)
    }

    // -- meta ---------------------------------------------------------------------------------

    pub async fn meta_get(&self, key: &str) -> AppResult<Option<String>> {
        each!(self, s => s.meta_get(key).await)
    }

    /// Sets `key` unless it is set; returns whether this call set it. Several instances
    /// starting at once agree on one of them this way (the demo seed).
    pub async fn meta_claim(&self, key: &str, value: &str) -> AppResult<bool> {
        each!(self, s => s.meta_claim(key, value).await)
    }

    pub async fn meta_delete(&self, key: &str) -> AppResult<()> {
        each!(self, s => s.meta_delete(key).await)
    }
}

#[cfg(test)]
mod tests {
    use super::Location;
    use std::path::PathBuf;

    #[test]
    fn locations_parse_and_errors_keep_passwords_out() {
        assert_eq!(
            Location::parse("sqlite://./data/support.db"),
            Ok(Location::Sqlite(PathBuf::from("./data/support.db")))
        );
        for url in ["postgres://u:p@h:5432/d", "postgresql://u@h/d"] {
            assert_eq!(
                Location::parse(url),
                Ok(Location::Postgres(url.to_string()))
            );
        }
        assert!(Location::parse("sqlite://").is_err());
        let e = Location::parse("mysql://u:hunter2@h/d").unwrap_err();
        assert!(e.contains("\"mysql\"") && !e.contains("hunter2"), "{e}");
    }
}
