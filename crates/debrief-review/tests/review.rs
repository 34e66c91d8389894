//! The review over small sets of postmortems: trends by quarter, and the write-up scores in
//! the report, the JSON and the charts.

use debrief_review::{Entry, Options, Review, charts, markdown, review};
use jiff::civil::{Date, date};

/// A postmortem dated `day`, resolved in `minutes`; `thorough` adds an impact with a number,
/// evidence and SMART action items.
fn postmortem(title: &str, day: Date, minutes: i64, thorough: bool) -> String {
    let start = day.at(10, 0, 0, 0);
    let end = start
        .checked_add(jiff::Span::new().minutes(minutes))
        .expect("a time");
    let mut text = format!(
        "---\ntitle: {title}\ndate: {day}\n---\n\n## Summary\n\nThe checkout service returned errors.\n\n\
         ## Timeline (UTC)\n\n- {day} 10:00 [started] Error rate rises\n- {day} 10:05 [detected] Alert fires\n\
         - {} [resolved] Error rate back to normal\n\n\
         ## Contributing factors\n\n- The migration dropped a column still in use.\n\n",
        end.strftime("%Y-%m-%d %H:%M"),
    );
    if thorough {
        text.push_str(
            "## Impact\n\n- 1200 requests failed\n\n## What went badly\n\nThe alert was not \
             routed to the owning team, see the [dashboard](https://grafana.example.com/d/1).\n\n\
             ## Action items\n\n- [ ] Add a CI step that fails on DROP COLUMN (owner: platform, due: 2026-12-01)\n",
        );
    } else {
        text.push_str("## Action items\n\n- [ ] Improve monitoring\n");
    }
    text
}

fn entries(docs: &[String]) -> Vec<Entry> {
    docs.iter()
        .enumerate()
        .map(|(i, text)| {
            let read = debrief_core::read(text);
            Entry::new(
                format!("{i}.md"),
                &read.postmortem,
                &read.analysis,
                Some(true),
            )
        })
        .collect()
}

fn reviewed(docs: &[String], from: Option<Date>, to: Option<Date>) -> Review {
    review(
        &entries(docs),
        &Options {
            from,
            to,
            today: date(2026, 11, 21),
        },
    )
}

#[test]
fn trends_by_quarter_and_charts_by_quarter_past_six_months() {
    let docs = [
        postmortem("January", date(2026, 1, 10), 20, false),
        postmortem("February", date(2026, 2, 20), 40, false),
        postmortem("May", date(2026, 5, 1), 30, false),
        postmortem("November", date(2026, 11, 3), 30 + 54 * 60, false),
    ];
    let year = reviewed(&docs, None, None);
    let quarters: Vec<(&str, usize, Option<f64>)> = year
        .metrics
        .quarters
        .iter()
        .map(|(q, f)| (q.as_str(), f.postmortems, f.resolve.median))
        .collect();
    assert_eq!(
        quarters,
        [
            ("2026-Q1", 2, Some(1200.0)),
            ("2026-Q2", 1, Some(1800.0)),
            ("2026-Q4", 1, Some(1800.0 + 54.0 * 3600.0)),
        ]
    );
    assert_eq!(year.metrics.months.len(), 4);
    assert_eq!(year.span_months(), 11);
    assert!(year.trend_by_quarter());
    let report = markdown(&year);
    assert!(
        report.contains("| quarter | postmortems | detect | resolve |\n|---|---:|---:|---:|\n| 2026-Q1 | 2 | 5m | 20m |"),
        "{report}"
    );
    assert!(report.contains("| 2026-11 | 1 | 5m | 2d 6h |"), "{report}");
    let trend = charts(&year)
        .into_iter()
        .find(|c| c.file == "response-trend.svg")
        .expect("the trend chart");
    assert_eq!(
        trend.title,
        "Median time to detect and to resolve, by quarter"
    );
    // The quarter without postmortems is on the axis, as a gap in the line.
    assert!(trend.svg.contains(">2026-Q3</text>"), "{}", trend.svg);
    assert!(trend.svg.contains("logarithmic axis"));

    // A quarter's review charts by month.
    let quarter = reviewed(&docs, Some(date(2026, 1, 1)), Some(date(2026, 3, 31)));
    assert_eq!(quarter.span_months(), 3);
    let trend = charts(&quarter)
        .into_iter()
        .find(|c| c.file == "response-trend.svg")
        .expect("the trend chart");
    assert_eq!(
        trend.title,
        "Median time to detect and to resolve, by month"
    );
}

#[test]
fn thorough_write_ups_are_listed_with_what_made_them_good() {
    let docs = [
        postmortem("Brief one", date(2026, 4, 2), 20, false),
        postmortem("Thorough one", date(2026, 4, 9), 20, true),
        postmortem("Brief two", date(2026, 5, 2), 20, false),
    ];
    let review = reviewed(&docs, Some(date(2026, 4, 1)), Some(date(2026, 6, 30)));
    let totals: Vec<u32> = review.postmortems.iter().map(|p| p.score.total).collect();
    // Brief: summary, timeline and root cause (12; two words of action item are not a
    // section written), milestones (16), blame-free (16), one vague item without owner or
    // due date (0): 44. Thorough: every section (24), impact (12), milestones (16),
    // blame-free (16), one link (4), a SMART item (20): 92.
    assert_eq!(totals, [44, 92, 44]);
    assert_eq!(review.writeups.median, Some(44.0));
    assert_eq!(
        review.writeups.top,
        [1, 2, 0],
        "best first, then the latest"
    );
    assert_eq!(
        review.writeups.missing,
        [
            ("impact".to_string(), 2),
            ("evidence".to_string(), 2),
            ("action_items".to_string(), 2)
        ]
    );
    let report = markdown(&review);
    assert!(
        report.contains(
            "\n## Thorough write-ups\n\nThe median write-up scores 44 of 100 (3 postmortems)."
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "1. **Thorough one** (2026-04-09): 92 of 100; all six sections written; impact \
             quantified: 1200 requests failed; detection and resolution placed on the timeline; no \
             blame finding in the narrative; the action item owned, dated and specific\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("Most often missing: impact quantified (2 postmortems)"),
        "{report}"
    );
    let json = serde_json::to_value(&review).expect("JSON");
    let parts = &json["postmortems"][1]["score"]["parts"];
    assert_eq!(parts[1]["part"], "impact");
    assert_eq!(parts[1]["points"], 12.0);
    assert_eq!(parts[4]["found"], "evidence linked: 1 link");
    assert_eq!(json["writeups"]["median"], 44.0);
    let scores = charts(&review)
        .into_iter()
        .find(|c| c.file == "writeup-scores.svg")
        .expect("the scores chart");
    assert!(
        scores.svg.contains("<desc>90–100: 1; 80–89: 0;"),
        "{}",
        scores.svg
    );
}
