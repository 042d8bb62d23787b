//! One module per page, and the parts of the split build that hold them (crate::parts).

pub mod dialog;
pub mod list;
pub mod list_updates;
pub mod new_dialog;

use crate::parts::Part;
use crate::router::{AppRoute, Page};
use leptos::prelude::*;

crate::lazy_part!(pub NEW_DIALOG = new_dialog_page in new_dialog:
    || view! { <new_dialog::NewDialogPage/> }.into_any());
crate::lazy_part!(pub DIALOG = dialog_page in dialog:
    || view! { <dialog::DialogPage/> }.into_any());

/// Every part of the split build, for the background prefetch.
pub const PARTS: [Part; 4] = [NEW_DIALOG, DIALOG, dialog::REPLY, dialog::UNSENT];

/// The part a page's code lives in (the route table's module), if not the main module.
pub fn part_of(page: Page) -> Option<Part> {
    let module = AppRoute::of(page).module?;
    [NEW_DIALOG, DIALOG]
        .into_iter()
        .find(|p| p.module == module)
}
