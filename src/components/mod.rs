//! Reusable parts of pages.
pub mod drop_zone;
