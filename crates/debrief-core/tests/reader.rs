//! The reader on the kinds of messy input real postmortems are written in.

use debrief_core::model::{Milestone, SectionKind};
use debrief_core::{Severity, read};

fn instants(text: &str) -> Vec<String> {
    read(text)
        .postmortem
        .timeline_entries()
        .map(|e| e.at.to_string())
        .collect()
}

#[test]
fn pacific_times_with_date_lines_and_am_pm() {
    let text = "# January 23rd, 2019 Prow Outage\n\n## Timeline\n\nAll times in PST\n\n2019-01-22\n\n\
                - 2:54 PM PST: config PR merged\n\n- 3:28 PM PST: bad config uploaded\n\n2019-01-23\n\n\
                - 4:49 AM: first user report\n- 8:27 AM: resolution confirmed\n";
    let read = read(text);
    assert_eq!(read.postmortem.meta.timezone.as_deref(), Some("PST"));
    assert_eq!(
        instants(text),
        [
            "2019-01-22T22:54:00Z",
            "2019-01-22T23:28:00Z",
            "2019-01-23T12:49:00Z",
            "2019-01-23T16:27:00Z"
        ]
    );
    assert_eq!(
        read.postmortem.meta.date,
        Some(jiff::civil::date(2019, 1, 23))
    );
}

#[test]
fn cet_table_with_summer_time() {
    let text = "# Outage\n\n## Timeline\n\n| Date and Time in CET | Event |\n|---|---|\n\
                | 2021-06-22 08:21 | VPC CNI replaced (problem started) |\n| 2021-06-22 08:29 | Alert fires |\n";
    // Copenhagen in June is UTC+2.
    assert_eq!(
        instants(text),
        ["2021-06-22T06:21:00Z", "2021-06-22T06:29:00Z"]
    );
}

#[test]
fn bold_utc_times_and_midnight() {
    let text = "# Postmortem: Flags down, 2025-09-29\n\n## Timeline\n\n- **23:50 UTC** - Writer database saturates\n\n\
                ![graph](x.png)\n\n- **00:10 UTC** - Alert fires\n- **01:02 UTC** - Error rate returns to normal\n";
    let read = read(text);
    assert_eq!(
        instants(text),
        [
            "2025-09-29T23:50:00Z",
            "2025-09-30T00:10:00Z",
            "2025-09-30T01:02:00Z"
        ]
    );
    assert_eq!(read.analysis.metrics.time_to_detect_s, Some(20 * 60));
    assert_eq!(read.analysis.metrics.duration_s, Some(72 * 60));
    // The image between entries is kept in place.
    assert!(debrief_core::write(&read.postmortem).contains("![graph](x.png)"));
}

#[test]
fn bracketed_times_with_numeric_offsets_and_crlf() {
    let text = "# Postmortem: Boskos, 2019-03-26\r\n\r\n## Timeline (+01:00)\r\n\r\n- [08:47] hook down\r\n- [09:02] pinged on-call\r\n";
    assert_eq!(
        instants(text),
        ["2019-03-26T07:47:00Z", "2019-03-26T08:02:00Z"]
    );
}

#[test]
fn unreadable_entries_are_kept_and_reported_with_position() {
    let text = "# Postmortem: X, 2026-01-02\n\n## Timeline\n\n- 14:02 Deploy\n- sometime later: cache warmed\n";
    let read = read(text);
    let d = read
        .diagnostics
        .iter()
        .find(|d| d.rule.as_str() == "unparsed-timeline-entry")
        .expect("diagnostic");
    assert_eq!((d.span.line, d.span.column), (6, 3));
    assert!(debrief_core::write(&read.postmortem).contains("- sometime later: cache warmed"));
}

#[test]
fn milestones_out_of_order_are_an_error_never_a_negative_duration() {
    let text = "# Postmortem: X, 2026-01-02\n\n## Timeline (UTC)\n\n- 14:00 Deploy\n- 14:10 [resolved] All clear\n\
                - 14:20 [detected] Alert fires\n";
    let read = read(text);
    let d = read
        .diagnostics
        .iter()
        .find(|d| d.rule.as_str() == "milestone-order")
        .expect("diagnostic");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.span.line, 6, "the resolved entry comes before detection");
    let m = read.analysis.metrics;
    assert_eq!(m.time_to_detect_s, Some(20 * 60));
    assert_eq!(m.time_to_resolve_s, Some(10 * 60));
    assert!(
        [m.duration_s, m.time_to_mitigate_s, m.time_to_acknowledge_s]
            .iter()
            .all(|v| v.is_none_or(|s| s >= 0))
    );
}

