//! `debrief`: blameless postmortems from the command line.
//!
//! The binary only parses arguments and glues the libraries together: one module per
//! subcommand under `cmd/`. Exit codes: 0 fine, 1 findings or changes, 2 usage or I/O error.

mod baseline;
mod cli;
mod cmd;
mod config;
mod files;
mod lint_output;
mod lsp;
mod report;

use clap::Parser;
use std::process::ExitCode;

// Linting a tree allocates many short-lived strings on every thread; mimalloc's per-thread
// heaps make that markedly cheaper than the system allocator (scripts/bench-lint.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What a command found, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Findings or changes.
    Findings,
    /// A file could not be read or written, or the input was unusable.
    Failed,
}

impl Outcome {
    /// The worse of two outcomes.
    pub fn and(self, other: Outcome) -> Outcome {
        use Outcome::*;
        match (self, other) {
            (Failed, _) | (_, Failed) => Failed,
            (Findings, _) | (_, Findings) => Findings,
            _ => Clean,
        }
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::New(args) => cmd::new::run(args),
        cli::Command::Fmt(args) => cmd::fmt::run(args),
        cli::Command::Show(args) => cmd::show::run(args),
        cli::Command::Metrics(args) => cmd::metrics::run(args),
        cli::Command::Review(args) => cmd::review::run(args),
        cli::Command::Publish(args) => cmd::publish::run(args),
        cli::Command::Lint(args) => cmd::lint::run(args),
        cli::Command::Explain(args) => cmd::explain::run(args),
        cli::Command::Serve(args) => cmd::serve::run(args),
        cli::Command::Import(args) => cmd::remote::import(args),
        cli::Command::Export(args) => cmd::remote::export(args),
        cli::Command::User(cli::UserCommand::Add(args)) => cmd::user::add(args),
        cli::Command::Actions(cli::ActionsCommand::Sync(args)) => cmd::actions::sync(args),
        cli::Command::Actions(cli::ActionsCommand::Status(args)) => cmd::actions::status(args),
        cli::Command::Timeline(cli::TimelineCommand::Import(source)) => {
            cmd::timeline::import(source)
        }
        cli::Command::Lsp => lsp::run(),
        cli::Command::Completions(args) => cmd::shell::completions(&args),
        cli::Command::Man(args) => cmd::shell::man(&args),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Ok(Outcome::Failed) => ExitCode::from(2),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
