//! `debrief review` as a user runs it: a period, the previous one, recurring causes with the
//! postmortems behind them, action-item and process health, in Markdown and JSON.

mod common;

use common::{debrief, stdout, tempdir, write};
use serde_json::Value;

fn postmortem(title: &str, date: &str, factor: &str, item: &str, narrative: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nseverity: SEV2\nservices: [checkout]\nteam: payments\n---\n\n\
         ## Summary\n\n{narrative}\n\n## Timeline (UTC)\n\n\
         - {date} 10:00 Error rate rises (problem started)\n\
         - {date} 10:12 [detected] Alert fires\n\
         - {date} 10:40 [resolved] Rollback completes\n\n\
         ## Contributing factors\n\n- {factor}\n\n## Action items\n\n- {item}\n"
    )
}

#[test]
fn review_of_a_quarter_against_the_one_before() {
    let dir = tempdir();
    let tree = dir.path().join("postmortems");
    write(
        &tree.join("a.md"),
        postmortem(
            "Ingress controller overload",
            "2026-05-04",
            "The ingress controller ran out of connections when traffic doubled.",
            "[ ] Raise the ingress connection limit (owner: platform, due: 2026-05-20)",
            "Checkout failed for 40 minutes.",
        ),
    );
    write(
        &tree.join("b.md"),
        postmortem(
            "Ingress controller overload again",
            "2026-06-10",
            "Ingress controllers exhausted their connections under a retry storm.",
            "[x] Add retry budgets (owner: payments, due: 2026-06-30)",
            "Checkout failed for 40 minutes; it was human error.",
        ),
    );
    write(
        &tree.join("c.md"),
        postmortem(
            "Expired certificate",
            "2026-06-20",
            "The certificate renewal job failed silently.",
            "[ ] Be more careful with certificates (owner: security, due: 2026-07-01)",
            "Login failed for 40 minutes.",
        ),
    );
    write(
        &tree.join("earlier.md"),
        postmortem(
            "Disk full on the database",
            "2026-02-10",
            "Disk usage was not monitored.",
            "[x] Alert on disk usage (owner: dba, due: 2026-02-20)",
            "Writes failed for 40 minutes.",
        ),
    );
    let args = [
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--today",
        "2026-11-21",
    ];
    let assert = debrief()
        .arg("review")
        .args(args)
        .arg(&tree)
        .assert()
        .success();
    let report = stdout(&assert);
    assert!(
        report.starts_with("# Review: 2026-04-01 to 2026-06-30\n"),
        "{report}"
    );
    assert!(
        report.contains("3 postmortems (1 in the previous period, 2025-12-31 to 2026-03-31)"),
        "{report}"
    );
    assert!(
        report.contains("**Ingress controller overload**"),
        "{report}"
    );
    assert!(
        report.contains("- Ingress controller overload: The ingress controller ran out"),
        "{report}"
    );
    assert!(
        report.contains("3 created, 1 done, 0 declined, 2 open, 2 overdue."),
        "{report}"
    );
    // Linted by the binary, so every part of the score is checked.
    assert!(
        report.contains("\n## Thorough write-ups\n\nThe median write-up scores "),
        "{report}"
    );
    assert!(!report.contains("were not linted"), "{report}");

    let assert = debrief()
        .args(["review", "--format", "json"])
        .args(args)
        .arg(&tree)
        .assert()
        .success();
    let json: Value = serde_json::from_str(&stdout(&assert)).expect("JSON");
    assert_eq!(json["counts"]["total"], 3);
    assert_eq!(json["counts"]["team"], serde_json::json!([["payments", 3]]));
    assert_eq!(json["metrics"]["period"]["detect"]["median"], 720.0);
    assert_eq!(
        json["causes"]["recurring"][0]["postmortems"],
        serde_json::json!([0, 1])
    );
    assert_eq!(
        json["action_items"]["vague_share"]
            .as_f64()
            .map(|s| (s * 3.0).round()),
        Some(1.0)
    );
    let score = &json["postmortems"][0]["score"];
    let parts: Vec<&str> = score["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .filter_map(|p| p["part"].as_str())
        .collect();
    assert_eq!(
        parts,
        [
            "sections",
            "impact",
            "milestones",
            "blame_free",
            "evidence",
            "action_items"
        ]
    );
    let sum: f64 = score["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .filter_map(|p| p["points"].as_f64())
        .sum();
    assert_eq!(score["total"].as_f64(), Some(sum.round()), "{score}");
    // The one narrative that says human error loses the blame-free part.
    assert_eq!(json["postmortems"][1]["score"]["parts"][3]["points"], 0.0);
    assert!(json["writeups"]["median"].is_number());
    let blame_free = json["process"]["blame_free_share"].as_f64().expect("share");
    assert!(
        (blame_free - 2.0 / 3.0).abs() < 1e-9,
        "one narrative says human error"
    );
}

#[test]
fn charts_beside_the_markdown_and_inline_in_html() {
    let dir = tempdir();
    let tree = dir.path().join("postmortems");
    for (name, month, title) in [
        (
            "a.md",
            "2026-04-04",
            "Ingress overload <script>alert(1)</script>",
        ),
        ("b.md", "2026-05-10", "Ingress overload again"),
        ("c.md", "2026-06-20", "Ingress overload once more"),
    ] {
        write(
            &tree.join(name),
            postmortem(
                title,
                month,
                "The ingress controller ran out of connections.",
                "[ ] Raise the ingress connection limit (owner: platform, due: 2026-07-01)",
                "Checkout failed.",
            ),
        );
    }
    let out = dir.path().join("q2");
    debrief()
        .args(["review", "--today", "2026-11-21", "--out"])
        .arg(&out)
        .arg(&tree)
        .assert()
        .success();
    let report = String::from_utf8(common::read(&out.join("review.md"))).expect("UTF-8");
    for chart in [
        "response-trend.svg",
        "recurring-causes.svg",
        "action-items.svg",
        "writeup-scores.svg",
    ] {
        assert!(
            report.contains(&format!("]({chart})")),
            "{chart} linked: {report}"
        );
        let svg = String::from_utf8(common::read(&out.join(chart))).expect("UTF-8");
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg}"
        );
        assert!(svg.contains("<title>") && svg.contains("<desc>"), "{svg}");
    }
    let assert = debrief()
        .args(["review", "--format", "html", "--today", "2026-11-21"])
        .arg(&tree)
        .assert()
        .success();
    let page = stdout(&assert);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.matches("<svg").count() >= 3, "charts inline");
    assert!(!page.contains("<script>"), "a title is text, never markup");
    assert!(page.contains("&lt;script&gt;"));
}

