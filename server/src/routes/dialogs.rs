//! The seller's dialogs: list, create, open, mark read, resolve.

use super::*;

/// The seller's dialogs, one page, with `unread` per row and the seller's `unread_dialogs`.
/// `sort=activity_desc` orders by the last message or status change.
#[utoipa::path(get, path = "/api/dialogs", tag = "dialogs", params(ListQuery),
    responses((status = 200, body = DialogPage),
        (status = 400, description = "A bad `status`, `sort`, `page` or `per_page`", body = ApiError),
        (status = 401, body = ApiError)))]
pub async fn list_dialogs(
    State(state): State<AppState>,
    seller: SellerAuth,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<DialogPage>> {
    let query =
        ListQuery::try_parse_query_string(raw.as_deref().unwrap_or("")).map_err(|body| {
            AppError {
                status: StatusCode::BAD_REQUEST,
                body,
            }
        })?;
    let list = state
        .store
        .list_dialogs(seller.id, query, state.now())
        .await?;
    Ok(Json(list))
}

/// The category, theme and comment of a new dialog, checked against the catalog and the
/// comment rule.
fn validate_new_dialog(up: &Upload, catalog: &Catalog) -> AppResult<(String, String, String)> {
    let category = up.text(fields::CATEGORY).unwrap_or("").trim();
    if category.is_empty() {
        return Err(AppError::invalid(
            fields::CATEGORY,
            crate::messages::CHOOSE_CATEGORY,
        ));
    }
    if catalog.category(category).is_none() {
        return Err(AppError::invalid(
            fields::CATEGORY,
            crate::messages::NO_SUCH_CATEGORY,
        ));
    }
    let theme = up.text(fields::THEME).unwrap_or("").trim();
    if theme.is_empty() {
        return Err(AppError::invalid(
            fields::THEME,
            crate::messages::CHOOSE_THEME,
        ));
    }
    if catalog.theme(category, theme).is_none() {
        return Err(AppError::invalid(
            fields::THEME,
            crate::messages::NO_SUCH_THEME,
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

/// Creates a dialog. Multipart fields: `category`, `theme`, `comment`, `follows` (optional: the
/// number of an earlier dialog of the seller that this one continues; another seller's or an
/// unknown one is 404), and `files` (repeat).
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
        (status = 404, description = "`follows` names no dialog of the seller (`field: follows`)", body = ApiError),
        (status = 408, description = "The body stalled or took too long", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, description = "A field failed validation, `too_many_files`, or `idempotency_key_reused`", body = ApiError),
        (status = 429, description = "Rate limited: `Retry-After` says how many seconds to wait", body = ApiError, headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 507, description = "The disk is full: nothing was stored", body = ApiError),))]
pub async fn create_dialog(
    State(state): State<AppState>,
    seller: SellerAuth,
    IdempotencyKey(key): IdempotencyKey,
    _room: RoomOnDisk,
    MultipartForm(mp): MultipartForm,
) -> AppResult<Response> {
    let up = read_multipart(
        mp,
        &state.tmp_dir(),
        &[
            fields::CATEGORY,
            fields::THEME,
            fields::COMMENT,
            fields::FOLLOWS,
        ],
    )
    .await?;
    let (category, theme, comment) = validate_new_dialog(&up, &state.catalog)?;
    let follows =
        domain::api::parse_follows(up.text(fields::FOLLOWS)).map_err(|body| AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body,
        })?;
    let mut fingerprint = RequestHash::new("create");
    fingerprint
        .part(category.as_bytes())
        .part(theme.as_bytes())
        .part(comment.as_bytes());
    if let Some(f) = follows {
        // Absent and present differ, so adding a link to a retried form is a new request.
        fingerprint.part(b"follows").part(&f.to_le_bytes());
    }
    for f in &up.files {
        fingerprint.file(&f.name, f.size, f.digest);
    }
    let created = state
        .store
        .create_dialog(NewDialog {
            seller_id: seller.id,
            category_id: category,
            theme_id: theme,
            comment,
            follows,
            files: up.files,
            key: key.map(|key| IdemKey {
                key,
                fingerprint: fingerprint.hex(),
            }),
            now: state.now(),
        })
        .await?;
    // A replay is the first answer rebuilt: a new dialog is always `waiting` at its creation.
    let body = created_body(created.id, created.created_at)?;
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

/// One dialog with its messages and attachments. Marks nothing read (a prefetch may call
/// it): the app calls `POST /api/dialogs/{id}/read` when the seller really sees the dialog.
#[utoipa::path(get, path = "/api/dialogs/{id}", tag = "dialogs",
    params(("id" = u64, Path, description = "8-digit dialog number")),
    responses((status = 200, body = DialogView), (status = 401, body = ApiError),
        (status = 404, description = "No such dialog, or another seller's", body = ApiError)))]
pub async fn get_dialog(
    State(state): State<AppState>,
    seller: SellerAuth,
    DialogId(id): DialogId,
) -> AppResult<Json<DialogView>> {
    let detail = state
        .store
        .dialog_detail(id, Some(seller.id), state.now())
        .await?;
    Ok(Json(detail))
}

/// The seller has seen the dialog: its support messages count as read (`unread` 0), and the
/// seller's other tabs get a `read` event. Nothing changes, and no event is sent, when nothing
/// was unread.
#[utoipa::path(post, path = "/api/dialogs/{id}/read", tag = "dialogs",
    params(("id" = u64, Path, description = "8-digit dialog number"),
        ("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`")),
    responses((status = 204, description = "Marked read"), (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 404, description = "No such dialog, or another seller's", body = ApiError)))]
pub async fn mark_read(
    State(state): State<AppState>,
    seller: SellerAuth,
    DialogId(id): DialogId,
) -> AppResult<StatusCode> {
    state.store.mark_read(id, seller.id, state.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// «Вопрос решён»: rate the answer (1–5) and close the dialog. Only answered dialogs.
#[utoipa::path(post, path = "/api/dialogs/{id}/resolve", tag = "dialogs", request_body = ResolveRequest,
    params(("id" = u64, Path, description = "8-digit dialog number"),
        ("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`")),
    responses((status = 200, body = DialogView),
        (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, description = "Not answered yet, or already closed", body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn resolve(
    State(state): State<AppState>,
    seller: SellerAuth,
    DialogId(id): DialogId,
    JsonBody(body): JsonBody<ResolveRequest>,
) -> AppResult<Json<DialogView>> {
    let comment = match body.comment.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => {
            validate_comment(c).map_err(|e| AppError::comment(e, "comment"))?;
            Some(normalize_text(c))
        }
    };
    let detail = state
        .store
        .resolve(Resolve {
            dialog_id: id,
            seller_id: seller.id,
            rating: body.rating,
            comment,
            reasons: body.reasons,
            now: state.now(),
        })
        .await?;
    Ok(Json(detail))
}
