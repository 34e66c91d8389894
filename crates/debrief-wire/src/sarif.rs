//! The SARIF 2.1.0 log `debrief lint --format sarif` writes, for code-scanning tools (GitHub
//! code scanning, Azure DevOps, IDE viewers): the subset debrief fills, as typed structs.
//!
//! A log is written as a stream, one file's results at a time, so that memory stays flat on
//! a large tree: the writer prints the log's opening ([`Log`] without results), then each
//! [`SarifResult`], then the closing brackets.

use serde::Serialize;

/// The schema every log names.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The log's opening: `$schema`, `version` and the run's tool; its results follow.
#[derive(Debug, Clone, Serialize)]
pub struct Log<'a> {
    /// [`SCHEMA`].
    #[serde(rename = "$schema")]
    pub schema: &'a str,
    /// `2.1.0`.
    pub version: &'a str,
}

/// The tool of a run: debrief and its rules.
#[derive(Debug, Clone, Serialize)]
pub struct Tool<'a> {
    /// The linter.
    pub driver: Driver<'a>,
}

/// The linter, with every rule it has.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver<'a> {
    /// `debrief`.
    pub name: &'a str,
    /// debrief's version.
    pub version: &'a str,
    /// Where to read about it.
    pub information_uri: &'a str,
    /// Every rule; results point at them by index.
    pub rules: Vec<ReportingDescriptor<'a>>,
}

/// One rule.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor<'a> {
    /// The rule's id.
    pub id: &'a str,
    /// Its name (the id again: rule ids are already names).
    pub name: &'a str,
    /// One line.
    pub short_description: Message,
    /// What it looks for and why.
    pub full_description: Message,
    /// The description with an example reported and a way to write it instead.
    pub help: Message,
    /// Its level unless configured otherwise.
    pub default_configuration: Configuration<'a>,
    /// Its category.
    pub properties: Properties<'a>,
}

/// A rule's default level.
#[derive(Debug, Clone, Serialize)]
pub struct Configuration<'a> {
    /// `error`, `warning` or `note`.
    pub level: &'a str,
}

/// What SARIF has no field for.
#[derive(Debug, Clone, Serialize)]
pub struct Properties<'a> {
    /// The rule's category: `blame`, `actions`, `structure`, ...
    pub category: &'a str,
}

/// Text for people.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// The text.
    pub text: String,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult<'a> {
    /// The rule's id.
    pub rule_id: &'a str,
    /// The rule's index in the driver's rules; `null` for a rule the driver does not list.
    pub rule_index: Option<usize>,
    /// `error`, `warning` or `note`.
    pub level: &'a str,
    /// What is wrong, with the suggestion.
    pub message: Message,
    /// Where.
    pub locations: Vec<Location<'a>>,
    /// A safe rewrite, when there is one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix<'a>>,
    /// With a baseline: `new`, or `unchanged` for a finding the baseline accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<&'a str>,
    /// With a baseline, for an accepted finding: the baseline that accepts it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression<'a>>,
}

/// A place in a file.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location<'a> {
    /// The file and, for a finding, the region.
    pub physical_location: PhysicalLocation<'a>,
}

/// A file and a region of it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation<'a> {
    /// The file.
    pub artifact_location: ArtifactLocation<'a>,
    /// The region; absent when the whole file is meant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

/// A file, as a URI reference relative to where the linter ran.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactLocation<'a> {
    /// Forward slashes; spaces and `%`, `#`, `?` escaped.
    pub uri: &'a str,
}

/// Lines and columns, from 1; the end column is past the last character.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    /// First line.
    pub start_line: u32,
    /// First column.
    pub start_column: u32,
    /// Last line.
    pub end_line: u32,
    /// The column past the end.
    pub end_column: u32,
}

/// A rewrite a tool may apply.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix<'a> {
    /// What it does.
    pub description: Message,
    /// The change to the file.
    pub artifact_changes: Vec<ArtifactChange<'a>>,
}

/// Replacements in one file.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactChange<'a> {
    /// The file.
    pub artifact_location: ArtifactLocation<'a>,
    /// What to replace.
    pub replacements: Vec<Replacement<'a>>,
}

/// A region and the text that replaces it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replacement<'a> {
    /// The region replaced.
    pub deleted_region: Region,
    /// The new text.
    pub inserted_content: Content<'a>,
}

/// Inserted text.
#[derive(Debug, Clone, Serialize)]
pub struct Content<'a> {
    /// The text.
    pub text: &'a str,
}

/// Why a finding is not counted: accepted in a baseline file.
#[derive(Debug, Clone, Serialize)]
pub struct Suppression<'a> {
    /// `external`: recorded outside the source.
    pub kind: &'a str,
    /// `accepted`.
    pub status: &'a str,
    /// Which baseline.
    pub justification: String,
    /// The baseline file.
    pub location: Location<'a>,
}
