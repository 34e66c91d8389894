//! `debrief lint`: the blameless linter over files, directories or standard input.

use crate::Outcome;
use crate::cli::{LintArgs, LintFormat};
use crate::files;
use crate::lint_output::{self, FileReport};
use anyhow::{Context, Result, anyhow, bail};
use debrief_lint::{Config, Options};
use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The configuration file's name, found by walking up from each postmortem.
pub const CONFIG_FILE: &str = "debrief.toml";

pub fn run(args: LintArgs) -> Result<Outcome> {
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.fix {
        bail!("--fix rewrites files; it cannot rewrite standard input");
    }
    if stdin && args.paths.len() > 1 {
        bail!("`-` (standard input) cannot be combined with other paths");
    }
    let today = args.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let configs = Configs::new(args.config.as_deref())?;

    let mut outcome = Outcome::Clean;
    let reports = if stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("standard input: cannot read")?;
        let config = configs.for_dir(&std::env::current_dir().unwrap_or_default())?;
        let linted = debrief_lint::lint(&text, &Options::new(&config, today));
        vec![Ok(FileReport {
            path: "<stdin>".to_string(),
            linted,
            config,
            fixed: Vec::new(),
        })]
    } else {
        let (paths, errors) = files::expand(&args.paths);
        for error in errors {
            eprintln!("error: {error:#}");
            outcome = Outcome::Failed;
        }
        let jobs = args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        lint_files(&paths, jobs, today, &configs, args.fix)
    };

    let mut done = Vec::with_capacity(reports.len());
    for report in reports {
        match report {
            Ok(report) => done.push(report),
            Err(error) => {
                eprintln!("error: {error:#}");
                outcome = Outcome::Failed;
            }
        }
    }
    for report in &done {
        for (line, change) in &report.fixed {
            eprintln!("fixed {}:{line}: {change}", report.path);
        }
    }
    let output = match args.format {
        LintFormat::Human => lint_output::human(&done, lint_output::colour_wanted()),
        LintFormat::Json => lint_output::json(&done)?,
        LintFormat::Sarif => lint_output::sarif(&done)?,
        LintFormat::Github => lint_output::github(&done),
    };
    print!("{output}");
    let failing = done.iter().any(|r| {
        r.linted
            .findings
            .iter()
            .any(|f| f.diagnostic.severity >= r.config.fail_on)
    });
    if failing {
        outcome = outcome.and(Outcome::Findings);
    }
    Ok(outcome)
}

/// Lints files on `jobs` threads, keeping the input order in the result.
fn lint_files(
    paths: &[PathBuf],
    jobs: usize,
    today: jiff::civil::Date,
    configs: &Configs,
    fix: bool,
) -> Vec<Result<FileReport>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<FileReport>>>> =
        Mutex::new((0..paths.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(paths.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    let report = lint_file(path, today, configs, fix);
                    if let Ok(mut results) = results.lock() {
                        results[i] = Some(report);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(anyhow!("a worker thread stopped before finishing"))))
        .collect()
}

fn lint_file(
    path: &Path,
    today: jiff::civil::Date,
    configs: &Configs,
    fix: bool,
) -> Result<FileReport> {
    let text = files::read_text(path)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let config = configs.for_dir(dir)?;
    let options = Options {
        config: &config,
        today,
        read: files::read_options(path),
    };
    let mut linted = debrief_lint::lint(&text, &options);
    let mut fixed = Vec::new();
    if fix {
        let (new_text, applied) = linted.apply_fixes();
        if !applied.is_empty() {
            for finding in &applied {
                let old = &linted.text[finding.range.clone()];
                let new = finding.fix.as_deref().unwrap_or_default();
                fixed.push((
                    finding.diagnostic.span.line,
                    format!("{}: \"{old}\" -> \"{new}\"", finding.diagnostic.rule),
                ));
            }
            files::write_atomic(path, &new_text)?;
            linted = debrief_lint::lint(&new_text, &options);
        }
    }
    Ok(FileReport {
        path: path.display().to_string(),
        linted,
        config,
        fixed,
    })
}

/// Configurations: one given on the command line, or the debrief.toml nearest each file,
/// read once per directory.
struct Configs {
    fixed: Option<Arc<Config>>,
    by_dir: Mutex<HashMap<PathBuf, Arc<Config>>>,
}

impl Configs {
    fn new(path: Option<&Path>) -> Result<Configs> {
        let fixed = path.map(|p| load(p).map(Arc::new)).transpose()?;
        Ok(Configs {
            fixed,
            by_dir: Mutex::new(HashMap::new()),
        })
    }

    fn for_dir(&self, dir: &Path) -> Result<Arc<Config>> {
        if let Some(config) = &self.fixed {
            return Ok(config.clone());
        }
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if let Some(config) = self.by_dir.lock().ok().and_then(|m| m.get(&dir).cloned()) {
            return Ok(config);
        }
        let config = match dir
            .ancestors()
            .map(|d| d.join(CONFIG_FILE))
            .find(|p| p.is_file())
        {
            Some(path) => Arc::new(load(&path)?),
            None => Arc::new(Config::default()),
        };
        if let Ok(mut map) = self.by_dir.lock() {
            map.insert(dir, config.clone());
        }
        Ok(config)
    }
}

fn load(path: &Path) -> Result<Config> {
    let text = files::read_text(path)?;
    Config::from_toml(&text)
        .map_err(|e| anyhow!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))
}
