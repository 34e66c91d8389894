//! A postmortem's page and what is done on it: workflow steps, assignments,
//! contributions, evidence, one-click fixes.

use super::memo::{Key, Weigh};
use super::{
    PageError, PageResult, Reading, SITE, Writing, article, before_meeting, label, render, span,
    utc,
};
use crate::http::AppState;
use crate::store::StoreError;
use crate::store::User;
use askama::Template;
use axum::extract::Form;
use axum::extract::Multipart;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use debrief_wire::api::ContributionKind;
use debrief_wire::api::State as WorkflowState;
use serde::Deserialize;

/// A lint finding as the page lists it, with its rule's explanation and its safe fix.
struct FindingRow {
    rule: &'static str,
    line: u32,
    message: String,
    suggestion: Option<String>,
    explanation: Option<&'static debrief_lint::Rule>,
    /// Where the fix applies (a byte offset) and what it writes.
    fix: Option<(usize, String)>,
}

#[derive(Template)]
#[template(path = "web/postmortem.html")]
struct PostmortemPage<'a> {
    title: &'a str,
    site: &'a str,
    user: Option<User>,
    id: i64,
    writer: bool,
    state: &'static str,
    state_label: &'static str,
    version: i64,
    restricted: bool,
    facilitator: &'a Option<String>,
    scribe: &'a Option<String>,
    overdue: bool,
    due: Option<String>,
    suggestion: Option<String>,
    candidates: Vec<Candidate>,
    gates: &'a [GateView],
    responders: &'a [String],
    required: &'a [String],
    missing_roles: &'a [String],
    outcome: Outcome,
    article: &'a str,
    findings: &'a [FindingRow],
    contributions: &'a [(String, Vec<ContributionView>)],
    kinds: Vec<&'static str>,
    comments: &'a [CommentGroup],
    places: &'a [crate::comments::Anchor],
    open_comments: usize,
    /// The tracker this postmortem's items go to, when one is configured.
    tracker: &'a Option<String>,
    /// Its open items without an issue: number (from 1) and words.
    untracked: &'a [(usize, String)],
    /// Timeline entries imported records propose, waiting for a decision.
    proposals: &'a [ProposalView],
    /// What was decided of the earlier ones: accepted, dropped.
    decided: (usize, usize),
}

/// A proposed timeline entry as the page shows it.
struct ProposalView {
    id: i64,
    /// When, in the document's zone.
    when: String,
    milestone: Option<String>,
    html: String,
    /// Where it comes from, and its link.
    source: &'static str,
    link: Option<String>,
}

/// What a postmortem's page shows everybody who may see it, computed at one generation of
/// the store and kept under it ([`super::memo`]): the document and its findings, the
/// workflow, contributions and comments. What depends on the viewer (whom they may assign)
/// or on the hour (the 48-hour countdown) is added on every view.
struct Shared {
    title: String,
    status: WorkflowState,
    version: i64,
    restricted: bool,
    facilitator: Option<String>,
    scribe: Option<String>,
    /// When facilitator and scribe are due.
    due_at: i64,
    gates: Vec<GateView>,
    responders: Vec<String>,
    required: Vec<String>,
    missing_roles: Vec<String>,
    article: String,
    findings: Vec<FindingRow>,
    contributions: Vec<(String, Vec<ContributionView>)>,
    comments: Vec<CommentGroup>,
    places: Vec<crate::comments::Anchor>,
    open_comments: usize,
    tracker: Option<String>,
    untracked: Vec<(usize, String)>,
    proposals: Vec<ProposalView>,
    decided: (usize, usize),
}

impl Weigh for Shared {
    fn bytes(&self) -> usize {
        let findings: usize = self
            .findings
            .iter()
            .map(|f| {
                f.message.len() + f.suggestion.bytes() + f.fix.as_ref().map_or(0, |f| f.1.len())
            })
            .sum();
        let contributions: usize = self
            .contributions
            .iter()
            .flat_map(|(_, list)| list)
            .map(|c| c.html.len() + c.url.bytes() + 64 * (1 + c.findings.len()))
            .sum();
        let comments: usize = self
            .comments
            .iter()
            .flat_map(|group| &group.comments)
            .map(|c| c.html.len() + 64 * (1 + c.findings.len()))
            .sum();
        let places: usize = self
            .places
            .iter()
            .map(|p| p.key.len() + p.label.len() * 2)
            .sum();
        let untracked: usize = self.untracked.iter().map(|(_, text)| text.len()).sum();
        let proposals: usize = self
            .proposals
            .iter()
            .map(|p| 64 + p.html.len() + p.link.bytes())
            .sum();
        self.title.len()
            + self.article.len()
            + findings
            + contributions
            + comments
            + places
            + untracked
            + proposals
            + self.gates.len() * 128
            + self.responders.bytes()
    }
}

