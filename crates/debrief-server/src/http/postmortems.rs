//! Postmortems: list, create, read, revise; their history and differences; and what the
//! core reads in them (the linter's findings, the metrics, the action items).

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{Args, Body, Caller, Ids, IfMatch, PostmortemId, based_on};
use super::respond::{self, tagged, with_header};
use crate::store::Filters;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use debrief_wire::api::{
    ActionItems, Diff, DiffQuery, Lint, LintRequest, ListQuery, MarkdownRequest, Postmortem,
    PostmortemMetrics, Postmortems, TextLint, Versions,
};
use debrief_wire::document::{ActionItem, Finding, TimelinePoint};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_postmortems, create_postmortem))
        .routes(routes!(get_postmortem, update_postmortem))
        .routes(routes!(export_markdown))
        .routes(routes!(history))
        .routes(routes!(version))
        .routes(routes!(diff))
        .routes(routes!(lint))
        .routes(routes!(lint_text))
        .routes(routes!(metrics))
        .routes(routes!(action_items))
}

/// The store's filters from a query; a malformed date is a 400 that shows the form.
pub(super) fn filters(query: &ListQuery) -> ApiResult<Filters> {
    let date = |name: &str, value: &Option<String>| -> ApiResult<Option<jiff::civil::Date>> {
        value
            .as_deref()
            .map(|text| {
                text.parse().map_err(|_| {
                    ApiError::bad_request(format!(
                        "`{name}` must be a date such as 2026-06-14; got {text:?}"
                    ))
                })
            })
            .transpose()
    };
    let defaults = Filters::default();
    Ok(Filters {
        service: query.service.clone(),
        tag: query.tag.clone(),
        team: query.team.clone(),
        severity: query.severity.clone(),
        status: query.status,
        from: date("from", &query.from)?,
        to: date("to", &query.to)?,
        offset: query.offset.unwrap_or(defaults.offset),
        limit: query.limit.unwrap_or(defaults.limit),
        involving: None,
    })
}

/// Postmortems the caller may see, newest incident first.
#[utoipa::path(get, path = "/api/v1/postmortems", tag = "postmortems", params(ListQuery),
    responses((status = 200, description = "one page, without the Markdown", body = Postmortems)))]
async fn list_postmortems(
    State(state): State<AppState>,
    Caller(user): Caller,
    Args(query): Args<ListQuery>,
) -> ApiResult<Json<Postmortems>> {
    if query.q.is_some() {
        return Err(ApiError::bad_request(
            "`q` belongs to /api/v1/search; lists take filters only",
        ));
    }
    let postmortems = state.store.postmortems(&user, &filters(&query)?).await?;
    Ok(Json(Postmortems { postmortems }))
}

/// Start a postmortem from Markdown.
#[utoipa::path(post, path = "/api/v1/postmortems", tag = "postmortems",
    request_body = MarkdownRequest,
    responses((status = 201, description = "created; `Location` names it, the ETag is its version",
        body = Postmortem)))]
async fn create_postmortem(
    State(state): State<AppState>,
    Caller(user): Caller,
    Body(request): Body<MarkdownRequest>,
) -> ApiResult<Response> {
    if request.version.is_some() {
        return Err(ApiError::bad_request(
            "a new postmortem has no version to be based on",
        ));
    }
    let created = state
        .store
        .create_postmortem(&user, &request.markdown)
        .await?;
    with_header(
        tagged(StatusCode::CREATED, created.version, &created)?,
        header::LOCATION,
        &format!("/api/v1/postmortems/{}", created.id),
    )
}

/// One postmortem with its Markdown; the ETag is its version.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}", tag = "postmortems", params(PostmortemId),
    responses((status = 200, description = "the postmortem", body = Postmortem)))]
async fn get_postmortem(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Response> {
    let postmortem = state.store.postmortem(&user, id).await?;
    tagged(StatusCode::OK, postmortem.version, &postmortem)
}

/// Replace the Markdown: a new version, if the one it is based on is still the current one.
#[utoipa::path(put, path = "/api/v1/postmortems/{id}", tag = "postmortems",
    params(PostmortemId, IfMatch), request_body = MarkdownRequest,
    responses((status = 200, description = "the new version", body = Postmortem)))]
async fn update_postmortem(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    headers: HeaderMap,
    Body(request): Body<MarkdownRequest>,
) -> ApiResult<Response> {
    let based_on = based_on(&headers, request.version)?;
    let note = request.note.as_deref().unwrap_or("");
    let updated = state
        .store
        .update_postmortem(&user, id, based_on, &request.markdown, note)
        .await?;
    tagged(StatusCode::OK, updated.version, &updated)
}

/// The canonical Markdown of the current version; the ETag is its version.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/markdown", tag = "postmortems",
    params(PostmortemId),
    responses((status = 200, description = "the Markdown", content_type = "text/markdown",
        body = String)))]
