//! Health, catalog and this document.

use super::*;

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

/// Categories and themes for the dialog form. Each theme carries the facts support needs
/// (`needs`) and the words the comment helper ranks themes by (`keywords`, `negative_keywords`):
/// a host serving its own catalog gets theme suggestions from its own words.
#[utoipa::path(get, path = "/api/catalog", tag = "system", security(()),
    responses((status = 200, description = "The catalog, with each theme's needs and keywords", body = Catalog)))]
pub async fn catalog(State(state): State<AppState>) -> Json<Catalog> {
    Json((*state.catalog).clone())
}

/// The OpenAPI document of this API.
#[utoipa::path(get, path = "/api/openapi.json", tag = "system", security(()),
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    json_response(StatusCode::OK, openapi::document_json())
}
