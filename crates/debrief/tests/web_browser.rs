//! The web UI in headless Chromium, as its people use it: `debrief serve --demo` runs, and six
//! people of different functions, each in their own browser session, write, review and
//! publish a postmortem together; a viewer finds it. Every page visited is checked with
//! axe-core (no accessibility violation) and photographed at 1280 and 390 pixels wide.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`DEBRIEF_TEST_CHROMEDRIVER`) and axe-core
//! (`DEBRIEF_TEST_AXE`, the path of `axe.min.js`); `.ci/run` sets both and the test says
//! SKIPPED when either is unset. Screenshots go to `DEBRIEF_TEST_SCREENSHOTS` (default:
//! `target/screenshots` under the build directory).

mod common;

use common::tempdir;
use common::webdriver::{
    Browser, Driver, choose, click_and_wait, replace, sign_in, submit, wait_for,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// `debrief serve --demo` on a free port: its address and the accounts it printed.
struct Demo {
    child: Child,
    base: String,
    passwords: HashMap<String, String>,
}

impl Demo {
    fn start() -> Demo {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("debrief"))
            .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
            .env("DEBRIEF_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start debrief serve --demo");
        let stdout = child.stdout.take().expect("stdout");
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let (mut base, mut passwords) = (None, HashMap::new());
        while base.is_none() || passwords.len() < 6 {
            let line = received
                .recv_timeout(Duration::from_secs(60))
                .expect("the demo server prints its address and accounts");
            if let Some(address) = line.strip_prefix("debrief: listening on ") {
                base = Some(address.to_string());
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            if let [name, "password", password, ..] = words.as_slice() {
                passwords.insert(name.to_string(), password.to_string());
            }
        }
        Demo {
            child,
            base: base.unwrap_or_default(),
            passwords,
        }
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What every page must pass, and where its pictures go.
struct Checks {
    axe: String,
    shots: PathBuf,
    taken: std::cell::RefCell<Vec<String>>,
}

impl Checks {
    /// axe-core on the page (no violation), then screenshots at both widths, once a page.
    fn page(&self, browser: &Browser<'_>, name: &str) {
        // The script is sent as WebDriver's own, which the page's Content-Security-Policy
        // does not govern; the page itself runs no script at all.
        browser.execute(&format!("{};return true;", self.axe), json!([]));
        let result = browser.execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})\
               .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))\
               .catch(e => done(['axe failed: ' + e]));",
            json!([]),
        );
        let violations: Vec<String> = result
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("axe answered {result}")]);
        assert!(
            violations.is_empty(),
            "{name} ({}): {violations:#?}",
            browser.url()
        );
        if self.taken.borrow().iter().any(|n| n == name) {
            return;
        }
        self.taken.borrow_mut().push(name.to_string());
        for width in [1280, 390] {
            // The whole page, not only what a screen shows: the window is made as tall as
            // the page at this width (up to a limit the browser can draw).
            browser.resize(width, 1000);
            let height = browser
                .execute("return document.documentElement.scrollHeight;", json!([]))
                .as_u64()
                .and_then(|h| u32::try_from(h).ok())
                .unwrap_or(1000)
                .clamp(600, 12_000);
            browser.resize(width, height + 100);
            let png = browser.screenshot();
            assert!(png.starts_with(b"\x89PNG"), "{name}: no screenshot");
            std::fs::write(self.shots.join(format!("{name}-{width}.png")), png)
                .expect("write a screenshot");
        }
        browser.resize(1280, 1000);
    }
}

/// Clicks the workflow's button to move to `state`.
fn step(browser: &Browser<'_>, state: &str) {
    let forms = browser.find_all(".steps form");
    let form = forms
        .iter()
        .find(|f| {
            browser
                .find_all_in(f, "input[name=to]")
                .first()
                .is_some_and(|input| browser.attribute(input, "value") == state)
        })
        .unwrap_or_else(|| panic!("no step to {state} on {}", browser.url()));
    let button = browser.find_all_in(form, "button").remove(0);
    click_and_wait(browser, &button);
}

const DOCUMENT: &str = "---\ntitle: Checkout latency after a cache change\ndate: 2026-06-14\nseverity: SEV2\nservices: [checkout]\n---\n\n\
## Summary\n\nCheckout took up to nine seconds for 25 minutes after a cache configuration change.\n\n\
## Timeline (UTC)\n\n- 14:02 [started] The cache configuration change is deployed\n\
- 14:06 [detected] The latency alert pages the on-call engineer\n\
- 14:09 [acknowledged] The on-call engineer opens the incident channel\n\
- 14:20 [mitigated] The change is rolled back\n- 14:27 [resolved] Latency is back to normal\n\n\
## Root cause\n\nThe connection limit came from a staging file; nothing compared it with production traffic.\n\n\
## Action items\n\n- [ ] Check connection limits against last week's peak in the pipeline (owner: @platform, due: 2026-07-15)\n";

