//! Attachment downloads.

use super::*;

/// Downloads an attachment of one of the seller's dialogs.
#[utoipa::path(get, path = "/api/attachments/{id}", tag = "dialogs",
    params(("id" = String, Path, description = "Attachment id")),
    responses((status = 200, description = "The file, as an attachment, streamed, with `Content-Security-Policy: sandbox`", content_type = "application/octet-stream"),
        (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 429, description = "Rate limited: `Retry-After` says how many seconds to wait", body = ApiError, headers(("Retry-After" = u64, description = "Seconds to wait"))),))]
pub async fn download_attachment(
    State(state): State<AppState>,
    seller: SellerAuth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    // Generated ids are 32 hex digits; anything else never reaches the file system.
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::not_found());
    }
    // Streamed from wherever the store keeps the bytes (a file, or the database's chunks), a
    // piece at a time, whatever the number of downloads at once.
    let crate::store::Download {
        name,
        size,
        content_type,
        body,
    } = state
        .store
        .attachment(&id, seller.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut res = Response::new(body);
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
