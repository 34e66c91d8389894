//! `[trackers.NAME]` in `debrief.toml`: where action items go.
//!
//! ```toml
//! [trackers.platform]
//! kind = "github"                  # github, jira or gitlab
//! url = "https://api.github.com"   # the API's base URL (GitHub Enterprise, self-hosted GitLab)
//! project = "acme/platform"        # owner/repo, a Jira project key, or a GitLab project id
//! token_env = "DEBRIEF_GITHUB_TOKEN" # the variable holding the credential, never the credential
//! default = true                   # for teams, services and postmortems that name none
//!
//! webhook_secret_env = "DEBRIEF_GITHUB_HOOK_SECRET" # verifies the tracker's webhooks
//!
//! [trackers.platform.owners]       # how owners as written map to the tracker's users
//! "@alice" = "alice-gh"
//! "payments team" = "payments-oncall"
//!
//! [teams.payments]                 # a team's postmortems go to its own tracker
//! tracker = "payments-jira"
//! [services.checkout]              # so do a service's
//! tracker = "platform"
//! ```
//! Jira also takes `user`, the account the token belongs to. A postmortem's front matter
//! may name its tracker too (`tracker: platform`); [`Trackers::choose`] says which wins.
//! Every mistake is an error with its line and column; other tables of the file are left
//! alone.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The kinds of tracker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// GitHub Issues (github.com or GitHub Enterprise).
    GitHub,
    /// Jira Cloud.
    Jira,
    /// GitLab issues (gitlab.com or self-hosted).
    GitLab,
}

impl Kind {
    /// As written in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::GitHub => "github",
            Kind::Jira => "jira",
            Kind::GitLab => "gitlab",
        }
    }
}

/// One tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerConfig {
    /// Its name, the `NAME` of `[trackers.NAME]`: what a team, a service or a postmortem's
    /// `tracker:` names.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// The API's base URL, without a trailing `/`.
    pub url: String,
    /// `owner/repo`, a Jira project key, or a GitLab project id.
    pub project: String,
    /// The environment variable holding the credential.
    pub token_env: String,
    /// Jira's account for the token.
    pub user: Option<String>,
    /// Owners as written (lower case, without `@`) to the tracker's users.
    pub owners: BTreeMap<String, String>,
    /// The tracker for whatever names none.
    pub default: bool,
    /// The environment variable holding the secret its webhooks are signed (GitHub) or
    /// sent (GitLab, Jira) with; without one, its webhooks are refused.
    pub webhook_secret_env: Option<String>,
    /// Where the variables are read from: the process's environment, unless a program
    /// that embeds debrief (or a test) gives its own ([`Trackers::with_environment`]).
    pub environment: Option<std::sync::Arc<BTreeMap<String, String>>>,
}

impl TrackerConfig {
    /// The webhook secret, read from [`Self::webhook_secret_env`] now, if set.
    pub fn webhook_secret(&self) -> Option<String> {
        let name = self.webhook_secret_env.as_deref()?;
        self.variable(name).filter(|s| !s.trim().is_empty())
    }

    fn variable(&self, name: &str) -> Option<String> {
        match &self.environment {
            Some(environment) => environment.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
    }

    /// The credential, read from [`Self::token_env`] now; an unset or empty variable is an
    /// error naming it (never the value).
    pub fn token(&self) -> Result<String, String> {
        match self.variable(&self.token_env) {
            Some(token) if !token.trim().is_empty() => Ok(token.trim().to_string()),
            _ => Err(format!(
                "tracker {}: the environment variable {} holding its token is not set",
                self.name, self.token_env
            )),
        }
    }

    /// The tracker's user for an owner as written (`@alice`, `Alice`), if the owners map
    /// names one.
    pub fn assignee(&self, owner: &str) -> Option<&str> {
        self.owners.get(&owner_key(owner)).map(String::as_str)
    }
}

/// An owner as the map compares it: lower case, without a leading `@`.
fn owner_key(owner: &str) -> String {
    owner.trim().trim_start_matches('@').to_lowercase()
}

/// Every tracker of `debrief.toml`, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trackers {
    /// The trackers, in name order.
    pub trackers: Vec<TrackerConfig>,
    /// Teams' trackers: team name (lower case) to tracker name.
    pub teams: BTreeMap<String, String>,
    /// Services' trackers: service name (lower case) to tracker name.
    pub services: BTreeMap<String, String>,
}

impl Trackers {
    /// The same trackers, reading their token and secret variables from `environment`
    /// instead of the process's.
    pub fn with_environment(mut self, environment: BTreeMap<String, String>) -> Trackers {
        let environment = std::sync::Arc::new(environment);
        for tracker in &mut self.trackers {
            tracker.environment = Some(environment.clone());
        }
        self
    }

