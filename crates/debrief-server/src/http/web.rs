//! The web UI: pages for people, rendered here with askama and readable without JavaScript.
//! They call the same use cases of the store as the API, as the signed-in user of the
//! session cookie.
//!
//! Security: every page is sent with a strict Content-Security-Policy (scripts only from this
//! server's own files, none inline, no inline style, nothing from elsewhere), so that even
//! Markdown that slipped past the sanitiser could not run; every form is a POST checked like
//! a cookie write of the API (`Sec-Fetch-Site`, or `Origin` naming this host); the `next` of a sign-in only ever leads
//! to a path of this site. A postmortem the viewer may not see is "not found", as in the API.

use super::AppState;
use super::extract::{ClientAddress, same_site, session_cookie};
use super::respond;
use crate::store::{Filters, Login, StoreError, User};
use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Form, FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use debrief_wire::api::{ContributionKind, Fragment, Postmortem, State as WorkflowState};
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

/// The name pages carry in their title and header.
const SITE: &str = "debrief";

/// Postmortems a list page shows.
const PAGE_SIZE: i64 = 50;

/// What a page may load: its stylesheet, images and this server's own script files (the
/// editor's live lint); no inline script, no eval, no frames, forms only to here.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; \
     style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// The pages and their stylesheet.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/setup", get(setup_page).post(setup))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/postmortems", get(list))
        .route("/postmortems/new", get(new_page).post(create_from_template))
        .route("/postmortems/upload", post(create_from_file))
        .route("/postmortems/{id}", get(postmortem))
        .route("/postmortems/{id}/step", post(step))
        .route("/postmortems/{id}/assign", post(assign))
        .route("/postmortems/{id}/contribute", post(contribute))
        .route("/postmortems/{id}/edit", get(edit_page).post(save))
        .route("/postmortems/{id}/fix", post(fix))
        .route("/postmortems/{id}/history", get(history))
        .route("/postmortems/{id}/evidence", post(upload_evidence))
        .route("/assets/app.css", get(stylesheet))
        .route("/assets/editor.js", get(editor_script))
        .route("/feed.atom", get(feed))
        .route("/review", get(review))
        .route("/admin", get(admin))
        .route("/admin/users", post(add_person))
        .route("/admin/role", post(change_role))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// Why a page is not shown.
#[derive(Debug)]
enum PageError {
    /// Not signed in: to the sign-in page, then back to this path.
    SignIn(String),
    /// No such page, or one the viewer may not see.
    NotFound,
    /// A form that did not come from this site.
    CrossSite,
    /// The store failed or cannot be reached.
    Store(StoreError),
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => PageError::NotFound,
            error => PageError::Store(error),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            PageError::SignIn(next) => {
                let target = format!("/login?next={}", respond::percent_encode(&next));
                return Redirect::to(&target).into_response();
            }
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Not found",
                "There is no such page, or you may not see it.".to_string(),
            ),
            PageError::CrossSite => (
                StatusCode::FORBIDDEN,
                "Refused",
                "This form was sent from another site; send it from debrief's own page."
                    .to_string(),
            ),
            PageError::Store(StoreError::Unavailable(error)) => {
                tracing::warn!(%error, "a page could not reach the store");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Unavailable",
                    "The database cannot be reached just now; try again in a moment.".to_string(),
                )
            }
            PageError::Store(StoreError::Invalid(message)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Not accepted", message)
            }
            PageError::Store(StoreError::Forbidden(message)) => {
                (StatusCode::FORBIDDEN, "Not allowed", message)
            }
            PageError::Store(error) => {
                tracing::error!(%error, "a page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The page could not be made; the server's log says why.".to_string(),
                )
            }
        };
        let page = MessagePage {
            title,
            site: SITE,
            user: None,
            message,
        };
        (status, render(&page)).into_response()
    }
}

type PageResult = Result<Response, PageError>;

/// A page as HTML. Templates write into a String and every value they print displays, so
/// rendering cannot fail; should it ever, the page says so.
fn render(page: &impl Template) -> Html<String> {
    Html(page.render().unwrap_or_else(|error| {
        tracing::error!(%error, "a template failed");
        "<!DOCTYPE html>\n<p>This page could not be written.</p>\n".to_string()
    }))
}

/// The signed-in user of the session cookie, if any.
async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Option<User>, PageError> {
    match session_cookie(headers) {
        Some(token) => Ok(state.store.user_by_session(token).await?),
        None => Ok(None),
    }
}

/// The signed-in user, or a trip to the sign-in page and back to `path`.
async fn signed_in(state: &AppState, headers: &HeaderMap, path: &str) -> Result<User, PageError> {
    viewer(state, headers)
        .await?
        .ok_or_else(|| PageError::SignIn(path.to_string()))
}

/// `response` with the session cookie of `token`: a redirect after signing in.
fn signed_in_at(mut response: Response, token: &str, secure: bool) -> Response {
    let cookie = respond::session_cookie(token, crate::store::SESSION_SECONDS, secure);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The signed-in user reading postmortem `{id}` of the path; signed out, a trip to the
/// sign-in page and back here. An id that is not a number is no such page.
struct Reading {
    user: User,
    id: i64,
}

impl FromRequestParts<AppState> for Reading {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        let id = postmortem_id(parts, state).await?;
        let user = signed_in(state, &parts.headers, &here).await?;
        Ok(Reading { user, id })
    }
}