#[test]
fn explicit_markers_win_over_wording() {
    let text = "# Postmortem: X, 2026-01-02\n\n## Timeline (UTC)\n\n- 13:00 Maintenance window opens\n\
                - 13:30 [started] Queue consumers stall\n- 13:40 [detected] Lag noticed on dashboard\n\
                - 13:45 [acknowledged] On-call takes it\n- 13:55 [mitigated] Consumers restarted\n- 14:30 [resolved] Backlog drained\n";
    let read = read(text);
    assert_eq!(
        read.analysis.milestones,
        [
            None,
            Some(Milestone::Started),
            Some(Milestone::Detected),
            Some(Milestone::Acknowledged),
            Some(Milestone::Mitigated),
            Some(Milestone::Resolved)
        ]
    );
    let m = read.analysis.metrics;
    assert_eq!(
        (
            m.time_to_detect_s,
            m.time_to_acknowledge_s,
            m.time_to_mitigate_s,
            m.time_to_resolve_s
        ),
        (Some(600), Some(900), Some(1500), Some(3600))
    );
}

#[test]
fn toml_front_matter_and_heading_synonyms_at_any_level() {
    let text = "+++\ntitle = \"docs.rs outage\"\ndate = 2019-10-21\n[extra]\nteam = \"infra\"\n+++\n\nIntro.\n\n\
                ## Lessons learned\n\n### What went wrong?\n\nDisk full.\n\n### Where we got lucky\n\nNobody noticed.\n\n\
                ## Corrective and preventative measures\n\n- Purge temp dirs (owner: infra, due: 2019-11-01)\n";
    let read = read(text);
    let pm = &read.postmortem;
    assert_eq!(pm.meta.title, "docs.rs outage");
    assert_eq!(pm.meta.date, Some(jiff::civil::date(2019, 10, 21)));
    assert_eq!(pm.preamble, "Intro.");
    let kinds: Vec<_> = pm.sections.iter().map(|s| s.body.kind()).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Other,
            SectionKind::WentBadly,
            SectionKind::Lucky,
            SectionKind::ActionItems
        ]
    );
    let item = pm.action_items().next().expect("item");
    assert_eq!(item.owner.as_deref(), Some("infra"));
    assert_eq!(
        item.due.as_ref().and_then(|d| d.date),
        Some(jiff::civil::date(2019, 11, 1))
    );
    assert!(pm.meta.extra.iter().any(|(k, _)| k == "extra"));
}

#[test]
fn broken_front_matter_is_an_error_with_its_position_and_kept() {
    let text = "---\ntitle: [unclosed\n---\n# Postmortem: X\n";
    let read = read(text);
    let d = read
        .diagnostics
        .iter()
        .find(|d| d.rule.as_str() == "invalid-front-matter")
        .expect("diagnostic");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.span.line, 2);
    assert!(
        read.postmortem
            .meta
            .extra
            .iter()
            .any(|(_, v)| v.as_str().is_some_and(|s| s.contains("[unclosed")))
    );
}

#[test]
fn no_input_panics() {
    for text in [
        "",
        "\n",
        "#",
        "---",
        "---\n",
        "+++\n+++",
        "# Postmortem:",
        "## Timeline\n\n- 99:99 x\n| a |\n|---|\n| 12:00 |",
        "\u{feff}\r\r\n",
        "- [ ] (owner: )",
    ] {
        let read = read(text);
        let _ = debrief_core::write(&read.postmortem);
    }
}

#[test]
fn entries_written_as_headings_take_the_text_under_them() {
    let text = "# Database full\n\n## Timeline\n\n*(All times US/Pacific.)*\n\n### 2021-06-03 9:00\n\n\
                The monitoring e-mail arrives.\n\nA second paragraph.\n\n### 2021-06-03 9:58\n\n\
                **Service is restored**.\n\n## Lessons\n\nSome.\n";
    let read = read(text);
    let entries: Vec<_> = read.postmortem.timeline_entries().collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].at.to_string(), "2021-06-03T16:00:00Z");
    assert_eq!(
        entries[0].text,
        "The monitoring e-mail arrives.\n\nA second paragraph."
    );
    // The statement of the zone is the author's and stays; the heading names the zone too.
    let written = debrief_core::write(&read.postmortem);
    assert!(written.contains("## Timeline (US/Pacific)"), "{written}");
    assert!(written.contains("*(All times US/Pacific.)*"), "{written}");
    assert!(
        written
            .contains("- 09:00 The monitoring e-mail arrives.\n\n  A second paragraph.\n- 09:58"),
        "{written}"
    );
}