impl Weigh for crate::store::Offer {
    fn bytes(&self) -> usize {
        let reasons = self.suggestion.as_ref().map_or(0, |s| {
            s.ranking
                .iter()
                .map(|r| r.username.len() + r.reason.len())
                .sum()
        });
        self.people.len() * 128 + reasons
    }
}

/// Blame the linter finds in a contribution or a comment, said gently: a question to ask
/// instead, not an error.
struct PassageFinding {
    rule: &'static str,
    message: String,
    suggestion: Option<String>,
}

/// The blame findings of a passage someone wrote on the page.
fn passage_findings(text: &str, options: &debrief_lint::Options<'_>) -> Vec<PassageFinding> {
    debrief_lint::lint_passage(text, options)
        .into_iter()
        .map(|f| PassageFinding {
            rule: f.diagnostic.rule.as_str(),
            message: f.diagnostic.message,
            suggestion: f.diagnostic.suggestion,
        })
        .collect()
}

/// The comments at one place, in the order they were written.
struct CommentGroup {
    label: String,
    /// The place's `id` in the article, for a link; none when the place was edited away.
    html_id: Option<String>,
    comments: Vec<CommentView>,
}

/// A comment as the page shows it.
struct CommentView {
    id: i64,
    author: String,
    when: String,
    html: String,
    resolved: Option<String>,
    findings: Vec<PassageFinding>,
}

/// A contribution as the page shows it.
struct ContributionView {
    kind: &'static str,
    findings: Vec<PassageFinding>,
    author: String,
    when: Option<String>,
    html: String,
    url: Option<String>,
    file: Option<(String, String)>,
}

pub(super) async fn postmortem(
    State(state): State<AppState>,
    Reading { user, id }: Reading,
) -> PageResult {
    postmortem_page(&state, user, id, StatusCode::OK, Outcome::default()).await
}

/// What a step taken on the page left to say.
#[derive(Debug, Default)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
    missing: Vec<String>,
}

/// A step of the workflow the page offers.
struct GateView {
    to: &'static str,
    label: &'static str,
    missing: Vec<String>,
}

/// A person the page offers for a part, and whether the rotation suggests them.
struct Candidate {
    username: String,
    function: String,
    suggested: bool,
}

