//! The shared backend: PostgreSQL through a pool of `tokio-postgres` connections, for any number
//! of server instances on one database.
//!
//! Nothing here relies on being the only process. Where the SQLite backend counts on its single
//! connection, this one uses the database's own guarantees:
//! - an `Idempotency-Key` is claimed with `INSERT … ON CONFLICT`: a second request with the same
//!   key waits on the first one's uncommitted row and then finds it (insert-or-fetch, never
//!   check-then-insert);
//! - a dialog's status changes under `SELECT … FOR UPDATE`, so two instances answering and
//!   replying at once apply the state machine one after the other;
//! - auto-close is a conditional `UPDATE … WHERE status = 'answered'` per dialog: whichever
//!   instances sweep, exactly one of them closes it (and announces it);
//! - one seller's events are numbered and committed in turn (the seller's row lock), so a
//!   stream reading "after id N" never skips a smaller id that committed later;
//! - dialog numbers are random and inserted with `ON CONFLICT (id) DO NOTHING`, retried on a
//!   collision; message and seller ids come from identity columns;
//! - every event row is also `NOTIFY`ed in its transaction; each instance `LISTEN`s on a
//!   connection of its own and wakes its streams (`crate::events::Hub`), so an answer posted
//!   through instance B reaches a seller's stream held by instance A.
//!
//! Attachments are stored in the database in 256 KiB chunks (`attachment_chunks`), copied in
//! from the upload's staged file and streamed out chunk by chunk: every instance can serve every
//! file, one backup holds everything, and no request holds more than one chunk in memory.

use super::{Created, Download, IdemKey, NewDialog, NewMessage, Purged, Resolve, Retention, Views};
use crate::db::{
    DialogRow, LAST_SEEN_RESOLUTION_MS, Recorded, StoredEvent, StreamPosition, random_in,
    random_token, token_hash,
};
use crate::error::{AppError, AppResult};
use crate::events::Hub;
use crate::idempotency::{self, Kind, Stored};
use crate::upload::StagedFile;
use axum::body::{Body, Bytes};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use domain::api::{
    AttachmentInfo, Author, DialogDetail, DialogPage, DialogView, ListQuery, MAX_FOLLOWED_BY,
    Message, SortOrder,
};
use domain::events::{DialogChange, EventKind, MessageNote};
use domain::status::{CloseReason, DialogEvent, DialogStatus, ResolveReason, TransitionError};
use futures_util::StreamExt;
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio_postgres::types::ToSql;
use tokio_postgres::{AsyncMessage, NoTls, Row};
use tokio_util::sync::{CancellationToken, DropGuard};

/// Versioned migrations: (schema version, SQL). The versions continue the SQLite ones
/// (`migrations/*.sql`); PostgreSQL support starts at version 5, the schema both then had, so
/// its first file creates that schema whole. A later change adds one file to each set.
const MIGRATIONS: &[(i32, &str)] = &[
    (5, include_str!("../../migrations/postgres/0005_init.sql")),
    (
        6,
        include_str!("../../migrations/postgres/0006_events_unread_follows.sql"),
    ),
];

/// The channel every instance listens on; a payload is `<seller id>:<event id>`.
const EVENTS_CHANNEL: &str = "support_events";

/// Held (transaction-scoped) while migrating, so instances starting together migrate once.
const MIGRATION_LOCK: i64 = 0x5e11_e500_0000_0001;

/// Attachment bytes per row of `attachment_chunks`: the most one upload or download holds in
/// memory at a time, and small enough that PostgreSQL stores each row without strain.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// Due dialogs closed per round of [`PgStore::auto_close_due`]: the work of one call stays
/// bounded after a long outage; the next round (or the next read) continues.
const AUTO_CLOSE_BATCH: i64 = 500;

/// Columns of [`dialog_from_row`].
const DIALOG_COLS: &str = "id, seller_id, category_id, theme_id, status, created_at, updated_at, \
     answered_at, closed_at, close_reason, rating, resolve_comment, resolve_reasons, unread, follows";

#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    views: Views,
    /// Woken right after this instance's own commits (the `LISTEN` task wakes it for the
    /// others', and for these once more: a second wake-up reads nothing new).
    hub: Arc<Hub>,
    /// Stops the `LISTEN` task when the last clone of the store is gone.
    _listener: Arc<DropGuard>,
}

