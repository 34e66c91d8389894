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

/// Every DFDS document, the template included, read and linted as `debrief review` does.
fn dfds_scores(dir: &std::path::Path) -> Vec<(String, debrief_review::score::Score)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the DFDS directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            name.is_some_and(|n| n.starts_with("PM"))
        })
        .collect();
    paths.sort();
    let config = debrief_lint::Config::default();
    let today = jiff::civil::date(2026, 11, 21);
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read");
            let options = debrief_lint::Options {
                config: &config,
                today,
                read: debrief_core::ReadOptions::for_path(path),
            };
            let linted = debrief_lint::lint(&text, &options);
            let blame_free = !linted
                .findings
                .iter()
                .any(|f| f.category == debrief_lint::Category::Blame);
            let entry = Entry::new(
                path.display().to_string(),
                &linted.read.postmortem,
                &linted.read.analysis,
                Some(blame_free),
            );
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .to_string();
            (name, debrief_review::score::score(&entry))
        })
        .collect()
}

#[test]
fn dfds_write_up_scores_are_varied_and_the_template_scores_lowest() {
    let Some(dir) = dfds() else { return };
    let scores = dfds_scores(&dir);
    for (name, score) in &scores {
        let parts: Vec<String> = score
            .parts
            .iter()
            .map(|p| match p.points {
                Some(v) => format!("{}={v}", p.part),
                None => format!("{}=-", p.part),
            })
            .collect();
        println!("{:>3}  {name}  [{}]", score.total, parts.join(" "));
    }
    let (templates, postmortems): (Vec<_>, Vec<_>) = scores
        .iter()
        .partition(|(name, _)| name.contains("template"));
    assert_eq!(templates.len(), 1, "the DFDS template");
    assert_eq!(postmortems.len(), 32);
    let template = templates[0].1.total;
    let totals: Vec<u32> = postmortems.iter().map(|(_, s)| s.total).collect();
    let (low, high) = (
        *totals.iter().min().expect("scores"),
        *totals.iter().max().expect("scores"),
    );
    assert!(
        template < low,
        "the template ({template}) scores below every postmortem (lowest {low})"
    );
    let mut distinct = totals.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(distinct.len() >= 6, "varied scores: {distinct:?}");
    assert!(high - low >= 20, "a spread of scores: {low} to {high}");
    // Sensible: every DFDS postmortem has a summary, a timeline and action items, none
    // quantifies its impact, so none is near either end.
    assert!(low >= 20 && high <= 85, "{low} to {high}");
    for (name, score) in &postmortems {
        assert!(
            score.parts[0].points >= Some(12.0),
            "{name}: {:?}",
            score.parts[0]
        );
        assert_eq!(
            score.parts[1].points,
            Some(0.0),
            "{name}: no impact section"
        );
    }
    // The template has no section written, no milestone and no action item.
    let template = &templates[0].1;
    for part in ["sections", "milestones", "action_items", "evidence"] {
        let p = template.parts.iter().find(|p| p.part == part).expect(part);
        assert_eq!(p.points, Some(0.0), "template {part}: {p:?}");
    }
}
