//! The embedded backend: SQLite through [`crate::db`] (one connection, one process) and the
//! attachments' bytes as files in `files/`.
//!
//! Each operation is one closure on the connection, so the idempotency check and the insert
//! that follows it can never interleave with another request: the single connection is the
//! lock. That is exactly what cannot carry over to several processes, which is why the
//! PostgreSQL backend does the same work with constraints instead.

use super::{Created, Download, IdemKey, NewDialog, NewMessage, Purged, Resolve, Retention, Views};
use crate::db::{
    self, Db, DialogRow, NewAttachment, Outbox, RowContext, StoredEvent, StreamPosition,
};
use crate::error::AppResult;
use crate::events::Hub;
use crate::idempotency::{self, Stored};
use crate::upload::{StagedFile, commit_files, remove_all};
use axum::body::Body;
use domain::api::{DialogPage, DialogView, ListQuery};
use domain::events::{EventKind, MessageNote};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone)]
pub struct SqliteStore {
    db: Db,
    files_dir: PathBuf,
    views: Views,
    /// Woken after every commit that wrote events: this process is the only writer.
    hub: Arc<Hub>,
}

impl SqliteStore {
    /// Opens (creating and migrating) the database file; attachments go to `files_dir`.
    pub fn open(
        path: &Path,
        files_dir: PathBuf,
        views: Views,
        hub: Arc<Hub>,
    ) -> anyhow::Result<SqliteStore> {
        std::fs::create_dir_all(&files_dir)?;
        let store = SqliteStore {
            db: Db::open(path)?,
            files_dir,
            views,
            hub,
        };
        store.sweep_orphan_files()?;
        Ok(store)
    }

    /// Runs `f` on the connection with what event rows need, then wakes the streams of every
    /// event `f` put in the outbox, also when `f` failed (an auto-close it ran first was
    /// committed on its own; an event of a rolled-back change wakes a stream that finds
    /// nothing).
    async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut rusqlite::Connection, &RowContext<'_>, &mut Outbox) -> AppResult<T>
            + Send
            + 'static,
        T: Send + 'static,
    {
        let views = self.views.clone();
        let (result, outbox) = self
            .db
            .call(move |c| {
                let rows = RowContext {
                    catalog: &views.catalog,
                    auto_close_ms: views.auto_close_ms,
                };
                let mut outbox = Outbox::default();
                let result = f(c, &rows, &mut outbox);
                Ok((result, outbox))
            })
            .await?;
        self.hub.publish(&outbox.0);
        result
    }

    /// The connection itself, for what only SQLite has (its migration tests, benchmarks).
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn files_dir(&self) -> &Path {
        &self.files_dir
    }

