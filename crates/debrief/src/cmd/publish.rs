//! `debrief publish`: the static site, written into a directory.
//!
//! Every file is read on every core; `debrief-site` decides what is published (postmortems
//! whose status is published, restricted ones only when asked) and builds the pages. The
//! relative images a postmortem shows are found here, next to its file and inside the input
//! tree it came from, and copied beside its page; one that is missing or outside the tree is
//! a warning with its position, and the page keeps the target as written.

use crate::Outcome;
use crate::cli::PublishArgs;
use crate::config::Configs;
use crate::files;
use anyhow::{Context, Result};
use debrief_site::{Doc, Options};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One file read for the site: the document, the images found for it, and the warnings
/// about those that were not.
struct ReadDoc {
    doc: Doc,
    images: Vec<(String, PathBuf)>,
    warnings: Vec<String>,
}

pub fn run(args: PublishArgs) -> Result<Outcome> {
    let trees = Trees::new(&args.paths);
    let today = args.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let configs = Configs::new(args.config.as_deref())?;
    let (read, outcome) = files::map_tree(&args.paths, |path| {
        let config = configs.for_file(path)?;
        let text = files::read_text(path)?;
        // Linted as `review` lints, so the site's review page scores write-ups the same way.
        let (read, blame_free) = super::review::read_for_review(path, &text, &config, today);
        let kind = files::kind(path, &read.postmortem);
        let (images, warnings) = find_images(path, &text, &trees);
        let doc = Doc {
            source: path.display().to_string(),
            postmortem: read.postmortem,
            analysis: read.analysis,
            images: images.iter().map(|(url, _)| url.clone()).collect(),
            blame_free: Some(blame_free),
        };
        Ok((
            ReadDoc {
                doc,
                images,
                warnings,
            },
            kind,
        ))
    });
    let mut docs = Vec::with_capacity(read.len());
    let mut images = HashMap::new();
    let mut warnings = HashMap::new();
    for one in read {
        for (url, file) in one.images {
            images.insert((one.doc.source.clone(), url), file);
        }
        warnings.insert(one.doc.source.clone(), one.warnings);
        docs.push(one.doc);
    }
    let site = debrief_site::build(
        &docs,
        &Options {
            title: args.title,
            include_restricted: args.include_restricted,
            include_drafts: args.include_drafts,
            base_url: args.base_url,
            today,
        },
    );
    // Warnings only about what is published: a draft left out shows no image.
    let published: HashSet<&String> = site.published.iter().collect();
    for doc in &docs {
        if published.contains(&doc.source) {
            for warning in warnings.get(&doc.source).into_iter().flatten() {
                eprintln!("{warning}");
            }
        }
    }
    for file in &site.files {
        let path = args.out.join(&file.path);
        create_parent(&path)?;
        files::write_atomic(&path, &file.content)?;
    }
    for asset in &site.assets {
        let Some(from) = images.get(&(asset.source.clone(), asset.url.clone())) else {
            continue;
        };
        let to = args.out.join(&asset.path);
        create_parent(&to)?;
        std::fs::copy(from, &to)
            .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    }
    let mut left_out = Vec::new();
    if site.left_out_drafts > 0 {
        left_out.push(format!(
            "{} {} left out (--include-drafts to publish them)",
            site.left_out_drafts,
            if site.left_out_drafts == 1 {
                "draft"
            } else {
                "drafts"
            }
        ));
    }
    if site.left_out_restricted > 0 {
        left_out.push(format!("{} restricted left out", site.left_out_restricted));
    }
    eprintln!(
        "published {} {}{} ({} files, {} images) in {}{}",
        site.published.len(),
        if site.published.len() == 1 {
            "postmortem"
        } else {
            "postmortems"
        },
        if site.drafts > 0 {
            format!(", {} of them drafts", site.drafts)
        } else {
            String::new()
        },
        site.files.len(),
        site.assets.len(),
        args.out.display(),
        if left_out.is_empty() {
            String::new()
        } else {
            format!("; {}", left_out.join("; "))
        }
    );
    println!("{}", args.out.join("index.html").display());
    Ok(outcome)
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display())),
        None => Ok(()),
    }
}

/// The input trees, canonical: the directories given, and for files given, their directories.
struct Trees {
    roots: Vec<(PathBuf, PathBuf)>,
}

impl Trees {
    fn new(inputs: &[PathBuf]) -> Trees {
        let roots = inputs
            .iter()
            .map(|input| {
                let root = if input.is_dir() {
                    input.clone()
                } else {
                    input
                        .parent()
                        .filter(|p| !p.as_os_str().is_empty())
                        .unwrap_or(Path::new("."))
                        .to_path_buf()
                };
                let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
                (input.clone(), canonical)
            })
            .collect();
        Trees { roots }
    }

    /// The canonical root of the tree a file was found in (the deepest input above it).
    fn root_of(&self, file: &Path) -> Option<&Path> {
        self.roots
            .iter()
            .filter(|(input, _)| file.starts_with(input))
            .max_by_key(|(input, _)| input.components().count())
            .map(|(_, root)| root.as_path())
    }
}

/// The relative images a postmortem shows that are files inside its input tree, and a
/// warning with `path:line:column` for each one that is not.
fn find_images(path: &Path, text: &str, trees: &Trees) -> (Vec<(String, PathBuf)>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let root = trees.root_of(path);
    let mut seen = HashSet::new();
    for image in debrief_site::image_references(text) {
        if !seen.insert(image.url.clone()) {
            continue;
        }
        let warn = |why: &str| {
            format!(
                "{}:{}:{}: warning[image]: {why}; the page shows it as written",
                path.display(),
                image.line,
                image.column
            )
        };
        // Canonical paths follow symbolic links, so that a link out of the tree is caught.
        match dir.join(&image.path).canonicalize() {
            Ok(file) if root.is_some_and(|root| file.starts_with(root)) && file.is_file() => {
                found.push((image.url, file));
            }
            Ok(file) if file.is_file() => warnings.push(warn(&format!(
                "image {} is outside the input tree, not copied",
                image.url
            ))),
            _ => warnings.push(warn(&format!("image {} not found", image.url))),
        }
    }
    (found, warnings)
}
