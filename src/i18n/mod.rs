//! Interface strings in Russian (first) and English.
//!
//! Why plain Rust instead of leptos_i18n or fluent: each locale is one file of `&'static str` fields
//! (`ru.rs`, `en.rs`), so a missing translation is a compile error, lookups cost nothing at run time,
//! and the wasm carries no parser or message-format runtime (our first-load budget is 150 KB brotli).
//! Plural rules and date/size formats live in `crate::format`.

pub mod comment_helper;
pub mod dialog;
pub mod drop_zone;
mod en;
pub mod errors;
pub mod list;
pub mod live;
pub mod new_dialog;
mod ru;

use leptos::prelude::*;

/// A UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    Ru,
    En,
}

impl Locale {
    /// Accepts BCP 47 tags such as `ru`, `ru-RU`, `en`, `en-GB`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let lang = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match lang.as_str() {
            "ru" => Some(Locale::Ru),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::Ru => &ru::RU,
            Locale::En => &en::EN,
        }
    }
}

const STORAGE_KEY: &str = "seller-support.locale";

/// The locale the seller picked with the switch earlier, if any.
pub fn stored_locale() -> Option<Locale> {
    let storage = web_sys::window()?.local_storage().ok()??;
    Locale::from_tag(&storage.get_item(STORAGE_KEY).ok()??)
}

fn store_locale(locale: Locale) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(STORAGE_KEY, locale.tag());
    }
}

/// The current locale, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    pub fn new(locale: Locale) -> Self {
        I18n {
            locale: RwSignal::new(locale),
        }
    }

    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// Strings of the current locale; reading this inside a reactive closure re-renders on a switch.
    pub fn t(&self) -> &'static Strings {
        self.locale.get().strings()
    }

    /// A shared string that follows the locale, for a view's text or attribute:
    /// `{i18n.tr(|t| t.retry)}`.
    ///
    /// Why not `move || i18n.t().retry`: every closure is its own type, and the renderer generates
    /// its build, rebuild and effect code once per type (about 1–2 KB of wasm each). All texts made
    /// here are one type, `Signal<&'static str>`, rendered by one copy of that code.
    ///
    /// Measured 2026-12-06 (release, brotli, against a closure per text): saves 1.8 KB of the first
    /// load, 4.4 KB of the new-dialog page's and 5.4 KB of the dialog page's.
    pub fn tr(self, pick: fn(&'static Strings) -> &'static str) -> Signal<&'static str> {
        self.tr_in(Locale::strings, pick)
    }

    /// Like [`I18n::tr`] for a page's own strings: `i18n.tr_in(list::strings, |s| s.caption)`.
    pub fn tr_in<S: 'static>(
        self,
        strings: fn(Locale) -> &'static S,
        pick: fn(&'static S) -> &'static str,
    ) -> Signal<&'static str> {
        let locale = self.locale;
        Signal::derive(move || pick(strings(locale.get())))
    }

    /// The seller's own choice (the visible switch): remembered for the next visit, then shown.
    pub fn set(&self, locale: Locale) {
        store_locale(locale);
        self.show(locale);
    }

    /// Shows `locale` without remembering it: the runtime config's locale must not be stored as if
    /// the seller had picked it, or a deployer's later change of config would never reach them.
    pub fn show(&self, locale: Locale) {
        if let Some(doc) = web_sys::window().and_then(|w| w.document())
            && let Some(root) = doc.document_element()
        {
            let _ = root.set_attribute("lang", locale.tag());
        }
        self.locale.set(locale);
    }
}

/// A category's or theme's name in `locale`. The API's catalog is Russian, so English comes from
/// the domain's table by the stable id; an id the table does not know (a cabinet's own catalog may
/// have more) keeps the name the API sent.
pub fn catalog_name<'a>(locale: Locale, id: &str, name: &'a str) -> &'a str {
    match locale {
        Locale::Ru => name,
        Locale::En => domain::catalog_en::english_name(id).unwrap_or(name),
    }
}

/// The app's [`I18n`]. Expects its provider (the app, or a test's `provide_context(I18n::new(…))`):
/// a silent Russian default would hide a component mounted outside the app's language.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Every interface string. Adding a field means adding it to each locale file.
pub struct Strings {
    /// The locale these strings are in.
    pub locale: Locale,
    pub app_title: &'static str,
    pub nav_dialogs: &'static str,
    pub new_dialog: &'static str,
    pub language_switch: &'static str,
    pub other_language: &'static str,
    pub main_nav: &'static str,
    pub fraud_notice_title: &'static str,
    pub fraud_notice: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_to_list: &'static str,
    pub awaiting_rating_badge_one: &'static str,
    pub awaiting_rating_badge_few: &'static str,
    pub awaiting_rating_badge_many: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub error_network: &'static str,
    /// A page's own module (split build) could not be fetched.
    pub error_part: &'static str,
    pub error_timeout: &'static str,
    pub error_server: &'static str,
    pub error_malformed: &'static str,
    pub error_unauthorized: &'static str,
    pub error_what_to_do: &'static str,
    // Statuses, in the cabinet's words.
    pub status_waiting: &'static str,
    pub status_answered: &'static str,
    pub status_closed: &'static str,
    // Dialog list.
    pub list_title: &'static str,
    pub col_number: &'static str,
    pub col_status: &'static str,
    pub col_created: &'static str,
    pub col_theme: &'static str,
    pub filter_status: &'static str,
    pub filter_all: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub total_dialogs: &'static str,
    pub page_prev: &'static str,
    pub page_next: &'static str,
    pub page_of: &'static str,
    pub pagination: &'static str,
    pub empty_title: &'static str,
    pub empty_text: &'static str,
    pub empty_filtered: &'static str,
    pub closes_in: &'static str,
    pub closes_today: &'static str,
    pub day_one: &'static str,
    pub day_few: &'static str,
    pub day_many: &'static str,
    pub hour_one: &'static str,
    pub hour_few: &'static str,
    pub hour_many: &'static str,
    pub refreshing: &'static str,
}
