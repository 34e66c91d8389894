//! Incidents from the alerting: Alertmanager's and PagerDuty's webhooks, which open a draft
//! postmortem when an incident is resolved or add to the one open for it, and the timeline
//! entries imported records propose, accepted or dropped one by one.

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{Args, Body, Caller, Ids, PostmortemId};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use debrief_import::{alertmanager, pagerduty};
use debrief_wire::api::{
    DecideProposal, Decided, HookDelivery, ProposalList, SlackImportQuery, SlackImported,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(alertmanager_hook))
        .routes(routes!(pagerduty_hook))
        .routes(routes!(proposals))
        .routes(routes!(decide))
        .routes(routes!(import_slack))
}

/// How errors name a delivery: it has no file name.
const DELIVERY: &str = "the delivery";

/// An Alertmanager receiver's webhook (payload version 4). Alertmanager signs nothing, so
/// the receiver sends the token of `[hooks] alertmanager_token_env` as
/// `Authorization: Bearer …`; without it the delivery is 401 and changes nothing. Firing
/// alerts propose when the incident started; the resolution opens a draft postmortem with
/// every entry the incident has, or adds to the one open for it. A second delivery of the
/// same alerts changes nothing.
#[utoipa::path(post, path = "/api/v1/hooks/alertmanager", tag = "incidents",
    request_body(content = String, content_type = "application/json", description = "Alertmanager's webhook payload, version 4"),
    responses(
        (status = 200, description = "what the delivery did", body = HookDelivery),
        (status = 400, description = "the payload is not Alertmanager's version 4"),
        (status = 401, description = "the token is missing or wrong, or none is configured")))]
async fn alertmanager_hook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<HookDelivery>> {
    let hooks = &state.store.policy().hooks;
    if hooks.alertmanager_token_env.is_none() {
        return Err(refused(
            "Alertmanager's webhook is off: [hooks] alertmanager_token_env is not set",
        ));
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refused("the delivery has no Authorization header"))?;
    if !hooks.alertmanager_allows(authorization) {
        return Err(refused(
            "the Authorization header does not carry the configured token",
        ));
    }
    let delivery = alertmanager::read(&body, DELIVERY).map_err(bad_payload)?;
    Ok(Json(state.store.deliver(&delivery).await?))
}

/// A PagerDuty webhook (v3), checked against the subscription's secret in `[hooks]
/// pagerduty_secret_env` (`X-PagerDuty-Signature`, any `v1=` of it during a rotation)
/// before anything in it is read: a delivery that does not prove its sender is 401 and
/// changes nothing. `incident.triggered`, `acknowledged` and `resolved` propose those
/// milestones; the resolution opens a draft postmortem, or adds to the one open for the
/// incident. A second delivery of an event changes nothing; events about something else
/// than an incident (a ping) are answered and ignored.
#[utoipa::path(post, path = "/api/v1/hooks/pagerduty", tag = "incidents",
    request_body(content = String, content_type = "application/json", description = "PagerDuty's webhook payload, v3"),
    responses(
        (status = 200, description = "what the delivery did", body = HookDelivery),
        (status = 400, description = "the payload is not a PagerDuty v3 event"),
        (status = 401, description = "the signature is missing or wrong, or no secret is configured")))]
async fn pagerduty_hook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<HookDelivery>> {
    let Some(secret) = state.store.policy().hooks.pagerduty_secret() else {
        return Err(refused(
            "PagerDuty's webhook is off: [hooks] pagerduty_secret_env is not set",
        ));
    };
    let signature = headers
        .get("x-pagerduty-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refused("the delivery has no X-PagerDuty-Signature header"))?;
    if !pagerduty::verify(&body, signature, secret.as_bytes()) {
        return Err(refused(
            "the X-PagerDuty-Signature header does not match the delivery",
        ));
    }
    let Some(delivery) = pagerduty::read(&body, DELIVERY).map_err(bad_payload)? else {
        return Ok(Json(HookDelivery {
            incident_key: None,
            postmortem: None,
            opened: false,
            new_entries: 0,
            joined: 0,
            proposed: 0,
            held: 0,
        }));
    };
    Ok(Json(state.store.deliver(&delivery).await?))
}

fn refused(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, message)
}

fn bad_payload(error: debrief_import::Error) -> ApiError {
    ApiError::bad_request(error.to_string())
}

/// The timeline entries imported records propose for the postmortem, every state (proposed,
/// accepted, dropped), by the instant they are about.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/proposals", tag = "incidents",
    params(PostmortemId),
    responses((status = 200, description = "the proposals", body = ProposalList)))]
async fn proposals(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<ProposalList>> {
    let proposals = state.store.proposals(&user, id).await?;
    Ok(Json(ProposalList { proposals }))
}

/// `{id}/proposals/{proposal}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct ProposalOf {
    /// The postmortem's id.
    id: i64,
    /// The proposal's id.
    proposal: i64,
}

/// Accept a proposed entry into the timeline (a new version; a milestone it proposes is kept
/// only where the timeline has none of that kind) or drop it. Deciding twice is 409.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/proposals/{proposal}", tag = "incidents",
    params(ProposalOf), request_body = DecideProposal,
    responses(
        (status = 200, description = "the proposal, decided, and the postmortem's version", body = Decided),
        (status = 409, description = "it was accepted or dropped already")))]
async fn decide(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(ProposalOf { id, proposal }): Ids<ProposalOf>,
    Body(request): Body<DecideProposal>,
) -> ApiResult<Json<Decided>> {
    let decided = state
        .store
        .decide_proposal(&user, id, proposal, request.decision)
        .await?;
    Ok(Json(decided))
}

/// Import a Slack export (the ZIP, as the body): the channel's messages in the range, or
/// only those pinned or with a reaction, become proposed timeline entries at their own
/// instants, people written as roles (the roster's, else the role of the server's user they
/// are: their team and function), never their names. A message proposed before is not
/// proposed again. At most 1 GiB; read one day at a time.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/imports/slack", tag = "incidents",
    params(PostmortemId, SlackImportQuery),
    request_body(content = Vec<u8>, content_type = "application/zip",
        description = "the workspace export, as Slack makes it"),
    responses(
        (status = 200, description = "what was proposed", body = SlackImported),
        (status = 413, description = "the export is larger than 1 GiB"),
        (status = 422, description = "the export cannot be read, or the channel is not in it")))]
async fn import_slack(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Args(query): Args<SlackImportQuery>,
    body: axum::body::Body,
) -> ApiResult<Json<SlackImported>> {
    let request = crate::slack::Request::from_query(&query)
        .map_err(|message| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message))?;
    // Who may not change the postmortem is refused before the upload is kept.
    if user.role == crate::store::Role::Viewer {
        return Err(ApiError::forbidden(
            "a viewer cannot import into a postmortem",
        ));
    }
    state.store.postmortem(&user, id).await?;
    let file = crate::slack::spool(body.into_data_stream())
        .await
        .map_err(|error| match error {
            None => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the export is larger than the limit of {} bytes; export the incident's dates only",
                    crate::slack::MAX_EXPORT_BYTES
                ),
            ),
            Some(reason) => ApiError::bad_request(reason),
        })?;
    let imported = crate::slack::import(&state.store, &user, id, file.path(), &request).await?;
    Ok(Json(imported))
}
