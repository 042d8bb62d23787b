//! Seller sessions (HttpOnly cookie), the CSRF header check and the agent's bearer token.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use domain::api::{CSRF_HEADER, CSRF_VALUE, SESSION_COOKIE, codes};

/// Session lifetime in seconds (cookie `Max-Age`).
pub const SESSION_MAX_AGE_SECS: u64 = 30 * 24 * 60 * 60;

/// A session not used for this long ends (7 days, in milliseconds), whatever its age.
pub const SESSION_IDLE_MS: i64 = 7 * 24 * 3600 * 1000;

/// The session cookie's name under `--secure-cookie`.
pub const SECURE_SESSION_COOKIE: &str = "__Host-support_session";

/// [`SESSION_MAX_AGE_SECS`] in milliseconds, as the database stores times.
pub fn session_max_age_ms() -> i64 {
    i64::try_from(SESSION_MAX_AGE_SECS * 1000).unwrap_or(i64::MAX)
}

/// The logged-in seller, extracted from the session cookie; 401 without a valid one.
#[derive(Debug, Clone)]
pub struct SellerAuth {
    pub id: i64,
    pub name: String,
    pub token: String,
}

/// The value of the cookie `name` in a `Cookie` header.
pub fn session_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// Either session cookie, for keying rate limits only (never for authentication).
pub fn any_session_token(headers: &HeaderMap) -> Option<String> {
    session_token(headers, SECURE_SESSION_COOKIE).or_else(|| session_token(headers, SESSION_COOKIE))
}

impl FromRequestParts<AppState> for SellerAuth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<SellerAuth, AppError> {
        let token = session_token(&parts.headers, state.config.cookie_name())
            .ok_or_else(AppError::unauthorized)?;
        let found = state
            .store
            .session_seller(&token, state.now())
            .await?
            .ok_or_else(AppError::unauthorized)?;
        Ok(SellerAuth {
            id: found.0,
            name: found.1,
            token,
        })
    }
}

/// Seller name of the demo session: the same one the app's fallback demo login asks for.
pub const DEMO_SELLER: &str = "demo";

/// Demo mode: the `Set-Cookie` of a new session of [`DEMO_SELLER`] for a request that carries no
/// valid session; `None` when it has one (a test's or a seller's own login is never replaced).
///
/// Why: the app's first API calls would otherwise get 401, log in through `/api/dev/login` and
/// retry, and the browser logs each 401 in the console (Lighthouse counts it against best
/// practices). A page served with the session already set lets those first calls succeed. The
/// app keeps its 401 → demo login fallback for builds served by a static host.
pub async fn demo_page_session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<HeaderValue>, AppError> {
    let now = state.now();
    let current = session_token(headers, state.config.cookie_name());
    if let Some(t) = current
        && state.store.session_seller(&t, now).await?.is_some()
    {
        return Ok(None);
    }
    let token = state.store.login(DEMO_SELLER, now).await?;
    Ok(Some(session_cookie(&state.config, &token)))
}

/// `Set-Cookie` for a new session. `Secure` and the `__Host-` name only with
/// [`crate::Config::secure_cookie`]: the reference server usually runs on plain
/// http://127.0.0.1, where a `Secure` cookie would never come back.
pub fn session_cookie(config: &crate::Config, token: &str) -> HeaderValue {
    let v = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_MAX_AGE_SECS}{}",
        config.cookie_name(),
        secure_attr(config)
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn secure_attr(config: &crate::Config) -> &'static str {
    if config.secure_cookie { "; Secure" } else { "" }
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(config: &crate::Config) -> HeaderValue {
    let v = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        config.cookie_name(),
        secure_attr(config)
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Refuses state-changing requests without `X-Requested-With: seller-support` (403 `csrf`).
///
/// Browsers only send custom headers cross-origin after a CORS preflight, which this server never
/// approves, so a foreign page cannot make a seller's browser post with the cookie. The agent
/// endpoint is exempt: it authenticates with a bearer token, not the cookie.
pub async fn require_csrf_header(req: Request, next: Next) -> Result<Response, AppError> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let agent = req.uri().path().starts_with("/api/agent/");
    if !safe && !agent {
        let ok = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == CSRF_VALUE);
        if !ok {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                codes::CSRF,
                crate::messages::csrf_missing(),
            ));
        }
    }
    Ok(next.run(req).await)
}

/// Proof that the request carries the agent's bearer token.
#[derive(Debug, Clone, Copy)]
pub struct AgentAuth;

impl FromRequestParts<AppState> for AgentAuth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<AgentAuth, AppError> {
        let forbidden = || {
            AppError::new(
                StatusCode::UNAUTHORIZED,
                codes::UNAUTHORIZED,
                crate::messages::AGENT_TOKEN_NEEDED,
            )
        };
        let Some(expected) = state.config.effective_agent_token() else {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                codes::FORBIDDEN,
                crate::messages::AGENT_DISABLED,
            ));
        };
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(forbidden)?;
        if constant_time_eq(given.trim().as_bytes(), expected.as_bytes()) {
            Ok(AgentAuth)
        } else {
            Err(forbidden())
        }
    }
}

/// Compares without an early exit, so response time does not reveal a matching prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; support_session=abc ; b=2"),
        );
        assert_eq!(session_token(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(session_token(&h, SECURE_SESSION_COOKIE), None);
        h.insert(header::COOKIE, HeaderValue::from_static("support_session="));
        assert_eq!(session_token(&h, SESSION_COOKIE), None);
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"demo-agent", b"demo-agent"));
        assert!(!constant_time_eq(b"demo-agent", b"demo-agenT"));
        assert!(!constant_time_eq(b"demo", b"demo-agent"));
    }
}
