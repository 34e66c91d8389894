//! The classic template from the product description, read completely.

use debrief_core::model::{Milestone, SectionKind};
use debrief_core::{analyse, read, write};
use jiff::civil::date;

const CLASSIC: &str = include_str!("fixtures/classic.md");

#[test]
fn classic_reads_completely() {
    let read = read(CLASSIC);
    assert_eq!(read.diagnostics, vec![], "no diagnostics");
    let pm = &read.postmortem;
    assert_eq!(pm.meta.title, "Checkout 500 errors");
    assert_eq!(pm.meta.date, Some(date(2026, 6, 14)));
    assert_eq!(pm.meta.timezone.as_deref(), Some("UTC"));
    let kinds: Vec<SectionKind> = pm.sections.iter().map(|s| s.body.kind()).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Summary,
            SectionKind::Impact,
            SectionKind::Timeline,
            SectionKind::RootCause,
            SectionKind::WentWell,
            SectionKind::WentBadly,
            SectionKind::ActionItems
        ]
    );

    let entries: Vec<_> = pm.timeline_entries().collect();
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[0].at.to_string(), "2026-06-14T14:02:00Z");
    assert_eq!(entries[4].text, "Error rate returns to baseline");

    let items: Vec<_> = pm.action_items().collect();
    let owners: Vec<_> = items
        .iter()
        .map(|i| i.owner.as_deref().unwrap_or(""))
        .collect();
    let dues: Vec<_> = items
        .iter()
        .map(|i| i.due.as_ref().and_then(|d| d.date))
        .collect();
    assert_eq!(owners, ["A", "B", "C"]);
    assert_eq!(
        dues,
        [
            Some(date(2026, 6, 28)),
            Some(date(2026, 7, 12)),
            Some(date(2026, 6, 21))
        ]
    );
    assert_eq!(
        items[0].due.as_ref().map(|d| d.written.as_str()),
        Some("2 weeks")
    );

    let impact = pm.impact().expect("impact section");
    assert_eq!(impact.items.len(), 3);
    assert!(impact.items.iter().all(|i| !i.quantities.is_empty()));
}

#[test]
fn classic_metrics() {
    let analysis = analyse(&read(CLASSIC).postmortem);
    let m = analysis.metrics;
    assert_eq!(m.duration_s, Some(1380));
    assert_eq!(m.time_to_detect_s, Some(180));
    assert_eq!(m.time_to_acknowledge_s, Some(540));
    assert_eq!(m.time_to_resolve_s, Some(1380));
    assert_eq!(
        analysis.milestones,
        [
            Some(Milestone::Started),
            Some(Milestone::Detected),
            Some(Milestone::Acknowledged),
            None,
            Some(Milestone::Resolved)
        ]
    );
}

#[test]
fn classic_is_canonical() {
    assert_eq!(write(&read(CLASSIC).postmortem), CLASSIC);
}
