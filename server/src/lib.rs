//! Reference API server of the seller support desk.
//!
//! [`app`] builds the whole router from an [`AppState`], so tests drive it with
//! `tower::ServiceExt::oneshot` and no socket; `main.rs` only parses the CLI and serves it.

pub mod auth;
pub mod db;
pub mod demo;
pub mod disk;
pub mod error;
pub mod events;
pub mod idempotency;
pub mod limits;
pub mod messages;
pub mod openapi;
pub mod routes;
pub mod serve;
pub mod store;
pub mod upload;
pub mod web;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use domain::catalog::Catalog;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::timeout::{RequestBodyDeadlineLayer, RequestBodyTimeoutLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Current time in unix milliseconds. Injected so tests can move time (auto-close).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    })
}

/// Largest accepted request body: the 50 MiB attachment budget plus room for the comment and
/// the multipart framing. A body past it gets 413 `payload_too_large`; a body under it whose
/// files break the policy gets the policy's own code (`total_too_large`, `too_large`).
pub const BODY_LIMIT: usize = domain::attachments::MAX_TOTAL_BYTES as usize + 2 * 1024 * 1024;

/// Demo agent token when `--demo` is on and no `--agent-token` is given.
pub const DEMO_AGENT_TOKEN: &str = "demo-agent";

/// Server settings (the CLI flags).
#[derive(Debug, Clone)]
pub struct Config {
    /// Holds `tmp/` (uploads being received) and, with SQLite, `support.db` and `files/`.
    pub data_dir: PathBuf,
    /// Where the data lives; `None`: SQLite at `<data_dir>/support.db`.
    pub database: Option<store::Location>,
    /// Connections of the PostgreSQL pool.
    pub database_pool: usize,
    /// The built app to serve, if any.
    pub dist: Option<PathBuf>,
    /// Demo sellers and data, `/api/dev/login`, default agent token.
    pub demo: bool,
    /// Answered dialogs close by themselves after this long.
    pub auto_close_after: Duration,
    /// Bearer token of the support agent endpoint; `None` disables the endpoint.
    pub agent_token: Option<String>,
    /// Value of CSP `frame-ancestors`.
    pub frame_ancestors: String,
    /// Rate limits of login, create, reply and download; `None` turns them off (benchmarks).
    pub rate_limits: Option<limits::RateLimits>,
    /// A request body that sends nothing for this long is cut off (408).
    pub body_idle_timeout: Duration,
    /// A request body must have arrived within this long (408), however steadily it trickles.
    pub body_deadline: Duration,
    /// Requests handled at once; more wait for a free slot.
    pub max_concurrent_requests: usize,
    /// The server is reached over HTTPS only: the session cookie gets `Secure` and the
    /// `__Host-` name prefix (no `Domain`, `Path=/`: no subdomain can set or shadow it).
    pub secure_cookie: bool,
    /// Writes that would leave less free space than this on the data directory's disk are
    /// refused up front with 507, so a full disk never cuts a write in half.
    pub min_free_disk_bytes: u64,
    /// Event streams (`GET /api/events`) one seller may keep open; more get 429.
    pub max_event_streams_per_seller: usize,
    /// Event streams open in all; more get 503.
    pub max_event_streams: usize,
    /// A comment line goes down an idle event stream this often, so proxies keep it open.
    pub event_heartbeat: Duration,
    /// Events are kept this long for replays after a reconnect (older ones: `resync`).
    pub event_retention: Duration,
    /// And at most this many per seller.
    pub events_kept_per_seller: usize,
}

