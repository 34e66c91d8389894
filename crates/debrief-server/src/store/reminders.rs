//! What reminders and digests are made of, as the store knows it: how each person wants to
//! be reached, the postmortems whose facilitator or scribe is late, those waiting for a
//! function's contribution, the open action items, and what was published lately.

use super::{Result, Store, StoreError, User};

/// How a person wants reminders and digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// By e-mail, to their address.
    Email,
    /// By a Slack-compatible incoming webhook of their own.
    Slack,
    /// Not at all.
    None,
}

impl Channel {
    /// As stored and as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Slack => "slack",
            Channel::None => "none",
        }
    }

    /// From its name.
    pub fn parse(text: &str) -> Option<Channel> {
        match text {
            "email" => Some(Channel::Email),
            "slack" => Some(Channel::Slack),
            "none" => Some(Channel::None),
            _ => None,
        }
    }
}

/// A person who may be reminded, with how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Their id.
    pub id: i64,
    /// Their username.
    pub username: String,
    /// Their name.
    pub display_name: String,
    /// Their function.
    pub function: String,
    /// Their role.
    pub role: String,
    /// Their team.
    pub team: Option<String>,
    /// How they want to be reached.
    pub channel: Channel,
    /// Their e-mail address.
    pub email: Option<String>,
    /// Their webhook.
    pub slack_webhook: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    username: String,
    display_name: String,
    function: String,
    role: String,
    team: Option<String>,
    notify: String,
    email: Option<String>,
    slack_webhook: Option<String>,
}

impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Person {
        Person {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            function: row.function,
            role: row.role,
            team: row.team,
            channel: Channel::parse(&row.notify).unwrap_or(Channel::Email),
            email: row.email,
            slack_webhook: row.slack_webhook,
        }
    }
}

const PERSON_COLUMNS: &str =
    "id, username, display_name, function, role, team, notify, email, slack_webhook";

/// A postmortem a reminder is about.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Subject {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its state.
    pub status: String,
    /// Whether it is restricted to its members.
    pub restricted: i64,
}

/// An open action item, with its postmortem.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenItem {
    /// The postmortem's id.
    pub postmortem_id: i64,
    /// Its title.
    pub title: String,
    /// The item's words.
    pub text: String,
    /// Its owner, lower case without `@`.
    pub owner_key: Option<String>,
    /// Its due day, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// When the postmortem was published.
    pub published_at: Option<i64>,
    /// Whether it is restricted to its members.
    pub restricted: i64,
}

/// A review meeting still ahead, for its invitation and the reminder a day before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingAhead {
    /// The postmortem it reviews.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// When it starts, Unix seconds.
    pub starts_at: i64,
    /// How long it takes, in minutes.
    pub minutes: i64,
    /// When it was scheduled (or last moved), Unix seconds.
    pub scheduled_at: i64,
    /// The ids of whom it invites.
    pub participants: Vec<i64>,
}

