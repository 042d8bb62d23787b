//! The support agent's answer (bearer token).

use super::messages::post_message;
use super::*;

/// Support answers a dialog (it becomes answered). JSON `{"text"}` or multipart `text`, `files`.
#[utoipa::path(post, path = "/api/agent/dialogs/{id}/messages", tag = "agent",
    request_body(content = AgentMessage, description = "Or multipart/form-data with `text` and `files`"),
    params(("id" = u64, Path, description = "8-digit dialog number")),
    security(("agent_token" = [])),
    responses((status = 201, body = DialogView),
        (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 408, description = "The body stalled or took too long", body = ApiError), (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError),
        (status = 507, description = "The disk is full: nothing was stored", body = ApiError),))]
pub async fn agent_message(
    State(state): State<AppState>,
    _agent: AgentAuth,
    DialogId(id): DialogId,
    req: Request,
) -> AppResult<Response> {
    state.store.load_dialog(id, None).await?;
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
