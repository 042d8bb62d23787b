//! The server's user-facing messages (Russian, as the seller reads them) that are not tied to a
//! domain rule; the domain's own rules word themselves (`Rejection::message_ru`,
//! `CommentError::message_ru`, `TransitionError::message_ru`).

/// 429: how long to wait, in seconds.
pub fn rate_limited(wait_secs: u64) -> String {
    format!("Слишком много запросов. Повторите через {wait_secs} с — введённое сохранится.")
}

/// 408: the body stalled or took too long.
pub const REQUEST_TIMEOUT: &str =
    "Запрос передавался слишком долго и был прерван. Проверьте соединение и отправьте ещё раз.";

/// 507: the disk is full.
pub const INSUFFICIENT_STORAGE: &str =
    "На сервере закончилось место: сообщение не сохранено. Попробуйте отправить позже.";

/// 500.
pub const INTERNAL: &str = "Внутренняя ошибка сервера. Попробуйте ещё раз позже.";
