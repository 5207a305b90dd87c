//! Shared helpers for the tally-serve integration tests.

#![allow(dead_code)] // each test binary uses part of the support code

pub mod browser;
pub mod ledger;
