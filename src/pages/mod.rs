//! One module per page.

pub mod dialog;
pub mod list;
pub mod new_dialog;
