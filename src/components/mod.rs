//! Reusable parts of pages.
pub mod comment_helper;
pub mod drop_zone;
pub mod status_badge;
