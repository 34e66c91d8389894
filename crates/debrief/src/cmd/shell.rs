//! `debrief completions` and `debrief man`: the shell's completion script and the manual
//! pages, both made from the one definition of the arguments (`cli.rs`).

use crate::Outcome;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::path::Path;

pub fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "debrief", &mut std::io::stdout());
    Ok(Outcome::Clean)
}

pub fn man(args: &ManArgs) -> Result<Outcome> {
    let command = Cli::command();
    match &args.out {
        None => {
            clap_mangen::Man::new(command)
                .render(&mut std::io::stdout())
                .context("writing the manual page")?;
        }
        Some(dir) => write_pages(&command, dir)?,
    }
    Ok(Outcome::Clean)
}

/// `debrief.1`, then a page per command (`debrief-lint.1`, `debrief-timeline-import.1`).
fn write_pages(command: &clap::Command, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    clap_mangen::generate_to(command.clone(), dir)
        .with_context(|| format!("writing the manual pages into {}", dir.display()))?;
    Ok(())
}
