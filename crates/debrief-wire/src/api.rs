//! The server's API under `/api/v1`: what each operation takes and answers.
//!
//! Requests deny unknown fields, so a misspelt field is a 422 that names it rather than a
//! setting silently ignored. Lists are wrapped in an object (`{"postmortems": [...]}`) so
//! that an answer can grow a field without breaking its readers.

use crate::document::{ActionItem, Finding, TimelinePoint};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

// Accounts.

/// What a user may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads what they may see.
    Viewer,
    /// Also writes postmortems and contributions.
    Contributor,
    /// Also manages users and sees every postmortem.
    Admin,
}

impl Role {
    /// Every role, from the least allowed.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Contributor, Role::Admin];

    /// The role's name, as stored and as written in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Contributor => "contributor",
            Role::Admin => "admin",
        }
    }

    /// Parses a role's name.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    /// Database id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown to people.
    pub display_name: String,
    /// Their function: Dev, Ops, Product, SRE, Security, ...
    pub function: String,
    /// What they may do.
    pub role: Role,
    /// Their team, if any.
    pub team: Option<String>,
    /// They may sign in; `false` once an admin deactivated them (they left, or their
    /// account must stop working). What they wrote keeps their name.
    pub active: bool,
}

/// A team and its people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Team {
    /// Its name.
    pub name: String,
    /// The functions of its people, sorted.
    pub functions: Vec<String>,
    /// Its people, by username.
    pub members: Vec<String>,
}

/// An entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// Who did it (`None`: the command line).
    pub actor: Option<String>,
    /// What was done: `user.add`, `token.create`, `postmortem.create`, ...
    pub action: String,
    /// What it was done to.
    pub target: String,
}

/// An API token as its owner sees it later: never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenInfo {
    /// Database id, to revoke it by.
    pub id: i64,
    /// The name its owner gave it.
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// `POST /session`: signing in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// `POST /tokens`: a new API token.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for ("CI", "laptop"), to recognise it in the list.
    pub name: String,
}

/// The answer to `POST /tokens`: the secret, shown this once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewToken {
    /// The token, for `Authorization: Bearer`.
    pub token: String,
}

/// `GET /tokens`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Tokens {
    /// The caller's tokens, oldest first.
    pub tokens: Vec<TokenInfo>,
}

/// `POST /users`: a new account (admins only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// Login name: letters, digits, `.`, `-` and `_`.
    pub username: String,
    /// Name shown to people; the username when absent.
    pub display_name: Option<String>,
    /// Their function: Dev, Ops, Product, SRE, Security, ...
    pub function: String,
    /// What they may do; `contributor` when absent.
    pub role: Option<Role>,
    /// At least 12 characters.
    pub password: String,
    /// Their team.
    pub team: Option<String>,
}

/// `PATCH /users/{username}`: what an admin changes of a person; absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    /// A new role.
    pub role: Option<Role>,
    /// A new function.
    pub function: Option<String>,
    /// A new team; an empty one takes them out of their team.
    pub team: Option<String>,
    /// Deactivate (`false`) or reactivate (`true`). Deactivating signs them out everywhere.
    pub active: Option<bool>,
}

/// `GET /teams`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Teams {
    /// Every team, by name.
    pub teams: Vec<Team>,
}

// Postmortems.

/// The states of a postmortem, in the order it moves through them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Being written: timeline, impact, contributions from every role.
    Draft,
    /// Facilitator and scribe assigned; the review meeting is ahead.
    InReview,
    /// The meeting was held and its action items written down.
    Reviewed,
    /// Readable by the whole organisation (restricted ones: by their members).
    Published,
    /// Every action item done or declined.
    Closed,
}

impl State {
    /// Every state, in order.
    pub const ALL: [State; 5] = [
        State::Draft,
        State::InReview,
        State::Reviewed,
        State::Published,
        State::Closed,
    ];