#[test]
fn military_times_after_dates_template_braces_and_bracketed_date_headings() {
    let text = "# Vulnerability\n\n## Timeline (UTC)\n\n- 2022-02-02 1625: report arrives\n\
                - 2022-02-02 X: undated message\n- 2022-02-02 1650: huddle begins\n";
    // "X" for a time nobody knew: the day is kept, and said.
    assert_eq!(
        instants(text),
        [
            "2022-02-02T16:25:00Z",
            "2022-02-02T00:00:00Z",
            "2022-02-02T16:50:00Z"
        ]
    );
    let read = read(text);
    assert!(
        read.diagnostics
            .iter()
            .any(|d| d.rule.as_str() == "timeline-entry-without-time" && d.span.line == 6),
        "{:?}",
        read.diagnostics
    );
    let entries: Vec<_> = read.postmortem.timeline_entries().collect();
    assert!(entries[1].day_only && entries[1].text == "X: undated message");
    let braces = "# Upgrade, 2022-01-20\n\n## Timeline\n\n### {{ 06:10 }}\n\nAn issue is raised.\n";
    assert_eq!(instants(braces), ["2022-01-20T06:10:00Z"]);
    let days = "# Errors\n\n## Timeline\n\n#### [2026-05-10]\n\n- [23:46] paged\n\n#### [2026-05-11]\n\n- [00:11] back up\n";
    assert_eq!(
        instants(days),
        ["2026-05-10T23:46:00Z", "2026-05-11T00:11:00Z"]
    );
}

#[test]
fn a_date_that_steps_back_weeks_is_read_as_a_typo_and_said() {
    let text = "# Migration, 2021-06-28\n\n## Timeline (UTC)\n\n- 2021-06-28 13:59 errors alert\n\
                - 2021-06-11 14:15 error rate confirmed\n- 2021-06-11 14:24 revert deployed\n";
    assert_eq!(
        instants(text),
        [
            "2021-06-28T13:59:00Z",
            "2021-06-28T14:15:00Z",
            "2021-06-28T14:24:00Z"
        ]
    );
    let read = read(text);
    assert_eq!(
        read.diagnostics
            .iter()
            .filter(|d| d.rule.as_str() == "timeline-date-backwards")
            .map(|d| d.span.line)
            .collect::<Vec<_>>(),
        [6, 7]
    );
    // A first entry before the postmortem's date is no typo: incidents start earlier.
    let earlier = "# Outage, 2019-01-23\n\n## Timeline (UTC)\n\n- 2019-01-22 14:54 merged\n- 2019-01-23 04:49 report\n";
    assert_eq!(
        instants(earlier),
        ["2019-01-22T14:54:00Z", "2019-01-23T04:49:00Z"]
    );
}

#[test]
fn milestones_say_which_words_decided_them() {
    let text = "# Disk, 2021-06-12\n\n## Timeline (UTC)\n\n\
                - 04:01 Alarm posts to Slack about low disk space. The cause was initially unclear.\n\
                - 05:00 The error rate drops by half after the restart.\n\
                - 07:50 Database resized, all good!\n";
    let read = read(text);
    let a = &read.analysis;
    assert_eq!(a.entry_of(Milestone::Started), Some(0));
    assert_eq!(a.entry_of(Milestone::Detected), Some(0));
    assert_eq!(
        a.reason(Milestone::Started),
        Some("the first entry of the incident")
    );
    assert_eq!(
        a.reason(Milestone::Detected),
        Some("the words \u{201c}alarm\u{201d}")
    );
    assert_eq!(a.entry_of(Milestone::Mitigated), Some(1));
    assert_eq!(a.entry_of(Milestone::Resolved), Some(2));
    assert_eq!(
        a.reason(Milestone::Resolved),
        Some("the words \u{201c}all good\u{201d}")
    );
}

