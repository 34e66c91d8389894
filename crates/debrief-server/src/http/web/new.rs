//! A new postmortem, from the template or from an uploaded Markdown file.

use super::{PageError, PageResult, SITE, render, signed_in};
use crate::http::AppState;
use crate::http::extract::same_site;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::Form;
use axum::extract::Multipart;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use serde::Deserialize;

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

pub(super) async fn new_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let user = signed_in(&state, &headers, "/postmortems/new").await?;
    let form = NewForm {
        title: String::new(),
        date: state.store.clock().today().to_string(),
        severity: String::new(),
    };
    Ok(new_page_with(user, StatusCode::OK, &form, None))
}

#[derive(Debug, Deserialize)]
pub(super) struct NewForm {
    title: String,
    date: String,
    #[serde(default)]
    severity: String,
}

/// A postmortem from the template: title, date and severity filled in.
pub(super) async fn create_from_template(
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
pub(super) async fn create_from_file(
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
