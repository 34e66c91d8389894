//! The editor (save on the version it was based on, the merge on a conflict) and the
//! version history with the difference between any two versions.

use super::{PageError, PageResult, Reading, SITE, Writing, article, lines_of, render, utc};
use crate::http::AppState;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::Form;
use axum::extract::Query;
use axum::extract::State;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::Redirect;
use axum::response::{Html, IntoResponse};
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
    conflict: Option<Conflict>,
    /// The text as it would read, when a preview was asked for.
    preview: Option<String>,
    /// Every rule, for the live list's explanations.
    rules: &'static [debrief_lint::Rule],
}

/// A save that came too late: someone saved in between.
struct Conflict {
    /// Their version, now the one to base a save on.
    current: i64,
    /// What they changed, against the version this edit started from.
    theirs: Vec<(&'static str, String)>,
    /// What this edit changed, against the same version.
    mine: Vec<(&'static str, String)>,
    /// Both changes together, when they touch different lines: the editor holds it, and the
    /// text typed is shown apart, whole.
    merged: Option<String>,
    /// The text as typed.
    typed: String,
    /// When both changed the same lines: the merge with both sides marked, for reference.
    overlapping: Option<String>,
}

impl<'a> EditPage<'a> {
    fn new(title: &'a str, user: User, id: i64, version: i64, markdown: &'a str) -> Self {
        EditPage {
            title,
            site: SITE,
            user: Some(user),
            id,
            version,
            markdown,
            note: "",
            error: None,
            conflict: None,
            preview: None,
            rules: debrief_lint::RULES,
        }
    }
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    Reading { user, id }: Reading,
) -> PageResult {
    let postmortem = state.store.postmortem(&user, id).await?;
    let page = EditPage::new(
        &postmortem.title,
        user,
        id,
        postmortem.version,
        &postmortem.markdown,
    );
    Ok(render(&page).into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct EditForm {
    version: i64,
    markdown: String,
    #[serde(default)]
    note: String,
}

/// The largest texts merged on a conflict, in bytes all three together: the merge's diff
/// has no deadline, so larger ones come back unmerged, beside each other, as before.
const MAX_MERGE_BYTES: usize = 512 * 1024;

/// Saves the text, based on the version it was loaded at. When someone saved in between,
/// their change and this one are shown side by side, and merged when they touch different
/// lines; the next save is based on their version, and the text typed is never lost.
pub(super) async fn save(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<EditForm>,
) -> PageResult {
    let result = state
        .store
        .update_postmortem(&user, id, form.version, &form.markdown, &form.note)
        .await;
    let (status, error, conflict) = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/postmortems/{id}")).into_response()),
        Err(StoreError::Conflict { based_on, current }) => {
            let base = state.store.version_markdown(&user, id, based_on).await?;
            let theirs = state.store.version_markdown(&user, id, current).await?;
            let typed = form.markdown.replace("\r\n", "\n");
            let conflict = tokio::task::spawn_blocking(move || {
                merge(&base, &typed, &theirs, based_on, current)
            })
            .await
            .map_err(|e| StoreError::Corrupt(format!("the merge failed: {e}")))?;
            (StatusCode::CONFLICT, None, Some(conflict))
        }
        Err(StoreError::Invalid(message) | StoreError::Forbidden(message)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Some(message), None)
        }
        Err(other) => return Err(other.into()),
    };
    let postmortem = state.store.postmortem(&user, id).await?;
    let (version, markdown) = match &conflict {
        Some(c) => (
            c.current,
            c.merged.clone().unwrap_or_else(|| c.typed.clone()),
        ),
        None => (form.version, form.markdown.clone()),
    };
    let mut page = EditPage::new(&postmortem.title, user, id, version, &markdown);
    page.note = &form.note;
    page.error = error;
    page.conflict = conflict;
    Ok((status, render(&page)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct PreviewQuery {
    /// `1`: only the article, for the editor's live preview.
    #[serde(default)]
    fragment: Option<String>,
}

/// The text as it would read once saved, without saving it: the editor's page with the
/// preview under the text, or (`?fragment=1`, the live preview) the article alone.
pub(super) async fn preview(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    query: Result<Query<PreviewQuery>, QueryRejection>,
    Form(form): Form<EditForm>,
) -> PageResult {
    let postmortem = state.store.postmortem(&user, id).await?;
    let read = debrief_core::read(&form.markdown);
    let html = article(&read.postmortem, id);
    let fragment = query.is_ok_and(|Query(q)| q.fragment.as_deref() == Some("1"));
    if fragment {
        return Ok(Html(html).into_response());
    }
    let mut page = EditPage::new(&postmortem.title, user, id, form.version, &form.markdown);
    page.note = &form.note;
    page.preview = Some(html);
    Ok(render(&page).into_response())
}

/// Their change and mine against the version both started from, and both merged.
fn merge(base: &str, typed: &str, theirs: &str, based_on: i64, current: i64) -> Conflict {
    let their_diff = crate::store::diff_versions(base, theirs, based_on, current);
    let my_diff = crate::store::diff_versions(base, typed, based_on, current);
    let small = base.len() + typed.len() + theirs.len() <= MAX_MERGE_BYTES;
    let (merged, overlapping) = if small {
        match diffy::merge(base, typed, theirs) {
            Ok(text) => (Some(text), None),
            Err(marked) => (None, Some(marked)),
        }
    } else {
        (None, None)
    };
    Conflict {
        current,
        theirs: diff_lines(&their_diff.unified),
        mine: diff_lines(&my_diff.unified),
        merged,
        typed: typed.to_string(),
        overlapping,
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
                when: utc(v.created_at),
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
