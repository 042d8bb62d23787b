//! Issue 17: the event stream (`GET /api/events`), unread marks, the activity order and
//! continuations (`follows`).

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use std::time::Duration;
use tower::ServiceExt;

/// One parsed Server-Sent Event (or a comment line: `event` is `:`).
#[derive(Debug, Clone)]
pub struct Sse {
    pub event: String,
    pub id: String,
    pub data: String,
}

impl Sse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| panic!("{e}: {:?}", self.data))
    }
}

/// An open stream, read event by event.
pub struct Stream {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    body: Body,
    buf: String,
}

impl Stream {
    /// The next event or comment within `within`; `None` on timeout or when the stream ended.
    pub async fn next_within(&mut self, within: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut ev = Sse {
                    event: "message".into(),
                    id: String::new(),
                    data: String::new(),
                };
                for line in block.lines() {
                    if line.starts_with(':') {
                        ev.event = ":".into();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        ev.event = v.trim().into();
                    } else if let Some(v) = line.strip_prefix("id:") {
                        ev.id = v.trim().into();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        ev.data.push_str(v.trim_start());
                    }
                }
                return Some(ev);
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await;
            match frame {
                Ok(Some(Ok(f))) => {
                    if let Ok(data) = f.into_data() {
                        self.buf.push_str(&String::from_utf8_lossy(&data));
                    }
                }
                _ => return None,
            }
        }
    }

    /// The next event that is not a heartbeat.
    pub async fn next(&mut self) -> Sse {
        loop {
            let ev = self
                .next_within(Duration::from_secs(5))
                .await
                .expect("an event within 5 s");
            if ev.event != ":" {
                return ev;
            }
        }
    }

    /// Asserts that no event (heartbeats aside) comes within `within`.
    pub async fn quiet_for(&mut self, within: Duration) {
        let end = tokio::time::Instant::now() + within;
        while let Some(left) = end.checked_duration_since(tokio::time::Instant::now()) {
            match self.next_within(left).await {
                Some(ev) if ev.event == ":" => {}
                Some(ev) => panic!("unexpected event {ev:?}"),
                None => return,
            }
        }
    }

    /// Whether the stream ends (the body is over) within `within`.
    pub async fn ends_within(&mut self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Ok(None) => return true,
                Ok(Some(_)) => {}
                Err(_) => return false,
            }
        }
    }
}

pub async fn open(s: &TestServer, cookie: &str, last_event_id: Option<&str>) -> Stream {
    open_uri(s, cookie, "/api/events", last_event_id).await
}

async fn open_uri(s: &TestServer, cookie: &str, uri: &str, last: Option<&str>) -> Stream {
    let mut b = Request::get(uri).header(header::COOKIE, cookie);
    if let Some(id) = last {
        b = b.header("Last-Event-ID", id);
    }
    let res = s
        .router
        .clone()
        .oneshot(b.body(Body::empty()).unwrap())
        .await
        .expect("infallible");
    Stream {
        status: res.status(),
        headers: res.headers().clone(),
        body: res.into_body(),
        buf: String::new(),
    }
}

/// A stream that got past its replay: returns it with the `ready` event.
async fn open_ready(s: &TestServer, cookie: &str, last: Option<&str>) -> (Stream, Sse) {
    let mut st = open(s, cookie, last).await;
    assert_eq!(st.status, StatusCode::OK);
    let ready = st.next().await;
    assert_eq!(ready.event, "ready", "{ready:?}");
    (st, ready)
}

async fn quiet_server() -> TestServer {
    // Heartbeats only where a test looks for them.
    TestServer::with(|c| c.event_heartbeat = Duration::from_secs(600)).await
}

async fn list(s: &TestServer, cookie: &str, query: &str) -> Value {
    let r = s.get(cookie, &format!("/api/dialogs{query}")).await;
    assert_eq!(r.status, StatusCode::OK);
    r.json()
}

