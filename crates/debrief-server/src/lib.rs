//! The debrief server: the store, accounts and roles, the review workflow and the JSON API.
//!
//! The store is SQLite (embedded, the default) or PostgreSQL (for several instances), behind
//! one [`store::Store`] that speaks SQL both accept. Everything that must hold across
//! instances (versions, sessions, locks) lives in the database, never in a process.

mod clock;
pub mod comments;
pub mod config;
pub mod demo;
pub mod hooks;
pub mod http;
pub mod meeting;
pub mod notify;
pub mod reminders;
pub mod secret;
pub mod slack;
pub mod store;
pub mod tracking;
pub mod workflow;

pub use store::{Clock, NewUser, Policy, Role, Store, StoreError, Team, User};