/// The signed-in user sending a form about postmortem `{id}` of the path, checked like every
/// cookie write; signed out, a trip to the sign-in page and back to the postmortem.
struct Writing {
    user: User,
    id: i64,
}

impl FromRequestParts<AppState> for Writing {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        same_site(&parts.headers).map_err(|_| PageError::CrossSite)?;
        let id = postmortem_id(parts, state).await?;
        let user = signed_in(state, &parts.headers, &format!("/postmortems/{id}")).await?;
        Ok(Writing { user, id })
    }
}

/// The `{id}` of the path, a number, or no such page.
async fn postmortem_id(parts: &mut Parts, state: &AppState) -> Result<i64, PageError> {
    let Path(id) = Path::<String>::from_request_parts(parts, state)
        .await
        .map_err(|_| PageError::NotFound)?;
    id.parse().map_err(|_| PageError::NotFound)
}

/// A `next` that stays on this site: a path, never `//host` or a URL.
fn local_path(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local { next } else { "/" }
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

async fn editor_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/editor.js"),
    )
        .into_response()
}

/// The one stylesheet: the shared base, the published site's (for the postmortem article),
/// then the pages' own.
const STYLESHEET: &str = concat!(
    include_str!("../../../debrief-html/assets/base.css"),
    include_str!("../../../debrief-site/assets/style.css"),
    // The review's styles hold inside its report only (CSS nesting), not on every table.
    ".review{",
    include_str!("../../../debrief-review/assets/review.css"),
    "}",
    include_str!("../../assets/app.css")
);

#[derive(Template)]
#[template(path = "web/message.html")]
struct MessagePage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    message: String,
}

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
struct NextQuery {
    next: Option<String>,
}

