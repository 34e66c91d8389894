//! The server end to end, over real HTTP on a local port, against SQLite and PostgreSQL,
//! one concern per module, each test on a fresh database of its own. Every answer is
//! checked against the OpenAPI document (`Server::call`), and every server checks as it
//! stops that each route it reached is documented; `operations` also reaches every
//! documented route.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod contributions;
mod input;
mod meetings;
mod operations;
mod postmortems;
mod restricted;
mod workflow;