    /// The state's name, as stored, written in front matter and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::InReview => "in_review",
            State::Reviewed => "reviewed",
            State::Published => "published",
            State::Closed => "closed",
        }
    }

    /// Parses a state's name.
    pub fn parse(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A postmortem as stored: its current version, what lists and filters show, and (when read
/// one at a time) its canonical Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Postmortem {
    /// Its id: random, below 2^53, so that it tells nothing of how many others exist.
    pub id: i64,
    /// The current version, starting at 1.
    pub version: i64,
    /// Its title.
    pub title: String,
    /// Its workflow state.
    pub status: State,
    /// Visible only to its members and to admins.
    pub restricted: bool,
    /// Severity from the front matter.
    pub severity: Option<String>,
    /// The incident's date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Services affected.
    pub services: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Unix seconds of creation.
    pub created_at: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// Facilitator and scribe, and whether they are overdue.
    pub assignment: Assignment,
    /// The canonical Markdown; absent in lists.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub markdown: String,
}

/// Facilitator and scribe of a postmortem and when they are due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Assignment {
    /// The facilitator's username.
    pub facilitator: Option<String>,
    /// The scribe's username.
    pub scribe: Option<String>,
    /// Unix seconds the incident was resolved, from the timeline (mitigated when resolution
    /// is not written); `None` when the timeline does not say.
    pub resolved_at: Option<i64>,
    /// Unix seconds by which both are due: the assignment window after resolution (after the
    /// postmortem was started when the resolution is unknown).
    pub due_at: i64,
    /// Due and not both assigned.
    pub overdue: bool,
}

/// `GET /postmortems`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Postmortems {
    /// One page of the postmortems the caller may see, newest incident first, without their
    /// Markdown.
    pub postmortems: Vec<Postmortem>,
}

/// What lists and searches may be narrowed to, and the page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words to search for (`/search` only).
    pub q: Option<String>,
    /// Only postmortems of this service.
    pub service: Option<String>,
    /// Only postmortems with this tag.
    pub tag: Option<String>,
    /// Only postmortems whose front matter names this team (`team:` or `teams:`).
    pub team: Option<String>,
    /// Only postmortems of this severity.
    pub severity: Option<String>,
    /// Only postmortems in this state.
    pub status: Option<State>,
    /// Only incidents on or after this date, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Only incidents on or before this date, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// How many to skip.
    pub offset: Option<i64>,
    /// How many at most (1 to 500; 50 when absent).
    pub limit: Option<i64>,
}

/// `POST /postmortems` and `PUT /postmortems/{id}`: a document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkdownRequest {
    /// The postmortem as Markdown; the server stores its canonical form.
    pub markdown: String,
    /// What changed, for the history.
    pub note: Option<String>,
    /// The version this write is based on (or `If-Match`); never on a create.
    pub version: Option<i64>,
}

/// One version in a postmortem's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Version {
    /// The version number.
    pub version: i64,
    /// Who made it.
    pub author: String,
    /// Unix seconds.
    pub created_at: i64,
    /// What changed, in the author's words or the server's.
    pub note: String,
}

/// `GET /postmortems/{id}/versions`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Versions {
    /// Every version, oldest first.
    pub versions: Vec<Version>,
}

/// `GET /postmortems/{id}/diff`: which two versions.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older version.
    pub from: i64,
    /// The newer version.
    pub to: i64,
}

/// The difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Diff {
    /// The older version.
    pub from: i64,
    /// The newer version.
    pub to: i64,
    /// A unified diff of their Markdown.
    pub unified: String,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
}

/// `GET /postmortems/{id}/lint`: the blameless linter's findings on the current version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Lint<'a> {
    /// The version linted.
    pub version: i64,
    /// The findings, in document order: the same objects as `debrief lint --format json`.
    #[serde(borrow)]
    pub diagnostics: Vec<Finding<'a>>,
}

/// `POST /lint`: a text that is not stored, as an editor checks it while it is typed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LintRequest {
    /// The postmortem as Markdown.
    pub markdown: String,
}