async fn login_page(
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
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
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

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
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
struct TokenQuery {
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

async fn setup_page(State(state): State<AppState>, Query(query): Query<TokenQuery>) -> PageResult {
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
struct SetupForm {
    token: String,
    username: String,
    function: String,
    password: String,
}

/// Creates the first admin and signs them in.
async fn setup(
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
            created: jiff::Timestamp::from_second(t.created_at)
                .map(|at| at.strftime("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default(),
        })
        .collect();
    let page = AccountPage {
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

async fn account(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let user = signed_in(&state, &headers, "/account").await?;
    account_page(&state, user, StatusCode::OK, None, None, None).await
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
}

async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in(&state, &headers, "/account").await?;
    let session = session_cookie(&headers);
    match state
        .store
        .change_password(&user, &form.current, &form.new, session)
        .await
    {
        Ok(()) => {
            let notice = Some("Your password is changed; other sessions are signed out.");
            account_page(&state, user, StatusCode::OK, None, notice, None).await
        }
        Err(StoreError::Invalid(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            account_page(&state, user, status, None, None, Some(message)).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    name: String,
}

async fn create_token(
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

async fn revoke_token(
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

/// A row of a list of postmortems.
struct Row {
    id: i64,
    title: String,
    state: &'static str,
    state_label: &'static str,
    restricted: bool,
    overdue: bool,
    severity: String,
    date: String,
    snippet: Option<Vec<Fragment>>,
}

impl Row {
    fn of(postmortem: Postmortem, snippet: Option<Vec<Fragment>>) -> Row {
        Row {
            id: postmortem.id,
            title: postmortem.title,
            state: postmortem.status.as_str(),
            state_label: label(postmortem.status),
            restricted: postmortem.restricted,
            overdue: postmortem.assignment.overdue && before_meeting(postmortem.status),
            severity: postmortem.severity.unwrap_or_default(),
            date: postmortem.date.unwrap_or_default(),
            snippet,
        }
    }
}

/// Whether facilitator and scribe are still to be found: once the meeting is held, an
/// assignment past its clock is history, not work.
fn before_meeting(state: WorkflowState) -> bool {
    matches!(state, WorkflowState::Draft | WorkflowState::InReview)
}

/// A workflow state as people read it.
fn label(state: WorkflowState) -> &'static str {
    match state {
        WorkflowState::Draft => "draft",
        WorkflowState::InReview => "in review",
        WorkflowState::Reviewed => "reviewed",
        WorkflowState::Published => "published",
        WorkflowState::Closed => "closed",
    }
}

#[derive(Template)]
#[template(path = "web/home.html")]
struct HomePage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    mine: Vec<Row>,
    waiting: Vec<Row>,
    others: Vec<Row>,
    published: Vec<Row>,
}

/// Postmortems in progress the home page looks at, per state.
const HOME_LIMIT: i64 = 20;

/// My work: the postmortems in progress I take part in (facilitator, scribe, responder or
/// member), those still waiting for my function's contribution, the others in progress, and
/// what was published lately.
async fn home(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let user = signed_in(&state, &headers, "/").await?;
    let in_progress = |involving: Option<i64>| {
        let state = &state;
        let user = &user;
        async move {
            let mut found = Vec::new();
            for status in [
                WorkflowState::Draft,
                WorkflowState::InReview,
                WorkflowState::Reviewed,
            ] {
                let filters = Filters {
                    status: Some(status),
                    limit: HOME_LIMIT,
                    involving,
                    ..Filters::default()
                };
                found.extend(state.store.postmortems(user, &filters).await?);
            }
            found.sort_by_key(|p| std::cmp::Reverse(p.updated_at));
            Ok::<_, StoreError>(found)
        }
    };
    let mine = in_progress(Some(user.id)).await?;
    let rest: Vec<Postmortem> = in_progress(None)
        .await?
        .into_iter()
        .filter(|p| !mine.iter().any(|m| m.id == p.id))
        .collect();
    // Waiting for my function: it is required, and has not contributed yet.
    let required = state
        .store
        .policy()
        .workflow
        .required_roles
        .iter()
        .any(|role| role.eq_ignore_ascii_case(&user.function));
    let contributed = if required {
        let ids: Vec<i64> = rest.iter().map(|p| p.id).collect();
        state
            .store
            .contributed_by_function(&ids, &user.function)
            .await?
    } else {
        Vec::new()
    };
    let (waiting, others): (Vec<Postmortem>, Vec<Postmortem>) = rest
        .into_iter()
        .partition(|p| required && !contributed.contains(&p.id));
    let published = state
        .store
        .postmortems(
            &user,
            &Filters {
                status: Some(WorkflowState::Published),
                limit: 10,
                ..Filters::default()
            },
        )
        .await?;
    let rows = |list: Vec<Postmortem>| list.into_iter().map(|p| Row::of(p, None)).collect();
    Ok(render(&HomePage {
        title: "My work",
        site: SITE,
        user: Some(user),
        mine: rows(mine),
        waiting: rows(waiting),
        others: rows(others),
        published: rows(published),
    })
    .into_response())
}

/// An entry of the feed.
struct FeedEntry {
    id: i64,
    title: String,
    updated: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "web/feed.atom", escape = "html")]
struct Feed<'a> {
    site: &'a str,
    base: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

/// Unix seconds as RFC 3339, for the feed.
fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}

/// The Atom feed of what the caller may see that was published (or closed since), newest
/// change first. Feed readers send no cookie: a bearer token works too.
async fn feed(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let user = match bearer {
        Some(token) => state.store.user_by_token(token.trim()).await?,
        None => viewer(&state, &headers).await?,
    };
    let Some(user) = user else {
        return Ok((
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "sign in, or send an API token as Authorization: Bearer",
        )
            .into_response());
    };
    let mut published = Vec::new();
    for status in [WorkflowState::Published, WorkflowState::Closed] {
        let filters = Filters {
            status: Some(status),
            limit: 50,
            ..Filters::default()
        };
        published.extend(state.store.postmortems(&user, &filters).await?);
    }
    published.sort_by_key(|p| std::cmp::Reverse(p.updated_at));
    published.truncate(50);
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if respond::secure_cookies(&state.config, &headers) {
        "https"
    } else {
        "http"
    };
    let feed = Feed {
        site: SITE,
        base: format!("{scheme}://{host}"),
        updated: rfc3339(published.first().map_or(0, |p| p.updated_at)),
        entries: published
            .into_iter()
            .map(|p| FeedEntry {
                summary: format!(
                    "{} · {}{}",
                    label(p.status),
                    p.date.as_deref().unwrap_or("undated"),
                    p.severity
                        .as_deref()
                        .map(|s| format!(" · {s}"))
                        .unwrap_or_default()
                ),
                id: p.id,
                title: p.title,
                updated: rfc3339(p.updated_at),
            })
            .collect(),
    };
    let body = feed.render().map_err(|error| {
        tracing::error!(%error, "the feed template failed");
        PageError::NotFound
    })?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// A day typed in a date field; an empty field is none, and anything else that is not a day
/// sets `error`, naming the field.
fn day(text: &str, name: &str, error: &mut Option<String>) -> Option<jiff::civil::Date> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let parsed = text.parse().ok();
    if parsed.is_none() {
        *error = Some(format!("{name} must be a day, as YYYY-MM-DD."));
    }
    parsed
}

/// Postmortems a review reads at most: each is read and linted on the request.
const REVIEW_LIMIT: i64 = 500;

#[derive(Debug, Default, Deserialize)]
struct ReviewQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "web/review.html")]
struct ReviewPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    from: &'a str,
    to: &'a str,
    error: Option<String>,
    count: usize,
    capped: bool,
    body: String,
}

/// The quarterly review over the postmortems the caller may see, with the library and the
/// charts of `debrief review`; restricted ones count only for those who may read them.
async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ReviewQuery>, QueryRejection>,
) -> PageResult {
    let user = signed_in(&state, &headers, "/review").await?;
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let today = state.store.clock().today();
    let mut error = None;
    let from = day(&query.from, "From", &mut error);
    let to = day(&query.to, "To", &mut error);
    let filters = Filters {
        from,
        to,
        limit: REVIEW_LIMIT,
        ..Filters::default()
    };
    let listed = state.store.postmortems(&user, &filters).await?;
    let capped = i64::try_from(listed.len()).unwrap_or(0) == REVIEW_LIMIT;
    let config = &state.store.policy().lint;
    let mut entries = Vec::with_capacity(listed.len());
    for summary in &listed {
        let postmortem = match state.store.postmortem(&user, summary.id).await {
            Ok(postmortem) => postmortem,
            // Deleted or restricted since the list: left out.
            Err(StoreError::NotFound) => continue,
            Err(other) => return Err(other.into()),
        };
        let linted = debrief_lint::lint(
            &postmortem.markdown,
            &debrief_lint::Options::new(config, today),
        );
        entries.push(debrief_review::Entry::new(
            format!("/postmortems/{}", postmortem.id),
            &linted.read.postmortem,
            &linted.read.analysis,
            Some(linted.is_blame_free()),
        ));
    }
    let review = debrief_review::review(&entries, &debrief_review::Options { from, to, today });
    Ok(render(&ReviewPage {
        title: "Quarterly review",
        site: SITE,
        user: Some(user),
        from: &query.from,
        to: &query.to,
        error,
        count: entries.len(),
        capped,
        body: debrief_review::html_body(&review),
    })
    .into_response())
}

/// A person as the admin page lists them.
struct Person {
    username: String,
    function: String,
    team: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "web/admin.html")]
