//! Signing in and out, the signed-in user, and their API tokens.

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, ClientAddress, Ids, same_site, session_cookie};
use super::respond::{self, with_header};
use crate::store::Login;
use crate::store::reminders::{Channel, Person};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use debrief_wire::api::{
    LoginRequest, NewToken, NotificationSettings, OwnedActionItems, TokenRequest, Tokens, User,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login, logout))
        .routes(routes!(me))
        .routes(routes!(my_action_items))
        .routes(routes!(notifications, set_notifications))
        .routes(routes!(tokens, create_token))
        .routes(routes!(revoke_token))
}

/// Sign in: sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, description = "signed in; the cookie is set", body = User)))]
async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Body(request): Body<LoginRequest>,
) -> ApiResult<Response> {
    // Logging a victim into the attacker's account is an attack too: a login from another
    // site is refused like any cookie write.
    if headers.contains_key("sec-fetch-site") || headers.contains_key(header::ORIGIN) {
        same_site(&headers)?;
    }
    match state
        .store
        .login(&request.username, &request.password, address.as_deref())
        .await?
    {
        Login::Accepted(user, token) => {
            let secure = respond::secure_cookies(&state.config, &headers);
            let cookie = respond::session_cookie(&token, crate::store::SESSION_SECONDS, secure);
            with_header(Json(user).into_response(), header::SET_COOKIE, &cookie)
        }
        Login::Refused => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong username or password",
        )),
        Login::Throttled(seconds) => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many failed logins; try again in {seconds} seconds"),
        )
        .retry_after(seconds)),
    }
}

/// Sign out: ends the session and expires its cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    responses((status = 204, description = "signed out")))]
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Caller(_): Caller,
) -> ApiResult<Response> {
    if let Some(token) = session_cookie(&headers) {
        state.store.logout(token).await?;
    }
    with_header(
        StatusCode::NO_CONTENT.into_response(),
        header::SET_COOKIE,
        &respond::expired_session_cookie(),
    )
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, description = "the caller", body = User)))]
async fn me(Caller(user): Caller) -> Json<User> {
    Json(user)
}

/// The caller's open action items across the postmortems they may see (the owner written as
/// their username, their name or their team), the earliest due first.
#[utoipa::path(get, path = "/api/v1/me/action-items", tag = "accounts",
    responses((status = 200, description = "at most 500", body = OwnedActionItems)))]
async fn my_action_items(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<OwnedActionItems>> {
    let action_items = state.store.owned_action_items(&user, 500).await?;
    Ok(Json(OwnedActionItems { action_items }))
}

/// How the caller wants reminders and digests.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "accounts",
    responses((status = 200, description = "the channel, address and webhook", body = NotificationSettings)))]
async fn notifications(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<NotificationSettings>> {
    Ok(Json(settings(
        state.store.notification_settings(&user).await?,
    )))
}

/// Choose how reminders and digests reach the caller: e-mail (with an address), a Slack
/// webhook of one's own, or none.
#[utoipa::path(put, path = "/api/v1/me/notifications", tag = "accounts",
    request_body = NotificationSettings,
    responses((status = 200, description = "the settings as they are now", body = NotificationSettings)))]
async fn set_notifications(
    State(state): State<AppState>,
    Caller(user): Caller,
    Body(request): Body<NotificationSettings>,
) -> ApiResult<Json<NotificationSettings>> {
    let channel = Channel::parse(&request.channel).ok_or_else(|| {
        ApiError::bad_request(format!(
            "channel {:?} is not one of email, slack, none",
            request.channel
        ))
    })?;
    let person = state
        .store
        .set_notification_settings(
            &user,
            channel,
            request.email.as_deref(),
            request.slack_webhook.as_deref(),
        )
        .await?;
    Ok(Json(settings(person)))
}

fn settings(person: Person) -> NotificationSettings {
    NotificationSettings {
        channel: person.channel.as_str().to_string(),
        email: person.email,
        slack_webhook: person.slack_webhook,
    }
}

/// A new API token for the caller, shown once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, description = "the token; keep it, it is not shown again", body = NewToken)))]
async fn create_token(
    State(state): State<AppState>,
    Caller(user): Caller,
    Body(request): Body<TokenRequest>,
) -> ApiResult<(StatusCode, Json<NewToken>)> {
    let token = state.store.create_token(&user, &request.name).await?;
    Ok((StatusCode::CREATED, Json(NewToken { token })))
}

/// The caller's API tokens: names and dates, never the secrets.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts",
    responses((status = 200, description = "the caller's tokens", body = Tokens)))]
async fn tokens(State(state): State<AppState>, Caller(user): Caller) -> ApiResult<Json<Tokens>> {
    Ok(Json(Tokens {
        tokens: state.store.tokens(&user).await?,
    }))
}

/// Revoke one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "the token's id, from the list")),
    responses((status = 204, description = "revoked")))]
async fn revoke_token(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<StatusCode> {
    state.store.revoke_token(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
