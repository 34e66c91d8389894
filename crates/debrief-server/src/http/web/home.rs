//! My work, and the Atom feed of what was published.

use super::memo::{Key, Weigh};
use super::{PageError, PageResult, Row, SITE, label, render, signed_in, viewer};
use crate::http::AppState;
use crate::http::respond;
use crate::store::Filters;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::IntoResponse;
use debrief_wire::api::Postmortem;
use debrief_wire::api::State as WorkflowState;

#[derive(Template)]
#[template(path = "web/home.html")]
struct HomePage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    mine: &'a [Row],
    waiting: &'a [Row],
    others: &'a [Row],
    published: &'a [Row],
    items: &'a [ItemRow],
    now: i64,
}

/// What my work lists, from the store; kept at its generation ([`super::memo`]).
struct Work {
    mine: Vec<Row>,
    waiting: Vec<Row>,
    others: Vec<Row>,
    published: Vec<Row>,
    items: Vec<ItemRow>,
}

impl Weigh for Work {
    fn bytes(&self) -> usize {
        self.mine.bytes()
            + self.waiting.bytes()
            + self.others.bytes()
            + self.published.bytes()
            + self.items.bytes()
    }
}

/// An open action item of mine, as the home page lists it.
struct ItemRow {
    postmortem_id: i64,
    postmortem_title: String,
    /// The item's text as HTML (it is one line of Markdown).
    html: String,
    due: String,
    overdue: bool,
    tracker: Option<String>,
}

impl Weigh for ItemRow {
    fn bytes(&self) -> usize {
        self.postmortem_title.len() + self.html.len() + self.due.len() + self.tracker.bytes()
    }
}

/// Action items the home page lists at most.
const ITEMS_LIMIT: i64 = 50;

/// Postmortems in progress the home page looks at, per state.
const HOME_LIMIT: i64 = 20;

/// My work: the postmortems in progress I take part in (facilitator, scribe, responder or
/// member), those still waiting for my function's contribution, the others in progress, and
/// what was published lately.
pub(super) async fn home(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let user = signed_in(&state, &headers, "/").await?;
    let generation = state.store.generation().await?;
    let today = state.store.clock().today();
    let key = Key::Home {
        viewer: user.id,
        today,
    };
    let work = state
        .pages
        .get_or_build(generation, key, work(&state, &user))
        .await?;
    Ok(render(&HomePage {
        title: "My work",
        site: SITE,
        user: Some(user),
        mine: &work.mine,
        waiting: &work.waiting,
        others: &work.others,
        published: &work.published,
        items: &work.items,
        now: state.store.clock().now(),
    })
    .into_response())
}

/// What my work lists for `user`, from the store.
async fn work(state: &AppState, user: &User) -> Result<Work, StoreError> {
    let in_progress = |involving: Option<i64>| {
        let filters = Filters {
            limit: HOME_LIMIT,
            involving,
            ..Filters::default()
        };
        async move { state.store.in_progress(user, &filters).await }
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
            user,
            &Filters {
                status: Some(WorkflowState::Published),
                limit: 10,
                ..Filters::default()
            },
        )
        .await?;
    let today = state.store.clock().today().to_string();
    let items = state
        .store
        .owned_action_items(user, ITEMS_LIMIT)
        .await?
        .into_iter()
        .map(|owned| {
            let item = owned.action_item;
            ItemRow {
                postmortem_id: owned.postmortem_id,
                postmortem_title: owned.postmortem_title,
                html: debrief_html::inline(&debrief_html::markdown(&item.text)).to_string(),
                overdue: item.due.as_ref().is_some_and(|due| *due < today),
                due: item.due.or(item.due_written).unwrap_or_default(),
                tracker: item.tracker,
            }
        })
        .collect();
    let rows = |list: Vec<Postmortem>| list.into_iter().map(|p| Row::of(p, None)).collect();
    Ok(Work {
        mine: rows(mine),
        waiting: rows(waiting),
        others: rows(others),
        published: rows(published),
        items,
    })
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
pub(super) async fn feed(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
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
    let feed = Feed {
        site: SITE,
        base: respond::base_url(&state.config, &headers),
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