struct AdminPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    people: Vec<Person>,
    roles: Vec<&'static str>,
    required: Vec<String>,
    rotation: Vec<String>,
    window_hours: i64,
    audit: Vec<(String, String, String, String)>,
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
        })
        .collect();
    let audit = state
        .store
        .latest_audit(&user, 100)
        .await?
        .into_iter()
        .map(|e| {
            let when = jiff::Timestamp::from_second(e.at)
                .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
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
        roles: crate::store::Role::ALL.iter().map(|r| r.as_str()).collect(),
        required: settings.required_roles.clone(),
        rotation: settings.rotation.clone(),
        window_hours: settings.assignment_window_s / 3600,
        audit,
        notice,
        error,
        user: Some(user),
    };
    Ok((status, render(&page)).into_response())
}

async fn admin(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let user = signed_in_admin(&state, &headers).await?;
    admin_page(&state, user, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
struct PersonForm {
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

async fn add_person(
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
struct RoleForm {
    username: String,
    role: String,
}

async fn change_role(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<RoleForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in_admin(&state, &headers).await?;
    let result = async {
        let role = parse_role(&form.role)?;
        let changed = state.store.set_role(&user, &form.username, role).await?;
        Ok(format!("{} is now {}.", changed.username, role.as_str()))
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

/// The list's filters, as the form sends them: empty fields are no filter.
#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<u32>,
}

impl ListQuery {
    /// This list at another page.
    fn at_page(&self, page: u32) -> String {
        let mut href = String::from("/postmortems?");
        for (name, value) in [
            ("q", &self.q),
            ("status", &self.status),
            ("severity", &self.severity),
            ("service", &self.service),
            ("tag", &self.tag),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.is_empty() {
                href.push_str(&format!("{name}={}&", respond::percent_encode(value)));
            }
        }
        href.push_str(&format!("page={page}"));
        href
    }
}

#[derive(Template)]
#[template(path = "web/list.html")]
struct ListPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    query: ListQuery,
    states: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    error: Option<String>,
    previous: Option<String>,
    next: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> PageResult {
    let user = signed_in(&state, &headers, "/postmortems").await?;
    // A query string the form never sends is shown as no filter rather than refused.
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let page = query.page.unwrap_or(0).min(10_000);
    let nonempty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let mut error = None;
    let from = day(&query.from, "From", &mut error);
    let to = day(&query.to, "To", &mut error);
    let filters = Filters {
        from,
        to,
        service: nonempty(&query.service),
        tag: nonempty(&query.tag),
        severity: nonempty(&query.severity),
        status: WorkflowState::ALL
            .into_iter()
            .find(|s| s.as_str() == query.status),
        offset: i64::from(page) * PAGE_SIZE,
        limit: PAGE_SIZE,
        involving: None,
    };
    let rows: Vec<Row> = if query.q.trim().is_empty() {
        state
            .store
            .postmortems(&user, &filters)
            .await?
            .into_iter()
            .map(|p| Row::of(p, None))
            .collect()
    } else {
        match state.store.search(&user, &query.q, &filters).await {
            Ok(hits) => hits
                .into_iter()
                .map(|hit| Row::of(hit.postmortem, Some(hit.snippet)))
                .collect(),
            Err(StoreError::Invalid(message)) => {
                error = Some(message);
                Vec::new()
            }
            Err(other) => return Err(other.into()),
        }
    };
    let full = i64::try_from(rows.len()).unwrap_or(0) == PAGE_SIZE;
    Ok(render(&ListPage {
        title: "Postmortems",
        site: SITE,
        user: Some(user),
        previous: (page > 0).then(|| query.at_page(page - 1)),
        next: full.then(|| query.at_page(page + 1)),
        query,
        states: WorkflowState::ALL
            .into_iter()
            .map(|s| (s.as_str(), label(s)))
            .collect(),
        rows,
        error,
    })
    .into_response())
}

#[derive(Template)]
#[template(path = "web/new.html")]
struct NewPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    date: String,
    severity: &'a str,
    error: Option<String>,
}

/// The new-postmortem page, again with what was typed and why it was refused.
fn new_page_with(
    user: User,
    status: StatusCode,
    form: &NewForm,
    error: Option<String>,
) -> Response {
    let page = NewPage {
        title: &form.title,
        site: SITE,
        user: Some(user),
        date: form.date.clone(),
        severity: &form.severity,
        error,
    };
    (status, render(&page)).into_response()
}

async fn new_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let user = signed_in(&state, &headers, "/postmortems/new").await?;
    let form = NewForm {
        title: String::new(),
        date: state.store.clock().today().to_string(),
        severity: String::new(),
    };
    Ok(new_page_with(user, StatusCode::OK, &form, None))
}

#[derive(Debug, Deserialize)]
struct NewForm {
    title: String,
    date: String,
    #[serde(default)]
    severity: String,
}

/// A postmortem from the template: title, date and severity filled in.
async fn create_from_template(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<NewForm>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in(&state, &headers, "/postmortems/new").await?;
    let title = form.title.trim();
    let refuse = |message: &str| {
        Ok(new_page_with(
            user.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            Some(message.to_string()),
        ))
    };
    if title.is_empty() || title.contains(['\n', '\r']) {
        return refuse("The title must be one line of text.");
    }
    let Ok(date) = form.date.trim().parse::<jiff::civil::Date>() else {
        return refuse("The date must be a day, as YYYY-MM-DD.");
    };
    let severity = Some(form.severity.trim().to_string()).filter(|s| !s.is_empty());
    let markdown = debrief_core::write(&debrief_core::template::template(title, date, severity));
    created(&state, user, &markdown, |user, message| {
        new_page_with(user, StatusCode::UNPROCESSABLE_ENTITY, &form, Some(message))
    })
    .await
}

/// A postmortem from an uploaded Markdown file (the form's `file` field).
async fn create_from_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    same_site(&headers).map_err(|_| PageError::CrossSite)?;
    let user = signed_in(&state, &headers, "/postmortems/new").await?;
    let form = NewForm {
        title: String::new(),
        date: state.store.clock().today().to_string(),
        severity: String::new(),
    };
    let refuse = |user: User, message: String| {
        new_page_with(user, StatusCode::UNPROCESSABLE_ENTITY, &form, Some(message))
    };
    let mut file = None;
    if let Ok(mut multipart) = multipart {
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some("file") {
                file = Some(field.bytes().await);
                break;
            }
        }
    }
    let bytes = match file {
        Some(Ok(bytes)) if !bytes.is_empty() => bytes,
        Some(Err(error)) => {
            return Ok(refuse(
                user,
                format!("The file could not be read: {error}."),
            ));
        }
        _ => return Ok(refuse(user, "Choose a Markdown file to upload.".into())),
    };
    let Ok(markdown) = std::str::from_utf8(&bytes) else {
        return Ok(refuse(
            user,
            "The file is not UTF-8 text; save it as UTF-8 and upload it again.".into(),
        ));
    };
    created(&state, user, markdown, refuse).await
}

/// Creates the postmortem and goes to its page; a document the store refuses (too large,
/// unreadable front matter) comes back to the form with the reason.
async fn created(
    state: &AppState,
    user: User,
    markdown: &str,
    refuse: impl FnOnce(User, String) -> Response,
) -> PageResult {
    match state.store.create_postmortem(&user, markdown).await {
        Ok(postmortem) => {
            Ok(Redirect::to(&format!("/postmortems/{}", postmortem.id)).into_response())
        }
        Err(StoreError::Invalid(message)) => Ok(refuse(user, message)),
        Err(other) => Err(other.into()),
    }
}

/// A lint finding as the page lists it, with its rule's explanation and its safe fix.
struct FindingRow {
    rule: &'static str,
    line: u32,
    message: String,
    suggestion: Option<String>,
    explanation: Option<&'static debrief_lint::Rule>,
    /// Where the fix applies (a byte offset) and what it writes.
    fix: Option<(usize, String)>,
}

#[derive(Template)]
#[template(path = "web/postmortem.html")]
struct PostmortemPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    id: i64,
    writer: bool,
    state: &'static str,
    state_label: &'static str,
    version: i64,
    restricted: bool,
    facilitator: Option<String>,
    scribe: Option<String>,
    overdue: bool,
    due: Option<String>,
    suggestion: Option<String>,
    candidates: Vec<Candidate>,
    gates: Vec<GateView>,
    responders: Vec<String>,
    required: Vec<String>,
    missing_roles: Vec<String>,
    outcome: Outcome,
    article: String,
    findings: Vec<FindingRow>,
    contributions: Vec<(String, Vec<ContributionView>)>,
    kinds: Vec<&'static str>,
}

