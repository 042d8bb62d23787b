//! SQLite storage.
//!
//! Why rusqlite and one connection: SQLite serialises writers anyway, our requests are short, and
//! a single `Connection` behind a `std::sync::Mutex`, always used from `spawn_blocking`, keeps
//! every transaction trivially isolated (the idempotency check and the insert cannot interleave)
//! without a pool. rusqlite with the bundled SQLite also builds much faster than sqlx (no
//! proc-macro query checking, no async runtime glue) on our 2-core machines.
//!
//! All status changes go through [`DialogStatus::apply`]: the SQL here only stores what the
//! domain state machine decided.

use crate::error::{AppError, AppResult};
use crate::idempotency::Stored;
use domain::api::{
    AttachmentInfo, Author, DialogDetail, DialogListItem, DialogPage, DialogSummary, DialogView,
    ListQuery, MAX_FOLLOWED_BY, Message, Resolution, SortOrder,
};
use domain::catalog::Catalog;
use domain::events::{DialogChange, EventKind, MessageNote};
use domain::status::{
    CloseReason, DialogEvent, DialogStatus, ResolveReason, TransitionError, auto_close_at,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Migrations in order; `PRAGMA user_version` remembers how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_search_fts.sql"),
    include_str!("../migrations/0003_idempotency_request_hash.sql"),
    include_str!("../migrations/0004_idempotency_ids_message_search.sql"),
    include_str!("../migrations/0005_sessions_hashed_idle.sql"),
    include_str!("../migrations/0006_events_unread_follows.sql"),
];

/// The migration that stores session tokens hashed; the server hashes the existing ones.
const HASHED_SESSIONS_MIGRATION: usize = 5;

/// The migration that added `messages.search`; the server fills it for existing messages.
const MESSAGE_SEARCH_MIGRATION: usize = 4;

/// The shared connection.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    /// Requests queue here, asynchronously and in order, before they take a blocking thread:
    /// without it, under load every waiting request held a blocking-pool thread parked on the
    /// mutex (hundreds of threads on two cores) and the slowest waited longest.
    turn: Arc<tokio::sync::Semaphore>,
}

impl Db {
    /// Opens (or creates) the database file and runs pending migrations.
    pub fn open(path: &Path) -> anyhow::Result<Db> {
        let conn = Connection::open(path)?;
        Db::setup(conn)
    }

