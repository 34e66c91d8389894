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
use super::extract::{same_site, session_cookie};
use super::respond;
use crate::store::{StoreError, User};
use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use debrief_wire::api::{Fragment, Postmortem, State as WorkflowState};
use tower_http::set_header::SetResponseHeaderLayer;

mod account;
mod admin;
mod edit;
mod home;
mod list;
mod meeting;
pub(crate) mod memo;
mod new;
mod postmortem;
mod review;

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
        .route("/", get(home::home))
        .route("/login", get(account::login_page).post(account::login))
        .route("/logout", post(account::logout))
        .route("/setup", get(account::setup_page).post(account::setup))
        .route("/account", get(account::account))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens", post(account::create_token))
        .route("/account/reminders", post(account::set_reminders))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/postmortems", get(list::list))
        .route(
            "/postmortems/new",
            get(new::new_page).post(new::create_from_template),
        )
        .route("/postmortems/upload", post(new::create_from_file))
        .route("/postmortems/{id}", get(postmortem::postmortem))
        .route("/postmortems/{id}/step", post(postmortem::step))
        .route("/postmortems/{id}/assign", post(postmortem::assign))
        .route("/postmortems/{id}/contribute", post(postmortem::contribute))
        .route(
            "/postmortems/{id}/edit",
            get(edit::edit_page).post(edit::save),
        )
        .route("/postmortems/{id}/fix", post(postmortem::fix))
        .route("/postmortems/{id}/track", post(postmortem::track))
        .route(
            "/postmortems/{id}/proposals",
            post(postmortem::decide_proposal),
        )
        .route(
            "/postmortems/{id}/imports/slack",
            post(postmortem::import_slack).layer(axum::extract::DefaultBodyLimit::max(
                usize::try_from(crate::slack::MAX_EXPORT_BYTES).unwrap_or(usize::MAX) + (1 << 20),
            )),
        )
        .route("/postmortems/{id}/comments", post(postmortem::comment))
        .route(
            "/postmortems/{id}/comments/state",
            post(postmortem::comment_state),
        )
        .route("/postmortems/{id}/history", get(edit::history))
        .route(
            "/postmortems/{id}/meeting",
            get(meeting::meeting).post(meeting::schedule),
        )
        .route("/postmortems/{id}/meeting/change", post(meeting::change))
        .route("/postmortems/{id}/preview", post(edit::preview))
        .route(
            "/postmortems/{id}/evidence",
            post(postmortem::upload_evidence),
        )
        .route("/rules", get(rules))
        .route("/assets/app.css", get(stylesheet))
        .route("/assets/editor.js", get(editor_script))
        .route("/assets/search.js", get(search_script))
        .route("/assets/meeting.js", get(meeting_script))
        .route("/feed.atom", get(home::feed))
        .route("/review", get(review::review))
        .route("/admin", get(admin::admin))
        .route("/admin/users", post(admin::add_person))
        .route("/admin/people", post(admin::change_person))
        .route("/admin/jobs/retry", post(admin::retry_job))
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

/// A script file of the pages, cached for an hour like the stylesheet.
fn script(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn editor_script() -> Response {
    script(include_str!("../../../assets/editor.js"))
}

async fn search_script() -> Response {
    script(include_str!("../../../assets/search.js"))
}

async fn meeting_script() -> Response {
    script(include_str!("../../../assets/meeting.js"))
}

/// The one stylesheet: the shared base, the published site's (for the postmortem article),
/// then the pages' own.
const STYLESHEET: &str = concat!(
    include_str!("../../../../debrief-html/assets/base.css"),
    include_str!("../../../../debrief-site/assets/style.css"),
    // The review's styles hold inside its report only (CSS nesting), not on every table.
    ".review{",
    include_str!("../../../../debrief-review/assets/review.css"),
    "}",
    include_str!("../../../assets/app.css")
);

#[derive(Template)]
#[template(path = "web/message.html")]
struct MessagePage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    message: String,
}

/// The linter's rules, explained: public, since editors link findings here.
#[derive(Template)]
#[template(path = "web/rules.html")]
struct RulesPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    /// Each category: its anchor, its name, its rules.
    groups: Vec<(&'static str, &'static str, Vec<&'static debrief_lint::Rule>)>,
}

/// `/rules`: every rule with its explanation, under an anchor of its id.
async fn rules(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let groups = [
        (debrief_lint::Category::Blame, "Blame"),
        (debrief_lint::Category::ActionItem, "Action items"),
        (debrief_lint::Category::Structure, "Structure"),
    ]
    .into_iter()
    .map(|(category, heading)| {
        let rules = debrief_lint::RULES
            .iter()
            .filter(|r| r.category == category)
            .collect();
        (category.name(), heading, rules)
    })
    .collect();
    Ok(render(&RulesPage {
        title: "The linter's rules",
        site: SITE,
        user: viewer(&state, &headers).await?,
        groups,
    })
    .into_response())
}

/// A row of a list of postmortems.
struct Row {
    id: i64,
    title: String,
    state: &'static str,
    state_label: &'static str,
    restricted: bool,
    /// When facilitator and scribe were due, while they are still to be found before the
    /// meeting: the row says "overdue" past it ([`Row::overdue`]).
    due_at: Option<i64>,
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
            due_at: (before_meeting(postmortem.status)
                && (postmortem.assignment.facilitator.is_none()
                    || postmortem.assignment.scribe.is_none()))
            .then_some(postmortem.assignment.due_at),
            severity: postmortem.severity.unwrap_or_default(),
            date: postmortem.date.unwrap_or_default(),
            snippet,
        }
    }

    /// Whether facilitator and scribe are overdue at `now`. Rows are kept for as long as the
    /// store does not change ([`memo`]), the clock moves on regardless.
    fn overdue(&self, now: i64) -> bool {
        self.due_at.is_some_and(|due_at| now > due_at)
    }
}

impl memo::Weigh for Row {
    fn bytes(&self) -> usize {
        let snippet = self.snippet.as_ref().map_or(0, |parts| {
            parts.iter().map(|p| p.text.len() + 16).sum::<usize>()
        });
        self.title.len() + self.severity.len() + self.date.len() + snippet
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

/// Unix seconds as the pages show a moment: `2026-06-14 14:05 UTC`; nothing for a time
/// outside what a timestamp can hold.
fn utc(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// A postmortem as the site's `<article>`, its severity, services and tags linking to the
/// list filtered by them: the page shows it, and the editor's preview.
fn article(document: &debrief_core::Postmortem, id: i64) -> String {
    let doc = debrief_site::Doc {
        source: format!("/postmortems/{id}"),
        postmortem: document.clone(),
        analysis: debrief_core::analyse(document),
        images: Vec::new(),
        blame_free: None,
    };
    debrief_site::article(&doc, &|group, value| {
        let parameter = match group {
            "severities" => "severity",
            "services" => "service",
            _ => "tag",
        };
        format!(
            "/postmortems?{parameter}={}",
            respond::percent_encode(value)
        )
    })
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