/// `POST /lint`: the findings on the text sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TextLint<'a> {
    /// The findings, in document order: the same objects as `debrief lint --format json`.
    #[serde(borrow)]
    pub diagnostics: Vec<Finding<'a>>,
}

/// `GET /postmortems/{id}/metrics`: the timeline's milestones and the figures they give.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PostmortemMetrics {
    /// The version read.
    pub version: i64,
    /// Time to detect, acknowledge, mitigate and resolve.
    pub metrics: crate::document::Metrics,
    /// The timeline, each entry with its milestone.
    pub timeline: Vec<TimelinePoint>,
}

/// `GET /postmortems/{id}/action-items`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionItems {
    /// The version read.
    pub version: i64,
    /// The items, in document order.
    pub action_items: Vec<ActionItem>,
}

/// An action item someone owns, with the postmortem it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OwnedActionItem {
    /// The postmortem's id.
    pub postmortem_id: i64,
    /// The postmortem's title.
    pub postmortem_title: String,
    /// The item as the postmortem's current version writes it.
    pub action_item: crate::document::ActionItem,
}

/// `GET /me/action-items`: the caller's open action items, the earliest due first and the
/// undated last.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OwnedActionItems {
    /// The items, in the postmortems the caller may see.
    pub action_items: Vec<OwnedActionItem>,
}

// Comments.

/// A comment on a postmortem, a section or a timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Comment {
    /// Its id.
    pub id: i64,
    /// The place it is attached to: `document`, `section:HEADING` or `entry:INSTANT TEXT`
    /// (the keys `GET /postmortems/{id}/comments` lists as `places`).
    pub anchor: String,
    /// Who wrote it.
    pub author: String,
    /// Its text (Markdown).
    pub body: String,
    /// When it was written, Unix seconds.
    pub created_at: i64,
    /// When it was resolved, Unix seconds; absent while it is open.
    pub resolved_at: Option<i64>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
}

/// A place of the current version a comment may be attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CommentPlace {
    /// The key a comment keeps.
    pub anchor: String,
    /// How people read it.
    pub label: String,
}

/// `GET /postmortems/{id}/comments`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Comments {
    /// Every comment, oldest first, open and resolved.
    pub comments: Vec<Comment>,
    /// The places of the current version a comment may be attached to, in document order.
    pub places: Vec<CommentPlace>,
}

/// `POST /postmortems/{id}/comments`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    /// The place: one of the `places` of `GET /postmortems/{id}/comments`.
    pub anchor: String,
    /// The text (Markdown), at most 10,000 bytes.
    pub body: String,
}

/// `PUT /postmortems/{id}/comments/{comment}`: resolve or reopen.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentState {
    /// Resolved (`true`) or open (`false`).
    pub resolved: bool,
}

// Search.

/// A postmortem that matched a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Hit {
    /// The postmortem, as lists show it.
    pub postmortem: Postmortem,
    /// Text around the matches.
    pub snippet: Vec<Fragment>,
}

/// A piece of a snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Fragment {
    /// The text.
    pub text: String,
    /// Whether it matched the query.
    pub highlight: bool,
}

/// `GET /search`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Hits {
    /// Best match first.
    pub hits: Vec<Hit>,
}

// The workflow.

/// Where a postmortem stands in the workflow and what each next step lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WorkflowView {
    /// The current state.
    pub state: State,
    /// The version this view was read from.
    pub version: i64,
    /// Facilitator and scribe, and whether they are overdue.
    pub assignment: Assignment,
    /// The incident's responders (never its facilitator).
    pub responders: Vec<String>,
    /// Which required roles have contributed.
    pub roles: RoleCoverage,
    /// Each state the postmortem may move to, with what it still lacks.
    pub next: Vec<Gate>,
}

