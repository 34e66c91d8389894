//! Incidents from the alerting, end to end over HTTP on both databases: Alertmanager's
//! group firing then resolved and the PagerDuty incident it opened (triggered,
//! acknowledged, escalated, resolved) leave one draft postmortem with the four milestones
//! and the right time to detect, acknowledge and resolve; deliveries that do not prove
//! their sender are 401 and change nothing; delivering everything again changes nothing;
//! once a person has changed the draft, a late entry waits to be accepted or dropped; a
//! Slack export becomes proposals with people as their server users' roles.

#[path = "common/mod.rs"]
mod common;

use common::server::{Server, read};
use debrief_import::pagerduty;
use debrief_server::hooks::HooksConfig;
use debrief_server::workflow::{Part, Settings, State};
use debrief_server::{Policy, Role, Store};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const AM_TOKEN: &str = "an alertmanager token";
const PD_SECRET: &str = "a pagerduty signing secret";

const AM_FIRING: &[u8] = include_bytes!("../../debrief-import/tests/data/alertmanager/firing.json");
const AM_RESOLVED: &[u8] =
    include_bytes!("../../debrief-import/tests/data/alertmanager/resolved.json");
const PD_TRIGGERED: &[u8] =
    include_bytes!("../../debrief-import/tests/data/pagerduty/triggered.json");
const PD_ACKNOWLEDGED: &[u8] =
    include_bytes!("../../debrief-import/tests/data/pagerduty/acknowledged.json");
const PD_ESCALATED: &[u8] =
    include_bytes!("../../debrief-import/tests/data/pagerduty/escalated.json");
const PD_RESOLVED: &[u8] =
    include_bytes!("../../debrief-import/tests/data/pagerduty/resolved.json");
const PD_PING: &[u8] = include_bytes!("../../debrief-import/tests/data/pagerduty/ping.json");

/// The store with both hooks configured, drafts written in Oslo's time.
fn configured(store: &Store) -> Store {
    let hooks = HooksConfig::from_toml(
        "[hooks]\nalertmanager_token_env = \"AM_TOKEN\"\npagerduty_secret_env = \"PD_SECRET\"\n\
         timezone = \"Europe/Oslo\"\n",
    )
    .expect("a valid [hooks]")
    .with_environment(BTreeMap::from([
        ("AM_TOKEN".to_string(), AM_TOKEN.to_string()),
        ("PD_SECRET".to_string(), PD_SECRET.to_string()),
    ]));
    store.clone().with_policy(Policy {
        hooks,
        workflow: Settings {
            required_roles: Vec::new(),
            ..Settings::default()
        },
        ..Policy::default()
    })
}

/// One webhook delivery, answered.
async fn post(
    server: &Server,
    hook: &str,
    body: &[u8],
    header: Option<(&str, String)>,
) -> (StatusCode, Value) {
    let mut request = server
        .client
        .post(format!("{}/api/v1/hooks/{hook}", server.base))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    read(request.send().await.expect("sent")).await
}

