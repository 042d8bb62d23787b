//! English words for the API's 4xx errors. The API's `message` is Russian (the cabinet's language),
//! so in English the app words the error from its stable `code`. A code it does not know keeps the
//! server's own message, which still beats a generic «something went wrong», and so does an English
//! message (a cabinet's own API) for codes whose message says more than the code.

use domain::api::{CommentError, MAX_COMMENT_CHARS, codes};
use domain::attachments::Rejection;
use domain::status::TransitionError;

/// 429 in words, with the time to wait when the server said it («через 1 мин 5 с»).
pub fn too_many_requests(locale: crate::i18n::Locale, retry_after_s: Option<u64>) -> String {
    use crate::i18n::Locale;
    let wait = retry_after_s.map(|secs| {
        let (m, sec) = (secs / 60, secs % 60);
        let (min_unit, sec_unit) = match locale {
            Locale::Ru => ("мин", "с"),
            Locale::En => ("min", "s"),
        };
        match (m, sec) {
            (0, sec) => format!("{sec} {sec_unit}"),
            (m, 0) => format!("{m} {min_unit}"),
            (m, sec) => format!("{m} {min_unit} {sec} {sec_unit}"),
        }
    });
    match (locale, wait) {
        (Locale::Ru, Some(w)) if retry_after_s != Some(0) => {
            format!("Слишком много запросов подряд. Повторите через {w}.")
        }
        (Locale::En, Some(w)) if retry_after_s != Some(0) => {
            format!("Too many requests in a row. Try again in {w}.")
        }
        (Locale::Ru, _) => "Слишком много запросов подряд. Подождите немного и повторите.".into(),
        (Locale::En, _) => "Too many requests in a row. Wait a moment and try again.".into(),
    }
}

/// The English message for an API error, or `None` to show the server's message.
pub fn api_message_en(code: &str, field: Option<&str>, server_message: &str) -> Option<String> {
    if let Some(r) = Rejection::from_code(code) {
        // The server names the file in «», as its Russian messages do.
        let name = quoted(server_message).unwrap_or("The file");
        return Some(super::drop_zone::rejection_en(r, name));
    }
    if let Some(text) = TransitionError::message_en_for_code(code) {
        return Some(text);
    }
    let text = match code {
        codes::EMPTY_COMMENT => return Some(CommentError::Empty.message_en()),
        codes::COMMENT_TOO_LONG => {
            return Some(format!(
                "The text is too long: at most {MAX_COMMENT_CHARS} characters allowed."
            ));
        }
        codes::NOT_FOUND => "Not found: the dialog does not exist or belongs to another seller.",
        codes::PAYLOAD_TOO_LARGE => {
            "The request is too large: files are limited to 10 MB each and 50 MB in all."
        }
        codes::CSRF | codes::FORBIDDEN => "The request was refused. Reload the page and try again.",
        // Codes whose server message says more than the code: worded here only when that
        // message is the reference server's Russian; an English one (a cabinet's own API) falls
        // through to `None` and is shown as it is.
        codes::BAD_REQUEST | codes::METHOD_NOT_ALLOWED | codes::UNSUPPORTED_MEDIA_TYPE
            if is_russian(server_message) =>
        {
            "The request was refused. Reload the page and try again."
        }
        codes::IDEMPOTENCY_IN_PROGRESS => {
            "The previous attempt is still being processed. Wait a moment and try again."
        }
        codes::IDEMPOTENCY_KEY_REUSED => {
            "What you sent before did reach support, before it was changed. Reload the page to see it."
        }
        // A 429 is worded with its wait by `ApiError::message`; this is for a body seen alone.
        codes::RATE_LIMITED => "Too many requests in a row. Wait a moment and try again.",
        codes::TOO_MANY_PARTS => "Too many files in one message: at most 20.",
        codes::REQUEST_TIMEOUT => {
            "The upload took too long and was stopped. Nothing was saved: try again."
        }
        codes::OVERLOADED => "The support server is busy. Try again in a moment.",
        codes::INSUFFICIENT_STORAGE => {
            "The support server has no room left. Nothing was saved: try again later."
        }
        codes::INVALID if matches!(field, Some("category" | "theme")) => {
            "Choose a category and a theme from the lists."
        }
        codes::INVALID if field == Some("files") && is_russian(server_message) => {
            "One of the files has no name. Choose it again."
        }
        codes::INVALID if is_russian(server_message) => {
            "Something you entered was not accepted. Check the form and try again."
        }
        _ => return None,
    };
    Some(text.to_string())
}

