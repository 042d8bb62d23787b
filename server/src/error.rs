//! The one error type of the handlers: a status and an [`ApiError`] body.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::api::{ApiError, CommentError, codes};
use domain::attachments::Rejection;
use domain::status::TransitionError;

/// An HTTP error with a JSON [`ApiError`] body. 5xx bodies never carry internals: the cause
/// goes to the log only.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub body: ApiError,
}

impl AppError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> AppError {
        AppError {
            status,
            body: ApiError::new(code, message),
        }
    }

    pub fn field(mut self, field: &str) -> AppError {
        self.body.field = Some(field.to_string());
        self
    }

    pub fn with_status(mut self, status: StatusCode) -> AppError {
        self.status = status;
        self
    }

    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, codes::INVALID, message).field(field)
    }

    pub fn not_found() -> AppError {
        AppError::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            crate::messages::NOT_FOUND,
        )
    }

    pub fn dialog_not_found() -> AppError {
        AppError::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            crate::messages::DIALOG_NOT_FOUND,
        )
    }

    pub fn unauthorized() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            crate::messages::UNAUTHORIZED,
        )
    }

    pub fn payload_too_large() -> AppError {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::PAYLOAD_TOO_LARGE,
            crate::messages::PAYLOAD_TOO_LARGE,
        )
    }

    /// Logs the cause and answers 500 without details.
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        tracing::error!(%cause, "internal error");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            crate::messages::INTERNAL,
        )
    }

    /// 507: the disk is full. Whatever the request wrote is rolled back by its caller.
    pub fn insufficient_storage(cause: impl std::fmt::Display) -> AppError {
        tracing::error!(%cause, "disk full");
        AppError::new(
            StatusCode::INSUFFICIENT_STORAGE,
            codes::INSUFFICIENT_STORAGE,
            crate::messages::INSUFFICIENT_STORAGE,
        )
    }

    /// 408: the request body stalled or took too long.
    pub fn request_timeout() -> AppError {
        AppError::new(
            StatusCode::REQUEST_TIMEOUT,
            codes::REQUEST_TIMEOUT,
            crate::messages::REQUEST_TIMEOUT,
        )
    }

    /// A file rejected by the domain attachment policy.
    pub fn rejected_file(rejection: Rejection, file_name: &str) -> AppError {
        let status = StatusCode::from_u16(rejection.http_status())
            .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        AppError::new(
            status,
            rejection.code(),
            crate::messages::rejected_file(rejection, file_name),
        )
        .field("files")
    }

    pub fn comment(err: CommentError, field: &str) -> AppError {
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: err.to_api_error(field),
        }
    }
}

impl From<TransitionError> for AppError {
    fn from(err: TransitionError) -> AppError {
        let (status, field) = match err {
            TransitionError::InvalidRating(_) => (StatusCode::UNPROCESSABLE_ENTITY, Some("rating")),
            TransitionError::DuplicateReason(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, Some("reasons"))
            }
            TransitionError::Closed | TransitionError::NotAnswered | TransitionError::TooEarly => {
                (StatusCode::CONFLICT, None)
            }
        };
        let mut e = AppError::new(status, err.code(), err.message_ru());
        e.body.field = field.map(str::to_string);
        e
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(err: rusqlite::Error) -> AppError {
        if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            return AppError::insufficient_storage(format!("sqlite: {err}"));
        }
        AppError::internal(format!("sqlite: {err}"))
    }
}

impl From<tokio_postgres::Error> for AppError {
    fn from(err: tokio_postgres::Error) -> AppError {
        if err.code() == Some(&tokio_postgres::error::SqlState::DISK_FULL) {
            return AppError::insufficient_storage(format!("postgres: {err}"));
        }
        // The Display of a server error is only "db error"; the log wants the server's words.
        match err.as_db_error() {
            Some(db) => {
                AppError::internal(format!("postgres: {} ({})", db.message(), db.code().code()))
            }
            None => AppError::internal(format!("postgres: {err}")),
        }
    }
}

impl From<deadpool_postgres::PoolError> for AppError {
    fn from(err: deadpool_postgres::PoolError) -> AppError {
        AppError::internal(format!("postgres pool: {err}"))
    }
}

impl From<std::io::Error> for AppError {
    fn from(err: std::io::Error) -> AppError {
        if err.kind() == std::io::ErrorKind::StorageFull
            || err.kind() == std::io::ErrorKind::QuotaExceeded
        {
            return AppError::insufficient_storage(format!("io: {err}"));
        }
        AppError::internal(format!("io: {err}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Result of a handler.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_507_and_other_failures_500_without_details() {
        let full = AppError::from(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(full.status, StatusCode::INSUFFICIENT_STORAGE);
        assert_eq!(full.body.code, codes::INSUFFICIENT_STORAGE);
        let sqlite_full = AppError::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("database or disk is full".into()),
        ));
        assert_eq!(sqlite_full.status, StatusCode::INSUFFICIENT_STORAGE);
        let other = AppError::from(std::io::Error::other("secret path /data/x"));
        assert_eq!(other.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!other.body.message.contains("/data"));
    }
}
