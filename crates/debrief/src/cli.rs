//! Command-line arguments: the one place raw arguments are defined and validated.

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use std::path::PathBuf;

/// Blameless postmortems: write, format and measure them.
#[derive(Debug, Parser)]
#[command(name = "debrief", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a new postmortem from the template.
    #[command(
        after_help = "Example:\n  debrief new --title \"Checkout 500 errors\" --severity SEV2\n  \
                            writes ./2026-06-14-checkout-500-errors.md (today's date unless --date)"
    )]
    New(NewArgs),
    /// Rewrite postmortems in canonical form.
    #[command(
        after_help = "Examples:\n  debrief fmt postmortems/\n  debrief fmt --check postmortems/   \
                            # lists files that would change, exits 1 if any"
    )]
    Fmt(FmtArgs),
    /// Print a postmortem as read, with its metrics and diagnostics.
    #[command(after_help = "Examples:\n  debrief show 2026-06-14-checkout.md\n  \
                            debrief show --format json 2026-06-14-checkout.md | jq .metrics")]
    Show(ShowArgs),
    /// Print time to detect, acknowledge, mitigate and resolve for each postmortem.
    #[command(after_help = "Examples:\n  debrief metrics postmortems/\n  \
                            debrief metrics --format csv postmortems/ > metrics.csv")]
    Metrics(MetricsArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's title.
    #[arg(long, short)]
    pub title: String,
    /// The incident's date, YYYY-MM-DD [default: today]
    #[arg(long, short)]
    pub date: Option<Date>,
    /// Severity, for example SEV2.
    #[arg(long, short)]
    pub severity: Option<String>,
    /// Directory to write the file in.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Do not write; list the files that would change and exit 1 if any.
    #[arg(long)]
    pub check: bool,
    /// Files or directories (walked for Markdown files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
    /// The postmortem to show.
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricsFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = MetricsFormat::Table)]
    pub format: MetricsFormat,
    /// Files or directories (walked for Markdown files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}
