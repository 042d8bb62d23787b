//! Every user-facing message of the server (Russian, as the seller reads them) in one place,
//! the refused files' included ([`rejected_file`]: the domain gives the code, the app words its
//! own), except those of the domain's rules that still word themselves where the rule is written
//! (`CommentError::message_ru`, `TransitionError::message_ru`, `ListQuery::try_parse_query_string`,
//! `validate_seller`). The app maps the stable codes, not these texts.

use domain::api::{
    CSRF_HEADER, CSRF_VALUE, IDEMPOTENCY_KEY_HEADER, MAX_FORM_PARTS, MAX_IDEMPOTENCY_KEY_LEN,
};
use domain::attachments::{FORMATS_LIST, Kind, MAX_FILES, Rejection};

/// Why a file was refused, naming the file and the limit it broke.
pub fn rejected_file(rejection: Rejection, name: &str) -> String {
    match rejection {
        Rejection::UnsupportedFormat => {
            format!("Файл «{name}» нельзя приложить: допустимые форматы {FORMATS_LIST}")
        }
        Rejection::Empty => format!("Файл «{name}» пустой: в нём нет данных"),
        Rejection::TooLarge => format!("Файл «{name}» больше 10 МБ"),
        Rejection::ContentMismatch => match Kind::from_file_name(name) {
            Some(kind) => format!(
                "Файл «{name}» не похож на {}: содержимое не совпадает с расширением",
                kind.label()
            ),
            None => format!("Файл «{name}»: содержимое не совпадает с расширением"),
        },
        Rejection::Duplicate => format!("Файл «{name}» уже приложен"),
        Rejection::TooManyFiles => format!(
            "Файл «{name}» не приложен: к сообщению можно приложить не больше {MAX_FILES} файлов"
        ),
        Rejection::TotalTooLarge => {
            format!("Файл «{name}» не поместился: общий размер вложений не более 50 МБ")
        }
        Rejection::Unreadable => format!("Файл «{name}» не удалось прочитать"),
    }
}

pub const NOT_FOUND: &str = "Не найдено.";
pub const DIALOG_NOT_FOUND: &str = "Диалог не найден.";
pub const NO_SUCH_API_PATH: &str = "Нет такого адреса API.";
pub const METHOD_NOT_ALLOWED: &str = "Этот метод не поддерживается для адреса.";
pub const UNAUTHORIZED: &str = "Нужно войти в кабинет продавца.";
pub const PAYLOAD_TOO_LARGE: &str =
    "Запрос слишком большой: вложения не должны превышать 50 МБ в сумме.";
pub const AGENT_TOKEN_NEEDED: &str = "Нужен токен агента поддержки (Authorization: Bearer …).";
pub const AGENT_DISABLED: &str = "Доступ агента не настроен на этом сервере (--agent-token).";
pub const IDEMPOTENCY_KEY_REUSED: &str = "Этот запрос уже отправлялся с другим содержимым. \
     Обновите страницу, проверьте, что дошло, и отправьте ещё раз.";
pub const FILE_WITHOUT_NAME: &str = "У файла нет имени.";
pub const UNREADABLE_BODY: &str = "Не удалось прочитать тело запроса.";
pub const CHOOSE_CATEGORY: &str = "Выберите категорию.";
pub const NO_SUCH_CATEGORY: &str = "Такой категории нет.";
pub const CHOOSE_THEME: &str = "Выберите тему.";
pub const NO_SUCH_THEME: &str = "Такой темы нет в выбранной категории.";

pub const STREAMS_FULL: &str =
    "Сервер сейчас не может открыть ещё одно подключение для обновлений. Повторите чуть позже.";
pub const FOLLOWS_NOT_FOUND: &str = "Диалог, который продолжает новый, не найден.";

pub fn too_many_streams(per_seller: usize) -> String {
    format!(
        "Открыто слишком много вкладок с обновлениями (не больше {per_seller}). \
         Закройте лишние — список в этой вкладке обновляется при переходах."
    )
}

pub fn csrf_missing() -> String {
    format!("Запрос отклонён: нет заголовка {CSRF_HEADER}: {CSRF_VALUE}.")
}

pub fn bad_idempotency_key() -> String {
    format!(
        "Заголовок {IDEMPOTENCY_KEY_HEADER}: от 1 до {MAX_IDEMPOTENCY_KEY_LEN} видимых ASCII-символов."
    )
}

pub fn too_many_parts() -> String {
    format!(
        "В форме больше {MAX_FORM_PARTS} частей: к сообщению можно приложить не больше {MAX_FILES} файлов."
    )
}

pub fn unreadable_form(detail: &str) -> String {
    format!("Не удалось прочитать форму (multipart/form-data): {detail}")
}

pub fn malformed_form(detail: &str) -> String {
    format!("Некорректная форма: {detail}")
}

pub fn field_repeated(name: &str) -> String {
    format!("Поле «{name}» указано дважды.")
}

pub fn field_not_utf8(name: &str) -> String {
    format!("Поле «{name}» не в кодировке UTF-8.")
}

pub fn field_too_long(name: &str) -> String {
    format!("Поле «{name}» слишком длинное.")
}

pub fn expected_body(content_type: &str) -> String {
    format!("Ожидается тело запроса {content_type}.")
}

pub fn invalid_json_data(e: &dyn std::fmt::Display) -> String {
    format!("Неверные данные: {e}")
}

pub fn malformed_json(e: &dyn std::fmt::Display) -> String {
    format!("Некорректный JSON: {e}")
}

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

#[cfg(test)]
mod rejected_file_tests {
    use super::*;

    #[test]
    fn russian_messages_name_the_file_and_the_limit() {
        assert_eq!(
            rejected_file(Rejection::ContentMismatch, "photo.jpeg"),
            "Файл «photo.jpeg» не похож на JPG: содержимое не совпадает с расширением"
        );
        assert_eq!(
            rejected_file(Rejection::TooLarge, "big.zip"),
            "Файл «big.zip» больше 10 МБ"
        );
        assert!(rejected_file(Rejection::TooManyFiles, "x.pdf").contains("не больше 20 файлов"));
        let unsupported = rejected_file(Rejection::UnsupportedFormat, "setup.exe");
        assert!(unsupported.contains(FORMATS_LIST), "{unsupported}");
        let mut all: Vec<String> = Rejection::ALL
            .iter()
            .map(|&r| rejected_file(r, "файл-1.pdf"))
            .collect();
        assert!(all.iter().all(|m| m.contains("«файл-1.pdf»")));
        all.sort();
        all.dedup();
        assert_eq!(all.len(), Rejection::ALL.len(), "one message per code");
    }
}
