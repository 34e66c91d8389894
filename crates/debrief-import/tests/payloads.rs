//! Alertmanager and PagerDuty deliveries written for these tests (`tests/data`): one
//! incident, seen firing and resolved by Alertmanager and triggered, acknowledged,
//! escalated and resolved in PagerDuty. Both name the same incident key; merged into a
//! postmortem, they give its four milestones, once however often they are delivered.

use debrief_import::{alertmanager, merge, pagerduty};
use std::path::Path;

fn payload(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(path).expect("a fixture")
}

fn entries_of(names: &[&str]) -> Vec<debrief_import::Entry> {
    let mut entries = Vec::new();
    for name in names {
        let body = payload(name);
        if name.starts_with("alertmanager") {
            entries.extend(alertmanager::read(&body, name).expect("a payload").entries);
        } else if let Some(delivery) = pagerduty::read(&body, name).expect("a payload") {
            entries.extend(delivery.entries);
        }
    }
    entries
}

const ALL: [&str; 7] = [
    "alertmanager/firing.json",
    "alertmanager/resolved.json",
    "pagerduty/triggered.json",
    "pagerduty/acknowledged.json",
    "pagerduty/escalated.json",
    "pagerduty/resolved.json",
    "pagerduty/ping.json",
];

#[test]
fn the_deliveries_give_entries_and_one_incident_key() {
    let firing = alertmanager::read(&payload(ALL[0]), ALL[0]).expect("firing");
    let resolved = alertmanager::read(&payload(ALL[1]), ALL[1]).expect("resolved");
    let triggered = pagerduty::read(&payload(ALL[2]), ALL[2])
        .expect("triggered")
        .expect("an incident's event");
    assert!(!firing.resolved && resolved.resolved);
    assert_eq!(firing.incident_key, triggered.incident_key, "one incident");
    assert_eq!(firing.title, "Checkout 5xx rate above 2%");
    assert_eq!(firing.services, ["checkout"]);
    assert_eq!(firing.severity.as_deref(), Some("page"));
    assert_eq!(triggered.severity.as_deref(), Some("P2"));
    assert!(
        pagerduty::read(&payload("pagerduty/ping.json"), "ping")
            .expect("a ping")
            .is_none(),
        "a ping is nobody's incident"
    );
    let entries: Vec<String> = entries_of(&ALL)
        .iter()
        .map(|e| {
            format!(
                "{} [{}] {}",
                e.at,
                e.milestone.map_or("", |m| m.name()),
                merge::written(e)
            )
        })
        .collect();
    insta::assert_json_snapshot!("payload-entries", entries);
    let everything = entries.join("\n");
    assert!(!everything.contains("Priya"), "the responder is a role");
}

#[test]
fn merged_twice_the_milestones_are_there_once_with_their_durations() {
    let document = "---\ntitle: Checkout errors\ndate: 2026-06-13\n---\n\n## Summary\n\nCheckout failed.\n\n\
                    ## Action items\n\n- [ ] Check pool limits in CI (owner: @payments, due: 2099-07-01)\n";
    let mut postmortem = debrief_core::read(document).postmortem;
    let entries = entries_of(&ALL);
    // The alert's start comes in both of Alertmanager's deliveries: once in the timeline.
    let first = merge::merge(&mut postmortem, &entries);
    assert_eq!((first.added, first.duplicates), (6, 1));
    let again = merge::merge(&mut postmortem, &entries);
    assert_eq!((again.added, again.duplicates), (0, 7));
    let written = debrief_core::write(&postmortem);
    let read = debrief_core::read(&written).postmortem;
    let metrics = debrief_core::analyse(&read).metrics;
    // Started 22:58:30 (the alert), detected 23:00:41 (the page), acknowledged 23:02:05,
    // resolved 00:21:30 (the alert cleared before the incident was closed at 00:26:12).
    assert_eq!(metrics.time_to_detect_s, Some(131), "{written}");
    assert_eq!(metrics.time_to_acknowledge_s, Some(215), "{written}");
    assert_eq!(metrics.time_to_resolve_s, Some(4980), "{written}");
    insta::assert_snapshot!("merged-timeline", written);
}

#[test]
fn broken_payloads_say_which_file_and_why() {
    let error =
        alertmanager::read(b"{\"version\": \"4\", \"status\": ", "am.json").expect_err("truncated");
    assert_eq!(error.file, "am.json:1:27");
    assert!(error.reason.starts_with("it is not valid JSON"), "{error}");
    let error = alertmanager::read(
        br#"{"version": "3", "groupKey": "x", "status": "firing", "alerts": []}"#,
        "am.json",
    )
    .expect_err("old version");
    assert!(
        error.reason.contains("debrief reads version \"4\""),
        "{error}"
    );
    let error = alertmanager::read(
        br#"{"version": "4", "groupKey": "x", "status": "firing", "alerts": [{"status": "firing", "startsAt": "yesterday"}]}"#,
        "am.json",
    )
    .expect_err("a bad instant");
    assert_eq!(error.file, "am.json: alerts[0]");
    let error = pagerduty::read(br#"{"event": {"id": "1"}}"#, "pd.json").expect_err("no type");
    assert!(error.reason.contains("event_type"), "{error}");
}