/// Required roles and who has covered them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoleCoverage {
    /// Functions that must contribute before publishing.
    pub required: Vec<String>,
    /// Functions that have contributed (contributions or edits of the text).
    pub contributed: Vec<String>,
    /// Required functions that have not.
    pub missing: Vec<String>,
}

/// One possible next state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Gate {
    /// The state.
    pub to: State,
    /// What is missing; empty when the step may be taken now.
    pub missing: Vec<String>,
}

/// `POST /postmortems/{id}/transitions`: a workflow step.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// The state to move to.
    pub to: State,
    /// The version this step is based on (or `If-Match`).
    pub version: Option<i64>,
}

/// `PUT /postmortems/{id}/facilitator` and `.../scribe`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// Who takes the part.
    pub username: String,
    /// The version this assignment is based on (or `If-Match`).
    pub version: Option<i64>,
}

/// The facilitator suggestion for a postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Suggestion {
    /// The person to ask first; `None` when nobody is eligible.
    pub suggested: Option<Ranked>,
    /// Every eligible person, best first.
    pub ranking: Vec<Ranked>,
}

/// A candidate for facilitator, and why they rank where they do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Ranked {
    /// Login name.
    pub username: String,
    /// Their function.
    pub function: String,
    /// Why they rank where they do.
    pub reason: String,
}

/// `GET` and `PUT /postmortems/{id}/responders`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Responders {
    /// Usernames of the incident's responders, sorted.
    pub responders: Vec<String>,
}

/// `PUT /postmortems/{id}/responders`: the whole list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondersRequest {
    /// Usernames; the facilitator may not be one.
    pub usernames: Vec<String>,
}

/// `GET /postmortems/{id}/members`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Members {
    /// Who may see a restricted postmortem besides admins.
    pub members: Vec<User>,
}

/// `POST /postmortems/{id}/members`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    /// Who to add.
    pub username: String,
}

// Contributions and evidence.

/// What a contribution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ContributionKind {
    /// Something that happened, and when.
    Timeline,
    /// What someone noticed or thinks mattered.
    Observation,
    /// What customers experienced.
    Impact,
    /// A link or a file: logs, dashboards, deploy records, chat history.
    Evidence,
}

impl ContributionKind {
    /// Every kind.
    pub const ALL: [ContributionKind; 4] = [
        ContributionKind::Timeline,
        ContributionKind::Observation,
        ContributionKind::Impact,
        ContributionKind::Evidence,
    ];

    /// The kind's name, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ContributionKind::Timeline => "timeline",
            ContributionKind::Observation => "observation",
            ContributionKind::Impact => "impact",
            ContributionKind::Evidence => "evidence",
        }
    }

    /// Parses a kind's name.
    pub fn parse(name: &str) -> Option<ContributionKind> {
        ContributionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// A contribution as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Contribution {
    /// Database id.
    pub id: i64,
    /// Who wrote it.
    pub author: String,
    /// Their function when they wrote it.
    pub function: String,
    /// What it is.
    pub kind: ContributionKind,
    /// Its text.
    pub body: String,
    /// For timeline entries: when it happened.
    pub happened_at: Option<i64>,
    /// For evidence: a link.
    pub url: Option<String>,
    /// For evidence: the file's name, media type, size and content hash.
    pub file: Option<FileInfo>,
    /// Unix seconds.
    pub created_at: i64,
}

/// An uploaded file's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FileInfo {
    /// Its name.
    pub name: String,
    /// The media type it is served with.
    pub media_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256 of its content, in hexadecimal.
    pub sha256: String,
}

/// `GET /postmortems/{id}/contributions`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Contributions {
    /// Oldest first.
    pub contributions: Vec<Contribution>,
}

/// `POST /postmortems/{id}/contributions`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionRequest {
    /// What it is.
    pub kind: ContributionKind,
    /// Its text (Markdown).
    #[serde(default)]
    pub text: String,
    /// When a timeline entry happened: RFC 3339 (`2026-06-14T14:05:00Z`).
    pub at: Option<String>,
    /// For evidence: a link.
    pub url: Option<String>,
    /// Shown with the author's function only, never their name (`author` reads
    /// `anonymous`).
    #[serde(default)]
    pub anonymous: bool,
}

