//! `debrief review`: the quarterly review of a tree of postmortems.
//!
//! Each file is read and linted once, on every core (the lint gives the document and
//! whether its narrative is free of blame findings); the review itself is computed from
//! those entries by `debrief-review`.

use crate::Outcome;
use crate::cli::{ReviewArgs, ReviewFormat};
use crate::config::Configs;
use crate::files;
use anyhow::{Context, Result};
use debrief_core::kind::Kind;
use debrief_lint::{Config, Options};
use debrief_review::{Entry, review};
use std::path::Path;

pub fn run(args: ReviewArgs) -> Result<Outcome> {
    let today = args.today.unwrap_or_else(|| jiff::Zoned::now().date());
    // Linted with each file's debrief.toml, as `debrief lint` lints it: the write-up score
    // and the blame-free count then agree with what CI reports.
    let configs = Configs::new(args.config.as_deref())?;
    let (entries, outcome) = files::map_tree(&args.paths, |path| {
        entry(path, &*configs.for_file(path)?, today)
    });
    let review = review(
        &entries,
        &debrief_review::Options {
            from: args.from,
            to: args.to,
            today,
        },
    );
    match (&args.out, args.format) {
        (None, ReviewFormat::Md) => print!("{}", debrief_review::markdown(&review)),
        (None, ReviewFormat::Html) => print!("{}", debrief_review::html(&review)),
        (None, ReviewFormat::Json) => println!("{}", serde_json::to_string_pretty(&review)?),
        (Some(dir), format) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let (name, text) = match format {
                ReviewFormat::Md => {
                    let charts = debrief_review::charts(&review);
                    for chart in &charts {
                        files::write_atomic(&dir.join(chart.file), &chart.svg)?;
                    }
                    (
                        "review.md",
                        debrief_review::markdown_with_charts(&review, &charts),
                    )
                }
                ReviewFormat::Html => ("review.html", debrief_review::html(&review)),
                ReviewFormat::Json => {
                    ("review.json", serde_json::to_string_pretty(&review)? + "\n")
                }
            };
            let path = dir.join(name);
            files::write_atomic(&path, &text)?;
            println!("{}", path.display());
        }
    }
    Ok(outcome)
}

fn entry(path: &Path, config: &Config, today: jiff::civil::Date) -> Result<(Entry, Kind)> {
    let text = files::read_text(path)?;
    let (read, blame_free) = read_for_review(path, &text, config, today);
    let entry = Entry::new(
        path.display().to_string(),
        &read.postmortem,
        &read.analysis,
        Some(blame_free),
    );
    Ok((entry, files::kind(path, &read.postmortem)))
}

/// A file read and linted once: the document, and whether its narrative is free of blame
/// findings, which the write-up score counts. The published site's review page uses it too.
pub(crate) fn read_for_review(
    path: &Path,
    text: &str,
    config: &Config,
    today: jiff::civil::Date,
) -> (debrief_core::Read, bool) {
    let options = Options {
        config,
        today,
        read: debrief_core::ReadOptions::for_path(path),
    };
    let linted = debrief_lint::lint(text, &options);
    let blame_free = linted.is_blame_free();
    (linted.read, blame_free)
}
