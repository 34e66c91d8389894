//! A postmortem's review meeting: scheduled, run as a log of changes, and ended into the
//! postmortem as its "Review meeting" section and its new action items, one new version
//! moved to `reviewed`. The rules are `crate::meeting`'s; this is their SQL.

use super::postmortems::Current;
use super::versions::Change;
use super::{Result, Store, StoreError, Tx, User, person_named, require_writer};
use crate::meeting::{self, Context, Room};
use debrief_core::model::{Section, SectionBody};
use debrief_wire::api::{
    AgendaItem, Meeting, MeetingChange, MeetingCheck, MeetingEvent, MeetingEvents, MeetingRequest,
    MeetingState, State,
};

/// A change judged against its meeting, ready to be made.
struct Judged {
    current: Current,
    row: MeetingRow,
    agenda: Vec<AgendaItem>,
    events: Vec<MeetingEvent>,
    room: Room,
    change: MeetingChange,
    prompts: Vec<String>,
}

/// A meeting's row.
#[derive(sqlx::FromRow)]
struct MeetingRow {
    starts_at: i64,
    minutes: i64,
    zone: String,
    agenda: String,
    state: String,
    started_at: Option<i64>,
    ended_at: Option<i64>,
    scheduled_at: i64,
}

/// A change's row.
#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    at: i64,
    author: String,
    anonymous: i64,
    change: String,
    prompts: String,
}

impl EventRow {
    fn into_event(self) -> Result<MeetingEvent> {
        let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("meeting change: {e}"));
        Ok(MeetingEvent {
            seq: self.seq,
            at: self.at,
            author: (self.anonymous == 0).then_some(self.author),
            change: serde_json::from_str(&self.change).map_err(corrupt)?,
            prompts: serde_json::from_str(&self.prompts).map_err(corrupt)?,
        })
    }
}

fn state_of(text: &str) -> Result<MeetingState> {
    match text {
        "scheduled" => Ok(MeetingState::Scheduled),
        "running" => Ok(MeetingState::Running),
        "ended" => Ok(MeetingState::Ended),
        other => Err(StoreError::Corrupt(format!("meeting state {other:?}"))),
    }
}

fn state_name(state: MeetingState) -> &'static str {
    match state {
        MeetingState::Scheduled => "scheduled",
        MeetingState::Running => "running",
        MeetingState::Ended => "ended",
    }
}

