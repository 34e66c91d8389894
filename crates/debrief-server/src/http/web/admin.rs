//! Administration: people (added, changed, deactivated), teams, the effective settings, the
//! audit log.

use super::{PageError, PageResult, SITE, render, signed_in, utc};
use crate::http::AppState;
use crate::http::extract::same_site;
use crate::http::extract::session_cookie;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Redirect;
use serde::Deserialize;

/// A person as the admin page lists them.
struct Person {
    username: String,
    function: String,
    team: String,
    role: &'static str,
    active: bool,
}

#[derive(Template)]
#[template(path = "web/admin.html")]
struct AdminPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    people: Vec<Person>,
    teams: Vec<crate::store::Team>,
    roles: Vec<&'static str>,
    required: Vec<String>,
    rotation: Vec<String>,
    window_hours: i64,
    /// Each tracker as configured: never its token, only whether its variable is set.
    trackers: Vec<String>,
    /// How reminders go out, or that they are off.
    reminders: String,
    audit: Vec<(String, String, String, String)>,
    /// Jobs that failed for good: kind, key, attempts, last error, id.
    dead: Vec<crate::store::Job>,
    notice: Option<String>,
    error: Option<String>,
}

/// The signed-in admin; anybody else finds no such page.
async fn signed_in_admin(state: &AppState, headers: &HeaderMap) -> Result<User, PageError> {
    let user = signed_in(state, headers, "/admin").await?;
    if user.role == crate::store::Role::Admin {
        Ok(user)
    } else {
        Err(PageError::NotFound)
    }
}

async fn admin_page(
    state: &AppState,
    user: User,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let people = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| Person {
            username: u.username,
            function: u.function,
            team: u.team.unwrap_or_default(),
            role: u.role.as_str(),
            active: u.active,
        })
        .collect();
    let audit = state
        .store
        .latest_audit(&user, 100)
        .await?
        .into_iter()
        .map(|e| {
            let when = utc(e.at);
            // The command line, or an anonymous contribution.
            let actor = e.actor.unwrap_or_else(|| "not named".into());
            (when, actor, e.action, e.target)
        })
        .collect();
    let settings = &state.store.policy().workflow;
    let page = AdminPage {
        title: "Administration",
        site: SITE,
        people,
        teams: state.store.teams().await?,
        dead: state.store.dead_jobs(&user).await?,
        roles: crate::store::Role::ALL.iter().map(|r| r.as_str()).collect(),
        required: settings.required_roles.clone(),
        rotation: settings.rotation.clone(),
        window_hours: settings.assignment_window_s / 3600,
        trackers: trackers_in_effect(&state.store.policy().trackers),
        reminders: reminders_in_effect(&state.store.policy().notify),
        audit,
        notice,
        error,
        user: Some(user),
    };
    Ok((status, render(&page)).into_response())
}

