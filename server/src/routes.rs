//! The `/api` handlers. Each one is documented for OpenAPI with `#[utoipa::path]`; the types
//! come from `domain::api`.

use crate::auth::{AgentAuth, SellerAuth, clear_cookie, require_csrf_header, session_cookie};
use crate::db::{self, NewAttachment};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, RequestHash};
use crate::limits::{Limiters, limited};
use crate::upload::{StagedFile, Upload, commit_files, read_multipart, remove_all};
use crate::{AppState, openapi};
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, Version, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use domain::api::Author;
use domain::api::{
    AgentMessage, ApiError, CreatedDialog, DialogDetail, DialogList, Health, ListQuery,
    LoginRequest, ResolveRequest, Session, codes, fields, normalize_text, validate_comment,
    validate_seller,
};
use domain::catalog::Catalog;
use domain::status::{DialogEvent, DialogStatus};
use serde::de::DeserializeOwned;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};

/// Body limit of the JSON-only endpoints (login, resolve): they never need more.
const SMALL_BODY_LIMIT: usize = 64 * 1024;

/// Every `/api` route; login, create, reply and download under `limiters` when given.
pub fn api_router(limiters: Option<&Limiters>) -> Router<AppState> {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/catalog", get(catalog))
        .route("/api/session", get(session))
        .route("/api/logout", post(logout))
        .route(
            "/api/dev/login",
            limited(
                limiters.map(|l| &l.login),
                post(dev_login).layer(DefaultBodyLimit::max(SMALL_BODY_LIMIT)),
            ),
        )
        .route(
            "/api/dialogs",
            get(list_dialogs).merge(limited(limiters.map(|l| &l.create), post(create_dialog))),
        )
        .route("/api/dialogs/{id}", get(get_dialog))
        .route(
            "/api/dialogs/{id}/messages",
            limited(limiters.map(|l| &l.reply), post(reply)),
        )
        .route(
            "/api/dialogs/{id}/resolve",
            post(resolve).layer(DefaultBodyLimit::max(SMALL_BODY_LIMIT)),
        )
        .route(
            "/api/attachments/{id}",
            limited(limiters.map(|l| &l.download), get(download_attachment)),
        )
        .route("/api/agent/dialogs/{id}/messages", post(agent_message))
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(require_csrf_header))
        .layer(json_compression())
}

/// Compresses JSON answers with br or gzip, whichever the client prefers (`Vary:
/// Accept-Encoding` is added). The list and the catalog are a few KB of repetitive JSON that
/// shrink several times over. Only JSON: attachment downloads (`Content-Disposition`) go out as
/// stored — mostly already compressed formats, and a download is a file, not a document to
/// recode — and the app's static files are served precompressed by [`crate::web`], outside
/// this router. Answers under 256 bytes are not worth the framing.
fn json_compression() -> CompressionLayer<impl Predicate> {
    let json_document = |_: StatusCode, _: Version, h: &HeaderMap, _: &Extensions| {
        !h.contains_key(header::CONTENT_DISPOSITION)
            && h.get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
    };
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .compress_when(SizeAbove::new(256).and(json_document))
}

async fn api_not_found() -> AppError {
    AppError::new(
        StatusCode::NOT_FOUND,
        codes::NOT_FOUND,
        "Нет такого адреса API.",
    )
}

async fn method_not_allowed() -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        "Этот метод не поддерживается для адреса.",
    )
}

// ---------------------------------------------------------------------------------------------
// Body helpers

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn is_json(headers: &HeaderMap) -> bool {
    let ct = content_type(headers);
    let mime = ct.split(';').next().unwrap_or("").trim();
    mime == "application/json"
}

fn unsupported_media_type(expected: &str) -> AppError {
    AppError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        codes::UNSUPPORTED_MEDIA_TYPE,
        format!("Ожидается тело запроса {expected}."),
    )
}