/// `POST /postmortems/{id}/evidence`: the file is the raw body; these name it.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name.
    pub name: String,
    /// What it shows.
    #[serde(default)]
    pub text: String,
}

// Operations and errors.

/// `GET /healthz`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// Every error: `{"error": {"status": 409, "message": "..."}}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorAnswer {
    /// What went wrong.
    pub error: Error,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Error {
    /// The HTTP status.
    pub status: u16,
    /// One sentence a person can act on.
    pub message: String,
    /// A refused workflow step: each thing missing on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
    /// A write based on an old version (409): the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

/// What a tracker's webhook delivery did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Delivered {
    /// Postmortems changed by it: 0 when it said what they say already (a duplicate
    /// delivery) or named no tracked item.
    pub changed: usize,
    /// Whether the delivery was about an issue at all (not a push or GitHub's ping).
    pub issue: bool,
}

// Incidents from the alerting, and the timeline entries imported records propose.

/// What an Alertmanager or PagerDuty delivery did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HookDelivery {
    /// The incident it is about: Alertmanager's group and the PagerDuty incident it opened
    /// share it. Absent for an event about something else than an incident (a ping).
    pub incident_key: Option<String>,
    /// The postmortem the incident has, if it has one yet.
    pub postmortem: Option<i64>,
    /// Whether this delivery opened that postmortem (as a draft).
    pub opened: bool,
    /// Its entries not seen before: 0 when it was delivered already.
    pub new_entries: usize,
    /// Of those, how many are in the document now: all of them when the delivery opened the
    /// draft, or when nobody but debrief has changed the draft since.
    pub joined: usize,
    /// Of those, how many wait for someone to accept or drop them.
    pub proposed: usize,
    /// Of those, how many wait for the incident to be resolved, which opens its postmortem.
    pub held: usize,
}

/// Where a proposed entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProposalState {
    /// Waiting for someone to accept or drop it.
    Proposed,
    /// In the document.
    Accepted,
    /// Left out.
    Dropped,
}

impl ProposalState {
    /// The word the store and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Proposed => "proposed",
            ProposalState::Accepted => "accepted",
            ProposalState::Dropped => "dropped",
        }
    }
}

/// A timeline entry an imported record proposes for a postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Proposal {
    /// Its id.
    pub id: i64,
    /// When it happened, Unix seconds.
    pub at: i64,
    /// What happened (Markdown), people written as their roles.
    pub text: String,
    /// The milestone it marks (`started`, `detected`, ...), if it proposes one. The
    /// document keeps it only where its timeline has none of that kind yet.
    pub milestone: Option<String>,
    /// What kind of record it comes from: `alertmanager`, `pagerduty`, `slack`.
    pub system: String,
    /// The record's identity in its system.
    pub source_id: String,
    /// Where a reader opens the record.
    pub link: Option<String>,
    /// Where it stands.
    pub state: ProposalState,
    /// Who accepted or dropped it (`debrief[bot]` for the entries a delivery wrote itself).
    pub decided_by: Option<String>,
    /// When, Unix seconds.
    pub decided_at: Option<i64>,
}

/// A postmortem's proposed entries, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProposalList {
    /// The proposals, every state, by the instant they are about.
    pub proposals: Vec<Proposal>,
}

/// Accept or drop a proposed entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Add it to the document's timeline (a new version).
    Accept,
    /// Leave it out.
    Drop,
}

/// A decision on a proposed entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideProposal {
    /// Accept or drop.
    pub decision: Decision,
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Decided {
    /// The proposal, decided.
    pub proposal: Proposal,
    /// The postmortem's version now: a new one when an accepted entry joined its timeline.
    pub version: i64,
}

