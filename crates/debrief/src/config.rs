//! `debrief.toml`: found by walking up from each postmortem, as `lint`, `review` and
//! `publish` all read it, so the three judge a file the same way.

use crate::files;
use anyhow::{Result, anyhow};
use debrief_lint::Config;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The configuration file's name, found by walking up from each postmortem.
pub const CONFIG_FILE: &str = "debrief.toml";

/// Configurations: one given on the command line, or the debrief.toml nearest each file,
/// read once per directory.
pub struct Configs {
    fixed: Option<Arc<Config>>,
    by_dir: Mutex<HashMap<PathBuf, Arc<Config>>>,
}

impl Configs {
    /// Configurations with `path` for every file, or else the one nearest each file.
    pub fn new(path: Option<&Path>) -> Result<Configs> {
        let fixed = path.map(|p| load(p).map(Arc::new)).transpose()?;
        Ok(Configs {
            fixed,
            by_dir: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration of a file: the one given, or the nearest `debrief.toml` at or
    /// above its directory, or the defaults.
    pub fn for_file(&self, path: &Path) -> Result<Arc<Config>> {
        self.for_dir(path.parent().unwrap_or_else(|| Path::new(".")))
    }

    /// The configuration of the files of a directory.
    pub fn for_dir(&self, dir: &Path) -> Result<Arc<Config>> {
        if let Some(config) = &self.fixed {
            return Ok(config.clone());
        }
        let known = |dir: &Path| self.by_dir.lock().ok().and_then(|m| m.get(dir).cloned());
        // The directory as given first: canonicalising costs system calls for every file.
        if let Some(config) = known(dir) {
            return Ok(config);
        }
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let config = match known(&canonical) {
            Some(config) => config,
            None => match canonical
                .ancestors()
                .map(|d| d.join(CONFIG_FILE))
                .find(|p| p.is_file())
            {
                Some(path) => Arc::new(load(&path)?),
                None => Arc::new(Config::default()),
            },
        };
        if let Ok(mut map) = self.by_dir.lock() {
            map.insert(dir.to_path_buf(), config.clone());
            map.insert(canonical, config.clone());
        }
        Ok(config)
    }
}

fn load(path: &Path) -> Result<Config> {
    let text = files::read_text(path)?;
    Config::from_toml(&text)
        .map_err(|e| anyhow!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))
}
