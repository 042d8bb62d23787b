//! A test server on a temp dir, driven through `app()` with `oneshot` (no socket), plus a
//! multipart builder whose big parts stream without being allocated.
//!
//! The backend is SQLite in the temp dir, or, with `SUPPORT_TEST_DATABASE=postgres://…` (an
//! account that may create databases), PostgreSQL: every test server then gets a database of
//! its own on that server, created empty and migrated by the server itself, and dropped again
//! afterwards. The same tests run either way (`scripts/test.sh` runs both).

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body::Frame;
use seller_support_server::store::Location;
use seller_support_server::{AppState, Clock, Config, app};
use serde_json::Value;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tower::ServiceExt;

pub const AGENT: &str = "test-agent";
pub const T0: i64 = 1_750_000_000_000;
pub const PERIOD: Duration = Duration::from_secs(3 * 24 * 3600);

pub struct TestServer {
    pub state: AppState,
    pub router: Router,
    pub dir: tempfile::TempDir,
    pub time: Arc<AtomicI64>,
    /// This test's own PostgreSQL database (URL and name), dropped with the server.
    pub pg: Option<TestDatabase>,
}

/// The PostgreSQL server the tests run against, if any.
pub fn test_database() -> Option<String> {
    std::env::var("SUPPORT_TEST_DATABASE")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// Whether the suite runs against PostgreSQL.
pub fn on_postgres() -> bool {
    test_database().is_some()
}

/// A database created for one test.
pub struct TestDatabase {
    pub url: String,
    name: String,
    admin: String,
}

/// Connects for one statement outside any pool, with the connection driven on this runtime.
async fn admin_client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("SUPPORT_TEST_DATABASE {url}: {e}"));
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

impl TestDatabase {
    /// A new database on the server of `SUPPORT_TEST_DATABASE`, cloned from this process's
    /// migrated template (so each test skips the migrations).
    pub async fn create(admin: &str) -> TestDatabase {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let template = template(admin).await;
        let name = format!(
            "support_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let client = admin_client(admin).await;
        // One statement per call: CREATE DATABASE cannot run inside the implicit transaction of
        // a multi-statement query.
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name} TEMPLATE {template}"),
        ] {
            client
                .batch_execute(&sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        }
        TestDatabase {
            url: database_url(admin, &name),
            name,
            admin: admin.to_string(),
        }
    }
}

fn database_url(admin: &str, name: &str) -> String {
    let mut config: tokio_postgres::Config = admin.parse().expect("postgres URL");
    config.dbname(name);
    pg_url(&config)
}

/// The name of this process's template database: created and migrated by the server's own
/// code on first use. Databases left behind by test processes that are gone are dropped then.
async fn template(admin: &str) -> String {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let client = admin_client(admin).await;
            let stale = client
                .query(
                    "SELECT datname::text FROM pg_database
                     WHERE datname LIKE 'support\\_test\\_%' OR datname LIKE 'support\\_tpl\\_%'",
                    &[],
                )
                .await
                .expect("list databases");
            for row in stale {
                let name: String = row.get(0);
                let pid = name.split('_').nth(2).unwrap_or("");
                if !pid.is_empty() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                    let _ = client
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                }
            }
            let name = format!("support_tpl_{}", std::process::id());
            for sql in [
                format!("DROP DATABASE IF EXISTS {name}"),
                format!("CREATE DATABASE {name}"),
            ] {
                client
                    .batch_execute(&sql)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
            }
            let dir = tempfile::tempdir().expect("temp dir");
            let mut config = Config::new(dir.path());
            config.database = Some(Location::Postgres(database_url(admin, &name)));
            let state = AppState::open(config, Arc::new(|| T0))
                .await
                .expect("migrate the template");
            // Every connection to the template must be gone before it can be copied.
            if let Some(pg) = state.store.postgres() {
                pg.pool().close();
            }
            drop(state);
            for _ in 0..100 {
                let n: i64 = client
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1",
                        &[&name],
                    )
                    .await
                    .expect("activity")
                    .get(0);
                if n == 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            name
        })
        .await
        .clone()
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop is synchronous and the test's runtime may be gone: a thread with a runtime of its
        // own, joined, so the database is gone before the next test starts.
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let client = admin_client(&admin).await;
                let _ = client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            });
        })
        .join();
    }
}

/// A URL for a parsed config (tokio-postgres has no formatter).
fn pg_url(c: &tokio_postgres::Config) -> String {
    let host = match c.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432);
    let user = c.get_user().unwrap_or("postgres");
    let password = c
        .get_password()
        .map(|p| format!(":{}", String::from_utf8_lossy(p)))
        .unwrap_or_default();
    format!(
        "postgres://{user}{password}@{host}:{port}/{}",
        c.get_dbname().unwrap_or("postgres")
    )
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// Asserts an error status with a JSON `{code, message}` body and returns the body.
    pub fn error(&self, status: u16, code: &str) -> Value {
        let v = self.json();
        assert_eq!(self.status.as_u16(), status, "{v}");
        assert_eq!(v["code"], code, "{v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        v
    }
}

