//! Delivering reminders and digests: by e-mail over SMTP (lettre) or by a Slack-compatible
//! incoming webhook, each person choosing, and `[notify]` of `debrief.toml`, which says how.
//!
//! ```toml
//! [notify]
//! smtp_url = "smtp://mail.acme.example:587?tls=required" # lettre's URL: smtp://, smtps://
//! smtp_password_env = "DEBRIEF_SMTP_PASSWORD" # with `smtp_user`, when the server asks
//! smtp_user = "debrief"
//! from = "debrief <debrief@acme.example>"
//! slack_webhook_env = "DEBRIEF_SLACK_WEBHOOK" # the organisation's channel, for digests
//! digest = "weekly"                            # or "daily"
//!
//! [teams.payments]
//! lead = "priya"                               # overdue items are escalated to them
//! ```
//! Credentials stay in environment variables, never in the file or the database.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// How often the digest of newly published postmortems goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Digest {
    /// Every day.
    Daily,
    /// Every week (Monday to Sunday, UTC).
    #[default]
    Weekly,
}

impl Digest {
    /// The period's length in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Digest::Daily => 86_400,
            Digest::Weekly => 7 * 86_400,
        }
    }
}

/// `[notify]` and the teams' leads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifyConfig {
    /// Where e-mail goes: lettre's SMTP URL. Without one, nobody gets e-mail.
    pub smtp_url: Option<String>,
    /// The SMTP account, when the server asks for one.
    pub smtp_user: Option<String>,
    /// The variable holding its password.
    pub smtp_password_env: Option<String>,
    /// The sender of every e-mail.
    pub from: String,
    /// The variable holding the organisation's Slack-compatible webhook, where digests go.
    pub slack_webhook_env: Option<String>,
    /// How often digests go out.
    pub digest: Digest,
    /// Each team's lead (team in lower case to username): who overdue items escalate to.
    pub leads: BTreeMap<String, String>,
    /// Where the variables are read from: the process's environment unless given.
    pub environment: Option<BTreeMap<String, String>>,
}

/// A configuration that cannot be used, with where.
pub use crate::config::ConfigError;

#[derive(Deserialize)]
struct File {
    notify: Option<Table>,
    #[serde(default)]
    teams: BTreeMap<String, Team>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    smtp_url: Option<Spanned<String>>,
    smtp_user: Option<String>,
    smtp_password_env: Option<String>,
    from: Option<Spanned<String>>,
    slack_webhook_env: Option<String>,
    digest: Option<Spanned<String>>,
}

/// `[teams.NAME]`: only `lead` is read here.
#[derive(Deserialize)]
struct Team {
    lead: Option<String>,
}

impl NotifyConfig {
    /// Reads `[notify]` and the `lead` of each `[teams.NAME]` of `debrief.toml`.
    pub fn from_toml(text: &str) -> Result<NotifyConfig, ConfigError> {
        let file: File = crate::config::parse(text)?;
        let leads = file
            .teams
            .into_iter()
            .filter_map(|(team, t)| Some((team.to_lowercase(), t.lead?.trim().to_string())))
            .collect();
        let Some(table) = file.notify else {
            return Ok(NotifyConfig {
                leads,
                from: default_from(),
                ..NotifyConfig::default()
            });
        };
        if let Some(url) = &table.smtp_url
            && !(url.get_ref().starts_with("smtp://") || url.get_ref().starts_with("smtps://"))
        {
            return Err(ConfigError::at(
                text,
                url.span().start,
                format!(
                    "[notify]: smtp_url {:?} must start with smtp:// or smtps://",
                    url.get_ref()
                ),
            ));
        }
        let from = match table.from {
            Some(from) => {
                if from.get_ref().parse::<Mailbox>().is_err() {
                    return Err(ConfigError::at(
                        text,
                        from.span().start,
                        format!(
                            "[notify]: from {:?} is not an e-mail address",
                            from.get_ref()
                        ),
                    ));
                }
                from.into_inner()
            }
            None => default_from(),
        };
        let digest = match table.digest {
            None => Digest::Weekly,
            Some(d) => match d.get_ref().as_str() {
                "daily" => Digest::Daily,
                "weekly" => Digest::Weekly,
                other => {
                    return Err(ConfigError::at(
                        text,
                        d.span().start,
                        format!("[notify]: digest {other:?} is not daily or weekly"),
                    ));
                }
            },
        };
        Ok(NotifyConfig {
            smtp_url: table.smtp_url.map(Spanned::into_inner),
            smtp_user: table.smtp_user,
            smtp_password_env: table.smtp_password_env,
            from,
            slack_webhook_env: table.slack_webhook_env,
            digest,
            leads,
            environment: None,
        })
    }

    fn variable(&self, name: &str) -> Option<String> {
        match &self.environment {
            Some(environment) => environment.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
        .filter(|v| !v.trim().is_empty())
    }

    /// Whether reminders and digests are on: `[notify]` names a mail server or the
    /// organisation's webhook.
    pub fn enabled(&self) -> bool {
        self.smtp_url.is_some() || self.slack_webhook_env.is_some()
    }

    /// The organisation's webhook, if one is configured and its variable set.
    pub fn org_webhook(&self) -> Option<String> {
        self.variable(self.slack_webhook_env.as_deref()?)
    }

    /// The lead of `team`, if its table names one.
    pub fn lead(&self, team: &str) -> Option<&str> {
        self.leads.get(&team.to_lowercase()).map(String::as_str)
    }
}

fn default_from() -> String {
    "debrief <debrief@localhost>".to_string()
}

/// A reminder or a digest, as words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// One line: the e-mail's subject, the message's first line.
    pub subject: String,
    /// Plain text, with links written out.
    pub text: String,
    /// An invitation (iCalendar, `METHOD:REQUEST`) that e-mail carries as a calendar part
    /// mail clients offer to accept, and as an `.ics` attachment; chat leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// Why a delivery failed: worth another try or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryError {
    /// The mail server or the webhook may take it later.
    Retry(String),
    /// It cannot be delivered as asked (no SMTP configured, an address the server refuses).
    Permanent(String),
}