/// A postmortem's page: the workflow, then the document and its findings.
async fn postmortem_page(
    state: &AppState,
    user: User,
    id: i64,
    status: StatusCode,
    outcome: Outcome,
) -> PageResult {
    let generation = state.store.generation_seeing(&user, id).await?;
    let today = state.store.clock().today();
    let shared = state
        .pages
        .get_or_build(
            generation,
            Key::Postmortem { id, today },
            shared(state, &user, id),
        )
        .await?;
    let writer = user.role != crate::store::Role::Viewer;
    // Whom to offer, while somebody is still to be assigned.
    let offer = if writer && (shared.facilitator.is_none() || shared.scribe.is_none()) {
        let key = Key::Offer {
            id,
            viewer: user.id,
        };
        let offer = state.store.assignment_offer(&user, id);
        Some(state.pages.get_or_build(generation, key, offer).await?)
    } else {
        None
    };
    let suggested = offer
        .as_ref()
        .and_then(|offer| offer.suggestion.as_ref())
        .and_then(|s| s.suggested.as_ref());
    let candidates = offer
        .iter()
        .flat_map(|offer| &offer.people)
        .filter(|u| u.active && u.role != crate::store::Role::Viewer)
        .map(|u| Candidate {
            suggested: suggested.is_some_and(|s| s.username == u.username),
            username: u.username.clone(),
            function: u.function.clone(),
        })
        .collect();
    let now = state.store.clock().now();
    let open = before_meeting(shared.status);
    let unassigned = shared.facilitator.is_none() || shared.scribe.is_none();
    let due = (open && unassigned).then(|| {
        let left = shared.due_at - now;
        if left >= 0 {
            format!("facilitator and scribe due within {}", span(left))
        } else {
            format!("facilitator and scribe overdue by {}", span(-left))
        }
    });
    let page = PostmortemPage {
        title: &shared.title,
        site: SITE,
        id,
        writer,
        state: shared.status.as_str(),
        state_label: label(shared.status),
        version: shared.version,
        restricted: shared.restricted,
        facilitator: &shared.facilitator,
        scribe: &shared.scribe,
        overdue: open && unassigned && now > shared.due_at,
        due,
        suggestion: suggested.map(|s| format!("{}: {}", s.username, s.reason)),
        candidates,
        gates: &shared.gates,
        responders: &shared.responders,
        required: &shared.required,
        missing_roles: &shared.missing_roles,
        outcome,
        article: &shared.article,
        findings: &shared.findings,
        contributions: &shared.contributions,
        kinds: ContributionKind::ALL.iter().map(|k| k.as_str()).collect(),
        open_comments: shared.open_comments,
        comments: &shared.comments,
        places: &shared.places,
        tracker: &shared.tracker,
        untracked: &shared.untracked,
        proposals: &shared.proposals,
        decided: shared.decided,
        user: Some(user),
    };
    Ok((status, render(&page)).into_response())
}