impl TestServer {
    pub async fn new() -> TestServer {
        TestServer::with(|_| {}).await
    }

    pub async fn with(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::new(dir.path());
        let pg = match test_database() {
            Some(admin) => Some(TestDatabase::create(&admin).await),
            None => None,
        };
        config.database = pg.as_ref().map(|d| Location::Postgres(d.url.clone()));
        // Tests run in parallel on a shared server: a few connections each are plenty.
        config.database_pool = 4;
        config.auto_close_after = PERIOD;
        config.agent_token = Some(AGENT.to_string());
        // Tests that are not about rate limits send many requests from one seller at once.
        config.rate_limits = None;
        tweak(&mut config);
        let time = Arc::new(AtomicI64::new(T0));
        let t = time.clone();
        let clock: Clock = Arc::new(move || t.load(Ordering::SeqCst));
        let state = AppState::open(config, clock).await.expect("open state");
        let router = app(state.clone());
        TestServer {
            state,
            router,
            dir,
            time,
            pg,
        }
    }

    /// This test's PostgreSQL database, when the suite runs on PostgreSQL.
    pub fn database_url(&self) -> Option<&str> {
        self.pg.as_ref().map(|d| d.url.as_str())
    }

    /// Another server on the same data (the same database, or the same directory): a restart,
    /// or a second instance when on PostgreSQL.
    pub async fn reopen(&self, clock: Clock) -> AppState {
        AppState::open(self.state.config.clone(), clock)
            .await
            .expect("reopen")
    }

    /// Runs a query that returns one integer on whichever backend this is (`count(*)` and
    /// the like: plain SQL both understand).
    pub async fn sql_i64(&self, sql: &str) -> i64 {
        if let Some(s) = self.state.store.sqlite() {
            let sql = sql.to_string();
            return s
                .db()
                .call(move |c| Ok(c.query_row(&sql, [], |r| r.get::<_, i64>(0))?))
                .await
                .expect("sqlite query");
        }
        let pool = self.state.store.postgres().expect("a backend").pool();
        let client = pool.get().await.expect("pool");
        client
            .query_one(sql, &[])
            .await
            .expect("postgres query")
            .get::<_, i64>(0)
    }

    /// Runs a query that returns rows of one text column on whichever backend this is.
    pub async fn sql_strings(&self, sql: &str) -> Vec<String> {
        if let Some(s) = self.state.store.sqlite() {
            let sql = sql.to_string();
            return s
                .db()
                .call(move |c| {
                    let mut st = c.prepare(&sql)?;
                    let v = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
                    Ok(v)
                })
                .await
                .expect("sqlite query");
        }
        let pool = self.state.store.postgres().expect("a backend").pool();
        let client = pool.get().await.expect("pool");
        client
            .query(sql, &[])
            .await
            .expect("postgres query")
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect()
    }

    /// Attachments stored: files under `files/` with SQLite, rows with PostgreSQL (whose bytes
    /// are in the database).
    pub async fn stored_files(&self) -> usize {
        match self.state.store.sqlite() {
            Some(_) => self.files_in("files"),
            None => {
                let n = self.state.store.attachment_count().await.expect("count");
                usize::try_from(n).unwrap_or(usize::MAX)
            }
        }
    }

    pub fn set_time(&self, ms: i64) {
        self.time.store(ms, Ordering::SeqCst);
    }

    pub fn advance(&self, ms: i64) {
        self.time.fetch_add(ms, Ordering::SeqCst);
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = http_body_util::BodyExt::collect(res.into_body())
            .await
            .map(|c| c.to_bytes())
            .unwrap_or_default();
        Resp {
            status,
            headers,
            body,
        }
    }

    /// A session cookie for a seller, created directly in the store (no demo login needed).
    pub async fn login(&self, seller: &str) -> String {
        let token = self
            .state
            .store
            .login(seller, self.state.now())
            .await
            .expect("session");
        format!("support_session={token}")
    }

