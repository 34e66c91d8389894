//! Reminders and digests, on both databases, through a real SMTP server (aiosmtpd, started
//! by the test from the Python that `DEBRIEF_TEST_AIOSMTPD` names; `.ci/run` installs it)
//! and a local fake of Slack's incoming webhooks: who hears of what, on the channel they
//! chose, exactly once however many instances scan, and what the digest says.

#[path = "common/mod.rs"]
mod common;

use debrief_fakes::FakeWebhooks;
use debrief_server::notify::NotifyConfig;
use debrief_server::store::reminders::Channel;
use debrief_server::workflow::Settings;
use debrief_server::{Clock, NewUser, Policy, Role, Store, User};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// A local SMTP server that keeps every message in a maildir.
struct Smtp {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Smtp {
    fn start(test: &str) -> Option<Smtp> {
        let Ok(python) = std::env::var("DEBRIEF_TEST_AIOSMTPD") else {
            eprintln!(
                "SKIPPED {test}: DEBRIEF_TEST_AIOSMTPD is not set (a Python with aiosmtpd; .ci/run sets it)"
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let dir = tempfile::tempdir().expect("a maildir");
        for folder in ["tmp", "new", "cur"] {
            std::fs::create_dir(dir.path().join(folder)).expect("a maildir folder");
        }
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Smtp { child, port, dir })
    }

    /// Every message received: (to, subject, body).
    fn messages(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.dir.path().join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).expect("a message");
                out.push(parse(&text));
            }
        }
        out.sort();
        out
    }
}

/// To, subject and text of a message, parsed as a mail client would (MIME parts,
/// quoted-printable), with the invitation it carries as a calendar part, if any.
fn parse(raw: &str) -> (String, String, String) {
    use mail_parser::MimeHeaders;
    let message = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a message mail-parser reads");
    let to = message
        .to()
        .and_then(|to| to.first())
        .and_then(|a| a.address())
        .unwrap_or("")
        .to_string();
    let subject = message.subject().unwrap_or("").to_string();
    let mut text = message
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();
    // The calendar part clients offer to accept, and the attachment for the others: both
    // the same invitation, appended so that the tests can read them.
    for part in &message.parts {
        let Some(kind) = part.content_type() else {
            continue;
        };
        let calendar = kind.ctype() == "text" && kind.subtype() == Some("calendar");
        let attached = kind.ctype() == "application" && kind.subtype() == Some("ics");
        if calendar || attached {
            let method = kind.attribute("method").unwrap_or("none");
            let name = part.attachment_name().unwrap_or("inline");
            text.push_str(&format!(
                "\n[{}/{} method={method} name={name}]\n",
                kind.ctype(),
                kind.subtype().unwrap_or("")
            ));
            text.push_str(&String::from_utf8_lossy(part.contents()));
        }
    }
    (to, subject, text)
}

async fn person(
    store: &Store,
    admin: Option<&User>,
    name: &str,
    function: &str,
    role: Role,
    team: Option<&str>,
) -> User {
    store
        .add_user(
            &NewUser {
                username: name,
                display_name: name,
                function,
                role,
                password: "a long enough password",
                team,
            },
            admin,
        )
        .await
        .expect("a user")
}

/// 2026-12-09, a Wednesday, at 10:00 UTC.
const NOW: i64 = 1_796_810_400;
const DAY: i64 = 86_400;

on_both_stores_with_url!(each_reminder_reaches_whoever_can_act_once);