impl Config {
    /// Defaults for a data directory (no dist, no demo, 3 days, no agent).
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            database: None,
            database_pool: 16,
            dist: None,
            demo: false,
            auto_close_after: Duration::from_millis(
                domain::status::DEFAULT_AUTO_CLOSE_MS.unsigned_abs(),
            ),
            agent_token: None,
            frame_ancestors: "'self'".to_string(),
            rate_limits: Some(limits::RateLimits::default()),
            body_idle_timeout: Duration::from_secs(30),
            // 50 MiB at ~1 Mbit/s is 7 minutes.
            body_deadline: Duration::from_secs(15 * 60),
            max_concurrent_requests: 256,
            secure_cookie: false,
            min_free_disk_bytes: 64 * 1024 * 1024,
            // A seller rarely has more tabs of the desk open; each stream is a connection.
            max_event_streams_per_seller: 8,
            max_event_streams: 10_000,
            // Below the 30–60 s idle timeouts of common proxies and load balancers.
            event_heartbeat: Duration::from_secs(20),
            // A laptop closed overnight still catches up without reloading.
            event_retention: Duration::from_secs(24 * 3600),
            events_kept_per_seller: 1000,
        }
    }

    /// The session cookie's name: [`domain::api::SESSION_COOKIE`], with the `__Host-` prefix
    /// under [`Config::secure_cookie`].
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookie {
            auth::SECURE_SESSION_COOKIE
        } else {
            domain::api::SESSION_COOKIE
        }
    }

    /// Where the data lives: `--database`, or SQLite in the data directory.
    pub fn location(&self) -> store::Location {
        self.database
            .clone()
            .unwrap_or_else(|| store::Location::Sqlite(self.data_dir.join("support.db")))
    }

    /// The auto-close period in milliseconds.
    pub fn auto_close_ms(&self) -> i64 {
        i64::try_from(self.auto_close_after.as_millis()).unwrap_or(i64::MAX)
    }

    /// The agent token in force: the configured one, or [`DEMO_AGENT_TOKEN`] in demo mode.
    pub fn effective_agent_token(&self) -> Option<&str> {
        match &self.agent_token {
            Some(t) if !t.is_empty() => Some(t.as_str()),
            _ if self.demo => Some(DEMO_AGENT_TOKEN),
            _ => None,
        }
    }
}

/// Everything the handlers share.
pub struct Inner {
    pub config: Config,
    pub store: store::Store,
    pub catalog: Arc<Catalog>,
    pub clock: Clock,
    /// The rate limiters, shared by every clone of the router; `None` when limits are off.
    pub limiters: Option<limits::Limiters>,
    /// Open event streams and their wake-ups.
    pub events: Arc<events::Hub>,
}

/// Cheap to clone handle on [`Inner`].
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Creates the data directory layout, opens and migrates the store, removes leftovers of
    /// interrupted uploads, and seeds the demo data when asked.
    pub async fn open(config: Config, clock: Clock) -> anyhow::Result<AppState> {
        std::fs::create_dir_all(tmp_dir(&config.data_dir))?;
        // Uploads being received when the process stopped; nothing refers to them. Each
        // instance has a data directory of its own, so these are all this process's.
        for e in std::fs::read_dir(tmp_dir(&config.data_dir))? {
            let p = e?.path();
            if p.is_file() {
                std::fs::remove_file(&p)?;
            }
        }
        let catalog = Arc::new(Catalog::builtin());
        let views = store::Views {
            catalog: catalog.clone(),
            auto_close_ms: config.auto_close_ms(),
        };
        let events = events::Hub::new(
            config.max_event_streams_per_seller,
            config.max_event_streams,
        );
        // The store wakes the hub's streams after its commits (and, on PostgreSQL, after the
        // other instances' commits too).
        let store = store::Store::open(
            &config.location(),
            &config.data_dir,
            views,
            config.database_pool,
            events.clone(),
        )
        .await?;
        let limiters = config.rate_limits.map(limits::Limiters::new);
        let state = AppState(Arc::new(Inner {
            config,
            store,
            catalog,
            clock,
            limiters,
            events,
        }));
        let purged = state
            .store
            .purge_expired(state.now(), state.event_retention())
            .await
            .map_err(anyhow_error)?;
        if purged.sessions > 0 {
            tracing::info!(purged = purged.sessions, "removed expired sessions");
        }
        if state.config.demo {
            demo::seed(&state).await?;
        }
        Ok(state)
    }

    /// Current time, unix milliseconds.
    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    pub fn tmp_dir(&self) -> PathBuf {
        tmp_dir(&self.config.data_dir)
    }

    /// How long, and how many, events are kept for replays.
    pub fn event_retention(&self) -> store::Retention {
        store::Retention {
            keep_ms: i64::try_from(self.config.event_retention.as_millis()).unwrap_or(i64::MAX),
            per_seller: self.config.events_kept_per_seller,
        }
    }

    /// Deletes expired sessions and idempotency keys now (start-up, the periodic task and
    /// tests call this), and lets the rate limiters forget idle keys. Returns the sessions
    /// deleted.
    pub async fn purge_sessions_now(&self) -> error::AppResult<usize> {
        if let Some(l) = &self.limiters {
            l.retain_recent();
        }
        let purged = self
            .store
            .purge_expired(self.now(), self.event_retention())
            .await?;
        if purged.idempotency_keys > 0 {
            tracing::info!(
                keys = purged.idempotency_keys,
                "removed expired idempotency keys"
            );
        }
        if purged.events > 0 {
            tracing::info!(events = purged.events, "removed old events");
        }
        Ok(purged.sessions)
    }

    /// Closes due dialogs now (the periodic task and tests call this); returns how many.
    pub async fn auto_close_now(&self) -> error::AppResult<usize> {
        self.store.auto_close_due(self.now()).await
    }
}

