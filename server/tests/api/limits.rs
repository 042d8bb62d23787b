//! Issue 19: the domain's limits enforced by the server before it writes anything.

use crate::common::*;
use axum::http::StatusCode;
use domain::api::{MAX_FORM_PARTS, MAX_SHORT_FIELD_BYTES};
use domain::attachments::MAX_FILES;

const PDF: &[u8] = b"%PDF-1.7\n";

fn base(comment: &str) -> Form {
    let (cat, theme) = first_theme();
    Form::new()
        .text("category", &cat)
        .text("theme", &theme)
        .text("comment", comment)
}

fn with_pdfs(mut form: Form, n: usize) -> Form {
    for i in 0..n {
        form = form.file(&format!("scan-{i}.pdf"), PDF, i as u64 + 1);
    }
    form
}

async fn assert_nothing_stored(s: &TestServer, me: &str) {
    assert_eq!(s.get(me, "/api/dialogs").await.json()["total"], 0);
    assert_eq!(s.stored_files().await, 0, "no stored file");
    assert_eq!(s.files_in("tmp"), 0, "no temp file");
}

#[tokio::test]
async fn twenty_files_are_accepted_and_twenty_one_are_refused_before_writing() {
    let s = TestServer::new().await;
    let me = s.login("seller-a").await;
    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            with_pdfs(base("Сканы"), MAX_FILES + 1),
            None,
        )
        .await;
    let v = r.error(422, "too_many_files");
    assert_eq!(v["field"], "files");
    assert!(
        v["message"]
            .as_str()
            .unwrap_or("")
            .contains("не больше 20 файлов"),
        "{v}"
    );
    assert_nothing_stored(&s, &me).await;

    let r = s
        .post_form(
            &me,
            "/api/dialogs",
            with_pdfs(base("Сканы"), MAX_FILES),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    assert_eq!(s.stored_files().await, MAX_FILES);
}

#[tokio::test]
async fn a_reply_takes_at_most_twenty_files_too() {
    let s = TestServer::new().await;
    let me = s.login("seller-a").await;
    let id = s.create(&me, "Вопрос").await;
    let form = with_pdfs(Form::new().text("text", "Ещё сканы"), MAX_FILES + 1);
    let r = s
        .post_form(&me, &format!("/api/dialogs/{id}/messages"), form, None)
        .await;
    r.error(422, "too_many_files");
    assert_eq!(s.stored_files().await, 0);
    assert_eq!(s.files_in("tmp"), 0);
}

#[tokio::test]
async fn a_form_with_too_many_parts_is_413() {
    let s = TestServer::new().await;
    let me = s.login("seller-a").await;
    let mut form = base("Комментарий");
    for i in 0..MAX_FORM_PARTS {
        form = form.text(&format!("extra{i}"), "x");
    }
    let r = s.post_form(&me, "/api/dialogs", form, None).await;
    let v = r.error(413, "too_many_parts");
    assert_eq!(v["field"], "files");
    assert_nothing_stored(&s, &me).await;
}

#[tokio::test]
async fn short_fields_are_capped_and_fields_do_not_repeat() {
    let s = TestServer::new().await;
    let me = s.login("seller-a").await;
    let (_, theme) = first_theme();
    let form = Form::new()
        .text("category", &"c".repeat(MAX_SHORT_FIELD_BYTES + 1))
        .text("theme", &theme)
        .text("comment", "Комментарий");
    let r = s.post_form(&me, "/api/dialogs", form, None).await;
    let v = r.error(413, "payload_too_large");
    assert_eq!(v["field"], "category");

    let form = base("Первый").text("comment", "Второй");
    let r = s.post_form(&me, "/api/dialogs", form, None).await;
    let v = r.error(400, "bad_request");
    assert_eq!(v["field"], "comment");
    assert_nothing_stored(&s, &me).await;
}

/// The comment from the issue: 10 lines, 4 995 characters as typed, sent with CRLF (5 004
/// characters on the wire).
#[tokio::test]
async fn a_ten_line_crlf_comment_within_the_limit_is_accepted_and_stored_with_lf() {
    let s = TestServer::new().await;
    let me = s.login("seller-a").await;
    let mut lines: Vec<String> = (0..9).map(|i| format!("{i}").repeat(499)).collect();
    lines.push("я".repeat(495));
    let lf = lines.join("\n");
    assert_eq!(lf.chars().count(), 4_995);
    let crlf = lines.join("\r\n");
    let r = s.post_form(&me, "/api/dialogs", base(&crlf), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    let id = r.json()["id"].as_u64().expect("id");
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(d["messages"][0]["text"].as_str(), Some(lf.as_str()));

    // Replies are counted and stored the same way.
    let r = s
        .post_form(
            &me,
            &format!("/api/dialogs/{id}/messages"),
            Form::new().text("text", "строка 1\r\nстрока 2\rстрока 3"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    assert_eq!(
        r.json()["messages"][1]["text"].as_str(),
        Some("строка 1\nстрока 2\nстрока 3")
    );
}

#[tokio::test]
async fn file_names_lose_bidi_and_format_characters() {
    let s = TestServer::new().await;
    let me = s.login("seller-a").await;
    let form = base("Файл").file("invoice\u{202E}fdp.\u{200B}pdf", PDF, 10);
    let r = s.post_form(&me, "/api/dialogs", form, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.json());
    let id = r.json()["id"].as_u64().expect("id");
    let d = s.get(&me, &format!("/api/dialogs/{id}")).await.json();
    assert_eq!(
        d["messages"][0]["attachments"][0]["name"].as_str(),
        Some("invoicefdp.pdf")
    );
}
