//! `debrief actions sync|status`: action items of postmortems kept in git, taken into the
//! team's tracker and brought back, for teams that do not run the server.
//!
//! `sync` creates an issue for every open item without a reference and writes the reference
//! into the item's line; `status` reads each referenced issue and writes its state (done,
//! declined with the reason, open again). Only the items' lines change
//! ([`debrief_core::edit`]), each file is replaced atomically after every item, and a second
//! run changes nothing. An interrupted `sync` is safe to run again: every issue carries the
//! item's marker, and `sync` looks for it before creating anything.

use crate::Outcome;
use crate::cli::ActionsArgs;
use crate::config::CONFIG_FILE;
use crate::files;
use anyhow::{Context, Result, anyhow};
use debrief_core::edit::{ItemEdit, ItemState, edit_action_item};
use debrief_core::{LineIndex, ReadOptions};
use debrief_trackers::{RemoteState, Tracker, TrackerConfig, TrackerError, Trackers};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a run did, for its closing line.
#[derive(Default)]
struct Tally {
    created: usize,
    found: usize,
    changed: usize,
    unchanged: usize,
    failed: usize,
}

pub fn sync(args: ActionsArgs) -> Result<Outcome> {
    run(args, Mode::Sync)
}

pub fn status(args: ActionsArgs) -> Result<Outcome> {
    run(args, Mode::Status)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sync,
    Status,
}

fn run(args: ActionsArgs, mode: Mode) -> Result<Outcome> {
    let (paths, errors) = files::expand(&args.paths);
    let mut outcome = Outcome::Clean;
    for error in errors {
        eprintln!("error: {error:#}");
        outcome = Outcome::Failed;
    }
    // reqwest is built without a default crypto provider; ring's is installed once.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let mut configs = ConfigCache::new(args.config.as_deref())?;
    let mut tally = Tally::default();
    for path in paths {
        let result = configs.for_file(&path).and_then(|trackers| {
            runtime.block_on(file(&path, &trackers, mode, args.dry_run, &mut tally))
        });
        if let Err(error) = result {
            eprintln!("error: {error:#}");
            tally.failed += 1;
        }
    }
    let verb = if args.dry_run { "would be " } else { "" };
    match mode {
        Mode::Sync => println!(
            "{} issues {verb}created, {} found from an earlier run, {} items already tracked, {} failed",
            tally.created, tally.found, tally.unchanged, tally.failed
        ),
        Mode::Status => println!(
            "{} items {verb}changed, {} unchanged, {} failed",
            tally.changed, tally.unchanged, tally.failed
        ),
    }
    if tally.failed > 0 {
        outcome = Outcome::Failed;
    }
    Ok(outcome)
}

