//! `debrief.toml`: the roster, required sections, per-rule severity, allowed words.
//!
//! ```toml
//! [lint]
//! fail_on = "warning"                # the lowest severity that makes `debrief lint` exit 1
//! required_sections = ["summary", "impact", "timeline", "root_cause", "action_items"]
//! require_tracker = false
//! allowed_words = ["Sydney", "Hudson"]
//!
//! [lint.severity]
//! hindsight = "info"                 # or "warning", "error", "off"
//!
//! [roster]
//! "Priya Raman" = "the on-call engineer"
//! ```
//! Parsing takes the file's text; finding the file is the caller's business.

use crate::names::Roster;
use crate::rules::rule;
use debrief_core::RuleId;
use debrief_core::Severity;
use debrief_core::model::SectionKind;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Lint configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// People and the roles to write instead of their names.
    pub roster: Roster,
    /// Sections a postmortem must have. `RootCause` is also satisfied by contributing factors.
    pub required_sections: Vec<SectionKind>,
    /// Severity per rule id; `None` turns a rule off.
    pub severities: HashMap<RuleId, Option<Severity>>,
    /// Lower-case words never taken for names of people.
    pub allowed_words: HashSet<String>,
    /// Whether every action item needs a tracker reference.
    pub require_tracker: bool,
    /// The lowest severity that fails `debrief lint`.
    pub fail_on: Severity,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            roster: Roster::default(),
            required_sections: vec![
                SectionKind::Summary,
                SectionKind::Impact,
                SectionKind::Timeline,
                SectionKind::RootCause,
                SectionKind::ActionItems,
            ],
            severities: HashMap::new(),
            allowed_words: HashSet::new(),
            require_tracker: false,
            fail_on: Severity::Warning,
        }
    }
}

/// A configuration that cannot be used, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ConfigError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

impl Config {
    /// The severity of a rule under this configuration; `None` when it is off.
    pub fn severity(&self, id: RuleId) -> Option<Severity> {
        match self.severities.get(&id) {
            Some(configured) => *configured,
            None => rule(id).map(|r| r.severity),
        }
    }

    /// Parses `debrief.toml`. Unknown rule ids, sections and severities are errors with their
    /// position; unknown top-level tables are left for other parts of debrief.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let at = e.span().map_or(0, |s| s.start);
            error_at(text, at..at, e.message().to_string())
        })?;
        let mut config = Config::default();
        if let Some(lint) = table.get("lint") {
            let lint = lint
                .as_table()
                .ok_or_else(|| error_key(text, "lint", "`lint` must be a table".into()))?;
            for (key, value) in lint {
                match key.as_str() {
                    "fail_on" => {
                        let name = value.as_str().unwrap_or("");
                        config.fail_on = Severity::parse(name).ok_or_else(|| {
                            error_key(
                                text,
                                key,
                                format!("`fail_on` must be info, warning or error, not {value}"),
                            )
                        })?;
                    }
                    "require_tracker" => {
                        config.require_tracker = value.as_bool().ok_or_else(|| {
                            error_key(text, key, "`require_tracker` must be true or false".into())
                        })?;
                    }
                    "allowed_words" => {
                        for word in strings(text, key, value)? {
                            config.allowed_words.insert(word.to_lowercase());
                        }
                    }
                    "required_sections" => {
                        let mut sections = Vec::new();
                        for id in strings(text, key, value)? {
                            let kind = SectionKind::RECOGNISED
                                .iter()
                                .copied()
                                .find(|k| k.id() == id)
                                .ok_or_else(|| {
                                    let known: Vec<&str> =
                                        SectionKind::RECOGNISED.iter().map(|k| k.id()).collect();
                                    error_key(
                                        text,
                                        &id,
                                        format!(
                                            "unknown section `{id}`; known sections: {}",
                                            known.join(", ")
                                        ),
                                    )
                                })?;
                            sections.push(kind);
                        }
                        config.required_sections = sections;
                    }
                    "severity" => {
                        let severities = value.as_table().ok_or_else(|| {
                            error_key(
                                text,
                                key,
                                "`lint.severity` must be a table of rule = severity".into(),
                            )
                        })?;
                        for (id, level) in severities {
                            let known = RuleId::parse(id).and_then(rule).ok_or_else(|| {
                                error_key(
                                    text,
                                    id,
                                    format!(
                                        "unknown rule `{id}` (`debrief explain` lists the rules)"
                                    ),
                                )
                            })?;
                            let name = level.as_str().unwrap_or("");
                            let severity = if name.eq_ignore_ascii_case("off") {
                                None
                            } else {
                                Some(Severity::parse(name).ok_or_else(|| {
                                    error_key(text, id, format!("severity of `{id}` must be off, info, warning or error, not {level}"))
                                })?)
                            };
                            config.severities.insert(known.id, severity);
                        }
                    }
                    other => {
                        return Err(error_key(
                            text,
                            other,
                            format!("unknown setting `lint.{other}`"),
                        ));
                    }
                }
            }
        }
        if let Some(roster) = table.get("roster") {
            let roster = roster.as_table().ok_or_else(|| {
                error_key(
                    text,
                    "roster",
                    "`roster` must be a table of name = role".into(),
                )
            })?;
            for (name, role) in roster {
                let role = role.as_str().ok_or_else(|| {
                    error_key(text, name, format!("the role of `{name}` must be a string"))
                })?;
                config.roster.add(name, Some(role));
            }
        }
        Ok(config)
    }
}

