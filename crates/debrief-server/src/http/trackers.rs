//! Action items and their trackers: a tracker's webhook, which brings an issue's state back,
//! and the "send this item to the tracker now" of one item.

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{Caller, Ids};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use debrief_trackers::webhooks;
use debrief_wire::api::{Delivered, Tracking};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(hook))
        .routes(routes!(track))
}

/// `{tracker}`: a tracker's name in `debrief.toml`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct TrackerName {
    /// The tracker's name, the `NAME` of `[trackers.NAME]`.
    tracker: String,
}

/// A tracker's webhook: GitHub (`X-Hub-Signature-256`), GitLab (`X-Gitlab-Token`) or Jira
/// (`X-Hub-Signature`), checked against the secret in the tracker's `webhook_secret_env`
/// before anything in it is read. A delivery that does not prove its sender is 401 and
/// changes nothing; one about an issue that action items refer to writes its state, owner
/// and due date back.
#[utoipa::path(post, path = "/api/v1/hooks/trackers/{tracker}", tag = "trackers",
    params(TrackerName), request_body(content = String, content_type = "application/json", description = "the tracker's delivery, as it sends it"),
    responses(
        (status = 200, description = "what the delivery changed", body = Delivered),
        (status = 401, description = "the signature or token is missing or wrong"),
        (status = 404, description = "no such tracker")))]
async fn hook(
    State(state): State<AppState>,
    Ids(TrackerName { tracker }): Ids<TrackerName>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Delivered>> {
    let config = state
        .store
        .policy()
        .trackers
        .named(&tracker)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no tracker called {tracker:?} is configured"),
            )
        })?
        .clone();
    let refused = |message: &str| ApiError::new(StatusCode::UNAUTHORIZED, message);
    let Some(secret) = config.webhook_secret() else {
        return Err(refused(
            "this tracker takes no webhooks: its webhook_secret_env is not set",
        ));
    };
    let header = webhooks::signature_header(config.kind);
    let proof = headers
        .get(header)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refused(&format!("the delivery has no {header} header")))?;
    if !webhooks::verify(config.kind, &secret, &body, proof) {
        return Err(refused(&format!(
            "the {header} header does not match the delivery"
        )));
    }
    let Some(event) = webhooks::event(&config, &body).map_err(ApiError::bad_request)? else {
        return Ok(Json(Delivered {
            changed: 0,
            issue: false,
        }));
    };
    let changed = crate::tracking::apply(&state.store, &config, &event).await?;
    Ok(Json(Delivered {
        changed,
        issue: true,
    }))
}

/// `{id}/action-items/{item}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct ItemOf {
    /// The postmortem's id.
    id: i64,
    /// The item's number, 1 for the first, in document order.
    item: usize,
}

/// Creates the issue of one action item now, whatever the postmortem's state: the job runs
/// on the queue, and the reference is written back into the postmortem as a new version.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/action-items/{item}/track", tag = "trackers",
    params(ItemOf),
    responses((status = 202, description = "the issue will be created", body = Tracking)))]
async fn track(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(ItemOf { id, item }): Ids<ItemOf>,
) -> ApiResult<(StatusCode, Json<Tracking>)> {
    let position = item.checked_sub(1).ok_or_else(ApiError::not_found)?;
    let tracker = state.store.track_item(&user, id, position).await?;
    Ok((StatusCode::ACCEPTED, Json(Tracking { tracker })))
}
