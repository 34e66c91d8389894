//! `debrief serve --demo`: a fresh store seeded with example postmortems written for debrief
//! (every stage of the workflow, a restricted one, an overdue assignment, open and done action
//! items), a draft the alerting opened with two late entries waiting for a decision, and one
//! account per role, so that a newcomer sees the product in a minute.

use crate::store::{NewUser, Result, Role, Store, StoreError};
use crate::workflow::Part;
use debrief_import::{Delivery, Entry, Source};
use debrief_wire::api::{EntryTag, MeetingChange, MeetingRequest};

/// The example postmortems, each in the state its front matter names.
const POSTMORTEMS: [&str; 5] = [
    include_str!("../demo/checkout-cache.md"),
    include_str!("../demo/email-queue.md"),
    include_str!("../demo/search-latency.md"),
    include_str!("../demo/token-logs.md"),
    include_str!("../demo/payment-timeouts.md"),
];

/// A demo account: what to sign in with.
#[derive(Debug, Clone)]
pub struct Account {
    /// Its username.
    pub username: &'static str,
    /// Its role.
    pub role: Role,
    /// Its function.
    pub function: &'static str,
    /// Its password, made for this run.
    pub password: String,
}

/// Seeds an empty store: the accounts, then the postmortems (created by the admin, as an
/// import keeps their states), a facilitator on the one in review and its review meeting
/// under way, members on the restricted one. Returns the accounts with their passwords.
pub async fn seed(store: &Store) -> Result<Vec<Account>> {
    let people = [
        ("admin", Role::Admin, "SRE", Some("sre-oncall")),
        ("responder", Role::Contributor, "SRE", Some("platform")),
        ("developer", Role::Contributor, "Dev", Some("notifications")),
        ("product", Role::Contributor, "Product", None),
        (
            "security",
            Role::Contributor,
            "Security",
            Some("security-oncall"),
        ),
        ("viewer", Role::Viewer, "Support", None),
    ];
    let mut accounts = Vec::new();
    let mut users = Vec::new();
    for (username, role, function, team) in people {
        let password = crate::secret::new_token()
            .map_err(StoreError::Invalid)?
            .chars()
            .skip(4)
            .take(16)
            .collect::<String>();
        let user = store
            .add_user(
                &NewUser {
                    username,
                    display_name: username,
                    function,
                    role,
                    password: &password,
                    team,
                },
                None,
            )
            .await?;
        users.push(user);
        accounts.push(Account {
            username,
            role,
            function,
            password,
        });
    }
    let admin = &users[0];
    for markdown in POSTMORTEMS {
        let created = store.create_postmortem(admin, markdown).await?;
        if markdown.contains("status: in_review") {
            // A facilitator but no scribe, days after the incident: overdue.
            store
                .assign(
                    admin,
                    created.id,
                    created.version,
                    Part::Facilitator,
                    "responder",
                )
                .await?;
            meeting_under_way(store, &users, created.id).await?;
        }
        if created.restricted {
            store.add_member(admin, created.id, "security").await?;
        }
    }
    incident_from_the_alerting(store, &users[1]).await?;
    Ok(accounts)
}