/// A contribution as the page shows it.
struct ContributionView {
    kind: &'static str,
    author: String,
    when: Option<String>,
    html: String,
    url: Option<String>,
    file: Option<(String, String)>,
}

async fn postmortem(State(state): State<AppState>, Reading { user, id }: Reading) -> PageResult {
    postmortem_page(&state, user, id, StatusCode::OK, Outcome::default()).await
}

/// What a step taken on the page left to say.
#[derive(Debug, Default)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
    missing: Vec<String>,
}

/// A step of the workflow the page offers.
struct GateView {
    to: &'static str,
    label: &'static str,
    missing: Vec<String>,
}

/// A person the page offers for a part, and whether the rotation suggests them.
struct Candidate {
    username: String,
    function: String,
    suggested: bool,
}

/// A postmortem's page: the workflow, then the document and its findings.
async fn postmortem_page(
    state: &AppState,
    user: User,
    id: i64,
    status: StatusCode,
    outcome: Outcome,
) -> PageResult {
    let postmortem = state.store.postmortem(&user, id).await?;
    let workflow = state.store.workflow(&user, id).await?;
    let writer = user.role != crate::store::Role::Viewer;
    // The rotation's suggestion only matters while there is no facilitator.
    let suggestion = if writer
        && before_meeting(postmortem.status)
        && postmortem.assignment.facilitator.is_none()
    {
        Some(state.store.suggest_facilitator(&user, id).await?)
    } else {
        None
    };
    let suggested = suggestion
        .as_ref()
        .and_then(|s| s.suggested.as_ref())
        .map(|r| (r.username.clone(), r.reason.clone()));
    let candidates = if writer {
        state
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| Candidate {
                suggested: suggested
                    .as_ref()
                    .is_some_and(|(name, _)| *name == u.username),
                username: u.username,
                function: u.function,
            })
            .collect()
    } else {
        Vec::new()
    };
    let now = state.store.clock().now();
    let due = if before_meeting(postmortem.status)
        && (postmortem.assignment.facilitator.is_none() || postmortem.assignment.scribe.is_none())
    {
        let left = postmortem.assignment.due_at - now;
        Some(if left >= 0 {
            format!("facilitator and scribe due within {}", span(left))
        } else {
            format!("facilitator and scribe overdue by {}", span(-left))
        })
    } else {
        None
    };
    let config = &state.store.policy().lint;
    let today = state.store.clock().today();
    let linted = debrief_lint::lint(
        &postmortem.markdown,
        &debrief_lint::Options::new(config, today),
    );
    let findings = linted
        .findings
        .iter()
        .map(|f| FindingRow {
            rule: f.diagnostic.rule.as_str(),
            line: f.diagnostic.span.line,
            message: f.diagnostic.message.clone(),
            suggestion: f.diagnostic.suggestion.clone(),
            explanation: debrief_lint::rule(f.diagnostic.rule),
            fix: f.fix.clone().map(|text| (f.range.start, text)),
        })
        .collect();
    let analysis = debrief_core::analyse(&linted.read.postmortem);
    let doc = debrief_site::Doc {
        source: format!("/postmortems/{id}"),
        postmortem: linted.read.postmortem.clone(),
        analysis,
        images: Vec::new(),
        blame_free: None,
    };
    let article = debrief_site::article(&doc, &|group, value| {
        let parameter = match group {
            "severities" => "severity",
            "services" => "service",
            _ => "tag",
        };
        format!(
            "/postmortems?{parameter}={}",
            respond::percent_encode(value)
        )
    });
    let mut contributions: Vec<(String, Vec<ContributionView>)> = Vec::new();
    for c in state.store.contributions(&user, id).await? {
        let view = ContributionView {
            kind: c.kind.as_str(),
            author: c.author,
            when: c.happened_at.and_then(|at| {
                jiff::Timestamp::from_second(at)
                    .ok()
                    .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
            }),
            html: debrief_html::markdown(&c.body),
            url: c.url,
            file: c.file.map(|f| {
                let href = format!("/api/v1/postmortems/{id}/contributions/{}/file", c.id);
                (href, format!("{} ({} bytes)", f.name, f.size))
            }),
        };
        match contributions.iter_mut().find(|(f, _)| *f == c.function) {
            Some((_, list)) => list.push(view),
            None => contributions.push((c.function, vec![view])),
        }
    }
    let page = PostmortemPage {
        title: &postmortem.title,
        site: SITE,
        id,
        writer,
        state: postmortem.status.as_str(),
        state_label: label(postmortem.status),
        version: postmortem.version,
        restricted: postmortem.restricted,
        facilitator: postmortem.assignment.facilitator.clone(),
        scribe: postmortem.assignment.scribe.clone(),
        overdue: postmortem.assignment.overdue && before_meeting(postmortem.status),
        due,
        suggestion: suggested.map(|(name, reason)| format!("{name}: {reason}")),
        candidates,
        gates: workflow
            .next
            .into_iter()
            .map(|gate| GateView {
                to: gate.to.as_str(),
                label: label(gate.to),
                missing: gate.missing,
            })
            .collect(),
        responders: workflow.responders,
        required: workflow.roles.required,
        missing_roles: workflow.roles.missing,
        outcome,
        article,
        findings,
        contributions,
        kinds: ContributionKind::ALL.iter().map(|k| k.as_str()).collect(),
        user: Some(user),
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Debug, Deserialize)]
struct StepForm {
    to: String,
    version: i64,
}