/// `POST /postmortems/{id}/imports/slack`: which messages of a Slack export to propose.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SlackImportQuery {
    /// The channel, by name (with or without `#`) or id.
    pub channel: String,
    /// Messages from this instant on (RFC 3339).
    pub from: Option<String>,
    /// Messages up to this instant (RFC 3339).
    pub to: Option<String>,
    /// Only the messages pinned in the channel.
    #[serde(default)]
    pub pinned: bool,
    /// Only the messages with this reaction (`white_check_mark`, without colons).
    pub reaction: Option<String>,
    /// Where message links point (`https://acme.slack.com`); `https://slack.com` by default.
    pub workspace: Option<String>,
}

/// What a Slack import proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SlackImported {
    /// The channel's name.
    pub channel: String,
    /// Entries the messages gave.
    pub entries: usize,
    /// Of those, the ones not proposed before: they wait on the postmortem's page.
    pub proposed: usize,
    /// Messages skipped: bots, joins and other channel events, deleted ones.
    pub skipped: usize,
    /// Day files read.
    pub days: usize,
}

/// Where an action item's issue will be created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tracking {
    /// The tracker's name in `debrief.toml`.
    pub tracker: String,
}

/// How a person wants reminders and digests: `GET`/`PUT /me/notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    /// `email`, `slack` or `none`.
    pub channel: String,
    /// The address e-mail goes to; needed for `email`.
    #[serde(default)]
    pub email: Option<String>,
    /// A Slack-compatible incoming webhook of one's own; needed for `slack`.
    #[serde(default)]
    pub slack_webhook: Option<String>,
}

// Review meetings.

/// One part of a review meeting's agenda and its time box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// What it is ("Timeline walk").
    pub title: String,
    /// Its time box, in minutes.
    pub minutes: u32,
}

/// Where a review meeting is in its life.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MeetingState {
    /// Planned; nothing said yet.
    Scheduled,
    /// Under way: changes are taken.
    Running,
    /// Over: its record is in the postmortem.
    Ended,
}

/// A postmortem's review meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Meeting {
    /// The postmortem it reviews.
    pub postmortem_id: i64,
    /// When it starts, Unix seconds.
    pub starts_at: i64,
    /// How long it takes, in minutes.
    pub minutes: u32,
    /// The time zone its times are written in (`UTC`, `Europe/Oslo`).
    pub zone: String,
    /// Its agenda, in order, with the time boxes as adjusted.
    pub agenda: Vec<AgendaItem>,
    /// The categories its contributing factors are named under (`factor_categories` in
    /// `debrief.toml`).
    pub factor_categories: Vec<String>,
    /// Who is invited, by username.
    pub participants: Vec<String>,
    /// Scheduled, running or ended.
    pub state: MeetingState,
    /// When it started, Unix seconds.
    pub started_at: Option<i64>,
    /// When it ended, Unix seconds.
    pub ended_at: Option<i64>,
    /// The sequence number of its last change (0: none yet): `GET .../meeting/changes?after=`.
    pub last_change: i64,
}

/// A review meeting to schedule, or to move while it is still ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingRequest {
    /// When it starts, Unix seconds.
    pub starts_at: i64,
    /// How long it takes, in minutes; 60 when absent.
    #[serde(default)]
    pub minutes: Option<u32>,
    /// The time zone its times are written in; the postmortem's, else `UTC`, when absent.
    #[serde(default)]
    pub zone: Option<String>,
    /// The agenda; ground rules (5), timeline walk (25), contributing factors (15), action
    /// items (10), reflection (5) when absent.
    #[serde(default)]
    pub agenda: Option<Vec<AgendaItem>>,
    /// Who is invited, by username; when absent, the responders, the facilitator, the
    /// scribe, the members and everyone who contributed.
    #[serde(default)]
    pub participants: Option<Vec<String>>,
}

