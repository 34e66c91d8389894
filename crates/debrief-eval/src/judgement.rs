//! The linter's judgement on labelled sentences and action items.
//!
//! The examples of one repository become one document, each sentence its own paragraph of a
//! narrative section and each action item a task with an owner and a future due date, so that
//! neither the ownership nor the date decides the label, only the words.

use crate::{Evaluation, repo_of};
use debrief_lint::{Category, Config, Finding, Options, lint};
use std::collections::BTreeMap;

/// One labelled example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// `sentence` or `action_item`.
    pub kind: String,
    /// `flag` or `ok` for sentences, `vague` or `concrete` for action items.
    pub label: String,
    /// The text, verbatim from its source.
    pub text: String,
    /// The file it comes from, under the corpus (the repository is its first component).
    pub source: String,
}

/// Parses one JSON object a line; an error names the line.
pub fn parse_examples(text: &str) -> Result<Vec<Example>, (usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| (i + 1, e.to_string()))?;
        let field = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        out.push(Example {
            kind: field("kind"),
            label: field("label"),
            text: field("text"),
            source: field("source"),
        });
    }
    Ok(out)
}

/// Measures every example, one document per repository, into `evaluation`.
pub(crate) fn measure(examples: &[Example], evaluation: &mut Evaluation) {
    let mut by_repo: BTreeMap<&str, Vec<&Example>> = BTreeMap::new();
    for example in examples {
        by_repo
            .entry(repo_of(&example.source))
            .or_default()
            .push(example);
    }
    for (repo, examples) in by_repo {
        measure_repo(repo, &examples, evaluation);
    }
}

/// Measures examples that come without a corpus file (written for debrief) under `name`.
pub fn measure_examples(name: &str, examples: &[Example]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    let refs: Vec<&Example> = examples.iter().collect();
    measure_repo(name, &refs, &mut evaluation);
    evaluation
}

fn measure_repo(repo: &str, examples: &[&Example], evaluation: &mut Evaluation) {
    let sentences: Vec<&Example> = examples
        .iter()
        .copied()
        .filter(|e| e.kind == "sentence")
        .collect();
    let items: Vec<&Example> = examples
        .iter()
        .copied()
        .filter(|e| e.kind == "action_item")
        .collect();
    let mut doc =
        String::from("# Postmortem: Evaluation, 2026-01-01\n\n## Root cause analysis\n\n");
    let mut lines = Vec::new();
    for e in &sentences {
        lines.push(doc.lines().count() + 1);
        doc.push_str(&e.text.replace('\n', " "));
        doc.push_str("\n\n");
    }
    doc.push_str("## Action items\n\n");
    for e in &items {
        lines.push(doc.lines().count() + 1);
        doc.push_str(&format!(
            "- [ ] {} (owner: SRE, due: 2099-12-31)\n",
            e.text.replace('\n', " ")
        ));
    }
    let config = Config::default();
    let linted = lint(&doc, &Options::new(&config, jiff::civil::date(2026, 6, 1)));
    let on_line = |line: usize| -> Vec<&Finding> {
        linted
            .findings
            .iter()
            .filter(|f| f.diagnostic.span.line as usize == line)
            .collect()
    };
    for (e, &line) in sentences.iter().zip(&lines) {
        let findings = on_line(line);
        let flagged = findings.iter().any(|f| f.category == Category::Blame);
        let expected = e.label == "flag";
        evaluation.repo(repo).blame.count(expected, flagged);
        if expected != flagged {
            let rules: Vec<&str> = findings
                .iter()
                .map(|f| f.diagnostic.rule.as_str())
                .collect();
            evaluation.disagree(
                repo,
                format!(
                    "blame: labelled {:<4} flagged {flagged:<5} {rules:?} {}",
                    e.label,
                    clip(&e.text, 140)
                ),
            );
        }
    }
    for (e, &line) in items.iter().zip(&lines[sentences.len()..]) {
        let vague = on_line(line)
            .iter()
            .any(|f| f.diagnostic.rule == debrief_core::RuleId::VagueAction);
        let right = vague == (e.label == "vague");
        evaluation.repo(repo).actions.count(right);
        if !right {
            evaluation.disagree(
                repo,
                format!(
                    "action: labelled {:<8} vague {vague:<5} {}",
                    e.label,
                    clip(&e.text, 140)
                ),
            );
        }
    }
}

fn clip(text: &str, chars: usize) -> String {
    let flat = text.replace('\n', " ");
    match flat.char_indices().nth(chars) {
        Some((end, _)) => format!("{}…", &flat[..end]),
        None => flat,
    }
}