#[test]
fn a_reason_shows_whole_words() {
    let text = "# Queue, 2026-03-09\n\n## Timeline (UTC)\n\n\
                - 09:58 Worker configuration change deployed\n\
                - 10:20 Support reports customers asking about missing emails\n\
                - 10:31 On-call acknowledges and opens an incident channel\n\
                - 11:40 Backlog drained, delivery times back to normal\n";
    let read = read(text);
    let a = &read.analysis;
    assert_eq!(
        a.reason(Milestone::Detected),
        Some("the words \u{201c}reports\u{201d}")
    );
    assert_eq!(
        a.reason(Milestone::Acknowledged),
        Some("the words \u{201c}acknowledges\u{201d}")
    );
}

/// The milestone each entry of a one-day UTC timeline is given, by entry index.
fn milestone_entries(entries: &str) -> Vec<(Milestone, Option<usize>)> {
    let text = format!("# Incident, 2026-07-01\n\n## Timeline (UTC)\n\n{entries}");
    let read = read(&text);
    Milestone::ALL
        .iter()
        .map(|&m| (m, read.analysis.entry_of(m)))
        .collect()
}

#[test]
fn milestones_by_meaning() {
    // A machine detects; the first person acting after it acknowledges; a fix merged
    // mitigates; an alarm that stops firing resolves.
    let got = milestone_entries(
        "- 07:33 The pull request with the defect is merged\n\
         - 08:26 The errors alarm fires\n\
         - 08:27 Dana Whitfield notices the alarm and posts in the team channel\n\
         - 09:03 The fix branch is merged to main\n\
         - 09:46 The errors alarm stops firing\n",
    );
    assert_eq!(
        got,
        [
            (Milestone::Started, Some(0)),
            (Milestone::Detected, Some(1)),
            (Milestone::Acknowledged, Some(2)),
            (Milestone::Mitigated, Some(3)),
            (Milestone::Resolved, Some(4)),
        ]
    );
    // News is not a detection, a service that stops responding is a failure (not one
    // receding), a report received about a problem detects it, a huddle opening
    // acknowledges.
    let got = milestone_entries(
        "- 07:00 Early users notice and post that the new page is live\n\
         - 07:10 The API stops responding to requests\n\
         - 07:20 The security inbox receives a report of a critical issue in the API\n\
         - 07:30 Huddle begins in the incident channel\n\
         - 08:00 Error rates drop back to zero\n",
    );
    assert_eq!(
        got,
        [
            (Milestone::Started, Some(1)),
            (Milestone::Detected, Some(2)),
            (Milestone::Acknowledged, Some(3)),
            (Milestone::Mitigated, Some(4)),
            (Milestone::Resolved, Some(4)),
        ]
    );
}

#[test]
fn an_entry_days_after_both_neighbours_is_said_and_passed_over() {
    let text = "# Patch, 2022-02-02\n\n## Timeline (UTC)\n\n- 2022-02-02 16:25 Alert fires\n\
                - 2022-02-20 19:30 Fix deployed\n- 2022-02-02 20:21 Fix deployed to the rest\n";
    let read = read(text);
    assert!(
        read.diagnostics
            .iter()
            .any(|d| d.rule.as_str() == "timeline-date-ahead" && d.span.line == 6),
        "{:?}",
        read.diagnostics
    );
    assert_eq!(read.analysis.entry_of(Milestone::Mitigated), Some(2));
}

#[test]
fn resolution_is_full_recovery() {
    // A service restored while others still fail is not the end; a step taken after the
    // resolution is not its mitigation; "taken down again" is no recovery.
    let got = milestone_entries(
        "- 08:15 Public endpoint shows elevated error rates\n\
         - 09:54 Indexer service is restored\n\
         - 09:55 Deposit processing halts with errors\n\
         - 12:21 Claims frontend is taken down again\n\
         - 14:57 Status page is set to resolved\n\
         - 16:57 Warning banner is removed from the website\n",
    );
    assert_eq!(got[1], (Milestone::Detected, Some(0)));
    assert_eq!(got[4], (Milestone::Resolved, Some(4)));
    assert!(got[3].1.is_some_and(|i| i <= 4), "{got:?}");
}

