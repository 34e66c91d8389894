//! The review meeting's page: scheduling it, then the room. Every part of the room is a
//! plain form, so it works without JavaScript; with it (`assets/meeting.js`), the room's
//! lists follow the live stream and what is being typed stays where it is.

use super::{PageResult, Reading, SITE, Writing, render, utc};
use crate::http::AppState;
use crate::meeting::{PROMPTS, Room};
use crate::store::{StoreError, User};
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use debrief_wire::api::{EntryTag, Meeting, MeetingChange, MeetingRequest, MeetingState};
use serde::Deserialize;

/// An agenda item as the page lists it.
struct AgendaRow {
    title: String,
    minutes: u32,
    current: bool,
}

/// A timeline entry as the walk shows it.
struct EntryRow {
    index: usize,
    when: String,
    text: String,
    current: bool,
    tag: Option<&'static str>,
}

/// A note, with the facilitator's redirects when it blames.
struct NoteRow {
    about: String,
    text: String,
    author: String,
    prompts: Vec<String>,
}

/// A factor and its whys, with the change that named it (for a why to refer to).
struct FactorRow {
    seq: i64,
    category: String,
    text: String,
    whys: Vec<String>,
}

#[derive(Template)]
#[template(path = "web/meeting.html")]
struct MeetingPage<'a> {
    title: String,
    site: &'a str,
    user: Option<User>,
    id: i64,
    postmortem_title: String,
    meeting: Option<Meeting>,
    starts: String,
    /// The meeting's state as people read it.
    state: &'static str,
    scheduled: bool,
    running: bool,
    writer: bool,
    facilitator: bool,
    notice: Option<String>,
    error: Option<String>,
    agenda: Vec<AgendaRow>,
    prompts: Vec<&'static str>,
    entries: Vec<EntryRow>,
    present: Vec<String>,
    notes: Vec<NoteRow>,
    factors: Vec<FactorRow>,
    drafts: Vec<String>,
    decisions: Vec<String>,
    not_doing: Vec<(String, String)>,
    reflections: Vec<(String, String)>,
    /// What a note may be about: the agenda's items and the timeline's entries.
    abouts: Vec<String>,
    /// The factor categories the board offers (`factor_categories` in `debrief.toml`).
    categories: Vec<String>,
    next_item: Option<usize>,
    /// The part under way's time box: since when (Unix seconds and as written) and how long.
    clock: Option<Clock>,
}

/// The running clock of the agenda item under way.
struct Clock {
    since: i64,
    since_shown: String,
    minutes: u32,
}

pub(super) async fn meeting(
    State(state): State<AppState>,
    Reading { user, id }: Reading,
) -> PageResult {
    meeting_page(&state, user, id, StatusCode::OK, None, None).await
}

