//! The seller's dialogs: list, create, open, mark read, resolve.

use super::*;
use domain::events::EventKind;

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
    let now = state.now();
    let list = state
        .write(move |c, rows, out| {
            out.extend(db::auto_close_due(c, now, rows)?);
            db::list_dialogs(c, seller.id, &query, rows.catalog, rows.auto_close_ms)
        })
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
    let mut up = read_multipart(
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
    let fingerprint = fingerprint.hex();
    let now = state.now();
    let st = state.clone();
    let body = state
        .write(move |c, rows, out| {
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
            if let Some(f) = follows {
                db::load_dialog(&tx, f, Some(seller.id)).map_err(|_| {
                    AppError::new(
                        StatusCode::NOT_FOUND,
                        codes::NOT_FOUND,
                        crate::messages::FOLLOWS_NOT_FOUND,
                    )
                    .field(fields::FOLLOWS)
                })?;
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
            if let Some(f) = follows {
                db::set_follows(&tx, id, f)?;
            }
            let event = db::record_event(&tx, rows, id, EventKind::Created, None, now)?;
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
            out.push(event);
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
    let now = state.now();
    let detail = state
        .write(move |c, rows, out| {
            out.extend(db::auto_close_due(c, now, rows)?);
            let row = db::load_dialog(c, id, Some(seller.id))?;
            db::dialog_detail(c, &row, rows.catalog, rows.auto_close_ms)
        })
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
    let now = state.now();
    state
        .write(move |c, rows, out| {
            let tx = c.transaction()?;
            let row = db::load_dialog(&tx, id, Some(seller.id))?;
            if db::mark_read(&tx, &row)? {
                let event = db::record_event(&tx, rows, id, EventKind::Read, None, now)?;
                tx.commit()?;
                out.push(event);
            }
            Ok(())
        })
        .await?;
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
    let now = state.now();
    let detail = state
        .write(move |c, rows, out| {
            out.extend(db::auto_close_due(c, now, rows)?);
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
            let event = db::record_event(&tx, rows, id, EventKind::Status, None, now)?;
            tx.commit()?;
            out.push(event);
            let row = db::load_dialog(c, id, Some(seller.id))?;
            db::dialog_detail(c, &row, rows.catalog, rows.auto_close_ms)
        })
        .await?;
    Ok(Json(detail))
}