#[test]
fn a_dated_title_is_written_once_and_untimed_lists_in_a_timeline_are_prose() {
    let text = "# January 23rd, 2019 Prow Outage\n\n## Timeline (UTC)\n\n**Root causes:**\n\n\
                - Nodes too small\n- Retries multiply load\n\n**Timeline:**\n\n\
                - Jan 23rd **04:49** first user report\n- Jan 23rd **08:27** resolution confirmed\n";
    let read = read(text);
    assert_eq!(
        read.postmortem
            .timeline_entries()
            .map(|e| e.at.to_string())
            .collect::<Vec<_>>(),
        ["2019-01-23T04:49:00Z", "2019-01-23T08:27:00Z"]
    );
    assert!(
        !read
            .diagnostics
            .iter()
            .any(|d| d.rule.as_str() == "unparsed-timeline-entry"),
        "{:?}",
        read.diagnostics
    );
    let written = debrief_core::write(&read.postmortem);
    assert!(
        written.starts_with("# Postmortem: January 23rd, 2019 Prow Outage\n"),
        "{written}"
    );
}

#[test]
fn rows_and_items_with_a_date_and_no_time_are_entries_of_that_day() {
    let text = "# Vendor, 2021-06-22\n\n## Timeline (UTC)\n\n| Date | Event |\n|---|---|\n\
                | 2021-06-21 | Vendor notified |\n| 2021-06-22 09:00 | Alert fires |\n\
                | 2021-06-22 09:30 | Rollback complete, errors back to zero |\n";
    let read = read(text);
    let entries: Vec<_> = read.postmortem.timeline_entries().collect();
    assert_eq!(entries.len(), 3);
    assert!(entries[0].day_only);
    assert_eq!(entries[0].at.to_string(), "2021-06-21T00:00:00Z");
    // The day-only entry is no start: the milestones are the timed entries'.
    assert_eq!(read.analysis.entry_of(Milestone::Started), Some(1));
    let written = debrief_core::write(&read.postmortem);
    assert!(
        written.contains("- 2021-06-21 Vendor notified\n- 2021-06-22 09:00 Alert fires"),
        "{written}"
    );
    let again = debrief_core::read(&written);
    assert_eq!(
        again.postmortem.timeline_entries().collect::<Vec<_>>(),
        entries
    );
}

#[test]
fn a_year_with_a_digit_too_many_is_read_and_said() {
    let text = "# Migration\n\n## Timeline (UTC)\n\n| Time | Event |\n|---|---|\n\
                | 20202-01-16 12:00 | Pipeline fails |\n| 2020-01-17 12:00 | Fixed |\n";
    let read = read(text);
    assert_eq!(
        instants(text),
        ["2020-01-16T12:00:00Z", "2020-01-17T12:00:00Z"]
    );
    let typo: Vec<_> = read
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_str() == "timeline-year-typo")
        .map(|d| (d.span.line, d.span.column))
        .collect();
    assert_eq!(typo, [(7, 3)]);
}

#[test]
fn short_date_tags_take_the_nearest_year_and_advance_past_midnight() {
    let text = "# Boskos, 2019-03-26\n\n## Timeline (UTC)\n\n- [12-05 16:21] Bug introduced\n\
                - [03-26 23:04] Outage starts\n- [03-26 02:50] Outage reported\n";
    assert_eq!(
        instants(text),
        [
            "2018-12-05T16:21:00Z",
            "2019-03-26T23:04:00Z",
            "2019-03-27T02:50:00Z"
        ]
    );
    assert!(
        read(text)
            .diagnostics
            .iter()
            .any(|d| d.rule.as_str() == "timeline-date-not-advanced" && d.span.line == 7)
    );
}

#[test]
fn a_section_of_timed_entries_is_a_timeline_under_its_own_heading() {
    let text = "# Node failures, 2021-07-11\n\n## :warning: Leadup\n\n\
                - **00:27 UTC:** Connections climb\n- **00:32 UTC:** The team is alerted\n\
                - **00:55 UTC:** The node is unresponsive\n\n## :flying_disc: Impact\n\nAll sites down.\n";
    let read = read(text);
    assert_eq!(
        instants(text),
        [
            "2021-07-11T00:27:00Z",
            "2021-07-11T00:32:00Z",
            "2021-07-11T00:55:00Z"
        ]
    );
    assert_eq!(
        read.postmortem.sections[0].body.kind(),
        SectionKind::Timeline
    );
    assert_eq!(read.postmortem.sections[1].body.kind(), SectionKind::Impact);
    // The author's heading stays; the zone moves to the front matter.
    let written = debrief_core::write(&read.postmortem);
    assert!(written.contains("## :warning: Leadup\n"), "{written}");
    assert!(written.contains("timezone: UTC"), "{written}");
    assert_eq!(
        debrief_core::write(&debrief_core::read(&written).postmortem),
        written
    );
}

