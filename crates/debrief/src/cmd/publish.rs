//! `debrief publish`: the static site, written into a directory.

use crate::Outcome;
use crate::cli::PublishArgs;
use crate::files;
use anyhow::{Context, Result};
use debrief_site::{Doc, Options};

pub fn run(args: PublishArgs) -> Result<Outcome> {
    let (docs, outcome) = files::map_tree(&args.paths, |path| {
        let text = files::read_text(path)?;
        let read = debrief_core::read_with(&text, &debrief_core::ReadOptions::for_path(path));
        Ok(Doc {
            source: path.display().to_string(),
            postmortem: read.postmortem,
            analysis: read.analysis,
        })
    });
    let restricted = docs.iter().filter(|d| d.postmortem.meta.restricted).count();
    let site = debrief_site::build(
        &docs,
        &Options {
            title: args.title,
            include_restricted: args.include_restricted,
            base_url: args.base_url,
            today: args.today.unwrap_or_else(|| jiff::Zoned::now().date()),
        },
    );
    for file in &site {
        let path = args.out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        files::write_atomic(&path, &file.content)?;
    }
    let published = if args.include_restricted {
        docs.len()
    } else {
        docs.len() - restricted
    };
    eprintln!(
        "published {published} postmortems ({} files){} in {}",
        site.len(),
        if restricted > 0 && !args.include_restricted {
            format!("; {restricted} restricted left out")
        } else {
            String::new()
        },
        args.out.display()
    );
    println!("{}", args.out.join("index.html").display());
    Ok(outcome)
}
