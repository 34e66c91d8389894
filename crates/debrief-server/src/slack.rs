//! A Slack export imported on the server. The upload is spooled to a temporary file, which
//! `debrief_import::slack` reads one day and one message at a time, so memory follows a
//! day of the channel, not the export. People are written as roles: the roster's, else the
//! role of the server's user they are (matched by e-mail address, handle or name), else
//! their Slack title; never their names. The messages become proposed timeline entries of
//! one postmortem ([`crate::store::Store::propose_entries`]), accepted or dropped on its
//! page.

use crate::store::reminders::Person as User;
use crate::store::{Result, Store, StoreError, User as Caller};
use debrief_import::slack::{Filter, Person, SlackOptions};
use debrief_wire::api::{SlackImportQuery, SlackImported};
use futures_util::{Stream, StreamExt};
use std::io::Write;
use std::path::Path;

/// The largest export the server takes: an incident channel's export is megabytes; a whole
/// workspace's may be gigabytes, and is better cut down to the channel first.
pub const MAX_EXPORT_BYTES: u64 = 1 << 30;

/// How errors name the uploaded file.
const EXPORT: &str = "the export";

/// Which messages of which channel to propose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The channel, by name or id.
    pub channel: String,
    /// Messages from this instant on.
    pub from: Option<jiff::Timestamp>,
    /// Messages up to this instant.
    pub to: Option<jiff::Timestamp>,
    /// Which messages become entries.
    pub filter: Filter,
    /// Where message links point.
    pub workspace: String,
}

impl Request {
    /// The request an API call makes; a mistake is said in words.
    pub fn from_query(query: &SlackImportQuery) -> Result<Request, String> {
        let instant = |name: &str, text: &Option<String>| {
            text.as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| {
                    t.trim().parse::<jiff::Timestamp>().map_err(|_| {
                        format!("{name} {t:?} is not an RFC 3339 instant (2026-06-14T09:00:00Z)")
                    })
                })
                .transpose()
        };
        let filter = match (&query.reaction, query.pinned) {
            (Some(reaction), false) if !reaction.trim().is_empty() => {
                Filter::Reaction(reaction.trim().trim_matches(':').to_string())
            }
            (Some(_), true) => return Err("choose pinned or a reaction, not both".into()),
            (_, true) => Filter::Pinned,
            _ => Filter::All,
        };
        Request::new(
            &query.channel,
            instant("from", &query.from)?,
            instant("to", &query.to)?,
            filter,
            query.workspace.as_deref(),
        )
    }

    /// A request, checked: a channel named, the range in order, the workspace a URL.
    pub fn new(
        channel: &str,
        from: Option<jiff::Timestamp>,
        to: Option<jiff::Timestamp>,
        filter: Filter,
        workspace: Option<&str>,
    ) -> Result<Request, String> {
        let channel = channel.trim().trim_start_matches('#');
        if channel.is_empty() {
            return Err("name the channel to import".into());
        }
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(format!("from {from} is after to {to}"));
        }
        let workspace = workspace
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .unwrap_or("https://slack.com")
            .trim_end_matches('/');
        if !workspace.starts_with("https://") {
            return Err(format!(
                "workspace {workspace:?} is not an https:// address"
            ));
        }
        Ok(Request {
            channel: channel.to_string(),
            from,
            to,
            filter,
            workspace: workspace.to_string(),
        })
    }
}

/// Writes a body to a new temporary file; more than [`MAX_EXPORT_BYTES`] is refused
/// (`Err(None)`), a failed read or write said (`Err(Some(reason))`).
pub async fn spool<E: std::fmt::Display>(
    mut body: impl Stream<Item = std::result::Result<axum::body::Bytes, E>> + Unpin,
) -> std::result::Result<tempfile::NamedTempFile, Option<String>> {
    let mut file =
        tempfile::NamedTempFile::new().map_err(|e| Some(format!("cannot keep the upload: {e}")))?;
    let mut written: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| Some(format!("the upload broke off: {e}")))?;
        written += chunk.len() as u64;
        if written > MAX_EXPORT_BYTES {
            return Err(None);
        }
        // Chunks are tens of kilobytes: written in place rather than handed to a thread.
        file.write_all(&chunk)
            .map_err(|e| Some(format!("cannot keep the upload: {e}")))?;
    }
    file.flush()
        .map_err(|e| Some(format!("cannot keep the upload: {e}")))?;
    Ok(file)
}