/// A JSON body: 415 for another content type, 413 past the limit, 400 for broken JSON, 422 for
/// JSON of the wrong shape.
async fn json_body<T: DeserializeOwned>(req: Request, state: &AppState) -> AppResult<T> {
    if !is_json(req.headers()) {
        return Err(unsupported_media_type("application/json"));
    }
    let bytes = Bytes::from_request(req, state).await.map_err(|e| {
        if crate::limits::is_body_timeout(&e) {
            AppError::request_timeout()
        } else if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::payload_too_large()
        } else {
            AppError::bad_request("Не удалось прочитать тело запроса.")
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::INVALID,
                format!("Неверные данные: {e}"),
            ),
            _ => AppError::bad_request(format!("Некорректный JSON: {e}")),
        }
    })
}

/// A multipart body: 415 for another content type.
async fn multipart_body(req: Request, state: &AppState) -> AppResult<Multipart> {
    let ct = content_type(req.headers());
    if !ct.starts_with("multipart/form-data") {
        return Err(unsupported_media_type("multipart/form-data"));
    }
    Multipart::from_request(req, state)
        .await
        .map_err(|e| AppError::bad_request(format!("Некорректная форма: {}", e.body_text())))
}

/// Dialog numbers in paths: anything that is not a number is as absent as another seller's.
fn dialog_id(raw: &str) -> AppResult<u64> {
    raw.parse::<u64>().map_err(|_| AppError::dialog_not_found())
}

fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// System

/// Liveness and mode.
#[utoipa::path(get, path = "/api/health", tag = "system", security(()),
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".to_string(),
        demo: state.config.demo,
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// Categories and themes for the dialog form.
#[utoipa::path(get, path = "/api/catalog", tag = "system", security(()),
    responses((status = 200, description = "The catalog", body = Catalog)))]
pub async fn catalog(State(state): State<AppState>) -> Json<Catalog> {
    Json(state.catalog.clone())
}

/// The OpenAPI document of this API.
#[utoipa::path(get, path = "/api/openapi.json", tag = "system", security(()),
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    json_response(StatusCode::OK, openapi::document_json())
}

// ---------------------------------------------------------------------------------------------
// Session

/// The logged-in seller.
#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, body = Session), (status = 401, body = ApiError)))]
pub async fn session(seller: SellerAuth) -> Json<Session> {
    Json(Session {
        seller: seller.name,
    })
}

/// Demo mode only: log in as any seller (created if new); sets the session cookie.
#[utoipa::path(post, path = "/api/dev/login", tag = "session", request_body = LoginRequest, security(()),
    params(("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`")),
    responses((status = 200, body = Session, headers(("Set-Cookie" = String, description = "support_session=…; HttpOnly; SameSite=Lax"))),
        (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, description = "Not in demo mode", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn dev_login(State(state): State<AppState>, req: Request) -> AppResult<Response> {
    if !state.config.demo {
        return Err(api_not_found().await);
    }
    let body: LoginRequest = json_body(req, &state).await?;
    let name = validate_seller(&body.seller)
        .map_err(|e| AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: e,
        })?
        .to_string();
    let now = state.now();
    let n = name.clone();
    let token = state
        .db
        .call(move |c| {
            let id = db::upsert_seller(c, &n, now)?;
            db::create_session(c, id, now)
        })
        .await?;
    let mut res = Json(Session { seller: name }).into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state.config, &token));
    Ok(res)
}

/// Ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/logout", tag = "session", security(()),
    params(("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`")),
    responses((status = 204, description = "Logged out"), (status = 403, body = ApiError)))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = crate::auth::session_token(&headers, state.config.cookie_name()) {
        state
            .db
            .call(move |c| db::delete_session(c, &token))
            .await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(&state.config));
    Ok(res)
}

// ---------------------------------------------------------------------------------------------
// Dialogs

/// The seller's dialogs, one page.
#[utoipa::path(get, path = "/api/dialogs", tag = "dialogs", params(ListQuery),
    responses((status = 200, body = DialogList),
        (status = 400, description = "A bad `status`, `sort`, `page` or `per_page`", body = ApiError),
        (status = 401, body = ApiError)))]
