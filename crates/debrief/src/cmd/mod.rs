//! One module per subcommand.

pub mod fmt;
pub mod metrics;
pub mod new;
pub mod show;