/// Imports the export at `file` for postmortem `id`: its entries become proposals.
pub async fn import(
    store: &Store,
    caller: &Caller,
    id: i64,
    file: &Path,
    request: &Request,
) -> Result<SlackImported> {
    // Refused before the export is read: a postmortem one may not see or change.
    let current = store.postmortem(caller, id).await?;
    crate::workflow::check_edit(current.status).map_err(StoreError::Invalid)?;
    let people = store.people().await?;
    let roster = store.policy().lint.roster.clone();
    let path = file.to_path_buf();
    let request = request.clone();
    let imported = tokio::task::spawn_blocking(move || {
        let role = |person: &Person| role_for(person, &roster, &people);
        let options = SlackOptions {
            channel: &request.channel,
            from: request.from,
            to: request.to,
            filter: request.filter.clone(),
            people: &role,
            workspace: &request.workspace,
            max_bytes: debrief_import::archive::DEFAULT_MAX_BYTES,
            keep_chat: false,
        };
        debrief_import::slack::import(&path, &options).map_err(|mut error| {
            error.file = error.file.replace(&path.display().to_string(), EXPORT);
            error
        })
    })
    .await
    .map_err(|e| StoreError::Invalid(format!("the import stopped: {e}")))?
    .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let proposed = store.propose_entries(caller, id, &imported.entries).await?;
    Ok(SlackImported {
        channel: imported.channel,
        entries: imported.entries.len(),
        proposed,
        skipped: imported.skipped,
        days: imported.days,
    })
}

/// The role to write for a person of the export: the roster's for one of their names, else
/// that of the server's user they are: "the platform SRE", their team and function.
pub fn role_for(
    person: &Person,
    roster: &debrief_lint::names::Roster,
    users: &[User],
) -> Option<String> {
    let names = [&person.real_name, &person.display_name, &person.name];
    if let Some(role) = names.into_iter().find_map(|name| roster.role_of(name)) {
        return Some(role.to_string());
    }
    let same = |a: &str, b: &str| !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim());
    let user = users
        .iter()
        .find(|u| u.email.as_deref().is_some_and(|e| same(e, &person.email)))
        .or_else(|| users.iter().find(|u| same(&u.username, &person.name)))
        .or_else(|| {
            users.iter().find(|u| {
                same(&u.display_name, &person.real_name)
                    || same(&u.display_name, &person.display_name)
            })
        })?;
    if user.function.trim().is_empty() {
        return None;
    }
    Some(match &user.team {
        Some(team) if !team.trim().is_empty() => {
            format!("the {} {}", team.trim(), user.function.trim())
        }
        _ => format!("the {}", user.function.trim()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(username: &str, display: &str, email: Option<&str>, team: Option<&str>) -> User {
        User {
            id: 1,
            username: username.into(),
            display_name: display.into(),
            function: "SRE".into(),
            role: "contributor".into(),
            team: team.map(str::to_string),
            channel: crate::store::reminders::Channel::Email,
            email: email.map(str::to_string),
            slack_webhook: None,
        }
    }

    #[test]
    fn people_are_their_users_roles_found_by_email_handle_or_name() {
        let users = [
            user(
                "priya",
                "Priya Raman",
                Some("priya@acme.example"),
                Some("platform"),
            ),
            user("sam", "Sam Okafor", None, None),
        ];
        let roster = debrief_lint::names::Roster::default();
        let person = |name: &str, real: &str, email: &str| Person {
            name: name.into(),
            real_name: real.into(),
            email: email.into(),
            ..Person::default()
        };
        let role = |p: &Person| role_for(p, &roster, &users);
        assert_eq!(
            role(&person("p.r", "P. R.", "PRIYA@acme.example")).as_deref(),
            Some("the platform SRE")
        );
        assert_eq!(role(&person("sam", "", "")).as_deref(), Some("the SRE"));
        assert_eq!(
            role(&person("s", "sam okafor", "")).as_deref(),
            Some("the SRE")
        );
        assert_eq!(role(&person("nobody", "No Body", "")), None);
        // Empty fields match nothing.
        assert_eq!(role(&person("", "", "")), None);
    }

    #[test]
    fn a_request_is_checked() {
        let query = |channel: &str, from: Option<&str>, to: Option<&str>| SlackImportQuery {
            channel: channel.into(),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            pinned: false,
            reaction: Some(":white_check_mark:".into()),
            workspace: Some("https://acme.slack.com/".into()),
        };
        let request = Request::from_query(&query("#inc-1", Some("2026-06-14T09:00:00Z"), None))
            .expect("valid");
        assert_eq!(request.channel, "inc-1");
        assert_eq!(request.filter, Filter::Reaction("white_check_mark".into()));
        assert_eq!(request.workspace, "https://acme.slack.com");
        let error = Request::from_query(&query("inc-1", Some("yesterday"), None)).expect_err("bad");
        assert!(error.contains("RFC 3339"), "{error}");
        let error = Request::from_query(&query(
            "inc-1",
            Some("2026-06-15T00:00:00Z"),
            Some("2026-06-14T00:00:00Z"),
        ))
        .expect_err("backwards");
        assert!(error.contains("after"), "{error}");
        assert!(Request::from_query(&query(" ", None, None)).is_err());
    }
}
