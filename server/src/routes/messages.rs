//! Seller replies, and the one way any message (seller or agent) is stored.

use super::*;

/// Stores a message from the seller or the agent, after the state machine agreed; returns the
/// dialog afterwards as JSON. With a key, a repeat of the same reply returns the dialog as it is
/// and stores nothing.
pub(super) async fn post_message(
    state: &AppState,
    id: u64,
    seller: Option<i64>,
    author: Author,
    text: String,
    files: Vec<StagedFile>,
    key: Option<IdemKey>,
) -> AppResult<String> {
    let detail = state
        .store
        .post_message(NewMessage {
            dialog_id: id,
            seller,
            author,
            text,
            files,
            key,
            now: state.now(),
        })
        .await?;
    serde_json::to_string(&detail).map_err(AppError::internal)
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
    responses((status = 201, body = DialogView),
        (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, description = "The dialog is closed", body = ApiError),
        (status = 408, description = "The body stalled or took too long", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, description = "A field failed validation, `too_many_files`, or `idempotency_key_reused`", body = ApiError),
        (status = 429, description = "Rate limited: `Retry-After` says how many seconds to wait", body = ApiError, headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 507, description = "The disk is full: nothing was stored", body = ApiError),))]
pub async fn reply(
    State(state): State<AppState>,
    seller: SellerAuth,
    DialogId(id): DialogId,
    IdempotencyKey(key): IdempotencyKey,
    req: Request,
) -> AppResult<Response> {
    // Refuse early, before reading any file, when the dialog is not the seller's or is closed;
    // the same checks run again in the transaction that stores the message. A key already
    // used skips the status check: its reply may have been posted before the dialog closed,
    // and then the answer is the stored response, not 409.
    let now = state.now();
    state.store.auto_close_due(now).await?;
    let row = state.store.load_dialog(id, Some(seller.id)).await?;
    let seen = match &key {
        Some(k) => state
            .store
            .idempotent_request(seller.id, k, now)
            .await?
            .is_some(),
        None => false,
    };
    if !seen {
        row.status.apply(&DialogEvent::SellerReply)?;
    }
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
        IdemKey {
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
