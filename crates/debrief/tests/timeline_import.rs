//! `debrief timeline import` as a responder runs it: a Slack export and alerting payloads
//! merged into a postmortem, once however often they are imported, with people as roles
//! (the roster of the nearest debrief.toml); bad input is an error that names the file and
//! leaves the postmortem as it was.

mod common;

use common::{debrief, read, stderr, stdout, tempdir, write};
use std::path::{Path, PathBuf};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../debrief-import/tests/data")
        .join(path)
}

const POSTMORTEM: &str = "---\ntitle: Checkout errors after a pool change\ndate: 2026-06-13\n\
    timezone: America/Los_Angeles\nseverity: SEV2\n---\n\n## Summary\n\nCheckout failed for 25 minutes.\n\n\
    ## Timeline\n\n- 15:55 Deploy 4411 of payments-api goes out\n\n\
    ## Action items\n\n- [ ] Check pool limits against peak traffic in CI (owner: @payments, due: 2099-07-01)\n";

#[test]
fn a_slack_export_and_payloads_are_merged_once_with_roles() {
    let dir = tempdir();
    let file = dir.path().join("pm.md");
    write(&file, POSTMORTEM);
    write(
        &dir.path().join("debrief.toml"),
        "[roster]\n\"Priya Raman\" = \"the incident commander\"\n",
    );
    let slack = |extra: &[&str]| {
        debrief()
            .args(["timeline", "import", "slack"])
            .arg(data("slack"))
            .args(["--channel", "inc-2041-checkout", "--into"])
            .arg(&file)
            .args(extra)
            .assert()
            .success()
    };
    let first = slack(&["--to", "2026-06-14"]);
    assert!(
        stderr(&first).contains("pm.md: 9 entries added, 0 already there; 9 messages kept"),
        "{}",
        stderr(&first)
    );
    let again = slack(&[]);
    assert!(
        stderr(&again).contains("pm.md: 1 entry added, 9 already there"),
        "{}",
        stderr(&again)
    );
    let pagerduty = debrief()
        .args(["timeline", "import", "pagerduty"])
        .args(
            ["triggered", "acknowledged", "resolved"].map(|n| data(&format!("pagerduty/{n}.json"))),
        )
        .arg("--into")
        .arg(&file)
        .assert()
        .success();
    assert!(
        stderr(&pagerduty).contains("3 entries added"),
        "{}",
        stderr(&pagerduty)
    );
    let text = String::from_utf8(read(&file)).expect("UTF-8");
    for name in ["Priya", "Tom", "Aiko", "Marc"] {
        assert!(!text.contains(name), "{name} in\n{text}");
    }
    assert!(
        text.contains(" 16:02:11 The incident commander: Ack. Looking at checkout"),
        "in the postmortem's zone:\n{text}"
    );
    assert!(
        text.contains("[detected] PagerDuty incident #2041 triggers"),
        "{text}"
    );
    assert!(text.contains("## Chat log (#inc-2041-checkout)"), "{text}");
    // The chat is evidence: the linter reads it as quotes, and the file passes as before.
    let lint = debrief().arg("lint").arg(&file).assert();
    assert!(
        !stdout(&lint).contains("named-individual") && !stderr(&lint).contains("named-individual"),
        "{}",
        stdout(&lint)
    );
    let show = debrief()
        .args(["metrics", "--format", "csv"])
        .arg(&file)
        .assert()
        .success();
    assert!(stdout(&show).contains("pm.md"), "{}", stdout(&show));
}

#[test]
fn without_into_the_entries_are_printed_in_the_zone_asked() {
    let printed = debrief()
        .args(["timeline", "import", "alertmanager"])
        .arg(data("alertmanager/firing.json"))
        .arg(data("alertmanager/resolved.json"))
        .args(["--zone", "Europe/Berlin"])
        .assert()
        .success();
    assert_eq!(
        stdout(&printed),
        "- 2026-06-14 00:58:30 [started] Alert CheckoutErrorRate fires: Checkout 5xx rate above 2% \
         ([Alertmanager](https://prometheus.acme.example/graph?g0.expr=checkout_5xx_ratio+%3E+0.02))\n\
         - 2026-06-14 00:58:30 [started] Alert CheckoutErrorRate fires: Checkout 5xx rate above 2% \
         ([Alertmanager](https://prometheus.acme.example/graph?g0.expr=checkout_5xx_ratio+%3E+0.02))\n\
         - 2026-06-14 02:21:30 [resolved] Alert CheckoutErrorRate resolves \
         ([Alertmanager](https://prometheus.acme.example/graph?g0.expr=checkout_5xx_ratio+%3E+0.02))\n"
    );
}

#[test]
fn bad_input_names_the_file_and_changes_nothing() {
    let dir = tempdir();
    let file = dir.path().join("pm.md");
    write(&file, POSTMORTEM);
    let broken = dir.path().join("broken.json");
    write(&broken, "{\"event\": {\"id\": \"1\", \"event_type\": ");
    let failed = debrief()
        .args(["timeline", "import", "pagerduty"])
        .arg(data("pagerduty/triggered.json"))
        .arg(&broken)
        .arg("--into")
        .arg(&file)
        .assert()
        .code(2);
    assert!(
        stderr(&failed).contains("broken.json:1:"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(read(&file), POSTMORTEM.as_bytes(), "nothing half-written");
    let failed = debrief()
        .args(["timeline", "import", "slack"])
        .arg(data("slack"))
        .args(["--channel", "nowhere", "--into"])
        .arg(&file)
        .assert()
        .code(2);
    assert!(
        stderr(&failed).contains("there is no channel \"nowhere\""),
        "{}",
        stderr(&failed)
    );
    let failed = debrief()
        .args(["timeline", "import", "slack"])
        .arg(data("slack"))
        .args(["--channel", "inc-2041-checkout", "--from", "last tuesday"])
        .assert()
        .code(2);
    assert!(
        stderr(&failed).contains("--from \"last tuesday\""),
        "{}",
        stderr(&failed)
    );
    assert_eq!(read(&file), POSTMORTEM.as_bytes());
}
