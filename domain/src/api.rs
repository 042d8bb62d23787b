//! Wire types of the HTTP API, shared by the browser app and the reference server.
//!
//! # Conventions
//! - **Timestamps** are unix time in **milliseconds** (`i64`, UTC). They cost nothing to parse in
//!   wasm (`js_sys::Date::new(&(ms as f64).into())`) and sort as numbers; the app formats them.
//! - **Dialog numbers** are 8-digit numbers ([`DIALOG_ID_MIN`]..=[`DIALOG_ID_MAX`]) like the
//!   cabinet's, e.g. `13718172`. Attachment ids are opaque strings.
//! - **Errors** are always JSON [`ApiError`] `{code, message, field?}` with a fitting status:
//!   400 malformed request, 401 no session, 403 missing CSRF header, 404 not found (also another
//!   seller's dialog), 405 wrong method, 408 the body stalled (`request_timeout`), 409 not
//!   allowed in the dialog's status, 413 too large (also `too_many_parts` past
//!   [`MAX_FORM_PARTS`]), 415 wrong content type, 422 a field failed validation (`field` names
//!   it), 429 `rate_limited` with `Retry-After: <seconds>`, 503 `overloaded` (reserved), 507
//!   `insufficient_storage` (disk full). 5xx bodies never carry internals. A refused request of
//!   any of these stored nothing and may be repeated as is.
//! - **Text** (comments, messages) is counted with [`count_text_chars`] and stored as
//!   [`normalize_text`]: CRLF/CR line breaks become LF.
//! - **Attachment errors** carry the codes of [`crate::attachments::Rejection`] with
//!   `field: "files"` and a message naming the file: 413 `too_large` / `total_too_large`, 415
//!   `unsupported_format` / `content_mismatch`, 422 `empty` / `duplicate` / `too_many_files`
//!   (more than [`crate::attachments::MAX_FILES`]). A body past the
//!   server's limit (50 MiB + 2 MiB) is 413 `payload_too_large`. Any refused request stores
//!   nothing.
//! - **List queries** are parsed strictly by the server
//!   ([`ListQuery::try_parse_query_string`]): build them with [`ListQuery::to_query_string`].
//!
//! # Session and CSRF
//! The session is an HttpOnly `SameSite=Lax` cookie ([`SESSION_COOKIE`]); the app sends requests
//! with credentials. Every state-changing request (POST) must carry the header
//! [`CSRF_HEADER`]`: `[`CSRF_VALUE`] (`X-Requested-With: seller-support`); without it the server
//! answers 403 with code `csrf`. A cross-site form cannot set custom headers, and a cross-origin
//! script cannot either without a CORS preflight the server never grants.
//!
//! In demo mode (`GET /api/health` says `"demo": true`) the app logs in by itself: on a 401 it
//! calls `POST /api/dev/login` with `{"seller": "demo"}` and retries.
//!
//! # Endpoints
//! | method & path | request | response |
//! |---|---|---|
//! | `GET /api/health` | – | [`Health`] |
//! | `GET /api/catalog` | – | [`crate::catalog::Catalog`] |
//! | `GET /api/session` | – | [`Session`] or 401 |
//! | `POST /api/dev/login` (demo only) | [`LoginRequest`] | [`Session`] + cookie |
//! | `POST /api/logout` | – | 204 |
//! | `GET /api/dialogs?…` | [`ListQuery`] | [`DialogPage`] (read as [`DialogList`] by older clients) |
//! | `POST /api/dialogs` | multipart `category`, `theme`, `comment`, `follows`?, `files`…; [`IDEMPOTENCY_KEY_HEADER`] | 201 [`CreatedDialog`] |
//! | `GET /api/dialogs/{id}` | – (marks nothing read) | [`DialogView`] (read as [`DialogDetail`] by older clients) |
//! | `POST /api/dialogs/{id}/read` | – | 204 |
//! | `GET /api/events` | `Last-Event-ID` or `?last_event_id=` | `text/event-stream`, see [`crate::events`] |
//! | `POST /api/dialogs/{id}/messages` | multipart `text`, `files`… | 201 [`DialogView`] |
//! | `POST /api/dialogs/{id}/resolve` | [`ResolveRequest`] | [`DialogView`] |
//! | `GET /api/attachments/{id}` | – | the file, `Content-Disposition: attachment` |
//! | `POST /api/agent/dialogs/{id}/messages` | `Authorization: Bearer …`; [`AgentMessage`] or multipart `text`, `files` | 201 [`DialogView`] |
//! | `GET /api/openapi.json` | – | OpenAPI 3.1 document |

