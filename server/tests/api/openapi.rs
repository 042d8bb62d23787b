//! The OpenAPI document: valid JSON, every route listed, and real responses match the
//! documented schemas (checked by a small validator for the subset utoipa emits).

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every route the router serves (method, path).
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/catalog"),
    ("get", "/api/openapi.json"),
    ("get", "/api/session"),
    ("post", "/api/dev/login"),
    ("post", "/api/logout"),
    ("get", "/api/dialogs"),
    ("post", "/api/dialogs"),
    ("get", "/api/dialogs/{id}"),
    ("post", "/api/dialogs/{id}/read"),
    ("get", "/api/events"),
    ("post", "/api/dialogs/{id}/messages"),
    ("post", "/api/dialogs/{id}/resolve"),
    ("get", "/api/attachments/{id}"),
    ("post", "/api/agent/dialogs/{id}/messages"),
];

fn resolve_ref<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            let target = &doc["components"]["schemas"][name];
            assert!(!target.is_null(), "dangling $ref {r}");
            resolve_ref(doc, target)
        }
        None => schema,
    }
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        _ => false,
    }
}

/// Checks `v` against `schema`; returns the first problem.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let schema = resolve_ref(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            check(doc, s, v, at)?;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(opts) = schema.get(key).and_then(Value::as_array)
            && !opts.iter().any(|s| check(doc, s, v, at).is_ok())
        {
            return Err(format!("{at}: {v} matches no {key} option"));
        }
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => {
            return Err(format!("{at}: {v} is not {t}"));
        }
        Some(Value::Array(ts)) if !ts.iter().any(|t| t.as_str().is_some_and(|t| type_ok(t, v))) => {
            return Err(format!("{at}: {v} is none of {ts:?}"));
        }
        _ => {}
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{at}: {v} not in enum {e:?}"));
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64())
        && n < min
    {
        return Err(format!("{at}: {n} < minimum {min}"));
    }
    if let Some(obj) = v.as_object() {
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    return Err(format!("{at}: missing required {r}"));
                }
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, s) in props {
                if let Some(x) = obj.get(k) {
                    check(doc, s, x, &format!("{at}.{k}"))?;
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The documented JSON schema of a response.
fn response_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let s = &doc["paths"][path][method]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"];
    assert!(
        !s.is_null(),
        "{method} {path} {status} has no documented JSON schema"
    );
    s
}

fn assert_matches(doc: &Value, method: &str, path: &str, r: &Resp) {
    let schema = response_schema(doc, method, path, r.status.as_u16());
    if let Err(e) = check(doc, schema, &r.json(), "$") {
        panic!("{method} {path} {}: {e}", r.status);
    }
}

#[tokio::test]
async fn document_is_valid_json_and_lists_every_route() {
    let s = TestServer::new().await;
    let r = s.get("", "/api/openapi.json").await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let listed: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
                .map(move |m| (m.clone(), p.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(listed, expected);
    // Every $ref resolves.
    fn walk(doc: &Value, v: &Value) {
        match v {
            Value::Object(m) => {
                if m.contains_key("$ref") {
                    resolve_ref(doc, v);
                }
                m.values().for_each(|x| walk(doc, x));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(doc, x)),
            _ => {}
        }
    }
    walk(&doc, &doc);
    // The document served equals the one --dump-openapi writes.
    assert_eq!(
        r.body.as_ref(),
        seller_support_server::openapi::document_json().as_bytes()
    );
}

#[tokio::test]
async fn the_catalog_serves_and_documents_the_suggestion_words() {
    let s = TestServer::with(|_| {}).await;
    let catalog = s.get("", "/api/catalog").await.json();
    let themes: Vec<&Value> = catalog["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .flat_map(|c| c["themes"].as_array().expect("themes"))
        .collect();
    assert!(!themes.is_empty());
    for t in &themes {
        let words = t["keywords"]
            .as_array()
            .expect("every served theme has keywords");
        assert!(!words.is_empty(), "{}", t["id"]);
    }
    let doc = s.get("", "/api/openapi.json").await.json();
    let props = &doc["components"]["schemas"]["Theme"]["properties"];
    for field in ["keywords", "negative_keywords"] {
        let p = &props[field];
        assert!(p.is_object(), "Theme.{field} is documented: {props}");
        let text = p["description"].as_str().unwrap_or("");
        assert!(!text.is_empty(), "Theme.{field} says what it is for");
    }
}

#[tokio::test]
async fn real_responses_match_the_documented_schemas() {
    let s = TestServer::with(|c| c.demo = true).await;
    let doc = s.get("", "/api/openapi.json").await.json();
    let me = s.login("demo").await;

    assert_matches(&doc, "get", "/api/health", &s.get("", "/api/health").await);
    assert_matches(
        &doc,
        "get",
        "/api/catalog",
        &s.get("", "/api/catalog").await,
    );
    assert_matches(
        &doc,
        "get",
        "/api/session",
        &s.get(&me, "/api/session").await,
    );
    assert_matches(
        &doc,
        "get",
        "/api/session",
        &s.get("", "/api/session").await,
    );
    let list = s.get(&me, "/api/dialogs?per_page=100").await;
    assert_matches(&doc, "get", "/api/dialogs", &list);
    // Every demo dialog's detail (all statuses, attachments, resolutions).
    for d in list.json()["items"].as_array().unwrap() {
        let r = s.get(&me, &format!("/api/dialogs/{}", d["id"])).await;
        assert_matches(&doc, "get", "/api/dialogs/{id}", &r);
    }
    assert_matches(
        &doc,
        "get",
        "/api/dialogs/{id}",
        &s.get(&me, "/api/dialogs/1").await,
    );

    let (cat, theme) = first_theme();
    let form = Form::new()
        .text("category", &cat)
        .text("theme", &theme)
        .text("comment", "вопрос");
    let created = s.post_form(&me, "/api/dialogs", form, None).await;
    assert_matches(&doc, "post", "/api/dialogs", &created);
    let id = created.json()["id"].as_u64().unwrap();
    let bad = Form::new()
        .text("category", &cat)
        .text("theme", "x")
        .text("comment", "вопрос");
    assert_matches(
        &doc,
        "post",
        "/api/dialogs",
        &s.post_form(&me, "/api/dialogs", bad, None).await,
    );
    let big = Form::new()
        .text("category", &cat)
        .text("theme", &theme)
        .text("comment", "в")
        .png("big.png", domain::attachments::MAX_FILE_BYTES + 1);
    assert_matches(
        &doc,
        "post",
        "/api/dialogs",
        &s.post_form(&me, "/api/dialogs", big, None).await,
    );

    let agent = s.agent_answer(id, "ответ").await;
    assert_matches(&doc, "post", "/api/agent/dialogs/{id}/messages", &agent);
    let reply = s
        .post_form(
            &me,
            &format!("/api/dialogs/{id}/messages"),
            Form::new().text("text", "ещё"),
            None,
        )
        .await;
    assert_matches(&doc, "post", "/api/dialogs/{id}/messages", &reply);
    let early = s
        .post_json(
            &me,
            &format!("/api/dialogs/{id}/resolve"),
            r#"{"rating":5}"#,
        )
        .await;
    assert_matches(&doc, "post", "/api/dialogs/{id}/resolve", &early);
    s.agent_answer(id, "ответ").await;
    let done = s
        .post_json(
            &me,
            &format!("/api/dialogs/{id}/resolve"),
            r#"{"rating":2,"reasons":["off_topic"]}"#,
        )
        .await;
    assert_matches(&doc, "post", "/api/dialogs/{id}/resolve", &done);
    let login = s
        .post_json("", "/api/dev/login", r#"{"seller":"demo"}"#)
        .await;
    assert_matches(&doc, "post", "/api/dev/login", &login);

    // The validator does catch a wrong shape.
    let schema = response_schema(&doc, "get", "/api/dialogs", 200);
    let wrong = serde_json::json!({"items": [{"id": "x"}], "total": 1});
    assert!(check(&doc, schema, &wrong, "$").is_err());
}

#[tokio::test]
async fn event_payloads_and_the_read_endpoint_match_the_document() {
    let s = TestServer::new().await;
    let doc = s.get("", "/api/openapi.json").await.json();
    let me = s.login("a").await;
    let schema = |name: &str| serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
    assert!(
        !doc["paths"]["/api/events"]["get"]["responses"]["200"]["content"]["text/event-stream"]
            .is_null()
    );
    let mut st = crate::events::open(&s, &me, None).await;
    let ready = st.next().await;
    check(&doc, &schema("StreamReady"), &ready.json(), "ready").unwrap();
    let id = s.create(&me, "Вопрос").await;
    s.agent_answer(id, "Ответ").await;
    let read = s
        .send(
            axum::http::Request::post(format!("/api/dialogs/{id}/read"))
                .header(axum::http::header::COOKIE, &me)
                .header("X-Requested-With", "seller-support")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(read.status.as_u16(), 204);
    assert!(!doc["paths"]["/api/dialogs/{id}/read"]["post"]["responses"]["204"].is_null());
    s.post_json(
        &me,
        &format!("/api/dialogs/{id}/resolve"),
        r#"{"rating":5}"#,
    )
    .await;
    for kind in ["created", "message", "read", "status"] {
        let ev = st.next().await;
        assert_eq!(ev.event, kind);
        check(&doc, &schema("DialogChange"), &ev.json(), kind).unwrap();
        assert!(
            doc["components"]["schemas"]["EventKind"]["enum"]
                .as_array()
                .is_some_and(|k| k.contains(&Value::from(kind))),
            "{kind}"
        );
    }
    let mut again = crate::events::open(&s, &me, Some("nonsense")).await;
    let resync = again.next().await;
    assert_eq!(resync.event, "resync");
    check(&doc, &schema("Resync"), &resync.json(), "resync").unwrap();
    let other = s.login("b").await;
    let r = s
        .send(
            axum::http::Request::post(format!("/api/dialogs/{id}/read"))
                .header(axum::http::header::COOKIE, &other)
                .header("X-Requested-With", "seller-support")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_matches(&doc, "post", "/api/dialogs/{id}/read", &r);
}
