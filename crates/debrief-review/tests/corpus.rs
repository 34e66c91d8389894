//! The review of the DFDS postmortems in `../shared/corpus` (found through `DEBRIEF_CORPUS`)
//! finds the causes a reader sees recurring there: load balancers and ingress, node
//! failures, the logging pipeline and the metrics exporters. Run with `--nocapture` to see
//! the report.

use debrief_review::{Entry, Options, review};
use std::path::PathBuf;

fn dfds() -> Option<PathBuf> {
    match std::env::var("DEBRIEF_CORPUS") {
        Ok(corpus) => Some(PathBuf::from(corpus).join("dfds-postmortems")),
        Err(_) => {
            eprintln!("SKIPPED the DFDS review: DEBRIEF_CORPUS is not set");
            None
        }
    }
}

#[test]
fn dfds_recurring_causes_are_the_ones_a_reader_sees() {
    let Some(dir) = dfds() else { return };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the DFDS directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && !p.to_string_lossy().contains("template")
                && !p.ends_with("README.md")
        })
        .collect();
    paths.sort();
    let entries: Vec<Entry> = paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read");
            let read = debrief_core::read(&text);
            Entry::new(
                path.display().to_string(),
                &read.postmortem,
                &read.analysis,
                None,
            )
        })
        .collect();
    let today = jiff::civil::date(2026, 11, 21);
    let review = review(
        &entries,
        &Options {
            from: None,
            to: None,
            today,
        },
    );
    println!("{}", debrief_review::markdown(&review));
    let themes: Vec<&Vec<String>> = review.causes.recurring.iter().map(|c| &c.shared).collect();
    let has = |words: &[&str]| {
        themes
            .iter()
            .any(|shared| words.iter().any(|w| shared.iter().any(|s| s == w)))
    };
    for (theme, words) in [
        (
            "load balancers and ingress",
            &["503", "alb", "traefik", "ingress"][..],
        ),
        ("node failures", &["nodes", "node"][..]),
        ("the logging pipeline", &["cloudwatch", "logs"][..]),
        (
            "metrics exporters",
            &["kafka", "exported", "exporter", "prometheus"][..],
        ),
    ] {
        assert!(has(words), "no recurring cause about {theme}: {themes:?}");
    }
    // Every cause spans two postmortems at least, and its evidence comes from each of them.
    for cause in &review.causes.recurring {
        assert!(cause.postmortems.len() >= 2);
        assert_eq!(cause.evidence.len(), cause.postmortems.len());
    }
}