use crate::status::{CloseReason, DialogStatus, ResolveReason};
use serde::{Deserialize, Serialize};

/// Header every state-changing request must carry (CSRF defence), with value [`CSRF_VALUE`].
pub const CSRF_HEADER: &str = "X-Requested-With";
/// The value of [`CSRF_HEADER`].
pub const CSRF_VALUE: &str = "seller-support";
/// Header that makes `POST /api/dialogs` idempotent: the same key from the same seller returns
/// the first result (201, same body) instead of creating a second dialog. The app generates one
/// key per filled-in form, so a double click or a retry after a lost response is harmless.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// Longest accepted idempotency key, in bytes (printable ASCII only).
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 128;
/// Name of the session cookie (HttpOnly, SameSite=Lax, Path=/).
pub const SESSION_COOKIE: &str = "support_session";

/// Longest comment or message, in characters (Unicode scalar values) as [`count_text_chars`]
/// counts them: line breaks normalized, surrounding whitespace trimmed.
pub const MAX_COMMENT_CHARS: usize = 5000;
/// Largest text part of a form (`comment`, `text`), in bytes: the comment limit in the widest
/// UTF-8 with CRLF line breaks, plus margin. Past it the server stops reading the part (413
/// `comment_too_long`) instead of buffering whatever is sent.
pub const MAX_TEXT_FIELD_BYTES: usize = MAX_COMMENT_CHARS * 4 + MAX_COMMENT_CHARS + 1024;
/// Largest short part of a form (`category`, `theme`: catalog ids), in bytes.
pub const MAX_SHORT_FIELD_BYTES: usize = 256;
/// The most parts one multipart form may have: every file ([`crate::attachments::MAX_FILES`]),
/// the text fields, and a little room for an empty file part a plain HTML form sends. Past it
/// the server answers 413 `too_many_parts` before reading further.
pub const MAX_FORM_PARTS: usize = crate::attachments::MAX_FILES + 8;
/// Page size when the query gives none.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// Largest page size the server serves; larger requests are clamped.
pub const MAX_PER_PAGE: u32 = 100;
/// Largest page number (kept within a signed 32-bit integer for every client).
pub const MAX_PAGE: u32 = i32::MAX as u32;
/// Longest search string, in characters; longer ones are cut.
pub const MAX_QUERY_CHARS: usize = 200;
/// Longest seller name accepted by the demo login, in characters.
pub const MAX_SELLER_CHARS: usize = 64;
/// Smallest dialog number.
pub const DIALOG_ID_MIN: u64 = 10_000_000;
/// Largest dialog number.
pub const DIALOG_ID_MAX: u64 = 99_999_999;

/// Multipart field names of `POST /api/dialogs` and the reply endpoints.
pub mod fields {
    /// Category id (create).
    pub const CATEGORY: &str = "category";
    /// Theme id (create); must belong to the category.
    pub const THEME: &str = "theme";
    /// The seller's comment (create).
    pub const COMMENT: &str = "comment";
    /// Message text (replies).
    pub const TEXT: &str = "text";
    /// One file part per attachment; repeat the field for several files.
    pub const FILES: &str = "files";
    /// The number of an earlier dialog of the same seller that the new one continues (create,
    /// optional); see [`super::parse_follows`].
    pub const FOLLOWS: &str = "follows";
}

