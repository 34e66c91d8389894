//! The routes of `/api/v1`, `/healthz` and `/metrics`, and their handlers. Handlers only
//! translate: HTTP in, a store call, JSON out.

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, SESSION_COOKIE, based_on, same_site, session_cookie};
use crate::store::{
    ContributionKind, Filters, Login, MAX_UPLOAD_BYTES, NewContribution, Part, Upload,
};
use crate::workflow::State as WorkflowState;
use crate::{NewUser, Role};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::net::SocketAddr;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/session", post(login).delete(logout))
        .route("/api/v1/me", get(me))
        .route("/api/v1/tokens", get(tokens).post(create_token))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/users", get(users).post(add_user))
        .route("/api/v1/teams", get(teams))
        .route("/api/v1/audit", get(audit_log))
        .route("/api/v1/search", get(search))
        .route(
            "/api/v1/postmortems",
            get(list_postmortems).post(create_postmortem),
        )
        .route(
            "/api/v1/postmortems/{id}",
            get(get_postmortem).put(update_postmortem),
        )
        .route("/api/v1/postmortems/{id}/markdown", get(export_markdown))
        .route("/api/v1/postmortems/{id}/versions", get(history))
        .route("/api/v1/postmortems/{id}/versions/{version}", get(version))
        .route("/api/v1/postmortems/{id}/diff", get(diff))
        .route("/api/v1/postmortems/{id}/lint", get(lint))
        .route("/api/v1/postmortems/{id}/metrics", get(postmortem_metrics))
        .route("/api/v1/postmortems/{id}/action-items", get(action_items))
        .route("/api/v1/postmortems/{id}/workflow", get(workflow))
        .route("/api/v1/postmortems/{id}/transitions", post(transition))
        .route(
            "/api/v1/postmortems/{id}/facilitator",
            put(assign_facilitator),
        )
        .route("/api/v1/postmortems/{id}/scribe", put(assign_scribe))
        .route(
            "/api/v1/postmortems/{id}/facilitator-suggestion",
            get(suggest_facilitator),
        )
        .route(
            "/api/v1/postmortems/{id}/responders",
            get(responders).put(set_responders),
        )
        .route(
            "/api/v1/postmortems/{id}/members",
            get(members).post(add_member),
        )
        .route(
            "/api/v1/postmortems/{id}/contributions",
            get(contributions).post(contribute),
        )
        .route(
            "/api/v1/postmortems/{id}/evidence",
            post(upload_evidence).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 1)),
        )
        .route(
            "/api/v1/postmortems/{id}/contributions/{contribution}/file",
            get(evidence_file),
        )
}

/// Path parameters; a malformed one is "not found", like any other unknown id.
struct Ids<T>(T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Ids<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(ids)| Ids(ids))
            .map_err(|_: PathRejection| ApiError::not_found())
    }
}

/// Query parameters; unknown or malformed ones are a 400 that says which.
struct Args<T>(T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Args<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(args)| Args(args))
            .map_err(|e: QueryRejection| ApiError::bad_request(e.body_text()))
    }
}

/// The client's address, when the server was started with connection info (tests that call
/// the router directly have none).
struct ClientAddress(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string());
        Ok(ClientAddress(address))
    }
}

/// A response with the postmortem's version as its ETag.
fn with_etag(version: i64, status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

fn to_json(value: impl serde::Serialize) -> ApiResult<Value> {
    serde_json::to_value(value).map_err(|e| {
        tracing::error!(%e, "cannot serialise a response");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot write the response",
        )
    })
}

fn markdown_response(markdown: String, file_name: Option<String>) -> Response {
    let mut response = (
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        markdown,
    )
        .into_response();
    if let Some(name) = file_name
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

// Operations.

async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    state.store.ping().await?;
    Ok(Json(json!({ "status": "ok" })))
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

async fn openapi() -> Json<&'static Value> {
    Json(super::openapi::document())
}