impl PgStore {
    /// Connects a pool of at most `pool_size` connections and migrates the schema.
    pub async fn connect(
        url: &str,
        pool_size: usize,
        views: Views,
        hub: Arc<Hub>,
    ) -> anyhow::Result<PgStore> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| anyhow::anyhow!("bad PostgreSQL URL: {e}"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("seller-support-server");
        }
        // The listening connection is idle for long stretches: notice a dead peer in minutes.
        config.keepalives_idle(Duration::from_secs(60));
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(2))
            .runtime(Runtime::Tokio1)
            // A database that stops answering fails requests (500) instead of piling them up.
            .wait_timeout(Some(Duration::from_secs(15)))
            .create_timeout(Some(Duration::from_secs(15)))
            .build()?;
        let stop = CancellationToken::new();
        let store = PgStore {
            pool,
            views,
            hub: hub.clone(),
            _listener: Arc::new(stop.clone().drop_guard()),
        };
        store.migrate().await?;
        // Listening before the first request, so no event of this instance's life is missed;
        // a database that refuses the listener fails the start.
        let (ready, listening) = tokio::sync::oneshot::channel();
        tokio::spawn(listen(config, Arc::downgrade(&hub), stop, ready));
        listening
            .await
            .map_err(|_| anyhow::anyhow!("the event listener stopped"))?
            .map_err(|e| anyhow::anyhow!("LISTEN {EVENTS_CHANNEL}: {e}"))?;
        Ok(store)
    }

    /// Wakes this instance's streams of events that just committed.
    fn publish(&self, events: &[Recorded]) {
        self.hub.publish(events);
    }

    /// The pool (tests and tools that look at the database directly).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    INTEGER PRIMARY KEY,
                 applied_at BIGINT NOT NULL
             )",
        )
        .await?;
        let done: Option<i32> = tx
            .query_one("SELECT max(version) FROM schema_migrations", &[])
            .await?
            .try_get(0)?;
        let now = crate::system_clock()();
        for (version, sql) in MIGRATIONS {
            if done.is_some_and(|d| d >= *version) {
                continue;
            }
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                &[version, &now],
            )
            .await?;
            tracing::info!(version, "migrated the PostgreSQL schema");
        }
        tx.commit().await?;
        Ok(())
    }

    // -- sellers and sessions -----------------------------------------------------------------

    pub async fn upsert_seller(&self, name: &str, now: i64) -> AppResult<i64> {
        let client = self.pool.get().await?;
        upsert_seller(&client, name, now).await
    }

    pub async fn login(&self, seller: &str, now: i64) -> AppResult<String> {
        let client = self.pool.get().await?;
        let seller_id = upsert_seller(&client, seller, now).await?;
        let token = random_token(32)?;
        client
            .execute(
                "INSERT INTO sessions (token_hash, seller_id, created_at, last_seen_at)
                 VALUES ($1, $2, $3, $3)",
                &[&token_hash(&token), &seller_id, &now],
            )
            .await?;
        Ok(token)
    }

    pub async fn session_seller(&self, token: &str, now: i64) -> AppResult<Option<(i64, String)>> {
        let client = self.pool.get().await?;
        let hash = token_hash(token);
        let st = client
            .prepare_cached(
                "SELECT s.id, s.name, x.last_seen_at FROM sessions x
                 JOIN sellers s ON s.id = x.seller_id
                 WHERE x.token_hash = $1 AND x.created_at > $2 AND x.last_seen_at > $3",
            )
            .await?;
        let max_age = now.saturating_sub(crate::auth::session_max_age_ms());
        let idle = now.saturating_sub(crate::auth::SESSION_IDLE_MS);
        let Some(r) = client.query_opt(&st, &[&hash, &max_age, &idle]).await? else {
            return Ok(None);
        };
        let (id, name, last_seen): (i64, String, i64) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        if now - last_seen >= LAST_SEEN_RESOLUTION_MS {
            // Only ever moves forward, whichever instance writes last.
            client
                .execute(
                    "UPDATE sessions SET last_seen_at = $2
                     WHERE token_hash = $1 AND last_seen_at < $2",
                    &[&hash, &now],
                )
                .await?;
        }
        Ok(Some((id, name)))
    }

    pub async fn delete_session(&self, token: &str) -> AppResult<()> {
        let client = self.pool.get().await?;
        client
            .execute(
                "DELETE FROM sessions WHERE token_hash = $1",
                &[&token_hash(token)],
            )
            .await?;
        Ok(())
    }

    pub async fn purge_expired(&self, now: i64, keep: Retention) -> AppResult<Purged> {
        let mut client = self.pool.get().await?;
        let events = prune_events(&mut client, now, keep).await?;
        let keys = client
            .execute(
                "DELETE FROM idempotency WHERE created_at <= $1",
                &[&now.saturating_sub(idempotency::KEY_TTL_MS)],
            )
            .await?;
        let sessions = client
            .execute(
                "DELETE FROM sessions WHERE created_at <= $1 OR last_seen_at <= $2",
                &[
                    &now.saturating_sub(crate::auth::session_max_age_ms()),
                    &now.saturating_sub(crate::auth::SESSION_IDLE_MS),
                ],
            )
            .await?;
        Ok(Purged {
            sessions: usize::try_from(sessions).unwrap_or(usize::MAX),
            idempotency_keys: usize::try_from(keys).unwrap_or(usize::MAX),
            events,
        })
    }

    // -- dialogs ------------------------------------------------------------------------------

    pub async fn auto_close_due(&self, now: i64) -> AppResult<usize> {
        let mut client = self.pool.get().await?;
        self.close_due(&mut client, now).await
    }

    /// Closes the due answered dialogs, each through the state machine in a transaction of its
    /// own with its `status` event. When several instances sweep at once, the conditional
    /// update makes all but one find the dialog closed already: each dialog is closed, and
    /// announced, once.
    async fn close_due(
        &self,
        client: &mut deadpool_postgres::Object,
        now: i64,
    ) -> AppResult<usize> {
        let after_ms = self.views.auto_close_ms;
        let limit = now.saturating_sub(after_ms.max(0));
        let mut closed = 0;
        // Bounded: a handful of batches per call; whatever is left waits for the next call.
        for _ in 0..8 {
            let due = {
                let st = client
                    .prepare_cached(
                        "SELECT id, answered_at FROM dialogs
                         WHERE status = 'answered' AND answered_at <= $1
                         ORDER BY answered_at LIMIT $2",
                    )
                    .await?;
                client.query(&st, &[&limit, &AUTO_CLOSE_BATCH]).await?
            };
            let batch = due.len();
            for r in due {
                let (id, answered_at): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
                let ev = DialogEvent::AutoClose {
                    answered_at,
                    now,
                    after_ms,
                };
                let t = match DialogStatus::Answered.apply(&ev) {
                    Ok(t) => t,
                    Err(TransitionError::TooEarly) => continue,
                    Err(e) => return Err(AppError::internal(format!("auto-close {id}: {e:?}"))),
                };
                let at = domain::status::auto_close_at(answered_at, after_ms);
                let tx = client.transaction().await?;
                let st = tx
                    .prepare_cached(
                        "UPDATE dialogs SET status = $2, close_reason = $3, closed_at = $4,
                         updated_at = GREATEST(updated_at, $4)
                         WHERE id = $1 AND status = 'answered' AND answered_at = $5",
                    )
                    .await?;
                let won = tx
                    .execute(
                        &st,
                        &[
                            &id,
                            &t.status.as_str(),
                            &t.close_reason.map(CloseReason::as_str),
                            &at,
                            &answered_at,
                        ],
                    )
                    .await?;
                if won == 0 {
                    // Another sweep, or a reply, got there first.
                    continue;
                }
                let id = u64::try_from(id).unwrap_or(0);
                let event =
                    record_event(&tx, &self.views, id, EventKind::Status, None, now).await?;
                tx.commit().await?;
                self.publish(&[event]);
                closed += 1;
            }
            if i64::try_from(batch).unwrap_or(0) < AUTO_CLOSE_BATCH {
                break;
            }
        }
        Ok(closed)
    }

    pub async fn list_dialogs(
        &self,
        seller_id: i64,
        query: ListQuery,
        now: i64,
    ) -> AppResult<DialogPage> {
        let mut client = self.pool.get().await?;
        self.close_due(&mut client, now).await?;
        let q = query.normalized();
        // Built from fixed fragments only; every value is a bound parameter.
        let mut where_sql = String::from("seller_id = $1");
        let mut args: Vec<Box<dyn ToSql + Sync + Send>> = vec![Box::new(seller_id)];
        if let Some(s) = q.status {
            args.push(Box::new(s.as_str().to_string()));
            where_sql.push_str(&format!(" AND status = ${}", args.len()));
        }
        if let Some(text) = &q.q {
            // The same question as the SQLite index answers: is the lowercased text a substring
            // of the dialog's search text or of one of its messages'. The pg_trgm GIN indexes
            // serve LIKE '%…%' from three characters on; shorter ones scan, as with SQLite.
            args.push(Box::new(format!("%{}%", like_escape(&text.to_lowercase()))));
            let n = args.len();
            where_sql.push_str(&format!(
                " AND (search LIKE ${n} OR id IN \
                 (SELECT m.dialog_id FROM messages m WHERE m.search LIKE ${n}))"
            ));
        }
        let total: i64 = client
            .query_one(
                &format!("SELECT count(*) FROM dialogs WHERE {where_sql}"),
                &refs(&args),
            )
            .await?
            .try_get(0)?;
        let order = match q.sort {
            _ if q.by_activity => "updated_at DESC, created_at DESC, id DESC",
            SortOrder::CreatedDesc => "created_at DESC, id DESC",
            SortOrder::CreatedAsc => "created_at ASC, id ASC",
        };
        args.push(Box::new(i64::from(q.per_page)));
        let limit_idx = args.len();
        args.push(Box::new(i64::try_from(q.offset()).unwrap_or(i64::MAX)));
        let offset_idx = args.len();
        let sql = format!(
            "SELECT {DIALOG_COLS} FROM dialogs WHERE {where_sql} ORDER BY {order} \
             LIMIT ${limit_idx} OFFSET ${offset_idx}"
        );
        let st = client.prepare_cached(&sql).await?;
        let rows = client.query(&st, &refs(&args)).await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            items.push(dialog_from_row(r)?.item(&self.views.catalog, self.views.auto_close_ms));
        }
        Ok(DialogPage {
            items,
            total: u64::try_from(total).unwrap_or(0),
            unread_dialogs: unread_dialogs(&client, seller_id).await?,
        })
    }

    pub async fn load_dialog(&self, id: u64, seller: Option<i64>) -> AppResult<DialogRow> {
        let client = self.pool.get().await?;
        load_dialog(&client, id, seller, false).await
    }

    pub async fn dialog_detail(
        &self,
        id: u64,
        seller: Option<i64>,
        now: i64,
    ) -> AppResult<DialogView> {
        let mut client = self.pool.get().await?;
        self.close_due(&mut client, now).await?;
        let row = load_dialog(&client, id, seller, false).await?;
        detail(&client, &row, &self.views).await
    }

    pub async fn mark_read(&self, id: u64, seller_id: i64, now: i64) -> AppResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let row = load_dialog(&tx, id, Some(seller_id), true).await?;
        let changed = tx
            .execute(
                "UPDATE dialogs SET unread = 0 WHERE id = $1 AND unread > 0",
                &[&row_id(row.id)?],
            )
            .await?;
        if changed > 0 {
            let event = record_event(&tx, &self.views, id, EventKind::Read, None, now).await?;
            tx.commit().await?;
            self.publish(&[event]);
        }
        Ok(())
    }

    pub async fn idempotent_request(
        &self,
        seller_id: i64,
        key: &str,
        now: i64,
    ) -> AppResult<Option<Stored>> {
        let client = self.pool.get().await?;
        idempotent_request(&client, seller_id, key, now).await
    }

    pub async fn create_dialog(&self, d: NewDialog) -> AppResult<Created> {
        let mut client = self.pool.get().await?;
        let (cat_name, theme_name) = self
            .views
            .catalog
            .find_theme(&d.theme_id)
            .map(|(c, t)| (c.name.clone(), t.name.clone()))
            .unwrap_or_else(|| (d.category_id.clone(), d.theme_id.clone()));
        // A repeat usually finds its key at once; the claim below settles the races.
        if let Some(k) = &d.key
            && let Some(c) = replay_created(&client, d.seller_id, k, d.now).await?
        {
            return Ok(c);
        }
        let tx = client.transaction().await?;
        if let Some(f) = d.follows {
            load_dialog(&tx, f, Some(d.seller_id), false)
                .await
                .map_err(|_| super::follows_not_found())?;
        }
        let mut id = None;
        for _ in 0..64 {
            let candidate = random_in(domain::api::DIALOG_ID_MIN, domain::api::DIALOG_ID_MAX)?;
            let n = i64::try_from(candidate).map_err(AppError::internal)?;
            let search = crate::db::search_text(&[&candidate.to_string(), &cat_name, &theme_name]);
            // A concurrent insert of the same number waits for the other transaction, then
            // either conflicts (try another number) or goes in.
            let inserted = tx
                .execute(
                    "INSERT INTO dialogs (id, seller_id, category_id, theme_id, status,
                                          created_at, updated_at, search)
                     VALUES ($1, $2, $3, $4, 'waiting', $5, $5, $6) ON CONFLICT (id) DO NOTHING",
                    &[
                        &n,
                        &d.seller_id,
                        &d.category_id,
                        &d.theme_id,
                        &d.now,
                        &search,
                    ],
                )
                .await?;
            if inserted == 1 {
                id = Some(candidate);
                break;
            }
        }
        let id = id.ok_or_else(|| AppError::internal("no free dialog number after 64 tries"))?;
        if let Some(k) = &d.key
            && !claim_key(&tx, d.seller_id, k, id, Kind::Create, d.now).await?
        {
            // Another request with this key got there first and has committed: answer as it did.
            tx.rollback().await?;
            return replay_created(&client, d.seller_id, k, d.now)
                .await?
                .ok_or_else(|| AppError::internal("idempotency key vanished; retry"));
        }
        insert_message(&tx, id, Author::Seller, &d.comment, &d.files, d.now).await?;
        if let Some(f) = d.follows {
            tx.execute(
                "UPDATE dialogs SET follows = $2 WHERE id = $1",
                &[&row_id(id)?, &row_id(f)?],
            )
            .await?;
        }
        let event = record_event(&tx, &self.views, id, EventKind::Created, None, d.now).await?;
        tx.commit().await?;
        self.publish(&[event]);
        Ok(Created {
            id,
            created_at: d.now,
        })
    }

    pub async fn post_message(&self, m: NewMessage) -> AppResult<DialogView> {
        let mut client = self.pool.get().await?;
        self.close_due(&mut client, m.now).await?;
        let keyed = match (m.seller, &m.key) {
            (Some(sid), Some(k)) => Some((sid, k)),
            _ => None,
        };
        if let Some((sid, k)) = keyed
            && let Some(d) = self.replay_reply(&client, sid, k, m.now).await?
        {
            return Ok(d);
        }
        let tx = client.transaction().await?;
        // Locked until commit: a concurrent answer or reply to this dialog waits here and then
        // sees the status this one leaves.
        let row = load_dialog(&tx, m.dialog_id, m.seller, true).await?;
        if let Some((sid, k)) = keyed
            && !claim_key(&tx, sid, k, m.dialog_id, Kind::Reply, m.now).await?
        {
            tx.rollback().await?;
            return self
                .replay_reply(&client, sid, k, m.now)
                .await?
                .ok_or_else(|| AppError::internal("idempotency key vanished; retry"));
        }
        let event = match m.author {
            Author::Seller => DialogEvent::SellerReply,
            Author::Support => DialogEvent::SupportAnswer,
        };
        let t = row.status.apply(&event)?;
        let message_id =
            insert_message(&tx, m.dialog_id, m.author, &m.text, &m.files, m.now).await?;
        let answered_at = (t.status == DialogStatus::Answered).then_some(m.now);
        // An answer is one more unread message; the seller's own reply is written on the
        // dialog's page, after reading everything above it.
        tx.execute(
            "UPDATE dialogs SET status = $2, answered_at = $3, updated_at = $4,
             unread = CASE WHEN $5 THEN unread + 1 ELSE 0 END WHERE id = $1",
            &[
                &row_id(row.id)?,
                &t.status.as_str(),
                &answered_at,
                &m.now,
                &(m.author == Author::Support),
            ],
        )
        .await?;
        let note = MessageNote {
            id: u64::try_from(message_id).unwrap_or(0),
            author: m.author,
            created_at: m.now,
        };
        let event = record_event(
            &tx,
            &self.views,
            m.dialog_id,
            EventKind::Message,
            Some(note),
            m.now,
        )
        .await?;
        let row = load_dialog(&tx, m.dialog_id, m.seller, false).await?;
        let out = detail(&tx, &row, &self.views).await?;
        tx.commit().await?;
        self.publish(&[event]);
        Ok(out)
    }

    /// The dialog a keyed reply answered with, if the key was used for this very reply.
    async fn replay_reply(
        &self,
        c: &impl GenericClient,
        seller_id: i64,
        k: &IdemKey,
        now: i64,
    ) -> AppResult<Option<DialogView>> {
        let stored = idempotent_request(c, seller_id, &k.key, now).await?;
        match idempotency::replay(stored, Kind::Reply, &k.fingerprint)? {
            Some(dialog) => {
                // The dialog as it is now: it holds the first reply.
                let row = load_dialog(c, dialog, Some(seller_id), false).await?;
                Ok(Some(detail(c, &row, &self.views).await?))
            }
            None => Ok(None),
        }
    }

    pub async fn resolve(&self, r: Resolve) -> AppResult<DialogView> {
        let mut client = self.pool.get().await?;
        self.close_due(&mut client, r.now).await?;
        let tx = client.transaction().await?;
        let row = load_dialog(&tx, r.dialog_id, Some(r.seller_id), true).await?;
        let t = row
            .status
            .apply(&DialogEvent::Resolve(domain::status::Resolve {
                rating: r.rating,
                reasons: r.reasons.clone(),
            }))?;
        let reasons = r
            .reasons
            .iter()
            .map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join(",");
        tx.execute(
            "UPDATE dialogs SET status = $2, close_reason = $3, closed_at = $4, updated_at = $4,
             rating = $5, resolve_comment = $6, resolve_reasons = $7, unread = 0 WHERE id = $1",
            &[
                &row_id(row.id)?,
                &t.status.as_str(),
                &t.close_reason.map(CloseReason::as_str),
                &r.now,
                &i16::from(r.rating),
                &r.comment,
                &reasons,
            ],
        )
        .await?;
        let event = record_event(
            &tx,
            &self.views,
            r.dialog_id,
            EventKind::Status,
            None,
            r.now,
        )
        .await?;
        let row = load_dialog(&tx, r.dialog_id, Some(r.seller_id), false).await?;
        let out = detail(&tx, &row, &self.views).await?;
        tx.commit().await?;
        self.publish(&[event]);
        Ok(out)
    }

    // -- the event stream's reads -------------------------------------------------------------

    pub async fn stream_position(&self, seller_id: i64) -> AppResult<StreamPosition> {
        let client = self.pool.get().await?;
        let floor: i64 = client
            .query_opt(
                "SELECT events_floor FROM sellers WHERE id = $1",
                &[&seller_id],
            )
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .unwrap_or(0);
        let head: Option<i64> = client
            .query_one(
                "SELECT max(id) FROM events WHERE seller_id = $1",
                &[&seller_id],
            )
            .await?
            .try_get(0)?;
        Ok(StreamPosition {
            floor,
            head: head.unwrap_or(floor).max(floor),
            unread_dialogs: unread_dialogs(&client, seller_id).await?,
        })
    }

    pub async fn is_own_event(&self, seller_id: i64, id: i64) -> AppResult<bool> {
        let client = self.pool.get().await?;
        Ok(client
            .query_opt(
                "SELECT 1 FROM events WHERE id = $1 AND seller_id = $2",
                &[&id, &seller_id],
            )
            .await?
            .is_some())
    }

    pub async fn events_after(
        &self,
        seller_id: i64,
        after: i64,
        limit: usize,
    ) -> AppResult<Vec<StoredEvent>> {
        let client = self.pool.get().await?;
        let st = client
            .prepare_cached(
                "SELECT id, kind, payload FROM events WHERE seller_id = $1 AND id > $2
                 ORDER BY id LIMIT $3",
            )
            .await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut out = Vec::new();
        for r in client.query(&st, &[&seller_id, &after, &limit]).await? {
            let kind: String = r.try_get(1)?;
            // The CHECK constraint admits only stored kinds.
            if let Some(kind) = EventKind::parse(&kind) {
                out.push(StoredEvent {
                    id: r.try_get(0)?,
                    kind,
                    payload: r.try_get(2)?,
                });
            }
        }
        Ok(out)
    }

    pub async fn unread_dialogs(&self, seller_id: i64) -> AppResult<u64> {
        let client = self.pool.get().await?;
        unread_dialogs(&client, seller_id).await
    }

    // -- attachments --------------------------------------------------------------------------

    pub async fn attachment(&self, id: &str, seller_id: i64) -> AppResult<Option<Download>> {
        let client = self.pool.get().await?;
        let Some(r) = client
            .query_opt(
                "SELECT a.name, a.size, a.content_type FROM attachments a
                 JOIN messages m ON m.id = a.message_id JOIN dialogs d ON d.id = m.dialog_id
                 WHERE a.id = $1 AND d.seller_id = $2",
                &[&id, &seller_id],
            )
            .await?
        else {
            return Ok(None);
        };
        let size: i64 = r.try_get(1)?;
        drop(client);
        Ok(Some(Download {
            name: r.try_get(0)?,
            size: u64::try_from(size).unwrap_or(0),
            content_type: r.try_get(2)?,
            body: Body::from_stream(chunk_stream(self.pool.clone(), id.to_string())),
        }))
    }

    pub async fn attachment_count(&self) -> AppResult<u64> {
        let client = self.pool.get().await?;
        let n: i64 = client
            .query_one("SELECT count(*) FROM attachments", &[])
            .await?
            .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    // -- meta ---------------------------------------------------------------------------------

    pub async fn meta_get(&self, key: &str) -> AppResult<Option<String>> {
        let client = self.pool.get().await?;
        Ok(client
            .query_opt("SELECT value FROM meta WHERE key = $1", &[&key])
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    pub async fn meta_claim(&self, key: &str, value: &str) -> AppResult<bool> {
        let client = self.pool.get().await?;
        Ok(client
            .execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                &[&key, &value],
            )
            .await?
            == 1)
    }

    pub async fn meta_delete(&self, key: &str) -> AppResult<()> {
        let client = self.pool.get().await?;
        client
            .execute("DELETE FROM meta WHERE key = $1", &[&key])
            .await?;
        Ok(())
    }
}

/// The attachment's chunks in order, each fetched when the client is ready for it, on a pooled
/// connection held only for that one query: a slow download occupies no connection.
fn chunk_stream(
    pool: Pool,
    id: String,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::unfold(Some(0i32), move |seq| {
        let (pool, id) = (pool.clone(), id.clone());
        async move {
            let seq = seq?;
            let next = async {
                let client = pool.get().await.map_err(std::io::Error::other)?;
                let st = client
                    .prepare_cached(
                        "SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND seq = $2",
                    )
                    .await
                    .map_err(std::io::Error::other)?;
                let row = client
                    .query_opt(&st, &[&id, &seq])
                    .await
                    .map_err(std::io::Error::other)?;
                row.map(|r| r.try_get::<_, Vec<u8>>(0))
                    .transpose()
                    .map_err(std::io::Error::other)
            };
            match next.await {
                Ok(Some(data)) => Some((Ok(Bytes::from(data)), seq.checked_add(1))),
                Ok(None) => None,
                // The headers are out: the error ends the response early, which the client sees
                // as a cut-off download against its Content-Length.
                Err(e) => Some((Err(e), None)),
            }
        }
    })
}

/// The seller's id, creating the seller if new. A concurrent insert of the same name waits for
/// the other transaction and then finds its row.
async fn upsert_seller(c: &impl GenericClient, seller: &str, now: i64) -> AppResult<i64> {
    let inserted = c
        .query_opt(
            "INSERT INTO sellers (name, created_at) VALUES ($1, $2)
             ON CONFLICT (name) DO NOTHING RETURNING id",
            &[&seller, &now],
        )
        .await?;
    Ok(match inserted {
        Some(r) => r.try_get(0)?,
        None => c
            .query_one("SELECT id FROM sellers WHERE name = $1", &[&seller])
            .await?
            .try_get(0)?,
    })
}

/// Borrowed parameters for a query built at run time.
fn refs(args: &[Box<dyn ToSql + Sync + Send>]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|a| &**a as &(dyn ToSql + Sync)).collect()
}

