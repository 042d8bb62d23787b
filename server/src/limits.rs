//! Bounded work per request and per seller: rate limits (per seller and per IP, with
//! `tower_governor`), and the mapping of body timeouts to the API's error.
//!
//! A seller is known by the session cookie; an IP by the socket's peer address
//! ([`axum::extract::ConnectInfo`], set by [`crate::serve`]). Requests without a peer address
//! (tests driving the router directly) share one IP bucket. Behind a reverse proxy every
//! request comes from the proxy's address, so the per-IP limits then act as a global limit:
//! raise them (or rate-limit at the proxy) there.

use crate::error::AppError;
use crate::messages;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::MethodRouter;
use governor::middleware::NoOpMiddleware;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::KeyExtractor;

/// One limit: a burst of `burst` requests, then one more every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub every: Duration,
}

impl Rate {
    pub const fn new(burst: u32, every: Duration) -> Rate {
        Rate { burst, every }
    }
}

/// The limit of one endpoint per seller (`None`: no per-seller limit, e.g. login, which has no
/// session yet) and per IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointRate {
    pub seller: Option<Rate>,
    pub ip: Rate,
}

/// The rate limits of the endpoints that cost the server work or guard a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub login: EndpointRate,
    pub create: EndpointRate,
    pub reply: EndpointRate,
    pub download: EndpointRate,
}

impl Default for RateLimits {
    /// Far above what a person does in the app (a seller creating ten dialogs in a row, opening
    /// a hundred attachments), far below what a script does. Per IP several sellers behind one
    /// office NAT fit.
    fn default() -> RateLimits {
        let s = Duration::from_secs;
        RateLimits {
            login: EndpointRate {
                seller: None,
                ip: Rate::new(10, s(6)),
            },
            create: EndpointRate {
                seller: Some(Rate::new(10, s(30))),
                ip: Rate::new(60, s(2)),
            },
            reply: EndpointRate {
                seller: Some(Rate::new(30, s(5))),
                ip: Rate::new(120, s(1)),
            },
            download: EndpointRate {
                seller: Some(Rate::new(120, Duration::from_millis(250))),
                ip: Rate::new(600, Duration::from_millis(50)),
            },
        }
    }
}

/// The seller's key: the session cookie (hashed, so the limiter's memory holds no secret).
/// Requests without one share a bucket; they are answered 401 anyway.
#[derive(Debug, Clone, Copy)]
pub struct SellerKey;

impl KeyExtractor for SellerKey {
    type Key = u64;

    fn extract<T>(&self, req: &Request<T>) -> Result<u64, GovernorError> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        crate::auth::any_session_token(req.headers()).hash(&mut h);
        Ok(h.finish())
    }
}

/// The peer's IP address.
#[derive(Debug, Clone, Copy)]
pub struct IpKey;

impl KeyExtractor for IpKey {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

type Config<K> = Arc<GovernorConfig<K, NoOpMiddleware>>;

fn config<K: KeyExtractor>(key: K, rate: Rate) -> Config<K> {
    // `finish` only fails for a zero burst or period; clamp them instead of failing start-up.
    let mut b = GovernorConfigBuilder::default().key_extractor(key);
    b.period(rate.every.max(Duration::from_nanos(1)))
        .burst_size(rate.burst.max(1));
    match b.finish() {
        Some(c) => Arc::new(c),
        None => unreachable!("burst and period are positive"),
    }
}

/// The limiters of one endpoint.
#[derive(Clone)]
pub struct EndpointLimiter {
    seller: Option<Config<SellerKey>>,
    ip: Config<IpKey>,
}

impl EndpointLimiter {
    fn new(rate: EndpointRate) -> EndpointLimiter {
        EndpointLimiter {
            seller: rate.seller.map(|r| config(SellerKey, r)),
            ip: config(IpKey, rate.ip),
        }
    }

    /// Wraps an endpoint: the IP limit is checked first, then the seller's, both before the
    /// handler reads the body or touches the database.
    pub fn apply<S>(&self, route: MethodRouter<S>) -> MethodRouter<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        let route = match &self.seller {
            Some(c) => route.layer(GovernorLayer::new(c.clone()).error_handler(too_many_requests)),
            None => route,
        };
        route.layer(GovernorLayer::new(self.ip.clone()).error_handler(too_many_requests))
    }

    fn retain_recent(&self) {
        if let Some(c) = &self.seller {
            c.limiter().retain_recent();
        }
        self.ip.limiter().retain_recent();
    }
}

/// The limiters of every limited endpoint; `None` when limits are off.
#[derive(Clone)]
pub struct Limiters {
    pub login: EndpointLimiter,
    pub create: EndpointLimiter,
    pub reply: EndpointLimiter,
    pub download: EndpointLimiter,
}

impl Limiters {
    pub fn new(rates: RateLimits) -> Limiters {
        Limiters {
            login: EndpointLimiter::new(rates.login),
            create: EndpointLimiter::new(rates.create),
            reply: EndpointLimiter::new(rates.reply),
            download: EndpointLimiter::new(rates.download),
        }
    }

    /// Forgets keys whose buckets are full again, so the limiters' memory follows the active
    /// sellers and addresses, not every one ever seen (the periodic purge calls this).
    pub fn retain_recent(&self) {
        for l in [&self.login, &self.create, &self.reply, &self.download] {
            l.retain_recent();
        }
    }
}

/// Wraps `route` with `limiter` when limits are on.
pub fn limited<S>(limiter: Option<&EndpointLimiter>, route: MethodRouter<S>) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    match limiter {
        Some(l) => l.apply(route),
        None => route,
    }
}

/// 429 with `Retry-After` (whole seconds, at least 1) and the API's JSON error body.
fn too_many_requests(err: GovernorError) -> Response<Body> {
    match err {
        GovernorError::TooManyRequests { wait_time, headers } => {
            let wait = wait_time.max(1);
            let mut res = AppError::new(
                StatusCode::TOO_MANY_REQUESTS,
                domain::api::codes::RATE_LIMITED,
                messages::rate_limited(wait),
            )
            .into_response();
            if let Some(h) = headers {
                for (name, value) in h.iter() {
                    if name != header::CONTENT_TYPE {
                        res.headers_mut().insert(name.clone(), value.clone());
                    }
                }
            }
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
            res
        }
        other => AppError::internal(format!("rate limiter: {other}")).into_response(),
    }
}

/// Whether a body error is a body timeout (idle or total) rather than a broken body.
pub fn is_body_timeout(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cur = e.source();
    }
    false
}
