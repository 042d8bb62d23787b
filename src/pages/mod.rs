//! One module per page.

pub mod dialog;
pub mod list;
pub mod list_updates;
pub mod new_dialog;
