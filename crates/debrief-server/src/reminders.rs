//! Reminders and digests: what is late or due, said to whoever can act on it, once.
//!
//! An hourly scan (a job, run by whichever instance takes it) looks at the store and asks
//! for one `notify.send` job per reminder and recipient. Each job's key names the reminder,
//! its subject, its recipient and its period (an item overdue in its third week, the digest
//! of one week), and the queue keeps one job per key: a reminder is sent once, whichever
//! instance scans, however often. What is chased:
//!
//! - facilitator or scribe still missing past the assignment window after resolution: the
//!   admins and the leads of the postmortem's teams, once;
//! - a required function that has not contributed to a postmortem in review: the people of
//!   that function, once;
//! - an open action item due within three days: its owner, once per due date;
//! - an overdue one: its owner every week, and from the third week its team's lead too;
//! - one open 90 days after publication: its owner and the lead, once;
//! - the digest of the postmortems published in the last period (day or week): everyone,
//!   and the organisation's channel;
//! - a review meeting scheduled or moved: its invitation, to each participant, once per
//!   scheduling; and within a day of its start, the postmortem to read before it.
//!
//! Owners are matched as "my action items" matches them: username, name or team (a team's
//! items go to its lead, or else to its people). Nobody is told about a restricted
//! postmortem they may not read.

use crate::notify::{DeliveryError, Note, NotifyConfig};
use crate::store::reminders::{Channel, OpenItem, Person};
use crate::store::{Failure, Result as StoreResult, Store};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The scan's job.
pub const SCAN_JOB: &str = "reminders.scan";

/// A delivery's job.
pub const SEND_JOB: &str = "notify.send";

/// Days before its due date that an item is reminded of.
pub const DUE_SOON_DAYS: i64 = 3;

/// Days after publication that an open item is lingering.
pub const LINGERING_DAYS: i64 = 90;

/// How long before a meeting its document is sent, in seconds.
pub const DAY_SECONDS: i64 = 86_400;

/// Weeks overdue after which the team's lead hears of an item too.
pub const ESCALATE_AFTER_WEEKS: i64 = 2;

/// Who a delivery goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// A person, by id, on the channel they chose when it is sent.
    Person(i64),
    /// The organisation's channel (`slack_webhook_env`).
    Organisation,
}

/// A delivery's job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Send {
    /// To whom.
    pub to: Recipient,
    /// What.
    pub note: Note,
}