/// One file: each item in turn, the file written after each change so that an interrupted
/// run keeps what it did.
async fn file(
    path: &Path,
    trackers: &Trackers,
    mode: Mode,
    dry_run: bool,
    tally: &mut Tally,
) -> Result<()> {
    let mut text = files::read_text(path)?;
    let options = ReadOptions::for_path(path);
    let read = debrief_core::read_with(&text, &options);
    if !read.rewritable() {
        return Err(anyhow!(
            "{}: the front matter cannot be read; fix it first (`debrief lint` says where)",
            path.display()
        ));
    }
    let items: Vec<_> = read.postmortem.action_items().cloned().collect();
    if items.is_empty() {
        return Ok(());
    }
    let chosen = trackers
        .choose(&read.postmortem.meta)
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let mut clients: HashMap<String, Tracker> = HashMap::new();
    let mut connect = |config: &TrackerConfig| -> Result<Tracker> {
        if let Some(client) = clients.get(&config.name) {
            return Ok(client.clone());
        }
        let client = Tracker::connect(config).map_err(|e| anyhow!("{e}"))?;
        clients.insert(config.name.clone(), client.clone());
        Ok(client)
    };
    let key = postmortem_key(path, &read.postmortem.meta);
    let normalised = debrief_core::normalise(&text).into_owned();
    let lines = LineIndex::new(&normalised);
    if mode == Mode::Sync
        && chosen.is_none()
        && items.iter().any(|i| i.tracker.is_none() && !i.is_settled())
    {
        return Err(anyhow!(
            "{}: no tracker for this postmortem: add [trackers.NAME] to {CONFIG_FILE} \
             (with `default = true`), or name one in the front matter (`tracker: NAME`)",
            path.display()
        ));
    }
    for (index, item) in items.iter().enumerate() {
        // Offsets are in the normalised text, whose lines are the file's.
        let line = read
            .source_map
            .action_items
            .get(index)
            .map_or(0, |r| lines.position(r.start).0);
        let place = format!("{}:{line}", path.display());
        // One item's failure (an issue that is gone, a refused request) is said, and the
        // other items go on.
        let edit = match mode {
            Mode::Sync => {
                if item.tracker.is_some() || item.is_settled() {
                    tally.unchanged += 1;
                    continue;
                }
                let Some(config) = chosen else { continue };
                let created = async {
                    let tracker = connect(config).map_err(|e| (e, true))?;
                    let marker = debrief_trackers::marker(&key, item);
                    let found = tracker
                        .find(&marker, 0)
                        .await
                        .map_err(|e| tracker_error(&place, e))?;
                    if let Some(issue) = found {
                        return Ok(Some((issue, false)));
                    }
                    if dry_run {
                        return Ok(None);
                    }
                    let link = path.display().to_string();
                    let new = debrief_trackers::issue_for(
                        config,
                        item,
                        &read.postmortem.meta,
                        Some(&link),
                        &marker,
                    );
                    let issue = tracker
                        .create(&new)
                        .await
                        .map_err(|e| tracker_error(&place, e))?;
                    Ok(Some((issue, true)))
                };
                let issue = match created.await {
                    Ok(Some((issue, new))) => {
                        if new {
                            tally.created += 1;
                        } else {
                            tally.found += 1;
                        }
                        issue
                    }
                    Ok(None) => {
                        println!(
                            "{place}: would create an issue in {} for {:?}",
                            config.name, item.text
                        );
                        tally.created += 1;
                        continue;
                    }
                    Err((error, true)) => return Err(error),
                    Err((error, false)) => {
                        eprintln!("error: {error:#}");
                        tally.failed += 1;
                        continue;
                    }
                };
                println!("{place}: {} {} for {:?}", issue.key, issue.url, item.text);
                ItemEdit {
                    tracker: Some(issue.url),
                    ..ItemEdit::default()
                }
            }
            Mode::Status => {
                let Some(reference) = &item.tracker else {
                    continue;
                };
                // The tracker whose issue the reference names.
                let Some(config) = trackers
                    .trackers
                    .iter()
                    .find(|t| debrief_trackers::issue_id(t, reference).is_some())
                else {
                    eprintln!(
                        "{place}: {reference} is not an issue of a configured tracker; left as it is"
                    );
                    tally.unchanged += 1;
                    continue;
                };
                let status = match connect(config) {
                    Ok(tracker) => tracker
                        .status(reference)
                        .await
                        .map_err(|e| tracker_error(&place, e)),
                    Err(error) => Err((error, true)),
                };
                let status = match status {
                    Ok(status) => status,
                    Err((error, true)) => return Err(error),
                    Err((error, false)) => {
                        eprintln!("error: {error:#}");
                        tally.failed += 1;
                        continue;
                    }
                };
                ItemEdit {
                    state: Some(match status.state {
                        RemoteState::Open => ItemState::Open,
                        RemoteState::Done => ItemState::Done,
                        RemoteState::Declined(reason) => ItemState::Declined(reason),
                    }),
                    ..ItemEdit::default()
                }
            }
        };
        let edited = match edit_action_item(&text, &options, index, &edit) {
            Ok(edited) => edited,
            Err(error) => {
                eprintln!("error: {}:{error}", path.display());
                tally.failed += 1;
                continue;
            }
        };
        match edited {
            None => {
                if mode == Mode::Status {
                    tally.unchanged += 1;
                }
            }
            Some(_) if dry_run => {
                println!("{place}: would mark {:?} {}", item.text, describe(&edit));
                tally.changed += 1;
            }
            Some(edited) => {
                files::write_atomic(path, &edited)?;
                text = edited;
                if mode == Mode::Status {
                    println!("{place}: {:?} is now {}", item.text, describe(&edit));
                    tally.changed += 1;
                }
            }
        }
    }
    Ok(())
}

/// What names a file's postmortem in its items' markers: its front matter's `id`, or the
/// file's name without its extension.
fn postmortem_key(path: &Path, meta: &debrief_core::model::Metadata) -> String {
    meta.extra("id")
        .and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "postmortem".to_string())
        })
}

fn describe(edit: &ItemEdit) -> String {
    match &edit.state {
        Some(ItemState::Done) => "done".into(),
        Some(ItemState::Open) => "open".into(),
        Some(ItemState::Declined(reason)) => format!("declined ({reason})"),
        None => "tracked".into(),
    }
}

/// The error to say, and whether it stops the file: a tracker that cannot be reached or
/// limits the rate would refuse the next items too; an item it refuses (an issue that is
/// gone) is that item's alone.
fn tracker_error(place: &str, error: TrackerError) -> (anyhow::Error, bool) {
    match error {
        TrackerError::Retry {
            message,
            retry_at: Some(at),
        } => {
            let wait = at - jiff::Timestamp::now().as_second();
            let error =
                anyhow!("{place}: {message} (the tracker asks to wait {wait} s; run again then)");
            (error, true)
        }
        TrackerError::Retry { message, .. } => {
            (anyhow!("{place}: {message} (run again later)"), true)
        }
        TrackerError::Permanent(message) => (anyhow!("{place}: {message}"), false),
    }
}

/// The trackers of the configuration given, or of the `debrief.toml` nearest each file.
struct ConfigCache {
    fixed: Option<Trackers>,
    by_file: HashMap<PathBuf, Trackers>,
}

impl ConfigCache {
    fn new(path: Option<&Path>) -> Result<ConfigCache> {
        Ok(ConfigCache {
            fixed: path.map(load).transpose()?,
            by_file: HashMap::new(),
        })
    }

    fn for_file(&mut self, path: &Path) -> Result<Trackers> {
        if let Some(fixed) = &self.fixed {
            return Ok(fixed.clone());
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let Some(config) = dir
            .ancestors()
            .map(|d| d.join(CONFIG_FILE))
            .find(|p| p.is_file())
        else {
            return Ok(Trackers::default());
        };
        if let Some(trackers) = self.by_file.get(&config) {
            return Ok(trackers.clone());
        }
        let trackers = load(&config)?;
        self.by_file.insert(config, trackers.clone());
        Ok(trackers)
    }
}

fn load(path: &Path) -> Result<Trackers> {
    let text = files::read_text(path)?;
    Trackers::from_toml(&text).map_err(|e| anyhow!("{}:{e}", path.display()))
}
