//! A postmortem's review meeting: scheduled, then run as a log of changes that every
//! participant reads after the last one they saw.

use super::AppState;
use super::error::ApiResult;
use super::extract::{Args, Body, Caller, Ids, PostmortemId};
use super::respond;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use debrief_wire::api::{
    ChangesQuery, Meeting, MeetingChange, MeetingCheck, MeetingEvent, MeetingEvents,
    MeetingRequest, MeetingState,
};
use futures_util::Stream;
use std::collections::VecDeque;
use std::convert::Infallible;
use tokio::sync::broadcast;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(meeting, schedule))
        .routes(routes!(changes, change))
        .routes(routes!(check))
        .routes(routes!(live))
        .routes(routes!(invitation))
}

/// The meeting's invitation to add to a calendar (iCalendar, `METHOD:REQUEST`): the agenda
/// with its time boxes and the link to the postmortem, to read before.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/meeting/invitation", tag = "meetings",
    params(PostmortemId),
    responses((status = 200, description = "the invitation", content_type = "text/calendar",
        body = String)))]
async fn invitation(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let link = format!(
        "{}/postmortems/{id}",
        respond::base_url(&state.config, &headers)
    );
    let text = state.store.meeting_invitation(&user, id, &link).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8; method=REQUEST",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"review-meeting.ics\"",
            ),
        ],
        text,
    )
        .into_response())
}

/// How long a room waits for word of a change before it looks anyway.
const LOOK_AGAIN: std::time::Duration = std::time::Duration::from_secs(2);

/// The meeting live, as server-sent events: each change (`event: change`, `id:` its `seq`,
/// `data:` the change as JSON) from the one after `Last-Event-ID` (a browser reconnecting
/// sends it), or after `after`, within a second of its making on any instance; the stream
/// ends with the meeting's end.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/meeting/live", tag = "meetings",
    params(PostmortemId, ChangesQuery),
    responses((status = 200, description = "the changes as they are made",
        content_type = "text/event-stream", body = String)))]
async fn live(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Args(query): Args<ChangesQuery>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(query.after);
    // Listening first: a change made while the first read runs is then not missed.
    let feed = state.store.meeting_feed();
    let first = state.store.meeting_events(&user, id, after).await?;
    let room = Room {
        store: state.store.clone(),
        user,
        id,
        last: after,
        feed,
        ended: first.meeting.state == MeetingState::Ended && first.events.is_empty(),
        pending: first.events.into(),
    };
    let stream = futures_util::stream::unfold(room, |mut room| async move {
        let event = room.next().await?;
        Some((Ok(event), room))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// One participant's open room: the changes still to send them.
struct Room {
    store: crate::store::Store,
    user: crate::store::User,
    id: i64,
    /// The last change sent.
    last: i64,
    feed: broadcast::Receiver<i64>,
    pending: VecDeque<MeetingEvent>,
    ended: bool,
}

impl Room {
    /// The next change to send; none once the meeting has ended and its end was sent, or the
    /// participant may no longer see it.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.last = event.seq;
                self.ended |= matches!(event.change, MeetingChange::End);
                return Event::default()
                    .event("change")
                    .id(event.seq.to_string())
                    .json_data(&event)
                    .ok();
            }
            if self.ended {
                return None;
            }
            tokio::select! {
                word = self.feed.recv() => match word {
                    Ok(id) if id != self.id => continue,
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                () = tokio::time::sleep(LOOK_AGAIN) => {}
            }
            let more = self
                .store
                .meeting_events(&self.user, self.id, self.last)
                .await
                .ok()?;
            self.ended = more.meeting.state == MeetingState::Ended && more.events.is_empty();
            self.pending.extend(more.events);
        }
    }
}

/// The postmortem's review meeting.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/meeting", tag = "meetings",
    params(PostmortemId),
    responses((status = 200, description = "the meeting", body = Meeting)))]
async fn meeting(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<Meeting>> {
    Ok(Json(state.store.meeting(&user, id).await?))
}

/// Schedule the review meeting, or move it while it is still ahead: when, how long (60
/// minutes by default), its agenda and who is invited (by default everyone taking part).
#[utoipa::path(put, path = "/api/v1/postmortems/{id}/meeting", tag = "meetings",
    params(PostmortemId), request_body = MeetingRequest,
    responses((status = 200, description = "the meeting", body = Meeting)))]
async fn schedule(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Body(request): Body<MeetingRequest>,
) -> ApiResult<Json<Meeting>> {
    Ok(Json(
        state.store.schedule_meeting(&user, id, &request).await?,
    ))
}

/// The meeting and its changes after `after`, in order: what a participant's screen
/// replays to catch up.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/meeting/changes", tag = "meetings",
    params(PostmortemId, ChangesQuery),
    responses((status = 200, description = "the meeting and its changes", body = MeetingEvents)))]
async fn changes(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Args(query): Args<ChangesQuery>,
) -> ApiResult<Json<MeetingEvents>> {
    Ok(Json(
        state.store.meeting_events(&user, id, query.after).await?,
    ))
}

/// A change to the running meeting: start (the facilitator), join and leave, the agenda
/// item and the timeline entry under discussion, tags, notes (with the facilitator's
/// redirects when they blame), decisions, factors and their whys, drafted action items
/// (refused with the reasons when they are wishes, unowned or undated), what is not done,
/// reflections, and the end, which writes the record into the postmortem.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/meeting/changes", tag = "meetings",
    params(PostmortemId), request_body = MeetingChange,
    responses((status = 201, description = "the change as the room sees it", body = MeetingEvent)))]
async fn change(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Body(change): Body<MeetingChange>,
) -> ApiResult<(StatusCode, Json<MeetingEvent>)> {
    let event = state.store.meeting_change(&user, id, change).await?;
    Ok((StatusCode::CREATED, Json(event)))
}

/// What the meeting would make of a change, without making it: the page asks as a note or
/// an action item is typed, so a wish is explained before it is sent and the scribe sees
/// that a note will bring the facilitator a redirect. Nothing is written.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/meeting/check", tag = "meetings",
    params(PostmortemId), request_body = MeetingChange,
    responses((status = 200, description = "whether it would be taken, and why not", body = MeetingCheck)))]
async fn check(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Body(change): Body<MeetingChange>,
) -> ApiResult<Json<MeetingCheck>> {
    Ok(Json(
        state.store.check_meeting_change(&user, id, change).await?,
    ))
}
