//! Comments on a postmortem, a section or a timeline entry, open or resolved.

use super::AppState;
use super::error::ApiResult;
use super::extract::{Body, Caller, Ids, PostmortemId};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use debrief_wire::api::{Comment, CommentPlace, CommentRequest, CommentState, Comments};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(comments, comment))
        .routes(routes!(set_state))
}

/// Every comment, oldest first, and the places of the current version a new one may be
/// attached to.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/comments", tag = "comments",
    params(PostmortemId),
    responses((status = 200, description = "the comments and the places", body = Comments)))]
async fn comments(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<Comments>> {
    let postmortem = state.store.postmortem(&user, id).await?;
    let comments = state.store.comments(&user, id).await?;
    let document = debrief_core::read(&postmortem.markdown).postmortem;
    let places = crate::comments::anchors(&document)
        .into_iter()
        .map(|a| CommentPlace {
            anchor: a.key,
            label: a.label,
        })
        .collect();
    Ok(Json(Comments { comments, places }))
}

/// Comment on the postmortem, a section or a timeline entry (`anchor`, one of the places).
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/comments", tag = "comments",
    params(PostmortemId), request_body = CommentRequest,
    responses((status = 201, description = "the comment", body = Comment)))]
async fn comment(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Body(request): Body<CommentRequest>,
) -> ApiResult<(StatusCode, Json<Comment>)> {
    let comment = state
        .store
        .comment(&user, id, &request.anchor, &request.body)
        .await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// `{id}/comments/{comment}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct CommentOf {
    /// The postmortem's id.
    id: i64,
    /// The comment's id.
    comment: i64,
}

/// Resolve a comment, or open it again.
#[utoipa::path(put, path = "/api/v1/postmortems/{id}/comments/{comment}", tag = "comments",
    params(CommentOf), request_body = CommentState,
    responses((status = 200, description = "the comment as it is now", body = Comment)))]
async fn set_state(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(CommentOf { id, comment }): Ids<CommentOf>,
    Body(request): Body<CommentState>,
) -> ApiResult<Json<Comment>> {
    let comment = state
        .store
        .resolve_comment(&user, id, comment, request.resolved)
        .await?;
    Ok(Json(comment))
}
