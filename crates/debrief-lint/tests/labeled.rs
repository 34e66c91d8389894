//! Judgement quality on `labeled.jsonl` from the shared corpus (found through
//! `DEBRIEF_CORPUS`): real sentences labelled `flag` or `ok`, real action items labelled
//! `vague` or `concrete`. Prints precision and recall for sentences, accuracy for action
//! items, and every disagreement:
//!
//! `DEBRIEF_CORPUS=../shared/corpus cargo test -p debrief-lint --test labeled -- --nocapture`

use debrief_lint::{Category, Config, Options, lint};
use std::path::PathBuf;

#[derive(Debug)]
struct Example {
    kind: String,
    label: String,
    text: String,
}

fn examples() -> Option<Vec<Example>> {
    let Some(dir) = std::env::var_os("DEBRIEF_CORPUS") else {
        println!(
            "SKIPPED: DEBRIEF_CORPUS is not set; set it to ../shared/corpus to measure judgement quality"
        );
        return None;
    };
    let text = std::fs::read_to_string(PathBuf::from(dir).join("labeled.jsonl"))
        .expect("labeled.jsonl is readable");
    Some(parse(&text))
}

fn parse(text: &str) -> Vec<Example> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("one JSON object a line");
            let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            Example {
                kind: field("kind"),
                label: field("label"),
                text: field("text"),
            }
        })
        .collect()
}

#[test]
fn judgement_quality_on_labeled_examples() {
    let Some(examples) = examples() else { return };
    let (precision, recall, accuracy) = measure("labeled.jsonl", &examples);
    assert!(
        precision >= 0.9,
        "sentence precision {precision:.3} is below 0.9"
    );
    assert!(recall >= 0.85, "sentence recall {recall:.3} is below 0.85");
    assert!(
        accuracy >= 0.85,
        "action-item accuracy {accuracy:.3} is below 0.85"
    );
}

/// Examples written for debrief in the same spirit, never used to write the rules' word lists:
/// a check that the rules generalise beyond the shared labels.
#[test]
fn judgement_quality_on_held_out_examples() {
    let examples = parse(include_str!("fixtures/heldout.jsonl"));
    let (precision, recall, accuracy) = measure("heldout.jsonl", &examples);
    assert!(
        precision >= 0.85,
        "held-out sentence precision {precision:.3}"
    );
    assert!(recall >= 0.8, "held-out sentence recall {recall:.3}");
    assert!(
        accuracy >= 0.8,
        "held-out action-item accuracy {accuracy:.3}"
    );
}

/// Lints the examples as one document; prints the table; returns precision, recall, accuracy.
fn measure(name: &str, examples: &[Example]) -> (f64, f64, f64) {
    // Each sentence its own paragraph in a narrative section; each action item a task with an
    // owner and a future due date, so that neither decides the label.
    let mut doc =
        String::from("# Postmortem: Evaluation, 2026-01-01\n\n## Root cause analysis\n\n");
    let mut lines = Vec::new();
    let sentences: Vec<&Example> = examples.iter().filter(|e| e.kind == "sentence").collect();
    let items: Vec<&Example> = examples
        .iter()
        .filter(|e| e.kind == "action_item")
        .collect();
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
    let on_line = |line: usize, pred: &dyn Fn(&debrief_lint::Finding) -> bool| {
        linted
            .findings
            .iter()
            .any(|f| f.diagnostic.span.line as usize == line && pred(f))
    };

    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    println!("{name}: disagreements:");
    for (e, &line) in sentences.iter().zip(&lines) {
        let flagged = on_line(line, &|f| f.category == Category::Blame);
        let expected = e.label == "flag";
        match (expected, flagged) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
        }
        if expected != flagged {
            let rules: Vec<_> = linted
                .findings
                .iter()
                .filter(|f| f.diagnostic.span.line as usize == line)
                .map(|f| f.diagnostic.rule)
                .collect();
            println!(
                "  sentence labelled {:<5} flagged={flagged:<5} {rules:?} {}",
                e.label,
                e.text.chars().take(110).collect::<String>()
            );
        }
    }
    let (mut right, mut wrong) = (0, 0);
    for (e, &line) in items.iter().zip(&lines[sentences.len()..]) {
        let vague = on_line(line, &|f| f.diagnostic.rule == "vague-action");
        if vague == (e.label == "vague") {
            right += 1;
        } else {
            wrong += 1;
            println!(
                "  action item labelled {:<8} vague={vague:<5} {}",
                e.label,
                e.text.chars().take(110).collect::<String>()
            );
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let accuracy = right as f64 / (right + wrong).max(1) as f64;
    println!(
        "sentences: {} (tp {tp}, fp {fp}, fn {fn_}, tn {tn})",
        sentences.len()
    );
    println!("  precision {precision:.3}  recall {recall:.3}");
    println!(
        "action items: {}  accuracy {accuracy:.3} ({right}/{})",
        items.len(),
        right + wrong
    );
    assert!(
        sentences.len() >= 30 && items.len() >= 15,
        "expected the whole labelled set"
    );
    (precision, recall, accuracy)
}
