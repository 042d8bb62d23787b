//! Free disk space: a request that writes is refused with 507 before its body is read when
//! what it may write would take the data directory's disk below the configured reserve.
//! A disk that fills up anyway (another process) fails the write itself: the staged files are
//! removed and the transaction rolled back, and the error is the same 507.

use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::http::{HeaderMap, header};

/// Bytes available to this process on the disk of `path`; `None` where it cannot be known.
#[cfg(unix)]
pub fn available_bytes(path: &std::path::Path) -> Option<u64> {
    let s = rustix::fs::statvfs(path).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(not(unix))]
pub fn available_bytes(_path: &std::path::Path) -> Option<u64> {
    None
}

/// 507 unless the request's body (its `Content-Length`, or the body limit when it is not
/// given) fits on the disk above the reserve.
pub fn ensure_room(state: &AppState, headers: &HeaderMap) -> AppResult<()> {
    let incoming = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(crate::BODY_LIMIT as u64);
    let Some(free) = available_bytes(&state.config.data_dir) else {
        return Ok(());
    };
    let needed = incoming.saturating_add(state.config.min_free_disk_bytes);
    if free < needed {
        return Err(AppError::insufficient_storage(format!(
            "{free} bytes free, {needed} needed"
        )));
    }
    Ok(())
}
