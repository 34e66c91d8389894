//! `debrief new`: a new postmortem from the template, never overwriting a file.

use crate::Outcome;
use crate::cli::NewArgs;
use anyhow::{Context, Result, bail};
use debrief_core::template::template;
use std::fs::OpenOptions;
use std::io::Write;

pub fn run(args: NewArgs) -> Result<Outcome> {
    let title = args.title.trim();
    if title.is_empty() || title.contains('\n') {
        bail!("--title must be one non-empty line");
    }
    let date = args.date.unwrap_or_else(|| jiff::Zoned::now().date());
    let postmortem = template(title, date, args.severity);
    let path = args
        .dir
        .join(format!("{date}-{}.md", debrief_core::slug(title)));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| {
            format!(
                "{}: cannot create (debrief new never overwrites a file)",
                path.display()
            )
        })?;
    file.write_all(debrief_core::write(&postmortem).as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    println!("{}", path.display());
    Ok(Outcome::Clean)
}
