//! Dialog lifecycle, isolation, idempotency, validation, CSRF, auto-close, listing.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

#[tokio::test]
async fn full_lifecycle_create_answer_reply_resolve() {
    let s = TestServer::new().await;
    let me = s.login("seller-a").await;
    let id = s
        .create(&me, "  Добрый день, поставка 21573344 не принята.  ")
        .await;
    assert!((10_000_000..=99_999_999).contains(&id));

    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(d["status"], "waiting");
    assert_eq!(d["awaiting_rating"], false);
    assert_eq!(d["closes_at"], Value::Null);
    assert_eq!(d["messages"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["messages"][0]["author"], "seller");
    assert_eq!(
        d["messages"][0]["text"],
        "Добрый день, поставка 21573344 не принята."
    );
    assert_eq!(d["created_at"], T0);

    s.advance(3_600_000);
    let answered_at = T0 + 3_600_000;
    let r = s.agent_answer(id, "Здравствуйте! Поставка принята.").await;
    assert_eq!(r.status, StatusCode::CREATED);
    let d = r.json();
    assert_eq!(d["status"], "answered");
    assert_eq!(d["awaiting_rating"], true);
    assert_eq!(d["closes_at"], answered_at + PERIOD.as_millis() as i64);
    assert_eq!(d["messages"][1]["author"], "support");

    // The seller continues: back to waiting, no auto-close pending.
    s.advance(60_000);
    let r = s
        .post_form(
            &me,
            &format!("/api/dialogs/{id}/messages"),
            Form::new().text("text", "Не принята, проверьте ещё раз."),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    let d = r.json();
    assert_eq!(d["status"], "waiting");
    assert_eq!(d["closes_at"], Value::Null);
    assert_eq!(d["messages"].as_array().map(Vec::len), Some(3));

    // Resolving a waiting dialog is refused: there is no answer to rate.
    let r = s
        .post_json(
            &me,
            &format!("/api/dialogs/{id}/resolve"),
            r#"{"rating":5}"#,
        )
        .await;
    r.error(409, "not_answered");

    assert_eq!(
        s.agent_answer(id, "Приняли повторно.").await.status,
        StatusCode::CREATED
    );
    let r = s
        .post_json(
            &me,
            &format!("/api/dialogs/{id}/resolve"),
            r#"{"rating":4,"comment":"  Долго, но решили ","reasons":["templated_answer"]}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());
    let d = r.json();
    assert_eq!(d["status"], "closed");
    assert_eq!(d["closes_at"], Value::Null);
    assert_eq!(d["resolution"]["close_reason"], "resolved");
    assert_eq!(d["resolution"]["rating"], 4);
    assert_eq!(d["resolution"]["comment"], "Долго, но решили");
    assert_eq!(
        d["resolution"]["reasons"],
        serde_json::json!(["templated_answer"])
    );

    // Closed accepts nothing.
    let r = s
        .post_form(
            &me,
            &format!("/api/dialogs/{id}/messages"),
            Form::new().text("text", "ещё"),
            None,
        )
        .await;
    r.error(409, "dialog_closed");
    s.agent_answer(id, "ещё").await.error(409, "dialog_closed");
    s.post_json(
        &me,
        &format!("/api/dialogs/{id}/resolve"),
        r#"{"rating":5}"#,
    )
    .await
    .error(409, "dialog_closed");
}

#[tokio::test]
async fn resolve_validates_rating_reasons_and_comment() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "Вопрос").await;
    s.agent_answer(id, "Ответ").await;
    let uri = format!("/api/dialogs/{id}/resolve");
    let v = s
        .post_json(&me, &uri, r#"{"rating":0}"#)
        .await
        .error(422, "invalid_rating");
    assert_eq!(v["field"], "rating");
    s.post_json(&me, &uri, r#"{"rating":6}"#)
        .await
        .error(422, "invalid_rating");
    let v = s
        .post_json(
            &me,
            &uri,
            r#"{"rating":3,"reasons":["off_topic","off_topic"]}"#,
        )
        .await
        .error(422, "duplicate_reason");
    assert_eq!(v["field"], "reasons");
    // An unknown reason is valid JSON of the wrong shape.
    s.post_json(&me, &uri, r#"{"rating":3,"reasons":["rude"]}"#)
        .await
        .error(422, "invalid");
    let long = "я".repeat(domain::api::MAX_COMMENT_CHARS + 1);
    let v = s
        .post_json(
            &me,
            &uri,
            &serde_json::json!({"rating": 3, "comment": long}).to_string(),
        )
        .await
        .error(422, "comment_too_long");
    assert_eq!(v["field"], "comment");
    // Nothing above changed the dialog; a blank comment counts as none.
    let r = s
        .post_json(&me, &uri, r#"{"rating":1,"comment":"   "}"#)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["resolution"]["comment"], Value::Null);
}

#[tokio::test]
async fn other_sellers_dialogs_are_404_everywhere() {
    let s = TestServer::new().await;
    let a = s.login("alice").await;
    let b = s.login("bob").await;
    let form = Form::new()
        .text("category", &first_theme().0)
        .text("theme", &first_theme().1)
        .text("comment", "секретный вопрос")
        .png("скрин.png", 100);
    let r = s.post_form(&a, "/api/dialogs", form, None).await;
    let id = r.json()["id"].as_u64().unwrap();
    s.agent_answer(id, "ответ").await;
    let att = s.get(&a, &format!("/api/dialogs/{id}")).await.json()["messages"][0]["attachments"]
        [0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        s.get(&a, &format!("/api/attachments/{att}")).await.status,
        StatusCode::OK
    );

    s.get(&b, &format!("/api/dialogs/{id}"))
        .await
        .error(404, "not_found");
    s.post_form(
        &b,
        &format!("/api/dialogs/{id}/messages"),
        Form::new().text("text", "hi"),
        None,
    )
    .await
    .error(404, "not_found");
    s.post_json(&b, &format!("/api/dialogs/{id}/resolve"), r#"{"rating":5}"#)
        .await
        .error(404, "not_found");
    s.get(&b, &format!("/api/attachments/{att}"))
        .await
        .error(404, "not_found");
    let list = s.get(&b, "/api/dialogs").await.json();
    assert_eq!(list["total"], 0);
    // Numbers that do not exist or are not numbers look the same.
    s.get(&b, "/api/dialogs/12345678")
        .await
        .error(404, "not_found");
    s.get(&b, "/api/dialogs/abc").await.error(404, "not_found");
    s.get(&b, "/api/attachments/..%2F..%2Fsupport.db")
        .await
        .error(404, "not_found");
    // The owner's dialog is untouched.
    let d = s.get(&a, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(d["status"], "answered");
    assert_eq!(d["messages"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn no_session_is_401_json() {
    let s = TestServer::new().await;
    s.get("", "/api/dialogs").await.error(401, "unauthorized");
    s.get("support_session=forged", "/api/session")
        .await
        .error(401, "unauthorized");
    let me = s.login("a").await;
    assert_eq!(s.get(&me, "/api/session").await.json()["seller"], "a");
    let r = s.post_json(&me, "/api/logout", "").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.header("set-cookie").contains("Max-Age=0"));
    s.get(&me, "/api/session").await.error(401, "unauthorized");
    // Sessions end with the cookie's Max-Age, even while in use (used every day here, so the
    // idle expiry never applies).
    let me = s.login("a").await;
    let max_age = seller_support_server::auth::SESSION_MAX_AGE_SECS as i64 * 1000;
    let day = 24 * 3600 * 1000;
    for _ in 0..(max_age / day - 1) {
        s.advance(day);
        assert_eq!(s.get(&me, "/api/session").await.status, StatusCode::OK);
    }
    s.advance(day - 1);
    assert_eq!(s.get(&me, "/api/session").await.status, StatusCode::OK);
    s.advance(1);
    s.get(&me, "/api/session").await.error(401, "unauthorized");
}

#[tokio::test]
async fn idempotency_key_returns_the_first_result() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let (cat, theme) = first_theme();
    let form = || {
        Form::new()
            .text("category", &cat)
            .text("theme", &theme)
            .text("comment", "двойной клик")
            .png("a.png", 64)
    };
    let r1 = s
        .post_form(&me, "/api/dialogs", form(), Some("form-1"))
        .await;
    assert_eq!(r1.status, StatusCode::CREATED);
    s.advance(5_000);
    let r2 = s
        .post_form(&me, "/api/dialogs", form(), Some("form-1"))
        .await;
    assert_eq!(r2.status, StatusCode::CREATED);
    assert_eq!(r1.body, r2.body, "same body");
    assert_eq!(s.get(&me, "/api/dialogs").await.json()["total"], 1);
    // The replay stored no second file.
    assert_eq!(s.stored_files().await, 1);
    assert_eq!(s.files_in("tmp"), 0);
    // A new key is a new dialog; the same key of another seller is that seller's own.
    let r3 = s
        .post_form(&me, "/api/dialogs", form(), Some("form-2"))
        .await;
    assert_ne!(r3.json()["id"], r1.json()["id"]);
    let other = s.login("b").await;
    let r4 = s
        .post_form(&other, "/api/dialogs", form(), Some("form-1"))
        .await;
    assert_eq!(r4.status, StatusCode::CREATED);
    assert_ne!(r4.json()["id"], r1.json()["id"]);
    assert_eq!(s.get(&me, "/api/dialogs").await.json()["total"], 2);
    // A malformed key is refused before anything is stored.
    let bad = "x".repeat(domain::api::MAX_IDEMPOTENCY_KEY_LEN + 1);
    s.post_form(&me, "/api/dialogs", form(), Some(&bad))
        .await
        .error(400, "bad_request");
}

#[tokio::test]
async fn category_theme_and_comment_are_rechecked() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let c = domain::catalog::Catalog::builtin();
    let (cat_a, cat_b) = (&c.categories[0], &c.categories[1]);
    let post = |cat: String, theme: String, comment: String| {
        let form = Form::new()
            .text("category", &cat)
            .text("theme", &theme)
            .text("comment", &comment);
        s.post_form(&me, "/api/dialogs", form, None)
    };
    let v = post(cat_a.id.clone(), cat_b.themes[0].id.clone(), "текст".into())
        .await
        .error(422, "invalid");
    assert_eq!(v["field"], "theme");
    let v = post("no-such".into(), cat_a.themes[0].id.clone(), "текст".into())
        .await
        .error(422, "invalid");
    assert_eq!(v["field"], "category");
    let v = post(cat_a.id.clone(), "".into(), "текст".into())
        .await
        .error(422, "invalid");
    assert_eq!(v["field"], "theme");
    let v = post(cat_a.id.clone(), cat_a.themes[0].id.clone(), " \n ".into())
        .await
        .error(422, "empty_comment");
    assert_eq!(v["field"], "comment");
    let max = "ё".repeat(domain::api::MAX_COMMENT_CHARS);
    assert_eq!(
        post(cat_a.id.clone(), cat_a.themes[0].id.clone(), max.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    post(
        cat_a.id.clone(),
        cat_a.themes[0].id.clone(),
        format!("{max}ё"),
    )
    .await
    .error(422, "comment_too_long");
    assert_eq!(s.get(&me, "/api/dialogs").await.json()["total"], 1);
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_header() {
    let s = TestServer::with(|c| c.demo = true).await;
    let me = s.login("a").await;
    let no_csrf = |uri: &str, ct: &str, body: String| {
        Request::post(uri)
            .header(header::COOKIE, &me)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let (cat, theme) = first_theme();
    let form = Form::new()
        .text("category", &cat)
        .text("theme", &theme)
        .text("comment", "x");
    let mut req = Request::post("/api/dialogs")
        .header(header::COOKIE, &me)
        .header(header::CONTENT_TYPE, form.content_type())
        .body(form.into_body())
        .unwrap();
    s.send(req).await.error(403, "csrf");
    let json = "application/json";
    s.send(no_csrf("/api/dev/login", json, r#"{"seller":"x"}"#.into()))
        .await
        .error(403, "csrf");
    s.send(no_csrf("/api/logout", json, String::new()))
        .await
        .error(403, "csrf");
    s.send(no_csrf(
        "/api/dialogs/12345678/resolve",
        json,
        r#"{"rating":5}"#.into(),
    ))
    .await
    .error(403, "csrf");
    // A wrong value is as bad as none.
    req = no_csrf("/api/logout", json, String::new());
    req.headers_mut()
        .insert("X-Requested-With", "XMLHttpRequest".parse().unwrap());
    s.send(req).await.error(403, "csrf");
    // Reads need no header.
    assert_eq!(s.get(&me, "/api/dialogs").await.status, StatusCode::OK);
}

#[tokio::test]
async fn malformed_json_and_wrong_content_types() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "q").await;
    s.agent_answer(id, "a").await;
    let uri = format!("/api/dialogs/{id}/resolve");
    s.post_json(&me, &uri, r#"{"rating": 5"#)
        .await
        .error(400, "bad_request");
    s.post_json(&me, &uri, "not json")
        .await
        .error(400, "bad_request");
    s.post_json(&me, &uri, r#"{"rating":"five"}"#)
        .await
        .error(422, "invalid");
    let req = Request::post(&uri)
        .header(header::COOKIE, &me)
        .header("X-Requested-With", "seller-support")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"rating":5}"#))
        .unwrap();
    s.send(req).await.error(415, "unsupported_media_type");
    // A JSON body where multipart is expected.
    s.post_json(&me, "/api/dialogs", "{}")
        .await
        .error(415, "unsupported_media_type");
    // Still answered: none of the bad requests changed anything.
    assert_eq!(
        s.get(&me, &format!("/api/dialogs/{id}")).await.json()["status"],
        "answered"
    );
}

#[tokio::test]
async fn agent_needs_its_token() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "q").await;
    let send = |auth: Option<&str>| {
        let mut b = Request::post(format!("/api/agent/dialogs/{id}/messages"))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        s.send(b.body(Body::from(r#"{"text":"ответ"}"#)).unwrap())
    };
    send(None).await.error(401, "unauthorized");
    send(Some("Bearer wrong")).await.error(401, "unauthorized");
    send(Some(AGENT)).await.error(401, "unauthorized");
    assert_eq!(
        send(Some(&format!("Bearer {AGENT}"))).await.status,
        StatusCode::CREATED
    );
    s.agent_answer(99_999_999, "x")
        .await
        .error(404, "not_found");
    // Agent multipart with a file.
    let form = Form::new()
        .text("text", "Смотрите инструкцию")
        .png("инструкция.png", 500);
    let req = Request::post(format!("/api/agent/dialogs/{id}/messages"))
        .header(header::AUTHORIZATION, format!("Bearer {AGENT}"))
        .header(header::CONTENT_TYPE, form.content_type())
        .body(form.into_body())
        .unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        r.json()["messages"][2]["attachments"][0]["name"],
        "инструкция.png"
    );

    // Without a configured token (and not in demo mode) the endpoint is closed.
    let closed = TestServer::with(|c| c.agent_token = None).await;
    let m = closed.login("a").await;
    let id = closed.create(&m, "q").await;
    closed.agent_answer(id, "x").await.error(403, "forbidden");
}

#[tokio::test]
async fn answered_dialog_closes_automatically_after_the_period() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "q").await;
    let id2 = s.create(&me, "q2").await;
    s.advance(1000);
    let answered_at = s.state.now();
    s.agent_answer(id, "ответ").await;
    s.agent_answer(id2, "ответ").await;
    let period = PERIOD.as_millis() as i64;

    s.set_time(answered_at + period - 1);
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(d["status"], "answered");
    assert_eq!(d["closes_at"], answered_at + period);
    assert_eq!(s.state.auto_close_now().await.unwrap(), 0);

    // The periodic task's function closes due dialogs without any request.
    s.set_time(answered_at + period + 5_000);
    assert_eq!(s.state.auto_close_now().await.unwrap(), 2);
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(d["status"], "closed");
    assert_eq!(d["resolution"]["close_reason"], "auto");
    assert_eq!(d["resolution"]["closed_at"], answered_at + period);
    assert_eq!(d["resolution"]["rating"], Value::Null);
    s.post_json(
        &me,
        &format!("/api/dialogs/{id}/resolve"),
        r#"{"rating":5}"#,
    )
    .await
    .error(409, "dialog_closed");
}

#[tokio::test]
async fn reads_close_due_dialogs_lazily_and_reply_stops_the_clock() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let lazy = s.create(&me, "q").await;
    let kept = s.create(&me, "q").await;
    s.agent_answer(lazy, "ответ").await;
    s.agent_answer(kept, "ответ").await;
    let period = PERIOD.as_millis() as i64;
    s.advance(period / 2);
    s.post_form(
        &me,
        &format!("/api/dialogs/{kept}/messages"),
        Form::new().text("text", "ещё вопрос"),
        None,
    )
    .await;
    s.advance(period);
    // No periodic run: the list itself closes what is due.
    let list = s.get(&me, "/api/dialogs?status=closed").await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], lazy);
    let d = s.get(&me, &format!("/api/dialogs/{kept}")).await.json();
    assert_eq!(d["status"], "waiting");
}

#[tokio::test]
async fn list_filters_searches_sorts_and_pages() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let mut ids = Vec::new();
    for i in 0..25 {
        s.advance(60_000);
        let text = if i == 7 {
            "Штраф за ГАБАРИТЫ по отчёту 151564".to_string()
        } else {
            format!("вопрос {i}")
        };
        ids.push(s.create(&me, &text).await);
    }
    s.agent_answer(ids[3], "ответ").await;
    s.agent_answer(ids[4], "ответ").await;

    let l = s.get(&me, "/api/dialogs").await.json();
    assert_eq!(l["total"], 25);
    assert_eq!(l["items"].as_array().map(Vec::len), Some(20));
    assert_eq!(l["items"][0]["id"], ids[24], "newest first by default");
    let p2 = s.get(&me, "/api/dialogs?page=2").await.json();
    assert_eq!(p2["items"].as_array().map(Vec::len), Some(5));
    assert_eq!(p2["items"][4]["id"], ids[0]);
    let asc = s
        .get(&me, "/api/dialogs?sort=created_asc&per_page=2")
        .await
        .json();
    assert_eq!(asc["items"][0]["id"], ids[0]);
    assert_eq!(asc["items"].as_array().map(Vec::len), Some(2));

    let ans = s.get(&me, "/api/dialogs?status=answered").await.json();
    assert_eq!(ans["total"], 2);
    assert!(
        ans["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "answered")
    );

    // Case-insensitive for Cyrillic, percent-encoded like the app sends it.
    let q = domain::api::ListQuery {
        q: Some("габариты".into()),
        ..Default::default()
    };
    let found = s
        .get(&me, &format!("/api/dialogs?{}", q.to_query_string()))
        .await
        .json();
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["id"], ids[7]);
    // By number, and by the support answer's text.
    let n = ids[11].to_string();
    let found = s
        .get(&me, &format!("/api/dialogs?q={}", &n[..6]))
        .await
        .json();
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == ids[11])
    );
    let found = s
        .get(&me, "/api/dialogs?q=%D0%BE%D1%82%D0%B2%D0%B5%D1%82")
        .await
        .json();
    assert_eq!(found["total"], 2);
    // Two letters are below the trigram index: the scan fallback still finds them.
    let found = s
        .get(&me, "/api/dialogs?q=%D0%B3%D0%B0&per_page=100")
        .await
        .json();
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == ids[7])
    );
    // Quotes and FTS syntax in the query are plain text, not an error.
    for q in [
        "%22",
        "%22%22%22",
        "a%20OR%20b",
        "NEAR(%D1%88%D1%82%D1%80)",
        "*",
    ] {
        let r = s.get(&me, &format!("/api/dialogs?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert_eq!(r.json()["total"], 0, "{q}");
    }
    // The server is strict about values the app never sends (the app normalises its URL).
    for (q, field) in [
        ("status=nope", "status"),
        ("sort=x", "sort"),
        ("page=-1", "page"),
        ("per_page=abc", "per_page"),
    ] {
        let v = s
            .get(&me, &format!("/api/dialogs?{q}"))
            .await
            .error(400, "bad_request");
        assert_eq!(v["field"], field, "{q}");
    }
    // A blank or NUL-only search is no search.
    let l = s.get(&me, "/api/dialogs?q=&q=%00").await.json();
    assert_eq!(l["total"], 25);
    let r = s
        .get(
            &me,
            "/api/dialogs?q=%C3%95%00%C3%BC%C2%8C%C3%83&per_page=100",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_make_one_dialog() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let (cat, theme) = first_theme();
    let form = || {
        Form::new()
            .text("category", &cat)
            .text("theme", &theme)
            .text("comment", "двойной клик")
            .png("a.png", 2 * 1024 * 1024)
    };
    let results = futures_join(&s, &me, form).await;
    for r in &results {
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
        assert_eq!(r.body, results[0].body);
    }
    assert_eq!(s.get(&me, "/api/dialogs").await.json()["total"], 1);
    assert_eq!(s.stored_files().await, 1);
    assert_eq!(s.files_in("tmp"), 0);
}

/// Four uploads with the same key, all in flight at once.
async fn futures_join(s: &TestServer, me: &str, form: impl Fn() -> Form) -> Vec<Resp> {
    let (a, b, c, d) = tokio::join!(
        s.post_form(me, "/api/dialogs", form(), Some("same")),
        s.post_form(me, "/api/dialogs", form(), Some("same")),
        s.post_form(me, "/api/dialogs", form(), Some("same")),
        s.post_form(me, "/api/dialogs", form(), Some("same")),
    );
    vec![a, b, c, d]
}

#[tokio::test]
async fn create_with_a_reused_key_and_another_form_is_refused() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let (cat, theme) = first_theme();
    let form = |comment: &str, png: u64| {
        Form::new()
            .text("category", &cat)
            .text("theme", &theme)
            .text("comment", comment)
            .png("a.png", png)
    };
    let first = s
        .post_form(&me, "/api/dialogs", form("первый текст", 64), Some("k"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    // Trimming is part of the stored text, so it does not make another request.
    let again = s
        .post_form(&me, "/api/dialogs", form("  первый текст ", 64), Some("k"))
        .await;
    assert_eq!(again.body, first.body);
    for other in [form("другой текст", 64), form("первый текст", 65)] {
        let v = s
            .post_form(&me, "/api/dialogs", other, Some("k"))
            .await
            .error(422, "idempotency_key_reused");
        assert_eq!(v["field"], "Idempotency-Key");
    }
    // A file of the same name and size with other bytes is another request too.
    let other_bytes = Form::new()
        .text("category", &cat)
        .text("theme", &theme)
        .text("comment", "первый текст")
        .file(
            "a.png",
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1],
            55,
        );
    s.post_form(&me, "/api/dialogs", other_bytes, Some("k"))
        .await
        .error(422, "idempotency_key_reused");
    assert_eq!(s.get(&me, "/api/dialogs").await.json()["total"], 1);
    assert_eq!(s.stored_files().await, 1);
    assert_eq!(s.files_in("tmp"), 0);
}

fn reply_form(text: &str) -> Form {
    Form::new().text("text", text).png("screen.png", 128)
}

fn message_count(d: &Value) -> usize {
    d["messages"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn reply_with_an_idempotency_key_posts_once() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "Поставка не принята.").await;
    let uri = format!("/api/dialogs/{id}/messages");
    let first = s
        .post_form(&me, &uri, reply_form("Акт приложен."), Some("reply-1"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.json());
    assert_eq!(message_count(&first.json()), 2);
    // The response was lost; the retry a few seconds later gets the same answer, posts nothing.
    s.advance(5_000);
    let retry = s
        .post_form(&me, &uri, reply_form("Акт приложен."), Some("reply-1"))
        .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.body, first.body);
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(message_count(&d), 2);
    assert_eq!(s.stored_files().await, 1);
    assert_eq!(s.files_in("tmp"), 0);
    // The next reply of the same text has a new key: it is a new message.
    let next = s
        .post_form(&me, &uri, reply_form("Акт приложен."), Some("reply-2"))
        .await;
    assert_eq!(next.status, StatusCode::CREATED);
    assert_eq!(message_count(&next.json()), 3);
    // Without a key nothing changes: every request is a message.
    let plain = s.post_form(&me, &uri, reply_form("Ещё."), None).await;
    assert_eq!(message_count(&plain.json()), 4);
    // Keys are per seller: another seller's same key is theirs (and this dialog is not).
    let other = s.login("b").await;
    s.post_form(&other, &uri, reply_form("Акт приложен."), Some("reply-1"))
        .await
        .error(404, "not_found");
    // A malformed key is refused before anything is stored.
    let bad = "ключ";
    let req = Request::post(&uri)
        .header(header::COOKIE, &me)
        .header("X-Requested-With", "seller-support")
        .header("Idempotency-Key", bad)
        .header(header::CONTENT_TYPE, reply_form("x").content_type())
        .body(reply_form("x").into_body())
        .unwrap();
    s.send(req).await.error(400, "bad_request");
    assert_eq!(
        message_count(&s.get(&me, &format!("/api/dialogs/{id}")).await.json()),
        4
    );
}

#[tokio::test]
async fn reply_key_reused_for_another_reply_is_refused() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "Поставка не принята.").await;
    let second = s.create(&me, "Второй вопрос.").await;
    let uri = format!("/api/dialogs/{id}/messages");
    let r = s
        .post_form(&me, &uri, reply_form("Первый текст."), Some("k1"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // Same key: another text, other files, another dialog.
    let cases = [
        (uri.clone(), reply_form("Исправленный текст.")),
        (uri.clone(), Form::new().text("text", "Первый текст.")),
        (
            format!("/api/dialogs/{second}/messages"),
            reply_form("Первый текст."),
        ),
    ];
    for (u, form) in cases {
        let v = s
            .post_form(&me, &u, form, Some("k1"))
            .await
            .error(422, "idempotency_key_reused");
        assert_eq!(v["field"], "Idempotency-Key");
    }
    // The key of a created dialog is not a reply's.
    let (cat, theme) = first_theme();
    let created = s
        .post_form(
            &me,
            "/api/dialogs",
            Form::new()
                .text("category", &cat)
                .text("theme", &theme)
                .text("comment", "Третий."),
            Some("form-key"),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    s.post_form(&me, &uri, reply_form("Третий."), Some("form-key"))
        .await
        .error(422, "idempotency_key_reused");
    for d in [id, second] {
        let detail = s.get(&me, &format!("/api/dialogs/{d}")).await.json();
        assert_eq!(message_count(&detail), if d == id { 2 } else { 1 });
    }
    assert_eq!(s.stored_files().await, 1);
    assert_eq!(s.files_in("tmp"), 0);
}

#[tokio::test]
async fn reply_retry_after_the_dialog_closed_gets_the_first_answer() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "Поставка не принята.").await;
    let uri = format!("/api/dialogs/{id}/messages");
    let first = s
        .post_form(&me, &uri, reply_form("Дополнение."), Some("late"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(
        s.agent_answer(id, "Ответ поддержки.").await.status,
        StatusCode::CREATED
    );
    let r = s
        .post_json(
            &me,
            &format!("/api/dialogs/{id}/resolve"),
            r#"{"rating":5}"#,
        )
        .await;
    assert_eq!(r.json()["status"], "closed");
    // The retry of the reply that did reach the server is answered, not refused with 409 …
    let retry = s
        .post_form(&me, &uri, reply_form("Дополнение."), Some("late"))
        .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    // The key keeps the dialog's id, not a copy of the first answer (issue 19): the retry gets
    // the dialog as it is now, which holds the first reply exactly once.
    let now = retry.json();
    assert_eq!(now["status"], "closed");
    let first_messages = first.json()["messages"].clone();
    let first_messages = first_messages.as_array().expect("messages");
    assert_eq!(
        &now["messages"].as_array().expect("messages")[..2],
        &first_messages[..]
    );
    assert_eq!(message_count(&now), 3);
    // … while a new reply to the closed dialog still is.
    s.post_form(&me, &uri, reply_form("Дополнение."), Some("new"))
        .await
        .error(409, "dialog_closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_replies_with_one_key_post_one_message() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "Поставка не принята.").await;
    let uri = format!("/api/dialogs/{id}/messages");
    let form = || {
        Form::new()
            .text("text", "двойной клик")
            .png("a.png", 1024 * 1024)
    };
    let (a, b, c) = tokio::join!(
        s.post_form(&me, &uri, form(), Some("same")),
        s.post_form(&me, &uri, form(), Some("same")),
        s.post_form(&me, &uri, form(), Some("same")),
    );
    for r in [&a, &b, &c] {
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
        assert_eq!(r.body, a.body);
    }
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(message_count(&d), 2);
    assert_eq!(s.stored_files().await, 1);
    assert_eq!(s.files_in("tmp"), 0);
}

#[tokio::test]
async fn expired_sessions_are_purged_periodically_and_at_start() {
    let s = TestServer::new().await;
    let max_age = seller_support_server::auth::session_max_age_ms();
    // Unused sessions end after the idle period (issue 19), before their Max-Age.
    let idle = seller_support_server::auth::SESSION_IDLE_MS;
    let _old = s.login("a").await;
    s.advance(idle / 2);
    let fresh = s.login("b").await;
    assert_eq!(s.state.purge_sessions_now().await.unwrap(), 0);
    s.advance(idle / 2);
    // The first one has just expired: its row goes now.
    assert_eq!(s.state.purge_sessions_now().await.unwrap(), 1);
    assert_eq!(s.sql_i64("SELECT count(*) FROM sessions").await, 1);
    assert_eq!(s.get(&fresh, "/api/session").await.json()["seller"], "b");
    // A server started after the second one expired does not keep it either.
    let later = s.time.load(std::sync::atomic::Ordering::SeqCst) + max_age;
    let clock: seller_support_server::Clock = std::sync::Arc::new(move || later);
    let _reopened = s.reopen(clock).await;
    assert_eq!(s.sql_i64("SELECT count(*) FROM sessions").await, 0);
}