/// Sends `note` by e-mail to `to`.
pub async fn email(config: &NotifyConfig, to: &str, note: &Note) -> Result<(), DeliveryError> {
    let Some(url) = &config.smtp_url else {
        return Err(DeliveryError::Permanent(
            "no smtp_url in [notify]: e-mail cannot be sent".into(),
        ));
    };
    let to: Mailbox = to
        .parse()
        .map_err(|e| DeliveryError::Permanent(format!("{to:?} is not an e-mail address: {e}")))?;
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e| DeliveryError::Permanent(format!("[notify] from: {e}")))?;
    let message = Message::builder().from(from).to(to).subject(&note.subject);
    let message = match &note.calendar {
        None => message.body(note.text.clone()),
        Some(calendar) => message.multipart(with_calendar(&note.text, calendar)),
    }
    .map_err(|e| DeliveryError::Permanent(format!("the message: {e}")))?;
    // rustls takes the process's crypto provider: ring's, installed once.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| DeliveryError::Permanent(format!("smtp_url: {e}")))?;
    if let (Some(user), Some(password)) = (
        &config.smtp_user,
        config
            .smtp_password_env
            .as_deref()
            .and_then(|name| config.variable(name)),
    ) {
        transport = transport.credentials(Credentials::new(user.clone(), password));
    }
    transport
        .timeout(Some(std::time::Duration::from_secs(30)))
        .build()
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| {
            if e.is_permanent() {
                DeliveryError::Permanent(format!("the mail server refused it: {e}"))
            } else {
                DeliveryError::Retry(format!("sending e-mail: {e}"))
            }
        })
}

/// The text and an invitation, as calendar clients expect them (RFC 6047): the text and
/// the `text/calendar; method=REQUEST` part as alternatives, which clients show with
/// accept and decline, and the same invitation attached as `invite.ics` for the others.
fn with_calendar(text: &str, calendar: &str) -> MultiPart {
    let request = ContentType::parse("text/calendar; charset=utf-8; method=REQUEST")
        .unwrap_or(ContentType::TEXT_PLAIN);
    let ics = ContentType::parse("application/ics").unwrap_or(ContentType::TEXT_PLAIN);
    MultiPart::mixed()
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(text.to_string()))
                .singlepart(
                    SinglePart::builder()
                        .header(request)
                        .body(calendar.to_string()),
                ),
        )
        .singlepart(Attachment::new("invite.ics".to_string()).body(calendar.to_string(), ics))
}

/// Posts `note` to a Slack-compatible incoming webhook: `{"text": ...}`.
pub async fn slack(webhook: &str, note: &Note) -> Result<(), DeliveryError> {
    if !(webhook.starts_with("https://") || webhook.starts_with("http://")) {
        return Err(DeliveryError::Permanent(format!(
            "{webhook:?} is not a webhook URL"
        )));
    }
    let client =
        debrief_trackers::client("Slack").map_err(|e| DeliveryError::Permanent(e.to_string()))?;
    let text = format!("*{}*\n{}", note.subject, note.text);
    let answer = client
        .post(webhook)
        .json(&serde_json::json!({ "text": text }))
        .send()
        .await
        .map_err(|e| DeliveryError::Retry(format!("posting to the webhook: {e}")))?;
    let status = answer.status();
    if status.is_success() {
        Ok(())
    } else if status.is_server_error() || status.as_u16() == 429 {
        Err(DeliveryError::Retry(format!(
            "the webhook answered {status}"
        )))
    } else {
        Err(DeliveryError::Permanent(format!(
            "the webhook answered {status}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_notify_and_the_leads() {
        let config = NotifyConfig::from_toml(
            "[notify]\nsmtp_url = \"smtp://127.0.0.1:2525\"\nfrom = \"debrief <d@acme.example>\"\ndigest = \"daily\"\n\n[teams.Payments]\nlead = \"priya\"\ntracker = \"x\"\n",
        )
        .expect("valid");
        assert_eq!(config.digest, Digest::Daily);
        assert_eq!(config.lead("payments"), Some("priya"));
        assert_eq!(config.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525"));
        let error = NotifyConfig::from_toml("[notify]\ndigest = \"hourly\"\n").expect_err("bad");
        assert_eq!((error.line, error.column), (2, 10), "{error}");
        let error = NotifyConfig::from_toml("[notify]\nfrom = \"nobody\"\n").expect_err("bad");
        assert!(error.message.contains("not an e-mail address"), "{error}");
        let error = NotifyConfig::from_toml("[notify]\nsmtp = 1\n").expect_err("unknown");
        assert_eq!(error.line, 2, "{error}");
        assert_eq!(
            NotifyConfig::from_toml("").expect("empty").from,
            default_from()
        );
    }
}