/// A workflow step from the page: taken, or refused with everything that is missing.
async fn step(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<StepForm>,
) -> PageResult {
    let Some(to) = WorkflowState::ALL
        .into_iter()
        .find(|s| s.as_str() == form.to)
    else {
        let error = Some(format!("There is no state {:?}.", form.to));
        let outcome = Outcome {
            error,
            ..Outcome::default()
        };
        return postmortem_page(&state, user, id, StatusCode::UNPROCESSABLE_ENTITY, outcome).await;
    };
    let result = state.store.transition(&user, id, form.version, to).await;
    let notice = format!("Moved to {}.", label(to));
    answer_step(&state, user, id, result.map(|_| notice)).await
}

#[derive(Debug, Deserialize)]
struct AssignForm {
    part: String,
    username: String,
    version: i64,
}

/// Facilitator or scribe, from the page.
async fn assign(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<AssignForm>,
) -> PageResult {
    let part = match form.part.as_str() {
        "facilitator" => crate::workflow::Part::Facilitator,
        "scribe" => crate::workflow::Part::Scribe,
        _ => return Err(PageError::NotFound),
    };
    let result = state
        .store
        .assign(&user, id, form.version, part, &form.username)
        .await;
    let notice = format!("{} is the {}.", form.username, form.part);
    answer_step(&state, user, id, result.map(|_| notice)).await
}

#[derive(Debug, Deserialize)]
struct ContributeForm {
    kind: String,
    #[serde(default)]
    text: String,
    /// A timeline entry's instant, as `datetime-local` sends it (`2026-06-14T14:05`), in UTC.
    #[serde(default)]
    at: String,
    #[serde(default)]
    url: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    anonymous: Option<String>,
}