/// The scan: asks for every reminder and digest due at `now`; returns how many new ones.
pub async fn scan(store: &Store, now: i64, public_url: Option<&str>) -> StoreResult<usize> {
    let notify = store.policy().notify.clone();
    let people = store.people_to_remind().await?;
    let link = |id: i64| {
        public_url.map_or_else(
            || format!("postmortem {id}"),
            |base| format!("{base}/postmortems/{id}"),
        )
    };
    let mut asked = 0;
    let mut ask = async |key: String, to: Recipient, note: Note| -> StoreResult<()> {
        let payload = serde_json::to_string(&Send { to, note })
            .map_err(|e| crate::StoreError::Invalid(format!("a reminder: {e}")))?;
        if store.enqueue(SEND_JOB, &key, &payload, now).await? {
            asked += 1;
        }
        Ok(())
    };

    // Facilitator and scribe late.
    for subject in store.unassigned_late(now).await? {
        let teams = store.teams_of(subject.id).await?;
        let mut to: Vec<&Person> = people.iter().filter(|p| p.role == "admin").collect();
        for team in &teams {
            if let Some(lead) = notify.lead(team)
                && let Some(person) = people.iter().find(|p| p.username == lead)
            {
                to.push(person);
            }
        }
        to.sort_by_key(|p| p.id);
        to.dedup_by_key(|p| p.id);
        for person in to {
            if !store.may_read(person, subject.id).await? {
                continue;
            }
            let note = Note {
                subject: format!("Facilitator and scribe needed: {}", subject.title),
                text: format!(
                    "The postmortem \"{}\" was resolved more than {} hours ago and still has no {}. \
                     Assign them on its page: {}",
                    subject.title,
                    store.policy().workflow.assignment_window_s / 3600,
                    "facilitator and scribe",
                    link(subject.id)
                ),
                calendar: None,
            };
            ask(
                format!("remind:assign:{}:{}", subject.id, person.id),
                Recipient::Person(person.id),
                note,
            )
            .await?;
        }
    }

    // Review meetings ahead: the invitation, then the document a day before (good practice:
    // everyone reads the postmortem before the meeting, not in it).
    for meeting in store.meetings_ahead(now).await? {
        let when = jiff::Timestamp::from_second(meeting.starts_at)
            .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        let soon = meeting.starts_at - now <= DAY_SECONDS;
        let invitation = store
            .meeting_calendar(meeting.id, &meeting.title, &link(meeting.id))
            .await?;
        for person in people
            .iter()
            .filter(|p| meeting.participants.contains(&p.id))
        {
            if !store.may_read(person, meeting.id).await? {
                continue;
            }
            let note = Note {
                subject: format!("Review meeting: {}, {when}", meeting.title),
                text: format!(
                    "You are invited to the review meeting of \"{}\" on {when}, for {} minutes. \
                     We meet to learn how the system made it possible, not who did it. \
                     The meeting's page, and its invitation for your calendar: {}/meeting",
                    meeting.title,
                    meeting.minutes,
                    link(meeting.id)
                ),
                calendar: Some(invitation.clone()),
            };
            let key = format!(
                "remind:meeting-invitation:{}:{}:{}",
                meeting.id, meeting.scheduled_at, person.id
            );
            ask(key, Recipient::Person(person.id), note).await?;
            if soon {
                let note = Note {
                    subject: format!("Read before the review meeting: {}", meeting.title),
                    text: format!(
                        "The review meeting of \"{}\" is on {when}. Read the postmortem before \
                         it, so the hour goes to what made this possible: {}",
                        meeting.title,
                        link(meeting.id)
                    ),
                    calendar: None,
                };
                let key = format!(
                    "remind:meeting-ahead:{}:{}:{}",
                    meeting.id, meeting.starts_at, person.id
                );
                ask(key, Recipient::Person(person.id), note).await?;
            }
        }
    }

    // Functions that have not contributed before the review.
    for (subject, missing) in store.waiting_for_roles().await? {
        for function in missing {
            for person in people
                .iter()
                .filter(|p| p.function.eq_ignore_ascii_case(&function) && p.role != "viewer")
            {
                if !store.may_read(person, subject.id).await? {
                    continue;
                }
                let note = Note {
                    subject: format!("Your view is missing: {}", subject.title),
                    text: format!(
                        "The postmortem \"{}\" is in review, and nobody from {function} has added \
                         their view yet: what you saw, what surprised you, what it cost customers. \
                         Add it before the meeting: {}",
                        subject.title,
                        link(subject.id)
                    ),
                    calendar: None,
                };
                ask(
                    format!("remind:roles:{}:{function}:{}", subject.id, person.id),
                    Recipient::Person(person.id),
                    note,
                )
                .await?;
            }
        }
    }

    // Action items: due soon, overdue (weekly, escalated), lingering.
    let today = jiff::Timestamp::from_second(now)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default();
    for item in store.open_items().await? {
        let owners = owners_of(&item, &people, &notify);
        if owners.is_empty() {
            continue;
        }
        let marker = crate::store::item_marker(
            item.postmortem_id,
            &debrief_core::model::ActionItem {
                text: item.text.clone(),
                ..Default::default()
            },
        );
        let due = item.due.as_deref().and_then(|d| d.parse::<Date>().ok());
        let mut notes: Vec<(String, Vec<&Person>, Note)> = Vec::new();
        if let Some(due) = due {
            let days = (due - today).get_days();
            let days = i64::from(days);
            if (0..=DUE_SOON_DAYS).contains(&days) {
                notes.push((
                    format!("remind:due:{marker}:{due}"),
                    owners.clone(),
                    Note {
                        subject: format!("Due {}: {}", when(days), item.text),
                        text: format!(
                            "Your action item from \"{}\" is due on {due}: {}\n{}",
                            item.title,
                            item.text,
                            link(item.postmortem_id)
                        ),
                        calendar: None,
                    },
                ));
            } else if days < 0 {
                let week = (-days - 1) / 7;
                let mut to = owners.clone();
                if week >= ESCALATE_AFTER_WEEKS {
                    to.extend(leads_of(&owners, &people, &notify));
                }
                notes.push((
                    format!("remind:overdue:{marker}:{due}:week{week}"),
                    to,
                    Note {
                        subject: format!(
                            "Overdue by {} day{}: {}",
                            -days,
                            if days == -1 { "" } else { "s" },
                            item.text
                        ),
                        text: format!(
                            "An action item from \"{}\" was due on {due} and is still open: {}\n\
                             If it is done, tick it; if it will not be done, decline it with the \
                             reason. Either way, the postmortem can close.\n{}",
                            item.title,
                            item.text,
                            link(item.postmortem_id)
                        ),
                        calendar: None,
                    },
                ));
            }
        }
        if let Some(published) = item.published_at
            && now - published >= LINGERING_DAYS * 86_400
        {
            let mut to = owners.clone();
            to.extend(leads_of(&owners, &people, &notify));
            notes.push((
                format!("remind:lingering:{marker}"),
                to,
                Note {
                    subject: format!("Open for {LINGERING_DAYS} days: {}", item.text),
                    text: format!(
                        "An action item from \"{}\" has been open for more than {LINGERING_DAYS} \
                         days since the postmortem was published: {}\nThe next incident may have \
                         the same cause. Finish it, or decline it with the reason.\n{}",
                        item.title,
                        item.text,
                        link(item.postmortem_id)
                    ),
                    calendar: None,
                },
            ));
        }
        for (key, mut to, note) in notes {
            to.sort_by_key(|p| p.id);
            to.dedup_by_key(|p| p.id);
            for person in to {
                if item.restricted != 0 && !store.may_read(person, item.postmortem_id).await? {
                    continue;
                }
                ask(
                    format!("{key}:{}", person.id),
                    Recipient::Person(person.id),
                    note.clone(),
                )
                .await?;
            }
        }
    }

    // The digest of the last whole period.
    let length = notify.digest.seconds();
    // Periods start on Mondays at 00:00 UTC (the Unix epoch was a Thursday).
    let offset = 4 * 86_400;
    let period = (now - offset).div_euclid(length);
    let (from, to) = ((period - 1) * length + offset, period * length + offset);
    let published = store.published_between(from, to).await?;
    if !published.is_empty() {
        let day = |t: i64| {
            jiff::Timestamp::from_second(t)
                .map(|t| t.strftime("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        let mut text = format!(
            "Published from {} to {}: read what happened, what made it possible, and what is being done.\n",
            day(from),
            day(to - 1)
        );
        for subject in &published {
            text.push_str(&format!("\n- {}: {}", subject.title, link(subject.id)));
        }
        let note = Note {
            subject: format!(
                "{} postmortem{} published",
                published.len(),
                if published.len() == 1 { "" } else { "s" }
            ),
            text,
            calendar: None,
        };
        for person in &people {
            if person.channel == Channel::None || person.username == crate::store::SYSTEM_USERNAME {
                continue;
            }
            ask(
                format!("digest:{period}:{}", person.id),
                Recipient::Person(person.id),
                note.clone(),
            )
            .await?;
        }
        if notify.org_webhook().is_some() {
            ask(
                format!("digest:{period}:organisation"),
                Recipient::Organisation,
                note,
            )
            .await?;
        }
    }
    Ok(asked)
}

/// "today", "tomorrow", "in 3 days".
fn when(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n => format!("in {n} days"),
    }
}

/// The people an item's owner names: by username or name; a team's lead, or else its people.
fn owners_of<'a>(item: &OpenItem, people: &'a [Person], notify: &NotifyConfig) -> Vec<&'a Person> {
    let Some(owner) = item.owner_key.as_deref() else {
        return Vec::new();
    };
    let named: Vec<&Person> = people
        .iter()
        .filter(|p| {
            p.username.eq_ignore_ascii_case(owner) || p.display_name.eq_ignore_ascii_case(owner)
        })
        .collect();
    if !named.is_empty() {
        return named;
    }
    let team = owner.trim_end_matches(" team");
    if let Some(lead) = notify.lead(team)
        && let Some(person) = people.iter().find(|p| p.username == lead)
    {
        return vec![person];
    }
    people
        .iter()
        .filter(|p| {
            p.team
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(team))
        })
        .collect()
}