/// Stable error codes of [`ApiError::code`] that are not attachment or transition codes
/// (those come from [`crate::attachments`] and [`crate::status::TransitionError::code`]).
pub mod codes {
    /// Body is not valid JSON / multipart, or a required part is missing.
    pub const BAD_REQUEST: &str = "bad_request";
    /// No or expired session.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// Missing or wrong CSRF header.
    pub const CSRF: &str = "csrf";
    /// Wrong or missing agent token.
    pub const FORBIDDEN: &str = "forbidden";
    /// Unknown route, dialog, attachment — or another seller's.
    pub const NOT_FOUND: &str = "not_found";
    /// A field failed validation; see `field`.
    pub const INVALID: &str = "invalid";
    /// Comment or text is empty after trimming.
    pub const EMPTY_COMMENT: &str = "empty_comment";
    /// Comment or text exceeds [`super::MAX_COMMENT_CHARS`].
    pub const COMMENT_TOO_LONG: &str = "comment_too_long";
    /// Request body exceeds the server's limit.
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    /// Wrong `Content-Type` for the endpoint.
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported_media_type";
    /// The path exists but not with this method.
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    /// The same idempotency key is still being processed.
    pub const IDEMPOTENCY_IN_PROGRESS: &str = "idempotency_in_progress";
    /// The idempotency key was first used with a different request (another text or files, or
    /// another endpoint): the first request did reach the server.
    pub const IDEMPOTENCY_KEY_REUSED: &str = "idempotency_key_reused";
    /// Something broke on the server; details are only in the server log.
    pub const INTERNAL: &str = "internal";
    /// Too many requests (429): the response carries `Retry-After` (seconds) and the wait in
    /// the message; nothing was stored, the same request may be sent again after the wait.
    pub const RATE_LIMITED: &str = "rate_limited";
    /// The multipart form has more than [`super::MAX_FORM_PARTS`] parts (413).
    pub const TOO_MANY_PARTS: &str = "too_many_parts";
    /// The server's disk is full (507): nothing was stored, try later.
    pub const INSUFFICIENT_STORAGE: &str = "insufficient_storage";
    /// The request body stalled or took too long to arrive (408): nothing was stored.
    pub const REQUEST_TIMEOUT: &str = "request_timeout";
    /// The server is at its limit of requests in progress (503): try again shortly. Reserved
    /// for servers that shed load; the reference server queues such requests instead.
    pub const OVERLOADED: &str = "overloaded";

    /// Every code above, so a client can check that it words each one.
    pub const ALL: [&str; 19] = [
        BAD_REQUEST,
        UNAUTHORIZED,
        CSRF,
        FORBIDDEN,
        NOT_FOUND,
        INVALID,
        EMPTY_COMMENT,
        COMMENT_TOO_LONG,
        PAYLOAD_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        METHOD_NOT_ALLOWED,
        IDEMPOTENCY_IN_PROGRESS,
        IDEMPOTENCY_KEY_REUSED,
        INTERNAL,
        RATE_LIMITED,
        TOO_MANY_PARTS,
        INSUFFICIENT_STORAGE,
        REQUEST_TIMEOUT,
        OVERLOADED,
    ];
}

/// Every error response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code, e.g. `too_large`, `not_found`, `csrf`.
    pub code: String,
    /// Russian message fit to show the seller.
    pub message: String,
    /// The form field at fault (`category`, `theme`, `comment`, `text`, `files`, `rating`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// An error without a field.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }

    /// The same error, pinned to a form field.
    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// True when the server runs with `--demo`: the app may log in via `POST /api/dev/login`.
    pub demo: bool,
    /// Server version.
    pub version: String,
}

/// `POST /api/dev/login` body (demo mode only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Seller name; created if new. At most [`MAX_SELLER_CHARS`] characters, no control
    /// characters, not blank; surrounding whitespace is trimmed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 64,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub seller: String,
}

/// The logged-in seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Seller name.
    pub seller: String,
}

