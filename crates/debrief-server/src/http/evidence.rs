//! Evidence files: uploaded as the raw body, served back so that they can never run as a
//! page of this site.

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{Args, Caller, Ids};
use super::respond::{attachment, header_value};
use crate::store::{MAX_UPLOAD_BYTES, NewContribution, Upload};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use debrief_wire::api::{Contribution, ContributionKind, UploadQuery};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::PostmortemId;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    let (schemas, paths, upload) = routes!(upload_evidence);
    OpenApiRouter::new()
        .routes((
            schemas,
            paths,
            upload.layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 1)),
        ))
        .routes(routes!(evidence_file))
}

/// Upload a file as evidence: the raw body, its `Content-Type`, `?name=` and an optional
/// `&text=`.
#[utoipa::path(post, path = "/api/v1/postmortems/{id}/evidence", tag = "evidence",
    params(PostmortemId, UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "the file; its Content-Type is kept when it is on the safe list"),
    responses((status = 201, description = "the evidence, with the file's size and hash",
        body = Contribution)))]
async fn upload_evidence(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(PostmortemId { id }): Ids<PostmortemId>,
    Args(query): Args<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Contribution>)> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the file is larger than the limit of {MAX_UPLOAD_BYTES} bytes"),
            )
        } else {
            ApiError::new(e.status(), e.body_text())
        }
    })?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream");
    let contribution = state
        .store
        .contribute(
            &user,
            id,
            &NewContribution {
                kind: ContributionKind::Evidence,
                body: &query.text,
                happened_at: None,
                url: None,
                anonymous: false,
                file: Some(Upload {
                    name: &query.name,
                    media_type,
                    content: &body,
                }),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(contribution)))
}

/// `{id}/contributions/{contribution}/file`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct FileOf {
    /// The postmortem's id.
    id: i64,
    /// The evidence contribution's id.
    contribution: i64,
}

/// An evidence file, with a content type from the safe list, `nosniff`, a sandboxing CSP and
/// `Content-Disposition: attachment`.
#[utoipa::path(get, path = "/api/v1/postmortems/{id}/contributions/{contribution}/file",
    tag = "evidence", params(FileOf),
    responses((status = 200, description = "the file's bytes",
        content_type = "application/octet-stream", body = Vec<u8>)))]
async fn evidence_file(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(FileOf { id, contribution }): Ids<FileOf>,
) -> ApiResult<Response> {
    let evidence = state.store.evidence(&user, id, contribution).await?;
    let disposition = attachment(&evidence.info.name);
    let mut response = evidence.content.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, evidence.info.media_type.as_str()),
        (header::CONTENT_DISPOSITION, disposition.as_str()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        ),
    ] {
        headers.insert(name, header_value(value)?);
    }
    Ok(response)
}