/// `%`, `_` and the escape character itself, escaped for a LIKE pattern.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn row_id(id: u64) -> AppResult<i64> {
    i64::try_from(id).map_err(AppError::internal)
}

fn dialog_from_row(r: &Row) -> AppResult<DialogRow> {
    let status: String = r.try_get(4)?;
    let close_reason: Option<String> = r.try_get(9)?;
    let rating: Option<i16> = r.try_get(10)?;
    let reasons: String = r.try_get(12)?;
    let id: i64 = r.try_get(0)?;
    Ok(DialogRow {
        id: u64::try_from(id).unwrap_or(0),
        seller_id: r.try_get(1)?,
        category_id: r.try_get(2)?,
        theme_id: r.try_get(3)?,
        // The CHECK constraint admits only the three wire names.
        status: DialogStatus::parse(&status).unwrap_or(DialogStatus::Waiting),
        created_at: r.try_get(5)?,
        updated_at: r.try_get(6)?,
        answered_at: r.try_get(7)?,
        closed_at: r.try_get(8)?,
        close_reason: close_reason.as_deref().and_then(CloseReason::parse),
        rating: rating.and_then(|x| u8::try_from(x).ok()),
        resolve_comment: r.try_get(11)?,
        resolve_reasons: reasons
            .split(',')
            .filter_map(ResolveReason::parse)
            .collect(),
        unread: u32::try_from(r.try_get::<_, i32>(13)?).unwrap_or(0),
        follows: r
            .try_get::<_, Option<i64>>(14)?
            .and_then(|f| u64::try_from(f).ok()),
    })
}