    /// Files are renamed into `files/` right before the commit that names them; a crash in
    /// between leaves a file no row points to. Removed at start-up.
    fn sweep_orphan_files(&self) -> anyhow::Result<()> {
        let known = self
            .db
            .call_sync(|c| db::all_attachment_ids(c))
            .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
        for e in std::fs::read_dir(&self.files_dir)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_file() && !known.contains(&name) {
                tracing::warn!(file = %name, "removing orphan attachment file");
                std::fs::remove_file(e.path())?;
            }
        }
        Ok(())
    }

    pub async fn upsert_seller(&self, name: &str, now: i64) -> AppResult<i64> {
        let name = name.to_string();
        self.db
            .call(move |c| db::upsert_seller(c, &name, now))
            .await
    }

    pub async fn login(&self, seller: &str, now: i64) -> AppResult<String> {
        let seller = seller.to_string();
        self.db
            .call(move |c| {
                let id = db::upsert_seller(c, &seller, now)?;
                db::create_session(c, id, now)
            })
            .await
    }

    pub async fn session_seller(&self, token: &str, now: i64) -> AppResult<Option<(i64, String)>> {
        let token = token.to_string();
        self.db
            .call(move |c| db::session_seller(c, &token, now))
            .await
    }

    pub async fn delete_session(&self, token: &str) -> AppResult<()> {
        let token = token.to_string();
        self.db.call(move |c| db::delete_session(c, &token)).await
    }

    pub async fn purge_expired(&self, now: i64, keep: Retention) -> AppResult<Purged> {
        self.db
            .call(move |c| {
                Ok(Purged {
                    idempotency_keys: db::purge_expired_idempotency(c, now)?,
                    events: db::prune_events(c, now, keep.keep_ms, keep.per_seller)?,
                    sessions: db::purge_expired_sessions(c, now)?,
                })
            })
            .await
    }

    pub async fn auto_close_due(&self, now: i64) -> AppResult<usize> {
        self.write(move |c, rows, out| {
            let closed = db::auto_close_due(c, now, rows)?;
            let n = closed.0.len();
            out.extend(closed);
            Ok(n)
        })
        .await
    }

    pub async fn list_dialogs(
        &self,
        seller_id: i64,
        query: ListQuery,
        now: i64,
    ) -> AppResult<DialogPage> {
        self.write(move |c, rows, out| {
            out.extend(db::auto_close_due(c, now, rows)?);
            db::list_dialogs(c, seller_id, &query, rows.catalog, rows.auto_close_ms)
        })
        .await
    }

    pub async fn load_dialog(&self, id: u64, seller: Option<i64>) -> AppResult<DialogRow> {
        self.db.call(move |c| db::load_dialog(c, id, seller)).await
    }

    pub async fn dialog_detail(
        &self,
        id: u64,
        seller: Option<i64>,
        now: i64,
    ) -> AppResult<DialogView> {
        self.write(move |c, rows, out| {
            out.extend(db::auto_close_due(c, now, rows)?);
            let row = db::load_dialog(c, id, seller)?;
            db::dialog_detail(c, &row, rows.catalog, rows.auto_close_ms)
        })
        .await
    }

    pub async fn mark_read(&self, id: u64, seller_id: i64, now: i64) -> AppResult<()> {
        self.write(move |c, rows, out| {
            let tx = c.transaction()?;
            let row = db::load_dialog(&tx, id, Some(seller_id))?;
            if db::mark_read(&tx, &row)? {
                let event = db::record_event(&tx, rows, id, EventKind::Read, None, now)?;
                tx.commit()?;
                out.push(event);
            }
            Ok(())
        })
        .await
    }

    pub async fn idempotent_request(
        &self,
        seller_id: i64,
        key: &str,
        now: i64,
    ) -> AppResult<Option<Stored>> {
        let key = key.to_string();
        self.db
            .call(move |c| db::idempotent_request(c, seller_id, &key, now))
            .await
    }

    pub async fn create_dialog(&self, d: NewDialog) -> AppResult<Created> {
        let files_dir = self.files_dir.clone();
        self.write(move |c, rows, out| {
            let NewDialog {
                seller_id,
                category_id,
                theme_id,
                comment,
                follows,
                mut files,
                key,
                now,
            } = d;
            let tx = c.transaction()?;
            // Checked inside the transaction that stores the result, so two requests with the
            // same key cannot both create (the connection serialises them).
            if let Some(k) = &key
                && let Some(id) = idempotency::replay(
                    db::idempotent_request(&tx, seller_id, &k.key, now)?,
                    idempotency::Kind::Create,
                    &k.fingerprint,
                )?
            {
                let row = db::load_dialog(&tx, id, Some(seller_id))?;
                return Ok(Created {
                    id,
                    created_at: row.created_at,
                });
            }
            if let Some(f) = follows {
                db::load_dialog(&tx, f, Some(seller_id)).map_err(|_| super::follows_not_found())?;
            }
            let atts: Vec<NewAttachment> = files.iter().map(StagedFile::attachment).collect();
            let id = db::insert_dialog(
                &tx,
                seller_id,
                &category_id,
                &theme_id,
                &comment,
                &atts,
                now,
                rows.catalog,
            )?;
            if let Some(f) = follows {
                db::set_follows(&tx, id, f)?;
            }
            let event = db::record_event(&tx, rows, id, EventKind::Created, None, now)?;
            if let Some(k) = key {
                store_key(&tx, seller_id, k, id, idempotency::Kind::Create, now)?;
            }
            let moved = commit_files(&mut files, &files_dir)?;
            if let Err(e) = tx.commit() {
                remove_all(&moved);
                return Err(e.into());
            }
            out.push(event);
            Ok(Created {
                id,
                created_at: now,
            })
        })
        .await
    }

    pub async fn post_message(&self, m: NewMessage) -> AppResult<DialogView> {
        let files_dir = self.files_dir.clone();
        self.write(move |c, rows, out| {
            let NewMessage {
                dialog_id,
                seller,
                author,
                text,
                mut files,
                key,
                now,
            } = m;
            out.extend(db::auto_close_due(c, now, rows)?);
            let tx = c.transaction()?;
            if let (Some(sid), Some(k)) = (seller, &key)
                && let Some(dialog) = idempotency::replay(
                    db::idempotent_request(&tx, sid, &k.key, now)?,
                    idempotency::Kind::Reply,
                    &k.fingerprint,
                )?
            {
                // The replay answers with the dialog as it is now: it holds the first reply.
                let row = db::load_dialog(&tx, dialog, seller)?;
                return db::dialog_detail(&tx, &row, rows.catalog, rows.auto_close_ms);
            }
            let row = db::load_dialog(&tx, dialog_id, seller)?;
            let atts: Vec<NewAttachment> = files.iter().map(StagedFile::attachment).collect();
            let message_id = db::add_message(&tx, &row, author, &text, &atts, now)?;
            let note = MessageNote {
                id: message_id,
                author,
                created_at: now,
            };
            let event =
                db::record_event(&tx, rows, dialog_id, EventKind::Message, Some(note), now)?;
            let row = db::load_dialog(&tx, dialog_id, seller)?;
            let detail = db::dialog_detail(&tx, &row, rows.catalog, rows.auto_close_ms)?;
            if let (Some(sid), Some(k)) = (seller, key) {
                store_key(&tx, sid, k, dialog_id, idempotency::Kind::Reply, now)?;
            }
            let moved = commit_files(&mut files, &files_dir)?;
            if let Err(e) = tx.commit() {
                remove_all(&moved);
                return Err(e.into());
            }
            out.push(event);
            Ok(detail)
        })
        .await
    }

    pub async fn resolve(&self, r: Resolve) -> AppResult<DialogView> {
        self.write(move |c, rows, out| {
            out.extend(db::auto_close_due(c, r.now, rows)?);
            let tx = c.transaction()?;
            let row = db::load_dialog(&tx, r.dialog_id, Some(r.seller_id))?;
            db::resolve(&tx, &row, r.rating, r.comment.as_deref(), &r.reasons, r.now)?;
            let event = db::record_event(&tx, rows, r.dialog_id, EventKind::Status, None, r.now)?;
            tx.commit()?;
            out.push(event);
            let row = db::load_dialog(c, r.dialog_id, Some(r.seller_id))?;
            db::dialog_detail(c, &row, rows.catalog, rows.auto_close_ms)
        })
        .await
    }

    // -- the event stream's reads -------------------------------------------------------------

    pub async fn stream_position(&self, seller_id: i64) -> AppResult<StreamPosition> {
        self.db
            .call(move |c| db::stream_position(c, seller_id))
            .await
    }

    pub async fn is_own_event(&self, seller_id: i64, id: i64) -> AppResult<bool> {
        self.db
            .call(move |c| db::is_own_event(c, seller_id, id))
            .await
    }

    pub async fn events_after(
        &self,
        seller_id: i64,
        after: i64,
        limit: usize,
    ) -> AppResult<Vec<StoredEvent>> {
        self.db
            .call(move |c| db::events_after(c, seller_id, after, limit))
            .await
    }

    pub async fn unread_dialogs(&self, seller_id: i64) -> AppResult<u64> {
        self.db
            .call(move |c| db::unread_dialogs(c, seller_id))
            .await
    }

    pub async fn attachment(&self, id: &str, seller_id: i64) -> AppResult<Option<Download>> {
        let i = id.to_string();
        let Some((name, size, content_type)) = self
            .db
            .call(move |c| db::attachment_of_seller(c, &i, seller_id))
            .await?
        else {
            return Ok(None);
        };
        // Opened before the headers go out, so a missing file is still a JSON error; the bytes
        // are then streamed in small chunks, whatever the number of downloads at once.
        let file = tokio::fs::File::open(self.files_dir.join(id)).await?;
        Ok(Some(Download {
            name,
            size,
            content_type,
            body: Body::from_stream(tokio_util::io::ReaderStream::new(file)),
        }))
    }

    pub async fn attachment_count(&self) -> AppResult<u64> {
        self.db
            .call(|c| {
                let n: i64 = c.query_row("SELECT count(*) FROM attachments", [], |r| r.get(0))?;
                Ok(u64::try_from(n).unwrap_or(0))
            })
            .await
    }

    pub async fn meta_get(&self, key: &str) -> AppResult<Option<String>> {
        let key = key.to_string();
        self.db.call(move |c| db::meta_get(c, &key)).await
    }

    pub async fn meta_claim(&self, key: &str, value: &str) -> AppResult<bool> {
        let (key, value) = (key.to_string(), value.to_string());
        self.db
            .call(move |c| {
                Ok(c.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING",
                    rusqlite::params![key, value],
                )? == 1)
            })
            .await
    }

    pub async fn meta_delete(&self, key: &str) -> AppResult<()> {
        let key = key.to_string();
        self.db
            .call(move |c| {
                c.execute("DELETE FROM meta WHERE key = ?1", [key])?;
                Ok(())
            })
            .await
    }
}

fn store_key(
    tx: &rusqlite::Transaction<'_>,
    seller_id: i64,
    k: IdemKey,
    dialog_id: u64,
    kind: idempotency::Kind,
    now: i64,
) -> AppResult<()> {
    let stored = Stored {
        dialog_id,
        kind,
        request_hash: Some(k.fingerprint),
    };
    db::store_idempotent_request(tx, seller_id, &k.key, &stored, now)
}
