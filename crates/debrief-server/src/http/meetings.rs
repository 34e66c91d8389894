//! A postmortem's review meeting: scheduled, then run as a log of changes that every
//! participant reads after the last one they saw.

use super::AppState;
use super::error::ApiResult;
use super::extract::{Args, Body, Caller, Ids, PostmortemId};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use debrief_wire::api::{
    ChangesQuery, Meeting, MeetingChange, MeetingEvent, MeetingEvents, MeetingRequest,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(meeting, schedule))
        .routes(routes!(changes, change))
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