pub async fn list_dialogs(
    State(state): State<AppState>,
    seller: SellerAuth,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<DialogList>> {
    let query =
        ListQuery::try_parse_query_string(raw.as_deref().unwrap_or("")).map_err(|body| {
            AppError {
                status: StatusCode::BAD_REQUEST,
                body,
            }
        })?;
    let st = state.clone();
    let now = state.now();
    let list = state
        .db
        .call(move |c| {
            let after = st.config.auto_close_ms();
            db::auto_close_due(c, now, after)?;
            db::list_dialogs(c, seller.id, &query, &st.catalog, after)
        })
        .await?;
    Ok(Json(list))
}

/// The category, theme and comment of a new dialog, checked against the catalog and the
/// comment rule.
fn validate_new_dialog(up: &Upload, catalog: &Catalog) -> AppResult<(String, String, String)> {
    let category = up.text(fields::CATEGORY).unwrap_or("").trim();
    if category.is_empty() {
        return Err(AppError::invalid(fields::CATEGORY, "Выберите категорию."));
    }
    if catalog.category(category).is_none() {
        return Err(AppError::invalid(fields::CATEGORY, "Такой категории нет."));
    }
    let theme = up.text(fields::THEME).unwrap_or("").trim();
    if theme.is_empty() {
        return Err(AppError::invalid(fields::THEME, "Выберите тему."));
    }
    if catalog.theme(category, theme).is_none() {
        return Err(AppError::invalid(
            fields::THEME,
            "Такой темы нет в выбранной категории.",
        ));
    }
    let comment = up.text(fields::COMMENT).unwrap_or("");
    validate_comment(comment).map_err(|e| AppError::comment(e, fields::COMMENT))?;
    Ok((
        category.to_string(),
        theme.to_string(),
        normalize_text(comment),
    ))
}

/// Creates a dialog. Multipart fields: `category`, `theme`, `comment`, and `files` (repeat).
/// With `Idempotency-Key`, a repeat of the same request with the same key by the same seller
/// returns the first response (201, same body) and creates nothing; the same key with a
/// different request is 422 `idempotency_key_reused` (see [`crate::idempotency`]).
#[utoipa::path(post, path = "/api/dialogs", tag = "dialogs",
    request_body(content = openapi::CreateDialogForm, content_type = "multipart/form-data"),
    params(
        ("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`"),
        ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 128, pattern = "^[!-~]{1,128}$", description = "1–128 visible ASCII characters; one per filled-in form. A repeat of the same request gets the first response; the same key with a different request is 422 `idempotency_key_reused`"),
    ),
    responses((status = 201, body = CreatedDialog),
        (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, description = "A field failed validation, or `idempotency_key_reused`", body = ApiError)))]
pub async fn create_dialog(
    State(state): State<AppState>,
    seller: SellerAuth,
    req: Request,
) -> AppResult<Response> {
    let key = idempotency::key(req.headers())?;
    crate::disk::ensure_room(&state, req.headers())?;
    let mp = multipart_body(req, &state).await?;
    let mut up = read_multipart(
        mp,
        &state.tmp_dir(),
        &[fields::CATEGORY, fields::THEME, fields::COMMENT],
    )
    .await?;
    let (category, theme, comment) = validate_new_dialog(&up, &state.catalog)?;
    let mut fingerprint = RequestHash::new("create");
    fingerprint
        .part(category.as_bytes())
        .part(theme.as_bytes())
        .part(comment.as_bytes());
    for f in &up.files {
        fingerprint.file(&f.name, f.size, f.digest);
    }
    let fingerprint = fingerprint.hex();
    let now = state.now();
    let st = state.clone();
    let body = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            // Checked inside the transaction that stores the result, so two requests with the
            // same key cannot both create (the connection serialises them).
            if let Some(k) = &key
                && let Some(id) = idempotency::replay(
                    db::idempotent_request(&tx, seller.id, k, now)?,
                    idempotency::Kind::Create,
                    &fingerprint,
                )?
            {
                // The first answer, rebuilt: a new dialog is always `waiting` at its creation.
                let row = db::load_dialog(&tx, id, Some(seller.id))?;
                return created_body(id, row.created_at);
            }
            let atts: Vec<NewAttachment> = up.files.iter().map(StagedFile::attachment).collect();
            let id = db::insert_dialog(
                &tx,
                seller.id,
                &category,
                &theme,
                &comment,
                &atts,
                now,
                &st.catalog,
            )?;
            let body = created_body(id, now)?;
            if let Some(k) = &key {
                let stored = idempotency::Stored {
                    dialog_id: id,
                    kind: idempotency::Kind::Create,
                    request_hash: Some(fingerprint),
                };
                db::store_idempotent_request(&tx, seller.id, k, &stored, now)?;
            }
            let moved = commit_files(&mut up.files, &st.files_dir())?;
            if let Err(e) = tx.commit() {
                remove_all(&moved);
                return Err(e.into());
            }
            Ok(body)
        })
        .await?;
    Ok(json_response(StatusCode::CREATED, body))
}

