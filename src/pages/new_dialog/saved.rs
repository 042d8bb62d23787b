//! The form as a draft of the session's seller ([`crate::draft`]): restored when the page opens,
//! saved on every change, removed once the server confirmed the dialog.

use super::form::Form;
use crate::api::Api;
use crate::components::drop_zone::{PickedFiles, intake};
use crate::draft::{self, Drafts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

/// The name of the form's draft among the seller's drafts.
pub const DRAFT_NAME: &str = "new-dialog";

/// The name of the files of the draft with idempotency key `key`.
pub(super) fn files_name(key: &str) -> String {
    format!("new-dialog.files.{key}")
}

/// The part of the form that survives a reload.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub category: String,
    pub theme: String,
    pub comment: String,
    /// Idempotency key of this draft; a new one only after a dialog was created or the form cleared.
    pub key: String,
}

pub(super) fn picked_list(files: PickedFiles) -> Vec<web_sys::File> {
    files.with_untracked(|f| f.iter().map(|p| p.file.clone()).collect())
}

/// Asks the server whose drafts these are, then restores the draft into `form` (unless the link
/// chose the category, `from_link`) and sets `drafts` from when on the form is saved.
pub(super) fn restore(
    api: Api,
    form: Form,
    drafts: RwSignal<Option<Drafts>>,
    show_restored: RwSignal<bool>,
    from_link: bool,
) {
    let Form {
        category,
        theme,
        comment,
        key,
        files,
        rejections,
        ..
    } = form;
    spawn_local(async move {
        let Some(mine) = Drafts::for_session(&api).await else {
            return;
        };
        // The seller may have left while the server was asked.
        let Some(typed) = comment.try_with_untracked(|c| !c.is_empty()) else {
            return;
        };
        let touched = typed || files.with_untracked(|f| !f.is_empty());
        // What the seller typed meanwhile wins over an older draft (and is saved below).
        let saved = mine.load::<Draft>(DRAFT_NAME).filter(|_| !touched);
        if let Some(saved) = saved {
            if !from_link {
                category.set(saved.category.clone());
                theme.set(saved.theme.clone());
            }
            comment.set(saved.comment.clone());
            if !saved.key.is_empty() {
                key.set(saved.key.clone());
            }
            show_restored.set(!saved.comment.trim().is_empty() || !saved.category.is_empty());
            // Files come back from IndexedDB through the same policy checks as new ones.
            let stored = mine.load_files(&files_name(&saved.key)).await;
            if !stored.is_empty() {
                if show_restored.try_set(true).is_some() {
                    return;
                }
                intake(files, rejections, stored);
            }
        } else if touched {
            let list = picked_list(files);
            mine.save_files(&files_name(&key.get_untracked()), &list)
                .await;
        }
        // A reply whose dialog closed before it went out, brought by «Новый диалог с этим
        // текстом»: added to the comment, never put in place of what is there.
        if let Some(carried) = mine.load_text(draft::CARRIED) {
            let added = comment.try_update(|c| {
                if !c.trim().is_empty() {
                    c.push_str("\n\n");
                }
                c.push_str(&carried);
            });
            if added.is_none() {
                return;
            }
            mine.remove(draft::CARRIED);
        }
        drafts.try_set(Some(mine));
    });
}

/// Saves the text fields on every change, the files whenever the accepted list changes.
pub(super) fn save_on_change(form: Form, drafts: RwSignal<Option<Drafts>>) {
    Effect::new(move |_| {
        let d = Draft {
            category: form.category.get(),
            theme: form.theme.get(),
            comment: form.comment.get(),
            key: form.key.get(),
        };
        if let Some(mine) = drafts.get() {
            mine.save(DRAFT_NAME, &d);
        }
    });
    Effect::new(move |prev: Option<Vec<u64>>| {
        let keys: Vec<u64> = form.files.with(|f| f.iter().map(|p| p.key).collect());
        // The first run only records what was restored; saving it back would be wasted work.
        if prev.is_some_and(|p| p != keys)
            && let Some(mine) = drafts.get_untracked()
        {
            let list = picked_list(form.files);
            let name = files_name(&form.key.get_untracked());
            spawn_local(async move { mine.save_files(&name, &list).await });
        }
        keys
    });
}
