//! The review meeting as its four people hold it: a facilitator, a scribe and two
//! participants, each in their own Chromium session, split across two `debrief serve`
//! instances that share one PostgreSQL database. Every change one of them makes must appear
//! on the others' open pages without a reload (the live stream, fed on the other instance
//! by PostgreSQL's NOTIFY); a participant who leaves and comes back catches up; the end
//! writes the meeting into the postmortem as one new version.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`DEBRIEF_TEST_CHROMEDRIVER`) and a
//! PostgreSQL server (`DEBRIEF_TEST_POSTGRES`, a URL whose user may create databases);
//! `.ci/run` sets both and the test says SKIPPED when either is unset.

mod common;

use common::serve::{Serve, new_token};
use common::webdriver::{Browser, Driver, choose, click_and_wait, replace, sign_in, wait_for};
use common::{debrief, tempdir};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long enough password";

const DOCUMENT: &str = "---\ntitle: Orders stuck after a queue failover\ndate: 2026-06-14\nseverity: SEV2\nservices: [orders]\n---\n\n\
## Summary\n\nOrders waited up to 20 minutes for confirmation after the queue failed over.\n\n\
## Timeline (UTC)\n\n- 09:58 [started] The queue's primary fails over to the replica\n\
- 10:07 [detected] The confirmation-lag alert pages the on-call engineer\n\
- 10:11 [acknowledged] The on-call engineer opens the incident channel\n\
- 10:26 [mitigated] The consumers are restarted against the new primary\n\
- 10:34 [resolved] Confirmations are back to normal\n\n\
## Root cause\n\nThe consumers kept a connection to the old primary; nothing told them it had gone.\n\n\
## Action items\n\n- [ ] Reconnect consumers when the queue fails over (owner: @platform, due: 2099-07-15)\n";

/// A fresh PostgreSQL database for this test, as a URL; `None` when none is configured.
fn database() -> Option<String> {
    let base = std::env::var("DEBRIEF_TEST_POSTGRES").ok()?;
    let name = format!(
        "debrief_meeting_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .expect("connect to DEBRIEF_TEST_POSTGRES");
        // The name is made here of digits and underscores, never of input.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create the test database");
    });
    let (prefix, _) = base
        .rsplit_once('/')
        .expect("a database URL ends with /DATABASE");
    Some(format!("{prefix}/{name}"))
}

/// An API call as the admin; the answer's JSON.
fn api(base: &str, token: &str, method: &str, path: &str, body: Value) -> Value {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let url = format!("{base}{path}");
        let request = match method {
            "GET" => client.get(url),
            "PUT" => client.put(url).json(&body),
            _ => client.post(url).json(&body),
        };
        let response = request.bearer_auth(token).send().await.expect("the API");
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        answer
    })
}

/// A person at the meeting: their browser, and the instance it talks to.
struct Seat<'a> {
    name: &'static str,
    browser: Browser<'a>,
    base: String,
}

