//! Attachments: exact byte limits, content sniffing, duplicates, malformed and interrupted
//! bodies, downloads. Big files are streamed from a reused zero buffer.

use crate::common::*;
use axum::http::StatusCode;
use domain::attachments::{MAX_FILE_BYTES, MAX_TOTAL_BYTES};

fn base() -> Form {
    let (cat, theme) = first_theme();
    Form::new()
        .text("category", &cat)
        .text("theme", &theme)
        .text("comment", "Прикладываю файлы")
}

/// Nothing of a refused request may remain: no dialog, no stored or temporary file.
async fn assert_nothing_stored(s: &TestServer, me: &str) {
    assert_eq!(s.get(me, "/api/dialogs").await.json()["total"], 0);
    assert_eq!(s.stored_files().await, 0, "no stored file");
    assert_eq!(s.files_in("tmp"), 0, "no temp file");
}

#[tokio::test]
async fn file_of_exactly_10_mib_is_accepted_and_one_byte_more_is_not() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            base().png("ровно.png", MAX_FILE_BYTES),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    let id = r.json()["id"].as_u64().unwrap();
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    let att = &d["messages"][0]["attachments"][0];
    assert_eq!(att["size"], MAX_FILE_BYTES);
    assert_eq!(att["content_type"], "image/png");
    assert_eq!(s.stored_files().await, 1);

    let s = TestServer::new().await;
    let me = s.login("a").await;
    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            base().png("больше.png", MAX_FILE_BYTES + 1),
            None,
        )
        .await;
    let v = r.error(413, "too_large");
    assert_eq!(v["field"], "files");
    assert!(v["message"].as_str().unwrap().contains("больше.png"), "{v}");
    assert_nothing_stored(&s, &me).await;
}

#[tokio::test]
async fn total_of_exactly_50_mib_is_accepted_and_one_byte_more_is_not() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let mut form = base();
    for i in 0..5 {
        form = form.png(&format!("part{i}.png"), MAX_TOTAL_BYTES / 5);
    }
    let r = s.post_form(&me, "/api/dialogs", form, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    assert_eq!(s.stored_files().await, 5);

    let s = TestServer::new().await;
    let me = s.login("a").await;
    let mut form = base();
    for i in 0..5 {
        form = form.png(&format!("part{i}.png"), MAX_TOTAL_BYTES / 5);
    }
    form = form.file("лишний.pdf", b"%PDF-1.4\n", 0);
    let r = s.post_form(&me, "/api/dialogs", form, None).await;
    let v = r.error(413, "total_too_large");
    assert_eq!(v["field"], "files");
    assert_nothing_stored(&s, &me).await;
}

#[tokio::test]
async fn body_over_the_server_limit_is_413_json() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let mut form = base();
    // Six 9.5 MiB files: each passes the per-file check, the body passes BODY_LIMIT.
    for i in 0..6 {
        form = form.png(&format!("p{i}.png"), 9 * 1024 * 1024 + 512 * 1024);
    }
    let r = s.post_form(&me, "/api/dialogs", form, None).await;
    r.error(413, "payload_too_large");
    assert_nothing_stored(&s, &me).await;
}

#[tokio::test]
async fn content_must_match_the_extension() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            base().file("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00", 1000),
            None,
        )
        .await;
    let v = r.error(415, "content_mismatch");
    assert_eq!(v["field"], "files");
    s.post_form(
        &me,
        "/api/dialogs",
        base().file("setup.exe", b"MZ\x90\x00", 10),
        None,
    )
    .await
    .error(415, "unsupported_format");
    s.post_form(&me, "/api/dialogs", base().file("empty.png", b"", 0), None)
        .await
        .error(422, "empty");
    s.post_form(
        &me,
        "/api/dialogs",
        base().png("a.png", 100).png("a.png", 100),
        None,
    )
    .await
    .error(422, "duplicate");
    assert_nothing_stored(&s, &me).await;
    // The empty part a plain HTML form sends when no file is chosen is ignored.
    let r = s
        .post_form(&me, "/api/dialogs", base().file("", b"", 0), None)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    let id = r.json()["id"].as_u64().unwrap();
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(d["messages"][0]["attachments"], serde_json::json!([]));
    s.post_form(&me, "/api/dialogs", base().file("", b"%PDF-", 10), None)
        .await
        .error(422, "invalid");
    // Same bytes under another name, and the upper-case extension, are fine.
    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            base().png("a.png", 100).png("b.PNG", 100),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
}