/// An [`error::AppError`] where start-up wants an `anyhow::Error`.
pub fn anyhow_error(e: error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", e.body.code, e.body.message)
}

fn tmp_dir(data: &Path) -> PathBuf {
    data.join("tmp")
}

/// The whole HTTP application: `/api/*`, the OpenAPI document, the app's static files with the
/// SPA fallback, security headers and request logs.
pub fn app(state: AppState) -> Router {
    let config = &state.config;
    Router::new()
        .merge(routes::api_router(state.limiters.as_ref()))
        .fallback(web::static_or_spa)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::security_headers,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyTimeoutLayer::new(config.body_idle_timeout))
        .layer(RequestBodyDeadlineLayer::new(config.body_deadline))
        .layer(GlobalConcurrencyLimitLayer::new(
            config.max_concurrent_requests.max(1),
        ))
        .layer(
            // One INFO line per request (method, path, status, latency); RUST_LOG tunes it.
            // The path only: a query string carries the seller's search text.
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}

/// Closes due dialogs every `every` until the runtime stops.
pub fn spawn_auto_close(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    spawn_every(every, true, move || {
        let state = state.clone();
        async move {
            match state.auto_close_now().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "auto-closed answered dialogs"),
                Err(e) => tracing::warn!(error = %e.body.message, "auto-close failed"),
            }
        }
    })
}

/// Deletes expired sessions every `every` until the runtime stops. Every page load in demo mode
/// without a session makes one (see [`auth::demo_page_session`]), so the table would otherwise
/// only grow. Start-up has just purged, so the first round waits a full period.
pub fn spawn_session_purge(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    spawn_every(every, false, move || {
        let state = state.clone();
        async move {
            match state.purge_sessions_now().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(purged = n, "removed expired sessions"),
                Err(e) => tracing::warn!(error = %e.body.message, "session purge failed"),
            }
        }
    })
}

/// Runs `job` every `every` (at once too when `now` is set) until the runtime stops. A slow round
/// delays the next instead of bunching the missed ones up.
fn spawn_every<F, Fut>(every: Duration, now: bool, job: F) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // An interval's first tick is immediate.
        if !now {
            tick.tick().await;
        }
        loop {
            tick.tick().await;
            job().await;
        }
    })
}

/// Parses a duration like `3d`, `10s`, `2h`, `90m`, `500ms` or `1h30m` (units ms, s, m, h, d, w).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration".to_string());
    }
    let mut total: u64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("expected a number in {s:?}"));
        }
        let n: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("number too large in {s:?}"))?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit_ms: u64 = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "" => return Err(format!("missing unit (ms, s, m, h, d, w) in {s:?}")),
            u => return Err(format!("unknown unit {u:?} in {s:?}")),
        };
        rest = &rest[unit_len..];
        total = n
            .checked_mul(unit_ms)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(|| format!("duration too large: {s:?}"))?;
    }
    if total == 0 {
        return Err("duration must be positive".to_string());
    }
    Ok(Duration::from_millis(total))
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3d"), Ok(Duration::from_secs(3 * 86400)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        for bad in ["", "3", "d", "3x", "0s", "-1s", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