fn created_body(id: u64, created_at: i64) -> AppResult<String> {
    serde_json::to_string(&CreatedDialog {
        id,
        status: DialogStatus::Waiting,
        created_at,
    })
    .map_err(AppError::internal)
}

/// One dialog with its messages and attachments.
#[utoipa::path(get, path = "/api/dialogs/{id}", tag = "dialogs",
    params(("id" = u64, Path, description = "8-digit dialog number")),
    responses((status = 200, body = DialogDetail), (status = 401, body = ApiError),
        (status = 404, description = "No such dialog, or another seller's", body = ApiError)))]
pub async fn get_dialog(
    State(state): State<AppState>,
    seller: SellerAuth,
    Path(raw): Path<String>,
) -> AppResult<Json<DialogDetail>> {
    let id = dialog_id(&raw)?;
    let st = state.clone();
    let now = state.now();
    let detail = state
        .db
        .call(move |c| {
            let after = st.config.auto_close_ms();
            db::auto_close_due(c, now, after)?;
            let row = db::load_dialog(c, id, Some(seller.id))?;
            db::dialog_detail(c, &row, &st.catalog, after)
        })
        .await?;
    Ok(Json(detail))
}

/// A seller's reply under an `Idempotency-Key`: the key and the request's fingerprint.
struct ReplyKey {
    key: String,
    fingerprint: String,
}

/// Stores a message from the seller or the agent, after the state machine agreed; returns the
/// dialog afterwards as JSON. With a [`ReplyKey`], a repeat of the same reply returns the stored
/// first response instead and stores nothing.
async fn post_message(
    state: &AppState,
    id: u64,
    seller: Option<i64>,
    author: Author,
    text: String,
    mut files: Vec<StagedFile>,
    idem: Option<ReplyKey>,
) -> AppResult<String> {
    let st = state.clone();
    let now = state.now();
    state
        .db
        .call(move |c| {
            let after = st.config.auto_close_ms();
            db::auto_close_due(c, now, after)?;
            let tx = c.transaction()?;
            if let (Some(sid), Some(k)) = (seller, &idem)
                && let Some(dialog) = idempotency::replay(
                    db::idempotent_request(&tx, sid, &k.key, now)?,
                    idempotency::Kind::Reply,
                    &k.fingerprint,
                )?
            {
                // The replay answers with the dialog as it is now: it holds the first reply.
                let row = db::load_dialog(&tx, dialog, seller)?;
                let detail = db::dialog_detail(&tx, &row, &st.catalog, after)?;
                return serde_json::to_string(&detail).map_err(AppError::internal);
            }
            let row = db::load_dialog(&tx, id, seller)?;
            let atts: Vec<NewAttachment> = files.iter().map(StagedFile::attachment).collect();
            db::add_message(&tx, &row, author, &text, &atts, now)?;
            let row = db::load_dialog(&tx, id, seller)?;
            let detail = db::dialog_detail(&tx, &row, &st.catalog, after)?;
            let body = serde_json::to_string(&detail).map_err(AppError::internal)?;
            if let (Some(sid), Some(k)) = (seller, idem) {
                let stored = idempotency::Stored {
                    dialog_id: id,
                    kind: idempotency::Kind::Reply,
                    request_hash: Some(k.fingerprint),
                };
                db::store_idempotent_request(&tx, sid, &k.key, &stored, now)?;
            }
            let moved = commit_files(&mut files, &st.files_dir())?;
            if let Err(e) = tx.commit() {
                remove_all(&moved);
                return Err(e.into());
            }
            Ok(body)
        })
        .await
}

