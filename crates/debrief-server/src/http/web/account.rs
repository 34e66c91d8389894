//! Signing in and out, the first run's setup, and the account page: password and API tokens.

use super::{
    PageError, PageResult, SITE, local_path, render, signed_in, signed_in_at, utc, viewer,
};
use crate::http::AppState;
use crate::http::extract::ClientAddress;
use crate::http::extract::same_site;
use crate::http::extract::session_cookie;
use crate::http::respond;
use crate::store::Login;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::Form;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::IntoResponse;
use axum::response::Redirect;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "web/login.html")]
struct LoginPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    next: &'a str,
    username: &'a str,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct NextQuery {
    next: Option<String>,
}

pub(super) async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> PageResult {
    let next = local_path(query.next.as_deref().unwrap_or("/"));
    if viewer(&state, &headers).await?.is_some() {
        return Ok(Redirect::to(next).into_response());
    }
    Ok(render(&LoginPage {
        title: "Sign in",
        site: SITE,
        user: None,
        next,
        username: "",
        error: None,
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub(super) async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> PageResult {
    // Signing a victim into the attacker's account is an attack too.
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let next = local_path(&form.next);
    let refused = |status: StatusCode, error: String| {
        let page = LoginPage {
            title: "Sign in",
            site: SITE,
            user: None,
            next,
            username: &form.username,
            error: Some(error),
        };
        (status, render(&page)).into_response()
    };
    match state
        .store
        .login(&form.username, &form.password, address.as_deref())
        .await?
    {
        Login::Accepted(_, token) => {
            let secure = respond::secure_cookies(&state.config, &headers);
            Ok(signed_in_at(
                Redirect::to(next).into_response(),
                &token,
                secure,
            ))
        }
        Login::Refused => Ok(refused(
            StatusCode::UNAUTHORIZED,
            "Wrong username or password.".into(),
        )),
        Login::Throttled(seconds) => Ok(refused(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many failed sign-ins; try again in {seconds} seconds."),
        )),
    }
}

pub(super) async fn logout(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    if let Some(token) = session_cookie(&headers) {
        state.store.logout(token).await?;
    }
    let mut response = Redirect::to("/login").into_response();
    if let Ok(value) = HeaderValue::from_str(&respond::expired_session_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "web/setup.html")]
struct SetupPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    token: &'a str,
    username: &'a str,
    function: &'a str,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// Whether `given` is the server's setup token, compared in constant time, and the store
/// still has no account. The page does not exist otherwise.
async fn setup_open(state: &AppState, given: &str) -> Result<(), PageError> {
    let Some(token) = &state.setup_token else {
        return Err(PageError::NotFound);
    };
    let (a, b) = (token.as_bytes(), given.as_bytes());
    let same = a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0;
    if !same || state.store.has_users().await? {
        return Err(PageError::NotFound);
    }
    Ok(())
}

pub(super) async fn setup_page(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
) -> PageResult {
    setup_open(&state, &query.token).await?;
    Ok(render(&SetupPage {
        title: "Set up debrief",
        site: SITE,
        user: None,
        token: &query.token,
        username: "",
        function: "SRE",
        error: None,
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct SetupForm {
    token: String,
    username: String,
    function: String,
    password: String,
}

/// Creates the first admin and signs them in.
pub(super) async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Form(form): Form<SetupForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    setup_open(&state, &form.token).await?;
    let new = crate::store::NewUser {
        username: form.username.trim(),
        display_name: form.username.trim(),
        function: &form.function,
        role: crate::store::Role::Admin,
        password: &form.password,
        team: None,
    };
    match state.store.add_first_admin(&new).await {
        Ok(_) => {}
        Err(StoreError::Invalid(message)) => {
            let page = SetupPage {
                title: "Set up debrief",
                site: SITE,
                user: None,
                token: &form.token,
                username: &form.username,
                function: &form.function,
                error: Some(message),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
        }
        Err(StoreError::Forbidden(_)) => return Err(PageError::NotFound),
        Err(other) => return Err(other.into()),
    }
    match state
        .store
        .login(new.username, &form.password, address.as_deref())
        .await?
    {
        Login::Accepted(_, token) => {
            let secure = respond::secure_cookies(&state.config, &headers);
            Ok(signed_in_at(
                Redirect::to("/").into_response(),
                &token,
                secure,
            ))
        }
        _ => Ok(Redirect::to("/login").into_response()),
    }
}

/// A token as the account page lists it.
struct TokenRow {
    id: i64,
    name: String,
    created: String,
}

#[derive(Template)]
#[template(path = "web/account.html")]
struct AccountPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    role: &'static str,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    notice: Option<&'a str>,
    error: Option<String>,
    /// How reminders reach them: `email`, `slack` or `none`, the address, the webhook.
    channel: &'static str,
    email: String,
    slack_webhook: String,
}

/// The account page, with what the last action left to say.
async fn account_page(
    state: &AppState,
    user: User,
    status: StatusCode,
    new_token: Option<String>,
    notice: Option<&str>,
    error: Option<String>,
) -> PageResult {
    let tokens = state
        .store
        .tokens(&user)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: utc(t.created_at),
        })
        .collect();
    let reach = state.store.notification_settings(&user).await?;
    let page = AccountPage {
        channel: reach.channel.as_str(),
        email: reach.email.unwrap_or_default(),
        slack_webhook: reach.slack_webhook.unwrap_or_default(),
        title: "Your account",
        site: SITE,
        role: user.role.as_str(),
        user: Some(user),
        tokens,
        new_token,
        notice,
        error,
    };
    Ok((status, render(&page)).into_response())
}

pub(super) async fn account(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let user = signed_in(&state, &headers, "/account").await?;
    account_page(&state, user, StatusCode::OK, None, None, None).await
}

#[derive(Debug, Deserialize)]
pub(super) struct PasswordForm {
    current: String,
    new: String,
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in(&state, &headers, "/account").await?;
    let session = session_cookie(&headers);
    let result = state
        .store
        .change_password(&user, &form.current, &form.new, session)
        .await;
    let notice = "Your password is changed; other sessions are signed out.";
    answer_form(&state, user, result.map(|()| notice)).await
}

/// The account page after a form: its notice, or the reason it was refused (422); any
/// other failure is the store's.
async fn answer_form(state: &AppState, user: User, result: Result<&str, StoreError>) -> PageResult {
    match result {
        Ok(notice) => account_page(state, user, StatusCode::OK, None, Some(notice), None).await,
        Err(StoreError::Invalid(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            account_page(state, user, status, None, None, Some(message)).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct RemindersForm {
    channel: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    slack_webhook: String,
}

/// Chooses how reminders and digests reach the signed-in person.
pub(super) async fn set_reminders(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<RemindersForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in(&state, &headers, "/account").await?;
    let result = match crate::store::reminders::Channel::parse(&form.channel) {
        Some(channel) => state
            .store
            .set_notification_settings(
                &user,
                channel,
                Some(form.email.as_str()),
                Some(form.slack_webhook.as_str()),
            )
            .await
            .map(|_| "Your reminder settings are saved."),
        None => Err(StoreError::Invalid(
            "Choose e-mail, Slack or no reminders.".into(),
        )),
    };
    answer_form(&state, user, result).await
}

#[derive(Debug, Deserialize)]
pub(super) struct TokenForm {
    name: String,
}

pub(super) async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in(&state, &headers, "/account").await?;
    match state.store.create_token(&user, &form.name).await {
        Ok(token) => account_page(&state, user, StatusCode::CREATED, Some(token), None, None).await,
        Err(StoreError::Invalid(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            account_page(&state, user, status, None, None, Some(message)).await
        }
        Err(other) => Err(other.into()),
    }
}

pub(super) async fn revoke_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in(&state, &headers, "/account").await?;
    let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
    state.store.revoke_token(&user, id).await?;
    Ok(Redirect::to("/account").into_response())
}