impl Store {
    /// Schedules the review meeting of postmortem `id`, or moves it while it is still ahead.
    pub async fn schedule_meeting(
        &self,
        actor: &User,
        id: i64,
        request: &MeetingRequest,
    ) -> Result<Meeting> {
        require_writer(actor)?;
        let minutes = request.minutes.unwrap_or(meeting::DEFAULT_MINUTES);
        if !(5..=480).contains(&minutes) {
            return Err(StoreError::Invalid(format!(
                "a meeting of {minutes} minutes; it may take from 5 to 480"
            )));
        }
        let agenda = request
            .agenda
            .clone()
            .unwrap_or_else(meeting::default_agenda);
        check_agenda(&agenda)?;
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        if !matches!(current.postmortem.status, State::Draft | State::InReview) {
            return Err(StoreError::Invalid(format!(
                "the postmortem is {}: its review is behind it",
                current.postmortem.status.as_str()
            )));
        }
        if let Some(row) = meeting_row(&mut tx, id).await?
            && state_of(&row.state)? != MeetingState::Scheduled
        {
            return Err(StoreError::Invalid(
                "the meeting has started: it can no longer be moved".into(),
            ));
        }
        let zone = match &request.zone {
            Some(zone) => {
                debrief_core::zone::parse_zone(zone).ok_or_else(|| {
                    StoreError::Invalid(format!("{zone:?} is not a time zone debrief knows"))
                })?;
                zone.clone()
            }
            None => debrief_core::read(&current.postmortem.markdown)
                .postmortem
                .meta
                .timezone
                .filter(|z| debrief_core::zone::parse_zone(z).is_some())
                .unwrap_or_else(|| "UTC".to_string()),
        };
        let mut invited = Vec::new();
        match &request.participants {
            Some(names) => {
                for name in names {
                    invited.push(person_named(&mut tx, name).await?.id);
                }
            }
            None => invited = taking_part(&mut tx, id).await?,
        }
        invited.sort_unstable();
        invited.dedup();
        let agenda_json = serde_json::to_string(&agenda)
            .map_err(|e| StoreError::Invalid(format!("agenda: {e}")))?;
        let at = self.clock.now();
        sqlx::query("DELETE FROM meeting_participants WHERE postmortem_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM meetings WHERE postmortem_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO meetings (postmortem_id, starts_at, minutes, zone, agenda, state,
             scheduled_by, scheduled_at) VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7)",
        )
        .bind(id)
        .bind(request.starts_at)
        .bind(i64::from(minutes))
        .bind(&zone)
        .bind(&agenda_json)
        .bind(actor.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        for user in invited {
            sqlx::query(
                "INSERT INTO meeting_participants (postmortem_id, user_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        }
        super::audit(
            &mut tx,
            at,
            Some(actor),
            "meeting.schedule",
            &format!("postmortem:{id}"),
        )
        .await?;
        let meeting = read_meeting(&mut tx, id, &self.policy.workflow.factor_categories).await?;
        tx.commit().await?;
        Ok(meeting)
    }

    /// The review meeting of a postmortem the viewer may see.
    pub async fn meeting(&self, viewer: &User, id: i64) -> Result<Meeting> {
        self.current(viewer, id).await?;
        let mut conn = self.pool.acquire().await?;
        read_meeting(&mut conn, id, &self.policy.workflow.factor_categories).await
    }

    /// The meeting's invitation (iCalendar), with `link` to the postmortem to read before.
    pub async fn meeting_invitation(&self, viewer: &User, id: i64, link: &str) -> Result<String> {
        let current = self.current(viewer, id).await?;
        self.meeting_calendar(id, &current.postmortem.title, link)
            .await
    }

    /// The invitation of postmortem `id`'s meeting, whoever asks: for the reminders scan,
    /// which sends it to the participants who may read the postmortem.
    pub async fn meeting_calendar(&self, id: i64, title: &str, link: &str) -> Result<String> {
        let mut conn = self.pool.acquire().await?;
        let row = meeting_row(&mut conn, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        // Each scheduling is later than the one before: a moved meeting's invitation replaces
        // the earlier one in calendars.
        let revision = u32::try_from(row.scheduled_at).unwrap_or(0);
        let categories = &self.policy.workflow.factor_categories;
        let meeting = meeting_of(&mut conn, id, row, categories).await?;
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT u.username, u.email FROM meeting_participants p JOIN users u ON u.id = p.user_id
             WHERE p.postmortem_id = $1 ORDER BY u.username",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let invitees: Vec<meeting::Invitee> = rows
            .into_iter()
            .map(|(name, email)| meeting::Invitee {
                name,
                email: email.filter(|e| !e.trim().is_empty()),
            })
            .collect();
        Ok(meeting::invitation(
            &meeting,
            &meeting::Invitation {
                title,
                link,
                invitees: &invitees,
                now: self.clock.now(),
                revision,
            },
        ))
    }

    /// The meeting and its changes after `after` (0: all of them), in order.
    pub async fn meeting_events(
        &self,
        viewer: &User,
        id: i64,
        after: i64,
    ) -> Result<MeetingEvents> {
        self.current(viewer, id).await?;
        let mut conn = self.pool.acquire().await?;
        let meeting = read_meeting(&mut conn, id, &self.policy.workflow.factor_categories).await?;
        let events = events_after(&mut conn, id, after).await?;
        Ok(MeetingEvents { meeting, events })
    }

    /// What the meeting of postmortem `id` would make of `change`, without making it: the
    /// same rules and linting as [`Store::meeting_change`], for a page to show as a note or
    /// an action item is typed.
    pub async fn check_meeting_change(
        &self,
        actor: &User,
        id: i64,
        change: MeetingChange,
    ) -> Result<MeetingCheck> {
        require_writer(actor)?;
        // A wish is refused with each of its reasons, as the page lists them.
        let options = debrief_lint::Options::new(&self.policy.lint, self.clock.today());
        let refusals = meeting::assess(&change, &options).refusals;
        if !refusals.is_empty() {
            self.current(actor, id).await?;
            return Ok(MeetingCheck {
                taken: false,
                reasons: refusals,
                prompts: Vec::new(),
            });
        }
        let mut tx = self.pool.begin().await?;
        let verdict = match self.judge(&mut tx, actor, id, change).await {
            Ok(judged) => MeetingCheck {
                taken: true,
                reasons: Vec::new(),
                prompts: judged.prompts,
            },
            Err(StoreError::Invalid(reason)) => MeetingCheck {
                taken: false,
                reasons: vec![reason],
                prompts: Vec::new(),
            },
            Err(other) => return Err(other),
        };
        tx.rollback().await?;
        Ok(verdict)
    }

    /// A change judged against the meeting as it stands ([`meeting::check`] and
    /// [`meeting::assess`]): refused with the reasons, or taken with the facilitator's
    /// redirects and a factor's category spelled as the board spells it.
    async fn judge(
        &self,
        tx: &mut Tx,
        actor: &User,
        id: i64,
        change: MeetingChange,
    ) -> Result<Judged> {
        let current = self.current_in(tx, actor, id).await?;
        let options = debrief_lint::Options::new(&self.policy.lint, self.clock.today());
        let assessed = meeting::assess(&change, &options);
        if !assessed.refusals.is_empty() {
            return Err(StoreError::Invalid(format!(
                "not yet an action item: {}",
                assessed.refusals.join("; ")
            )));
        }
        let row = meeting_row(tx, id).await?.ok_or_else(|| {
            StoreError::Invalid("the postmortem has no meeting: schedule one first".into())
        })?;
        let state = state_of(&row.state)?;
        let agenda: Vec<AgendaItem> = serde_json::from_str(&row.agenda)
            .map_err(|e| StoreError::Corrupt(format!("meeting agenda: {e}")))?;
        let events = events_after(tx, id, 0).await?;
        let room = Room::of(&events);
        let document = debrief_core::read(&current.postmortem.markdown).postmortem;
        let categories = &self.policy.workflow.factor_categories;
        let context = Context {
            state,
            agenda: &agenda,
            entries: document.timeline_entries().count(),
            facilitator: current.facilitator_id == Some(actor.id)
                || actor.role == super::Role::Admin,
            categories,
        };
        meeting::check(&change, &room, &context).map_err(StoreError::Invalid)?;
        if matches!(change, MeetingChange::Start) && current.postmortem.status != State::InReview {
            return Err(StoreError::Invalid(format!(
                "the postmortem is {}; the meeting reviews a postmortem in review",
                current.postmortem.status.as_str()
            )));
        }
        let change = match change {
            MeetingChange::Factor { category, text } => MeetingChange::Factor {
                category: categories
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(category.trim()))
                    .cloned()
                    .unwrap_or(category),
                text,
            },
            other => other,
        };
        Ok(Judged {
            current,
            row,
            agenda,
            events,
            room,
            change,
            prompts: assessed.prompts,
        })
    }

    /// A change to the meeting of postmortem `id`, judged against the room
    /// ([`Store::judge`]): a note with blame in it carries the facilitator's redirects, a
    /// drafted action item that is a wish, unowned or undated is refused with the reasons,
    /// a new time box rewrites the agenda, and the end writes the record into the
    /// postmortem.
    pub async fn meeting_change(
        &self,
        actor: &User,
        id: i64,
        change: MeetingChange,
    ) -> Result<MeetingEvent> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        let Judged {
            current,
            row,
            mut agenda,
            events,
            mut room,
            change,
            prompts,
        } = self.judge(&mut tx, actor, id, change).await?;
        let at = self.clock.now();
        let seq = events.last().map_or(0, |e| e.seq) + 1;
        let anonymous = matches!(
            change,
            MeetingChange::Reflection {
                anonymous: true,
                ..
            }
        );
        let event = MeetingEvent {
            seq,
            at,
            author: (!anonymous).then(|| actor.username.clone()),
            change,
            prompts,
        };
        sqlx::query(
            "INSERT INTO meeting_events (postmortem_id, seq, at, author_id, anonymous, change,
             prompts) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(seq)
        .bind(at)
        .bind(actor.id)
        .bind(i64::from(anonymous))
        .bind(to_json(&event.change)?)
        .bind(to_json(&event.prompts)?)
        .execute(&mut *tx)
        .await?;
        match event.change {
            MeetingChange::TimeBox { item, minutes } => {
                if let Some(adjusted) = agenda.get_mut(item as usize) {
                    adjusted.minutes = minutes;
                }
                sqlx::query("UPDATE meetings SET agenda = $1 WHERE postmortem_id = $2")
                    .bind(to_json(&agenda)?)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            MeetingChange::Start => {
                set_state(&mut tx, id, MeetingState::Running, "started_at", at).await?;
            }
            MeetingChange::End => {
                room.apply(&event);
                let held = held(&row, at);
                self.write_record(&mut tx, actor, &current, &room, held)
                    .await?;
                set_state(&mut tx, id, MeetingState::Ended, "ended_at", at).await?;
            }
            _ => {}
        }
        self.announce_in(&mut tx, id).await?;
        tx.commit().await?;
        self.announced(id);
        Ok(event)
    }

    /// The meeting's record into the postmortem, as one new version: the "Review meeting"
    /// section (replacing one an earlier meeting left), the drafted action items appended
    /// to the action items, and the state moved to `reviewed`.
    async fn write_record(
        &self,
        tx: &mut Tx,
        actor: &User,
        current: &Current,
        room: &Room,
        held: debrief_core::meeting::Held,
    ) -> Result<()> {
        let mut people = Vec::new();
        for name in &room.attended {
            let user = person_named(tx, name).await?;
            let part = if current.facilitator_id == Some(user.id) {
                Some("facilitator".to_string())
            } else if current.scribe_id == Some(user.id) {
                Some("scribe".to_string())
            } else {
                None
            };
            people.push((name.clone(), user.function, part));
        }
        let lookup = |name: &str| {
            people
                .iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, f, p)| (f.clone(), p.clone()))
                .unwrap_or_default()
        };
        let mut document = super::document::read_document(&current.postmortem.markdown)?;
        let entries: Vec<String> = document
            .timeline_entries()
            .map(|e| format!("{} {}", e.at.strftime("%H:%M"), e.text))
            .collect();
        let record = meeting::record(room, held, &lookup, &entries);
        let text = debrief_core::meeting::write(&record);
        let section = Section {
            heading: debrief_core::meeting::HEADING.to_string(),
            level: 2,
            body: SectionBody::ReviewMeeting(text.trim_end().to_string()),
        };
        let sections = &mut document.sections;
        match sections
            .iter()
            .position(|s| matches!(s.body, SectionBody::ReviewMeeting(_)))
        {
            Some(at) => sections[at] = section,
            None => {
                let before = sections
                    .iter()
                    .position(|s| matches!(s.body, SectionBody::ActionItems(_)))
                    .unwrap_or(sections.len());
                sections.insert(before, section);
            }
        }
        append_items(&mut document, &room.drafts);
        let mut workflow = self.workflow_of(current);
        let reviewed = crate::workflow::may_become(current.postmortem.status, State::Reviewed);
        if reviewed {
            workflow.state = State::Reviewed;
        }
        let note = if reviewed {
            "review meeting: its record; status: in_review → reviewed"
        } else {
            "review meeting: its record"
        };
        let change = Change {
            note,
            changes_text: true,
            audit: vec!["meeting.end"],
        };
        self.commit(tx, actor, current, document, &workflow, &change)
            .await?;
        Ok(())
    }
}

