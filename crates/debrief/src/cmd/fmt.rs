//! `debrief fmt`: rewrite postmortems in canonical form, or show (`--diff`) or list
//! (`--check`) what would change.

use crate::Outcome;
use crate::cli::FmtArgs;
use crate::files;
use crate::report::diagnostic_line;
use anyhow::Result;
use debrief_core::Severity;

pub fn run(args: FmtArgs) -> Result<Outcome> {
    let (paths, errors) = files::expand(&args.paths);
    let mut outcome = Outcome::Clean;
    for error in errors {
        eprintln!("error: {error:#}");
        outcome = Outcome::Failed;
    }
    for path in paths {
        let text = match files::read_text(&path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: {error:#}");
                outcome = Outcome::Failed;
                continue;
            }
        };
        let read = debrief_core::read_with(&text, &debrief_core::ReadOptions::for_path(&path));
        // A document the reader could not take in whole (broken front matter) is left alone:
        // rewriting it could lose what the author meant.
        if !read.rewritable() {
            for d in read
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                eprintln!("{}", diagnostic_line(&path, d));
            }
            eprintln!(
                "{}: not formatted: fix the errors above first",
                path.display()
            );
            outcome = Outcome::Failed;
            continue;
        }
        let canonical = debrief_core::write(&read.postmortem);
        if canonical == text {
            continue;
        }
        if args.diff {
            let name = path.display().to_string();
            print!(
                "{}",
                similar::TextDiff::from_lines(&text, &canonical)
                    .unified_diff()
                    .context_radius(2)
                    .header(&name, &name)
            );
            outcome = outcome.and(Outcome::Findings);
        } else if args.check {
            println!("{}", path.display());
            outcome = outcome.and(Outcome::Findings);
        } else {
            match files::write_atomic(&path, &canonical) {
                Ok(()) => println!("formatted {}", path.display()),
                Err(error) => {
                    eprintln!("error: {error:#}");
                    outcome = Outcome::Failed;
                }
            }
        }
    }
    Ok(outcome)
}
