//! The form's state and its validation: what the seller chose and typed, which fields are in
//! error, and where the focus goes for a field.

use crate::components::drop_zone::{PickedFiles, RejectedFile, picked_files};
use crate::i18n::Locale;
use crate::i18n::new_dialog::strings;
use domain::api::validate_comment;
use domain::catalog::Catalog;
use leptos::prelude::*;

/// Which field a message belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Category,
    Theme,
    Comment,
    Files,
}

impl Field {
    /// The field an API error names (its `field`).
    pub(super) fn of(name: &str) -> Option<Field> {
        match name {
            "category" => Some(Field::Category),
            "theme" => Some(Field::Theme),
            "comment" => Some(Field::Comment),
            "files" => Some(Field::Files),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FieldError {
    pub field: Field,
    pub message: String,
}

/// Everything the seller fills in, and the fields' errors; `Copy`, so every part of the page
/// takes it as it is.
#[derive(Clone, Copy)]
pub(super) struct Form {
    /// The served catalog (the built-in one until it arrives).
    pub catalog: RwSignal<Catalog>,
    pub category: RwSignal<String>,
    pub theme: RwSignal<String>,
    pub comment: RwSignal<String>,
    /// Idempotency key of this draft; a new one only after a dialog was created or the form cleared.
    pub key: RwSignal<String>,
    pub files: PickedFiles,
    /// Shared with the drop zone so that a restored file the policy now refuses is listed, not lost.
    pub rejections: RwSignal<Vec<RejectedFile>>,
    pub errors: RwSignal<Vec<FieldError>>,
    /// A submit was tried: from then on errors follow the fields live.
    pub tried: RwSignal<bool>,
    pub cat_ref: NodeRef<leptos::html::Select>,
    pub theme_ref: NodeRef<leptos::html::Select>,
    pub comment_ref: NodeRef<leptos::html::Textarea>,
}

impl Form {
    pub(super) fn new(category: String, theme: String) -> Form {
        Form {
            catalog: RwSignal::new(Catalog::builtin()),
            category: RwSignal::new(category),
            theme: RwSignal::new(theme),
            comment: RwSignal::new(String::new()),
            key: RwSignal::new(crate::draft::random_id()),
            files: picked_files(),
            rejections: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
            tried: RwSignal::new(false),
            cat_ref: NodeRef::new(),
            theme_ref: NodeRef::new(),
            comment_ref: NodeRef::new(),
        }
    }

    /// The errors of the fields as they are now, in the form's order.
    pub(super) fn validate(&self, locale: Locale) -> Vec<FieldError> {
        let s = strings(locale);
        let mut out = Vec::new();
        let (c, th) = (self.category.get_untracked(), self.theme.get_untracked());
        let (cat_ok, theme_ok) = self
            .catalog
            .with_untracked(|cat| (cat.category(&c).is_some(), cat.theme(&c, &th).is_some()));
        if !cat_ok {
            out.push(FieldError {
                field: Field::Category,
                message: s.error_category.into(),
            });
        }
        if !theme_ok {
            out.push(FieldError {
                field: Field::Theme,
                message: s.error_theme.into(),
            });
        }
        if let Err(e) = self.comment.with_untracked(|c| validate_comment(c)) {
            out.push(FieldError {
                field: Field::Comment,
                message: crate::i18n::errors::comment_error_text(locale, e),
            });
        }
        out
    }

    /// After the first attempt, errors follow the fields live so they disappear once fixed; the
    /// server's word on the files stays until the next submit.
    pub(super) fn revalidate_live(self, locale: impl Fn() -> Locale + 'static) {
        Effect::new(move |_| {
            self.category.track();
            self.theme.track();
            self.comment.track();
            if self.tried.get_untracked() {
                let server_files: Vec<FieldError> = self
                    .errors
                    .get_untracked()
                    .into_iter()
                    .filter(|e| e.field == Field::Files)
                    .collect();
                let mut live = self.validate(locale());
                live.extend(server_files);
                self.errors.set(live);
            }
        });
    }

    /// The message of `field`'s error, if it has one.
    pub(super) fn error_for(self, field: Field) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.errors.with(|es| {
                es.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        })
    }

    /// Puts the focus on `field`'s control, as the seller should fix it next.
    pub(super) fn focus(self, field: Field) {
        let _ = match field {
            Field::Category => self.cat_ref.get_untracked().map(|e| e.focus()),
            Field::Theme => self.theme_ref.get_untracked().map(|e| e.focus()),
            Field::Comment => self.comment_ref.get_untracked().map(|e| e.focus()),
            Field::Files => web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("ss-attachments"))
                .map(|e| {
                    use wasm_bindgen::JsCast;
                    e.unchecked_into::<web_sys::HtmlElement>().focus()
                }),
        };
    }

    /// The category the seller picked; a theme of another category is never kept.
    pub(super) fn pick_category(self, value: String) {
        if value != self.category.get_untracked() {
            self.category.set(value);
            self.theme.set(String::new());
        }
    }

    /// If a category from the draft or the link no longer exists in the served catalog, drop it.
    pub(super) fn drop_unknown_choices(self) {
        Effect::new(move |_| {
            let (c, th) = (self.category.get_untracked(), self.theme.get_untracked());
            self.catalog.with(|cat| {
                if !c.is_empty() && cat.category(&c).is_none() {
                    self.category.set(String::new());
                    self.theme.set(String::new());
                } else if !th.is_empty() && cat.theme(&c, &th).is_none() {
                    self.theme.set(String::new());
                }
            });
        });
    }
}