/// Checks a seller name for the demo login; returns the trimmed name.
pub fn validate_seller(name: &str) -> Result<&str, ApiError> {
    let t = name.trim();
    // The limit counts the name as sent, so the documented schema (maxLength) is exact.
    let n = name.chars().count();
    if t.is_empty() || n > MAX_SELLER_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::new(
            codes::INVALID,
            format!("Имя продавца: от 1 до {MAX_SELLER_CHARS} символов без управляющих."),
        )
        .with_field("seller"));
    }
    Ok(t)
}

/// Why a comment or message text was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than [`MAX_COMMENT_CHARS`] after trimming.
    TooLong {
        /// Characters after trimming.
        chars: usize,
    },
}

impl CommentError {
    /// The [`ApiError::code`].
    pub fn code(self) -> &'static str {
        match self {
            CommentError::Empty => codes::EMPTY_COMMENT,
            CommentError::TooLong { .. } => codes::COMMENT_TOO_LONG,
        }
    }

    /// A message for the seller.
    pub fn message_ru(self) -> String {
        match self {
            CommentError::Empty => {
                "Опишите проблему: комментарий не может быть пустым.".to_string()
            }
            CommentError::TooLong { chars } => format!(
                "Комментарий слишком длинный: {chars} символов, допустимо не больше {MAX_COMMENT_CHARS}."
            ),
        }
    }

    /// The same message in English.
    pub fn message_en(self) -> String {
        match self {
            CommentError::Empty => "Describe the problem: the text cannot be empty.".to_string(),
            CommentError::TooLong { chars } => format!(
                "The text is too long: {chars} characters, at most {MAX_COMMENT_CHARS} allowed."
            ),
        }
    }

    /// As an API error for `field`.
    pub fn to_api_error(self, field: &str) -> ApiError {
        ApiError::new(self.code(), self.message_ru()).with_field(field)
    }
}

/// The one way to count a comment's or message's characters, for the app's counter and the
/// server's limit alike: surrounding whitespace trimmed and every line break counted as one
/// character, whether it arrives as LF, CRLF or CR. Browsers keep LF in a textarea but send
/// CRLF in a form, so counting the raw bytes would make the server see more than the counter
/// showed. Equal to the character count of [`normalize_text`]`(text)`, without allocating.
pub fn count_text_chars(text: &str) -> usize {
    let t = text.trim();
    let chars = t.chars().count();
    // Each CRLF pair becomes one LF; a lone CR becomes LF and keeps its count.
    chars - t.matches("\r\n").count()
}

/// The text as it is checked and stored: CRLF and lone CR turned into LF, surrounding whitespace
/// trimmed. The server stores this, so a comment reads the same whatever the sender's line
/// breaks were.
pub fn normalize_text(text: &str) -> String {
    let t = text.trim();
    if !t.contains('\r') {
        return t.to_string();
    }
    t.replace("\r\n", "\n").replace('\r', "\n")
}

/// The one rule for a comment or a message: non-empty after trimming and at most
/// [`MAX_COMMENT_CHARS`] characters as [`count_text_chars`] counts them. The app checks it while
/// typing, the server on every request (then stores [`normalize_text`]).
pub fn validate_comment(text: &str) -> Result<(), CommentError> {
    if text.trim().is_empty() {
        return Err(CommentError::Empty);
    }
    let chars = count_text_chars(text);
    if chars > MAX_COMMENT_CHARS {
        return Err(CommentError::TooLong { chars });
    }
    Ok(())
}

/// Reads the `follows` field of a new dialog: blank or absent is `None`; otherwise an
/// 8-digit dialog number ([`DIALOG_ID_MIN`]..=[`DIALOG_ID_MAX`]), else 422 `invalid` on
/// `follows`. Whether that dialog exists and is the seller's own is the server's check (404
/// `not_found` otherwise, as for any foreign dialog).
pub fn parse_follows(value: Option<&str>) -> Result<Option<u64>, ApiError> {
    let v = value.unwrap_or("").trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<u64>() {
        Ok(id)
            if v.bytes().all(|b| b.is_ascii_digit())
                && (DIALOG_ID_MIN..=DIALOG_ID_MAX).contains(&id) =>
        {
            Ok(Some(id))
        }
        _ => Err(ApiError::new(
            codes::INVALID,
            "Номер диалога, который продолжает новый, — восемь цифр.",
        )
        .with_field(fields::FOLLOWS)),
    }
}