/// The review lints each file with the debrief.toml nearest it, as `debrief lint` does: a
/// team that turned a rule off does not see the review count its findings.
#[test]
fn the_review_reads_debrief_toml_like_lint() {
    let dir = tempdir();
    let tree = dir.path().join("postmortems");
    for (name, narrative) in [
        ("a.md", "Checkout failed for 40 minutes."),
        (
            "b.md",
            "Checkout failed for 40 minutes; it was human error.",
        ),
    ] {
        write(
            &tree.join(name),
            postmortem(
                "Ingress controller overload",
                "2026-05-04",
                "The ingress controller ran out of connections.",
                "[ ] Raise the connection limit (owner: platform, due: 2026-05-20)",
                narrative,
            ),
        );
    }
    let share = |tree: &std::path::Path| {
        let assert = debrief()
            .args(["review", "--format", "json", "--today", "2026-06-30"])
            .arg(tree)
            .assert()
            .success();
        let json: Value = serde_json::from_str(&stdout(&assert)).expect("JSON");
        json["process"]["blame_free_share"].as_f64().expect("share")
    };
    assert_eq!(share(&tree), 0.5);
    write(
        &tree.join("debrief.toml"),
        "[lint.severity]\nblame-language = \"off\"\n",
    );
    assert_eq!(share(&tree), 1.0);
}