// Accounts.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginRequest {
    username: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Body(request): Body<LoginRequest>,
) -> ApiResult<Response> {
    // Logging a victim into the attacker's account is an attack too: a login from another
    // site is refused like any cookie write.
    if headers.contains_key("sec-fetch-site") || headers.contains_key(header::ORIGIN) {
        same_site(&headers)?;
    }
    match state
        .store
        .login(&request.username, &request.password, address.as_deref())
        .await?
    {
        Login::Accepted(user, token) => {
            let secure = state.config.secure_cookies
                || headers
                    .get("x-forwarded-proto")
                    .is_some_and(|p| p.as_bytes() == b"https");
            let cookie = format!(
                "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
                crate::store::SESSION_SECONDS,
                if secure { "; Secure" } else { "" }
            );
            let mut response = Json(to_json(&user)?).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Login::Refused => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong username or password",
        )),
        Login::Throttled(seconds) => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many failed logins; try again in {seconds} seconds"),
        )
        .retry_after(seconds)),
    }
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Caller(_): Caller,
) -> ApiResult<Response> {
    if let Some(token) = session_cookie(&headers) {
        state.store.logout(token).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

async fn me(Caller(user): Caller) -> ApiResult<Json<Value>> {
    Ok(Json(to_json(&user)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenRequest {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    Caller(user): Caller,
    Body(request): Body<TokenRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let token = state.store.create_token(&user, &request.name).await?;
    Ok((StatusCode::CREATED, Json(json!({ "token": token }))))
}

async fn tokens(State(state): State<AppState>, Caller(user): Caller) -> ApiResult<Json<Value>> {
    let tokens = state.store.tokens(&user).await?;
    Ok(Json(json!({ "tokens": to_json(tokens)? })))
}

async fn revoke_token(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<StatusCode> {
    state.store.revoke_token(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn users(State(state): State<AppState>, Caller(_): Caller) -> ApiResult<Json<Value>> {
    Ok(Json(to_json(state.store.users().await?)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUserRequest {
    username: String,
    display_name: Option<String>,
    function: String,
    role: Option<String>,
    password: String,
    team: Option<String>,
}

async fn add_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(request): Body<NewUserRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let role = match request.role.as_deref() {
        None => Role::Contributor,
        Some(name) => Role::parse(name).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("unknown role {name:?}: use viewer, contributor or admin"),
            )
        })?,
    };
    let user = state
        .store
        .add_user(
            &NewUser {
                username: &request.username,
                display_name: request.display_name.as_deref().unwrap_or(&request.username),
                function: &request.function,
                role,
                password: &request.password,
                team: request.team.as_deref(),
            },
            Some(&actor),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(to_json(&user)?)))
}

async fn teams(State(state): State<AppState>, Caller(_): Caller) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({ "teams": to_json(state.store.teams().await?)? }),
    ))
}

async fn audit_log(State(state): State<AppState>, Caller(user): Caller) -> ApiResult<Json<Value>> {
    Ok(Json(to_json(state.store.audit_log(&user).await?)?))
}

// Postmortems.

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    q: Option<String>,
    service: Option<String>,
    tag: Option<String>,
    severity: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

impl ListQuery {
    fn filters(&self) -> ApiResult<Filters> {
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
        let status = self
            .status
            .as_deref()
            .map(|name| {
                WorkflowState::parse(name).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "unknown status {name:?}: use draft, in_review, reviewed, published or closed"
                    ))
                })
            })
            .transpose()?;
        let defaults = Filters::default();
        Ok(Filters {
            service: self.service.clone(),
            tag: self.tag.clone(),
            severity: self.severity.clone(),
            status,
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            offset: self.offset.unwrap_or(defaults.offset),
            limit: self.limit.unwrap_or(defaults.limit),
        })
    }
}

async fn list_postmortems(
    State(state): State<AppState>,
    Caller(user): Caller,
    Args(query): Args<ListQuery>,
) -> ApiResult<Json<Value>> {
    if query.q.is_some() {
        return Err(ApiError::bad_request(
            "`q` belongs to /api/v1/search; lists take filters only",
        ));
    }
    let list = state.store.postmortems(&user, &query.filters()?).await?;
    Ok(Json(json!({ "postmortems": to_json(list)? })))
}

