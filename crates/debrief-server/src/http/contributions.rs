//! Contributions from every role: timeline entries, observations, impact and evidence links.

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, Ids, PostmortemId};
use crate::store::NewContribution;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use debrief_wire::api::{Contribution, ContributionRequest, Contributions};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(contributions, contribute))
}

/// The contributions to a postmortem, oldest first.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/contributions", tag = "contributions",
    params(PostmortemId),
    responses((status = 200, description = "the contributions", body = Contributions)))]
async fn contributions(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<Contributions>> {
    let contributions = state.store.contributions(&user, id).await?;
    Ok(Json(Contributions { contributions }))
}

/// Contribute a timeline entry, an observation, impact or an evidence link, in the caller's
/// function.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/contributions", tag = "contributions",
    params(PostmortemId), request_body = ContributionRequest,
    responses((status = 201, description = "the contribution", body = Contribution)))]
async fn contribute(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Body(request): Body<ContributionRequest>,
) -> ApiResult<(StatusCode, Json<Contribution>)> {
    let happened_at = request
        .at
        .as_deref()
        .map(|text| {
            text.parse::<jiff::Timestamp>()
                .map(|t| t.as_second())
                .map_err(|e| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("`at` must be a time such as 2026-06-14T14:05:00Z: {e}"),
                    )
                })
        })
        .transpose()?;
    let contribution = state
        .store
        .contribute(
            &user,
            id,
            &NewContribution {
                kind: request.kind,
                body: &request.text,
                happened_at,
                url: request.url.as_deref(),
                file: None,
                anonymous: request.anonymous,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(contribution)))
}
