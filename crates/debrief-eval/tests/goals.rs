//! The evaluation on the shared corpus (found through `DEBRIEF_CORPUS`) must not fall below the
//! figures debrief has reached; `cargo run -p debrief-eval` prints them all.

use debrief_eval::{Evaluation, HELD_OUT, evaluate, measure_examples, parse_examples};
use std::path::PathBuf;

fn corpus() -> Option<Evaluation> {
    let Some(dir) = std::env::var_os("DEBRIEF_CORPUS") else {
        println!("SKIPPED: DEBRIEF_CORPUS is not set; set it to ../shared/corpus to evaluate");
        return None;
    };
    Some(evaluate(&PathBuf::from(dir)).expect("the corpus evaluates"))
}

fn at_least(what: &str, rate: Option<f64>, floor: f64) {
    let rate = rate.unwrap_or(0.0);
    assert!(rate >= floor, "{what} is {rate:.3}, below {floor}");
}

#[test]
fn development_data_holds_its_figures() {
    let Some(evaluation) = corpus() else { return };
    let dev = evaluation.development();
    assert!(
        dev.blame.true_positive + dev.blame.false_negative >= 50,
        "expected every label"
    );
    at_least("blame precision", dev.blame.precision(), FLOORS.precision);
    at_least("blame recall", dev.blame.recall(), FLOORS.recall);
    at_least("action accuracy", dev.actions.rate(), FLOORS.actions);
    at_least(
        "milestone accuracy",
        dev.milestones.rate(),
        FLOORS.milestones,
    );
    at_least("timelines read", dev.timelines.rate(), FLOORS.timelines);
}

#[test]
fn held_out_repositories_are_evaluated() {
    let Some(evaluation) = corpus() else { return };
    for repo in HELD_OUT {
        assert!(
            evaluation.by_repo.contains_key(repo),
            "{repo} has no labels"
        );
    }
    let held = evaluation.held_out();
    assert!(held.blame.true_positive + held.blame.false_negative > 0);
    assert!(held.milestones.total > 0);
}

/// Examples written for debrief in the same spirit as the labels, never used to write rules.
#[test]
fn examples_written_here_are_judged_right() {
    let examples = parse_examples(include_str!("heldout.jsonl")).expect("one object a line");
    let evaluation = measure_examples("heldout", &examples);
    let scores = evaluation.total(|_| true);
    for d in &evaluation.disagreements {
        println!("{}", d.what);
    }
    at_least("precision", scores.blame.precision(), 0.85);
    at_least("recall", scores.blame.recall(), 0.8);
    at_least("action accuracy", scores.actions.rate(), 0.8);
}

struct Floors {
    precision: f64,
    recall: f64,
    actions: f64,
    milestones: f64,
    timelines: f64,
}

/// What the development data reached when these were last raised.
const FLOORS: Floors = Floors {
    precision: 0.95,
    recall: 0.92,
    actions: 0.94,
    milestones: 0.85,
    timelines: 1.0,
};
