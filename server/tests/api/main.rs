//! Integration tests: the real router on a temp data dir, driven with `oneshot`.

mod bounds;
mod cli;
mod common;
mod crash;
mod demo;
mod dialogs;
mod events;
mod instances;
mod limits;
mod logs;
mod openapi;
mod sessions;
mod socket;
mod storage;
mod uploads;
mod web;