/// The validation message of a comment or reply in `locale`.
pub fn comment_error_text(locale: super::Locale, e: CommentError) -> String {
    match locale {
        super::Locale::Ru => e.message_ru(),
        super::Locale::En => e.message_en(),
    }
}

/// Whether `s` has Cyrillic letters: the reference server's messages are Russian.
fn is_russian(s: &str) -> bool {
    s.chars().any(|c| ('\u{400}'..='\u{4FF}').contains(&c))
}

/// The text between the first « and the next ».
fn quoted(s: &str) -> Option<&str> {
    let start = s.find('«')? + '«'.len_utf8();
    let len = s[start..].find('»')?;
    Some(&s[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_requests_says_how_long_to_wait() {
        use crate::i18n::Locale;
        assert_eq!(
            too_many_requests(Locale::Ru, Some(30)),
            "Слишком много запросов подряд. Повторите через 30 с."
        );
        assert_eq!(
            too_many_requests(Locale::Ru, Some(125)),
            "Слишком много запросов подряд. Повторите через 2 мин 5 с."
        );
        assert_eq!(
            too_many_requests(Locale::En, Some(120)),
            "Too many requests in a row. Try again in 2 min."
        );
        for wait in [None, Some(0)] {
            assert!(too_many_requests(Locale::Ru, wait).contains("Подождите немного"));
        }
    }

    #[test]
    fn attachment_errors_keep_the_file_name() {
        let m = api_message_en("too_large", Some("files"), "Файл «отчёт.pdf» больше 10 МБ");
        assert_eq!(m.as_deref(), Some("“отчёт.pdf” is larger than 10 MB"));
        let m = api_message_en("duplicate", None, "no quotes here");
        assert_eq!(m.as_deref(), Some("“The file” is already attached"));
    }

    #[test]
    fn transitions_comments_and_fields_are_worded_in_english() {
        let closed = api_message_en("dialog_closed", None, "Диалог завершён").unwrap_or_default();
        assert!(closed.contains("closed"), "{closed}");
        let empty = api_message_en("empty_comment", Some("comment"), "").unwrap_or_default();
        assert!(empty.contains("cannot be empty"), "{empty}");
        let bad = api_message_en("invalid", Some("theme"), "Тема не из списка").unwrap_or_default();
        assert!(bad.contains("category and a theme"), "{bad}");
        for m in [closed, empty, bad] {
            assert!(
                !m.chars()
                    .any(|c| ('а'..='я').contains(&c.to_ascii_lowercase()))
            );
        }
    }

    #[test]
    fn unknown_codes_and_english_servers_keep_the_servers_words() {
        // A cabinet's own API may speak English: its words stay where they say more.
        assert_eq!(api_message_en("brand_new_code", None, "Сообщение"), None);
        assert_eq!(
            api_message_en(codes::INVALID, Some("seller"), "Unknown seller"),
            None
        );
        assert_eq!(
            api_message_en(codes::BAD_REQUEST, None, "Missing part: meta"),
            None
        );
        assert_eq!(
            api_message_en(codes::INVALID, Some("files"), "File too odd"),
            None
        );
    }

    #[test]
    fn every_code_of_the_reference_server_has_english_words() {
        for code in codes::ALL {
            // `unauthorized` (401) and `internal` (5xx) are worded by `ApiError::message` itself.
            if code == codes::UNAUTHORIZED || code == codes::INTERNAL {
                continue;
            }
            let m = api_message_en(code, Some("seller"), "По-русски").unwrap_or_default();
            assert!(!m.is_empty() && m.is_ascii(), "{code}: {m:?}");
        }
        let nameless = api_message_en(codes::INVALID, Some("files"), "У файла нет имени.");
        assert_eq!(
            nameless.as_deref(),
            Some("One of the files has no name. Choose it again.")
        );
    }
}