/// What everybody who may see postmortem `id` sees of it, from the store.
async fn shared(state: &AppState, user: &User, id: i64) -> Result<Shared, StoreError> {
    let crate::store::PostmortemView {
        postmortem,
        workflow,
        linted,
    } = state.store.postmortem_view(user, id).await?;
    let config = &state.store.policy().lint;
    let today = state.store.clock().today();
    let findings = linted
        .findings
        .iter()
        .map(|f| FindingRow {
            rule: f.diagnostic.rule.as_str(),
            line: f.diagnostic.span.line,
            message: f.diagnostic.message.clone(),
            suggestion: f.diagnostic.suggestion.clone(),
            explanation: debrief_lint::rule(f.diagnostic.rule),
            fix: f.fix.clone().map(|text| (f.range.start, text)),
        })
        .collect();
    let places = crate::comments::anchors(&linted.read.postmortem);
    let tracker = state
        .store
        .policy()
        .trackers
        .choose(&linted.read.postmortem.meta)
        .ok()
        .flatten()
        .map(|t| t.name.clone());
    let untracked = linted
        .read
        .postmortem
        .action_items()
        .enumerate()
        .filter(|(_, item)| item.tracker.is_none() && !item.is_settled())
        .map(|(n, item)| (n + 1, item.text.clone()))
        .collect();
    let comments = state.store.comments(user, id).await?;
    let (waiting, decided): (Vec<_>, Vec<_>) = state
        .store
        .proposals(user, id)
        .await?
        .into_iter()
        .partition(|p| p.state == debrief_wire::api::ProposalState::Proposed);
    let zone = linted
        .read
        .postmortem
        .meta
        .timezone
        .as_deref()
        .and_then(debrief_core::zone::parse_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let zone_name = linted
        .read
        .postmortem
        .meta
        .timezone
        .as_deref()
        .unwrap_or("UTC");
    // A proposed milestone shows only where accepting it would mark one.
    let marked: Vec<&str> = linted
        .read
        .postmortem
        .timeline_entries()
        .filter_map(|e| e.milestone)
        .map(|m| m.name())
        .collect();
    let proposals = waiting
        .into_iter()
        .map(|p| ProposalView {
            id: p.id,
            when: jiff::Timestamp::from_second(p.at)
                .map(|t| {
                    let at = t.to_zoned(zone.clone());
                    format!("{} {zone_name}", at.strftime("%Y-%m-%d %H:%M:%S"))
                })
                .unwrap_or_default(),
            milestone: p.milestone.filter(|m| !marked.contains(&m.as_str())),
            html: debrief_html::inline(&debrief_html::markdown(&p.text)).to_string(),
            source: debrief_import::merge::source_label(&p.system),
            link: p.link,
        })
        .collect();
    let article = article(&linted.read.postmortem, id);
    let options = debrief_lint::Options::new(config, today);
    let mut contributions: Vec<(String, Vec<ContributionView>)> = Vec::new();
    for c in state.store.contributions(user, id).await? {
        let view = ContributionView {
            findings: passage_findings(&c.body, &options),
            kind: c.kind.as_str(),
            author: c.author,
            when: c.happened_at.map(utc),
            html: debrief_html::markdown(&c.body),
            url: c.url,
            file: c.file.map(|f| {
                let href = format!("/api/v1/postmortems/{id}/contributions/{}/file", c.id);
                (href, format!("{} ({} bytes)", f.name, f.size))
            }),
        };
        match contributions.iter_mut().find(|(f, _)| *f == c.function) {
            Some((_, list)) => list.push(view),
            None => contributions.push((c.function, vec![view])),
        }
    }
    Ok(Shared {
        title: postmortem.title,
        status: postmortem.status,
        version: postmortem.version,
        restricted: postmortem.restricted,
        facilitator: postmortem.assignment.facilitator,
        scribe: postmortem.assignment.scribe,
        due_at: postmortem.assignment.due_at,
        gates: workflow
            .next
            .into_iter()
            .map(|gate| GateView {
                to: gate.to.as_str(),
                label: label(gate.to),
                missing: gate.missing,
            })
            .collect(),
        responders: workflow.responders,
        required: workflow.roles.required,
        missing_roles: workflow.roles.missing,
        article,
        findings,
        contributions,
        open_comments: comments.iter().filter(|c| c.resolved_at.is_none()).count(),
        comments: comment_groups(comments, &places, &options),
        places,
        tracker,
        untracked,
        proposals,
        decided: (
            decided
                .iter()
                .filter(|p| p.state == debrief_wire::api::ProposalState::Accepted)
                .count(),
            decided
                .iter()
                .filter(|p| p.state == debrief_wire::api::ProposalState::Dropped)
                .count(),
        ),
    })
}

/// Comments by place: the places of the current version in document order, then those
/// edited away since, each under the label it had.
fn comment_groups(
    comments: Vec<debrief_wire::api::Comment>,
    places: &[crate::comments::Anchor],
    options: &debrief_lint::Options<'_>,
) -> Vec<CommentGroup> {
    let mut groups: Vec<(Option<usize>, String, CommentGroup)> = Vec::new();
    for comment in comments {
        let place = places.iter().position(|p| p.key == comment.anchor);
        let view = CommentView {
            id: comment.id,
            author: comment.author,
            when: utc(comment.created_at),
            html: debrief_html::markdown(&comment.body),
            resolved: comment.resolved_at.map(|at| match &comment.resolved_by {
                Some(by) => format!("resolved by {by} on {}", utc(at)),
                None => format!("resolved on {}", utc(at)),
            }),
            findings: passage_findings(&comment.body, options),
        };
        match groups.iter_mut().find(|(_, key, _)| *key == comment.anchor) {
            Some((_, _, group)) => group.comments.push(view),
            None => {
                let group = match place.map(|i| &places[i]) {
                    Some(anchor) => CommentGroup {
                        label: anchor.label.clone(),
                        html_id: Some(anchor.html_id.clone()).filter(|id| !id.is_empty()),
                        comments: vec![view],
                    },
                    None => CommentGroup {
                        label: format!(
                            "No longer in the text: {}",
                            comment.anchor.split_once(':').map_or("", |(_, rest)| rest)
                        ),
                        html_id: None,
                        comments: vec![view],
                    },
                };
                groups.push((place, comment.anchor, group));
            }
        }
    }
    groups.sort_by_key(|(place, _, _)| place.unwrap_or(usize::MAX));
    groups.into_iter().map(|(_, _, group)| group).collect()
}

#[derive(Debug, Deserialize)]
pub(super) struct CommentForm {
    anchor: String,
    text: String,
}

/// A comment from the page.
pub(super) async fn comment(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<CommentForm>,
) -> PageResult {
    let result = state
        .store
        .comment(&user, id, &form.anchor, &form.text)
        .await;
    answer_step(
        &state,
        user,
        id,
        result.map(|_| "Your comment is added.".to_string()),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(super) struct CommentStateForm {
    comment: i64,
    /// `yes` to resolve, anything else to open again.
    resolved: String,
}

/// Resolves a comment, or opens it again, from the page.
pub(super) async fn comment_state(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<CommentStateForm>,
) -> PageResult {
    let resolved = form.resolved == "yes";
    let result = state
        .store
        .resolve_comment(&user, id, form.comment, resolved)
        .await;
    let notice = if resolved {
        "The comment is resolved."
    } else {
        "The comment is open again."
    };
    answer_step(&state, user, id, result.map(|_| notice.to_string())).await
}

#[derive(Debug, Deserialize)]
pub(super) struct StepForm {
    to: String,
    version: i64,
}

/// A workflow step from the page: taken, or refused with everything that is missing.
pub(super) async fn step(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<StepForm>,
) -> PageResult {
    let Some(to) = WorkflowState::ALL
        .into_iter()
        .find(|s| s.as_str() == form.to)
    else {
        let error = Some(format!("There is no state {:?}.", form.to));
        let outcome = Outcome {
            error,
            ..Outcome::default()
        };
        return postmortem_page(&state, user, id, StatusCode::UNPROCESSABLE_ENTITY, outcome).await;
    };
    let result = state.store.transition(&user, id, form.version, to).await;
    let notice = format!("Moved to {}.", label(to));
    answer_step(&state, user, id, result.map(|_| notice)).await
}

#[derive(Debug, Deserialize)]
pub(super) struct AssignForm {
    part: String,
    username: String,
    version: i64,
}

/// Facilitator or scribe, from the page.
pub(super) async fn assign(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<AssignForm>,
) -> PageResult {
    let part = match form.part.as_str() {
        "facilitator" => crate::workflow::Part::Facilitator,
        "scribe" => crate::workflow::Part::Scribe,
        _ => return Err(PageError::NotFound),
    };
    let result = state
        .store
        .assign(&user, id, form.version, part, &form.username)
        .await;
    let notice = format!("{} is the {}.", form.username, form.part);
    answer_step(&state, user, id, result.map(|_| notice)).await
}

#[derive(Debug, Deserialize)]
pub(super) struct ContributeForm {
    kind: String,
    #[serde(default)]
    text: String,
    /// A timeline entry's instant, as `datetime-local` sends it (`2026-06-14T14:05`), in UTC.
    #[serde(default)]
    at: String,
    #[serde(default)]
    url: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    anonymous: Option<String>,
}

/// A contribution as the caller's function: a timeline entry, an observation, impact, or a
/// link as evidence.
pub(super) async fn contribute(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<ContributeForm>,
) -> PageResult {
    let refused = |message: String| Err(StoreError::Invalid(message));
    let Some(kind) = ContributionKind::ALL
        .into_iter()
        .find(|k| k.as_str() == form.kind)
    else {
        return answer_step(
            &state,
            user,
            id,
            refused(format!("There is no kind {:?}.", form.kind)),
        )
        .await;
    };
    let at = form.at.trim();
    let happened_at = if at.is_empty() {
        None
    } else {
        match at.parse::<jiff::civil::DateTime>() {
            Ok(local) => local
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp().as_second()),
            Err(_) => {
                let message = "The time must be a date and a time (2026-06-14T14:05).".to_string();
                return answer_step(&state, user, id, refused(message)).await;
            }
        }
    };
    let url = Some(form.url.trim()).filter(|u| !u.is_empty());
    let new = crate::store::NewContribution {
        kind,
        body: &form.text,
        happened_at,
        url,
        anonymous: form.anonymous.is_some(),
        file: None,
    };
    let result = state.store.contribute(&user, id, &new).await;
    let notice = format!("Your {} is added.", kind.as_str());
    answer_step(&state, user, id, result.map(|_| notice)).await
}

/// Evidence uploaded from the page: the form's `file`, with its `text`.
pub(super) async fn upload_evidence(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let (mut text, mut file) = (String::new(), None);
    if let Ok(mut multipart) = multipart {
        while let Ok(Some(field)) = multipart.next_field().await {
            match field.name() {
                Some("text") => text = field.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = field.file_name().unwrap_or("evidence").to_string();
                    let media_type = field
                        .content_type()
                        .unwrap_or("application/octet-stream")
                        .to_string();
                    if let Ok(bytes) = field.bytes().await {
                        file = Some((name, media_type, bytes));
                    }
                }
                _ => {}
            }
        }
    }
    let Some((name, media_type, bytes)) = file else {
        let message = "Choose a file to upload as evidence.".to_string();
        return answer_step(&state, user, id, Err(StoreError::Invalid(message))).await;
    };
    let new = crate::store::NewContribution {
        kind: ContributionKind::Evidence,
        body: &text,
        happened_at: None,
        url: None,
        anonymous: false,
        file: Some(crate::store::Upload {
            name: &name,
            media_type: &media_type,
            content: &bytes,
        }),
    };
    let result = state.store.contribute(&user, id, &new).await;
    answer_step(
        &state,
        user,
        id,
        result.map(|_| format!("{name} is added as evidence.")),
    )
    .await
}

/// Imports a Slack export from the page: the form's fields and the export, spooled to a
/// temporary file whatever order the browser sends them in.
pub(super) async fn import_slack(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let mut fields = std::collections::HashMap::new();
    let mut export = None;
    let mut failure = None;
    match multipart {
        Ok(mut multipart) => loop {
            match multipart.next_field().await {
                Ok(Some(field)) if field.name() == Some("export") => {
                    match crate::slack::spool(field).await {
                        Ok(file) => export = Some(file),
                        Err(None) => {
                            failure = Some(format!(
                                "The export is larger than {} bytes: export the incident's dates only.",
                                crate::slack::MAX_EXPORT_BYTES
                            ))
                        }
                        Err(Some(reason)) => failure = Some(reason),
                    }
                }
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_string();
                    fields.insert(name, field.text().await.unwrap_or_default());
                }
                Ok(None) => break,
                Err(error) => {
                    failure = Some(format!("The upload broke off: {}", error.body_text()));
                    break;
                }
            }
        },
        Err(rejection) => failure = Some(rejection.body_text()),
    }
    let field = |name: &str| fields.get(name).map_or("", |v| v.trim());
    let instant = |name: &str, label: &str| -> Result<Option<jiff::Timestamp>, String> {
        match field(name) {
            "" => Ok(None),
            text => text
                .parse::<jiff::civil::DateTime>()
                .ok()
                .and_then(|at| at.to_zoned(jiff::tz::TimeZone::UTC).ok())
                .map(|at| Some(at.timestamp()))
                .ok_or_else(|| format!("{label} {text:?} is not a date and time.")),
        }
    };
    let result = async {
        if let Some(failure) = failure {
            return Err(StoreError::Invalid(failure));
        }
        let Some(export) = export else {
            return Err(StoreError::Invalid(
                "Choose the workspace export (a ZIP) to import.".into(),
            ));
        };
        let filter = match field("reaction").trim_matches(':') {
            "" => debrief_import::slack::Filter::All,
            "pin" | "pinned" => debrief_import::slack::Filter::Pinned,
            reaction => debrief_import::slack::Filter::Reaction(reaction.to_string()),
        };
        let request = crate::slack::Request::new(
            field("channel"),
            instant("from", "From").map_err(StoreError::Invalid)?,
            instant("to", "To").map_err(StoreError::Invalid)?,
            filter,
            None,
        )
        .map_err(StoreError::Invalid)?;
        let imported = crate::slack::import(&state.store, &user, id, export.path(), &request).await?;
        Ok(format!(
            "#{}: {} entries from {} days, {} of them new; they wait above to be accepted or dropped.",
            imported.channel, imported.entries, imported.days, imported.proposed
        ))
    }
    .await;
    answer_step(&state, user, id, result).await
}