    /// The tracker called `name`.
    pub fn named(&self, name: &str) -> Option<&TrackerConfig> {
        self.trackers.iter().find(|t| t.name == name)
    }

    /// The default tracker: the one marked `default`, or the only one.
    pub fn default_tracker(&self) -> Option<&TrackerConfig> {
        self.trackers
            .iter()
            .find(|t| t.default)
            .or(match self.trackers.as_slice() {
                [only] => Some(only),
                _ => None,
            })
    }

    /// The tracker a postmortem's action items go to: the one its front matter names
    /// (`tracker:`), else its first team's, else its first service's, else the default.
    /// `Ok(None)` when nothing names one and there is no default; an error when the front
    /// matter names a tracker the file does not configure.
    pub fn choose(
        &self,
        meta: &debrief_core::model::Metadata,
    ) -> Result<Option<&TrackerConfig>, String> {
        if let Some(named) = meta.extra("tracker").and_then(|v| v.as_str()) {
            let named = named.trim();
            return self.named(named).map(Some).ok_or_else(|| {
                format!("the front matter names tracker {named:?}, which debrief.toml does not configure")
            });
        }
        let routed = meta
            .teams()
            .iter()
            .find_map(|team| self.teams.get(&team.to_lowercase()))
            .or_else(|| {
                meta.services
                    .iter()
                    .find_map(|service| self.services.get(&service.to_lowercase()))
            });
        Ok(match routed {
            Some(name) => self.named(name),
            None => self.default_tracker(),
        })
    }

    /// Reads the `[trackers]` tables of `debrief.toml`.
    pub fn from_toml(text: &str) -> Result<Trackers, ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| {
            ConfigError::at(
                text,
                e.span().map_or(0, |s| s.start),
                e.message().to_string(),
            )
        })?;
        let mut trackers = Vec::new();
        let mut default: Option<String> = None;
        for (name, table) in file.trackers {
            let error = |span: std::ops::Range<usize>, message: String| {
                ConfigError::at(text, span.start, format!("[trackers.{name}]: {message}"))
            };
            let kind = match table.kind.get_ref().as_str() {
                "github" => Kind::GitHub,
                "jira" => Kind::Jira,
                "gitlab" => Kind::GitLab,
                other => {
                    return Err(error(
                        table.kind.span(),
                        format!("kind {other:?} is not one of github, jira, gitlab"),
                    ));
                }
            };
            let url = table.url.get_ref().trim().trim_end_matches('/').to_string();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(error(
                    table.url.span(),
                    format!("url {url:?} must start with https:// (or http://)"),
                ));
            }
            let project = table.project.get_ref().trim().to_string();
            let project_ok = match kind {
                Kind::GitHub => {
                    let parts: Vec<&str> = project.split('/').collect();
                    parts.len() == 2 && parts.iter().all(|p| !p.is_empty())
                }
                Kind::Jira => {
                    !project.is_empty()
                        && project
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_')
                }
                Kind::GitLab => !project.is_empty() && !project.contains(char::is_whitespace),
            };
            if !project_ok {
                let expected = match kind {
                    Kind::GitHub => "owner/repo",
                    Kind::Jira => "a project key such as OPS",
                    Kind::GitLab => "a project id or group/project path",
                };
                return Err(error(
                    table.project.span(),
                    format!("project {project:?} is not {expected}"),
                ));
            }
            let token_env = table.token_env.get_ref().trim().to_string();
            if token_env.is_empty() || token_env.contains(char::is_whitespace) {
                return Err(error(
                    table.token_env.span(),
                    "token_env must name an environment variable (the token itself never goes in this file)"
                        .to_string(),
                ));
            }
            if kind == Kind::Jira && table.user.is_none() {
                return Err(error(
                    table.kind.span(),
                    "a Jira tracker needs `user`, the account its token belongs to".to_string(),
                ));
            }
            if table.default.as_ref().is_some_and(|d| *d.get_ref()) {
                if let Some(first) = &default {
                    let span = table.default.as_ref().map_or(0..0, Spanned::span);
                    return Err(error(
                        span,
                        format!("only one tracker can be the default; {first} is already"),
                    ));
                }
                default = Some(name.clone());
            }
            trackers.push(TrackerConfig {
                default: default.as_deref() == Some(name.as_str()),
                kind,
                url,
                project,
                token_env,
                user: table.user,
                webhook_secret_env: table.webhook_secret_env,
                environment: None,
                owners: table
                    .owners
                    .into_iter()
                    .map(|(owner, user)| (owner_key(&owner), user))
                    .collect(),
                name,
            });
        }
        let routes = |table: BTreeMap<String, Route>, what: &str| {
            let mut map = BTreeMap::new();
            for (name, route) in table {
                let Some(tracker) = route.tracker else {
                    continue;
                };
                if !trackers.iter().any(|t| t.name == *tracker.get_ref()) {
                    return Err(ConfigError::at(
                        text,
                        tracker.span().start,
                        format!(
                            "[{what}.{name}]: tracker {:?} is not one of the [trackers] tables",
                            tracker.get_ref()
                        ),
                    ));
                }
                map.insert(name.to_lowercase(), tracker.into_inner());
            }
            Ok(map)
        };
        let teams = routes(file.teams, "teams")?;
        let services = routes(file.services, "services")?;
        Ok(Trackers {
            trackers,
            teams,
            services,
        })
    }
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
    fn at(text: &str, offset: usize, message: String) -> ConfigError {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        ConfigError {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            message,
        }
    }
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    trackers: BTreeMap<String, Table>,
    #[serde(default)]
    teams: BTreeMap<String, Route>,
    #[serde(default)]
    services: BTreeMap<String, Route>,
}

