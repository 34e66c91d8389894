//! Finding, reading and writing postmortem files.

use anyhow::{Context, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Expands directories into the postmortem files under them (sorted, so output is stable).
/// Files named explicitly are always taken; in directories, Markdown files by extension and
/// files without an extension whose first line looks like Markdown or front matter.
pub fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<anyhow::Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                for entry in walkdir::WalkDir::new(path).follow_links(true) {
                    match entry {
                        Ok(entry)
                            if entry.file_type().is_file() && is_postmortem_file(entry.path()) =>
                        {
                            found.push(entry.into_path());
                        }
                        Ok(_) => {}
                        Err(error) => errors
                            .push(anyhow::Error::new(error).context(format!("{}", path.display()))),
                    }
                }
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(path.clone()),
            Err(error) => {
                errors.push(anyhow::Error::new(error).context(format!("{}", path.display())))
            }
        }
    }
    (files, errors)
}

fn is_postmortem_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') {
        return false;
    }
    match path.extension().and_then(|e| e.to_str()) {
        // Quarto's `.qmd` is Markdown with YAML front matter.
        Some(ext)
            if ["md", "markdown", "qmd"]
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e)) =>
        {
            true
        }
        // "PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues" has no extension; a name
        // with spaces after a dot ("PM2022-009 - Bad A.W.S") is not an extension either.
        Some(ext) if ext.contains(' ') => looks_like_markdown(path),
        None => looks_like_markdown(path),
        Some(_) => false,
    }
}

fn looks_like_markdown(path: &Path) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut head = [0u8; 256];
    let n = std::io::Read::read(&mut file, &mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    let first = head
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    first.starts_with('#') || first.starts_with("---") || first.starts_with("+++")
}

/// Reads a file as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = bytes[..offset]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        // The bytes before `offset` are valid UTF-8; columns count characters, as everywhere.
        let column = String::from_utf8_lossy(&bytes[line_start..offset])
            .chars()
            .count()
            + 1;
        anyhow::anyhow!("{}:{line}:{column}: not valid UTF-8", path.display())
    })
}

/// Replaces a file's contents atomically: a temporary file in the same directory, then a rename,
/// so that a crash leaves either the old or the new contents.
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("postmortem");
    let temp = dir.join(format!(".{name}.debrief-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&temp, meta.permissions())?;
        }
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.with_context(|| format!("{}: cannot write", path.display()))
}

/// Trees with at least this many files get a progress bar on standard error (on a terminal
/// only: indicatif hides it otherwise).
const PROGRESS_THRESHOLD: usize = 200;

/// Applies `work` to every file on every core, keeping the input order, with a progress
/// bar for large trees.
fn map_files<T: Send>(
    paths: &[PathBuf],
    work: impl Fn(&Path) -> Result<T> + Sync,
) -> Vec<Result<T>> {
    let progress = if paths.len() >= PROGRESS_THRESHOLD {
        let bar = indicatif::ProgressBar::new(paths.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len().max(1));
    let chunk = paths.len().div_ceil(threads).max(1);
    let (work, progress_ref) = (&work, &progress);
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|path| {
                            let result = work(path);
                            progress_ref.inc(1);
                            result
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err(anyhow::anyhow!("a worker thread panicked"))])
            })
            .collect()
    });
    progress.finish_and_clear();
    results
}

/// Expands `inputs` (files and directories) and applies `work` to every file on every core,
/// in input order. Every file that could not be found or worked on is reported on standard
/// error and makes the outcome [`Outcome::Failed`](crate::Outcome::Failed); the rest is
/// returned.
pub fn map_tree<T: Send>(
    inputs: &[PathBuf],
    work: impl Fn(&Path) -> Result<T> + Sync,
) -> (Vec<T>, crate::Outcome) {
    let (paths, errors) = expand(inputs);
    let mut outcome = crate::Outcome::Clean;
    let results = map_files(&paths, work);
    let mut done = Vec::with_capacity(results.len());
    for result in errors.into_iter().map(Err).chain(results) {
        match result {
            Ok(value) => done.push(value),
            Err(error) => {
                eprintln!("error: {error:#}");
                outcome = crate::Outcome::Failed;
            }
        }
    }
    (done, outcome)
}