/// Who wrote a message. Serialized as `seller` or `support`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Author {
    /// The seller who owns the dialog.
    Seller,
    /// A support agent.
    Support,
}

/// A stored file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentInfo {
    /// Opaque id; download at `GET /api/attachments/{id}`.
    pub id: String,
    /// The file name the seller uploaded (shown, never used as a path).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// MIME type derived from the checked format, e.g. `application/pdf`.
    pub content_type: String,
}

impl AttachmentInfo {
    /// Path of the download endpoint.
    pub fn download_path(&self) -> String {
        format!("/api/attachments/{}", self.id)
    }
}

/// One message of a dialog; the first one is the seller's comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    /// Message id, unique across the server.
    pub id: u64,
    /// Who wrote it.
    pub author: Author,
    /// The text as written (trimmed).
    pub text: String,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Files attached to this message.
    pub attachments: Vec<AttachmentInfo>,
}

/// A dialog as a list row, and the head of [`DialogDetail`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogSummary {
    /// The 8-digit dialog number.
    pub id: u64,
    /// Current status.
    pub status: DialogStatus,
    /// Catalog category id.
    pub category_id: String,
    /// Catalog theme id.
    pub theme_id: String,
    /// Category name at the time of the request (from the catalog).
    pub category_name: String,
    /// Theme name at the time of the request (from the catalog).
    pub theme_name: String,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Last message or status change, unix milliseconds.
    pub updated_at: i64,
    /// When an answered dialog will close by itself (unix milliseconds); `null` otherwise.
    #[serde(default)]
    pub closes_at: Option<i64>,
    /// True when support answered and the seller is expected to rate (status `answered`).
    pub awaiting_rating: bool,
}

/// The seller's rating, or the auto-close, of a closed dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resolution {
    /// Why it closed.
    pub close_reason: CloseReason,
    /// Unix milliseconds.
    pub closed_at: i64,
    /// 1–5; `null` when closed automatically.
    #[serde(default)]
    pub rating: Option<u8>,
    /// The seller's comment on the answer, if any.
    #[serde(default)]
    pub comment: Option<String>,
    /// What was wrong with the answer, if anything.
    #[serde(default)]
    pub reasons: Vec<ResolveReason>,
}

/// `GET /api/dialogs/{id}`: the summary fields (flattened) plus messages and the resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogDetail {
    /// Same fields as a list row, at the top level of the JSON object.
    #[serde(flatten)]
    pub summary: DialogSummary,
    /// Oldest first; the first is the seller's comment.
    pub messages: Vec<Message>,
    /// Present when the dialog is closed.
    #[serde(default)]
    pub resolution: Option<Resolution>,
}

/// `GET /api/dialogs/{id}` (and the answers of reply, resolve and the agent): [`DialogDetail`]
/// (flattened: the same JSON fields) plus what the seller has not read and the continuation
/// links («Продолжение диалога № …»).
///
/// A separate type so that code building a [`DialogDetail`] by hand keeps compiling;
/// [`DialogDetail`] reads the same JSON without these fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogView {
    /// The dialog's fields, at the top level of the JSON object.
    #[serde(flatten)]
    pub detail: DialogDetail,
    /// Support messages the seller has not marked read (`POST /api/dialogs/{id}/read`).
    /// Opening the dialog with `GET` never changes it.
    #[serde(default)]
    pub unread: u32,
    /// Last message or status change, unix milliseconds (the same instant as `updated_at`).
    #[serde(default)]
    pub last_activity_at: i64,
    /// The earlier dialog of the seller that this one continues.
    #[serde(default)]
    pub follows: Option<u64>,
    /// The seller's later dialogs that continue this one, oldest first (at most
    /// [`MAX_FOLLOWED_BY`]).
    #[serde(default)]
    pub followed_by: Vec<u64>,
}

