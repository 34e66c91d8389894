//! `[server]` in `debrief.toml`: where to listen and store, cookies, and the workflow.
//!
//! ```toml
//! [server]
//! listen = "127.0.0.1:8080"
//! data = "debrief-data"                      # the embedded SQLite store
//! # database_url = "postgres://debrief@db/debrief"
//! secure_cookies = true                      # clients reach the server over https
//! public_url = "https://debrief.example.com" # how people reach it: the links in issues
//! job_lease_seconds = 300                    # a dead instance's jobs are taken up after this
//! pool_size = 16                             # database connections per instance
//! page_cache_mb = 512                        # what pages computed, kept until the store changes
//! required_roles = ["Dev", "Product", "SRE"] # must contribute before publishing
//! rotation = ["Dev", "Ops", "Product"]       # the facilitator rotates across these
//! assignment_hours = 48                      # facilitator and scribe due after resolution
//! factor_categories = ["Change", "Monitoring", "Capacity", "Dependency", "Process",
//!                      "Documentation", "Other"]  # the review meeting's factors board
//! ```
//! Other tables belong to other parts of debrief and are left alone; an unknown key in
//! `[server]` is an error with its line and column.

use crate::workflow::Settings;
use serde::Deserialize;
use std::path::PathBuf;

/// The server's part of `debrief.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: Option<String>,
    /// Directory of the embedded store.
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL instead.
    pub database_url: Option<String>,
    /// Mark cookies `Secure`.
    pub secure_cookies: bool,
    /// Database connections per instance.
    pub pool_size: Option<u32>,
    /// How much of what the pages computed is kept, in MiB (0: nothing); 512 by default.
    pub page_cache_mb: Option<u64>,
    /// The address people reach the server at, for the links it writes into issues.
    pub public_url: Option<String>,
    /// How long a job is held before another instance may take it again.
    pub job_lease_seconds: Option<i64>,
    /// The workflow's settings.
    pub workflow: Settings,
}

/// A configuration that cannot be used, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ConfigError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl ConfigError {
    /// The error at byte `offset` of `text`.
    pub(crate) fn at(text: &str, offset: usize, message: String) -> ConfigError {
        let at = offset.min(text.len());
        let before = text.get(..at).unwrap_or(text);
        ConfigError {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            message,
        }
    }
}

/// `debrief.toml` read into the shape of one part of it; a mistake is an error at its line
/// and column.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| {
        ConfigError::at(
            text,
            e.span().map_or(0, |s| s.start),
            e.message().to_string(),
        )
    })
}

#[derive(Deserialize)]
struct File {
    server: Option<Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    listen: Option<String>,
    data: Option<PathBuf>,
    database_url: Option<String>,
    #[serde(default)]
    secure_cookies: bool,
    pool_size: Option<u32>,
    page_cache_mb: Option<u64>,
    public_url: Option<String>,
    job_lease_seconds: Option<i64>,
    required_roles: Option<Vec<String>>,
    rotation: Option<Vec<String>>,
    assignment_hours: Option<u32>,
    factor_categories: Option<toml::Spanned<Vec<String>>>,
}

impl ServerConfig {
    /// Parses the `[server]` table of `debrief.toml`.
    pub fn from_toml(text: &str) -> Result<ServerConfig, ConfigError> {
        let file: File = crate::config::parse(text)?;
        let Some(table) = file.server else {
            return Ok(ServerConfig::default());
        };
        let defaults = Settings::default();
        Ok(ServerConfig {
            listen: table.listen,
            data: table.data,
            database_url: table.database_url,
            secure_cookies: table.secure_cookies,
            pool_size: table.pool_size,
            page_cache_mb: table.page_cache_mb,
            public_url: table.public_url,
            job_lease_seconds: table.job_lease_seconds,
            workflow: Settings {
                required_roles: table.required_roles.unwrap_or(defaults.required_roles),
                rotation: table.rotation.unwrap_or(defaults.rotation),
                assignment_window_s: table
                    .assignment_hours
                    .map_or(defaults.assignment_window_s, |h| i64::from(h) * 3600),
                factor_categories: table
                    .factor_categories
                    .map(|categories| factor_categories(text, categories))
                    .transpose()?
                    .unwrap_or(defaults.factor_categories),
            },
        })
    }
}

/// The factor categories as configured: each named once, none empty, at most
/// [`crate::meeting::MAX_FACTOR_CATEGORIES`] of them.
fn factor_categories(
    text: &str,
    categories: toml::Spanned<Vec<String>>,
) -> Result<Vec<String>, ConfigError> {
    let at = categories.span().start;
    let categories = categories.into_inner();
    let wrong = |message: String| Err(ConfigError::at(text, at, message));
    let max = crate::meeting::MAX_FACTOR_CATEGORIES;
    if categories.is_empty() || categories.len() > max {
        return wrong(format!(
            "factor_categories lists {} categories; it needs from 1 to {max}",
            categories.len()
        ));
    }
    let mut seen: Vec<String> = Vec::new();
    for category in &categories {
        let name = category.trim();
        if name.is_empty() || name.len() > 40 {
            return wrong(format!(
                "factor category {category:?}: a category needs a name of 1 to 40 bytes"
            ));
        }
        if seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            return wrong(format!("factor category {name:?} is listed twice"));
        }
        seen.push(name.to_string());
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_server_table_and_ignores_others() {
        let config = ServerConfig::from_toml(
            "[lint]\nfail_on = \"error\"\n\n[server]\nrequired_roles = [\"Dev\", \"Security\"]\nassignment_hours = 24\n",
        )
        .expect("valid");
        assert_eq!(config.workflow.required_roles, ["Dev", "Security"]);
        assert_eq!(config.workflow.assignment_window_s, 24 * 3600);
        assert_eq!(config.workflow.rotation, Settings::default().rotation);
        assert_eq!(
            config.workflow.factor_categories,
            Settings::default().factor_categories
        );
    }

    #[test]
    fn factor_categories_are_configured_and_checked() {
        let config = ServerConfig::from_toml(
            "[server]\nfactor_categories = [\" People and tools \", \"Vendors\"]\n",
        )
        .expect("valid");
        assert_eq!(
            config.workflow.factor_categories,
            ["People and tools", "Vendors"]
        );
        for (toml, complaint) in [
            ("factor_categories = []", "from 1 to"),
            (
                "factor_categories = [\"Change\", \"change\"]",
                "listed twice",
            ),
            ("factor_categories = [\"  \"]", "1 to 40 bytes"),
        ] {
            let error = ServerConfig::from_toml(&format!("[server]\n{toml}\n")).expect_err(toml);
            assert_eq!((error.line, error.column), (2, 21), "{toml}: {error}");
            assert!(error.message.contains(complaint), "{toml}: {error}");
        }
    }

    #[test]
    fn unknown_keys_are_errors_with_a_position() {
        let error =
            ServerConfig::from_toml("[server]\nlisten = \"127.0.0.1:1\"\nrequired_role = []\n")
                .expect_err("unknown key");
        assert_eq!((error.line, error.column), (3, 1), "{error}");
        assert!(error.message.contains("required_role"), "{error}");
    }
}
