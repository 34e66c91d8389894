//! Operating the server and its people: health, metrics, this API's document, users, teams
//! and the audit log.

use super::AppState;
use super::error::ApiResult;
use super::extract::{Body, Caller, Ids};
use crate::NewUser;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use debrief_wire::api::{AuditEntry, Health, NewUserRequest, Role, Teams, User, UserChange};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(metrics))
        .routes(routes!(openapi))
        .routes(routes!(users, add_user))
        .routes(routes!(change_user))
        .routes(routes!(teams))
        .routes(routes!(audit_log))
}

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "both answer", body = Health)))]
async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
    }))
}

/// Request metrics in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "the metrics", content_type = "text/plain", body = String)))]
async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations",
    responses((status = 200, description = "the OpenAPI document", body = Object)))]
async fn openapi() -> Json<&'static Value> {
    Json(super::openapi::document())
}

/// Every user.
#[utoipa::path(get, path = "/api/v1/users", tag = "admin",
    responses((status = 200, description = "every user, by username", body = Vec<User>)))]
async fn users(State(state): State<AppState>, Caller(_): Caller) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(state.store.users().await?))
}

/// Add a user (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = NewUserRequest,
    responses((status = 201, description = "the new user", body = User)))]
async fn add_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(request): Body<NewUserRequest>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let user = state
        .store
        .add_user(
            &NewUser {
                username: &request.username,
                display_name: request.display_name.as_deref().unwrap_or(&request.username),
                function: &request.function,
                role: request.role.unwrap_or(Role::Contributor),
                password: &request.password,
                team: request.team.as_deref(),
            },
            Some(&actor),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// `{username}`: a person.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct Username {
    /// Their username.
    username: String,
}

/// Change a person's role, function or team, or deactivate or reactivate them (admins).
/// The last active admin stays one; nobody deactivates themselves.
#[utoipa::path(patch, path = "/api/v1/users/{username}", tag = "admin", params(Username),
    request_body = UserChange,
    responses((status = 200, description = "the person as they are now", body = User)))]
async fn change_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Ids(Username { username }): Ids<Username>,
    Body(change): Body<UserChange>,
) -> ApiResult<Json<User>> {
    Ok(Json(
        state.store.update_user(&actor, &username, &change).await?,
    ))
}

/// Every team, with the functions and usernames of its people.
#[utoipa::path(get, path = "/api/v1/teams", tag = "admin",
    responses((status = 200, description = "every team", body = Teams)))]
async fn teams(State(state): State<AppState>, Caller(_): Caller) -> ApiResult<Json<Teams>> {
    Ok(Json(Teams {
        teams: state.store.teams().await?,
    }))
}

/// The audit log (admins).
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin",
    responses((status = 200, description = "newest first", body = Vec<AuditEntry>)))]
async fn audit_log(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    Ok(Json(state.store.audit_log(&user).await?))
}