impl Store {
    /// Every active person who may be reminded (not the system account).
    pub async fn people_to_remind(&self) -> Result<Vec<Person>> {
        let rows: Vec<PersonRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {PERSON_COLUMNS} FROM users WHERE deactivated_at IS NULL ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Person::from).collect())
    }

    /// Everybody, active or not (people who left still speak in old chats), without the
    /// system account.
    pub async fn people(&self) -> Result<Vec<Person>> {
        let rows: Vec<PersonRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {PERSON_COLUMNS} FROM users WHERE username <> $1 ORDER BY id"
        )))
        .bind(super::SYSTEM_USERNAME)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Person::from).collect())
    }

    /// One person, active or not, with how they want to be reached.
    pub async fn person(&self, id: i64) -> Result<Person> {
        let row: Option<PersonRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {PERSON_COLUMNS} FROM users WHERE id = $1 AND deactivated_at IS NULL"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Person::from).ok_or(StoreError::NotFound)
    }

    /// How `user` wants reminders: channel, address, webhook.
    pub async fn notification_settings(&self, user: &User) -> Result<Person> {
        self.person(user.id).await
    }

    /// Sets how `user` wants reminders. E-mail needs an address and Slack a webhook URL
    /// (https); "none" needs nothing.
    pub async fn set_notification_settings(
        &self,
        user: &User,
        channel: Channel,
        email: Option<&str>,
        slack_webhook: Option<&str>,
    ) -> Result<Person> {
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        let webhook = slack_webhook.map(str::trim).filter(|w| !w.is_empty());
        if let Some(email) = email
            && email.parse::<lettre::Address>().is_err()
        {
            return Err(StoreError::Invalid(format!(
                "{email:?} is not an e-mail address"
            )));
        }
        if let Some(webhook) = webhook
            && !(webhook.starts_with("https://") || webhook.starts_with("http://"))
        {
            return Err(StoreError::Invalid(
                "a Slack webhook is a URL starting with https://".into(),
            ));
        }
        match channel {
            Channel::Email if email.is_none() => {
                return Err(StoreError::Invalid(
                    "reminders by e-mail need an e-mail address".into(),
                ));
            }
            Channel::Slack if webhook.is_none() => {
                return Err(StoreError::Invalid(
                    "reminders by Slack need the URL of an incoming webhook".into(),
                ));
            }
            _ => {}
        }
        sqlx::query("UPDATE users SET notify = $1, email = $2, slack_webhook = $3 WHERE id = $4")
            .bind(channel.as_str())
            .bind(email)
            .bind(webhook)
            .bind(user.id)
            .execute(&self.pool)
            .await?;
        self.person(user.id).await
    }

    /// Postmortems before publication whose facilitator or scribe is still missing at
    /// `now`, past the assignment window after resolution.
    pub async fn unassigned_late(&self, now: i64) -> Result<Vec<Subject>> {
        Ok(sqlx::query_as(
            "SELECT id, title, status, restricted FROM postmortems
             WHERE status IN ('draft', 'in_review') AND resolved_at IS NOT NULL
             AND (facilitator_id IS NULL OR scribe_id IS NULL) AND resolved_at + $1 <= $2
             ORDER BY id",
        )
        .bind(self.policy.workflow.assignment_window_s)
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Postmortems in review, with the required functions that have not contributed.
    pub async fn waiting_for_roles(&self) -> Result<Vec<(Subject, Vec<String>)>> {
        let subjects: Vec<Subject> = sqlx::query_as(
            "SELECT id, title, status, restricted FROM postmortems WHERE status = 'in_review' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::new();
        for subject in subjects {
            let coverage = self.role_coverage(&mut conn, subject.id).await?;
            if !coverage.missing.is_empty() {
                out.push((subject, coverage.missing));
            }
        }
        Ok(out)
    }

    /// The open action items of reviewed and published postmortems: what reminders chase
    /// until each is settled.
    pub async fn open_items(&self) -> Result<Vec<OpenItem>> {
        Ok(sqlx::query_as(
            "SELECT a.postmortem_id, p.title, a.text, a.owner_key, a.due, p.published_at, p.restricted
             FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id
             WHERE a.state = 'open' AND p.status IN ('reviewed', 'published')
             ORDER BY a.postmortem_id, a.position",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// The unrestricted postmortems first published in `[from, to)`, oldest first.
    pub async fn published_between(&self, from: i64, to: i64) -> Result<Vec<Subject>> {
        Ok(sqlx::query_as(
            "SELECT id, title, status, restricted FROM postmortems
             WHERE published_at >= $1 AND published_at < $2 AND restricted = 0
             ORDER BY published_at, id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The teams a postmortem names.
    pub async fn teams_of(&self, id: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT value FROM postmortem_labels WHERE postmortem_id = $1 AND kind = 'team' ORDER BY value",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The review meetings still ahead at `now`, with whom each invites.
    pub async fn meetings_ahead(&self, now: i64) -> Result<Vec<MeetingAhead>> {
        let rows: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT p.id, p.title, m.starts_at, m.minutes, m.scheduled_at
             FROM meetings m JOIN postmortems p ON p.id = m.postmortem_id
             WHERE m.state = 'scheduled' AND m.starts_at > $1 ORDER BY m.starts_at, p.id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, title, starts_at, minutes, scheduled_at) in rows {
            let participants = sqlx::query_scalar(
                "SELECT user_id FROM meeting_participants WHERE postmortem_id = $1 ORDER BY user_id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            out.push(MeetingAhead {
                id,
                title,
                starts_at,
                minutes,
                scheduled_at,
                participants,
            });
        }
        Ok(out)
    }

    /// Whether `person` may read postmortem `id` (restricted ones: members and admins).
    pub async fn may_read(&self, person: &Person, id: i64) -> Result<bool> {
        if person.role == "admin" {
            return Ok(true);
        }
        let member = sqlx::query(
            "SELECT 1 FROM postmortems p WHERE p.id = $1 AND (p.restricted = 0 OR EXISTS
             (SELECT 1 FROM postmortem_members m WHERE m.postmortem_id = p.id AND m.user_id = $2))",
        )
        .bind(id)
        .bind(person.id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(member.is_some())
    }
}
