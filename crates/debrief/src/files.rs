//! Finding, reading and writing postmortem files.

use anyhow::{Context, Result};
use debrief_core::Postmortem;
use debrief_core::kind::Kind;
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A file to work on, and whether it was named on the command line (rather than found by
/// walking a directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// Named on the command line: always taken, whatever it is or `exclude` says.
    pub named: bool,
}

/// Expands directories into the Markdown files under them; see [`walk`].
pub fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<anyhow::Error>) {
    let (inputs, errors) = walk(paths);
    (inputs.into_iter().map(|i| i.path).collect(), errors)
}

/// Expands directories into the Markdown files under them (sorted, so output is stable).
/// Files named explicitly are always taken. In directories: Markdown files by extension
/// (`.md`, `.markdown`, `.qmd`) and files without an extension whose first line looks like
/// Markdown or front matter; not hidden files or directories, nothing a `.gitignore` or
/// `.ignore` file ignores (in a Git repository or not), and nothing the `exclude` patterns of
/// a `debrief.toml` at or above it match.
pub fn walk(paths: &[PathBuf]) -> (Vec<Input>, Vec<anyhow::Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let excludes = Arc::new(Excludes::default());
    for path in paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                let filter = excludes.clone();
                let walker = ignore::WalkBuilder::new(path)
                    .follow_links(true)
                    .require_git(false)
                    .filter_entry(move |entry| {
                        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                        entry.depth() == 0 || !filter.excluded(entry.path(), is_dir)
                    })
                    .build();
                for entry in walker {
                    match entry {
                        Ok(entry) => {
                            if let Some(error) = entry.error() {
                                // A line of an ignore file that is not a pattern: the rest of
                                // the file still applies.
                                eprintln!("warning: {error}");
                            }
                            if entry.file_type().is_some_and(|t| t.is_file())
                                && is_postmortem_file(entry.path())
                            {
                                found.push(entry.into_path());
                            }
                        }
                        Err(error) => errors
                            .push(anyhow::Error::new(error).context(format!("{}", path.display()))),
                    }
                }
                found.sort();
                files.extend(found.into_iter().map(|path| Input { path, named: false }));
            }
            Ok(_) => files.push(Input {
                path: path.clone(),
                named: true,
            }),
            Err(error) => {
                errors.push(anyhow::Error::new(error).context(format!("{}", path.display())))
            }
        }
    }
    errors.extend(excludes.take_errors());
    (files, errors)
}

/// The `exclude` patterns of `debrief.toml` files, read once per directory. A file or
/// directory is excluded when a pattern of a `debrief.toml` in a directory at or above it
/// matches it, as a `.gitignore` line would, relative to that file's directory; the nearest
/// `debrief.toml` that has a say (`!pattern` takes a path back) decides.
#[derive(Default)]
struct Excludes {
    /// Directories as walked, canonicalised.
    canonical: Mutex<HashMap<PathBuf, PathBuf>>,
    /// Canonical directories and the matchers that apply in them, farthest first.
    chains: Mutex<HashMap<PathBuf, Chain>>,
    /// Files that could not be read or used.
    errors: Mutex<Vec<anyhow::Error>>,
}

type Chain = Arc<Vec<Arc<ignore::gitignore::Gitignore>>>;

/// `exclude = ["drafts/", "**/*.tmpl.md"]`: the only key of `debrief.toml` walking reads.
#[derive(serde::Deserialize)]
struct WalkSettings {
    exclude: Option<toml::Spanned<Vec<toml::Spanned<String>>>>,
}