async fn export_markdown(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Response> {
    let postmortem = state.store.postmortem(&user, id).await?;
    respond::markdown(postmortem.markdown, Some(postmortem.version))
}

/// Every version: who, when, what.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/versions", tag = "postmortems",
    params(PostmortemId),
    responses((status = 200, description = "oldest first", body = Versions)))]
async fn history(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<Versions>> {
    let versions = state.store.history(&user, id).await?;
    Ok(Json(Versions { versions }))
}

/// `{id}/versions/{version}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct VersionOf {
    /// The postmortem's id.
    id: i64,
    /// The version number, from 1.
    version: i64,
}

/// The Markdown of one version.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/versions/{version}", tag = "postmortems",
    params(VersionOf),
    responses((status = 200, description = "the Markdown", content_type = "text/markdown",
        body = String)))]
async fn version(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(VersionOf { id, version }): Ids<VersionOf>,
) -> ApiResult<Response> {
    let markdown = state.store.version_markdown(&user, id, version).await?;
    respond::markdown(markdown, None)
}

/// A unified diff between two versions.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/diff", tag = "postmortems",
    params(PostmortemId, DiffQuery),
    responses((status = 200, description = "the diff", body = Diff)))]
async fn diff(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Args(query): Args<DiffQuery>,
) -> ApiResult<Json<Diff>> {
    Ok(Json(
        state.store.diff(&user, id, query.from, query.to).await?,
    ))
}

/// The blameless linter's findings on the current version.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/lint", tag = "postmortems",
    params(PostmortemId),
    responses((status = 200, description = "the findings", body = Lint)))]
async fn lint(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Response> {
    let postmortem = state.store.postmortem(&user, id).await?;
    let today = state.store.clock().today();
    let config = &state.store.policy().lint;
    let linted = debrief_lint::lint(
        &postmortem.markdown,
        &debrief_lint::Options::new(config, today),
    );
    let answer = Lint {
        version: postmortem.version,
        diagnostics: findings(&linted),
    };
    // The findings borrow from the linted document: written out before it goes.
    Ok(Json(answer).into_response())
}

/// A linted document's findings as the API writes them.
fn findings(linted: &debrief_lint::Linted) -> Vec<Finding<'_>> {
    let index = debrief_core::LineIndex::new(&linted.text);
    linted
        .findings
        .iter()
        .map(|f| {
            let finding = Finding::new(&f.diagnostic, f.category.name());
            match &f.fix {
                Some(text) => finding.with_fix(index.span(f.range.clone()), text),
                None => finding,
            }
        })
        .collect()
}

/// The blameless linter's findings on a text that is not stored: the editor's live lint.
#[utoipa::path(post, path = "/api/v1/lint", tag = "postmortems", request_body = LintRequest,
    responses((status = 200, description = "the findings", body = TextLint)))]
async fn lint_text(
    State(state): State<AppState>,
    Caller(_user): Caller,
    Body(request): Body<LintRequest>,
) -> ApiResult<Response> {
    if request.markdown.len() > crate::store::MAX_DOCUMENT_BYTES {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "a postmortem may have at most {} bytes of Markdown",
                crate::store::MAX_DOCUMENT_BYTES
            ),
        ));
    }
    let today = state.store.clock().today();
    let config = &state.store.policy().lint;
    let linted = debrief_lint::lint(
        &request.markdown,
        &debrief_lint::Options::new(config, today),
    );
    let answer = TextLint {
        diagnostics: findings(&linted),
    };
    Ok(Json(answer).into_response())
}

/// The timeline's milestones and the metrics they give.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/metrics", tag = "postmortems",
    params(PostmortemId),
    responses((status = 200, description = "metrics and timeline", body = PostmortemMetrics)))]
async fn metrics(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<PostmortemMetrics>> {
    let postmortem = state.store.postmortem(&user, id).await?;
    let read = debrief_core::read(&postmortem.markdown);
    let analysis = debrief_core::analyse(&read.postmortem);
    Ok(Json(PostmortemMetrics {
        version: postmortem.version,
        metrics: analysis.metrics.into(),
        timeline: TimelinePoint::all(&read.postmortem, &analysis),
    }))
}

/// The action items of the current version.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/action-items", tag = "postmortems",
    params(PostmortemId),
    responses((status = 200, description = "in document order", body = ActionItems)))]
async fn action_items(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
) -> ApiResult<Json<ActionItems>> {
    let postmortem = state.store.postmortem(&user, id).await?;
    let read = debrief_core::read(&postmortem.markdown);
    Ok(Json(ActionItems {
        version: postmortem.version,
        action_items: read
            .postmortem
            .action_items()
            .map(ActionItem::from)
            .collect(),
    }))
}
