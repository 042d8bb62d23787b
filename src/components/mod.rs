//! Reusable parts of pages.
pub mod drop_zone;
pub mod comment_helper;