/// `[teams.NAME]` or `[services.NAME]`: only `tracker` is read here; other keys belong to
/// other parts of debrief.
#[derive(Deserialize)]
struct Route {
    tracker: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    kind: Spanned<String>,
    url: Spanned<String>,
    project: Spanned<String>,
    token_env: Spanned<String>,
    user: Option<String>,
    #[serde(default)]
    owners: BTreeMap<String, String>,
    default: Option<Spanned<bool>>,
    webhook_secret_env: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"[lint]
fail_on = "error"

[trackers.platform]
kind = "github"
url = "https://github.example/api/v3/"
project = "acme/platform"
token_env = "PLATFORM_TOKEN"
default = true

[trackers.platform.owners]
"@Alice" = "alice-gh"

[trackers.ops]
kind = "jira"
url = "https://acme.atlassian.net"
project = "OPS"
token_env = "JIRA_TOKEN"
user = "bot@acme.example"
"#;

    #[test]
    fn reads_every_tracker_and_knows_the_default() {
        let trackers = Trackers::from_toml(TWO).expect("valid");
        let platform = trackers.named("platform").expect("platform");
        assert_eq!(platform.kind, Kind::GitHub);
        assert_eq!(platform.url, "https://github.example/api/v3");
        assert_eq!(platform.assignee("alice"), Some("alice-gh"));
        assert_eq!(platform.assignee("@ALICE"), Some("alice-gh"));
        assert_eq!(platform.assignee("bob"), None);
        assert_eq!(
            trackers.default_tracker().map(|t| t.name.as_str()),
            Some("platform")
        );
        assert_eq!(
            trackers.named("ops").and_then(|t| t.user.as_deref()),
            Some("bot@acme.example")
        );
        assert_eq!(
            Trackers::from_toml("[lint]\n").expect("none"),
            Trackers::default()
        );
    }

    #[test]
    fn mistakes_are_told_with_their_line_and_column() {
        let cases = [
            (
                TWO.replace("kind = \"github\"", "kind = \"trello\""),
                5,
                "kind \"trello\"",
            ),
            (TWO.replace("acme/platform", "acme"), 7, "owner/repo"),
            (
                TWO.replace("https://acme.atlassian.net", "acme.atlassian.net"),
                16,
                "https://",
            ),
            (
                TWO.replace("user = \"bot@acme.example\"\n", ""),
                15,
                "needs `user`",
            ),
            (
                TWO.replace("token_env = \"JIRA_TOKEN\"", "token_env = \"\""),
                18,
                "token_env",
            ),
            (
                TWO.replace("user = \"bot", "default = true\nuser = \"bot"),
                9,
                "only one tracker",
            ),
            (
                TWO.replace("project = \"OPS\"", "project = \"OPS\"\ntoken = \"secret\""),
                18,
                "unknown field",
            ),
        ];
        for (text, line, words) in cases {
            let error = Trackers::from_toml(&text).expect_err(words);
            assert_eq!(error.line, line, "{error}");
            assert!(error.message.contains(words), "{error}");
        }
    }

    #[test]
    fn the_token_is_read_from_its_variable_and_never_shown() {
        let trackers = Trackers::from_toml(TWO).expect("valid");
        let ops = trackers.named("ops").expect("ops");
        let missing = TrackerConfig {
            token_env: "DEBRIEF_TEST_NO_SUCH_VARIABLE".into(),
            ..ops.clone()
        };
        let error = missing.token().expect_err("unset");
        assert!(error.contains("DEBRIEF_TEST_NO_SUCH_VARIABLE"), "{error}");
    }
}