#[test]
fn six_people_write_review_and_publish_a_postmortem_in_chromium() {
    let Ok(chromedriver) = std::env::var("DEBRIEF_TEST_CHROMEDRIVER") else {
        eprintln!("SKIPPED the web UI browser test: DEBRIEF_TEST_CHROMEDRIVER is not set");
        return;
    };
    let Ok(axe_path) = std::env::var("DEBRIEF_TEST_AXE") else {
        eprintln!("SKIPPED the web UI browser test: DEBRIEF_TEST_AXE (axe.min.js) is not set");
        return;
    };
    let shots = std::env::var_os("DEBRIEF_TEST_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
            target.join("screenshots")
        });
    std::fs::create_dir_all(&shots).expect("the screenshot folder");
    let checks = Checks {
        axe: std::fs::read_to_string(&axe_path).expect("axe.min.js"),
        shots,
        taken: Default::default(),
    };
    let demo = Demo::start();
    let base = demo.base.clone();
    let driver = Driver::start(&chromedriver);
    let dir = tempdir();
    let people = [
        "responder",
        "developer",
        "product",
        "security",
        "admin",
        "viewer",
    ];
    let browsers: HashMap<&str, Browser<'_>> = people
        .iter()
        .map(|name| {
            let browser = Browser::open(&driver, &dir.path().join(name));
            sign_in(&browser, &base, name, &demo.passwords[*name]);
            (*name, browser)
        })
        .collect();
    let (responder, developer, product, security, admin, viewer) = (
        &browsers["responder"],
        &browsers["developer"],
        &browsers["product"],
        &browsers["security"],
        &browsers["admin"],
        &browsers["viewer"],
    );
    checks.page(viewer, "my-work");
    viewer.go(&format!("{base}/login"));

    // A responder starts the postmortem from the template and writes it.
    responder.go(&format!("{base}/postmortems/new"));
    checks.page(responder, "new");
    replace(responder, "#title", "Checkout latency after a cache change");
    submit(responder, "/postmortems/new");
    let page = responder.url();
    let path = page.trim_start_matches(&base).to_string();
    assert!(path.starts_with("/postmortems/"), "{page}");
    responder.go(&format!("{base}{path}/edit"));
    // The live lint flags a who-question as it is typed; it is rewritten before saving.
    replace(
        responder,
        "#markdown",
        &DOCUMENT.replace(
            "## Root cause\n\n",
            "## Root cause\n\nWho approved the change? ",
        ),
    );
    let mut flagged = false;
    for _ in 0..50 {
        let items = responder.find_all("#live-findings li");
        if items
            .iter()
            .any(|li| responder.text(li).contains("who-question"))
        {
            flagged = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(flagged, "the live lint did not flag the who-question");
    checks.page(responder, "edit");
    replace(responder, "#markdown", DOCUMENT);
    submit(responder, &format!("{path}/edit"));
    assert_eq!(responder.url(), page);
    assert!(responder.source().contains("Time to detect"));

    // Product and security add their views as their functions.
    for (who, kind, text) in [
        (
            product,
            "observation",
            "Customers noticed before the alert fired.",
        ),
        (
            security,
            "impact",
            "No data was exposed; sessions were unaffected.",
        ),
    ] {
        who.go(&page);
        choose(who, "#kind", kind);
        replace(who, "#text", text);
        submit(who, &format!("{path}/contribute"));
        let shown = who.source();
        assert!(
            shown.contains(text),
            "{kind} is not shown: {}",
            &shown[shown.find("<main>").unwrap_or(0)..]
                [..600.min(shown.len() - shown.find("<main>").unwrap_or(0))]
        );
    }
    // Product asks about a moment of the timeline; the linter points out the who-question
    // gently, and the responder resolves the thread once answered.
    product.go(&page);
    let entry = product
        .find_all("#comment-anchor option")
        .into_iter()
        .find(|option| product.attribute(option, "value").starts_with("entry:"))
        .expect("a timeline entry to comment on");
    product.click(&entry);
    replace(product, "#comment-text", "Who saw the alert first?");
    submit(product, &format!("{path}/comments"));
    assert!(product.source().contains("Your comment is added."));
    assert!(
        !product.find_all(".comments .gentle").is_empty(),
        "the who-question in the comment is pointed out"
    );
    checks.page(product, "comments");
    responder.go(&page);
    let resolve = responder.find(".comments form button[type=submit].small");
    click_and_wait(responder, &resolve);
    assert!(responder.source().contains("The comment is resolved."));

    // Moving on without a facilitator is refused with what is missing.
    responder.go(&page);
    step(responder, "in_review");
    let refusal = responder.source();
    assert!(refusal.contains("no facilitator is assigned"), "no refusal");
    checks.page(responder, "refusal");

    // The admin takes the rotation's suggestion for facilitator, and names a scribe.
    admin.go(&page);
    checks.page(admin, "postmortem");
    let suggested = admin.find("#assign-facilitator option[selected]");
    assert!(admin.text(&suggested).contains("suggested"));
    let facilitator = admin.attribute(&suggested, "value");
    submit(admin, &format!("{path}/assign"));
    assert!(
        admin
            .source()
            .contains(&format!("Facilitator: {facilitator}")),
        "the facilitator is not assigned"
    );
    let scribe = if facilitator == "developer" {
        "security"
    } else {
        "developer"
    };
    choose(admin, "#assign-scribe", scribe);
    submit(admin, &format!("{path}/assign"));
    let source = admin.source();
    assert!(
        source.contains(&format!("Scribe: {scribe}")),
        "the scribe is not assigned: {}",
        &source[source.find("<main>").unwrap_or(0)..]
            [..800.min(source.len() - source.find("<main>").unwrap_or(0))]
    );

    // Two people edit at once: the second gets the merge and loses nothing.
    responder.go(&format!("{base}{path}/edit"));
    product.go(&format!("{base}{path}/edit"));
    let theirs = DOCUMENT.replace("25 minutes", "twenty-five minutes");
    replace(responder, "#markdown", &theirs);
    submit(responder, &format!("{path}/edit"));
    let mine = DOCUMENT.replace(
        "## Root cause",
        "## Impact\n\n1,800 checkouts were slower than five seconds.\n\n## Root cause",
    );
    replace(product, "#markdown", &mine);
    submit(product, &format!("{path}/edit"));
    let conflict = product.source();
    assert!(conflict.contains("while you edited"), "no conflict shown");
    let kept = product.property(&product.find("#markdown"), "value");
    assert!(kept.contains("1,800 checkouts"), "the text typed was lost");
    checks.page(product, "conflict");
    replace(
        product,
        "#markdown",
        &mine.replace("25 minutes", "twenty-five minutes"),
    );
    submit(product, &format!("{path}/edit"));
    assert_eq!(product.url(), page);
    assert!(product.source().contains("twenty-five minutes"));
    assert!(product.source().contains("1,800 checkouts"));

    // In review, reviewed, then publishing: refused while Dev has not contributed.
    for state in ["in_review", "reviewed"] {
        admin.go(&page);
        step(admin, state);
        assert!(
            admin.source().contains("Moved to"),
            "{state}: {}",
            admin.url()
        );
    }
    admin.go(&page);
    step(admin, "published");
    assert!(
        admin.source().contains("the Dev role has not contributed"),
        "publishing was not refused"
    );
    developer.go(&page);
    choose(developer, "#kind", "observation");
    replace(
        developer,
        "#text",
        "The staging file was copied by a deploy script.",
    );
    submit(developer, &format!("{path}/contribute"));
    admin.go(&page);
    step(admin, "published");
    assert!(
        admin.source().contains("Moved to published"),
        "not published"
    );

    // A viewer finds it on their home page and by search.
    viewer.go(&format!("{base}/"));
    assert!(
        viewer
            .source()
            .contains("Checkout latency after a cache change")
    );
    // Search as you type: the results follow the words without a click, and the address
    // follows the results.
    viewer.go(&format!("{base}/postmortems"));
    viewer.type_into(&viewer.find("#q"), "staging file");
    assert!(
        wait_for(viewer, "#results mark"),
        "no results as the words were typed"
    );
    assert!(viewer.url().contains("q=staging+file"), "{}", viewer.url());
    checks.page(viewer, "search");
    assert!(
        viewer
            .source()
            .contains("Checkout latency after a cache change")
    );
    viewer.go(&page);
    checks.page(viewer, "published");

    // The restricted demo postmortem is absent for the viewer on every page.
    for visited in [
        "/",
        "/postmortems",
        "/postmortems?q=token",
        "/review",
        "/feed.atom",
    ] {
        viewer.go(&format!("{base}{visited}"));
        assert!(
            !viewer.source().contains("API token printed"),
            "{visited} shows the restricted postmortem"
        );
    }
    // The demo's review meeting, under way: the facilitator sees the redirect for the note
    // that blames, the others do not; a note made in one browser appears in the other's
    // open page without a reload, and what the other was typing stays.
    responder.go(&format!("{base}/postmortems?status=in_review"));
    let href = responder.execute(
        "return [...document.querySelectorAll('a')]\
           .find(a => a.textContent.includes('Order confirmation')).getAttribute('href');",
        json!([]),
    );
    let meeting = format!(
        "{}/meeting",
        href.as_str().expect("the meeting's postmortem")
    );
    responder.go(&format!("{base}{meeting}"));
    assert!(
        responder.source().contains("Redirect:"),
        "no redirect for the facilitator"
    );
    checks.page(responder, "meeting");
    // The time box of the part under way counts in the browser.
    std::thread::sleep(Duration::from_millis(1100));
    let clock = responder.execute(
        "return document.getElementById('clock').textContent;",
        json!([]),
    );
    assert!(
        clock.as_str().is_some_and(|t| t.contains(" of 25:00")),
        "the clock does not run: {clock}"
    );
    developer.go(&format!("{base}{meeting}"));
    assert!(
        !developer.source().contains("Redirect:"),
        "a redirect for a participant"
    );
    replace(responder, "#reflection-text", "Half a thought");
    replace(
        developer,
        "#note-text",
        "The consumer logged nothing while it was stalled.",
    );
    let add = developer.find("#note-text ~ button[type=submit]");
    click_and_wait(developer, &add);
    assert!(
        wait_for(responder, ".notes li:nth-child(3)"),
        "the note did not reach the facilitator's open page"
    );
    assert!(
        responder
            .source()
            .contains("logged nothing while it was stalled")
    );
    let kept = responder.property(&responder.find("#reflection-text"), "value");
    assert_eq!(kept, "Half a thought", "what was being typed was lost");
    // The draft the alerting opened: two late entries wait. The responder accepts
    // PagerDuty's resolution and drops the second alert; the viewer sees the list but
    // cannot decide.
    responder.go(&format!("{base}/postmortems?status=draft"));
    let href = responder.execute(
        "return [...document.querySelectorAll('a')]\
           .find(a => a.textContent.includes('Image uploads fail')).getAttribute('href');",
        json!([]),
    );
    let incident = format!("{base}{}", href.as_str().expect("the alerting's draft"));
    viewer.go(&incident);
    assert_eq!(
        viewer.find_all(".proposals li").len(),
        2,
        "the viewer sees the proposals"
    );
    assert!(
        viewer.find_all(".proposals button").is_empty(),
        "a viewer cannot decide"
    );
    responder.go(&incident);
    checks.page(responder, "proposals");
    let entries = responder.find_all(".proposals li");
    assert_eq!(entries.len(), 2, "two entries wait");
    let resolution = entries
        .iter()
        .find(|li| responder.text(li).contains("is resolved by"))
        .expect("PagerDuty's resolution is proposed");
    let accept = responder
        .find_all_in(resolution, "button[value=accept]")
        .remove(0);
    click_and_wait(responder, &accept);
    assert!(
        responder.source().contains("joined the timeline"),
        "no notice"
    );
    let timeline = responder.text(&responder.find("article"));
    assert!(
        timeline.contains("PagerDuty incident #311 is resolved by the on-call responder"),
        "the accepted entry is not in the timeline"
    );
    let drop = responder.find(".proposals button[value=drop]");
    click_and_wait(responder, &drop);
    assert!(responder.source().contains("was left out"), "no notice");
    assert!(
        responder.find_all(".proposals").is_empty(),
        "nothing waits any more"
    );
    assert!(
        !responder
            .text(&responder.find("article"))
            .contains("fires in eu-west-1"),
        "the dropped entry is in the timeline"
    );
    for (who, name, url) in [
        (viewer, "review", "/review"),
        (viewer, "rules", "/rules"),
        (viewer, "list", "/postmortems"),
        (admin, "history", &*format!("{path}/history?from=1&to=3")),
        (admin, "admin", "/admin"),
        (admin, "account", "/account"),
    ] {
        who.go(&format!("{base}{url}"));
        checks.page(who, name);
    }
    let signed_out = Browser::open(&driver, &dir.path().join("signed-out"));
    signed_out.go(&format!("{base}/"));
    checks.page(&signed_out, "sign-in");
}
