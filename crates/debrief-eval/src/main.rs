//! `debrief-eval [--verbose] [CORPUS]`: prints how well debrief reads and judges the labelled
//! real postmortems of the corpus, per source repository, with the held-out repositories apart.

use debrief_eval::{Evaluation, HELD_OUT, Scores, evaluate};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut verbose = false;
    let mut root = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "-v" | "--verbose" => verbose = true,
            "-h" | "--help" => {
                println!(
                    "usage: debrief-eval [--verbose] [CORPUS]\n\n\
                     Measures blame precision and recall, action-item accuracy, milestone\n\
                     accuracy and timelines read on the labelled corpus (default: $DEBRIEF_CORPUS,\n\
                     else ../shared/corpus). --verbose prints every disagreement."
                );
                return ExitCode::SUCCESS;
            }
            _ if arg.starts_with('-') => {
                eprintln!("debrief-eval: unknown option {arg}; see --help");
                return ExitCode::from(2);
            }
            _ => root = Some(PathBuf::from(arg)),
        }
    }
    let root = root
        .or_else(|| std::env::var_os("DEBRIEF_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("../shared/corpus"));
    match evaluate(&root) {
        Ok(evaluation) => {
            print(&evaluation, verbose);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("debrief-eval: {error}");
            ExitCode::from(2)
        }
    }
}

fn print(evaluation: &Evaluation, verbose: bool) {
    if verbose {
        for d in &evaluation.disagreements {
            println!("{:<46} {}", d.repo, d.what);
        }
        println!();
    }
    println!(
        "{:<46} {:>15} {:>15} {:>13} {:>13} {:>11}",
        "repository", "blame precision", "blame recall", "actions", "milestones", "timelines"
    );
    for (repo, scores) in &evaluation.by_repo {
        let mark = if HELD_OUT.contains(&repo.as_str()) {
            " (held out)"
        } else {
            ""
        };
        row(&format!("{repo}{mark}"), scores);
    }
    println!();
    row("development", &evaluation.development());
    row("held out", &evaluation.held_out());
    row("all", &evaluation.total(|_| true));
}

fn row(name: &str, s: &Scores) {
    let rate = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{r:.2}"));
    let confusion = &s.blame;
    let flagged = confusion.true_positive + confusion.false_positive;
    let expected = confusion.true_positive + confusion.false_negative;
    let tally = |t: &debrief_eval::Tally| {
        if t.total == 0 {
            "-".to_string()
        } else {
            format!("{}/{} {}", t.right, t.total, rate(t.rate()))
        }
    };
    println!(
        "{name:<46} {:>15} {:>15} {:>13} {:>13} {:>11}",
        format!(
            "{} ({}/{flagged})",
            rate(confusion.precision()),
            confusion.true_positive
        ),
        format!(
            "{} ({}/{expected})",
            rate(confusion.recall()),
            confusion.true_positive
        ),
        tally(&s.actions),
        tally(&s.milestones),
        format!("{}/{}", s.timelines.right, s.timelines.total),
    );
}