/// The page, with what the last step said.
async fn meeting_page(
    state: &AppState,
    user: User,
    id: i64,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let postmortem = state.store.postmortem(&user, id).await?;
    let document = debrief_core::read(&postmortem.markdown).postmortem;
    let (meeting, events) = match state.store.meeting_events(&user, id, 0).await {
        Ok(found) => (Some(found.meeting), found.events),
        Err(StoreError::NotFound) => (None, Vec::new()),
        Err(other) => return Err(other.into()),
    };
    let room = Room::of(&events);
    let facilitator = postmortem.assignment.facilitator.as_deref() == Some(&user.username)
        || user.role == crate::store::Role::Admin;
    let agenda: Vec<AgendaRow> = meeting
        .iter()
        .flat_map(|m| m.agenda.iter())
        .enumerate()
        .map(|(index, item)| AgendaRow {
            title: item.title.clone(),
            minutes: item.minutes,
            current: index == room.agenda_item as usize,
        })
        .collect();
    let entries: Vec<EntryRow> = document
        .timeline_entries()
        .enumerate()
        .map(|(index, entry)| EntryRow {
            index,
            when: entry.at.strftime("%H:%M").to_string(),
            text: entry.text.clone(),
            current: room.entry == Some(index as u32),
            tag: room
                .tags
                .iter()
                .find(|(e, _)| *e as usize == index)
                .map(|(_, tag)| crate::meeting::tag_words(*tag)),
        })
        .collect();
    let notes = events
        .iter()
        .filter_map(|event| match &event.change {
            MeetingChange::Note { about, text } => Some(NoteRow {
                about: about.clone(),
                text: text.clone(),
                author: event.author.clone().unwrap_or_default(),
                prompts: event.prompts.clone(),
            }),
            _ => None,
        })
        .collect();
    let mut abouts: Vec<String> = agenda.iter().map(|a| a.title.clone()).collect();
    abouts.extend(entries.iter().map(|e| format!("{} {}", e.when, e.text)));
    let running = meeting
        .as_ref()
        .is_some_and(|m| m.state == MeetingState::Running);
    let next_item = (running && (room.agenda_item as usize) + 1 < agenda.len())
        .then_some(room.agenda_item as usize + 1);
    let state_of = meeting.as_ref().map(|m| m.state);
    let clock = room
        .agenda_since
        .filter(|_| running)
        .zip(agenda.iter().find(|a| a.current))
        .map(|(since, item)| Clock {
            since,
            since_shown: utc(since),
            minutes: item.minutes,
        });
    let page = MeetingPage {
        state: match state_of {
            Some(MeetingState::Scheduled) => "scheduled",
            Some(MeetingState::Running) => "running",
            Some(MeetingState::Ended) => "ended",
            None => "",
        },
        scheduled: state_of == Some(MeetingState::Scheduled),
        running,
        title: format!("Review meeting · {}", postmortem.title),
        site: SITE,
        id,
        postmortem_title: postmortem.title.clone(),
        starts: meeting
            .as_ref()
            .map(|m| utc(m.starts_at))
            .unwrap_or_default(),
        writer: user.role != crate::store::Role::Viewer,
        facilitator,
        notice,
        error,
        prompts: PROMPTS
            .get(room.agenda_item as usize)
            .map(|p| p.to_vec())
            .unwrap_or_default(),
        agenda,
        entries,
        present: room.present.clone(),
        notes,
        factors: room
            .factors
            .iter()
            .map(|(seq, f)| FactorRow {
                seq: *seq,
                category: f.category.clone(),
                text: f.text.clone(),
                whys: f.whys.clone(),
            })
            .collect(),
        drafts: room.drafts.clone(),
        decisions: room.decisions.clone(),
        not_doing: room
            .not_doing
            .iter()
            .map(|l| (l.label.clone(), l.text.clone()))
            .collect(),
        reflections: room
            .reflections
            .iter()
            .map(|(by, text)| {
                let by = by.clone().unwrap_or_else(|| "Anonymous".to_string());
                (by, text.clone())
            })
            .collect(),
        abouts,
        categories: state.store.policy().workflow.factor_categories.clone(),
        next_item,
        clock,
        meeting,
        user: Some(user),
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct ScheduleForm {
    /// As `datetime-local` sends it (`2026-06-16T14:00`), in UTC.
    starts: String,
    #[serde(default)]
    minutes: String,
}

/// Schedules the meeting, or moves it, from the page.
pub(super) async fn schedule(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<ScheduleForm>,
) -> PageResult {
    let starts = form
        .starts
        .trim()
        .parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|at| at.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|at| at.timestamp().as_second());
    let Some(starts_at) = starts else {
        let error = format!(
            "{:?} is not a date and time (2026-06-16T14:00).",
            form.starts
        );
        return refused(&state, user, id, error).await;
    };
    let minutes = form.minutes.trim().parse::<u32>().ok();
    let request = MeetingRequest {
        starts_at,
        minutes,
        zone: None,
        agenda: None,
        participants: None,
    };
    let result = state.store.schedule_meeting(&user, id, &request).await;
    answer(
        &state,
        user,
        id,
        result.map(|m| format!("The meeting is at {}.", utc(m.starts_at))),
    )
    .await
}

/// A change to the room as a form sends it: `kind` and the fields that kind needs.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ChangeForm {
    kind: String,
    #[serde(default)]
    item: Option<u32>,
    #[serde(default)]
    entry: Option<u32>,
    #[serde(default)]
    minutes: Option<u32>,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    about: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    factor: Option<i64>,
    #[serde(default)]
    what: String,
    #[serde(default)]
    why: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    anonymous: Option<String>,
}

