//! `debrief lint`: the blameless linter over files, directories or standard input, with an
//! optional baseline of accepted findings (`--baseline`, `--write-baseline`; see
//! [`crate::baseline`]).

use crate::Outcome;
use crate::baseline::{Baseline, Key, Recorder};
use crate::cli::{LintArgs, LintFormat};
use crate::config::Configs;
use crate::files;
use crate::lint_output::{self, BaselineSummary, Counts, Suppressed};
use anyhow::{Context, Result, bail};
use debrief_core::ReadOptions;
use debrief_lint::Options;
use std::collections::{BTreeMap, HashSet};
use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// One file's result, rendered on the thread that linted it.
struct Done {
    /// The rendered findings, UTF-8.
    chunk: Vec<u8>,
    counts: Counts,
    /// A finding reached the configured failing severity.
    failing: bool,
    /// Fixes applied: "line: rule: old -> new".
    fixed: Vec<String>,
    path: String,
    /// What the baseline made of the file.
    baseline: Option<FileBaseline>,
}

/// One file's part in a baseline run.
struct FileBaseline {
    /// The file's name in the baseline.
    name: String,
    /// With `--baseline`: findings it suppressed.
    suppressed: usize,
    /// With `--baseline`: the file's entries that matched nothing.
    stale: Vec<crate::baseline::Stale>,
    /// With `--write-baseline`: the keys of every finding.
    keys: Vec<Key>,
}

/// What `--baseline` and `--write-baseline` ask for.
enum Mode {
    /// Report every finding.
    Plain,
    /// Report the findings the baseline does not know.
    Check(Baseline),
    /// Report nothing; record every finding into the baseline file.
    Write(Recorder, PathBuf),
}

pub fn run(args: LintArgs) -> Result<Outcome> {
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.fix {
        bail!("--fix rewrites files; it cannot rewrite standard input");
    }
    if stdin && args.paths.len() > 1 {
        bail!("`-` (standard input) cannot be combined with other paths");
    }
    if stdin && (args.baseline.is_some() || args.write_baseline.is_some()) {
        bail!("a baseline records findings by file; it cannot be used with standard input");
    }
    // The command line refuses --write-baseline with --fix or --baseline (cli.rs).
    let mode = match (&args.baseline, &args.write_baseline) {
        (Some(path), _) => Mode::Check(Baseline::load(path)?),
        (None, Some(path)) => Mode::Write(Recorder::new(path)?, path.clone()),
        (None, None) => Mode::Plain,
    };
    let job = Job {
        today: args.today.unwrap_or_else(|| jiff::Zoned::now().date()),
        configs: Configs::new(args.config.as_deref())?,
        fix: args.fix,
        format: args.format,
        colour: lint_output::colour_wanted(),
        mode,
    };
    let writing = matches!(job.mode, Mode::Write(..));

    let stdout = std::io::stdout();
    // Chunks of a large tree's JSON add up to many megabytes: write them in large blocks.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut outcome = Outcome::Clean;
    let mut totals = Counts::default();
    let mut files = 0;
    let mut failed = 0;
    let mut wrote_chunk = false;
    let mut summary = BaselineSummary::default();
    let mut seen = HashSet::new();
    let mut recorded: Vec<(String, Vec<Key>)> = Vec::new();
    if !writing {
        out.write_all(lint_output::prefix(job.format).as_bytes())?;
    }
    let mut emit = |done: Result<Done>, out: &mut dyn Write| -> Result<()> {
        match done {
            Ok(done) => {
                for change in &done.fixed {
                    eprintln!("fixed {}:{change}", done.path);
                }
                files += 1;
                totals.add(done.counts);
                if let Some(baseline) = done.baseline {
                    summary.suppressed += baseline.suppressed;
                    summary.stale.extend(baseline.stale);
                    if writing {
                        recorded.push((baseline.name, baseline.keys));
                    } else {
                        seen.insert(baseline.name);
                    }
                }
                if done.failing {
                    outcome = outcome.and(Outcome::Findings);
                }
                if !done.chunk.is_empty() {
                    if wrote_chunk {
                        out.write_all(lint_output::separator(job.format).as_bytes())?;
                    }
                    out.write_all(&done.chunk)?;
                    wrote_chunk = true;
                }
            }
            Err(error) => {
                eprintln!("error: {error:#}");
                outcome = Outcome::Failed;
                failed += 1;
            }
        }
        Ok(())
    };

    if stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("standard input: cannot read")?;
        let dir = std::env::current_dir().unwrap_or_default();
        emit(
            job.lint_text("<stdin>", &text, &dir, ReadOptions::default(), None),
            &mut out,
        )?;
    } else {
        let (paths, errors) = files::expand(&args.paths);
        for error in errors {
            emit(Err(error), &mut out)?;
        }
        let jobs = args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        job.lint_files(&paths, jobs, |done| emit(done, &mut out))?;
    }

    match job.mode {
        Mode::Plain => {
            out.write_all(lint_output::suffix(job.format, files, totals, None).as_bytes())?;
        }
        Mode::Check(baseline) => {
            summary.file = baseline.shown.clone();
            summary.stale.extend(baseline.stale_elsewhere(&seen));
            out.write_all(
                lint_output::suffix(job.format, files, totals, Some(&summary)).as_bytes(),
            )?;
            out.flush()?;
            eprint!("{}", lint_output::baseline_notes(&summary));
        }
        Mode::Write(mut recorder, path) => {
            // A file that could not be linted would be missing from the baseline, and its
            // findings would all be new next time: better no baseline than a wrong one.
            if failed > 0 {
                bail!(
                    "{}: baseline not written: {failed} file{} could not be linted",
                    path.display(),
                    if failed == 1 { "" } else { "s" }
                );
            }
            for (name, keys) in recorded {
                recorder.record(name, keys);
            }
            files::write_atomic(&path, &recorder.to_json())?;
            let (findings, in_files) = recorder.totals();
            eprintln!(
                "wrote {findings} finding{} in {in_files} file{} to the baseline {}",
                if findings == 1 { "" } else { "s" },
                if in_files == 1 { "" } else { "s" },
                path.display()
            );
            // Every finding is now accepted.
            return Ok(Outcome::Clean);
        }
    }
    out.flush()?;
    Ok(outcome)
}

