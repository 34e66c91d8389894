//! The JSON shapes that leave debrief, in one place: every request and answer of the server's
//! API, as typed serde structs. The server builds its answers from them, the command line's
//! `import` and `export` read them, and the OpenAPI document is derived from them (each type
//! carries its schema, `utoipa::ToSchema`), so documentation and behaviour cannot drift.
//!
//! Everything here is a contract with scripts and clients: renaming a field or a variant
//! changes what they read. Names are `snake_case`; enums are written as their lower-case
//! names; times are Unix seconds unless a field says otherwise.
//!
//! This crate knows no HTTP and no SQL: it is data, and the conversions from the core's
//! model into it.

pub mod api;
pub mod document;
pub mod sarif;