/// Items drafted in the room, added to the document's action items (a section is made for
/// them when it has none), each read as the reader reads an item.
fn append_items(document: &mut debrief_core::Postmortem, drafts: &[String]) {
    if drafts.is_empty() {
        return;
    }
    let lines: String = drafts
        .iter()
        .map(|d| {
            format!(
                "- [ ] {}\n",
                d.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect();
    let read = debrief_core::read(&format!("## Action items\n\n{lines}"));
    let Some(new) = read
        .postmortem
        .sections
        .into_iter()
        .find_map(|s| match s.body {
            SectionBody::ActionItems(items) => Some(items),
            _ => None,
        })
    else {
        return;
    };
    match document
        .sections
        .iter_mut()
        .find_map(|s| match &mut s.body {
            SectionBody::ActionItems(items) => Some(items),
            _ => None,
        }) {
        Some(items) => items.parts.extend(new.parts),
        None => document.sections.push(Section {
            heading: "Action items".to_string(),
            level: 2,
            body: SectionBody::ActionItems(new),
        }),
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid(format!("meeting change: {e}")))
}

/// When the meeting was held: its start as it happened, in its zone, and how long it took.
fn held(row: &MeetingRow, ended_at: i64) -> debrief_core::meeting::Held {
    let started = row.started_at.unwrap_or(row.starts_at);
    let zone = debrief_core::zone::parse_zone(&row.zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let zoned = jiff::Timestamp::from_second(started)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(zone);
    let minutes = ((ended_at - started).max(0) + 59) / 60;
    debrief_core::meeting::Held {
        date: zoned.date(),
        start: jiff::civil::time(zoned.hour(), zoned.minute(), 0, 0),
        zone: row.zone.clone(),
        minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
    }
}

/// An agenda a meeting can follow.
fn check_agenda(agenda: &[AgendaItem]) -> Result<()> {
    if agenda.is_empty() || agenda.len() > meeting::MAX_AGENDA_ITEMS {
        return Err(StoreError::Invalid(format!(
            "an agenda of {} items; it needs from 1 to {}",
            agenda.len(),
            meeting::MAX_AGENDA_ITEMS
        )));
    }
    for item in agenda {
        if item.title.trim().is_empty() || item.title.len() > 200 {
            return Err(StoreError::Invalid(
                "each agenda item needs a title of at most 200 bytes".into(),
            ));
        }
        if !(1..=240).contains(&item.minutes) {
            return Err(StoreError::Invalid(format!(
                "{:?} takes {} minutes; an item takes from 1 to 240",
                item.title, item.minutes
            )));
        }
    }
    Ok(())
}

/// Everybody taking part in postmortem `id`: responders, members, contributors, facilitator
/// and scribe, active.
async fn taking_part(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.deactivated_at IS NULL AND u.id IN (
             SELECT user_id FROM postmortem_responders WHERE postmortem_id = $1
             UNION SELECT user_id FROM postmortem_members WHERE postmortem_id = $1
             UNION SELECT author_id FROM contributions WHERE postmortem_id = $1
             UNION SELECT facilitator_id FROM postmortems WHERE id = $1
             UNION SELECT scribe_id FROM postmortems WHERE id = $1)
         ORDER BY u.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}

async fn meeting_row(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<MeetingRow>> {
    Ok(sqlx::query_as(
        "SELECT starts_at, minutes, zone, agenda, state, started_at, ended_at, scheduled_at
         FROM meetings WHERE postmortem_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

async fn read_meeting(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    categories: &[String],
) -> Result<Meeting> {
    let row = meeting_row(conn, id).await?.ok_or(StoreError::NotFound)?;
    meeting_of(conn, id, row, categories).await
}

/// The meeting of a row: with its participants and its last change.
async fn meeting_of(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    row: MeetingRow,
    categories: &[String],
) -> Result<Meeting> {
    let participants: Vec<String> = sqlx::query_scalar(
        "SELECT u.username FROM meeting_participants p JOIN users u ON u.id = p.user_id
         WHERE p.postmortem_id = $1 ORDER BY u.username",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let last_change: Option<i64> =
        sqlx::query_scalar("SELECT MAX(seq) FROM meeting_events WHERE postmortem_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Meeting {
        postmortem_id: id,
        starts_at: row.starts_at,
        minutes: u32::try_from(row.minutes).unwrap_or(meeting::DEFAULT_MINUTES),
        zone: row.zone,
        agenda: serde_json::from_str(&row.agenda)
            .map_err(|e| StoreError::Corrupt(format!("meeting agenda: {e}")))?,
        factor_categories: categories.to_vec(),
        participants,
        state: state_of(&row.state)?,
        started_at: row.started_at,
        ended_at: row.ended_at,
        last_change: last_change.unwrap_or(0),
    })
}

async fn events_after(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    after: i64,
) -> Result<Vec<MeetingEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.seq, e.at, u.username AS author, e.anonymous, e.change, e.prompts
         FROM meeting_events e JOIN users u ON u.id = e.author_id
         WHERE e.postmortem_id = $1 AND e.seq > $2 ORDER BY e.seq",
    )
    .bind(id)
    .bind(after)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(EventRow::into_event).collect()
}

async fn set_state(
    tx: &mut Tx,
    id: i64,
    state: MeetingState,
    column: &'static str,
    at: i64,
) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE meetings SET state = $1, {column} = $2 WHERE postmortem_id = $3"
    )))
    .bind(state_name(state))
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