/// What every file is checked with.
struct Job {
    today: jiff::civil::Date,
    configs: Configs,
    fix: bool,
    format: LintFormat,
    colour: bool,
    mode: Mode,
}

impl Job {
    /// Lints files on `jobs` threads and hands each result to `emit` in input order, as soon
    /// as it and every file before it are done.
    fn lint_files(
        &self,
        paths: &[PathBuf],
        jobs: usize,
        mut emit: impl FnMut(Result<Done>) -> Result<()>,
    ) -> Result<()> {
        if jobs == 1 {
            // One thread: no hand-over between threads at all.
            for path in paths {
                emit(self.lint_path(path))?;
            }
            return Ok(());
        }
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::channel::<(usize, Result<Done>)>();
        std::thread::scope(|scope| -> Result<()> {
            // This thread is one of the `jobs`: it lints too, and takes what the others
            // finished between its own files, so that no thread waits for work to be handed
            // over (a wake-up per file cost more than the writing it did).
            for _ in 1..jobs.min(paths.len()) {
                let sender = sender.clone();
                let next = &next;
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        if sender.send((i, self.lint_path(path))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(sender);
            let mut pending: BTreeMap<usize, Result<Done>> = BTreeMap::new();
            let mut expected = 0;
            let mut take = |i: usize, done: Result<Done>| -> Result<()> {
                pending.insert(i, done);
                while let Some(done) = pending.remove(&expected) {
                    emit(done)?;
                    expected += 1;
                }
                Ok(())
            };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                take(i, self.lint_path(path))?;
                for (i, done) in receiver.try_iter() {
                    take(i, done)?;
                }
            }
            for (i, done) in receiver {
                take(i, done)?;
            }
            Ok(())
        })
    }

    fn lint_path(&self, path: &Path) -> Result<Done> {
        let text = files::read_text(path)?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.lint_text(
            &path.display().to_string(),
            &text,
            dir,
            debrief_core::ReadOptions::for_path(path),
            Some(path),
        )
    }

    /// Lints one document; with `--fix` and a file to write, applies the safe fixes first.
    fn lint_text(
        &self,
        shown: &str,
        text: &str,
        dir: &Path,
        read: ReadOptions,
        file: Option<&Path>,
    ) -> Result<Done> {
        let config = self.configs.for_dir(dir)?;
        let options = Options {
            config: &config,
            today: self.today,
            read,
        };
        let mut linted = debrief_lint::lint(text, &options);
        let mut fixed = Vec::new();
        if let (true, Some(file)) = (self.fix, file) {
            let (new_text, applied) = linted.apply_fixes();
            if !applied.is_empty() {
                for finding in &applied {
                    let old = &linted.text[finding.range.clone()];
                    let new = finding.fix.as_deref().unwrap_or_default();
                    fixed.push(format!(
                        "{}: {}: \"{old}\" -> \"{new}\"",
                        finding.diagnostic.span.line, finding.diagnostic.rule
                    ));
                }
                files::write_atomic(file, &new_text)?;
                linted = debrief_lint::lint(&new_text, &options);
            }
        }
        // With --write-baseline, the findings are recorded, not reported.
        if let (Mode::Write(recorder, _), Some(file)) = (&self.mode, file) {
            let keys = linted
                .findings
                .iter()
                .map(|f| Key::of(&linted.text, f))
                .collect();
            return Ok(Done {
                chunk: Vec::new(),
                counts: Counts::default(),
                failing: false,
                fixed,
                path: shown.to_string(),
                baseline: Some(FileBaseline {
                    name: recorder.name_of(file),
                    suppressed: 0,
                    stale: Vec::new(),
                    keys,
                }),
            });
        }
        // With --baseline, the findings it records are not reported (SARIF keeps them, marked
        // as suppressed) and do not fail.
        let (mut suppressed, mut baseline) = (None, None);
        if let (Mode::Check(known), Some(file)) = (&self.mode, file) {
            let name = known.name_of(file);
            let split = known.split(&name, &linted.text, std::mem::take(&mut linted.findings));
            linted.findings = split.new;
            baseline = Some(FileBaseline {
                name,
                suppressed: split.suppressed.len(),
                stale: split.stale,
                keys: Vec::new(),
            });
            suppressed = Some(Suppressed {
                baseline: &known.shown,
                findings: split.suppressed,
            });
        }
        Ok(Done {
            chunk: lint_output::chunk(
                self.format,
                shown,
                &linted,
                suppressed.as_ref(),
                self.colour,
            ),
            counts: Counts::of(&linted.findings),
            failing: linted
                .findings
                .iter()
                .any(|f| f.diagnostic.severity >= config.fail_on),
            fixed,
            path: shown.to_string(),
            baseline,
        })
    }
}