impl Seat<'_> {
    /// Marks the page now open: [`Seat::sees`] then tells a change that reached it live
    /// from a page that was loaded again.
    fn mark(&self) {
        self.browser
            .execute("window.debriefSameLoad = true; return true;", json!([]));
    }

    /// Opens the meeting's page.
    fn open(&self, meeting: &str) {
        self.browser.go(&format!("{}{meeting}", self.base));
        self.mark();
    }

    /// Waits until the open page shows `text` in the element `css`, without a reload.
    fn sees(&self, css: &str, text: &str) {
        let script = "const [css, text] = arguments;\
            return [...document.querySelectorAll(css)].some(e => e.textContent.includes(text))\
              && window.debriefSameLoad === true;";
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.browser.execute(script, json!([css, text])) != Value::Bool(true) {
            assert!(
                Instant::now() < deadline,
                "{} did not see {text:?} in {css} live on {}",
                self.name,
                self.browser.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends the form whose button says `button`, and waits for the page it answers with.
    fn send(&self, button: &str) {
        let found = self.browser.execute(
            "const label = arguments[0];\
             const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === label);\
             if (b) { b.setAttribute('data-test-send', '1'); }\
             return !!b;",
            json!([button]),
        );
        assert_eq!(
            found,
            Value::Bool(true),
            "{}: no button {button:?}",
            self.name
        );
        let element = self.browser.find("[data-test-send]");
        click_and_wait(&self.browser, &element);
        self.mark();
    }

    /// A picture of what the window shows, into `DEBRIEF_TEST_SCREENSHOTS` when it is set.
    fn photograph(&self, name: &str) {
        if let Some(dir) = std::env::var_os("DEBRIEF_TEST_SCREENSHOTS") {
            std::fs::create_dir_all(&dir).expect("the screenshots' folder");
            let path = std::path::Path::new(&dir).join(format!("{name}.png"));
            std::fs::write(path, self.browser.screenshot()).expect("write a screenshot");
        }
    }

    /// What the open page says under `css`.
    fn text(&self, css: &str) -> String {
        self.browser.text(&self.browser.find(css))
    }
}

/// Adds a user from the command line.
fn add_user(url: &str, name: &str, function: &str, role: &str) {
    debrief()
        .args(["user", "add", name, "--function", function, "--role", role])
        .args(["--database-url", url])
        .env("DEBRIEF_PASSWORD", PASSWORD)
        .assert()
        .success();
}

#[test]
fn four_people_hold_a_review_meeting_across_two_instances_in_chromium() {
    let Ok(chromedriver) = std::env::var("DEBRIEF_TEST_CHROMEDRIVER") else {
        eprintln!("SKIPPED the meeting browser test: DEBRIEF_TEST_CHROMEDRIVER is not set");
        return;
    };
    let Some(url) = database() else {
        eprintln!("SKIPPED the meeting browser test: DEBRIEF_TEST_POSTGRES is not set");
        return;
    };
    let dir = tempdir();
    for (name, function, role) in [
        ("admin", "SRE", "admin"),
        ("fay", "Dev", "contributor"),
        ("sam", "Product", "contributor"),
        ("ana", "SRE", "contributor"),
        ("ben", "Support", "contributor"),
    ] {
        add_user(&url, name, function, role);
    }
    // The organisation names its own factor categories.
    let config = dir.path().join("debrief.toml");
    std::fs::write(
        &config,
        "[server]\nfactor_categories = [\"Change\", \"Monitoring\", \"Vendors\", \"Process\"]\n",
    )
    .expect("write debrief.toml");
    let instance = |data: &str| {
        let config = config.to_str().expect("a UTF-8 path");
        Serve::start_with(
            &dir.path().join(data),
            &["--database-url", &url, "--config", config],
            &[],
        )
    };
    let (one, two) = (instance("one"), instance("two"));
    let meeting = set_up(&one.base);

    let driver = Driver::start(&chromedriver);
    let seat = |name: &'static str, base: &str| {
        let browser = Browser::open(&driver, &dir.path().join(format!("profile-{name}")));
        browser.resize(1280, 1000);
        sign_in(&browser, base, name, PASSWORD);
        Seat {
            name,
            browser,
            base: base.to_string(),
        }
    };
    // Facilitator and a participant on one instance, scribe and the other on the second.
    let fay = seat("fay", &one.base);
    let ana = seat("ana", &one.base);
    let sam = seat("sam", &two.base);
    let ben = seat("ben", &two.base);
    let everyone = [&fay, &ana, &sam, &ben];
    let others = |me: &Seat<'_>| -> Vec<&Seat<'_>> {
        everyone
            .iter()
            .copied()
            .filter(|s| s.name != me.name)
            .collect()
    };
    for person in everyone {
        person.open(&meeting);
    }

    // Before it starts, the facilitator gives the walk more time; then starts it, and every
    // open page becomes the room.
    replace(&fay.browser, "#box-minutes", "30");
    choose(&fay.browser, "#box-item", "1");
    fay.send("Set the time box");
    for person in others(&fay) {
        person.sees(".agenda li", "30 min");
    }
    fay.send("Start the meeting");
    for person in others(&fay) {
        assert!(
            wait_for(&person.browser, "#clock"),
            "{}: the room did not open when the meeting started",
            person.name
        );
        person.mark();
    }
    for person in everyone {
        person.send("I'm here");
        for other in others(person) {
            other.sees("[data-live=present]", person.name);
        }
    }

    // The agenda advances, and the timeline is walked and tagged.
    fay.send("Enough, let's move on");
    for person in others(&fay) {
        person.sees(".agenda li.current", "Timeline walk");
        person.sees(".prompts", "What surprised you?");
    }
    choose(&fay.browser, "#walk-entry", "1");
    fay.send("Walk to it");
    for person in others(&fay) {
        person.sees(".walk li.current", "confirmation-lag alert");
    }
    choose(&fay.browser, "#walk-tag", "detection");
    fay.send("Tag it");
    for person in others(&fay) {
        person.sees(".walk li.current .milestone", "detection");
    }

    // The scribe's note blames: as it is typed the scribe sees that it will bring the
    // facilitator a redirect; once sent, the facilitator's page shows the redirect, and
    // nobody else's does.
    let blame = "Ana should have checked the replica before restarting the consumers.";
    replace(&sam.browser, "#note-text", blame);
    sam.sees(
        "#note-check.redirect",
        "the facilitator will be offered a redirect",
    );
    sam.photograph("meeting-note-as-typed");
    sam.send("Add the note");
    for person in others(&sam) {
        person.sees(".notes li", blame);
    }
    fay.sees(".notes .redirect", "How did the system allow this?");
    for person in [&ana, &ben, &sam] {
        assert!(
            person.browser.find_all(".notes .redirect").is_empty(),
            "{} sees the facilitator's redirect",
            person.name
        );
    }

    // A factor under the organisation's own category, deepened with three whys.
    fay.send("Enough, let's move on");
    for person in others(&fay) {
        person.sees(".agenda li.current", "Contributing factors");
    }
    choose(&ana.browser, "#factor-category", "Vendors");
    replace(
        &ana.browser,
        "#factor-text",
        "The queue's failover does not tell its clients.",
    );
    ana.send("Add the factor");
    for person in others(&ana) {
        person.sees(".factors li", "Vendors: The queue's failover");
    }
    for why in [
        "The client library only reconnects on a closed socket.",
        "The old primary keeps its sockets open while it drains.",
        "Nobody had tested a failover with consumers attached.",
    ] {
        replace(&ben.browser, "#why-text", why);
        ben.send("Add the why");
        for person in others(&ben) {
            person.sees(".factors li li", why);
        }
    }

    // Two action items drafted: the wish is explained as it is typed and refused, the
    // owned and dated one taken.
    fay.send("Enough, let's move on");
    for person in others(&fay) {
        person.sees(".agenda li.current", "Action items");
    }
    let wish = "Be more careful with failovers";
    replace(&sam.browser, "#draft-text", wish);
    sam.sees("#draft-check.refusal", "Not yet:");
    sam.photograph("meeting-draft-as-typed");
    sam.send("Add the action item");
    assert!(
        sam.text("[role=alert]").contains("not yet an action item"),
        "the wish was not refused with its reasons"
    );
    let item = "Run a queue failover with consumers attached in staging every month (owner: @platform, due: 2099-08-01)";
    replace(&sam.browser, "#draft-text", item);
    sam.sees("#draft-check.ready", "ready to add");
    sam.send("Add the action item");
    for person in others(&sam) {
        person.sees(".drafts li", "Run a queue failover");
    }
    for person in everyone {
        assert!(
            !person.browser.source().contains(wish) || person.name == "sam",
            "{} sees the refused wish",
            person.name
        );
    }

    // Ben leaves and misses a decision; back, he sees it and is in the room again.
    ben.send("I'm leaving");
    for person in others(&ben) {
        let present = person.text("[data-live=present]");
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut present = present;
        while present.contains("ben") {
            assert!(
                Instant::now() < deadline,
                "{}: ben did not leave",
                person.name
            );
            std::thread::sleep(Duration::from_millis(50));
            present = person.text("[data-live=present]");
        }
    }
    ben.browser.go(&format!("{}/postmortems", ben.base));
    let decision = "Consumers reconnect to whichever node the queue names primary.";
    replace(&fay.browser, "#decision-text", decision);
    fay.send("Add the decision");
    for person in [&ana, &sam] {
        person.sees(".drafts li", decision);
    }
    ben.open(&meeting);
    assert!(
        ben.text(".drafts").contains(decision),
        "the late joiner did not catch up"
    );
    ben.send("I'm here");
    for person in others(&ben) {
        person.sees("[data-live=present]", "ben");
    }

    // A reflection without a name, then the end: every page gives way to the record.
    fay.send("Enough, let's move on");
    replace(
        &ana.browser,
        "#reflection-text",
        "I will ask what the client does on failover before I restart it.",
    );
    ana.browser
        .click(&ana.browser.find("input[name=anonymous]"));
    ana.send("Add my reflection");
    for person in others(&ana) {
        person.sees(
            ".reflections li",
            "Anonymous: I will ask what the client does",
        );
    }
    fay.send("End the meeting and write its record");
    for person in others(&fay) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !person.browser.source().contains("The meeting has ended") {
            assert!(
                Instant::now() < deadline,
                "{}: the page did not show the end",
                person.name
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    // The postmortem's new version holds all of it, and the core reads it back.
    let token = new_token(&two.base, "admin");
    let id = meeting
        .trim_end_matches("/meeting")
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let postmortem = api(
        &two.base,
        &token,
        "GET",
        &format!("/api/v1/postmortems/{id}"),
        Value::Null,
    );
    assert_eq!(postmortem["status"], "reviewed");
    check_record(
        postmortem["markdown"].as_str().unwrap_or(""),
        blame,
        decision,
    );
    one.stop();
    two.stop();
}

/// The postmortem in review, its facilitator and scribe assigned, its meeting scheduled for
/// the four: the meeting page's path.
fn set_up(base: &str) -> String {
    let token = new_token(base, "admin");
    let created = api(
        base,
        &token,
        "POST",
        "/api/v1/postmortems",
        json!({ "markdown": DOCUMENT }),
    );
    let id = created["id"].as_i64().expect("an id");
    let path = format!("/api/v1/postmortems/{id}");
    let mut version = created["version"].as_i64().expect("a version");
    for (part, who) in [("facilitator", "fay"), ("scribe", "sam")] {
        let body = api(
            base,
            &token,
            "PUT",
            &format!("{path}/{part}"),
            json!({"username": who, "version": version}),
        );
        version = body["version"].as_i64().expect("a version");
    }
    api(
        base,
        &token,
        "POST",
        &format!("{path}/transitions"),
        json!({"to": "in_review", "version": version}),
    );
    let tomorrow = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        + 86_400;
    api(
        base,
        &token,
        "PUT",
        &format!("{path}/meeting"),
        json!({"starts_at": tomorrow, "participants": ["fay", "sam", "ana", "ben"]}),
    );
    format!("/postmortems/{id}/meeting")
}

/// The "Review meeting" section of `markdown`, read back by the core: everything the four
/// said and did.
fn check_record(markdown: &str, blame: &str, decision: &str) {
    let read = debrief_core::read(markdown).postmortem;
    let body = read
        .sections
        .iter()
        .find_map(|s| match &s.body {
            debrief_core::model::SectionBody::ReviewMeeting(text) => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no review meeting in\n{markdown}"));
    let record = debrief_core::meeting::read(&body);
    let attended: Vec<&str> = record.attendance.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(attended, ["fay", "ana", "sam", "ben"], "{body}");
    assert_eq!(record.walk.len(), 1, "{body}");
    assert!(
        record.walk[0].label.contains("confirmation-lag alert"),
        "{body}"
    );
    assert_eq!(record.walk[0].text, "detection");
    assert_eq!(record.notes.len(), 1, "{body}");
    assert_eq!(record.notes[0].text, blame);
    assert_eq!(record.factors.len(), 1, "{body}");
    assert_eq!(record.factors[0].category, "Vendors");
    assert_eq!(record.factors[0].whys.len(), 3, "{body}");
    assert_eq!(record.decisions, [decision]);
    assert_eq!(record.reflections.len(), 1, "{body}");
    assert_eq!(
        record.reflections[0].label,
        debrief_core::meeting::ANONYMOUS
    );
    let items: Vec<&str> = read.action_items().map(|i| i.text.as_str()).collect();
    assert!(
        items.iter().any(|t| t.starts_with("Run a queue failover")),
        "{items:?}"
    );
    assert!(
        !items.iter().any(|t| t.contains("Be more careful")),
        "{items:?}"
    );
}