/// A contribution as the caller's function: a timeline entry, an observation, impact, or a
/// link as evidence.
async fn contribute(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<ContributeForm>,
) -> PageResult {
    let refused = |message: String| Err(StoreError::Invalid(message));
    let Some(kind) = ContributionKind::ALL
        .into_iter()
        .find(|k| k.as_str() == form.kind)
    else {
        return answer_step(
            &state,
            user,
            id,
            refused(format!("There is no kind {:?}.", form.kind)),
        )
        .await;
    };
    let at = form.at.trim();
    let happened_at = if at.is_empty() {
        None
    } else {
        match at.parse::<jiff::civil::DateTime>() {
            Ok(local) => local
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp().as_second()),
            Err(_) => {
                let message = "The time must be a date and a time (2026-06-14T14:05).".to_string();
                return answer_step(&state, user, id, refused(message)).await;
            }
        }
    };
    let url = Some(form.url.trim()).filter(|u| !u.is_empty());
    let new = crate::store::NewContribution {
        kind,
        body: &form.text,
        happened_at,
        url,
        anonymous: form.anonymous.is_some(),
        file: None,
    };
    let result = state.store.contribute(&user, id, &new).await;
    let notice = format!("Your {} is added.", kind.as_str());
    answer_step(&state, user, id, result.map(|_| notice)).await
}

/// Evidence uploaded from the page: the form's `file`, with its `text`.
async fn upload_evidence(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let (mut text, mut file) = (String::new(), None);
    if let Ok(mut multipart) = multipart {
        while let Ok(Some(field)) = multipart.next_field().await {
            match field.name() {
                Some("text") => text = field.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = field.file_name().unwrap_or("evidence").to_string();
                    let media_type = field
                        .content_type()
                        .unwrap_or("application/octet-stream")
                        .to_string();
                    if let Ok(bytes) = field.bytes().await {
                        file = Some((name, media_type, bytes));
                    }
                }
                _ => {}
            }
        }
    }
    let Some((name, media_type, bytes)) = file else {
        let message = "Choose a file to upload as evidence.".to_string();
        return answer_step(&state, user, id, Err(StoreError::Invalid(message))).await;
    };
    let new = crate::store::NewContribution {
        kind: ContributionKind::Evidence,
        body: &text,
        happened_at: None,
        url: None,
        anonymous: false,
        file: Some(crate::store::Upload {
            name: &name,
            media_type: &media_type,
            content: &bytes,
        }),
    };
    let result = state.store.contribute(&user, id, &new).await;
    answer_step(
        &state,
        user,
        id,
        result.map(|_| format!("{name} is added as evidence.")),
    )
    .await
}

/// Lines of a unified diff with the class that colours them.
fn diff_lines(unified: &str) -> Vec<(&'static str, String)> {
    unified
        .lines()
        .filter(|line| !line.starts_with("+++") && !line.starts_with("---"))
        .map(|line| {
            let class = match line.as_bytes().first() {
                Some(b'+') => "added",
                Some(b'-') => "removed",
                Some(b'@') => "hunk",
                _ => "same",
            };
            (class, line.to_string())
        })
        .collect()
}

#[derive(Template)]
#[template(path = "web/edit.html")]
struct EditPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    id: i64,
    version: i64,
    markdown: &'a str,
    note: &'a str,
    error: Option<String>,
    /// On a conflict: what the other save changed.
    theirs: Option<Vec<(&'static str, String)>>,
}

