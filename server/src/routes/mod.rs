//! The `/api` handlers, one module per resource, joined in [`api_router`]. Each handler is
//! documented for OpenAPI with `#[utoipa::path]`; the types come from `domain::api`. Request
//! parts are taken with extractors whose rejections are the API's [`AppError`] (a JSON
//! `{code, message}`), never axum's plain-text ones.

use crate::auth::{AgentAuth, SellerAuth, clear_cookie, require_csrf_header, session_cookie};
use crate::error::{AppError, AppResult};
use crate::idempotency::{self, RequestHash};
use crate::limits::{Limiters, limited};
use crate::store::{IdemKey, NewDialog, NewMessage, Resolve};
use crate::upload::{StagedFile, Upload, read_multipart};
use crate::{AppState, openapi};
use axum::body::Bytes;
use axum::extract::{
    DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Path, RawQuery, Request, State,
};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, Version, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use domain::api::Author;
use domain::api::{
    AgentMessage, ApiError, CreatedDialog, DialogPage, DialogView, Health, ListQuery, LoginRequest,
    ResolveRequest, Session, codes, fields, normalize_text, validate_comment, validate_seller,
};
use domain::catalog::Catalog;
use domain::status::{DialogEvent, DialogStatus};
use serde::de::DeserializeOwned;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};

mod agent;
mod attachments;
mod dialogs;
mod events;
mod messages;
mod session;
mod system;

// Re-exported with their `__path_*` OpenAPI descriptions (crate::openapi lists them).
pub use agent::*;
pub use attachments::*;
pub use dialogs::*;
pub use events::*;
pub use messages::*;
pub use session::*;
pub use system::*;

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
        .route("/api/dialogs/{id}/read", post(mark_read))
        .route("/api/events", get(event_stream))
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
        crate::messages::NO_SUCH_API_PATH,
    )
}

async fn method_not_allowed() -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        crate::messages::METHOD_NOT_ALLOWED,
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
        crate::messages::expected_body(expected),
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
            AppError::bad_request(crate::messages::UNREADABLE_BODY)
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::INVALID,
                crate::messages::invalid_json_data(&e),
            ),
            _ => AppError::bad_request(crate::messages::malformed_json(&e)),
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
        .map_err(|e| AppError::bad_request(crate::messages::malformed_form(&e.body_text())))
}

/// The dialog number of a `/{id}` path. Anything that is not a number is as absent as another
/// seller's dialog: 404 `not_found`, like axum's path rejection would not say.
pub struct DialogId(pub u64);

impl<S: Send + Sync> FromRequestParts<S> for DialogId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<DialogId, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::dialog_not_found())?;
        raw.parse::<u64>()
            .map(DialogId)
            .map_err(|_| AppError::dialog_not_found())
    }
}

/// The `Idempotency-Key` header: `None` when absent, 400 when malformed.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<IdempotencyKey, AppError> {
        idempotency::key(&parts.headers).map(IdempotencyKey)
    }
}

/// Room on disk for the body about to be read (see [`crate::disk`]); 507 otherwise.
pub struct RoomOnDisk;

impl FromRequestParts<AppState> for RoomOnDisk {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<RoomOnDisk, AppError> {
        crate::disk::ensure_room(state, &parts.headers).map(|()| RoomOnDisk)
    }
}

/// A `multipart/form-data` body, not yet read; 415 for another content type.
pub struct MultipartForm(pub Multipart);

impl FromRequest<AppState> for MultipartForm {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<MultipartForm, AppError> {
        multipart_body(req, state).await.map(MultipartForm)
    }
}

/// A JSON body as the API answers about it (see [`json_body`]), instead of axum's `Json`
/// rejections in plain text.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<JsonBody<T>, AppError> {
        json_body(req, state).await.map(JsonBody)
    }
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
