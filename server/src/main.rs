//! `seller-support-server`: the reference API server; also serves the built app.
//!
//! ```text
//! cargo run --release -p seller-support-server -- --demo --dist dist
//! ```

use clap::Parser;
use seller_support_server::serve::{ServeOptions, serve};
use seller_support_server::store::Location;
use seller_support_server::{
    AppState, Config, app, parse_duration, spawn_auto_close, spawn_session_purge, system_clock,
};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

/// Reference API server of the seller support desk (axum + SQLite or PostgreSQL).
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// Address to listen on.
    #[arg(long, env = "SUPPORT_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Data directory: tmp/ (uploads being received) and, with SQLite, support.db and files/.
    /// One per instance.
    #[arg(long, env = "SUPPORT_DATA", default_value = "./data")]
    data: PathBuf,
    /// Where the data lives: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB (shared by
    /// any number of instances). Default: sqlite://<data>/support.db.
    // The URL carries the password: `--help` must not print the environment's value.
    #[arg(long, env = "SUPPORT_DATABASE", value_parser = Location::parse, hide_env_values = true)]
    database: Option<Location>,
    /// Connections in the PostgreSQL pool of this instance.
    #[arg(long, env = "SUPPORT_DATABASE_POOL", default_value_t = 16)]
    database_pool: usize,
    /// Built app to serve (index.html, hashed assets, optional .br/.gz), with SPA fallback.
    #[arg(long, env = "SUPPORT_DIST")]
    dist: Option<PathBuf>,
    /// Demo mode: sellers "demo" and "other" with dialogs, POST /api/dev/login, agent token
    /// "demo-agent" unless --agent-token is given.
    #[arg(long, env = "SUPPORT_DEMO")]
    demo: bool,
    /// Answered dialogs close by themselves after this long: e.g. 3d, 2h, 10s, 1h30m.
    #[arg(long, env = "SUPPORT_AUTO_CLOSE_AFTER", default_value = "3d", value_parser = parse_duration)]
    auto_close_after: Duration,
    /// Bearer token for POST /api/agent/dialogs/{id}/messages (no agent access without it,
    /// except in demo mode).
    #[arg(long, env = "SUPPORT_AGENT_TOKEN", hide_env_values = true)]
    agent_token: Option<String>,
    /// CSP frame-ancestors value.
    #[arg(long, env = "SUPPORT_FRAME_ANCESTORS", default_value = "'self'")]
    frame_ancestors: String,
    /// Turn the rate limits of login, create, reply and download off (load tests on one
    /// address; never in production).
    #[arg(long, env = "SUPPORT_NO_RATE_LIMITS")]
    no_rate_limits: bool,
    /// Time allowed for a request's line and headers.
    #[arg(long, env = "SUPPORT_HEADER_READ_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    header_read_timeout: Duration,
    /// A request body that sends nothing for this long is cut off (408).
    #[arg(long, env = "SUPPORT_BODY_IDLE_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    body_idle_timeout: Duration,
    /// A request body must have arrived within this long (408).
    #[arg(long, env = "SUPPORT_BODY_DEADLINE", default_value = "15m", value_parser = parse_duration)]
    body_deadline: Duration,
    /// Requests handled at once; more wait for a free slot.
    #[arg(long, env = "SUPPORT_MAX_CONCURRENT_REQUESTS", default_value_t = 256)]
    max_concurrent_requests: usize,
    /// The server is reached over HTTPS only (directly or behind a TLS proxy): the session
    /// cookie gets `Secure` and the `__Host-` name prefix.
    #[arg(long, env = "SUPPORT_SECURE_COOKIE")]
    secure_cookie: bool,
    /// Free disk space to keep, in MiB: uploads that would go below it answer 507.
    #[arg(long, env = "SUPPORT_MIN_FREE_DISK_MIB", default_value_t = 64)]
    min_free_disk_mib: u64,
    /// Event streams (GET /api/events) one seller may keep open; more get 429.
    #[arg(
        long,
        env = "SUPPORT_MAX_EVENT_STREAMS_PER_SELLER",
        default_value_t = 8
    )]
    max_event_streams_per_seller: usize,
    /// Event streams open in all; more get 503. Each is a connection: keep it under the
    /// open-file limit (ulimit -n).
    #[arg(long, env = "SUPPORT_MAX_EVENT_STREAMS", default_value_t = 10_000)]
    max_event_streams: usize,
    /// Heartbeat comment on idle event streams, below the proxies' idle timeouts.
    #[arg(long, env = "SUPPORT_EVENT_HEARTBEAT", default_value = "20s", value_parser = parse_duration)]
    event_heartbeat: Duration,
    /// How long events are kept for replays after a reconnect (older: `resync`).
    #[arg(long, env = "SUPPORT_EVENT_RETENTION", default_value = "24h", value_parser = parse_duration)]
    event_retention: Duration,
    /// Write the OpenAPI document to FILE and exit.
    #[arg(long, value_name = "FILE")]
    dump_openapi: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(path) = &cli.dump_openapi {
        std::fs::write(path, seller_support_server::openapi::document_json())?;
        println!("wrote {}", path.display());
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")),
        )
        .init();
    let mut config = Config::new(cli.data);
    config.database = cli.database;
    config.database_pool = cli.database_pool;
    config.dist = cli.dist;
    config.demo = cli.demo;
    config.auto_close_after = cli.auto_close_after;
    config.agent_token = cli.agent_token;
    config.frame_ancestors = cli.frame_ancestors;
    if cli.no_rate_limits {
        config.rate_limits = None;
    }
    config.body_idle_timeout = cli.body_idle_timeout;
    config.body_deadline = cli.body_deadline;
    config.max_concurrent_requests = cli.max_concurrent_requests;
    config.secure_cookie = cli.secure_cookie;
    config.min_free_disk_bytes = cli.min_free_disk_mib.saturating_mul(1024 * 1024);
    config.max_event_streams_per_seller = cli.max_event_streams_per_seller;
    config.max_event_streams = cli.max_event_streams;
    config.event_heartbeat = cli.event_heartbeat;
    config.event_retention = cli.event_retention;
    let state = AppState::open(config, system_clock()).await?;
    let every =
        (state.config.auto_close_after / 10).clamp(Duration::from_secs(1), Duration::from_secs(60));
    spawn_auto_close(state.clone(), every);
    spawn_session_purge(state.clone(), Duration::from_secs(60 * 60));
    let listener = tokio::net::TcpListener::bind(cli.addr).await?;
    tracing::info!(
        addr = %cli.addr,
        demo = state.config.demo,
        database = state.store.backend(),
        dist = ?state.config.dist,
        "listening on http://{}",
        cli.addr
    );
    let options = ServeOptions {
        header_read_timeout: cli.header_read_timeout,
        ..ServeOptions::default()
    };
    let events = state.events.clone();
    serve(listener, app(state), options, async move {
        shutdown_signal().await;
        // Event streams never end by themselves: end them now, or the graceful shutdown waits
        // its whole grace period for them. Their tabs reconnect and replay what they miss.
        events.close();
    })
    .await?;
    Ok(())
}

/// Ctrl-C, or SIGTERM (what `docker stop` and systemd send).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
