//! The drop zone's words: its picker, the limits under it, the budget line and why a file was
//! refused. `domain::attachments` holds the rules and their codes ([`Rejection`]); how the app
//! says them is here, in both languages. (The reference server words its own API messages.)

use super::Locale;
use domain::attachments::{FORMATS_LIST, Kind, MAX_FILES, Rejection};

pub struct DropZoneStrings {
    pub pick: &'static str,
    /// The second half of the picker's words; hidden on touch screens, where nothing is dragged.
    pub drag: &'static str,
    pub formats: &'static str,
    pub file_limit: &'static str,
    pub count_limit: &'static str,
    pub total_limit: &'static str,
    pub files_label: &'static str,
    pub remove: &'static str,
    pub dismiss: &'static str,
    pub sent: &'static str,
}

// The limits in the cabinet's own words (spelling included); the unit tests below hold them to
// the policy's numbers.
const RU: DropZoneStrings = DropZoneStrings {
    pick: "Выберите файл",
    drag: " или перетащите его сюда",
    formats: "Форматы: .DOCX, .XLS, .XLSX, .PDF, .JPG, .PNG, .ZIP",
    file_limit: "Файл не больше 10мб",
    count_limit: "Не больше 20 файлов",
    total_limit: "Общий размер вложений не более 50мб",
    files_label: "Вложения",
    remove: "Удалить файл",
    dismiss: "Скрыть сообщение о файле",
    sent: "Отправлено",
};

const EN: DropZoneStrings = DropZoneStrings {
    pick: "Choose a file",
    drag: " or drag it here",
    formats: "Formats: .DOCX, .XLS, .XLSX, .PDF, .JPG, .PNG, .ZIP",
    file_limit: "Each file up to 10 MB",
    count_limit: "Up to 20 files",
    total_limit: "Attachments up to 50 MB in all",
    files_label: "Attachments",
    remove: "Remove file",
    dismiss: "Dismiss the message about",
    sent: "Sent",
};

pub fn strings(locale: Locale) -> &'static DropZoneStrings {
    match locale {
        Locale::Ru => &RU,
        Locale::En => &EN,
    }
}

/// The budget line under the drop zone: «Использовано 12,5 МБ из 50 МБ», "12.5 MB of 50 MB used".
/// The sizes come formatted (`crate::format::size`), which imports this module's `Locale`.
pub fn budget(locale: Locale, used: &str, all: &str) -> String {
    match locale {
        Locale::Ru => format!("Использовано {used} из {all}"),
        Locale::En => format!("{used} of {all} used"),
    }
}

/// The seller's message for a refused file, naming the file and the limit it broke.
pub fn rejection(locale: Locale, reason: Rejection, name: &str) -> String {
    match locale {
        Locale::Ru => rejection_ru(reason, name),
        Locale::En => rejection_en(reason, name),
    }
}

// Two functions, not one match on the locale: the list page's error messages need the English
// words only (`errors::api_message_en`), and the Russian ones then stay in the drop zone's module.
fn rejection_ru(reason: Rejection, name: &str) -> String {
    let kind = Kind::from_file_name(name).map(Kind::label);
    match reason {
        Rejection::UnsupportedFormat => {
            format!("Файл «{name}» нельзя приложить: допустимые форматы {FORMATS_LIST}")
        }
        Rejection::Empty => format!("Файл «{name}» пустой: в нём нет данных"),
        Rejection::TooLarge => format!("Файл «{name}» больше 10 МБ"),
        Rejection::ContentMismatch => match kind {
            Some(kind) => {
                format!("Файл «{name}» не похож на {kind}: содержимое не совпадает с расширением")
            }
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

/// [`rejection`] in English.
pub fn rejection_en(reason: Rejection, name: &str) -> String {
    let kind = Kind::from_file_name(name).map(Kind::label);
    match reason {
        Rejection::UnsupportedFormat => {
            format!("“{name}” cannot be attached: allowed formats are {FORMATS_LIST}")
        }
        Rejection::Empty => format!("“{name}” is empty"),
        Rejection::TooLarge => format!("“{name}” is larger than 10 MB"),
        Rejection::ContentMismatch => match kind {
            Some(kind) => format!(
                "“{name}” does not look like a {kind}: its content does not match the extension"
            ),
            None => format!("“{name}”: its content does not match the extension"),
        },
        Rejection::Duplicate => format!("“{name}” is already attached"),
        Rejection::TooManyFiles => {
            format!("“{name}” is not attached: a message takes at most {MAX_FILES} files")
        }
        Rejection::TotalTooLarge => {
            format!("“{name}” does not fit: attachments are limited to 50 MB in all")
        }
        Rejection::Unreadable => format!("“{name}” could not be read"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::attachments::{MAX_FILE_BYTES, MAX_TOTAL_BYTES};

    const MIB: u64 = 1024 * 1024;

    #[test]
    fn the_limits_say_the_policys_numbers() {
        for s in [&RU, &EN] {
            assert!(s.formats.ends_with(FORMATS_LIST), "{}", s.formats);
            assert!(s.file_limit.contains(&(MAX_FILE_BYTES / MIB).to_string()));
            assert!(s.count_limit.contains(&MAX_FILES.to_string()));
            assert!(s.total_limit.contains(&(MAX_TOTAL_BYTES / MIB).to_string()));
        }
        for locale in [Locale::Ru, Locale::En] {
            let too_large = rejection(locale, Rejection::TooLarge, "x.pdf");
            assert!(too_large.contains(&(MAX_FILE_BYTES / MIB).to_string()));
            let total = rejection(locale, Rejection::TotalTooLarge, "x.pdf");
            assert!(total.contains(&(MAX_TOTAL_BYTES / MIB).to_string()));
        }
    }

    #[test]
    fn every_rejection_names_the_file_in_both_languages() {
        for r in Rejection::ALL {
            assert!(rejection(Locale::Ru, r, "файл-1.pdf").contains("«файл-1.pdf»"));
            assert!(rejection(Locale::En, r, "file-1.pdf").contains("“file-1.pdf”"));
        }
        assert_eq!(
            rejection(Locale::Ru, Rejection::ContentMismatch, "invoice.pdf"),
            "Файл «invoice.pdf» не похож на PDF: содержимое не совпадает с расширением"
        );
        assert_eq!(
            rejection(Locale::Ru, Rejection::ContentMismatch, "noext"),
            "Файл «noext»: содержимое не совпадает с расширением"
        );
    }

    #[test]
    fn the_budget_line_reads_naturally() {
        assert_eq!(
            budget(Locale::Ru, "12,5 МБ", "50 МБ"),
            "Использовано 12,5 МБ из 50 МБ"
        );
        assert_eq!(budget(Locale::En, "0 B", "50 MB"), "0 B of 50 MB used");
    }
}