#[test]
fn a_table_row_without_a_time_becomes_an_item_not_a_line_of_pipes() {
    let text = "# Outage, 2024-01-05\n\n## Timeline (UTC)\n\n| Time | Event |\n|---|---|\n\
                | 09:00 | Alert fires |\n| ? | Vendor contacted |\n| 09:30 | Recovered |\n";
    let read = read(text);
    let written = debrief_core::write(&read.postmortem);
    assert!(
        written
            .contains("- 09:00 Alert fires\n\n- ? \u{2014} Vendor contacted\n\n- 09:30 Recovered"),
        "{written}"
    );
    assert!(!written.contains("| ?"), "{written}");
    assert_eq!(
        debrief_core::write(&debrief_core::read(&written).postmortem),
        written
    );
}

#[test]
fn parts_working_again_a_raised_ticket_and_a_status_page_in_monitoring() {
    // A ticket raised about a fault detects it; someone jumping in acknowledges; most of
    // those affected working again is impact shrinking; a status page set to monitoring is
    // a fix in place; a system that "starts working again" has not started working on it.
    let got = milestone_entries(
        "- 10:00 The checkout API starts failing for card payments\n\
         - 10:20 Support raises a ticket about failed payments\n\
         - 10:25 The payments on-call jumps in and pulls the dashboards\n\
         - 10:50 Most shops are able to take payments again\n\
         - 11:10 The last queued payments start working again\n",
    );
    assert_eq!(
        got,
        [
            (Milestone::Started, Some(0)),
            (Milestone::Detected, Some(1)),
            (Milestone::Acknowledged, Some(2)),
            (Milestone::Mitigated, Some(3)),
            (Milestone::Resolved, Some(4)),
        ]
    );
    let got = milestone_entries(
        "- 09:00 Search starts timing out\n\
         - 09:05 The latency alarm fires\n\
         - 09:40 Status page set to monitoring\n\
         - 10:30 Status page set to resolved\n",
    );
    assert_eq!(got[3], (Milestone::Mitigated, Some(2)));
    assert_eq!(got[4], (Milestone::Resolved, Some(3)));
}

#[test]
fn what_is_denied_meant_or_only_partly_true_is_no_milestone() {
    // "No logs were available for some pods" is not some of them working; a fault that
    // "can't be fixed" is not fixed; what a process is supposed to do when it notices
    // something is its design, not a detection.
    let got = milestone_entries(
        "- 10:00 Workers start crashing after the deploy\n\
         - 10:05 The queue is supposed to drain when the scheduler notices idle workers\n\
         - 10:15 The on-call engineer is paged by the queue depth alert\n\
         - 10:30 No logs were available for some of the crashed pods\n\
         - 10:40 It turns out this is a driver fault that can't be fixed on our side\n\
         - 11:00 Rollback deployed, workers stay up\n",
    );
    assert_eq!(got[1], (Milestone::Detected, Some(2)));
    assert_eq!(got[3], (Milestone::Mitigated, Some(5)));
}

#[test]
fn a_mitigation_with_nothing_after_it_is_also_the_resolution() {
    let got = milestone_entries(
        "- 10:00 Error rate alert fires for the login service\n\
         - 10:30 The bad config is reverted\n",
    );
    assert_eq!(got[3], (Milestone::Mitigated, Some(1)));
    assert_eq!(got[4], (Milestone::Resolved, Some(1)));
}

#[test]
fn the_day_and_the_zone_of_a_timeline_may_come_from_the_text_above_it() {
    // Front matter dated the day after the incident; the summary gives the day and the
    // zone its times are written in; the timeline gives times alone.
    let text = "---\ntitle: Queue stall\ndate: 2024-03-09\n---\n\n## Summary\n\n\
                On the night of March 8 the queue stalled from 9.10 PM PST until 10 PM PST.\n\n\
                ## Timeline\n\n- 21:10 Queue stops draining\n- 22:00 Queue drains again\n";
    let read = read(text);
    let entries: Vec<_> = read.postmortem.timeline_entries().collect();
    assert_eq!(entries[0].at.to_string(), "2024-03-09T05:10:00Z");
    assert_eq!(read.postmortem.meta.timezone.as_deref(), Some("PST"));
    let rules: Vec<_> = read.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    assert!(rules.contains(&"timeline-date-from-text"), "{rules:?}");
    assert!(rules.contains(&"timeline-zone-from-text"), "{rules:?}");
    // Two dates above the timeline: which one is meant is unclear, so the postmortem's own
    // date stands.
    let two = text.replace("On the night of March 8", "Between March 6 and March 8");
    let read = debrief_core::read(&two);
    let first = read
        .postmortem
        .timeline_entries()
        .next()
        .map(|e| e.at.to_string());
    assert_eq!(first.as_deref(), Some("2024-03-10T05:10:00Z"));
}