#[tokio::test]
async fn malformed_multipart_is_400_json_and_leaves_nothing() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    // The file part never ends: no closing boundary.
    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            base().png("a.png", 4096).unterminated(),
            None,
        )
        .await;
    r.error(400, "bad_request");
    assert_nothing_stored(&s, &me).await;

    // A multipart content type without a boundary.
    let req = axum::http::Request::post("/api/dialogs")
        .header("cookie", &me)
        .header("X-Requested-With", "seller-support")
        .header("content-type", "multipart/form-data")
        .body(axum::body::Body::from("garbage"))
        .unwrap();
    s.send(req).await.error(400, "bad_request");
}

#[tokio::test]
async fn interrupted_upload_leaves_no_dialog_and_no_file() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let form = base()
        .png("first.png", 300_000)
        .png("second.png", 3_000_000)
        .fail_after(1_500_000);
    let r = s
        .post_form(&me, "/api/dialogs", form, Some("retry-me"))
        .await;
    r.error(400, "bad_request");
    assert_nothing_stored(&s, &me).await;
    // The key was not used up by the failed attempt.
    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            base().png("first.png", 300_000),
            Some("retry-me"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn download_is_an_attachment_with_the_exact_bytes() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let pdf = seller_support_server::demo::demo_pdf("hello");
    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            base().file("Акт сверки №5.pdf", &pdf, 0),
            None,
        )
        .await;
    let id = r.json()["id"].as_u64().unwrap();
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    let att = &d["messages"][0]["attachments"][0];
    let r = s
        .get(
            &me,
            att["id"]
                .as_str()
                .map(|i| format!("/api/attachments/{i}"))
                .unwrap()
                .as_str(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.as_ref(), pdf.as_slice());
    assert_eq!(r.header("content-type"), "application/pdf");
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    let cd = r.header("content-disposition");
    assert!(
        cd.starts_with("attachment; filename=\"___ ______ _5.pdf\""),
        "{cd}"
    );
    assert!(
        cd.contains("filename*=UTF-8''%D0%90%D0%BA%D1%82%20%D1%81"),
        "{cd}"
    );
    // Stored under the generated id, never under the client's name: a file of that name, or
    // (PostgreSQL) the chunks of that attachment row.
    if on_postgres() {
        let ids = s
            .sql_strings("SELECT DISTINCT attachment_id FROM attachment_chunks")
            .await;
        assert_eq!(ids, vec![att["id"].as_str().unwrap().to_string()]);
        assert_eq!(s.files_in("files"), 0);
        return;
    }
    let stored: Vec<String> = std::fs::read_dir(s.dir.path().join("files"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(stored, vec![att["id"].as_str().unwrap().to_string()]);
}

#[tokio::test]
async fn reply_with_files_and_limits() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let id = s.create(&me, "q").await;
    let uri = format!("/api/dialogs/{id}/messages");
    s.post_form(
        &me,
        &uri,
        Form::new().text("text", " ").png("a.png", 10),
        None,
    )
    .await
    .error(422, "empty_comment");
    s.post_form(
        &me,
        &uri,
        Form::new()
            .text("text", "x")
            .png("big.png", MAX_FILE_BYTES + 1),
        None,
    )
    .await
    .error(413, "too_large");
    assert_eq!(s.stored_files().await, 0);
    assert_eq!(s.files_in("tmp"), 0);
    let r = s
        .post_form(
            &me,
            &uri,
            Form::new().text("text", "фото").png("фото.png", 2048),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["messages"][1]["attachments"][0]["size"], 2048);
}