/// How a timeline entry mattered, as the meeting tags it on its walk.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EntryTag {
    /// How the problem was noticed.
    Detection,
    /// Working out what was happening.
    Diagnosis,
    /// Putting it right.
    Repair,
    /// A moment that changed the course of the incident.
    KeyMoment,
}

/// A change to a running meeting, as a participant sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MeetingChange {
    /// The meeting begins (the facilitator).
    Start,
    /// The sender is in the room.
    Join,
    /// The sender left the room.
    Leave,
    /// The agenda moves to its item `item` (from 0): "enough, let's move on".
    Agenda {
        /// The agenda item, from 0.
        item: u32,
    },
    /// The time box of agenda item `item` (from 0) becomes `minutes` (the facilitator).
    TimeBox {
        /// The agenda item, from 0.
        item: u32,
        /// Its new time box, from 1 to 120 minutes.
        minutes: u32,
    },
    /// The timeline walk is at entry `entry` (from 0, in document order).
    Entry {
        /// The timeline entry, from 0.
        entry: u32,
    },
    /// Timeline entry `entry` was a moment of detection, diagnosis, repair or a key moment.
    Tag {
        /// The timeline entry, from 0.
        entry: u32,
        /// How it mattered.
        tag: EntryTag,
    },
    /// The scribe's note, word for word, about what is under discussion (an agenda item or
    /// a timeline entry, as a label).
    Note {
        /// What it is about.
        about: String,
        /// What was said.
        text: String,
    },
    /// A decision, word for word.
    Decision {
        /// What was decided.
        text: String,
    },
    /// A contributing factor, under a category.
    Factor {
        /// Change, monitoring, capacity, dependency, process, documentation...
        category: String,
        /// The factor.
        text: String,
    },
    /// A "why?" asked of a factor, and its answer.
    Why {
        /// The `seq` of the factor's change.
        factor: i64,
        /// The answer.
        text: String,
    },
    /// An action item drafted in the room: specific, owned and dated, or refused with why.
    Draft {
        /// The item as it would be written in the document (`Add ... (owner: ..., due: ...)`).
        text: String,
    },
    /// Something the team decided not to do, and why.
    NotDoing {
        /// What is not done.
        what: String,
        /// Why not.
        why: String,
    },
    /// A participant's learning at the close.
    Reflection {
        /// What they learned.
        text: String,
        /// Shown without their name.
        #[serde(default)]
        anonymous: bool,
    },
    /// The meeting ends: its record goes into the postmortem as a new version, which moves
    /// to `reviewed`.
    End,
}

/// What the meeting would make of a change, without making it: `POST .../meeting/check`,
/// which the page calls as a note or an action item is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MeetingCheck {
    /// Whether the meeting would take it now.
    pub taken: bool,
    /// Why it would not: a drafted action item that is a wish, unowned or undated, or a
    /// change the meeting does not take in its state.
    pub reasons: Vec<String>,
    /// For a note with blame in it: the redirects the facilitator would be shown. The note
    /// is still taken word for word.
    pub prompts: Vec<String>,
}

/// A change a meeting took, as every participant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MeetingEvent {
    /// Its place in the meeting's changes, from 1.
    pub seq: i64,
    /// When it was made, Unix seconds.
    pub at: i64,
    /// Who made it; absent for an anonymous reflection.
    pub author: Option<String>,
    /// The change.
    pub change: MeetingChange,
    /// For a note with blame in it: questions for the facilitator to redirect with ("How did
    /// the system allow...?"), not an error.
    pub prompts: Vec<String>,
}

/// A meeting's changes after a point: `GET .../meeting/changes?after=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MeetingEvents {
    /// The meeting now.
    pub meeting: Meeting,
    /// Its changes after the one asked for, in order.
    pub events: Vec<MeetingEvent>,
}

/// `GET .../meeting/changes?after=`: the changes after the one a client saw last.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The last change seen (its `seq`); 0 or absent for all of them.
    #[serde(default)]
    pub after: i64,
}