/// The most continuations [`DialogView::followed_by`] lists.
pub const MAX_FOLLOWED_BY: usize = 50;

/// One row of `GET /api/dialogs`: the summary (flattened: the same JSON fields) plus what the
/// seller has not read yet.
///
/// A separate type from [`DialogSummary`] so that code building summaries by hand keeps
/// compiling; [`DialogList`] reads the same JSON without these fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogListItem {
    /// The list row's fields, at the top level of the JSON object.
    #[serde(flatten)]
    pub summary: DialogSummary,
    /// Support messages the seller has not marked read (`POST /api/dialogs/{id}/read`); a
    /// row with `unread > 0` gets the «новый ответ» mark.
    #[serde(default)]
    pub unread: u32,
    /// Last message or status change (unix milliseconds): what `sort=activity_desc` orders
    /// by. The same instant as `updated_at`, named for what it means.
    #[serde(default)]
    pub last_activity_at: i64,
}

/// Read field by field instead of through `#[serde(flatten)]`: serde reads a flattened struct by
/// first buffering the whole object in a generic tree, and that machinery is several KB of the
/// app's first-load wasm (the list and every live event read these rows). Same JSON, same
/// defaults, unknown fields ignored as before.
impl<'de> Deserialize<'de> for DialogListItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            id: u64,
            status: DialogStatus,
            category_id: String,
            theme_id: String,
            category_name: String,
            theme_name: String,
            created_at: i64,
            updated_at: i64,
            #[serde(default)]
            closes_at: Option<i64>,
            awaiting_rating: bool,
            #[serde(default)]
            unread: u32,
            #[serde(default)]
            last_activity_at: i64,
        }
        let w = Wire::deserialize(d)?;
        Ok(DialogListItem {
            summary: DialogSummary {
                id: w.id,
                status: w.status,
                category_id: w.category_id,
                theme_id: w.theme_id,
                category_name: w.category_name,
                theme_name: w.theme_name,
                created_at: w.created_at,
                updated_at: w.updated_at,
                closes_at: w.closes_at,
                awaiting_rating: w.awaiting_rating,
            },
            unread: w.unread,
            last_activity_at: w.last_activity_at,
        })
    }
}

/// `GET /api/dialogs` response: the page, the filter's total, and the header's unread count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogPage {
    /// The requested page.
    pub items: Vec<DialogListItem>,
    /// Dialogs matching the filter, over all pages.
    pub total: u64,
    /// The seller's dialogs with at least one unread support message, whatever the filter:
    /// the header badge and the host's `seller-support:unread` `{count}`.
    #[serde(default)]
    pub unread_dialogs: u64,
}

/// `GET /api/dialogs` response read without the unread fields ([`DialogPage`] is what the
/// server sends); kept while the app reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DialogList {
    /// The requested page.
    pub items: Vec<DialogSummary>,
    /// Dialogs matching the filter, over all pages.
    pub total: u64,
}

/// `POST /api/dialogs` response (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedDialog {
    /// The new dialog's number; open it at `GET /api/dialogs/{id}`.
    pub id: u64,
    /// Always `waiting` for a new dialog.
    pub status: DialogStatus,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// `POST /api/dialogs/{id}/resolve` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolveRequest {
    /// 1–5.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: u8,
    /// Optional; blank is treated as absent, otherwise [`validate_comment`] applies.
    #[serde(default)]
    pub comment: Option<String>,
    /// Optional reasons from the fixed set; no repeats.
    #[serde(default)]
    pub reasons: Vec<ResolveReason>,
}

/// `POST /api/agent/dialogs/{id}/messages` JSON body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentMessage {
    /// The answer; [`validate_comment`] applies.
    pub text: String,
}