    /// An in-memory database (benchmarks, quick tests).
    pub fn open_in_memory() -> anyhow::Result<Db> {
        Db::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> anyhow::Result<Db> {
        // WAL lets the OS flush in the background; NORMAL sync is safe with WAL (a crash may lose
        // the last transactions, never corrupt the file).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
            turn: Arc::new(tokio::sync::Semaphore::new(1)),
        })
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<F, T>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut Connection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let conn = self.conn.clone();
        let turn = self
            .turn
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            // A panic inside `f` poisons the mutex; the connection itself is still fine (an open
            // transaction was rolled back when it was dropped), so keep serving.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Runs `f` with the connection on the current thread (startup, seeding, benchmarks).
    pub fn call_sync<T>(&self, f: impl FnOnce(&mut Connection) -> AppResult<T>) -> AppResult<T> {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let done: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(done).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if i + 1 == MESSAGE_SEARCH_MIGRATION {
            backfill_message_search(&tx)?;
        }
        if i + 1 == HASHED_SESSIONS_MIGRATION {
            hash_existing_sessions(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Moves the sessions into the hashed table (their last use unknown: taken as their start).
fn hash_existing_sessions(tx: &Transaction<'_>) -> anyhow::Result<()> {
    let rows: Vec<(String, i64, i64)> = {
        let mut st = tx.prepare("SELECT token, seller_id, created_at FROM sessions")?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut ins = tx.prepare(
        "INSERT OR IGNORE INTO sessions_v2 (token_hash, seller_id, created_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?3)",
    )?;
    for (token, seller, created) in rows {
        ins.execute(params![token_hash(&token), seller, created])?;
    }
    drop(ins);
    tx.execute_batch("DROP TABLE sessions; ALTER TABLE sessions_v2 RENAME TO sessions;")?;
    Ok(())
}

/// What the database keeps of a session token: its SHA-256, hex. The token is 256 random bits,
/// so a plain hash (no salt, no stretching) cannot be reversed or guessed.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Lowercases every existing message into `messages.search`, then indexes them all.
fn backfill_message_search(tx: &Transaction<'_>) -> anyhow::Result<()> {
    let rows: Vec<(i64, String)> = {
        let mut st = tx.prepare("SELECT id, text FROM messages")?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut up = tx.prepare("UPDATE messages SET search = ?2 WHERE id = ?1")?;
    for (id, text) in rows {
        up.execute(params![id, text.to_lowercase()])?;
    }
    tx.execute_batch("INSERT INTO message_search (message_search) VALUES ('rebuild');")?;
    Ok(())
}

/// A random number in `lo..=hi` from the OS generator.
pub fn random_in(lo: u64, hi: u64) -> AppResult<u64> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(AppError::internal)?;
    let span = hi - lo + 1;
    Ok(lo + u64::from_le_bytes(b) % span)
}

/// A random opaque token: `bytes` random bytes as lowercase hex.
pub fn random_token(bytes: usize) -> AppResult<String> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(AppError::internal)?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

// ---------------------------------------------------------------------------------------------
// Sellers and sessions

/// The seller's id, creating the seller if new.
pub fn upsert_seller(conn: &Connection, name: &str, now: i64) -> AppResult<i64> {
    conn.execute(
        "INSERT INTO sellers (name, created_at) VALUES (?1, ?2) ON CONFLICT(name) DO NOTHING",
        params![name, now],
    )?;
    Ok(
        conn.query_row("SELECT id FROM sellers WHERE name = ?1", [name], |r| {
            r.get(0)
        })?,
    )
}

/// A new session token for the seller; only its hash is stored.
pub fn create_session(conn: &Connection, seller_id: i64, now: i64) -> AppResult<String> {
    let token = random_token(32)?;
    conn.execute(
        "INSERT INTO sessions (token_hash, seller_id, created_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?3)",
        params![token_hash(&token), seller_id, now],
    )?;
    Ok(token)
}

/// A session's use is written down at most this often, so reading pages does not turn every
/// request into a write under the database lock; the idle expiry is that much less exact.
pub const LAST_SEEN_RESOLUTION_MS: i64 = 60_000;

/// The seller (id, name) of a session token that is within its absolute lifetime
/// ([`crate::auth::session_max_age_ms`]) and was used within [`crate::auth::SESSION_IDLE_MS`];
/// notes the use.
pub fn session_seller(
    conn: &Connection,
    token: &str,
    now: i64,
) -> AppResult<Option<(i64, String)>> {
    let hash = token_hash(token);
    let found: Option<(i64, String, i64)> = conn
        .query_row(
            "SELECT s.id, s.name, x.last_seen_at FROM sessions x JOIN sellers s ON s.id = x.seller_id
             WHERE x.token_hash = ?1 AND x.created_at > ?2 AND x.last_seen_at > ?3",
            params![
                hash,
                now.saturating_sub(crate::auth::session_max_age_ms()),
                now.saturating_sub(crate::auth::SESSION_IDLE_MS)
            ],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, name, last_seen)) = found else {
        return Ok(None);
    };
    if now - last_seen >= LAST_SEEN_RESOLUTION_MS {
        conn.execute(
            "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
            params![hash, now],
        )?;
    }
    Ok(Some((id, name)))
}

/// Deletes the sessions past their absolute lifetime or idle for too long; returns how many.
/// [`session_seller`] already ignores them: this only keeps the table from growing.
pub fn purge_expired_sessions(conn: &Connection, now: i64) -> AppResult<usize> {
    Ok(conn.execute(
        "DELETE FROM sessions WHERE created_at <= ?1 OR last_seen_at <= ?2",
        params![
            now.saturating_sub(crate::auth::session_max_age_ms()),
            now.saturating_sub(crate::auth::SESSION_IDLE_MS)
        ],
    )?)
}

pub fn delete_session(conn: &Connection, token: &str) -> AppResult<()> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        [token_hash(token)],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Dialog rows

/// The stored state of a dialog.
#[derive(Debug, Clone)]
pub struct DialogRow {
    pub id: u64,
    pub seller_id: i64,
    pub category_id: String,
    pub theme_id: String,
    pub status: DialogStatus,
    pub created_at: i64,
    pub updated_at: i64,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub close_reason: Option<CloseReason>,
    pub rating: Option<u8>,
    pub resolve_comment: Option<String>,
    pub resolve_reasons: Vec<ResolveReason>,
    /// Support messages the seller has not marked read.
    pub unread: u32,
    /// The earlier dialog this one continues.
    pub follows: Option<u64>,
}

const DIALOG_COLS: &str = "id, seller_id, category_id, theme_id, status, created_at, updated_at, \
     answered_at, closed_at, close_reason, rating, resolve_comment, resolve_reasons, unread, follows";

fn dialog_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DialogRow> {
    let status: String = r.get(4)?;
    let close_reason: Option<String> = r.get(9)?;
    let reasons: String = r.get(12)?;
    let id: i64 = r.get(0)?;
    Ok(DialogRow {
        id: u64::try_from(id).unwrap_or(0),
        seller_id: r.get(1)?,
        category_id: r.get(2)?,
        theme_id: r.get(3)?,
        // The CHECK constraint admits only the three wire names.
        status: DialogStatus::parse(&status).unwrap_or(DialogStatus::Waiting),
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        answered_at: r.get(7)?,
        closed_at: r.get(8)?,
        close_reason: close_reason.as_deref().and_then(CloseReason::parse),
        rating: r.get(10)?,
        resolve_comment: r.get(11)?,
        resolve_reasons: reasons
            .split(',')
            .filter_map(ResolveReason::parse)
            .collect(),
        unread: u32::try_from(r.get::<_, i64>(13)?).unwrap_or(0),
        follows: r
            .get::<_, Option<i64>>(14)?
            .and_then(|f| u64::try_from(f).ok()),
    })
}

impl DialogRow {
    /// The list row, with names from the catalog (the id itself if the catalog lost the theme).
    pub fn summary(&self, catalog: &Catalog, auto_close_ms: i64) -> DialogSummary {
        let category_name = catalog
            .category(&self.category_id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| self.category_id.clone());
        let theme_name = catalog
            .theme(&self.category_id, &self.theme_id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| self.theme_id.clone());
        let closes_at = match (self.status, self.answered_at) {
            (DialogStatus::Answered, Some(at)) => Some(auto_close_at(at, auto_close_ms)),
            _ => None,
        };
        DialogSummary {
            id: self.id,
            status: self.status,
            category_id: self.category_id.clone(),
            theme_id: self.theme_id.clone(),
            category_name,
            theme_name,
            created_at: self.created_at,
            updated_at: self.updated_at,
            closes_at,
            awaiting_rating: self.status.awaiting_rating(),
        }
    }

    /// The list row with what the seller has not read.
    pub fn item(&self, catalog: &Catalog, auto_close_ms: i64) -> DialogListItem {
        DialogListItem {
            summary: self.summary(catalog, auto_close_ms),
            unread: self.unread,
            last_activity_at: self.updated_at,
        }
    }

    pub fn resolution(&self) -> Option<Resolution> {
        if self.status != DialogStatus::Closed {
            return None;
        }
        Some(Resolution {
            close_reason: self.close_reason.unwrap_or(CloseReason::Auto),
            closed_at: self.closed_at.unwrap_or(self.updated_at),
            rating: self.rating,
            comment: self.resolve_comment.clone(),
            reasons: self.resolve_reasons.clone(),
        })
    }
}

/// Closes every answered dialog whose auto-close time has come, with a `status` event for its
/// seller each; returns those events. Runs lazily before reads and writes and from the periodic
/// task. The closing time recorded is the moment the period ended, not the moment the check
/// ran, so the history does not depend on when the server happened to look.
pub fn auto_close_due(conn: &mut Connection, now: i64, rows: &RowContext<'_>) -> AppResult<Outbox> {
    let after_ms = rows.auto_close_ms;
    let mut out = Outbox::default();
    let tx = conn.transaction()?;
    let due: Vec<(i64, i64)> = {
        let mut st = tx.prepare_cached(
            "SELECT id, answered_at FROM dialogs
             WHERE status = 'answered' AND answered_at <= ?1",
        )?;
        let limit = now.saturating_sub(after_ms.max(0));
        st.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    for (id, answered_at) in due {
        let ev = DialogEvent::AutoClose {
            answered_at,
            now,
            after_ms,
        };
        match DialogStatus::Answered.apply(&ev) {
            Ok(t) => {
                let at = auto_close_at(answered_at, after_ms);
                tx.execute(
                    "UPDATE dialogs SET status = ?2, close_reason = ?3, closed_at = ?4,
                     updated_at = MAX(updated_at, ?4) WHERE id = ?1",
                    params![
                        id,
                        t.status.as_str(),
                        t.close_reason.map(CloseReason::as_str),
                        at
                    ],
                )?;
                let id = u64::try_from(id).unwrap_or(0);
                out.push(record_event(&tx, rows, id, EventKind::Status, None, now)?);
            }
            Err(TransitionError::TooEarly) => {}
            Err(e) => return Err(AppError::internal(format!("auto-close {id}: {e:?}"))),
        }
    }
    tx.commit()?;
    Ok(out)
}

/// One dialog of the seller (`None` = any seller, for the agent).
pub fn load_dialog(conn: &Connection, id: u64, seller: Option<i64>) -> AppResult<DialogRow> {
    let Ok(id) = i64::try_from(id) else {
        return Err(AppError::dialog_not_found());
    };
    let row = conn
        .query_row(
            &format!("SELECT {DIALOG_COLS} FROM dialogs WHERE id = ?1"),
            [id],
            dialog_from_row,
        )
        .optional()?;
    match row {
        // Another seller's dialog is indistinguishable from a missing one.
        Some(r) if seller.is_none_or(|s| s == r.seller_id) => Ok(r),
        _ => Err(AppError::dialog_not_found()),
    }
}

/// The full dialog: messages with their attachments, unread count and continuation links.
pub fn dialog_detail(
    conn: &Connection,
    row: &DialogRow,
    catalog: &Catalog,
    auto_close_ms: i64,
) -> AppResult<DialogView> {
    let followed_by: Vec<u64> = {
        let mut st = conn.prepare_cached(
            "SELECT id FROM dialogs WHERE follows = ?1 AND seller_id = ?2
             ORDER BY created_at, id LIMIT ?3",
        )?;
        st.query_map(
            params![row.id as i64, row.seller_id, MAX_FOLLOWED_BY as i64],
            |r| r.get::<_, i64>(0),
        )?
        .map(|r| r.map(|id| u64::try_from(id).unwrap_or(0)))
        .collect::<Result<_, _>>()?
    };
    let mut messages: Vec<Message> = {
        let mut st = conn.prepare_cached(
            "SELECT id, author, text, created_at FROM messages WHERE dialog_id = ?1 ORDER BY id",
        )?;
        st.query_map([row.id as i64], |r| {
            let author: String = r.get(1)?;
            let id: i64 = r.get(0)?;
            Ok(Message {
                id: u64::try_from(id).unwrap_or(0),
                author: if author == "support" {
                    Author::Support
                } else {
                    Author::Seller
                },
                text: r.get(2)?,
                created_at: r.get(3)?,
                attachments: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?
    };
    let mut st = conn.prepare_cached(
        "SELECT a.message_id, a.id, a.name, a.size, a.content_type FROM attachments a
         JOIN messages m ON m.id = a.message_id WHERE m.dialog_id = ?1 ORDER BY a.rowid",
    )?;
    let rows = st.query_map([row.id as i64], |r| {
        let mid: i64 = r.get(0)?;
        let size: i64 = r.get(3)?;
        Ok((
            u64::try_from(mid).unwrap_or(0),
            AttachmentInfo {
                id: r.get(1)?,
                name: r.get(2)?,
                size: u64::try_from(size).unwrap_or(0),
                content_type: r.get(4)?,
            },
        ))
    })?;
    for item in rows {
        let (mid, info) = item?;
        if let Some(m) = messages.iter_mut().find(|m| m.id == mid) {
            m.attachments.push(info);
        }
    }
    Ok(DialogView {
        detail: DialogDetail {
            summary: row.summary(catalog, auto_close_ms),
            messages,
            resolution: row.resolution(),
        },
        unread: row.unread,
        last_activity_at: row.updated_at,
        follows: row.follows,
        followed_by,
    })
}

/// A page of the seller's dialogs, with the seller's count of dialogs with unread answers.
pub fn list_dialogs(
    conn: &Connection,
    seller_id: i64,
    query: &ListQuery,
    catalog: &Catalog,
    auto_close_ms: i64,
) -> AppResult<DialogPage> {
    let q = query.normalized();
    // Built from fixed fragments only; every value is a bound parameter.
    // With a search the FTS index yields few rows: `+seller_id` stops SQLite from walking the
    // seller's whole (created_at) index and probing each row against the match set instead.
    let mut where_sql = String::from(if q.q.is_some() {
        "+seller_id = ?1"
    } else {
        "seller_id = ?1"
    });
    let mut args: Vec<rusqlite::types::Value> = vec![seller_id.into()];
    if let Some(s) = q.status {
        args.push(s.as_str().to_string().into());
        where_sql.push_str(&format!(" AND status = ?{}", args.len()));
    }
    if let Some(text) = &q.q {
        let text = text.to_lowercase();
        if text.chars().count() >= 3 {
            // A quoted FTS5 string is a phrase; with the trigram tokenizer that is an exact
            // substring match, served by the index.
            args.push(format!("\"{}\"", text.replace('"', "\"\"")).into());
            let n = args.len();
            where_sql.push_str(&format!(
                " AND (id IN (SELECT rowid FROM dialog_search WHERE dialog_search MATCH ?{n}) \
                 OR id IN (SELECT m.dialog_id FROM messages m WHERE m.id IN \
                 (SELECT rowid FROM message_search WHERE message_search MATCH ?{n})))"
            ));
        } else {
            // Trigrams need three characters; one or two are rare queries, scan for them.
            args.push(text.into());
            let n = args.len();
            where_sql.push_str(&format!(
                " AND (instr(search, ?{n}) > 0 OR EXISTS (SELECT 1 FROM messages m \
                 WHERE m.dialog_id = dialogs.id AND instr(m.search, ?{n}) > 0))"
            ));
        }
    }
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM dialogs WHERE {where_sql}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let order = match q.sort {
        _ if q.by_activity => "updated_at DESC, created_at DESC, id DESC",
        SortOrder::CreatedDesc => "created_at DESC, id DESC",
        SortOrder::CreatedAsc => "created_at ASC, id ASC",
    };
    args.push(i64::from(q.per_page).into());
    let limit_idx = args.len();
    args.push(i64::try_from(q.offset()).unwrap_or(i64::MAX).into());
    let offset_idx = args.len();
    let sql = format!(
        "SELECT {DIALOG_COLS} FROM dialogs WHERE {where_sql} ORDER BY {order} \
         LIMIT ?{limit_idx} OFFSET ?{offset_idx}"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let items = st
        .query_map(rusqlite::params_from_iter(args.iter()), dialog_from_row)?
        .map(|r| r.map(|row| row.item(catalog, auto_close_ms)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DialogPage {
        items,
        total: u64::try_from(total).unwrap_or(0),
        unread_dialogs: unread_dialogs(conn, seller_id)?,
    })
}

// ---------------------------------------------------------------------------------------------
// Writes

/// An attachment whose bytes are already in their final place under `files/`.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub content_type: String,
}

/// What the search column holds for a text: lowercased, so `instr` is case-insensitive for
/// Cyrillic too.
pub fn search_text(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        s.push_str(&p.to_lowercase());
        s.push('\n');
    }
    s
}

/// Inserts a new waiting dialog with its first message; picks a free random 8-digit number.
#[allow(clippy::too_many_arguments)]
pub fn insert_dialog(
    tx: &Transaction<'_>,
    seller_id: i64,
    category_id: &str,
    theme_id: &str,
    comment: &str,
    files: &[NewAttachment],
    now: i64,
    catalog: &Catalog,
) -> AppResult<u64> {
    let (cat_name, theme_name) = catalog
        .find_theme(theme_id)
        .map(|(c, t)| (c.name.as_str(), t.name.as_str()))
        .unwrap_or((category_id, theme_id));
    for _ in 0..64 {
        let id = random_in(domain::api::DIALOG_ID_MIN, domain::api::DIALOG_ID_MAX)?;
        // The comment is indexed with its message (insert_message).
        let search = search_text(&[&id.to_string(), cat_name, theme_name]);
        let inserted = tx.execute(
            "INSERT INTO dialogs (id, seller_id, category_id, theme_id, status, created_at,
                                  updated_at, search)
             VALUES (?1, ?2, ?3, ?4, 'waiting', ?5, ?5, ?6) ON CONFLICT(id) DO NOTHING",
            params![id as i64, seller_id, category_id, theme_id, now, search],
        )?;
        if inserted == 1 {
            insert_message(tx, id, Author::Seller, comment, files, now)?;
            return Ok(id);
        }
    }
    Err(AppError::internal("no free dialog number after 64 tries"))
}

/// Appends a message (and its attachments); the message's own search text is indexed once.
pub fn insert_message(
    tx: &Transaction<'_>,
    dialog_id: u64,
    author: Author,
    text: &str,
    files: &[NewAttachment],
    now: i64,
) -> AppResult<u64> {
    let author_s = match author {
        Author::Seller => "seller",
        Author::Support => "support",
    };
    tx.execute(
        "INSERT INTO messages (dialog_id, author, text, created_at, search)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![dialog_id as i64, author_s, text, now, text.to_lowercase()],
    )?;
    let mid = tx.last_insert_rowid();
    for f in files {
        tx.execute(
            "INSERT INTO attachments (id, message_id, name, size, content_type)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![f.id, mid, f.name, f.size as i64, f.content_type],
        )?;
    }
    Ok(u64::try_from(mid).unwrap_or(0))
}

/// Adds a message to an existing dialog after asking the state machine; returns its id. The
/// first message of a dialog is written by [`insert_dialog`] instead.
pub fn add_message(
    tx: &Transaction<'_>,
    row: &DialogRow,
    author: Author,
    text: &str,
    files: &[NewAttachment],
    now: i64,
) -> AppResult<u64> {
    let event = match author {
        Author::Seller => DialogEvent::SellerReply,
        Author::Support => DialogEvent::SupportAnswer,
    };
    let t = row.status.apply(&event)?;
    let message_id = insert_message(tx, row.id, author, text, files, now)?;
    let answered_at = (t.status == DialogStatus::Answered).then_some(now);
    // An answer is one more unread message; the seller's own reply is written on the dialog's
    // page, after reading everything above it.
    tx.execute(
        "UPDATE dialogs SET status = ?2, answered_at = ?3, updated_at = ?4,
         unread = CASE WHEN ?5 THEN unread + 1 ELSE 0 END WHERE id = ?1",
        params![
            row.id as i64,
            t.status.as_str(),
            answered_at,
            now,
            author == Author::Support
        ],
    )?;
    Ok(message_id)
}

/// Closes an answered dialog with the seller's rating.
pub fn resolve(
    tx: &Transaction<'_>,
    row: &DialogRow,
    rating: u8,
    comment: Option<&str>,
    reasons: &[ResolveReason],
    now: i64,
) -> AppResult<()> {
    let t = row
        .status
        .apply(&DialogEvent::Resolve(domain::status::Resolve {
            rating,
            reasons: reasons.to_vec(),
        }))?;
    let reasons_s = reasons
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",");
    tx.execute(
        "UPDATE dialogs SET status = ?2, close_reason = ?3, closed_at = ?4, updated_at = ?4,
         rating = ?5, resolve_comment = ?6, resolve_reasons = ?7, unread = 0 WHERE id = ?1",
        params![
            row.id as i64,
            t.status.as_str(),
            t.close_reason.map(CloseReason::as_str),
            now,
            rating,
            comment,
            reasons_s
        ],
    )?;
    Ok(())
}

/// The earlier request with this idempotency key, unless it expired (older than
/// [`crate::idempotency::KEY_TTL_MS`] at `now`; the periodic purge deletes such rows).
pub fn idempotent_request(
    conn: &Connection,
    seller_id: i64,
    key: &str,
    now: i64,
) -> AppResult<Option<Stored>> {
    Ok(conn
        .query_row(
            "SELECT dialog_id, kind, request_hash FROM idempotency
             WHERE seller_id = ?1 AND key = ?2 AND created_at > ?3",
            params![
                seller_id,
                key,
                now.saturating_sub(crate::idempotency::KEY_TTL_MS)
            ],
            |r| {
                let id: i64 = r.get(0)?;
                let kind: String = r.get(1)?;
                Ok(Stored {
                    dialog_id: u64::try_from(id).unwrap_or(0),
                    kind: if kind == "reply" {
                        crate::idempotency::Kind::Reply
                    } else {
                        crate::idempotency::Kind::Create
                    },
                    request_hash: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Remembers which dialog (seller, key) answered with, and the fingerprint of its request. An
/// expired row under the same key is replaced.
pub fn store_idempotent_request(
    tx: &Transaction<'_>,
    seller_id: i64,
    key: &str,
    stored: &Stored,
    now: i64,
) -> AppResult<()> {
    tx.execute(
        "INSERT OR REPLACE INTO idempotency (seller_id, key, dialog_id, kind, request_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            seller_id,
            key,
            stored.dialog_id as i64,
            stored.kind.as_str(),
            stored.request_hash,
            now
        ],
    )?;
    Ok(())
}

/// Deletes idempotency rows older than [`crate::idempotency::KEY_TTL_MS`].
pub fn purge_expired_idempotency(conn: &Connection, now: i64) -> AppResult<usize> {
    Ok(conn.execute(
        "DELETE FROM idempotency WHERE created_at <= ?1",
        [now.saturating_sub(crate::idempotency::KEY_TTL_MS)],
    )?)
}

/// The stored attachment if it belongs to one of the seller's dialogs:
/// (name, size, content type).
pub fn attachment_of_seller(
    conn: &Connection,
    id: &str,
    seller_id: i64,
) -> AppResult<Option<(String, u64, String)>> {
    Ok(conn
        .query_row(
            "SELECT a.name, a.size, a.content_type FROM attachments a
             JOIN messages m ON m.id = a.message_id JOIN dialogs d ON d.id = m.dialog_id
             WHERE a.id = ?1 AND d.seller_id = ?2",
            params![id, seller_id],
            |r| {
                let size: i64 = r.get(1)?;
                Ok((r.get(0)?, u64::try_from(size).unwrap_or(0), r.get(2)?))
            },
        )
        .optional()?)
}

/// Every attachment id (for the orphan sweep at start-up).
pub fn all_attachment_ids(conn: &Connection) -> AppResult<std::collections::HashSet<String>> {
    let mut st = conn.prepare("SELECT id FROM attachments")?;
    let ids = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

pub fn meta_get(conn: &Connection, key: &str) -> AppResult<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub fn meta_set(conn: &Connection, key: &str, value: &str) -> AppResult<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Unread, continuations

/// The seller's dialogs with at least one unread support message.
pub fn unread_dialogs(conn: &Connection, seller_id: i64) -> AppResult<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM dialogs WHERE seller_id = ?1 AND unread > 0",
        [seller_id],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Marks the dialog read; returns whether anything was unread (only then is there an event).
pub fn mark_read(tx: &Transaction<'_>, row: &DialogRow) -> AppResult<bool> {
    Ok(tx.execute(
        "UPDATE dialogs SET unread = 0 WHERE id = ?1 AND unread > 0",
        [row.id as i64],
    )? > 0)
}

/// Records that `id` continues `follows` (both the seller's, checked by the caller).
pub fn set_follows(tx: &Transaction<'_>, id: u64, follows: u64) -> AppResult<()> {
    tx.execute(
        "UPDATE dialogs SET follows = ?2 WHERE id = ?1",
        params![id as i64, follows as i64],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Events (see crate::events for the live side)

/// What an event's list row is built with.
#[derive(Clone, Copy)]
pub struct RowContext<'a> {
    pub catalog: &'a Catalog,
    pub auto_close_ms: i64,
}

/// An event row just written: publish it once its transaction committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub seller_id: i64,
    pub id: i64,
}

/// The events a database call wrote, to publish after it (see [`crate::AppState::write`]).
#[derive(Debug, Default)]
pub struct Outbox(pub Vec<Recorded>);

impl Outbox {
    pub fn push(&mut self, r: Recorded) {
        self.0.push(r);
    }

    pub fn extend(&mut self, other: Outbox) {
        self.0.extend(other.0);
    }
}

/// Writes an event about the dialog as it is now (call it after the change, in the same
/// transaction): its list row, the message if any, and the seller's unread count.
pub fn record_event(
    tx: &Transaction<'_>,
    rows: &RowContext<'_>,
    dialog_id: u64,
    kind: EventKind,
    message: Option<MessageNote>,
    now: i64,
) -> AppResult<Recorded> {
    let row = load_dialog(tx, dialog_id, None)?;
    let data = DialogChange {
        dialog_id,
        status: row.status,
        close_reason: (row.status == DialogStatus::Closed)
            .then_some(row.close_reason)
            .flatten(),
        dialog: row.item(rows.catalog, rows.auto_close_ms),
        message,
        follows: if kind == EventKind::Created {
            row.follows
        } else {
            None
        },
        unread_dialogs: unread_dialogs(tx, row.seller_id)?,
    };
    let payload = serde_json::to_string(&data).map_err(AppError::internal)?;
    tx.execute(
        "INSERT INTO events (seller_id, dialog_id, kind, payload, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![row.seller_id, dialog_id as i64, kind.as_str(), payload, now],
    )?;
    Ok(Recorded {
        seller_id: row.seller_id,
        id: tx.last_insert_rowid(),
    })
}

/// One stored event as the stream sends it.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub id: i64,
    pub kind: EventKind,
    /// The JSON `data`.
    pub payload: String,
}

/// The seller's events after `after`, oldest first, at most `limit`.
pub fn events_after(
    conn: &Connection,
    seller_id: i64,
    after: i64,
    limit: usize,
) -> AppResult<Vec<StoredEvent>> {
    let mut st = conn.prepare_cached(
        "SELECT id, kind, payload FROM events WHERE seller_id = ?1 AND id > ?2
         ORDER BY id LIMIT ?3",
    )?;
    let rows = st.query_map(
        params![seller_id, after, i64::try_from(limit).unwrap_or(i64::MAX)],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, payload) = row?;
        // The CHECK constraint admits only stored kinds.
        if let Some(kind) = EventKind::parse(&kind) {
            out.push(StoredEvent { id, kind, payload });
        }
    }
    Ok(out)
}

/// Where a seller's stream stands: the highest pruned id (`floor`), the latest kept id (or the
/// floor when none is kept), and the unread count.
#[derive(Debug, Clone, Copy)]
pub struct StreamPosition {
    pub floor: i64,
    pub head: i64,
    pub unread_dialogs: u64,
}

pub fn stream_position(conn: &Connection, seller_id: i64) -> AppResult<StreamPosition> {
    let floor: i64 = conn
        .query_row(
            "SELECT events_floor FROM sellers WHERE id = ?1",
            [seller_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let head: Option<i64> = conn.query_row(
        "SELECT max(id) FROM events WHERE seller_id = ?1",
        [seller_id],
        |r| r.get(0),
    )?;
    Ok(StreamPosition {
        floor,
        head: head.unwrap_or(floor).max(floor),
        unread_dialogs: unread_dialogs(conn, seller_id)?,
    })
}

/// Whether `id` is one of the seller's kept events.
pub fn is_own_event(conn: &Connection, seller_id: i64, id: i64) -> AppResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM events WHERE id = ?1 AND seller_id = ?2",
            params![id, seller_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Deletes events older than `keep_ms` and, per seller, all but the newest `keep_per_seller`,
/// raising each seller's floor to the highest id deleted; returns how many were deleted.
pub fn prune_events(
    conn: &mut Connection,
    now: i64,
    keep_ms: i64,
    keep_per_seller: usize,
) -> AppResult<usize> {
    let tx = conn.transaction()?;
    let cutoff = now.saturating_sub(keep_ms.max(0));
    let keep = i64::try_from(keep_per_seller).unwrap_or(i64::MAX);
    // The newest id to drop per seller: past the age limit, or past the count limit.
    let drop_upto: Vec<(i64, i64)> = {
        let mut st = tx.prepare(
            "SELECT seller_id, max(id) FROM (
                 SELECT seller_id, id FROM events WHERE created_at < ?1
                 UNION ALL
                 SELECT seller_id, id FROM (
                     SELECT seller_id, id,
                            row_number() OVER (PARTITION BY seller_id ORDER BY id DESC) AS n
                     FROM events WHERE seller_id IN
                         (SELECT seller_id FROM events GROUP BY seller_id HAVING count(*) > ?2)
                 ) WHERE n > ?2
             ) GROUP BY seller_id",
        )?;
        st.query_map(params![cutoff, keep], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut deleted = 0;
    for (seller, upto) in drop_upto {
        deleted += tx.execute(
            "DELETE FROM events WHERE seller_id = ?1 AND id <= ?2",
            params![seller, upto],
        )?;
        tx.execute(
            "UPDATE sellers SET events_floor = max(events_floor, ?2) WHERE id = ?1",
            params![seller, upto],
        )?;
    }
    tx.commit()?;
    Ok(deleted)
}
