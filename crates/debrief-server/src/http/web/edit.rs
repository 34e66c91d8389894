//! The editor (save on the version it was based on, the merge on a conflict) and the
//! version history with the difference between any two versions.

use super::{PageError, PageResult, Reading, SITE, Writing, lines_of, render};
use crate::http::AppState;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::Form;
use axum::extract::Query;
use axum::extract::State;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Redirect;
use serde::Deserialize;

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

pub(super) async fn edit_page(
    State(state): State<AppState>,
    Reading { user, id }: Reading,
) -> PageResult {
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
pub(super) struct EditForm {
    version: i64,
    markdown: String,
    #[serde(default)]
    note: String,
}

/// Saves the text, based on the version it was loaded at. When someone saved in between, the
/// text typed comes back untouched beside what they changed, now based on their version: it is
/// never lost.
pub(super) async fn save(
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
pub(super) struct CompareQuery {
    from: Option<i64>,
    to: Option<i64>,
}

/// Every version, and the difference between any two.
pub(super) async fn history(
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
