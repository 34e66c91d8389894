//! One module per subcommand.

pub mod actions;
pub mod explain;
pub mod fmt;
pub mod lint;
pub mod metrics;
pub mod new;
pub mod publish;
pub mod remote;
pub mod review;
pub mod serve;
pub mod shell;
pub mod show;
pub mod timeline;
pub mod user;