fn strings(text: &str, key: &str, value: &toml::Value) -> Result<Vec<String>, ConfigError> {
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| error_key(text, key, format!("`{key}` must be a list of strings")))
}

/// An error at the first place `key` is written (as a key or a quoted string).
fn error_key(text: &str, key: &str, message: String) -> ConfigError {
    let quoted = format!("\"{key}\"");
    let at = text
        .match_indices(key)
        .find(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + key.len()..].chars().next();
            before.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-')
                && after.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-')
        })
        .map(|(i, _)| i)
        .or_else(|| text.find(&quoted))
        .unwrap_or(0);
    error_at(text, at..at, message)
}

fn error_at(text: &str, range: Range<usize>, message: String) -> ConfigError {
    let span = debrief_core::LineIndex::new(text).span(range);
    ConfigError {
        line: span.line,
        column: span.column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_configuration() {
        let config = Config::from_toml(
            "[lint]\nfail_on = \"error\"\nrequired_sections = [\"summary\", \"timeline\"]\nallowed_words = [\"Hudson\"]\n\
             [lint.severity]\nhindsight = \"off\"\ncounterfactual = \"error\"\n[roster]\n\"Priya Raman\" = \"the on-call engineer\"\n",
        )
        .expect("valid");
        assert_eq!(config.fail_on, Severity::Error);
        assert_eq!(
            config.required_sections,
            [SectionKind::Summary, SectionKind::Timeline]
        );
        assert_eq!(config.severity(RuleId::Hindsight), None);
        assert_eq!(
            config.severity(RuleId::Counterfactual),
            Some(Severity::Error)
        );
        assert_eq!(
            config.severity(RuleId::NamedIndividual),
            Some(Severity::Warning)
        );
        assert!(config.allowed_words.contains("hudson"));
        assert!(!config.roster.is_empty());
    }

    #[test]
    fn unknown_rule_is_an_error_with_its_line() {
        let err =
            Config::from_toml("[lint.severity]\nhindsight = \"info\"\nblame-langauge = \"off\"\n")
                .expect_err("unknown rule");
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.message.contains("blame-langauge"), "{}", err.message);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = Config::from_toml("[lint]\nfail_on = \n").expect_err("syntax");
        assert_eq!(err.line, 2);
    }
}
