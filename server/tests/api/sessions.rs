//! Issue 19: sessions are stored hashed, end after a week without use, and can be `Secure`
//! with the `__Host-` name.

use crate::common::*;
use axum::http::StatusCode;
use seller_support_server::auth::SESSION_IDLE_MS;
use seller_support_server::db;

#[tokio::test]
async fn the_database_holds_only_a_hash_of_the_token() {
    let s = TestServer::new().await;
    let cookie = s.login("a").await;
    let token = cookie.trim_start_matches("support_session=").to_string();
    let stored = s.sql_strings("SELECT token_hash FROM sessions").await;
    assert_eq!(stored, [db::token_hash(&token)]);
    assert!(!stored[0].contains(&token));
    assert_eq!(s.get(&cookie, "/api/session").await.status, StatusCode::OK);
    // The stored value itself is not a key.
    let forged = format!("support_session={}", stored[0]);
    assert_eq!(
        s.get(&forged, "/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_session_ends_after_a_week_without_use_but_not_while_used() {
    let s = TestServer::new().await;
    let cookie = s.login("a").await;
    for _ in 0..3 {
        s.advance(SESSION_IDLE_MS - 120_000);
        assert_eq!(s.get(&cookie, "/api/session").await.status, StatusCode::OK);
    }
    s.advance(SESSION_IDLE_MS);
    s.get(&cookie, "/api/session")
        .await
        .error(401, "unauthorized");
    // The purge removes it (and only it).
    let fresh = s.login("b").await;
    s.state.purge_sessions_now().await.expect("purge");
    assert_eq!(s.get(&fresh, "/api/session").await.status, StatusCode::OK);
    let rows = s.sql_i64("SELECT count(*) FROM sessions").await;
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn secure_cookie_mode_sets_secure_and_the_host_prefix() {
    let s = TestServer::with(|c| {
        c.demo = true;
        c.secure_cookie = true;
    })
    .await;
    let r = s
        .post_json("", "/api/dev/login", "{\"seller\":\"a\"}")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let set = r.header("set-cookie").to_string();
    assert!(set.starts_with("__Host-support_session="), "{set}");
    assert!(set.contains("; Secure"), "{set}");
    assert!(set.contains("Path=/") && !set.contains("Domain"), "{set}");
    let token = set
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_string())
        .expect("token");
    let good = format!("__Host-support_session={token}");
    assert_eq!(s.get(&good, "/api/session").await.status, StatusCode::OK);
    // The unprefixed name (settable by a sibling subdomain) is not accepted in this mode.
    let plain = format!("support_session={token}");
    assert_eq!(
        s.get(&plain, "/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );
    let out = s.post_json(&good, "/api/logout", "").await;
    let cleared = out.header("set-cookie");
    assert!(cleared.starts_with("__Host-support_session=;") && cleared.contains("Secure"));
    assert_eq!(
        s.get(&good, "/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );
}
