//! Demo mode: login, seeding (idempotent, every status, many themes), demo agent token.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use seller_support_server::system_clock;
use std::collections::HashSet;

async fn login(s: &TestServer, body: &str) -> Resp {
    s.send(
        Request::post("/api/dev/login")
            .header("X-Requested-With", "seller-support")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

fn cookie_of(r: &Resp) -> String {
    let sc = r.header("set-cookie");
    assert!(
        sc.contains("HttpOnly") && sc.contains("SameSite=Lax"),
        "{sc}"
    );
    sc.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn dev_login_exists_only_in_demo_mode() {
    let s = TestServer::new().await;
    login(&s, r#"{"seller":"demo"}"#)
        .await
        .error(404, "not_found");

    let s = TestServer::with(|c| c.demo = true).await;
    assert_eq!(s.get("", "/api/health").await.json()["demo"], true);
    let r = login(&s, r#"{"seller":"  новый продавец "}"#).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["seller"], "новый продавец");
    let c = cookie_of(&r);
    assert_eq!(
        s.get(&c, "/api/session").await.json()["seller"],
        "новый продавец"
    );
    assert_eq!(s.get(&c, "/api/dialogs").await.json()["total"], 0);
    login(&s, r#"{"seller":"   "}"#).await.error(422, "invalid");
    login(&s, r#"{"seller":"#).await.error(400, "bad_request");
}

#[tokio::test]
async fn demo_data_covers_every_status_and_many_themes() {
    let s = TestServer::with(|c| c.demo = true).await;
    let c = cookie_of(&login(&s, r#"{"seller":"demo"}"#).await);
    let all = s.get(&c, "/api/dialogs?per_page=100").await.json();
    let items = all["items"].as_array().unwrap();
    assert_eq!(all["total"].as_u64(), Some(items.len() as u64));
    assert!((25..=40).contains(&items.len()), "{}", items.len());
    for st in ["waiting", "answered", "closed"] {
        assert!(
            items.iter().filter(|d| d["status"] == st).count() >= 3,
            "{st}"
        );
    }
    let themes: HashSet<&str> = items
        .iter()
        .filter_map(|d| d["theme_id"].as_str())
        .collect();
    assert!(themes.len() >= 10, "{}", themes.len());
    let catalog = domain::catalog::Catalog::builtin();
    for d in items {
        let (cat, _) = catalog
            .find_theme(d["theme_id"].as_str().unwrap())
            .expect("catalog theme");
        assert_eq!(d["category_id"], cat.id.as_str());
        if d["status"] == "answered" {
            assert!(d["closes_at"].as_i64().unwrap() > s.state.now());
        }
    }
    let created: Vec<i64> = items
        .iter()
        .filter_map(|d| d["created_at"].as_i64())
        .collect();
    let span = created.iter().max().unwrap() - created.iter().min().unwrap();
    assert!(span > 60 * 24 * 3_600_000, "spread over months");
    // Some attachments, downloadable; both close reasons present.
    let mut attachments = 0;
    let mut reasons = HashSet::new();
    for d in items {
        let detail = s.get(&c, &format!("/api/dialogs/{}", d["id"])).await.json();
        for m in detail["messages"].as_array().unwrap() {
            for a in m["attachments"].as_array().unwrap() {
                let r = s
                    .get(
                        &c,
                        &format!("/api/attachments/{}", a["id"].as_str().unwrap()),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK);
                assert_eq!(r.body.len() as u64, a["size"].as_u64().unwrap());
                attachments += 1;
            }
        }
        if let Some(r) = detail["resolution"]["close_reason"].as_str() {
            reasons.insert(r.to_string());
        }
    }
    assert!(attachments >= 3, "{attachments}");
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    // The other seller has dialogs of its own, invisible to demo.
    let o = cookie_of(&login(&s, r#"{"seller":"other"}"#).await);
    let theirs = s.get(&o, "/api/dialogs").await.json();
    assert!(theirs["total"].as_u64().unwrap() >= 3);
    let their_id = &theirs["items"][0]["id"];
    s.get(&c, &format!("/api/dialogs/{their_id}"))
        .await
        .error(404, "not_found");
    // The demo agent token works when no other is configured.
    let d = s.create(&c, "новый вопрос").await;
    let r = s
        .send(
            Request::post(format!("/api/agent/dialogs/{d}/messages"))
                .header(header::AUTHORIZATION, "Bearer demo-agent")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"text":"ok"}"#))
                .unwrap(),
        )
        .await;
    // TestServer configures its own agent token, which wins over the demo default.
    r.error(401, "unauthorized");
}

#[tokio::test]
async fn seeding_twice_does_not_duplicate() {
    let s = TestServer::with(|c| {
        c.demo = true;
        c.agent_token = None;
    })
    .await;
    let n = s.sql_i64("SELECT count(*) FROM dialogs").await;
    let f = s.stored_files().await;
    assert!(n >= 30);
    assert!(f >= 8, "{f}");
    // Started again on the same data (or, on PostgreSQL, a second instance on it).
    let second = s.reopen(system_clock()).await;
    assert_eq!(s.sql_i64("SELECT count(*) FROM dialogs").await, n);
    assert_eq!(s.stored_files().await, f);
    assert_eq!(second.config.effective_agent_token(), Some("demo-agent"));
}