/// Order of the dialog list. Serialized as `created_desc` (default) or `created_asc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Newest first («Дата создания ↓»).
    #[default]
    CreatedDesc,
    /// Oldest first.
    CreatedAsc,
}

impl SortOrder {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::CreatedDesc => "created_desc",
            SortOrder::CreatedAsc => "created_asc",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<SortOrder> {
        match s {
            "created_desc" => Some(SortOrder::CreatedDesc),
            "created_asc" => Some(SortOrder::CreatedAsc),
            _ => None,
        }
    }
}

/// The values of the list query's `sort` parameter, for the OpenAPI document only: the
/// `created_*` ones are [`SortOrder`], `activity_desc` is [`ListQuery::by_activity`].
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ListSort {
    /// Newest first (the default).
    CreatedDesc,
    /// Oldest first.
    CreatedAsc,
    /// The most recent message or status change first (`last_activity_at`).
    ActivityDesc,
}

/// The wire value of `sort` for [`ListQuery::by_activity`].
pub const SORT_ACTIVITY_DESC: &str = "activity_desc";

/// `GET /api/dialogs` query: `?status=&q=&sort=&page=&per_page=`.
///
/// `q` is searched as a substring, case-insensitively (Cyrillic included), in the dialog number,
/// the category and theme names and every message text. `page` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct ListQuery {
    /// Only dialogs in this status; all when absent.
    pub status: Option<DialogStatus>,
    /// Search text; absent or blank means no search.
    pub q: Option<String>,
    /// Order by creation date, or `activity_desc` (see [`ListQuery::by_activity`]).
    #[cfg_attr(feature = "openapi", param(value_type = Option<ListSort>))]
    pub sort: SortOrder,
    /// `sort=activity_desc`: the most recent message or status change first, then the newest
    /// dialog; [`ListQuery::sort`] is then not used. A flag beside [`SortOrder`] rather than a
    /// third variant of it while the app's code matches that enum's two values (they fold
    /// together once the app offers «Последняя активность»).
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub by_activity: bool,
    /// 1-based page number, at most [`MAX_PAGE`].
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 2147483647))]
    pub page: u32,
    /// Page size, 1–[`MAX_PER_PAGE`].
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub per_page: u32,
}

