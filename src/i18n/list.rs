//! Strings of the dialog list page and the status badge that the shared [`super::Strings`] does not
//! already hold (column names, statuses, filter and pager words live there).

use super::Locale;

pub struct ListStrings {
    /// Spoken after the date header's name: which order is on now.
    pub sort_state_desc: &'static str,
    pub sort_state_asc: &'static str,
    /// Tooltip of the date header's button: what activating it does.
    pub sort_to_asc: &'static str,
    pub sort_to_desc: &'static str,
    /// Visually hidden caption of the table.
    pub caption: &'static str,
    pub page: &'static str,
    pub load_error_title: &'static str,
    pub empty_filtered_title: &'static str,
    pub reset_filters: &'static str,
    pub page_empty: &'static str,
    pub first_page: &'static str,
    pub closes_at_title: &'static str,
    pub search_clear: &'static str,
    pub awaiting_rating_title: &'static str,
}

pub static RU: ListStrings = ListStrings {
    sort_state_desc: "сначала новые",
    sort_state_asc: "сначала старые",
    sort_to_asc: "Показать сначала старые",
    sort_to_desc: "Показать сначала новые",
    caption: "Диалоги с поддержкой",
    page: "Страница",
    load_error_title: "Не удалось загрузить диалоги",
    empty_filtered_title: "Ничего не найдено",
    reset_filters: "Сбросить фильтр и поиск",
    page_empty: "На этой странице диалогов нет.",
    first_page: "К первой странице",
    closes_at_title: "Закроется автоматически",
    search_clear: "Очистить",
    awaiting_rating_title: "Показать диалоги, которые ждут оценки",
};

pub static EN: ListStrings = ListStrings {
    sort_state_desc: "newest first",
    sort_state_asc: "oldest first",
    sort_to_asc: "Show oldest first",
    sort_to_desc: "Show newest first",
    caption: "Dialogs with support",
    page: "Page",
    load_error_title: "Could not load the dialogs",
    empty_filtered_title: "Nothing found",
    reset_filters: "Clear the filter and search",
    page_empty: "There are no dialogs on this page.",
    first_page: "Go to the first page",
    closes_at_title: "Closes automatically",
    search_clear: "Clear",
    awaiting_rating_title: "Show the dialogs that await your rating",
};

pub fn strings(l: Locale) -> &'static ListStrings {
    match l {
        Locale::Ru => &RU,
        Locale::En => &EN,
    }
}
