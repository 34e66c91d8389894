//! The review workflow of one postmortem: where it stands, the steps between states,
//! facilitator and scribe, responders, and the members of a restricted one.

use super::AppState;
use super::error::ApiResult;
use super::extract::{Body, Caller, Ids, IfMatch, PostmortemId, based_on};
use super::respond::tagged;
use crate::store::Part;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use debrief_wire::api::{
    AssignRequest, MemberRequest, Members, Postmortem, Responders, RespondersRequest, Suggestion,
    TransitionRequest, WorkflowView,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(workflow))
        .routes(routes!(transition))
        .routes(routes!(assign_facilitator))
        .routes(routes!(assign_scribe))
        .routes(routes!(suggest_facilitator))
        .routes(routes!(responders, set_responders))
        .routes(routes!(members, add_member))
}

/// Where the postmortem stands, and what each next step still lacks; the ETag is its version.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/workflow", tag = "workflow",
    params(PostmortemId),
    responses((status = 200, description = "the workflow", body = WorkflowView)))]
async fn workflow(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Response> {
    let view = state.store.workflow(&user, id).await?;
    tagged(StatusCode::OK, view.version, &view)
}

/// Move to another state; refused with 422 and what is missing when a gate is not met.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/transitions", tag = "workflow",
    params(PostmortemId, IfMatch), request_body = TransitionRequest,
    responses((status = 200, description = "the postmortem in its new state", body = Postmortem)))]
async fn transition(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    headers: HeaderMap,
    Body(request): Body<TransitionRequest>,
) -> ApiResult<Response> {
    let based_on = based_on(&headers, request.version)?;
    let moved = state
        .store
        .transition(&user, id, based_on, request.to)
        .await?;
    tagged(StatusCode::OK, moved.version, &moved)
}

async fn assign(
    state: AppState,
    user: crate::User,
    id: i64,
    headers: &HeaderMap,
    request: AssignRequest,
    part: Part,
) -> ApiResult<Response> {
    let based_on = based_on(headers, request.version)?;
    let assigned = state
        .store
        .assign(&user, id, based_on, part, &request.username)
        .await?;
    tagged(StatusCode::OK, assigned.version, &assigned)
}

/// Assign the facilitator: not a responder, not the scribe.
#[utoipa::path(put, path = "/api/v1/postmortems/{id}/facilitator", tag = "workflow",
    params(PostmortemId, IfMatch), request_body = AssignRequest,
    responses((status = 200, description = "the postmortem with its facilitator", body = Postmortem)))]
async fn assign_facilitator(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    headers: HeaderMap,
    Body(request): Body<AssignRequest>,
) -> ApiResult<Response> {
    assign(state, user, id, &headers, request, Part::Facilitator).await
}

/// Assign the scribe: not the facilitator.
#[utoipa::path(put, path = "/api/v1/postmortems/{id}/scribe", tag = "workflow",
    params(PostmortemId, IfMatch), request_body = AssignRequest,
    responses((status = 200, description = "the postmortem with its scribe", body = Postmortem)))]
async fn assign_scribe(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    headers: HeaderMap,
    Body(request): Body<AssignRequest>,
) -> ApiResult<Response> {
    assign(state, user, id, &headers, request, Part::Scribe).await
}

/// Whom to ask to facilitate: the rotation's functions, least recent first, never a
/// responder.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/facilitator-suggestion", tag = "workflow",
    params(PostmortemId),
    responses((status = 200, description = "the suggestion and the ranking", body = Suggestion)))]
async fn suggest_facilitator(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<Suggestion>> {
    Ok(Json(state.store.suggest_facilitator(&user, id).await?))
}

/// The incident's responders.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/responders", tag = "workflow",
    params(PostmortemId),
    responses((status = 200, description = "usernames, sorted", body = Responders)))]
async fn responders(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<Responders>> {
    state.store.postmortem(&user, id).await?;
    let responders = state.store.responders(id).await?;
    Ok(Json(Responders { responders }))
}

/// Replace the responders; the facilitator may not be one.
#[utoipa::path(put, path = "/api/v1/postmortems/{id}/responders", tag = "workflow",
    params(PostmortemId), request_body = RespondersRequest,
    responses((status = 200, description = "the responders now", body = Responders)))]
async fn set_responders(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Body(request): Body<RespondersRequest>,
) -> ApiResult<Json<Responders>> {
    let responders = state
        .store
        .set_responders(&user, id, &request.usernames)
        .await?;
    Ok(Json(Responders { responders }))
}

/// Who may see the postmortem when it is restricted, besides admins.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/members", tag = "workflow",
    params(PostmortemId),
    responses((status = 200, description = "the members", body = Members)))]
async fn members(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<Members>> {
    let members = state.store.members(&user, id).await?;
    Ok(Json(Members { members }))
}

/// Add a member.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/members", tag = "workflow",
    params(PostmortemId), request_body = MemberRequest,
    responses((status = 204, description = "added")))]
async fn add_member(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Body(request): Body<MemberRequest>,
) -> ApiResult<StatusCode> {
    state.store.add_member(&user, id, &request.username).await?;
    Ok(StatusCode::NO_CONTENT)
}