/// The leads of the owners' teams.
fn leads_of<'a>(
    owners: &[&Person],
    people: &'a [Person],
    notify: &NotifyConfig,
) -> Vec<&'a Person> {
    owners
        .iter()
        .filter_map(|o| o.team.as_deref())
        .filter_map(|team| notify.lead(team))
        .filter_map(|lead| people.iter().find(|p| p.username == lead))
        .collect()
}

/// Delivers one reminder or digest, on the channel its recipient chose now.
pub async fn deliver(store: &Store, send: &Send) -> Result<(), Failure> {
    let notify = store.policy().notify.clone();
    let result = match &send.to {
        Recipient::Organisation => match notify.org_webhook() {
            Some(webhook) => crate::notify::slack(&webhook, &send.note).await,
            None => return Ok(()),
        },
        Recipient::Person(id) => {
            let person = match store.person(*id).await {
                Ok(person) => person,
                // Gone or deactivated since: nobody to tell.
                Err(crate::StoreError::NotFound) => return Ok(()),
                Err(error) => {
                    return Err(Failure::Retry {
                        error: error.to_string(),
                        retry_at: None,
                    });
                }
            };
            match (person.channel, &person.email, &person.slack_webhook) {
                (Channel::Email, Some(email), _) => {
                    crate::notify::email(&notify, email, &send.note).await
                }
                (Channel::Slack, _, Some(webhook)) => {
                    crate::notify::slack(webhook, &send.note).await
                }
                // They chose no reminders, or have not said where: nothing to send.
                _ => return Ok(()),
            }
        }
    };
    result.map_err(|e| match e {
        DeliveryError::Retry(error) => Failure::Retry {
            error,
            retry_at: None,
        },
        DeliveryError::Permanent(error) => Failure::Permanent(error),
    })
}