impl Excludes {
    fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return false;
        };
        let dir = self.canonical(parent);
        let full = dir.join(name);
        for matcher in self.chain(&dir).iter().rev() {
            match matcher.matched(&full, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
        false
    }

    fn canonical(&self, dir: &Path) -> PathBuf {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Some(known) = self.canonical.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return known;
        }
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if let Ok(mut map) = self.canonical.lock() {
            map.insert(dir.to_path_buf(), canonical.clone());
        }
        canonical
    }

    fn chain(&self, dir: &Path) -> Chain {
        if let Some(known) = self.chains.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return known;
        }
        let mut chain = match dir.parent() {
            Some(parent) => self.chain(parent).as_ref().clone(),
            None => Vec::new(),
        };
        let config = dir.join(crate::config::CONFIG_FILE);
        if config.is_file() {
            match load_excludes(dir, &config) {
                Ok(Some(matcher)) => chain.push(Arc::new(matcher)),
                Ok(None) => {}
                Err(error) => {
                    if let Ok(mut errors) = self.errors.lock() {
                        errors.push(error);
                    }
                }
            }
        }
        let chain = Arc::new(chain);
        if let Ok(mut map) = self.chains.lock() {
            map.insert(dir.to_path_buf(), chain.clone());
        }
        chain
    }

    fn take_errors(&self) -> Vec<anyhow::Error> {
        self.errors
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default()
    }
}

/// The `exclude` patterns of one `debrief.toml`, if it has any.
fn load_excludes(dir: &Path, path: &Path) -> Result<Option<ignore::gitignore::Gitignore>> {
    let text = read_text(path)?;
    let at = |offset: usize| {
        let span = debrief_core::LineIndex::new(&text).span(offset..offset);
        format!("{}:{}:{}", path.display(), span.line, span.column)
    };
    let settings: WalkSettings = toml::from_str(&text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        anyhow::anyhow!("{}: {}", at(offset), e.message())
    })?;
    let Some(patterns) = settings.exclude else {
        return Ok(None);
    };
    let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
    for pattern in patterns.get_ref() {
        builder
            .add_line(Some(path.to_path_buf()), pattern.get_ref())
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}: `exclude` pattern {:?} is not a glob: {e}",
                    at(pattern.span().start),
                    pattern.get_ref()
                )
            })?;
    }
    let matcher = builder
        .build()
        .map_err(|e| anyhow::anyhow!("{}: {e}", at(patterns.span().start)))?;
    Ok(Some(matcher))
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

/// What a file is, from its content and its name: see [`debrief_core::kind`].
pub fn kind(path: &Path, postmortem: &Postmortem) -> Kind {
    debrief_core::kind::classify(postmortem, path.file_name().and_then(|n| n.to_str()))
}

/// Expands `inputs` (files and directories) and applies `work` to every file on every core,
/// in input order. `work` returns what it made of a file and what the file is ([`kind`]): of
/// the files found by walking a directory, those that are not postmortems (templates,
/// READMEs, index pages) are left out, and one line on standard error says how many; a file
/// named on the command line is always taken. Every file that could not be found or worked
/// on is reported on standard error and makes the outcome
/// [`Outcome::Failed`](crate::Outcome::Failed); the rest is returned.
pub fn map_tree<T: Send>(
    inputs: &[PathBuf],
    work: impl Fn(&Path) -> Result<(T, Kind)> + Sync,
) -> (Vec<T>, crate::Outcome) {
    let (inputs, errors) = walk(inputs);
    let paths: Vec<PathBuf> = inputs.iter().map(|i| i.path.clone()).collect();
    let mut outcome = crate::Outcome::Clean;
    let results = map_files(&paths, work);
    let mut done = Vec::with_capacity(results.len());
    let (mut templates, mut pages) = (0, 0);
    for error in errors {
        eprintln!("error: {error:#}");
        outcome = crate::Outcome::Failed;
    }
    for (input, result) in inputs.iter().zip(results) {
        match result {
            Ok((value, kind)) => match kind {
                _ if input.named => done.push(value),
                Kind::Postmortem => done.push(value),
                Kind::Template => templates += 1,
                Kind::Page => pages += 1,
            },
            Err(error) => {
                eprintln!("error: {error:#}");
                outcome = crate::Outcome::Failed;
            }
        }
    }
    if templates + pages > 0 {
        let mut what = Vec::new();
        if templates > 0 {
            what.push(plural(templates, "template", "templates"));
        }
        if pages > 0 {
            what.push(plural(
                pages,
                "page that tells of no incident (a README, an index, an essay)",
                "pages that tell of no incident (READMEs, indexes, essays)",
            ));
        }
        eprintln!(
            "left out {}: {} (name a file to take it anyway)",
            plural(
                templates + pages,
                "file that is not a postmortem",
                "files that are not postmortems"
            ),
            what.join(", ")
        );
    }
    (done, outcome)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