async fn edit_page(State(state): State<AppState>, Reading { user, id }: Reading) -> PageResult {
    let postmortem = state.store.postmortem(&user, id).await?;
    Ok(render(&EditPage {
        title: &postmortem.title,
        site: SITE,
        user: Some(user),
        id,
        version: postmortem.version,
        markdown: &postmortem.markdown,
        note: "",
        error: None,
        theirs: None,
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
struct EditForm {
    version: i64,
    markdown: String,
    #[serde(default)]
    note: String,
}

/// Saves the text, based on the version it was loaded at. When someone saved in between, the
/// text typed comes back untouched beside what they changed, now based on their version: it is
/// never lost.
async fn save(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<EditForm>,
) -> PageResult {
    let result = state
        .store
        .update_postmortem(&user, id, form.version, &form.markdown, &form.note)
        .await;
    let (status, error, theirs, version) = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/postmortems/{id}")).into_response()),
        Err(StoreError::Conflict { based_on, current }) => {
            let diff = state.store.diff(&user, id, based_on, current).await?;
            (
                StatusCode::CONFLICT,
                None,
                Some(diff_lines(&diff.unified)),
                current,
            )
        }
        Err(StoreError::Invalid(message) | StoreError::Forbidden(message)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
            None,
            form.version,
        ),
        Err(other) => return Err(other.into()),
    };
    let postmortem = state.store.postmortem(&user, id).await?;
    let page = EditPage {
        title: &postmortem.title,
        site: SITE,
        user: Some(user),
        id,
        version,
        markdown: &form.markdown,
        note: &form.note,
        error,
        theirs,
    };
    Ok((status, render(&page)).into_response())
}

/// A span of seconds as the 48-hour clock reads: hours up to two days, then days.
fn span(seconds: i64) -> String {
    let hours = seconds / 3600;
    if hours < 48 {
        format!("{hours} h")
    } else {
        format!("{} days", hours / 24)
    }
}

/// "1 line", "3 lines".
fn lines_of(n: usize) -> String {
    if n == 1 {
        "1 line".to_string()
    } else {
        format!("{n} lines")
    }
}

/// A version as the history lists it.
struct VersionRow {
    version: i64,
    author: String,
    when: String,
    note: String,
}

#[derive(Template)]
#[template(path = "web/history.html")]
struct HistoryPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    id: i64,
    versions: Vec<VersionRow>,
    from: i64,
    to: i64,
    summary: Option<String>,
    lines: Vec<(&'static str, String)>,
}

#[derive(Debug, Deserialize)]
struct CompareQuery {
    from: Option<i64>,
    to: Option<i64>,
}

/// Every version, and the difference between any two.
async fn history(
    State(state): State<AppState>,
    Reading { user, id }: Reading,
    query: Result<Query<CompareQuery>, QueryRejection>,
) -> PageResult {
    let postmortem = state.store.postmortem(&user, id).await?;
    let versions = state.store.history(&user, id).await?;
    let query = query.map(|Query(q)| q).unwrap_or(CompareQuery {
        from: None,
        to: None,
    });
    let latest = postmortem.version;
    let to = query.to.unwrap_or(latest);
    let from = query.from.unwrap_or((latest - 1).max(1));
    let (summary, lines) = match (query.from, query.to) {
        (Some(_), Some(_)) => match state.store.diff(&user, id, from, to).await {
            Ok(diff) => (
                Some(format!(
                    "From version {from} to {to}: {} added, {} removed.",
                    lines_of(diff.added),
                    lines_of(diff.removed)
                )),
                diff_lines(&diff.unified),
            ),
            Err(StoreError::NotFound) => return Err(PageError::NotFound),
            Err(StoreError::Invalid(message)) => (Some(message), Vec::new()),
            Err(other) => return Err(other.into()),
        },
        _ => (None, Vec::new()),
    };
    Ok(render(&HistoryPage {
        title: &postmortem.title,
        site: SITE,
        user: Some(user),
        id,
        versions: versions
            .into_iter()
            .map(|v| VersionRow {
                version: v.version,
                author: v.author,
                when: jiff::Timestamp::from_second(v.created_at)
                    .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default(),
                note: v.note,
            })
            .collect(),
        from,
        to,
        summary,
        lines,
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
struct FixForm {
    version: i64,
    rule: String,
    start: usize,
}

/// Applies one finding's safe fix as a new version, if the text is still the one it was
/// found in.
async fn fix(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<FixForm>,
) -> PageResult {
    let postmortem = state.store.postmortem(&user, id).await?;
    if postmortem.version != form.version {
        let conflict = StoreError::Conflict {
            based_on: form.version,
            current: postmortem.version,
        };
        return answer_step(&state, user, id, Err(conflict)).await;
    }
    let config = &state.store.policy().lint;
    let today = state.store.clock().today();
    let linted = debrief_lint::lint(
        &postmortem.markdown,
        &debrief_lint::Options::new(config, today),
    );
    let found = linted.findings.iter().find(|f| {
        f.diagnostic.rule.as_str() == form.rule && f.range.start == form.start && f.fix.is_some()
    });
    let Some(finding) = found else {
        let gone = StoreError::Invalid("That finding has no fix any more.".into());
        return answer_step(&state, user, id, Err(gone)).await;
    };
    let mut text = linted.text.clone();
    let replacement = finding.fix.clone().unwrap_or_default();
    let before = text[finding.range.clone()].to_string();
    text.replace_range(finding.range.clone(), &replacement);
    let note = format!(
        "lint fix ({}): \u{201c}{before}\u{201d} \u{2192} \u{201c}{replacement}\u{201d}",
        form.rule
    );
    let result = state
        .store
        .update_postmortem(&user, id, form.version, &text, &note)
        .await;
    answer_step(
        &state,
        user,
        id,
        result.map(|_| format!("Fixed: {before} \u{2192} {replacement}.")),
    )
    .await
}

/// The page after a step: its notice, or why it was refused.
async fn answer_step(
    state: &AppState,
    user: User,
    id: i64,
    result: Result<String, StoreError>,
) -> PageResult {
    let (status, outcome) = match result {
        Ok(notice) => (
            StatusCode::OK,
            Outcome {
                notice: Some(notice),
                ..Outcome::default()
            },
        ),
        Err(StoreError::Refused(refusal)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                error: Some(refusal.message),
                missing: refusal.missing,
                ..Outcome::default()
            },
        ),
        Err(StoreError::Conflict { current, .. }) => (
            StatusCode::CONFLICT,
            Outcome {
                error: Some(format!(
                    "The postmortem changed while you read it (now version {current}); look again and retry."
                )),
                ..Outcome::default()
            },
        ),
        Err(StoreError::Invalid(message) | StoreError::Forbidden(message)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                error: Some(message),
                ..Outcome::default()
            },
        ),
        Err(other) => return Err(other.into()),
    };
    postmortem_page(state, user, id, status, outcome).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_reads_hours_then_days() {
        assert_eq!(span(3 * 3600 + 59), "3 h");
        assert_eq!(span(47 * 3600), "47 h");
        assert_eq!(span(4122 * 3600), "171 days");
    }

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(local_path("/postmortems/3"), "/postmortems/3");
        for outside in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "evil",
            "",
        ] {
            assert_eq!(local_path(outside), "/", "{outside}");
        }
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            respond::percent_encode("a b&c=d/é"),
            "a%20b%26c%3Dd%2F%C3%A9"
        );
    }
}