#[derive(Debug, Deserialize)]
pub(super) struct FixForm {
    version: i64,
    rule: String,
    start: usize,
}

/// Applies one finding's safe fix as a new version, if the text is still the one it was
/// found in.
pub(super) async fn fix(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<FixForm>,
) -> PageResult {
    let postmortem = state.store.postmortem(&user, id).await?;
    if postmortem.version != form.version {
        let conflict = StoreError::Conflict {
            based_on: form.version,
            current: postmortem.version,
        };
        return answer_step(&state, user, id, Err(conflict)).await;
    }
    let config = &state.store.policy().lint;
    let today = state.store.clock().today();
    let linted = debrief_lint::lint(
        &postmortem.markdown,
        &debrief_lint::Options::new(config, today),
    );
    let found = linted.findings.iter().find(|f| {
        f.diagnostic.rule.as_str() == form.rule && f.range.start == form.start && f.fix.is_some()
    });
    let Some(finding) = found else {
        let gone = StoreError::Invalid("That finding has no fix any more.".into());
        return answer_step(&state, user, id, Err(gone)).await;
    };
    let mut text = linted.text.clone();
    let replacement = finding.fix.clone().unwrap_or_default();
    let before = text[finding.range.clone()].to_string();
    text.replace_range(finding.range.clone(), &replacement);
    let note = format!(
        "lint fix ({}): \u{201c}{before}\u{201d} \u{2192} \u{201c}{replacement}\u{201d}",
        form.rule
    );
    let result = state
        .store
        .update_postmortem(&user, id, form.version, &text, &note)
        .await;
    answer_step(
        &state,
        user,
        id,
        result.map(|_| format!("Fixed: {before} \u{2192} {replacement}.")),
    )
    .await
}