    pub async fn get(&self, cookie: &str, uri: &str) -> Resp {
        let req = Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    pub async fn post_json(&self, cookie: &str, uri: &str, body: &str) -> Resp {
        let req = Request::post(uri)
            .header(header::COOKIE, cookie)
            .header("X-Requested-With", "seller-support")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    pub async fn post_form(&self, cookie: &str, uri: &str, form: Form, key: Option<&str>) -> Resp {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header("X-Requested-With", "seller-support")
            .header(header::CONTENT_TYPE, form.content_type());
        if let Some(k) = key {
            b = b.header("Idempotency-Key", k);
        }
        self.send(b.body(form.into_body()).unwrap()).await
    }

    pub async fn agent_answer(&self, id: u64, text: &str) -> Resp {
        let req = Request::post(format!("/api/agent/dialogs/{id}/messages"))
            .header(header::AUTHORIZATION, format!("Bearer {AGENT}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::json!({ "text": text }).to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Creates a dialog in the first theme of the first category; returns its number.
    pub async fn create(&self, cookie: &str, comment: &str) -> u64 {
        let (cat, theme) = first_theme();
        let form = Form::new()
            .text("category", &cat)
            .text("theme", &theme)
            .text("comment", comment);
        let r = self.post_form(cookie, "/api/dialogs", form, None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
        r.json()["id"].as_u64().expect("id")
    }

    /// Regular files under a data sub-directory.
    pub fn files_in(&self, sub: &str) -> usize {
        std::fs::read_dir(self.dir.path().join(sub))
            .map(|d| {
                d.filter(|e| e.as_ref().is_ok_and(|e| e.path().is_file()))
                    .count()
            })
            .unwrap_or(0)
    }
}

pub fn first_theme() -> (String, String) {
    let c = domain::catalog::Catalog::builtin();
    let cat = &c.categories[0];
    (cat.id.clone(), cat.themes[0].id.clone())
}

/// One piece of a body: literal bytes, or `len` copies of a byte produced chunk by chunk.
#[derive(Clone)]
enum Piece {
    Bytes(Bytes),
    Repeat(u8, u64),
}

/// A multipart/form-data body builder.
pub struct Form {
    boundary: String,
    pieces: Vec<Piece>,
    /// Cut the body after this many bytes and fail the stream (an interrupted upload).
    fail_after: Option<u64>,
    /// Leave out the closing boundary (a truncated body).
    unterminated: bool,
    /// Stop sending (without ending the body) after this many bytes: a stalled client.
    stall_after: Option<u64>,
}

impl Form {
    pub fn new() -> Form {
        Form {
            boundary: "----test-boundary-7MA4YWxkTrZu0gW".to_string(),
            pieces: Vec::new(),
            fail_after: None,
            unterminated: false,
            stall_after: None,
        }
    }

    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    fn push(&mut self, s: String) {
        self.pieces.push(Piece::Bytes(Bytes::from(s)));
    }

    pub fn text(mut self, name: &str, value: &str) -> Form {
        let b = self.boundary.clone();
        self.push(format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
        self
    }

    /// A file whose content is `head` followed by `fill_len` zero bytes.
    pub fn file(mut self, name: &str, head: &[u8], fill_len: u64) -> Form {
        let b = self.boundary.clone();
        self.push(format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        ));
        self.pieces.push(Piece::Bytes(Bytes::copy_from_slice(head)));
        if fill_len > 0 {
            self.pieces.push(Piece::Repeat(0, fill_len));
        }
        self.push("\r\n".to_string());
        self
    }

    /// A PNG of exactly `size` bytes (signature + zero filler: enough for the content check).
    pub fn png(self, name: &str, size: u64) -> Form {
        let sig = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        self.file(name, &sig, size - sig.len() as u64)
    }

    /// Ends the body without the closing boundary.
    pub fn unterminated(mut self) -> Form {
        self.unterminated = true;
        self
    }

    pub fn stall_after(mut self, bytes: u64) -> Form {
        self.stall_after = Some(bytes);
        self
    }

    pub fn fail_after(mut self, bytes: u64) -> Form {
        self.fail_after = Some(bytes);
        self
    }

    pub fn into_body(mut self) -> Body {
        if !self.unterminated {
            let b = self.boundary.clone();
            self.push(format!("--{b}--\r\n"));
        }
        Body::new(StreamedBody {
            pieces: self.pieces.into_iter().rev().collect(),
            zeros: Bytes::from(vec![0u8; 256 * 1024]),
            sent: 0,
            fail_after: self.fail_after,
            stall_after: self.stall_after,
        })
    }
}

/// Yields the pieces in ≤ 256 KiB frames, reusing one zero buffer for the filler.
struct StreamedBody {
    pieces: Vec<Piece>,
    zeros: Bytes,
    sent: u64,
    fail_after: Option<u64>,
    stall_after: Option<u64>,
}

impl http_body::Body for StreamedBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(limit) = self.fail_after
            && self.sent >= limit
        {
            return Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "client went away",
            ))));
        }
        if let Some(limit) = self.stall_after
            && self.sent >= limit
        {
            // Never ready and never woken: only the server's timeout ends this body.
            return Poll::Pending;
        }
        let Some(piece) = self.pieces.pop() else {
            return Poll::Ready(None);
        };
        let chunk = match piece {
            Piece::Bytes(b) => b,
            Piece::Repeat(byte, len) => {
                let n = len.min(self.zeros.len() as u64);
                if len > n {
                    self.pieces.push(Piece::Repeat(byte, len - n));
                }
                if byte == 0 {
                    self.zeros.slice(..n as usize)
                } else {
                    Bytes::from(vec![byte; n as usize])
                }
            }
        };
        self.sent += chunk.len() as u64;
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }
}