/// The seller continues the dialog (an answered dialog goes back to waiting). Multipart fields:
/// `text`, `files` (repeat). With `Idempotency-Key`, a repeat of the same reply with the same
/// key returns the first response (201, same body) and posts nothing — also once the dialog
/// has closed since; the same key with a different reply is 422 `idempotency_key_reused`.
#[utoipa::path(post, path = "/api/dialogs/{id}/messages", tag = "dialogs",
    request_body(content = openapi::MessageForm, content_type = "multipart/form-data"),
    params(("id" = u64, Path, description = "8-digit dialog number"),
        ("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`"),
        ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 128, pattern = "^[!-~]{1,128}$", description = "1–128 visible ASCII characters; one per reply draft. A repeat of the same reply gets the first response; the same key with a different reply is 422 `idempotency_key_reused`")),
    responses((status = 201, body = DialogDetail),
        (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, description = "The dialog is closed", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, description = "A field failed validation, or `idempotency_key_reused`", body = ApiError)))]
pub async fn reply(
    State(state): State<AppState>,
    seller: SellerAuth,
    Path(raw): Path<String>,
    req: Request,
) -> AppResult<Response> {
    let id = dialog_id(&raw)?;
    let key = idempotency::key(req.headers())?;
    // Refuse early, before reading any file, when the dialog is not the seller's or is closed;
    // the same checks run again in the transaction that stores the message. A key already
    // used skips the status check: its reply may have been posted before the dialog closed,
    // and then the answer is the stored response, not 409.
    let sid = seller.id;
    let (now, after) = (state.now(), state.config.auto_close_ms());
    let k = key.clone();
    state
        .db
        .call(move |c| {
            db::auto_close_due(c, now, after)?;
            let row = db::load_dialog(c, id, Some(sid))?;
            let seen = match &k {
                Some(k) => db::idempotent_request(c, sid, k, now)?.is_some(),
                None => false,
            };
            if !seen {
                row.status.apply(&DialogEvent::SellerReply)?;
            }
            Ok(())
        })
        .await?;
    crate::disk::ensure_room(&state, req.headers())?;
    let mp = multipart_body(req, &state).await?;
    let up = read_multipart(mp, &state.tmp_dir(), &[fields::TEXT]).await?;
    let text = up.text(fields::TEXT).unwrap_or("");
    validate_comment(text).map_err(|e| AppError::comment(e, fields::TEXT))?;
    let text = normalize_text(text);
    let idem = key.map(|key| {
        let mut h = RequestHash::new("reply");
        h.part(&id.to_le_bytes()).part(text.as_bytes());
        for f in &up.files {
            h.file(&f.name, f.size, f.digest);
        }
        ReplyKey {
            key,
            fingerprint: h.hex(),
        }
    });
    let body = post_message(
        &state,
        id,
        Some(seller.id),
        Author::Seller,
        text,
        up.files,
        idem,
    )
    .await?;
    Ok(json_response(StatusCode::CREATED, body))
}

