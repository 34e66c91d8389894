//! The list of postmortems: the API's filters, full-text search, pages.

use super::memo::{Key, Weigh};
use super::{PAGE_SIZE, PageResult, Row, SITE, day, label, render, signed_in};
use crate::http::AppState;
use crate::http::respond;
use crate::store::Filters;
use crate::store::Role;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::Query;
use axum::extract::State;
use axum::extract::rejection::QueryRejection;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use debrief_wire::api::State as WorkflowState;
use serde::Deserialize;

/// The list's filters, as the form sends them: empty fields are no filter.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
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
    team: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<u32>,
    /// `1`: only the results, for the search as you type.
    #[serde(default)]
    fragment: Option<String>,
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
            ("team", &self.team),
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
#[template(path = "web/list_results.html")]
struct ListResults<'a> {
    rows: &'a [Row],
    error: &'a Option<String>,
    previous: Option<String>,
    next: Option<String>,
    now: i64,
}

/// A page of the list or of a search's results, as a viewer sees it; kept at the store's
/// generation ([`super::memo`]).
struct Found {
    rows: Vec<Row>,
    /// Why the query was refused (its syntax), in place of results.
    refused: Option<String>,
}

impl Weigh for Found {
    fn bytes(&self) -> usize {
        self.rows.bytes() + self.refused.bytes()
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
    rows: &'a [Row],
    error: &'a Option<String>,
    previous: Option<String>,
    next: Option<String>,
    now: i64,
}

pub(super) async fn list(
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
        team: nonempty(&query.team),
        severity: nonempty(&query.severity),
        status: WorkflowState::ALL
            .into_iter()
            .find(|s| s.as_str() == query.status),
        offset: i64::from(page) * PAGE_SIZE,
        limit: PAGE_SIZE,
        involving: None,
    };
    let generation = state.store.generation().await?;
    let key = Key::List {
        viewer: (user.role != Role::Admin).then_some(user.id),
        address: query.at_page(page),
    };
    let found = state
        .pages
        .get_or_build(generation, key, find(&state, &user, &query.q, &filters))
        .await?;
    // A refused query is said rather than a date the form could not read.
    let error = if found.refused.is_some() {
        &found.refused
    } else {
        &error
    };
    let rows = &found.rows;
    let now = state.store.clock().now();
    let full = i64::try_from(rows.len()).unwrap_or(0) == PAGE_SIZE;
    if query.fragment.as_deref() == Some("1") {
        return Ok(render(&ListResults {
            previous: (page > 0).then(|| query.at_page(page - 1)),
            next: full.then(|| query.at_page(page + 1)),
            rows,
            error,
            now,
        })
        .into_response());
    }
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
        now,
    })
    .into_response())
}

/// The list's page, or the search's, from the store.
async fn find(
    state: &AppState,
    user: &User,
    q: &str,
    filters: &Filters,
) -> Result<Found, StoreError> {
    if q.trim().is_empty() {
        let rows = state.store.postmortems(user, filters).await?;
        return Ok(Found {
            rows: rows.into_iter().map(|p| Row::of(p, None)).collect(),
            refused: None,
        });
    }
    match state.store.search(user, q, filters).await {
        Ok(hits) => Ok(Found {
            rows: hits
                .into_iter()
                .map(|hit| Row::of(hit.postmortem, Some(hit.snippet)))
                .collect(),
            refused: None,
        }),
        Err(StoreError::Invalid(message)) => Ok(Found {
            rows: Vec::new(),
            refused: Some(message),
        }),
        Err(other) => Err(other),
    }
}
