//! Reusable parts of pages.
pub mod drop_zone;
pub mod status_badge;
pub mod comment_helper;