async fn alertmanager(server: &Server, body: &[u8]) -> Value {
    let (status, answer) = post(
        server,
        "alertmanager",
        body,
        Some(("authorization", format!("Bearer {AM_TOKEN}"))),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

async fn pagerduty(server: &Server, body: &[u8]) -> Value {
    let signature = pagerduty::sign(body, PD_SECRET.as_bytes());
    let (status, answer) = post(
        server,
        "pagerduty",
        body,
        Some(("x-pagerduty-signature", signature)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

/// `payload` with changes made to its JSON.
fn changed(payload: &[u8], change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(payload).expect("a fixture is JSON");
    change(&mut value);
    serde_json::to_vec(&value).expect("JSON")
}

async fn from_alerting_to_a_draft(store: &Store, backend: &str) {
    let store = configured(store);
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    let sre = common::user(&store, "sre", "SRE", Role::Contributor).await;
    let viewer = common::user(&store, "viewer", "Support", Role::Viewer).await;
    let sre_token = store.create_token(&sre, "test").await.expect("token");
    let viewer_token = store.create_token(&viewer, "test").await.expect("token");
    let server = Server::start(store.clone()).await;

    // Deliveries that do not prove their sender change nothing.
    let refusals = [
        post(&server, "alertmanager", AM_RESOLVED, None).await,
        post(
            &server,
            "alertmanager",
            AM_RESOLVED,
            Some(("authorization", "Bearer a guess".to_string())),
        )
        .await,
        post(&server, "pagerduty", PD_RESOLVED, None).await,
        post(
            &server,
            "pagerduty",
            PD_RESOLVED,
            Some((
                "x-pagerduty-signature",
                pagerduty::sign(PD_RESOLVED, b"another secret"),
            )),
        )
        .await,
        // Signed, then changed on the way.
        post(
            &server,
            "pagerduty",
            &changed(PD_RESOLVED, |v| v["event"]["id"] = json!("forged")),
            Some((
                "x-pagerduty-signature",
                pagerduty::sign(PD_RESOLVED, PD_SECRET.as_bytes()),
            )),
        )
        .await,
    ];
    for (status, answer) in &refusals {
        assert_eq!(*status, StatusCode::UNAUTHORIZED, "{backend}: {answer}");
        assert!(
            answer["error"]["message"].as_str().is_some(),
            "{backend}: {answer}"
        );
    }
    assert!(
        store
            .postmortems(&admin, &Default::default())
            .await
            .expect("list")
            .is_empty(),
        "{backend}: a refused delivery opened a postmortem"
    );
    // A proven sender with a broken payload: 400 with where.
    let (status, answer) = post(
        &server,
        "alertmanager",
        b"{\"version\": \"4\",\n \"alerts\": [",
        Some(("authorization", format!("Bearer {AM_TOKEN}"))),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{backend}: {answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("the delivery:2:")),
        "{backend}: {answer}"
    );

    // The incident unfolds: nothing opens while it is firing.
    let firing = alertmanager(&server, AM_FIRING).await;
    assert_eq!(firing["held"], 1, "{backend}: {firing}");
    assert_eq!(firing["postmortem"], Value::Null, "{backend}: {firing}");
    let key = firing["incident_key"].clone();
    for payload in [PD_TRIGGERED, PD_ACKNOWLEDGED] {
        let answer = pagerduty(&server, payload).await;
        assert_eq!(
            answer["incident_key"], key,
            "{backend}: one incident: {answer}"
        );
        assert_eq!(answer["held"], 1, "{backend}: {answer}");
    }
    let ping = pagerduty(&server, PD_PING).await;
    assert_eq!(ping["incident_key"], Value::Null, "{backend}: {ping}");

    // The resolution opens the draft, with everything held.
    let resolved = alertmanager(&server, AM_RESOLVED).await;
    assert_eq!(resolved["opened"], true, "{backend}: {resolved}");
    let id = resolved["postmortem"].as_i64().expect("a postmortem");
    // Nobody has touched the draft yet: PagerDuty's last events join it.
    for payload in [PD_ESCALATED, PD_RESOLVED] {
        let answer = pagerduty(&server, payload).await;
        assert_eq!(answer["postmortem"], id, "{backend}: {answer}");
        assert_eq!(
            (answer["opened"].clone(), answer["joined"].clone()),
            (json!(false), json!(1)),
            "{backend}: {answer}"
        );
    }

    let draft = store.postmortem(&admin, id).await.expect("the draft");
    assert_eq!(draft.status.as_str(), "draft", "{backend}");
    assert_eq!(draft.title, "Checkout 5xx rate above 2%", "{backend}");
    let read = debrief_core::read(&draft.markdown);
    let milestones: Vec<&str> = read
        .postmortem
        .timeline_entries()
        .filter_map(|e| e.milestone)
        .map(|m| m.name())
        .collect();
    assert_eq!(
        milestones,
        ["started", "detected", "acknowledged", "resolved"],
        "{backend}:\n{}",
        draft.markdown
    );
    let metrics = debrief_core::analyse(&read.postmortem).metrics;
    // Started 22:58:30 (the alert), detected 23:00:41 (the page), acknowledged 23:02:05,
    // resolved 00:21:30 (the alert's end, before PagerDuty's resolution at 00:26:12).
    assert_eq!(
        metrics.time_to_detect_s,
        Some(131),
        "{backend}:\n{}",
        draft.markdown
    );
    assert_eq!(metrics.time_to_acknowledge_s, Some(215), "{backend}");
    assert_eq!(metrics.time_to_resolve_s, Some(4980), "{backend}");
    assert!(
        draft.markdown.contains("timezone: Europe/Oslo"),
        "{backend}:\n{}",
        draft.markdown
    );
    assert!(
        draft.markdown.contains("00:58:30 [started]"),
        "{backend}: in Oslo's time:\n{}",
        draft.markdown
    );
    assert!(
        draft.markdown.contains("(Alertmanager)]") || draft.markdown.contains("([Alertmanager]("),
        "{backend}: sources are linked:\n{}",
        draft.markdown
    );
    assert!(
        !draft.markdown.contains("Priya"),
        "{backend}: people are roles:\n{}",
        draft.markdown
    );
    let history = store.history(&admin, id).await.expect("history");

    // Everything delivered again changes nothing.
    for payload in [AM_FIRING, AM_RESOLVED] {
        let answer = alertmanager(&server, payload).await;
        assert_eq!(answer["new_entries"], 0, "{backend}: {answer}");
        assert_eq!(answer["postmortem"], id, "{backend}: {answer}");
    }
    for payload in [PD_TRIGGERED, PD_ACKNOWLEDGED, PD_ESCALATED, PD_RESOLVED] {
        let answer = pagerduty(&server, payload).await;
        assert_eq!(answer["new_entries"], 0, "{backend}: {answer}");
        assert_eq!(answer["opened"], false, "{backend}: {answer}");
    }
    let again = store.postmortem(&admin, id).await.expect("the draft");
    assert_eq!(again.version, draft.version, "{backend}");
    assert_eq!(
        again.version, 3,
        "{backend}: created, then the two late events"
    );
    assert_eq!(
        store.history(&admin, id).await.expect("history"),
        history,
        "{backend}"
    );
    assert_eq!(
        store
            .postmortems(&admin, &Default::default())
            .await
            .expect("list")
            .len(),
        1,
        "{backend}"
    );

    // A person writes the summary: from now on late entries wait for a decision.
    let summary = again.markdown.replacen(
        "<!-- What happened, in two or three sentences, without names. -->",
        "Checkout answered 5xx to one request in twenty for 83 minutes.",
        1,
    );
    store
        .update_postmortem(&sre, id, again.version, &summary, "summary")
        .await
        .expect("an edit");
    let second_alert = changed(AM_FIRING, |v| {
        v["alerts"][0]["fingerprint"] = json!("d4b8f6a2e3c5b7d9");
        v["alerts"][0]["labels"]["region"] = json!("eu-west-1");
        v["alerts"][0]["startsAt"] = json!("2026-06-13T23:05:00Z");
    });
    let late = alertmanager(&server, &second_alert).await;
    assert_eq!(
        (late["proposed"].clone(), late["joined"].clone()),
        (json!(1), json!(0)),
        "{backend}: {late}"
    );
    let note = changed(PD_ESCALATED, |v| {
        v["event"]["id"] = json!("01GXK2Y4D5ANNOTAT");
        v["event"]["event_type"] = json!("incident.annotated");
    });
    assert_eq!(pagerduty(&server, &note).await["proposed"], 1, "{backend}");

    let path = format!("/api/v1/postmortems/{id}/proposals");
    let (status, list) = server.call(&sre_token, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{backend}: {list}");
    let proposals = list["proposals"].as_array().expect("a list");
    let waiting: Vec<&Value> = proposals
        .iter()
        .filter(|p| p["state"] == "proposed")
        .collect();
    assert_eq!(waiting.len(), 2, "{backend}: {list}");
    assert!(
        proposals
            .iter()
            .filter(|p| p["state"] == "accepted")
            .all(|p| p["decided_by"] == "debrief[bot]"),
        "{backend}: {list}"
    );
    let alert = waiting
        .iter()
        .find(|p| p["system"] == "alertmanager")
        .expect("the alert");
    let annotation = waiting
        .iter()
        .find(|p| p["system"] == "pagerduty")
        .expect("the note");
    let decide = |proposal: &Value| format!("{path}/{}", proposal["id"]);

    let (status, answer) = server
        .call(
            &viewer_token,
            Method::POST,
            &decide(alert),
            Some(json!({"decision": "accept"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{backend}: {answer}");
    let before = store.postmortem(&admin, id).await.expect("read");
    let (status, accepted) = server
        .call(
            &sre_token,
            Method::POST,
            &decide(alert),
            Some(json!({"decision": "accept"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {accepted}");
    assert_eq!(
        accepted["version"],
        before.version + 1,
        "{backend}: {accepted}"
    );
    assert_eq!(
        accepted["proposal"]["decided_by"], "sre",
        "{backend}: {accepted}"
    );
    let after = store.postmortem(&admin, id).await.expect("read");
    assert!(
        after
            .markdown
            .contains("- 01:05 Alert CheckoutErrorRate fires"),
        "{backend}: the alert joined:\n{}",
        after.markdown
    );
    // A second [started] is not made: the timeline has one.
    assert_eq!(
        after.markdown.matches("[started]").count(),
        1,
        "{backend}:\n{}",
        after.markdown
    );
    let (status, twice) = server
        .call(
            &sre_token,
            Method::POST,
            &decide(alert),
            Some(json!({"decision": "drop"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{backend}: {twice}");
    let (status, dropped) = server
        .call(
            &sre_token,
            Method::POST,
            &decide(annotation),
            Some(json!({"decision": "drop"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {dropped}");
    assert_eq!(
        dropped["version"], after.version,
        "{backend}: dropping writes no version"
    );
    assert_eq!(dropped["proposal"]["state"], "dropped", "{backend}");
    let (status, unknown) = server
        .call(
            &sre_token,
            Method::POST,
            &format!("{path}/999999"),
            Some(json!({"decision": "drop"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{backend}: {unknown}");
    let (status, wrong) = server
        .call(
            &sre_token,
            Method::POST,
            &decide(annotation),
            Some(json!({"decision": "maybe"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{backend}: {wrong}"
    );

    server.stop().await;
}

async fn without_configuration_the_hooks_are_off(store: &Store, backend: &str) {
    let server = Server::start(store.clone()).await;
    let (status, answer) = post(
        &server,
        "alertmanager",
        AM_FIRING,
        Some(("authorization", "Bearer ".to_string())),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend}: {answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("alertmanager_token_env")),
        "{backend}: {answer}"
    );
    let (status, answer) = post(
        &server,
        "pagerduty",
        PD_TRIGGERED,
        Some(("x-pagerduty-signature", pagerduty::sign(PD_TRIGGERED, b""))),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend}: {answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("pagerduty_secret_env")),
        "{backend}: {answer}"
    );
    server.stop().await;
}

async fn resolutions_at_once_open_one_draft(store: &Store, backend: &str) {
    let store = configured(store);
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    let read = |body: &[u8]| {
        pagerduty::read(body, "fixture")
            .expect("a fixture")
            .expect("an incident")
    };
    let firing = debrief_import::alertmanager::read(AM_FIRING, "fixture").expect("a fixture");
    store.deliver(&firing).await.expect("held");
    let resolved = debrief_import::alertmanager::read(AM_RESOLVED, "fixture").expect("a fixture");
    let pd_resolved = read(PD_RESOLVED);
    let triggered = read(PD_TRIGGERED);
    // Both resolutions and a late trigger, each twice, all at once.
    let (a, b, c, d, e, f) = tokio::join!(
        store.deliver(&resolved),
        store.deliver(&pd_resolved),
        store.deliver(&triggered),
        store.deliver(&resolved),
        store.deliver(&pd_resolved),
        store.deliver(&triggered),
    );
    let answers = [a, b, c, d, e, f].map(|r| r.expect("delivered"));
    assert_eq!(
        answers.iter().filter(|a| a.opened).count(),
        1,
        "{backend}: {answers:#?}"
    );
    let listed = store
        .postmortems(&admin, &Default::default())
        .await
        .expect("list");
    assert_eq!(listed.len(), 1, "{backend}");
    // Every entry is there once, whichever came first.
    let markdown = store
        .postmortem(&admin, listed[0].id)
        .await
        .expect("read")
        .markdown;
    for text in [
        "fires",
        "triggers",
        "Alert CheckoutErrorRate resolves",
        "is resolved by",
    ] {
        assert_eq!(
            markdown.matches(text).count(),
            1,
            "{backend}: {text}:\n{markdown}"
        );
    }
    assert_eq!(
        answers.iter().map(|a| a.new_entries).sum::<usize>(),
        3,
        "{backend}: the resolution, PagerDuty's and the trigger: {answers:#?}"
    );
}

async fn the_same_alert_after_publication_opens_a_new_draft(store: &Store, backend: &str) {
    let store = configured(store);
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    common::user(&store, "sre", "SRE", Role::Contributor).await;
    let am = |body: &[u8]| debrief_import::alertmanager::read(body, "fixture").expect("a fixture");
    store.deliver(&am(AM_FIRING)).await.expect("held");
    let first = store.deliver(&am(AM_RESOLVED)).await.expect("opened");
    let id = first.postmortem.expect("a draft");
    // Reviewed and published as people do.
    let draft = store.postmortem(&admin, id).await.expect("read");
    let written = draft.markdown.replacen(
        "<!-- - [ ] A specific change (owner: a team or role, due: 2 weeks) -->",
        "- [ ] Alert on the error budget's burn rate (owner: @sre, due: 2099-01-01)",
        1,
    );
    let mut version = store
        .update_postmortem(&admin, id, draft.version, &written, "items")
        .await
        .expect("edited")
        .version;
    for (part, who) in [(Part::Facilitator, "sre"), (Part::Scribe, "admin")] {
        version = store
            .assign(&admin, id, version, part, who)
            .await
            .expect("assigned")
            .version;
    }
    for to in [State::InReview, State::Reviewed, State::Published] {
        version = store
            .transition(&admin, id, version, to)
            .await
            .unwrap_or_else(|e| panic!("{backend}: to {to:?}: {e}"))
            .version;
    }
    // Next month the same group fires again: held, then a draft of its own.
    let again = |body: &[u8]| {
        am(&changed(body, |v| {
            v["alerts"][0]["startsAt"] = json!("2026-07-20T08:00:00Z");
            if v["status"] == "resolved" {
                v["alerts"][0]["endsAt"] = json!("2026-07-20T08:40:00Z");
            }
        }))
    };
    let firing = store.deliver(&again(AM_FIRING)).await.expect("held");
    assert_eq!(
        (firing.postmortem, firing.held),
        (None, 1),
        "{backend}: {firing:?}"
    );
    let resolved = store.deliver(&again(AM_RESOLVED)).await.expect("opened");
    assert!(resolved.opened, "{backend}: {resolved:?}");
    let second = resolved.postmortem.expect("a second draft");
    assert_ne!(second, id, "{backend}");
    let markdown = store
        .postmortem(&admin, second)
        .await
        .expect("read")
        .markdown;
    assert!(
        markdown.contains("date: 2026-07-20"),
        "{backend}:\n{markdown}"
    );
    assert!(
        !markdown.contains("2026-06-14"),
        "{backend}: only this incident's entries:\n{markdown}"
    );
    let published = store.postmortem(&admin, id).await.expect("read");
    assert_eq!(
        published.version, version,
        "{backend}: the published one is left alone"
    );
}

async fn a_slack_export_is_proposed_with_people_as_their_roles(store: &Store, backend: &str) {
    let store = configured(store);
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    let priya = store
        .add_user(
            &debrief_server::NewUser {
                username: "pr",
                display_name: "P. R.",
                function: "SRE",
                role: Role::Contributor,
                password: "a long enough password",
                team: Some("platform"),
            },
            None,
        )
        .await
        .expect("a user");
    store
        .set_notification_settings(
            &priya,
            debrief_server::store::reminders::Channel::Email,
            Some("Priya@acme.example"),
            None,
        )
        .await
        .expect("her address");
    let viewer = common::user(&store, "viewer", "Support", Role::Viewer).await;
    let token = store.create_token(&priya, "test").await.expect("token");
    let viewer_token = store.create_token(&viewer, "test").await.expect("token");
    let created = store
        .create_postmortem(
            &admin,
            "---\ntimezone: America/Los_Angeles\n---\n# Checkout errors\n",
        )
        .await
        .expect("created");
    let server = Server::start(store.clone()).await;
    let import = |token: &str, query: &str, body: Vec<u8>| {
        let request = server
            .client
            .post(format!(
                "{}/api/v1/postmortems/{}/imports/slack?{query}",
                server.base, created.id
            ))
            .bearer_auth(token)
            .header("content-type", "application/zip")
            .body(body);
        async move { read(request.send().await.expect("sent")).await }
    };
    let export = common::slack_export();
    let (status, answer) = import(&token, "channel=inc-2041-checkout", export.clone()).await;
    assert_eq!(status, StatusCode::OK, "{backend}: {answer}");
    let proposed = answer["proposed"].as_u64().expect("a count");
    assert!(proposed > 3, "{backend}: {answer}");
    assert_eq!(answer["entries"], proposed, "{backend}: {answer}");
    let proposals = store.proposals(&admin, created.id).await.expect("listed");
    assert_eq!(proposals.len() as u64, proposed, "{backend}");
    let texts: Vec<&str> = proposals.iter().map(|p| p.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .all(|t| !t.contains("Priya") && !t.contains("priya")),
        "{backend}: {texts:#?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("the platform SRE")),
        "{backend}: her user's role: {texts:#?}"
    );
    assert!(
        proposals
            .iter()
            .all(|p| p.system == "slack" && p.link.is_some()),
        "{backend}"
    );
    // Again: nothing new.
    let (_, again) = import(&token, "channel=inc-2041-checkout", export.clone()).await;
    assert_eq!(again["proposed"], 0, "{backend}: {again}");
    // Refused: a viewer, a channel the export lacks, a file that is not an export, a range
    // backwards.
    let (status, _) = import(&viewer_token, "channel=inc-2041-checkout", export.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{backend}");
    let (status, answer) = import(&token, "channel=nope", export.clone()).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{backend}: {answer}"
    );
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("inc-2041-checkout")),
        "{backend}: the channels it has: {answer}"
    );
    let (status, answer) = import(&token, "channel=inc-2041-checkout", b"not a zip".to_vec()).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{backend}: {answer}"
    );
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("the export"), "{backend}: {answer}");
    assert!(
        !message.contains("/tmp"),
        "{backend}: no server path: {answer}"
    );
    let (status, _) = import(
        &token,
        "channel=x&from=2026-06-15T00:00:00Z&to=2026-06-14T00:00:00Z",
        export,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
    assert_eq!(
        store
            .proposals(&admin, created.id)
            .await
            .expect("listed")
            .len() as u64,
        proposed,
        "{backend}"
    );
    server.stop().await;
}

on_both_stores!(
    a_slack_export_is_proposed_with_people_as_their_roles,
    the_same_alert_after_publication_opens_a_new_draft,
    from_alerting_to_a_draft,
    without_configuration_the_hooks_are_off,
    resolutions_at_once_open_one_draft
);