impl Default for ListQuery {
    fn default() -> ListQuery {
        ListQuery {
            status: None,
            q: None,
            sort: SortOrder::CreatedDesc,
            by_activity: false,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl ListQuery {
    /// The same query with page in 1–[`MAX_PAGE`], per_page in 1–[`MAX_PER_PAGE`], control characters removed
    /// from `q`, blank `q` dropped and a long `q` cut to [`MAX_QUERY_CHARS`].
    pub fn normalized(&self) -> ListQuery {
        // Control characters never help a search and would only reach the database.
        let q = self
            .q
            .as_deref()
            .map(|q| q.chars().filter(|c| !c.is_control()).collect::<String>())
            .map(|q| q.trim().chars().take(MAX_QUERY_CHARS).collect::<String>())
            .filter(|q| !q.is_empty());
        ListQuery {
            status: self.status,
            q,
            sort: self.sort,
            by_activity: self.by_activity,
            page: self.page.clamp(1, MAX_PAGE),
            per_page: self.per_page.clamp(1, MAX_PER_PAGE),
        }
    }

    /// Zero-based row offset of the page.
    pub fn offset(&self) -> u64 {
        let n = self.normalized();
        u64::from(n.page - 1) * u64::from(n.per_page)
    }

    /// The query string without the leading `?`, listing only values that differ from the
    /// defaults (so the app's URLs stay short): e.g. `status=answered&q=%D0%BF&page=2`.
    pub fn to_query_string(&self) -> String {
        let n = self.normalized();
        let d = ListQuery::default();
        let mut parts: Vec<String> = Vec::new();
        if let Some(s) = n.status {
            parts.push(format!("status={}", s.as_str()));
        }
        if let Some(q) = &n.q {
            parts.push(format!("q={}", percent_encode(q)));
        }
        if n.by_activity {
            parts.push(format!("sort={SORT_ACTIVITY_DESC}"));
        } else if n.sort != d.sort {
            parts.push(format!("sort={}", n.sort.as_str()));
        }
        if n.page != d.page {
            parts.push(format!("page={}", n.page));
        }
        if n.per_page != d.per_page {
            parts.push(format!("per_page={}", n.per_page));
        }
        parts.join("&")
    }

    /// Parses a query string (with or without the leading `?`), forgivingly: unknown keys are
    /// ignored, and blank or unparsable values fall back to the defaults, so a hand-edited or stale
    /// URL still shows a list (the app reads its own address bar with this). The result is
    /// [`normalized`](ListQuery::normalized).
    pub fn parse_query_string(s: &str) -> ListQuery {
        ListQuery::parse(s, false).unwrap_or_default()
    }

    /// Parses a query string strictly, as the server does: a `status` or `sort` that is not one
    /// of the wire names, a `page` outside 1–[`MAX_PAGE`] or a `per_page` outside
    /// 1–[`MAX_PER_PAGE`] is an error naming the parameter (`field`), so the API does exactly
    /// what its OpenAPI document says; so is a blank value of those four (leave the parameter
    /// out instead). A blank `q` means no search; unknown keys are ignored.
    pub fn try_parse_query_string(s: &str) -> Result<ListQuery, ApiError> {
        ListQuery::parse(s, true)
    }

    fn parse(s: &str, strict: bool) -> Result<ListQuery, ApiError> {
        let mut out = ListQuery::default();
        for (key, raw) in query_pairs(s) {
            let v = raw.trim();
            let bad = |field: &str| {
                ApiError::new(
                    codes::BAD_REQUEST,
                    format!("Недопустимое значение параметра {field}: «{v}»."),
                )
                .with_field(field)
            };
            match key.as_str() {
                "q" => out.q = Some(raw.clone()),
                "status" | "sort" | "page" | "per_page" if v.is_empty() && strict => {
                    return Err(bad(&key));
                }
                "status" | "sort" | "page" | "per_page" if v.is_empty() => {}
                "status" => match DialogStatus::parse(v) {
                    Some(st) => out.status = Some(st),
                    None if strict => return Err(bad(&key)),
                    None => {}
                },
                "sort" if v == SORT_ACTIVITY_DESC => out.by_activity = true,
                "sort" => match SortOrder::parse(v) {
                    Some(o) => {
                        out.sort = o;
                        out.by_activity = false;
                    }
                    None if strict => return Err(bad(&key)),
                    None => {}
                },
                "page" | "per_page" => {
                    let is_page = key == "page";
                    let max = if is_page { MAX_PAGE } else { MAX_PER_PAGE };
                    // Digits only; the forgiving parse clamps a number too large for u32.
                    let n = if v.bytes().all(|b| b.is_ascii_digit()) {
                        Some(v.parse::<u32>().unwrap_or(u32::MAX))
                    } else {
                        None
                    };
                    match n {
                        Some(n) if !strict || (1..=max).contains(&n) => {
                            if is_page {
                                out.page = n;
                            } else {
                                out.per_page = n;
                            }
                        }
                        _ if strict => return Err(bad(&key)),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(out.normalized())
    }
}

/// The decoded `key=value` pairs of a query string (with or without its `?`), in order; a key
/// without `=` has an empty value.
pub fn query_pairs(s: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let s = s.strip_prefix('?').unwrap_or(s);
    s.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k), percent_decode(v))
    })
}

/// The value of `name` in a query string, decoded; the last one wins when it repeats, as in
/// [`ListQuery::parse_query_string`].
pub fn query_param(s: &str, name: &str) -> Option<String> {
    query_pairs(s)
        .filter(|(k, _)| k == name)
        .last()
        .map(|(_, v)| v)
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (as a space, like HTML forms); malformed escapes are kept as
/// written and invalid UTF-8 becomes U+FFFD, so decoding never fails.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}