#[test]
fn a_heading_with_a_day_and_words_for_the_time_is_a_day_entry() {
    let text = "# Outage, 2022-01-20\n\n## Timeline (UTC)\n\n\
                ### {{ 2022-01-20 sometime in the early morning }}\n\nTwo changes were merged.\n\n\
                ### {{ 06:10 }}\n\nA user reports errors.\n";
    let read = read(text);
    let entries: Vec<_> = read.postmortem.timeline_entries().collect();
    assert_eq!(entries.len(), 2);
    assert!(entries[0].day_only);
    assert!(entries[0].text.contains("Two changes were merged."));
    assert!(!entries[1].day_only);
}

#[test]
fn a_recognised_section_inside_the_authors_keeps_its_depth() {
    // Promoted to level 2, "What went well" would take "Follow-up notes" out of "Lessons
    // learned" on the next read.
    let text = "# Queue stall, 2024-03-09\n\n## Lessons learned\n\nWe learned a lot.\n\n\
                ### What went well\n\n- The alert fired early\n\n### Follow-up notes\n\n\
                Notes.\n\n## Action items\n\n- [ ] Add a dashboard (owner: sre, due: 2024-04-01)\n";
    let written = debrief_core::write(&read(text).postmortem);
    assert!(written.contains("\n### What went well\n"), "{written}");
    assert!(written.contains("\n### Follow-up notes\n"), "{written}");
    assert_eq!(debrief_core::write(&read(&written).postmortem), written);
}

#[test]
fn timelines_in_more_of_the_forms_teams_write() {
    // Columns in any order, named by the header; day-first dates; HTML bold; approximate
    // times before the digits.
    let text = "# Outage, 2024-03-09\n\n## Timeline\n\n\
                | Who | Date | Time (UTC) | Event |\n|---|---|---|---|\n\
                | SRE | 09-03-2024 | 10:34 | Error alert fires |\n\n\
                - <b>11:02</b> Traffic recovers\n\
                - ~11:10 Cache warmed\n\
                - <strong>11:20</strong>: Error rate back to baseline\n";
    let read = read(text);
    let entries: Vec<_> = read.postmortem.timeline_entries().collect();
    let got: Vec<(String, &str)> = entries
        .iter()
        .map(|e| (e.at.to_string(), e.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "2024-03-09T10:34:00Z".to_string(),
                "SRE \u{2014} Error alert fires"
            ),
            ("2024-03-09T11:02:00Z".to_string(), "Traffic recovers"),
            ("2024-03-09T11:10:00Z".to_string(), "Cache warmed"),
            (
                "2024-03-09T11:20:00Z".to_string(),
                "Error rate back to baseline"
            ),
        ]
    );
    // A date in parentheses after the time, and a comma after it.
    let text = "# Outage, 2025-10-29\n\n## Timeline\n\n\
                - **22:30 UTC (Oct 29)** - Incident reported\n\
                - **00:03 UTC (Oct 30)** - Rolled back\n- 00:10, errors gone\n";
    let read = debrief_core::read(text);
    let got: Vec<(String, &str)> = read
        .postmortem
        .timeline_entries()
        .map(|e| (e.at.to_string(), e.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("2025-10-29T22:30:00Z".to_string(), "Incident reported"),
            ("2025-10-30T00:03:00Z".to_string(), "Rolled back"),
            ("2025-10-30T00:10:00Z".to_string(), "errors gone"),
        ]
    );
    // Month first with slashes, unless the first number cannot be a month.
    let us = "# Outage\n\n## Timeline (UTC)\n\n| Date | Time | Event |\n|---|---|---|\n\
              | 03/09/2024 | 10:34 | Alert fires |\n| 21/06/2024 | 10:40 | Later |\n";
    let read = debrief_core::read(us);
    let days: Vec<String> = read
        .postmortem
        .timeline_entries()
        .map(|e| e.at.to_string()[..10].to_string())
        .collect();
    assert_eq!(days, ["2024-03-09", "2024-06-21"]);
}

