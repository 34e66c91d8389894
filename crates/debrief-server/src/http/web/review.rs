//! The quarterly review over the server's postmortems.

use super::{PageResult, SITE, day, render, signed_in};
use crate::http::AppState;
use crate::store::Filters;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::Query;
use axum::extract::State;
use axum::extract::rejection::QueryRejection;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde::Deserialize;

/// Postmortems a review reads at most: each is read and linted on the request.
const REVIEW_LIMIT: i64 = 500;

#[derive(Debug, Default, Deserialize)]
pub(super) struct ReviewQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    team: String,
}

#[derive(Template)]
#[template(path = "web/review.html")]
struct ReviewPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    from: &'a str,
    to: &'a str,
    team: &'a str,
    error: Option<String>,
    count: usize,
    capped: bool,
    body: String,
}

/// The quarterly review over the postmortems the caller may see, with the library and the
/// charts of `debrief review`; restricted ones count only for those who may read them.
pub(super) async fn review(
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
        team: Some(query.team.trim().to_string()).filter(|t| !t.is_empty()),
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
        team: &query.team,
        error,
        count: entries.len(),
        capped,
        body: debrief_review::html_body(&review),
    })
    .into_response())
}