async fn search(
    State(state): State<AppState>,
    Caller(user): Caller,
    Args(query): Args<ListQuery>,
) -> ApiResult<Json<Value>> {
    let text = query.q.clone().unwrap_or_default();
    let hits = state.store.search(&user, &text, &query.filters()?).await?;
    Ok(Json(json!({ "hits": to_json(hits)? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkdownRequest {
    markdown: String,
    note: Option<String>,
    version: Option<i64>,
}

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
    let mut response = with_etag(created.version, StatusCode::CREATED, to_json(&created)?);
    if let Ok(value) = HeaderValue::from_str(&format!("/api/v1/postmortems/{}", created.id)) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

async fn get_postmortem(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Response> {
    let postmortem = state.store.postmortem(&user, id).await?;
    Ok(with_etag(
        postmortem.version,
        StatusCode::OK,
        to_json(&postmortem)?,
    ))
}

async fn update_postmortem(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    headers: HeaderMap,
    Body(request): Body<MarkdownRequest>,
) -> ApiResult<Response> {
    let based_on = based_on(&headers, request.version)?;
    let note = request.note.as_deref().unwrap_or("");
    let updated = state
        .store
        .update_postmortem(&user, id, based_on, &request.markdown, note)
        .await?;
    Ok(with_etag(
        updated.version,
        StatusCode::OK,
        to_json(&updated)?,
    ))
}

async fn export_markdown(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Response> {
    let postmortem = state.store.postmortem(&user, id).await?;
    let mut response = markdown_response(postmortem.markdown, None);
    if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", postmortem.version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

async fn history(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<Value>> {
    let versions = state.store.history(&user, id).await?;
    Ok(Json(json!({ "versions": to_json(versions)? })))
}

async fn version(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids((id, version)): Ids<(i64, i64)>,
) -> ApiResult<Response> {
    let markdown = state.store.version_markdown(&user, id, version).await?;
    Ok(markdown_response(markdown, None))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffQuery {
    from: i64,
    to: i64,
}

async fn diff(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    Args(query): Args<DiffQuery>,
) -> ApiResult<Json<Value>> {
    let diff = state.store.diff(&user, id, query.from, query.to).await?;
    Ok(Json(to_json(diff)?))
}

async fn lint(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<Value>> {
    let postmortem = state.store.postmortem(&user, id).await?;
    let today = state.store.clock().today();
    let config = &state.store.policy().lint;
    let linted = debrief_lint::lint(
        &postmortem.markdown,
        &debrief_lint::Options::new(config, today),
    );
    // The same objects as `debrief lint --format json`.
    let diagnostics: Vec<Value> = linted
        .findings
        .iter()
        .map(|f| {
            let d = &f.diagnostic;
            json!({
                "rule": d.rule,
                "category": f.category.name(),
                "severity": d.severity.name(),
                "line": d.span.line,
                "column": d.span.column,
                "end_line": d.span.end_line,
                "end_column": d.span.end_column,
                "message": d.message,
                "suggestion": d.suggestion,
            })
        })
        .collect();
    Ok(Json(
        json!({ "version": postmortem.version, "diagnostics": diagnostics }),
    ))
}

async fn postmortem_metrics(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<Value>> {
    let postmortem = state.store.postmortem(&user, id).await?;
    let read = debrief_core::read(&postmortem.markdown);
    let analysis = debrief_core::analyse(&read.postmortem);
    let timeline: Vec<Value> = read
        .postmortem
        .timeline_entries()
        .zip(&analysis.milestones)
        .map(|(entry, milestone)| {
            json!({
                "at": entry.at.to_string(),
                "text": entry.text,
                "milestone": milestone.map(|m| m.name()),
            })
        })
        .collect();
    Ok(Json(json!({
        "version": postmortem.version,
        "metrics": to_json(analysis.metrics)?,
        "timeline": timeline,
    })))
}

async fn action_items(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<Value>> {
    let postmortem = state.store.postmortem(&user, id).await?;
    let read = debrief_core::read(&postmortem.markdown);
    let items: Vec<Value> = read
        .postmortem
        .action_items()
        .map(|item| {
            json!({
                "text": item.text,
                "owner": item.owner,
                "due": item.due.as_ref().and_then(|d| d.date).map(|d| d.to_string()),
                "due_written": item.due.as_ref().map(|d| d.written.as_str()),
                "done": item.done,
                "declined": item.declined,
                "settled": crate::workflow::is_settled(item),
                "priority": item.priority,
                "tracker": item.tracker,
            })
        })
        .collect();
    Ok(Json(
        json!({ "version": postmortem.version, "action_items": items }),
    ))
}

// The workflow.

async fn workflow(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Response> {
    let view = state.store.workflow(&user, id).await?;
    Ok(with_etag(view.version, StatusCode::OK, to_json(&view)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransitionRequest {
    to: String,
    version: Option<i64>,
}

async fn transition(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    headers: HeaderMap,
    Body(request): Body<TransitionRequest>,
) -> ApiResult<Response> {
    let based_on = based_on(&headers, request.version)?;
    let to = WorkflowState::parse(&request.to).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "unknown state {:?}: use draft, in_review, reviewed, published or closed",
                request.to
            ),
        )
    })?;
    let moved = state.store.transition(&user, id, based_on, to).await?;
    Ok(with_etag(moved.version, StatusCode::OK, to_json(&moved)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignRequest {
    username: String,
    version: Option<i64>,
}

async fn assign(
    state: AppState,
    user: crate::User,
    id: i64,
    headers: &HeaderMap,
    request: AssignRequest,
    part: Part,
) -> ApiResult<Response> {
    let based_on = based_on(headers, request.version)?;
    let assigned = state
        .store
        .assign(&user, id, based_on, part, &request.username)
        .await?;
    Ok(with_etag(
        assigned.version,
        StatusCode::OK,
        to_json(&assigned)?,
    ))
}

async fn assign_facilitator(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    headers: HeaderMap,
    Body(request): Body<AssignRequest>,
) -> ApiResult<Response> {
    assign(state, user, id, &headers, request, Part::Facilitator).await
}

async fn assign_scribe(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    headers: HeaderMap,
    Body(request): Body<AssignRequest>,
) -> ApiResult<Response> {
    assign(state, user, id, &headers, request, Part::Scribe).await
}

async fn suggest_facilitator(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<Value>> {
    Ok(Json(to_json(
        state.store.suggest_facilitator(&user, id).await?,
    )?))
}

async fn responders(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<Value>> {
    state.store.postmortem(&user, id).await?;
    let responders = state.store.responders(id).await?;
    Ok(Json(json!({ "responders": responders })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RespondersRequest {
    usernames: Vec<String>,
}

async fn set_responders(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    Body(request): Body<RespondersRequest>,
) -> ApiResult<Json<Value>> {
    let responders = state
        .store
        .set_responders(&user, id, &request.usernames)
        .await?;
    Ok(Json(json!({ "responders": responders })))
}

async fn members(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<Value>> {
    let members = state.store.members(&user, id).await?;
    Ok(Json(json!({ "members": to_json(members)? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberRequest {
    username: String,
}

async fn add_member(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    Body(request): Body<MemberRequest>,
) -> ApiResult<StatusCode> {
    let member = state.store.user(&request.username).await.map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("there is no user named {:?}", request.username),
        )
    })?;
    state.store.add_member(&user, id, &member).await?;
    Ok(StatusCode::NO_CONTENT)
}

// Contributions.

async fn contributions(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<Value>> {
    let list = state.store.contributions(&user, id).await?;
    Ok(Json(json!({ "contributions": to_json(list)? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContributionRequest {
    kind: String,
    #[serde(default)]
    text: String,
    /// When a timeline entry happened: RFC 3339 (`2026-06-14T14:05:00Z`).
    at: Option<String>,
    url: Option<String>,
}

fn kind(name: &str) -> ApiResult<ContributionKind> {
    ContributionKind::parse(name).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("unknown kind {name:?}: use timeline, observation, impact or evidence"),
        )
    })
}

async fn contribute(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    Body(request): Body<ContributionRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let happened_at = request
        .at
        .as_deref()
        .map(|text| {
            text.parse::<jiff::Timestamp>()
                .map(|t| t.as_second())
                .map_err(|e| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("`at` must be a time such as 2026-06-14T14:05:00Z: {e}"),
                    )
                })
        })
        .transpose()?;
    let contribution = state
        .store
        .contribute(
            &user,
            id,
            &NewContribution {
                kind: kind(&request.kind)?,
                body: &request.text,
                happened_at,
                url: request.url.as_deref(),
                file: None,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(to_json(contribution)?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UploadQuery {
    name: String,
    #[serde(default)]
    text: String,
}

/// Evidence as a file: the raw body, its `Content-Type`, `?name=` and an optional `&text=`.
async fn upload_evidence(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids(id): Ids<i64>,
    Args(query): Args<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
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
                file: Some(Upload {
                    name: &query.name,
                    media_type,
                    content: &body,
                }),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(to_json(contribution)?)))
}

/// An evidence file, with a content type from the safe list, `nosniff`, a sandboxing CSP and
/// `Content-Disposition: attachment`, so it can never run as a page of this site.
async fn evidence_file(
    State(state): State<AppState>,
    Caller(user): Caller,
    Ids((id, contribution)): Ids<(i64, i64)>,
) -> ApiResult<Response> {
    let evidence = state.store.evidence(&user, id, contribution).await?;
    let disposition = format!("attachment; filename=\"{}\"", evidence.info.name);
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
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    Ok(response)
}