/// The restriction fails closed: only a clear "no" makes a postmortem public; a value that
/// is neither yes nor no restricts it and says so.
#[test]
fn restricted_fails_closed() {
    for (value, restricted) in [
        ("true", true),
        ("1", true),
        ("\"true\"", true),
        ("'yes'", true),
        ("yes", true),
        ("On", true),
        ("maybe", true),
        ("[finance]", true),
        ("2", true),
        ("false", false),
        ("0", false),
        ("no", false),
        ("\"False\"", false),
    ] {
        let text = format!("---\ntitle: X\nrestricted: {value}\n---\n\n## Summary\n\nS.\n");
        let read = read(&text);
        assert_eq!(read.postmortem.meta.restricted, restricted, "{value}");
        let warned = read
            .diagnostics
            .iter()
            .any(|d| d.rule.as_str() == "invalid-front-matter" && d.span.line == 3);
        let readable = !matches!(value, "maybe" | "[finance]" | "2");
        assert_eq!(warned, !readable, "{value}: {:?}", read.diagnostics);
    }
    let toml = read("+++\ntitle = \"X\"\nrestricted = \"yes\"\n+++\n\n## Summary\n\nS.\n");
    assert!(toml.postmortem.meta.restricted);
}

/// Aliases in front matter may repeat a value but not explode: 389 bytes of nested aliases
/// once expanded to 1.36 MB, stored in every version. Such front matter is an error with
/// its position, kept as written.
#[test]
fn front_matter_aliases_cannot_explode() {
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    // Five levels of nine: 59,049 strings from a few hundred bytes, within the YAML
    // parser's own default limits.
    for (name, previous) in ["b", "c", "d", "e"].iter().zip(["a", "b", "c", "d"]) {
        let refs = vec![format!("*{previous}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let text = format!("---\ntitle: Bomb\n{yaml}---\n\n## Summary\n\nS.\n");
    assert!(text.len() < 1000);
    let read = read(&text);
    assert!(
        read.diagnostics
            .iter()
            .any(|d| d.rule.as_str() == "invalid-front-matter"),
        "{:?}",
        read.diagnostics
    );
    assert!(debrief_core::write(&read.postmortem).len() < 10 * text.len());
    // A value repeated by an alias or two is fine.
    let ok = read_ok("---\ntitle: Fine\nservices: &s [api]\ntags: *s\n---\n\n## Summary\n\nS.\n");
    assert_eq!(ok.postmortem.meta.tags, ["api"]);
}

fn read_ok(text: &str) -> debrief_core::Read {
    let read = read(text);
    assert!(
        read.diagnostics
            .iter()
            .all(|d| d.severity != debrief_core::Severity::Error),
        "{:?}",
        read.diagnostics
    );
    read
}

/// A timeline whose entries give a month and a day, in a postmortem with no date, is
/// written with months and days: the year the reader anchors it to, only to measure
/// durations, is never written (it became "1970-01-14", and the title then took that date).
#[test]
fn an_undated_timeline_is_written_without_an_invented_year() {
    let text = "# Postmortem: Fetch wrapper\n\n## Timeline (UTC)\n\n\
                - Jan 14, 10:18 AM A customer reports failing requests\n\
                - Jan 15 Follow-up call\n\
                - Jan 15, 5:33 PM A fix is released\n";
    let once = debrief_core::write(&read(text).postmortem);
    assert!(!once.contains("1970"), "{once}");
    assert!(once.contains("- Jan 14 10:18 A customer"), "{once}");
    assert!(once.contains("- Jan 15 Follow-up call"), "{once}");
    let twice = debrief_core::write(&read(&once).postmortem);
    assert_eq!(once, twice);
}

#[test]
fn task_boxes_are_read_in_loose_lists_too() {
    // Items separated by blank lines put their text in a paragraph; the box is still theirs.
    let read = read(
        "# Outage\n\n## Action items\n\n- [x] Rotate the keys\n\n- [ ] Add an alert\n\n- Write a runbook\n  - [x] a nested step is not the item's box\n",
    );
    let done: Vec<bool> = read.postmortem.action_items().map(|i| i.done).collect();
    assert_eq!(done, [true, false, false]);
}