pub(super) async fn admin(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let user = signed_in_admin(&state, &headers).await?;
    admin_page(&state, user, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub(super) struct PersonForm {
    username: String,
    function: String,
    #[serde(default)]
    team: String,
    role: String,
    password: String,
}

/// A role by name, or the store's refusal naming it.
fn parse_role(name: &str) -> Result<crate::store::Role, StoreError> {
    crate::store::Role::parse(name)
        .ok_or_else(|| StoreError::Invalid(format!("There is no role {name:?}.")))
}

/// The admin page after an action: its notice, or why it was refused.
async fn admin_after(
    state: &AppState,
    user: User,
    result: Result<String, StoreError>,
) -> PageResult {
    match result {
        Ok(notice) => admin_page(state, user, StatusCode::OK, Some(notice), None).await,
        Err(StoreError::Invalid(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            admin_page(state, user, status, None, Some(message)).await
        }
        Err(other) => Err(other.into()),
    }
}

pub(super) async fn add_person(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PersonForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in_admin(&state, &headers).await?;
    let result = async {
        let username = form.username.trim();
        let new = crate::store::NewUser {
            username,
            display_name: username,
            function: &form.function,
            role: parse_role(&form.role)?,
            password: &form.password,
            team: Some(form.team.trim()).filter(|t| !t.is_empty()),
        };
        let added = state.store.add_user(&new, Some(&user)).await?;
        Ok(format!("{} can sign in now.", added.username))
    }
    .await;
    admin_after(&state, user, result).await
}

#[derive(Debug, Deserialize)]
pub(super) struct RetryForm {
    job: i64,
}

/// Queues a dead job again.
pub(super) async fn retry_job(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<RetryForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in_admin(&state, &headers).await?;
    let result = match state.store.retry_job(&user, form.job).await {
        Ok(()) => Ok("The job is queued again; it runs at the next turn.".to_string()),
        Err(StoreError::NotFound) => Err(StoreError::Invalid(
            "That job is not dead any more: it was retried already.".into(),
        )),
        Err(other) => Err(other),
    };
    admin_after(&state, user, result).await
}

#[derive(Debug, Deserialize)]
pub(super) struct ChangeForm {
    username: String,
    role: String,
    function: String,
    #[serde(default)]
    team: String,
    /// `yes` or `no`.
    active: String,
}

/// A person's role, function, team, and whether they may sign in.
pub(super) async fn change_person(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ChangeForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in_admin(&state, &headers).await?;
    let result = async {
        let change = crate::store::UserChange {
            role: Some(parse_role(&form.role)?),
            function: Some(form.function.clone()),
            team: Some(form.team.clone()),
            active: Some(form.active == "yes"),
        };
        let changed = state
            .store
            .update_user(&user, &form.username, &change)
            .await?;
        let state = if changed.active {
            "active"
        } else {
            "deactivated: signed out everywhere, and sign-ins and API tokens are refused"
        };
        Ok(format!(
            "{} is {}, {}{}; {state}.",
            changed.username,
            changed.role.as_str(),
            changed.function,
            changed
                .team
                .as_deref()
                .map(|t| format!(" in {t}"))
                .unwrap_or_default()
        ))
    }
    .await;
    // An admin who made themselves something else sees the page no more.
    let me = match session_cookie(&headers) {
        Some(session) => state.store.user_by_session(session).await?,
        None => None,
    };
    match me {
        Some(me) if me.role == crate::store::Role::Admin => admin_after(&state, me, result).await,
        _ if result.is_ok() => Ok(Redirect::to("/").into_response()),
        _ => admin_after(&state, user, result).await,
    }
}

/// One line per tracker: its name, kind, project, whether it is the default, and whether
/// its token's and its webhook secret's variables are set (never their values).
fn trackers_in_effect(trackers: &debrief_trackers::Trackers) -> Vec<String> {
    trackers
        .trackers
        .iter()
        .map(|t| {
            let token = if t.token().is_ok() { "set" } else { "NOT SET" };
            let hooks = match (&t.webhook_secret_env, t.webhook_secret()) {
                (Some(_), Some(_)) => format!("webhooks at /api/v1/hooks/trackers/{}", t.name),
                (Some(name), None) => format!("webhooks off: {name} is not set"),
                (None, _) => "webhooks off (no webhook_secret_env)".to_string(),
            };
            format!(
                "{}: {} {} at {}{}; token in {} ({token}); {hooks}",
                t.name,
                t.kind.as_str(),
                t.project,
                t.url,
                if t.default { ", the default" } else { "" },
                t.token_env,
            )
        })
        .collect()
}

/// How reminders go out: the mail server without its credentials, the digest's period.
fn reminders_in_effect(notify: &crate::notify::NotifyConfig) -> String {
    if !notify.enabled() {
        return "off: no [notify] in debrief.toml".to_string();
    }
    let mut ways = Vec::new();
    if let Some(url) = &notify.smtp_url {
        // smtp://user:password@host: the part before @ is nobody's business here.
        let shown = match url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                format!("{scheme}://{host}")
            }
            None => url.clone(),
        };
        ways.push(format!("e-mail through {shown} from {}", notify.from));
    }
    if notify.org_webhook().is_some() {
        ways.push("the organisation's Slack webhook".to_string());
    }
    let digest = match notify.digest {
        crate::notify::Digest::Daily => "daily",
        crate::notify::Digest::Weekly => "weekly",
    };
    format!("{}; digest {digest}", ways.join(" and "))
}