/// «Вопрос решён»: rate the answer (1–5) and close the dialog. Only answered dialogs.
#[utoipa::path(post, path = "/api/dialogs/{id}/resolve", tag = "dialogs", request_body = ResolveRequest,
    params(("id" = u64, Path, description = "8-digit dialog number"),
        ("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`")),
    responses((status = 200, body = DialogDetail),
        (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, description = "Not answered yet, or already closed", body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn resolve(
    State(state): State<AppState>,
    seller: SellerAuth,
    Path(raw): Path<String>,
    req: Request,
) -> AppResult<Json<DialogDetail>> {
    let id = dialog_id(&raw)?;
    let body: ResolveRequest = json_body(req, &state).await?;
    let comment = match body.comment.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => {
            validate_comment(c).map_err(|e| AppError::comment(e, "comment"))?;
            Some(normalize_text(c))
        }
    };
    let st = state.clone();
    let now = state.now();
    let detail = state
        .db
        .call(move |c| {
            let after = st.config.auto_close_ms();
            db::auto_close_due(c, now, after)?;
            let tx = c.transaction()?;
            let row = db::load_dialog(&tx, id, Some(seller.id))?;
            db::resolve(
                &tx,
                &row,
                body.rating,
                comment.as_deref(),
                &body.reasons,
                now,
            )?;
            tx.commit()?;
            let row = db::load_dialog(c, id, Some(seller.id))?;
            db::dialog_detail(c, &row, &st.catalog, after)
        })
        .await?;
    Ok(Json(detail))
}

/// Downloads an attachment of one of the seller's dialogs.
#[utoipa::path(get, path = "/api/attachments/{id}", tag = "dialogs",
    params(("id" = String, Path, description = "Attachment id")),
    responses((status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn download_attachment(
    State(state): State<AppState>,
    seller: SellerAuth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    // Generated ids are 32 hex digits; anything else never reaches the file system.
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::not_found());
    }
    let i = id.clone();
    let (name, size, content_type) = state
        .db
        .call(move |c| db::attachment_of_seller(c, &i, seller.id))
        .await?
        .ok_or_else(AppError::not_found)?;
    // Opened before the headers go out, so a missing file is still a JSON error; the bytes are
    // then streamed in small chunks, whatever the number of downloads at once.
    let file = tokio::fs::File::open(state.files_dir().join(&id)).await?;
    let mut res = Response::new(Body::from_stream(tokio_util::io::ReaderStream::new(file)));
    let h = res.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    // Opened directly (not as a download), the file runs in no origin and no script runs.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_DISPOSITION, content_disposition(&name));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(res)
}

/// `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987).
pub fn content_disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let v = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        domain::api::percent_encode(name)
    );
    HeaderValue::from_str(&v).unwrap_or(HeaderValue::from_static("attachment"))
}

// ---------------------------------------------------------------------------------------------
// Agent

/// Support answers a dialog (it becomes answered). JSON `{"text"}` or multipart `text`, `files`.
#[utoipa::path(post, path = "/api/agent/dialogs/{id}/messages", tag = "agent",
    request_body(content = AgentMessage, description = "Or multipart/form-data with `text` and `files`"),
    params(("id" = u64, Path, description = "8-digit dialog number")),
    security(("agent_token" = [])),
    responses((status = 201, body = DialogDetail),
        (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn agent_message(
    State(state): State<AppState>,
    _agent: AgentAuth,
    Path(raw): Path<String>,
    req: Request,
) -> AppResult<Response> {
    let id = dialog_id(&raw)?;
    state
        .db
        .call(move |c| db::load_dialog(c, id, None).map(|_| ()))
        .await?;
    let (text, files) = if is_json(req.headers()) {
        let m: AgentMessage = json_body(req, &state).await?;
        (m.text, Vec::new())
    } else {
        crate::disk::ensure_room(&state, req.headers())?;
        let mp = multipart_body(req, &state).await?;
        let mut up = read_multipart(mp, &state.tmp_dir(), &[fields::TEXT]).await?;
        let text = up.fields.remove(fields::TEXT).unwrap_or_default();
        (text, up.files)
    };
    validate_comment(&text).map_err(|e| AppError::comment(e, fields::TEXT))?;
    let text = normalize_text(&text);
    let body = post_message(&state, id, None, Author::Support, text, files, None).await?;
    Ok(json_response(StatusCode::CREATED, body))
}
