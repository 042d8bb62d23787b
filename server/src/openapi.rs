//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` annotations and the
//! `domain::api` types (their `ToSchema` derives live behind domain's `openapi` feature, which
//! only this crate enables, so the wasm app does not compile utoipa).

use crate::routes;
use domain::api::{
    AgentMessage, ApiError, AttachmentInfo, Author, CreatedDialog, DialogDetail, DialogListItem,
    DialogPage, DialogSummary, DialogView, Health, ListSort, LoginRequest, Message, Resolution,
    ResolveRequest, Session, SortOrder,
};
use domain::catalog::{Catalog, Category, Need, Theme};
use domain::events::{DialogChange, EventKind, MessageNote, Resync, ResyncReason, StreamReady};
use domain::status::{CloseReason, DialogStatus, ResolveReason};
use std::sync::OnceLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// `POST /api/dialogs` multipart form (schema only).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CreateDialogForm {
    /// Category id.
    category: String,
    /// Theme id of that category.
    theme: String,
    /// 1–5000 characters after trimming.
    comment: String,
    /// Optional: the 8-digit number of an earlier dialog of the same seller that this one
    /// continues; another seller's or an unknown one is 404 with `field: follows`.
    #[schema(pattern = "^[0-9]{8}$")]
    follows: Option<String>,
    /// Repeat the part for each file: .docx .xls .xlsx .pdf .jpg .jpeg .png .zip, ≤ 10 MiB
    /// each, ≤ 50 MiB in all, content must match the extension, no duplicates.
    #[schema(value_type = Option<Vec<String>>, format = Binary)]
    files: Option<Vec<String>>,
}

/// Reply multipart form (schema only).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MessageForm {
    /// 1–5000 characters after trimming.
    text: String,
    /// As for a new dialog.
    #[schema(value_type = Option<Vec<String>>, format = Binary)]
    files: Option<Vec<String>>,
}

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                domain::api::SESSION_COOKIE,
            ))),
        );
        c.add_security_scheme(
            "agent_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Seller support API",
        description = "Reference API of the seller support desk. Times are unix milliseconds. \
            Seller endpoints use the HttpOnly session cookie; every POST except the agent's needs \
            `X-Requested-With: seller-support`. Errors are `{code, message, field?}`."
    ),
    paths(
        routes::health,
        routes::catalog,
        routes::openapi_json,
        routes::session,
        routes::dev_login,
        routes::logout,
        routes::list_dialogs,
        routes::create_dialog,
        routes::get_dialog,
        routes::mark_read,
        routes::event_stream,
        routes::reply,
        routes::resolve,
        routes::download_attachment,
        routes::agent_message,
    ),
    components(schemas(
        ApiError, Health, LoginRequest, Session, DialogStatus, CloseReason, ResolveReason, Author,
        AttachmentInfo, Message, DialogSummary, DialogDetail, DialogView, Resolution, DialogListItem,
        DialogPage, CreatedDialog, ResolveRequest, AgentMessage, SortOrder, ListSort, Catalog,
        Category, Theme, Need, CreateDialogForm, MessageForm, EventKind, DialogChange,
        MessageNote, StreamReady, Resync, ResyncReason,
    )),
    modifiers(&Security),
    security(("session_cookie" = [])),
    tags(
        (name = "system", description = "Health, catalog, this document"),
        (name = "session", description = "Seller session (cookie)"),
        (name = "dialogs", description = "The seller's dialogs"),
        (name = "events", description = "The seller's live changes (Server-Sent Events): \
            `created`, `message`, `status`, `read` with a DialogChange, `ready` (StreamReady) \
            once the replay after `Last-Event-ID` is done, `resync` (Resync) when it cannot be \
            exact. Ids grow over the whole server; a `:` comment is the heartbeat (20 s)"),
        (name = "agent", description = "Support agent (bearer token)"),
    )
)]
pub struct ApiDoc;

/// The document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as pretty JSON, built once.
pub fn document_json() -> String {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    })
    .clone()
}