async fn each_reminder_reaches_whoever_can_act_once(store: &Store, url: &str, backend: &str) {
    let Some(smtp) = Smtp::start("each_reminder_reaches_whoever_can_act_once") else {
        return;
    };
    let hooks = FakeWebhooks::start().await;
    let mut notify = NotifyConfig::from_toml(&format!(
        "[notify]\nsmtp_url = \"smtp://127.0.0.1:{}\"\nfrom = \"debrief <debrief@acme.example>\"\n\
         slack_webhook_env = \"ORG_HOOK\"\n\n[teams.payments]\nlead = \"lead\"\n",
        smtp.port
    ))
    .expect("valid");
    notify.environment = Some(BTreeMap::from([(
        "ORG_HOOK".to_string(),
        hooks.url("organisation"),
    )]));
    let now = Arc::new(AtomicI64::new(NOW - 100 * DAY));
    let clock = now.clone();
    let store = store
        .clone()
        .with_policy(Policy {
            workflow: Settings {
                required_roles: vec!["Security".into()],
                ..Settings::default()
            },
            notify,
            ..Policy::default()
        })
        .with_clock(Clock::from_fn(move || clock.load(Ordering::SeqCst)));
    let admin = person(&store, None, "admin", "SRE", Role::Admin, None).await;
    let mut people = BTreeMap::new();
    for (name, function, team) in [
        ("lead", "Dev", Some("payments")),
        ("alice", "Dev", Some("payments")),
        ("bob", "Ops", None),
        ("sec", "Security", None),
        ("quiet", "Dev", None),
    ] {
        let user = person(
            &store,
            Some(&admin),
            name,
            function,
            Role::Contributor,
            team,
        )
        .await;
        people.insert(name, user);
    }
    people.insert("admin", admin.clone());
    for (name, user) in &people {
        let (channel, email, webhook) = match *name {
            "bob" => (Channel::Slack, None, Some(hooks.url("bob"))),
            "quiet" => (Channel::None, Some("quiet@acme.example".to_string()), None),
            _ => (Channel::Email, Some(format!("{name}@acme.example")), None),
        };
        store
            .set_notification_settings(user, channel, email.as_deref(), webhook.as_deref())
            .await
            .expect("settings");
    }

    // Published 100 days ago, one item still open: lingering.
    store
        .create_postmortem(
            &admin,
            "---\ntitle: Old outage\ndate: 2026-08-30\nstatus: published\nteam: payments\n---\n\n# Old outage\n\n\
             ## Action items\n\n- [ ] Retire the old queue (owner: @alice)\n",
        )
        .await
        .expect("old");
    // Published last week (Thursday): the digest's; items due soon and overdue.
    now.store(NOW - 6 * DAY, Ordering::SeqCst);
    store
        .create_postmortem(
            &admin,
            "---\ntitle: Checkout errors\ndate: 2026-12-01\nstatus: published\nteam: payments\n---\n\n\
             # Checkout errors\n\n## Action items\n\n\
             - [ ] Alert on cache saturation (owner: @alice, due: 2026-12-11)\n\
             - [ ] Add retry jitter (owner: @alice, due: 2026-11-19)\n\
             - [ ] Load-test the pool (owner: @bob, due: 2027-01-08)\n\
             - [ ] Write the cache runbook (owner: payments team, due: 2026-12-08)\n\
             - [x] Raise the pool size (owner: @alice, due: 2026-12-01)\n",
        )
        .await
        .expect("checkout");
    // In review, resolved a week ago, nobody assigned, Security not heard from; its review
    // meeting is tomorrow morning.
    let search = store
        .create_postmortem(
            &admin,
            "---\ntitle: Search latency\ndate: 2026-12-02\nstatus: in_review\n---\n\n# Search latency\n\n\
             ## Timeline (UTC)\n\n- 2026-12-02 09:00 [started] p99 rose\n- 2026-12-02 11:00 [resolved] back to normal\n",
        )
        .await
        .expect("search");
    now.store(NOW, Ordering::SeqCst);
    let request = debrief_wire::api::MeetingRequest {
        starts_at: NOW + 20 * 3600,
        minutes: Some(45),
        zone: None,
        agenda: None,
        participants: Some(
            ["admin", "alice", "sec", "quiet"]
                .map(String::from)
                .to_vec(),
        ),
    };
    store
        .schedule_meeting(&admin, search.id, &request)
        .await
        .expect("the meeting");

    let (a, b, other) = common::two_workers(&store, url).await;
    for _ in 0..2 {
        common::drain_both(&a, &b).await;
    }
    // An hour later, scanned again by both: nothing new.
    now.fetch_add(3600, Ordering::SeqCst);
    common::drain_both(&a, &b).await;
    other.close().await;
    let counts = store.job_counts().await.expect("counts");
    let dead = store.dead_jobs(&admin).await.expect("dead");
    assert_eq!(counts.dead, 0, "{backend}: {dead:?}");

    let messages = smtp.messages();
    let mut got: Vec<(String, String)> = messages
        .iter()
        .map(|(to, subject, _)| (to.clone(), subject.clone()))
        .collect();
    got.sort();
    let expected: Vec<(String, String)> = {
        let mut e: Vec<(String, String)> = [
            ("admin", "1 postmortem published"),
            ("admin", "Facilitator and scribe needed: Search latency"),
            ("admin", "Read before the review meeting: Search latency"),
            (
                "admin",
                "Review meeting: Search latency, 2026-12-10 06:00 UTC",
            ),
            ("alice", "Read before the review meeting: Search latency"),
            (
                "alice",
                "Review meeting: Search latency, 2026-12-10 06:00 UTC",
            ),
            ("sec", "Read before the review meeting: Search latency"),
            (
                "sec",
                "Review meeting: Search latency, 2026-12-10 06:00 UTC",
            ),
            ("alice", "1 postmortem published"),
            ("alice", "Due in 2 days: Alert on cache saturation"),
            ("alice", "Open for 90 days: Retire the old queue"),
            ("alice", "Overdue by 20 days: Add retry jitter"),
            ("lead", "1 postmortem published"),
            ("lead", "Open for 90 days: Retire the old queue"),
            ("lead", "Overdue by 1 day: Write the cache runbook"),
            ("lead", "Overdue by 20 days: Add retry jitter"),
            ("sec", "1 postmortem published"),
            ("sec", "Your view is missing: Search latency"),
        ]
        .iter()
        .map(|(to, subject)| (format!("{to}@acme.example"), subject.to_string()))
        .collect();
        e.sort();
        e
    };
    assert_eq!(got, expected, "{backend}");

    // The digest says what was published, with its link, and nothing else.
    let digest = &messages
        .iter()
        .find(|(to, subject, _)| to == "alice@acme.example" && subject.contains("published"))
        .expect("alice's digest")
        .2;
    assert!(
        digest.contains("Published from 2026-11-30 to 2026-12-06"),
        "{backend}: {digest}"
    );
    assert!(
        digest.contains("- Checkout errors: https://debrief.example/postmortems/"),
        "{backend}: {digest}"
    );
    assert!(
        !digest.contains("Old outage") && !digest.contains("Search latency"),
        "{backend}: {digest}"
    );

    // The invitation says when, for how long, and where the meeting is; it carries the
    // calendar entry twice: as the part mail clients offer to accept, and attached.
    let invitation = &messages
        .iter()
        .find(|(to, subject, _)| to == "sec@acme.example" && subject.starts_with("Review meeting"))
        .expect("sec's invitation")
        .2;
    assert!(
        invitation.contains("for 45 minutes"),
        "{backend}: {invitation}"
    );
    assert!(
        invitation.contains(&format!(
            "https://debrief.example/postmortems/{}/meeting",
            search.id
        )),
        "{backend}: {invitation}"
    );
    for part in [
        "[text/calendar method=REQUEST name=inline]\nBEGIN:VCALENDAR",
        "[application/ics method=none name=invite.ics]\nBEGIN:VCALENDAR",
    ] {
        assert!(
            invitation.contains(part),
            "{backend}: {part} in {invitation}"
        );
    }
    let calendar = invitation.replace("\r\n ", "");
    assert!(
        calendar.contains("DTSTART:20261210T060000Z")
            && calendar.contains("mailto:sec@acme.example"),
        "{backend}: {calendar}"
    );

    // Bob chose Slack: the digest reached his webhook, and the organisation's channel.
    let posts = hooks.posts();
    let names: Vec<&str> = posts.iter().map(|(name, _)| name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["bob", "organisation"], "{backend}: {posts:?}");
    assert!(
        posts[0].1["text"].as_str().is_some_and(
            |t| t.starts_with("*1 postmortem published*") && t.contains("Checkout errors")
        ),
        "{backend}: {posts:?}"
    );
}