/// One dialog of the seller (`None`: any seller); `lock` takes its row lock until the end of
/// the transaction.
async fn load_dialog(
    c: &impl GenericClient,
    id: u64,
    seller: Option<i64>,
    lock: bool,
) -> AppResult<DialogRow> {
    let Ok(id) = i64::try_from(id) else {
        return Err(AppError::dialog_not_found());
    };
    let sql = format!(
        "SELECT {DIALOG_COLS} FROM dialogs WHERE id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    let st = c.prepare_cached(&sql).await?;
    match c.query_opt(&st, &[&id]).await? {
        // Another seller's dialog is indistinguishable from a missing one.
        Some(r) => {
            let row = dialog_from_row(&r)?;
            if seller.is_none_or(|s| s == row.seller_id) {
                Ok(row)
            } else {
                Err(AppError::dialog_not_found())
            }
        }
        None => Err(AppError::dialog_not_found()),
    }
}

async fn detail(c: &impl GenericClient, row: &DialogRow, views: &Views) -> AppResult<DialogView> {
    let id = row_id(row.id)?;
    let st = c
        .prepare_cached(
            "SELECT id FROM dialogs WHERE follows = $1 AND seller_id = $2
             ORDER BY created_at, id LIMIT $3",
        )
        .await?;
    let max = i64::try_from(MAX_FOLLOWED_BY).unwrap_or(i64::MAX);
    let mut followed_by = Vec::new();
    for r in c.query(&st, &[&id, &row.seller_id, &max]).await? {
        followed_by.push(u64::try_from(r.try_get::<_, i64>(0)?).unwrap_or(0));
    }
    let st = c
        .prepare_cached(
            "SELECT id, author, text, created_at FROM messages WHERE dialog_id = $1 ORDER BY id",
        )
        .await?;
    let mut messages = Vec::new();
    for r in c.query(&st, &[&id]).await? {
        let mid: i64 = r.try_get(0)?;
        let author: String = r.try_get(1)?;
        messages.push(Message {
            id: u64::try_from(mid).unwrap_or(0),
            author: if author == "support" {
                Author::Support
            } else {
                Author::Seller
            },
            text: r.try_get(2)?,
            created_at: r.try_get(3)?,
            attachments: Vec::new(),
        });
    }
    let st = c
        .prepare_cached(
            "SELECT a.message_id, a.id, a.name, a.size, a.content_type FROM attachments a
             JOIN messages m ON m.id = a.message_id WHERE m.dialog_id = $1 ORDER BY a.n",
        )
        .await?;
    for r in c.query(&st, &[&id]).await? {
        let mid: i64 = r.try_get(0)?;
        let size: i64 = r.try_get(3)?;
        let info = AttachmentInfo {
            id: r.try_get(1)?,
            name: r.try_get(2)?,
            size: u64::try_from(size).unwrap_or(0),
            content_type: r.try_get(4)?,
        };
        let mid = u64::try_from(mid).unwrap_or(0);
        if let Some(m) = messages.iter_mut().find(|m| m.id == mid) {
            m.attachments.push(info);
        }
    }
    Ok(DialogView {
        detail: DialogDetail {
            summary: row.summary(&views.catalog, views.auto_close_ms),
            messages,
            resolution: row.resolution(),
        },
        unread: row.unread,
        last_activity_at: row.updated_at,
        follows: row.follows,
        followed_by,
    })
}

/// The seller's dialogs with at least one unread support message.
async fn unread_dialogs(c: &impl GenericClient, seller_id: i64) -> AppResult<u64> {
    let st = c
        .prepare_cached("SELECT count(*) FROM dialogs WHERE seller_id = $1 AND unread > 0")
        .await?;
    let n: i64 = c.query_one(&st, &[&seller_id]).await?.try_get(0)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Writes an event about the dialog as it is now (call it after the change, in the same
/// transaction); every instance is notified of it at the commit.
///
/// Event ids come from a sequence, and a smaller id can commit after a larger one; a stream
/// that had read the larger would then never see the smaller. So the writer first takes the
/// seller's row lock (`FOR NO KEY UPDATE`, which does not block the foreign-key checks of other
/// writes), held to the commit: one seller's events are numbered and committed in turn, which
/// is all a stream needs, since it reads one seller's events. Sellers do not wait on each other.
async fn record_event(
    tx: &impl GenericClient,
    views: &Views,
    dialog_id: u64,
    kind: EventKind,
    message: Option<MessageNote>,
    now: i64,
) -> AppResult<Recorded> {
    let row = load_dialog(tx, dialog_id, None, false).await?;
    let lock = tx
        .prepare_cached("SELECT 1 FROM sellers WHERE id = $1 FOR NO KEY UPDATE")
        .await?;
    tx.execute(&lock, &[&row.seller_id]).await?;
    let data = DialogChange {
        dialog_id,
        status: row.status,
        close_reason: (row.status == DialogStatus::Closed)
            .then_some(row.close_reason)
            .flatten(),
        dialog: row.item(&views.catalog, views.auto_close_ms),
        message,
        follows: if kind == EventKind::Created {
            row.follows
        } else {
            None
        },
        unread_dialogs: unread_dialogs(tx, row.seller_id).await?,
    };
    let payload = serde_json::to_string(&data).map_err(AppError::internal)?;
    let insert = tx
        .prepare_cached(
            "INSERT INTO events (seller_id, dialog_id, kind, payload, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .await?;
    let id: i64 = tx
        .query_one(
            &insert,
            &[
                &row.seller_id,
                &row_id(dialog_id)?,
                &kind.as_str(),
                &payload,
                &now,
            ],
        )
        .await?
        .try_get(0)?;
    // Delivered to every listening instance when (and only if) the transaction commits.
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&EVENTS_CHANNEL, &format!("{}:{id}", row.seller_id)],
    )
    .await?;
    Ok(Recorded {
        seller_id: row.seller_id,
        id,
    })
}

/// Deletes events older than the retention and, per seller, all but the newest kept count,
/// raising each seller's floor to the highest id deleted; returns how many were deleted.
async fn prune_events(
    client: &mut deadpool_postgres::Object,
    now: i64,
    keep: Retention,
) -> AppResult<usize> {
    let tx = client.transaction().await?;
    let cutoff = now.saturating_sub(keep.keep_ms.max(0));
    let per_seller = i64::try_from(keep.per_seller).unwrap_or(i64::MAX);
    // The newest id to drop per seller: past the age limit, or past the count limit. In seller
    // order, so two instances purging at once take the sellers' locks in the same order.
    let drop_upto = tx
        .query(
            "SELECT seller_id, max(id) FROM (
                 SELECT seller_id, id FROM events WHERE created_at < $1
                 UNION ALL
                 SELECT seller_id, id FROM (
                     SELECT seller_id, id,
                            row_number() OVER (PARTITION BY seller_id ORDER BY id DESC) AS n
                     FROM events WHERE seller_id IN
                         (SELECT seller_id FROM events GROUP BY seller_id HAVING count(*) > $2)
                 ) ranked WHERE n > $2
             ) due GROUP BY seller_id ORDER BY seller_id",
            &[&cutoff, &per_seller],
        )
        .await?;
    let mut deleted = 0;
    for r in drop_upto {
        let (seller, upto): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        deleted += tx
            .execute(
                "DELETE FROM events WHERE seller_id = $1 AND id <= $2",
                &[&seller, &upto],
            )
            .await?;
        tx.execute(
            "UPDATE sellers SET events_floor = GREATEST(events_floor, $2) WHERE id = $1",
            &[&seller, &upto],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
}

/// Keeps a `LISTEN` connection open for the life of the store and wakes the hub's streams for
/// every notification. The first attempt reports through `ready` (the start fails without it);
/// later ones retry with a growing pause, and each new connection wakes every stream, since
/// notifications sent while it was away are lost.
async fn listen(
    config: tokio_postgres::Config,
    hub: Weak<Hub>,
    stop: CancellationToken,
    ready: tokio::sync::oneshot::Sender<Result<(), String>>,
) {
    let mut ready = Some(ready);
    let mut pause = Duration::from_millis(200);
    loop {
        let ended = listen_once(&config, &hub, &stop, &mut ready).await;
        if stop.is_cancelled() || hub.strong_count() == 0 {
            return;
        }
        if let Some(first) = ready.take() {
            let _ = first.send(ended);
            return;
        }
        if let Err(e) = ended {
            tracing::warn!(error = %e, "event listener lost its connection; reconnecting");
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(pause) => {}
        }
        pause = (pause * 2).min(Duration::from_secs(10));
    }
}

/// One listening connection, until it fails or the store is dropped.
async fn listen_once(
    config: &tokio_postgres::Config,
    hub: &Weak<Hub>,
    stop: &CancellationToken,
    ready: &mut Option<tokio::sync::oneshot::Sender<Result<(), String>>>,
) -> Result<(), String> {
    let (client, mut conn) = config.connect(NoTls).await.map_err(|e| e.to_string())?;
    // The connection only makes progress while it is polled: the notifications below and the
    // LISTEN itself both go through this one stream.
    let mut messages = futures_util::stream::poll_fn(move |cx| conn.poll_message(cx));
    let sql = format!("LISTEN {EVENTS_CHANNEL}");
    let listen = client.batch_execute(&sql);
    tokio::pin!(listen);
    let mut listening = false;
    loop {
        tokio::select! {
            () = stop.cancelled() => return Ok(()),
            done = &mut listen, if !listening => {
                done.map_err(|e| e.to_string())?;
                listening = true;
                if let Some(first) = ready.take() {
                    let _ = first.send(Ok(()));
                }
                match hub.upgrade() {
                    Some(h) => h.wake_all(),
                    None => return Ok(()),
                }
            }
            message = messages.next() => match message {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    let Some(h) = hub.upgrade() else { return Ok(()) };
                    if let Some(e) = parse_notification(n.payload()) {
                        h.publish(&[e]);
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.to_string()),
                None => return Err("connection closed".to_string()),
            },
        }
    }
}

/// `<seller id>:<event id>`.
fn parse_notification(payload: &str) -> Option<Recorded> {
    let (seller, id) = payload.split_once(':')?;
    Some(Recorded {
        seller_id: seller.parse().ok()?,
        id: id.parse().ok()?,
    })
}

async fn idempotent_request(
    c: &impl GenericClient,
    seller_id: i64,
    key: &str,
    now: i64,
) -> AppResult<Option<Stored>> {
    let st = c
        .prepare_cached(
            "SELECT dialog_id, kind, request_hash FROM idempotency
             WHERE seller_id = $1 AND key = $2 AND created_at > $3",
        )
        .await?;
    let cutoff = now.saturating_sub(idempotency::KEY_TTL_MS);
    let Some(r) = c.query_opt(&st, &[&seller_id, &key, &cutoff]).await? else {
        return Ok(None);
    };
    let id: i64 = r.try_get(0)?;
    let kind: String = r.try_get(1)?;
    Ok(Some(Stored {
        dialog_id: u64::try_from(id).unwrap_or(0),
        kind: if kind == "reply" {
            Kind::Reply
        } else {
            Kind::Create
        },
        request_hash: r.try_get(2)?,
    }))
}

/// The dialog an earlier create with this key made, if the key was used for this very request
/// (422 for another request).
async fn replay_created(
    c: &impl GenericClient,
    seller_id: i64,
    k: &IdemKey,
    now: i64,
) -> AppResult<Option<Created>> {
    let stored = idempotent_request(c, seller_id, &k.key, now).await?;
    match idempotency::replay(stored, Kind::Create, &k.fingerprint)? {
        Some(id) => {
            let row = load_dialog(c, id, Some(seller_id), false).await?;
            Ok(Some(Created {
                id,
                created_at: row.created_at,
            }))
        }
        None => Ok(None),
    }
}

/// Claims (seller, key) for this request: inserts the row, or takes over an expired one.
/// `false` when a live row exists: another request with the key committed first. A concurrent
/// claim of the same key waits here until the other transaction ends, so exactly one wins.
async fn claim_key(
    tx: &impl GenericClient,
    seller_id: i64,
    k: &IdemKey,
    dialog_id: u64,
    kind: Kind,
    now: i64,
) -> AppResult<bool> {
    let st = tx
        .prepare_cached(
            "INSERT INTO idempotency (seller_id, key, dialog_id, kind, request_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (seller_id, key) DO UPDATE SET dialog_id = EXCLUDED.dialog_id,
                 kind = EXCLUDED.kind, request_hash = EXCLUDED.request_hash,
                 created_at = EXCLUDED.created_at
             WHERE idempotency.created_at <= $7
             RETURNING 1",
        )
        .await?;
    let expired = now.saturating_sub(idempotency::KEY_TTL_MS);
    Ok(tx
        .query_opt(
            &st,
            &[
                &seller_id,
                &k.key,
                &row_id(dialog_id)?,
                &kind.as_str(),
                &k.fingerprint,
                &now,
                &expired,
            ],
        )
        .await?
        .is_some())
}

/// Appends a message with its attachments, copying each staged file into chunks.
async fn insert_message(
    tx: &impl GenericClient,
    dialog_id: u64,
    author: Author,
    text: &str,
    files: &[StagedFile],
    now: i64,
) -> AppResult<i64> {
    let author_s = match author {
        Author::Seller => "seller",
        Author::Support => "support",
    };
    let st = tx
        .prepare_cached(
            "INSERT INTO messages (dialog_id, author, text, created_at, search)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .await?;
    let mid: i64 = tx
        .query_one(
            &st,
            &[
                &row_id(dialog_id)?,
                &author_s,
                &text,
                &now,
                &text.to_lowercase(),
            ],
        )
        .await?
        .try_get(0)?;
    if files.is_empty() {
        return Ok(mid);
    }
    let att = tx
        .prepare_cached(
            "INSERT INTO attachments (id, message_id, name, size, content_type)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .await?;
    let chunk = tx
        .prepare_cached(
            "INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES ($1, $2, $3)",
        )
        .await?;
    let mut buf = vec![0u8; CHUNK_BYTES];
    for f in files {
        let a = f.attachment();
        let size = i64::try_from(a.size).map_err(AppError::internal)?;
        tx.execute(&att, &[&a.id, &mid, &a.name, &size, &a.content_type])
            .await?;
        let mut file = tokio::fs::File::open(f.path()).await?;
        let mut seq: i32 = 0;
        loop {
            let n = read_full(&mut file, &mut buf).await?;
            if n == 0 {
                break;
            }
            let data: &[u8] = &buf[..n];
            tx.execute(&chunk, &[&a.id, &seq, &data]).await?;
            seq = seq
                .checked_add(1)
                .ok_or_else(|| AppError::internal("too many chunks"))?;
            if n < buf.len() {
                break;
            }
        }
    }
    Ok(mid)
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
async fn read_full(file: &mut tokio::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = file.read(&mut buf[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::{like_escape, parse_notification};

    #[test]
    fn notifications_name_seller_and_event() {
        let r = parse_notification("12:345").expect("parsed");
        assert_eq!((r.seller_id, r.id), (12, 345));
        assert!(parse_notification("12").is_none());
        assert!(parse_notification("a:1").is_none());
    }

    #[test]
    fn like_patterns_match_the_text_literally() {
        assert_eq!(like_escape("100%_a\\b"), "100\\%\\_a\\\\b");
        assert_eq!(like_escape("штраф"), "штраф");
    }
}