/// The form that sends one action item to its tracker.
#[derive(Deserialize)]
pub(super) struct TrackForm {
    /// The item's number, from 1.
    item: usize,
}

/// Sends one action item to its tracker now: the job queue creates the issue, and its link
/// appears on the item.
pub(super) async fn track(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<TrackForm>,
) -> PageResult {
    let result = match form.item.checked_sub(1) {
        Some(position) => state.store.track_item(&user, id, position).await,
        None => Err(StoreError::NotFound),
    };
    let result = result.map(|tracker| {
        format!(
            "Action item {} is on its way to {tracker}; its link appears here once the issue exists.",
            form.item
        )
    });
    answer_step(&state, user, id, result).await
}

/// The form that accepts or drops a proposed timeline entry.
#[derive(Deserialize)]
pub(super) struct ProposalForm {
    proposal: i64,
    decision: debrief_wire::api::Decision,
}

/// Accepts a proposed entry into the timeline, or drops it.
pub(super) async fn decide_proposal(
    State(state): State<AppState>,
    Writing { user, id }: Writing,
    Form(form): Form<ProposalForm>,
) -> PageResult {
    let result = state
        .store
        .decide_proposal(&user, id, form.proposal, form.decision)
        .await
        .map(|decided| match form.decision {
            debrief_wire::api::Decision::Accept => format!(
                "The entry at {} joined the timeline (version {}).",
                utc(decided.proposal.at),
                decided.version
            ),
            debrief_wire::api::Decision::Drop => {
                format!("The entry at {} was left out.", utc(decided.proposal.at))
            }
        });
    let result = match result {
        // Decided meanwhile (another tab, another person): the page says where it stands.
        Err(StoreError::Exists(message)) => Err(StoreError::Invalid(format!(
            "{}; the list below is up to date.",
            debrief_core::capitalised(&message)
        ))),
        other => other,
    };
    answer_step(&state, user, id, result).await
}

/// The page after a step: its notice, or why it was refused.
async fn answer_step(
    state: &AppState,
    user: User,
    id: i64,
    result: Result<String, StoreError>,
) -> PageResult {
    let (status, outcome) = match result {
        Ok(notice) => (
            StatusCode::OK,
            Outcome {
                notice: Some(notice),
                ..Outcome::default()
            },
        ),
        Err(StoreError::Refused(refusal)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                error: Some(refusal.message),
                missing: refusal.missing,
                ..Outcome::default()
            },
        ),
        Err(StoreError::Conflict { current, .. }) => (
            StatusCode::CONFLICT,
            Outcome {
                error: Some(format!(
                    "The postmortem changed while you read it (now version {current}); look again and retry."
                )),
                ..Outcome::default()
            },
        ),
        Err(StoreError::Invalid(message) | StoreError::Forbidden(message)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                error: Some(message),
                ..Outcome::default()
            },
        ),
        Err(other) => return Err(other.into()),
    };
    postmortem_page(state, user, id, status, outcome).await
}