fn row(list: &Value, id: u64) -> Value {
    list["items"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

async fn mark_read(s: &TestServer, cookie: &str, id: u64) -> Resp {
    let req = Request::post(format!("/api/dialogs/{id}/read"))
        .header(header::COOKIE, cookie)
        .header("X-Requested-With", "seller-support")
        .body(Body::empty())
        .unwrap();
    s.send(req).await
}

#[tokio::test]
async fn without_a_session_the_stream_is_401() {
    let s = quiet_server().await;
    let st = open(&s, "", None).await;
    assert_eq!(st.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn events_reach_only_their_own_seller() {
    let s = quiet_server().await;
    let (a, b) = (s.login("a").await, s.login("b").await);
    let mine = s.create(&a, "Вопрос продавца a").await;
    let (mut sa, ready) = open_ready(&s, &a, None).await;
    assert_eq!(ready.json()["unread_dialogs"], 0);
    assert_eq!(ready.json()["replayed"], 0);
    let (mut sb, _) = open_ready(&s, &b, None).await;
    assert_eq!(sa.headers["content-type"], "text/event-stream");

    assert_eq!(
        s.agent_answer(mine, "Ответ").await.status,
        StatusCode::CREATED
    );
    let ev = sa.next().await;
    assert_eq!(ev.event, "message");
    assert!(ev.id.parse::<i64>().unwrap() > ready.id.parse::<i64>().unwrap());
    let d = ev.json();
    assert_eq!(d["dialog_id"], mine);
    assert_eq!(d["status"], "answered");
    assert_eq!(d["message"]["author"], "support");
    assert_eq!(d["dialog"]["id"], mine);
    assert_eq!(d["dialog"]["unread"], 1);
    assert_eq!(d["dialog"]["awaiting_rating"], true);
    assert!(d["dialog"]["last_activity_at"].as_i64().is_some());
    assert_eq!(d["unread_dialogs"], 1);
    sb.quiet_for(Duration::from_millis(300)).await;

    // The seller's own create and reply reach the seller's other tabs, nobody else's.
    let other_tab = s.create(&a, "Из другой вкладки").await;
    let ev = sa.next().await;
    assert_eq!(ev.event, "created");
    assert_eq!(ev.json()["dialog_id"], other_tab);
    assert_eq!(ev.json()["status"], "waiting");
    sb.quiet_for(Duration::from_millis(200)).await;
}

#[tokio::test]
async fn a_reconnect_with_last_event_id_gets_exactly_what_it_missed() {
    let s = quiet_server().await;
    let a = s.login("a").await;
    let b = s.login("b").await;
    let (mut st, _) = open_ready(&s, &a, None).await;
    let d1 = s.create(&a, "Первый").await;
    let seen = st.next().await;
    assert_eq!(seen.event, "created");
    drop(st);

    // Missed while away: an answer, another seller's dialog (not ours), a new dialog, a read.
    s.agent_answer(d1, "Ответ").await;
    let theirs = s.create(&b, "Чужой").await;
    s.agent_answer(theirs, "Чужой ответ").await;
    let d2 = s.create(&a, "Второй").await;
    assert_eq!(mark_read(&s, &a, d1).await.status, StatusCode::NO_CONTENT);

    let mut st = open(&s, &a, Some(&seen.id)).await;
    let got: Vec<(String, u64)> = {
        let mut v = Vec::new();
        loop {
            let ev = st.next().await;
            if ev.event == "ready" {
                assert_eq!(ev.json()["replayed"], 3);
                assert_eq!(ev.json()["unread_dialogs"], 0);
                break;
            }
            v.push((ev.event.clone(), ev.json()["dialog_id"].as_u64().unwrap()));
        }
        v
    };
    assert_eq!(
        got,
        vec![
            ("message".to_string(), d1),
            ("created".to_string(), d2),
            ("read".to_string(), d1)
        ]
    );

    // The same by query parameter, from the first of those: two left.
    let first_missed = {
        let mut st = open(&s, &a, Some(&seen.id)).await;
        st.next().await.id
    };
    let mut st = open_uri(
        &s,
        &a,
        &format!("/api/events?last_event_id={first_missed}"),
        None,
    )
    .await;
    assert_eq!(st.next().await.event, "created");
    assert_eq!(st.next().await.event, "read");
    assert_eq!(st.next().await.event, "ready");
    // Live after the replay.
    s.agent_answer(d2, "Ещё ответ").await;
    let live = st.next().await;
    assert_eq!(live.event, "message");
    assert_eq!(live.json()["dialog_id"], d2);
}

#[tokio::test]
async fn an_id_older_than_what_is_kept_or_foreign_gets_resync() {
    let s = TestServer::with(|c| {
        c.event_heartbeat = Duration::from_secs(600);
        c.events_kept_per_seller = 2;
    })
    .await;
    let (a, b) = (s.login("a").await, s.login("b").await);
    let (mut st, _) = open_ready(&s, &a, None).await;
    let d = s.create(&a, "Первый").await;
    let oldest = st.next().await.id;
    for i in 0..3 {
        s.agent_answer(d, &format!("Ответ {i}")).await;
        st.next().await;
    }
    drop(st);
    s.state.purge_sessions_now().await.expect("purge");

    let mut st = open(&s, &a, Some(&oldest)).await;
    let ev = st.next().await;
    assert_eq!(ev.event, "resync");
    assert_eq!(ev.json()["reason"], "too_old");
    assert_eq!(ev.json()["unread_dialogs"], 1);
    let head = ev.id.clone();
    let ready = st.next().await;
    assert_eq!(ready.event, "ready");
    assert_eq!(ready.id, head);
    // From the resync's id on, the replay is exact again.
    let (_, ready) = open_ready(&s, &a, Some(&head)).await;
    assert_eq!(ready.json()["replayed"], 0);

    // Another seller's event id, a future id and garbage: resync, reason unknown.
    let theirs = s.create(&b, "Чужой").await;
    let foreign = {
        let (mut sb, _) = open_ready(&s, &b, None).await;
        s.agent_answer(theirs, "Ответ").await;
        sb.next().await.id
    };
    for bad in [foreign.as_str(), "999999999", "abc"] {
        let mut st = open(&s, &a, Some(bad)).await;
        let ev = st.next().await;
        assert_eq!(ev.event, "resync", "{bad}");
        assert_eq!(ev.json()["reason"], "unknown", "{bad}");
    }
}

#[tokio::test]
async fn unread_grows_with_answers_only_post_read_clears_it() {
    let s = quiet_server().await;
    let (a, b) = (s.login("a").await, s.login("b").await);
    let d1 = s.create(&a, "Первый").await;
    let d2 = s.create(&a, "Второй").await;
    let l = list(&s, &a, "").await;
    assert_eq!(row(&l, d1)["unread"], 0);
    assert_eq!(l["unread_dialogs"], 0);

    s.agent_answer(d1, "Ответ 1").await;
    s.agent_answer(d1, "Ответ 2").await;
    s.agent_answer(d2, "Ответ").await;
    let l = list(&s, &a, "").await;
    assert_eq!(row(&l, d1)["unread"], 2);
    assert_eq!(row(&l, d2)["unread"], 1);
    assert_eq!(l["unread_dialogs"], 2);
    // The header's own call (answered, one row) carries the count too.
    let l = list(&s, &a, "?status=answered&per_page=1").await;
    assert_eq!(l["unread_dialogs"], 2);

    // Opening (or prefetching) a dialog marks nothing.
    let r = s.get(&a, &format!("/api/dialogs/{d1}")).await;
    assert_eq!(r.json()["unread"], 2);
    assert_eq!(row(&list(&s, &a, "").await, d1)["unread"], 2);

    let (mut st, _) = open_ready(&s, &a, None).await;
    assert_eq!(mark_read(&s, &a, d1).await.status, StatusCode::NO_CONTENT);
    let ev = st.next().await;
    assert_eq!(ev.event, "read");
    assert_eq!(ev.json()["dialog"]["unread"], 0);
    assert_eq!(ev.json()["unread_dialogs"], 1);
    let l = list(&s, &a, "").await;
    assert_eq!(row(&l, d1)["unread"], 0);
    assert_eq!(l["unread_dialogs"], 1);
    assert_eq!(
        s.get(&a, &format!("/api/dialogs/{d1}")).await.json()["unread"],
        0
    );
    // Read again: nothing to change, no event.
    assert_eq!(mark_read(&s, &a, d1).await.status, StatusCode::NO_CONTENT);
    st.quiet_for(Duration::from_millis(200)).await;

    // A reply from the seller is written after reading the dialog: it clears the mark.
    let form = Form::new().text("text", "Спасибо, уточню");
    let r = s
        .post_form(&a, &format!("/api/dialogs/{d2}/messages"), form, None)
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(list(&s, &a, "").await["unread_dialogs"], 0);

    // Another seller's dialog or an unknown one: 404 like everywhere; CSRF header required.
    mark_read(&s, &b, d1).await.error(404, "not_found");
    mark_read(&s, &a, 10_000_001).await.error(404, "not_found");
    let req = Request::post(format!("/api/dialogs/{d1}/read"))
        .header(header::COOKIE, &a)
        .body(Body::empty())
        .unwrap();
    s.send(req).await.error(403, "csrf");
}

#[tokio::test]
async fn activity_order_puts_the_latest_change_first_and_the_default_is_unchanged() {
    let s = quiet_server().await;
    let a = s.login("a").await;
    let d1 = s.create(&a, "Первый").await;
    s.advance(60_000);
    let d2 = s.create(&a, "Второй").await;
    s.advance(60_000);
    let d3 = s.create(&a, "Третий").await;
    s.advance(60_000);
    s.agent_answer(d1, "Ответ на первый").await;

    let ids = |l: &Value| -> Vec<u64> {
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(ids(&list(&s, &a, "").await), vec![d3, d2, d1]);
    let l = list(&s, &a, "?sort=activity_desc").await;
    assert_eq!(ids(&l), vec![d1, d3, d2]);
    assert_eq!(row(&l, d1)["last_activity_at"], T0 + 180_000);
    assert_eq!(row(&l, d2)["last_activity_at"], T0 + 60_000);
    s.get(&a, "/api/dialogs?sort=activity_asc")
        .await
        .error(400, "bad_request");
}

#[tokio::test]
async fn auto_close_sends_a_status_event() {
    let s = quiet_server().await;
    let a = s.login("a").await;
    let d = s.create(&a, "Вопрос").await;
    s.agent_answer(d, "Ответ").await;
    let (mut st, _) = open_ready(&s, &a, None).await;
    s.advance(PERIOD.as_millis() as i64 + 1);
    assert_eq!(s.state.auto_close_now().await.expect("sweep"), 1);
    let ev = st.next().await;
    assert_eq!(ev.event, "status");
    let d = ev.json();
    assert_eq!(d["status"], "closed");
    assert_eq!(d["close_reason"], "auto");
    // The answer was never read: the closed dialog keeps its mark.
    assert_eq!(d["dialog"]["unread"], 1);
}

#[tokio::test]
async fn follows_links_both_ways_and_refuses_foreign_dialogs() {
    let s = quiet_server().await;
    let (a, b) = (s.login("a").await, s.login("b").await);
    let old = s.create(&a, "Старый").await;
    let theirs = s.create(&b, "Чужой").await;
    let (cat, theme) = first_theme();
    let form = |follows: &str| {
        Form::new()
            .text("category", &cat)
            .text("theme", &theme)
            .text("comment", "Продолжение")
            .text("follows", follows)
    };
    let (mut st, _) = open_ready(&s, &a, None).await;
    let r = s
        .post_form(&a, "/api/dialogs", form(&old.to_string()), None)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    let new = r.json()["id"].as_u64().unwrap();
    let ev = st.next().await;
    assert_eq!(ev.event, "created");
    assert_eq!(ev.json()["follows"], old);

    let detail = s.get(&a, &format!("/api/dialogs/{new}")).await.json();
    assert_eq!(detail["follows"], old);
    assert_eq!(detail["followed_by"], serde_json::json!([]));
    let detail = s.get(&a, &format!("/api/dialogs/{old}")).await.json();
    assert_eq!(detail["follows"], Value::Null);
    assert_eq!(detail["followed_by"], serde_json::json!([new]));

    let before = list(&s, &a, "").await["total"].clone();
    for foreign in [theirs.to_string(), "10000001".to_string()] {
        let v = s
            .post_form(&a, "/api/dialogs", form(&foreign), None)
            .await
            .error(404, "not_found");
        assert_eq!(v["field"], "follows");
    }
    let v = s
        .post_form(&a, "/api/dialogs", form("x1"), None)
        .await
        .error(422, "invalid");
    assert_eq!(v["field"], "follows");
    assert_eq!(
        list(&s, &a, "").await["total"],
        before,
        "nothing was created"
    );
    // The other seller learns nothing either.
    let detail = s.get(&b, &format!("/api/dialogs/{theirs}")).await.json();
    assert_eq!(detail["followed_by"], serde_json::json!([]));
}

#[tokio::test]
async fn streams_per_seller_and_in_all_are_capped() {
    let s = TestServer::with(|c| {
        c.event_heartbeat = Duration::from_secs(600);
        c.max_event_streams_per_seller = 2;
        c.max_event_streams = 3;
    })
    .await;
    let (a, b) = (s.login("a").await, s.login("b").await);
    let first = open(&s, &a, None).await;
    let _second = open(&s, &a, None).await;
    let third = open(&s, &a, None).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    let r = Resp {
        status: third.status,
        headers: third.headers.clone(),
        body: third.body.collect().await.unwrap().to_bytes(),
    };
    r.error(429, "rate_limited");
    assert!(r.header("retry-after").parse::<u64>().is_ok());
    // A closed tab frees its place.
    drop(first);
    let again = open(&s, &a, None).await;
    assert_eq!(again.status, StatusCode::OK);

    let _b1 = open(&s, &b, None).await;
    let full = open(&s, &b, None).await;
    assert_eq!(full.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(s.state.events.open_streams(), 3);
}

#[tokio::test]
async fn open_streams_hold_no_request_slot_and_are_never_compressed() {
    let s = TestServer::with(|c| {
        c.event_heartbeat = Duration::from_millis(100);
        c.max_concurrent_requests = 1;
    })
    .await;
    let a = s.login("a").await;
    let req = Request::get("/api/events")
        .header(header::COOKIE, &a)
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(Body::empty())
        .unwrap();
    let res = s.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(res.headers()["x-accel-buffering"], "no");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    let mut st = Stream {
        status: res.status(),
        headers: res.headers().clone(),
        body: res.into_body(),
        buf: String::new(),
    };
    let _second = open(&s, &a, None).await;
    // With one request slot and two streams open, an ordinary request is still served.
    let r = tokio::time::timeout(Duration::from_secs(2), s.get(&a, "/api/dialogs"))
        .await
        .expect("not blocked by the open streams");
    assert_eq!(r.status, StatusCode::OK);
    // The heartbeat: a comment line while nothing happens.
    assert_eq!(st.next().await.event, "ready");
    let hb = st
        .next_within(Duration::from_secs(2))
        .await
        .expect("a heartbeat");
    assert_eq!(hb.event, ":");
}

#[tokio::test]
async fn closing_the_hub_ends_open_streams_and_refuses_new_ones() {
    let s = quiet_server().await;
    let a = s.login("a").await;
    let (mut st, _) = open_ready(&s, &a, None).await;
    s.state.events.close();
    assert!(st.ends_within(Duration::from_secs(2)).await);
    let r = open(&s, &a, None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_ends_streams_instead_of_waiting_for_them() {
    use seller_support_server::serve::{ServeOptions, serve};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = quiet_server().await;
    let a = s.login("a").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let hub = s.state.events.clone();
    let options = ServeOptions {
        shutdown_grace: Duration::from_secs(30),
        ..ServeOptions::default()
    };
    let server = tokio::spawn(serve(listener, s.router.clone(), options, async move {
        let _ = stopped.await;
        hub.close();
    }));
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET /api/events HTTP/1.1\r\nHost: {addr}\r\nCookie: {a}\r\n\r\n");
    conn.write_all(req.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let mut got = String::new();
    while !got.contains("event: ready") {
        let n = conn.read(&mut buf).await.unwrap();
        assert!(n > 0, "{got}");
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let t = std::time::Instant::now();
    let _ = stop.send(());
    let rest = tokio::time::timeout(Duration::from_secs(5), async {
        let mut rest = Vec::new();
        let _ = conn.read_to_end(&mut rest).await;
        rest
    })
    .await
    .expect("the stream ended");
    // The chunked body's last chunk: the response ended cleanly, not cut off.
    assert!(
        String::from_utf8_lossy(&rest).ends_with("0\r\n\r\n"),
        "{rest:?}"
    );
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("serve returned")
        .unwrap()
        .unwrap();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[tokio::test]
async fn a_wake_up_without_a_committed_event_sends_nothing_and_later_events_still_arrive() {
    let s = quiet_server().await;
    let a = s.login("a").await;
    let d = s.create(&a, "Вопрос").await;
    let (mut st, ready) = open_ready(&s, &a, None).await;
    let seller = s.state.store.upsert_seller("a", 0).await.unwrap();
    // As if a transaction had published and then rolled back: an id nobody will read.
    let phantom = ready.id.parse::<i64>().unwrap() + 1;
    s.state
        .events
        .publish(&[seller_support_server::db::Recorded {
            seller_id: seller,
            id: phantom,
        }]);
    st.quiet_for(Duration::from_millis(200)).await;
    s.agent_answer(d, "Ответ").await;
    let ev = st.next().await;
    assert_eq!(ev.event, "message");
    assert_eq!(
        ev.id,
        phantom.to_string(),
        "the id is reused by the real event"
    );
}

#[tokio::test]
async fn events_past_the_retention_are_pruned_and_their_ids_resync() {
    let s = TestServer::with(|c| {
        c.event_heartbeat = Duration::from_secs(600);
        c.event_retention = Duration::from_secs(3600);
    })
    .await;
    let a = s.login("a").await;
    let (mut st, first) = open_ready(&s, &a, None).await;
    let d = s.create(&a, "Вопрос").await;
    let created = st.next().await.id;
    drop(st);
    s.advance(2 * 3600 * 1000);
    s.agent_answer(d, "Ответ").await;
    s.state.purge_sessions_now().await.expect("purge");
    // The created event is gone: from before it, no exact replay; from it, the answer follows.
    let mut st = open(&s, &a, Some(&first.id)).await;
    let ev = st.next().await;
    assert_eq!(ev.event, "resync");
    assert_eq!(ev.json()["reason"], "too_old");
    let mut st = open(&s, &a, Some(&created)).await;
    assert_eq!(st.next().await.event, "message");
    assert_eq!(st.next().await.event, "ready");
}