impl ChangeForm {
    /// The change the form asks for; why not, when it asks for none.
    fn change(self) -> Result<MeetingChange, String> {
        let missing = |field: &str| format!("The form needs its {field}.");
        Ok(match self.kind.as_str() {
            "start" => MeetingChange::Start,
            "join" => MeetingChange::Join,
            "leave" => MeetingChange::Leave,
            "end" => MeetingChange::End,
            "agenda" => MeetingChange::Agenda {
                item: self.item.ok_or_else(|| missing("agenda item"))?,
            },
            "time_box" => MeetingChange::TimeBox {
                item: self.item.ok_or_else(|| missing("agenda item"))?,
                minutes: self.minutes.ok_or_else(|| missing("minutes"))?,
            },
            "entry" => MeetingChange::Entry {
                entry: self.entry.ok_or_else(|| missing("timeline entry"))?,
            },
            "tag" => MeetingChange::Tag {
                entry: self.entry.ok_or_else(|| missing("timeline entry"))?,
                tag: match self.tag.as_str() {
                    "detection" => EntryTag::Detection,
                    "diagnosis" => EntryTag::Diagnosis,
                    "repair" => EntryTag::Repair,
                    "key_moment" => EntryTag::KeyMoment,
                    other => return Err(format!("There is no tag {other:?}.")),
                },
            },
            "note" => MeetingChange::Note {
                about: self.about,
                text: self.text,
            },
            "decision" => MeetingChange::Decision { text: self.text },
            "factor" => MeetingChange::Factor {
                category: self.category,
                text: self.text,
            },
            "why" => MeetingChange::Why {
                factor: self.factor.ok_or_else(|| missing("factor"))?,
                text: self.text,
            },
            "draft" => MeetingChange::Draft { text: self.text },
            "not_doing" => MeetingChange::NotDoing {
                what: self.what,
                why: self.why,
            },
            "reflection" => MeetingChange::Reflection {
                text: self.text,
                anonymous: self.anonymous.is_some(),
            },
            other => return Err(format!("There is no change {other:?}.")),
        })
    }
}

/// A change to the room, from the page.
pub(super) async fn change(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<ChangeForm>,
) -> PageResult {
    let change = match form.change() {
        Ok(change) => change,
        Err(error) => return refused(&state, user, id, error).await,
    };
    let part = part_of(&change);
    match state.store.meeting_change(&user, id, change).await {
        // Post, then redirect to the room: a reload does not send the change again, and the
        // page opens where the change shows.
        Ok(_) => Ok(Redirect::to(&format!("/postmortems/{id}/meeting{part}")).into_response()),
        Err(error) => answer(&state, user, id, Err(error)).await,
    }
}

/// The part of the room where a change shows, as a fragment of the page's address.
fn part_of(change: &MeetingChange) -> &'static str {
    match change {
        MeetingChange::Entry { .. } | MeetingChange::Tag { .. } => "#walk-heading",
        MeetingChange::Note { .. } => "#notes-heading",
        MeetingChange::Factor { .. } | MeetingChange::Why { .. } => "#factors-heading",
        MeetingChange::Draft { .. }
        | MeetingChange::Decision { .. }
        | MeetingChange::NotDoing { .. } => "#actions-heading",
        MeetingChange::Reflection { .. } => "#reflections-heading",
        _ => "",
    }
}

/// The page after a step: its notice, or why it was refused.
async fn answer(
    state: &AppState,
    user: User,
    id: i64,
    result: Result<String, StoreError>,
) -> PageResult {
    match result {
        Ok(notice) => meeting_page(state, user, id, StatusCode::OK, Some(notice), None).await,
        Err(StoreError::Invalid(message) | StoreError::Forbidden(message)) => {
            refused(state, user, id, message).await
        }
        Err(StoreError::Refused(refusal)) => refused(state, user, id, refusal.message).await,
        Err(other) => Err(other.into()),
    }
}

/// The page again, saying why what was asked was not done (422).
async fn refused(state: &AppState, user: User, id: i64, why: String) -> PageResult {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    meeting_page(state, user, id, status, None, Some(why)).await
}
