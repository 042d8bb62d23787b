//! The embedded backend: SQLite through [`crate::db`] (one connection, one process) and the
//! attachments' bytes as files in `files/`.
//!
//! Each operation is one closure on the connection, so the idempotency check and the insert
//! that follows it can never interleave with another request: the single connection is the
//! lock. That is exactly what cannot carry over to several processes, which is why the
//! PostgreSQL backend does the same work with constraints instead.

use super::{Created, Download, IdemKey, NewDialog, NewMessage, Purged, Resolve, Views};
use crate::db::{self, Db, DialogRow, NewAttachment};
use crate::error::AppResult;
use crate::idempotency::{self, Stored};
use crate::upload::{StagedFile, commit_files, remove_all};
use axum::body::Body;
use domain::api::{DialogDetail, DialogList, ListQuery};
use std::path::{Path, PathBuf};

#[derive(Clone)]
pub struct SqliteStore {
    db: Db,
    files_dir: PathBuf,
    views: Views,
}

impl SqliteStore {
    /// Opens (creating and migrating) the database file; attachments go to `files_dir`.
    pub fn open(path: &Path, files_dir: PathBuf, views: Views) -> anyhow::Result<SqliteStore> {
        std::fs::create_dir_all(&files_dir)?;
        let store = SqliteStore {
            db: Db::open(path)?,
            files_dir,
            views,
        };
        store.sweep_orphan_files()?;
        Ok(store)
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

    pub async fn purge_expired(&self, now: i64) -> AppResult<Purged> {
        self.db
            .call(move |c| {
                Ok(Purged {
                    idempotency_keys: db::purge_expired_idempotency(c, now)?,
                    sessions: db::purge_expired_sessions(c, now)?,
                })
            })
            .await
    }

    pub async fn auto_close_due(&self, now: i64) -> AppResult<usize> {
        let after = self.views.auto_close_ms;
        self.db
            .call(move |c| db::auto_close_due(c, now, after))
            .await
    }

    pub async fn list_dialogs(
        &self,
        seller_id: i64,
        query: ListQuery,
        now: i64,
    ) -> AppResult<DialogList> {
        let views = self.views.clone();
        self.db
            .call(move |c| {
                db::auto_close_due(c, now, views.auto_close_ms)?;
                db::list_dialogs(c, seller_id, &query, &views.catalog, views.auto_close_ms)
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
    ) -> AppResult<DialogDetail> {
        let views = self.views.clone();
        self.db
            .call(move |c| {
                db::auto_close_due(c, now, views.auto_close_ms)?;
                let row = db::load_dialog(c, id, seller)?;
                db::dialog_detail(c, &row, &views.catalog, views.auto_close_ms)
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
        let views = self.views.clone();
        let files_dir = self.files_dir.clone();
        self.db
            .call(move |c| {
                let NewDialog {
                    seller_id,
                    category_id,
                    theme_id,
                    comment,
                    mut files,
                    key,
                    now,
                } = d;
                let tx = c.transaction()?;
                // Checked inside the transaction that stores the result, so two requests with
                // the same key cannot both create (the connection serialises them).
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
                let atts: Vec<NewAttachment> = files.iter().map(StagedFile::attachment).collect();
                let id = db::insert_dialog(
                    &tx,
                    seller_id,
                    &category_id,
                    &theme_id,
                    &comment,
                    &atts,
                    now,
                    &views.catalog,
                )?;
                if let Some(k) = key {
                    store_key(&tx, seller_id, k, id, idempotency::Kind::Create, now)?;
                }
                let moved = commit_files(&mut files, &files_dir)?;
                if let Err(e) = tx.commit() {
                    remove_all(&moved);
                    return Err(e.into());
                }
                Ok(Created {
                    id,
                    created_at: now,
                })
            })
            .await
    }

    pub async fn post_message(&self, m: NewMessage) -> AppResult<DialogDetail> {
        let views = self.views.clone();
        let files_dir = self.files_dir.clone();
        self.db
            .call(move |c| {
                let NewMessage {
                    dialog_id,
                    seller,
                    author,
                    text,
                    mut files,
                    key,
                    now,
                } = m;
                let after = views.auto_close_ms;
                db::auto_close_due(c, now, after)?;
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
                    return db::dialog_detail(&tx, &row, &views.catalog, after);
                }
                let row = db::load_dialog(&tx, dialog_id, seller)?;
                let atts: Vec<NewAttachment> = files.iter().map(StagedFile::attachment).collect();
                db::add_message(&tx, &row, author, &text, &atts, now)?;
                let row = db::load_dialog(&tx, dialog_id, seller)?;
                let detail = db::dialog_detail(&tx, &row, &views.catalog, after)?;
                if let (Some(sid), Some(k)) = (seller, key) {
                    store_key(&tx, sid, k, dialog_id, idempotency::Kind::Reply, now)?;
                }
                let moved = commit_files(&mut files, &files_dir)?;
                if let Err(e) = tx.commit() {
                    remove_all(&moved);
                    return Err(e.into());
                }
                Ok(detail)
            })
            .await
    }

    pub async fn resolve(&self, r: Resolve) -> AppResult<DialogDetail> {
        let views = self.views.clone();
        self.db
            .call(move |c| {
                let after = views.auto_close_ms;
                db::auto_close_due(c, r.now, after)?;
                let tx = c.transaction()?;
                let row = db::load_dialog(&tx, r.dialog_id, Some(r.seller_id))?;
                db::resolve(&tx, &row, r.rating, r.comment.as_deref(), &r.reasons, r.now)?;
                tx.commit()?;
                let row = db::load_dialog(c, r.dialog_id, Some(r.seller_id))?;
                db::dialog_detail(c, &row, &views.catalog, after)
            })
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