/// An incident of yesterday as Alertmanager and PagerDuty told it: the alert fired, paged
/// and was acknowledged; its resolution opened a draft; the responder wrote the summary;
/// then PagerDuty's resolution and a second alert of the group arrived, and wait to be
/// accepted or dropped.
async fn incident_from_the_alerting(store: &Store, responder: &crate::store::User) -> Result<()> {
    let start = store.clock().now() - 26 * 3600;
    let at = |minutes: i64| {
        jiff::Timestamp::from_second(start + minutes * 60)
            .map_err(|e| StoreError::Invalid(format!("the demo's clock: {e}")))
    };
    let alert = "https://prometheus.example/graph?g0.expr=upload_5xx_ratio";
    let page = "https://example.pagerduty.com/incidents/Q1DEMO";
    let entry = |minutes, text: &str, milestone, system, id: &str, link: &str| -> Result<Entry> {
        Ok(Entry {
            at: at(minutes)?,
            text: text.to_string(),
            milestone,
            source: Source {
                system,
                id: id.to_string(),
                link: Some(link.to_string()),
            },
        })
    };
    let delivery = |resolved, entries| Delivery {
        event_id: None,
        incident_key: "demo-image-uploads".to_string(),
        resolved,
        title: "Image uploads fail with 5xx".to_string(),
        services: vec!["media".to_string()],
        severity: Some("P2".to_string()),
        entries,
    };
    use debrief_core::model::Milestone::{Acknowledged, Detected, Resolved, Started};
    let deliveries = [
        delivery(
            false,
            vec![entry(
                0,
                "Alert UploadErrorRate fires: image upload 5xx rate above 5%",
                Some(Started),
                "alertmanager",
                "a1/firing",
                alert,
            )?],
        ),
        delivery(
            false,
            vec![entry(
                3,
                "PagerDuty incident #311 triggers: image upload 5xx rate above 5% (Media)",
                Some(Detected),
                "pagerduty",
                "e1",
                page,
            )?],
        ),
        delivery(
            false,
            vec![entry(
                6,
                "The on-call responder acknowledges PagerDuty incident #311",
                Some(Acknowledged),
                "pagerduty",
                "e2",
                page,
            )?],
        ),
        delivery(
            true,
            vec![entry(
                48,
                "Alert UploadErrorRate resolves",
                Some(Resolved),
                "alertmanager",
                "a1/resolved",
                alert,
            )?],
        ),
    ];
    let mut opened = None;
    for d in &deliveries {
        opened = store.deliver(d).await?.postmortem.or(opened);
    }
    let id =
        opened.ok_or_else(|| StoreError::Invalid("the demo incident opened nothing".into()))?;
    let draft = store.postmortem(responder, id).await?;
    let summary = draft.markdown.replacen(
        "<!-- What happened, in two or three sentences, without names. -->",
        "Image uploads failed for one request in ten for 48 minutes after the object store's \
         certificate rotated.",
        1,
    );
    store
        .update_postmortem(responder, id, draft.version, &summary, "summary")
        .await?;
    let late = [
        delivery(
            true,
            vec![entry(
                51,
                "PagerDuty incident #311 is resolved by the on-call responder",
                Some(Resolved),
                "pagerduty",
                "e3",
                page,
            )?],
        ),
        delivery(
            false,
            vec![entry(
                9,
                "Alert UploadErrorRate fires in eu-west-1",
                Some(Started),
                "alertmanager",
                "a2/firing",
                alert,
            )?],
        ),
    ];
    for d in &late {
        store.deliver(d).await?;
    }
    Ok(())
}

/// The review meeting of the postmortem in review, a quarter of an hour in: the timeline
/// walked to detection, a note that blames (and the facilitator's redirect), a factor asked
/// why of twice, an action item drafted.
async fn meeting_under_way(store: &Store, users: &[crate::store::User], id: i64) -> Result<()> {
    let [_, responder, developer, product, ..] = users else {
        return Ok(());
    };
    let request = MeetingRequest {
        starts_at: store.clock().now() - 15 * 60,
        minutes: None,
        zone: None,
        agenda: None,
        participants: None,
    };
    store.schedule_meeting(responder, id, &request).await?;
    let note = |text: &str| MeetingChange::Note {
        about: "Timeline walk".to_string(),
        text: text.to_string(),
    };
    let changes = [
        (responder, MeetingChange::Start),
        (responder, MeetingChange::Join),
        (developer, MeetingChange::Join),
        (product, MeetingChange::Join),
        (responder, MeetingChange::Agenda { item: 1 }),
        (responder, MeetingChange::Entry { entry: 1 }),
        (
            responder,
            MeetingChange::Tag {
                entry: 1,
                tag: EntryTag::Detection,
            },
        ),
        (
            developer,
            note("Support noticed first: nothing alerted on the queue's age, only on its length."),
        ),
        (
            product,
            note("The developer should have tested the new client library against a slow broker."),
        ),
        (
            responder,
            MeetingChange::Factor {
                category: "Monitoring".to_string(),
                text: "The queue alerted on its length, not on the age of its oldest message."
                    .to_string(),
            },
        ),
    ];
    let mut factor = 0;
    for (who, change) in changes {
        let is_factor = matches!(change, MeetingChange::Factor { .. });
        let event = store.meeting_change(who, id, change).await?;
        if is_factor {
            factor = event.seq;
        }
    }
    for why in [
        "A stalled consumer keeps the length steady while messages age.",
        "The alert was written when the queue had several consumers.",
    ] {
        let change = MeetingChange::Why {
            factor,
            text: why.to_string(),
        };
        store.meeting_change(developer, id, change).await?;
    }
    // Due a month from whenever the demo runs: a draft past due is refused.
    let due = store
        .clock()
        .today()
        .checked_add(jiff::Span::new().days(30))
        .unwrap_or_else(|_| store.clock().today());
    let draft = MeetingChange::Draft {
        text: format!(
            "Alert when the oldest queued e-mail is older than 10 minutes \
             (owner: @notifications, due: {due})"
        ),
    };
    store.meeting_change(developer, id, draft).await?;
    Ok(())
}
