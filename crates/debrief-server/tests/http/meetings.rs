//! The review meeting: scheduled with its defaults, run as changes every participant reads
//! after the last one they saw, refusing what does not fit (a note before the start, a
//! stranger starting it, a why of no factor, a vague action item), and ended into the
//! postmortem as one new version, moved to reviewed, that the core reads back.

use crate::common::api::Api;
use crate::common::server::Server;
use debrief_server::Store;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

crate::on_both_stores!(a_meeting_is_scheduled_run_and_ended_into_the_postmortem);
crate::on_both_stores_with_url!(every_change_reaches_every_open_room_on_any_instance);

/// A postmortem in review (ops facilitating, pm the scribe): its path.
async fn in_review(api: &Api) -> String {
    let (path, version) = api.assigned_draft().await;
    api.expect(
        StatusCode::OK,
        "sre",
        Method::POST,
        &format!("{path}/transitions"),
        Some(json!({"to": "in_review", "version": version})),
    )
    .await;
    path
}

async fn a_meeting_is_scheduled_run_and_ended_into_the_postmortem(store: &Store, backend: &str) {
    let api = Api::with_cast(store).await;
    let path = in_review(&api).await;
    let meeting = api
        .expect(
            StatusCode::OK,
            "ops",
            Method::PUT,
            &format!("{path}/meeting"),
            Some(json!({"starts_at": 1_781_000_000})),
        )
        .await;
    assert_eq!(meeting["minutes"], 60, "{backend}: {meeting}");
    assert_eq!(meeting["state"], "scheduled");
    assert_eq!(meeting["agenda"].as_array().map(Vec::len), Some(5));
    for who in ["ops", "pm", "sre", "dev"] {
        let invited = meeting["participants"].as_array().expect("participants");
        assert!(
            invited.contains(&json!(who)),
            "{backend}: {who} in {meeting}"
        );
    }
    // The invitation for calendars: the agenda, the link to read before, every participant.
    let invitation = api
        .expect(
            StatusCode::OK,
            "dev",
            Method::GET,
            &format!("{path}/meeting/invitation"),
            None,
        )
        .await;
    let invitation = invitation
        .as_str()
        .expect("iCalendar text")
        .replace("\r\n ", "");
    assert!(invitation.contains("METHOD:REQUEST"), "{invitation}");
    assert!(
        invitation.contains("Timeline walk (25 min)"),
        "{invitation}"
    );
    assert!(
        invitation.contains(&path.replace("/api/v1", "")),
        "{invitation}"
    );
    let changes = format!("{path}/meeting/changes");
    let send = |who: &'static str, change: Value| {
        let (api, changes) = (&api, &changes);
        async move { api.call(who, Method::POST, changes, Some(change)).await }
    };
    let note = |text: &str| json!({"kind": "note", "about": "Timeline walk", "text": text});

    // Nothing is said before the facilitator starts it.
    let (status, body) = send("pm", note("Early.")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = send("pm", json!({"kind": "start"})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only the facilitator starts it"
    );
    let (status, body) = send("ops", json!({"kind": "start"})).await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    for who in ["ops", "pm", "dev"] {
        assert_eq!(
            send(who, json!({"kind": "join"})).await.0,
            StatusCode::CREATED
        );
    }
    for change in [
        json!({"kind": "agenda", "item": 1}),
        json!({"kind": "entry", "entry": 1}),
        json!({"kind": "tag", "entry": 1, "tag": "detection"}),
    ] {
        let (status, body) = send("ops", change).await;
        assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    }
    let (status, _) = send("ops", json!({"kind": "entry", "entry": 9})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no such entry");

    // The scribe's blameful note is taken, word for word, with a redirect for the facilitator.
    let (_, blamed) = send(
        "pm",
        note("Bob should have checked the migration before deploying it."),
    )
    .await;
    assert_eq!(blamed["author"], "pm");
    let prompts = blamed["prompts"].as_array().expect("prompts");
    assert!(
        prompts
            .first()
            .and_then(Value::as_str)
            .is_some_and(|p| p.starts_with("How did the system allow")),
        "{backend}: {blamed}"
    );
    let (_, plain) = send("pm", note("The alert looked like the weekly flake.")).await;
    assert_eq!(plain["prompts"], json!([]), "{plain}");

    // As it is typed, a change is judged by the same rules and nothing is written: a note
    // that blames is taken with the redirect, a wish is refused with its reasons.
    let check = format!("{path}/meeting/check");
    let before = api
        .expect(
            StatusCode::OK,
            "sre",
            Method::GET,
            &format!("{path}/meeting"),
            None,
        )
        .await["last_change"]
        .clone();
    let judged = api
        .expect(
            StatusCode::OK,
            "pm",
            Method::POST,
            &check,
            Some(note(
                "Bob should have checked the migration before deploying it.",
            )),
        )
        .await;
    assert_eq!(judged["taken"], true, "{backend}: {judged}");
    assert_eq!(judged["prompts"][0], blamed["prompts"][0], "{judged}");
    let judged = api
        .expect(
            StatusCode::OK,
            "dev",
            Method::POST,
            &check,
            Some(json!({"kind": "draft", "text": "Be more careful"})),
        )
        .await;
    assert_eq!(judged["taken"], false, "{judged}");
    let reasons = judged["reasons"].as_array().expect("reasons");
    assert!(reasons.len() >= 2, "unowned, undated, a wish: {judged}");
    assert!(
        reasons.contains(&json!("this action item has no owner")),
        "{judged}"
    );
    let judged = api
        .expect(
            StatusCode::OK,
            "pm",
            Method::POST,
            &check,
            Some(json!({"kind": "end"})),
        )
        .await;
    assert_eq!(
        judged["reasons"],
        json!(["only the facilitator starts and ends the meeting"])
    );
    let (status, _) = api
        .call(
            "outsider",
            Method::POST,
            &check,
            Some(note("An outsider's note.")),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "{backend}: viewers do not write"
    );
    let after = api
        .expect(
            StatusCode::OK,
            "sre",
            Method::GET,
            &format!("{path}/meeting"),
            None,
        )
        .await;
    assert_eq!(after["last_change"], before, "a check writes nothing");

    // The facilitator lengthens the walk; the agenda says so from then on.
    let longer = json!({"kind": "time_box", "item": 1, "minutes": 35});
    assert_eq!(
        send("pm", longer.clone()).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, body) = send("ops", longer).await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    let meeting = api
        .expect(
            StatusCode::OK,
            "dev",
            Method::GET,
            &format!("{path}/meeting"),
            None,
        )
        .await;
    assert_eq!(meeting["agenda"][1]["minutes"], 35, "{meeting}");
    assert_eq!(meeting["factor_categories"][0], "Change", "{meeting}");

    // A factor under a category the board does not have is refused; the board's spelling
    // is kept whatever the case sent.
    let (status, body) = send(
        "ops",
        json!({"kind": "factor", "category": "Luck", "text": "Nobody noticed."}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string()
            .contains("the board has Change, Monitoring"),
        "{body}"
    );

    // A factor with three whys; a why of no factor is refused.
    let (_, factor) = send(
        "ops",
        json!({"kind": "factor", "category": "change", "text": "The migration dropped a column still read."}),
    )
    .await;
    assert_eq!(factor["change"]["category"], "Change", "{factor}");
    let seq = factor["seq"].as_i64().expect("seq");
    for why in [
        "The reader was deployed after the migration.",
        "Deploy order is not checked.",
        "No check knows which columns are read.",
    ] {
        let (status, body) = send("pm", json!({"kind": "why", "factor": seq, "text": why})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, _) = send("pm", json!({"kind": "why", "factor": 999, "text": "Why?"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // A wish is refused with its reasons; owned, dated work is taken.
    let (status, refused) = send(
        "dev",
        json!({"kind": "draft", "text": "Be more careful with migrations"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        refused.to_string().contains("not yet an action item"),
        "{refused}"
    );
    let item = "Fail CI when a migration drops a column that code still reads (owner: @dev, due: 2099-03-01)";
    let (status, body) = send("dev", json!({"kind": "draft", "text": item})).await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    for (who, change) in [
        (
            "ops",
            json!({"kind": "not_doing", "what": "Freeze all migrations", "why": "It trades one risk for a bigger one."}),
        ),
        (
            "ops",
            json!({"kind": "decision", "text": "Migrations run after the readers are deployed."}),
        ),
        ("dev", json!({"kind": "leave"})),
        ("dev", json!({"kind": "join"})),
    ] {
        assert_eq!(send(who, change).await.0, StatusCode::CREATED);
    }
    let (_, reflection) = send(
        "dev",
        json!({"kind": "reflection", "text": "I will read the deploy order first.", "anonymous": true}),
    )
    .await;
    assert!(reflection["author"].is_null(), "anonymous: {reflection}");

    // A late joiner replays every change; a reconnecting one only what it missed.
    let all = api
        .expect(StatusCode::OK, "sre", Method::GET, &changes, None)
        .await;
    let events = all["events"].as_array().expect("events");
    assert_eq!(all["meeting"]["state"], "running");
    assert_eq!(all["meeting"]["last_change"], json!(events.len()));
    let later = api
        .expect(
            StatusCode::OK,
            "sre",
            Method::GET,
            &format!("{changes}?after={seq}"),
            None,
        )
        .await;
    assert_eq!(
        later["events"].as_array().map(Vec::len),
        Some(events.len() - usize::try_from(seq).expect("seq"))
    );

    // The end writes the record as one new version, reviewed.
    let (status, body) = send("ops", json!({"kind": "end"})).await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    let postmortem = api
        .expect(StatusCode::OK, "sre", Method::GET, &path, None)
        .await;
    assert_eq!(postmortem["status"], "reviewed", "{backend}");
    let markdown = postmortem["markdown"].as_str().expect("markdown");
    let read = debrief_core::read(markdown).postmortem;
    let body = read
        .sections
        .iter()
        .find_map(|s| match &s.body {
            debrief_core::model::SectionBody::ReviewMeeting(text) => Some(text.as_str()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{backend}: no review meeting in\n{markdown}"));
    let record = debrief_core::meeting::read(body);
    let attended: Vec<&str> = record.attendance.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(attended, ["ops", "pm", "dev"], "{markdown}");
    assert_eq!(record.attendance[0].part.as_deref(), Some("facilitator"));
    assert_eq!(record.attendance[1].part.as_deref(), Some("scribe"));
    assert_eq!(record.walk.len(), 1, "{markdown}");
    assert_eq!(record.walk[0].text, "detection");
    assert!(
        record.walk[0]
            .label
            .ends_with("Alert fires for checkout 500s"),
        "{markdown}"
    );
    assert_eq!(record.notes.len(), 2);
    assert_eq!(
        record.notes[0].text,
        "Bob should have checked the migration before deploying it."
    );
    assert_eq!(record.factors[0].whys.len(), 3);
    assert_eq!(
        record.decisions,
        ["Migrations run after the readers are deployed."]
    );
    assert_eq!(record.not_doing[0].label, "Freeze all migrations");
    assert_eq!(record.reflections[0].label, "Anonymous");
    assert!(record.held.is_some());
    let items: Vec<&str> = read.action_items().map(|i| i.text.as_str()).collect();
    assert!(
        items
            .iter()
            .any(|t| t.starts_with("Fail CI when a migration drops a column")),
        "{items:?}"
    );

    // It is over: nothing more is taken, and it cannot be moved.
    let (status, _) = send("pm", note("After.")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .call(
            "ops",
            Method::PUT,
            &format!("{path}/meeting"),
            Some(json!({"starts_at": 1_781_100_000})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    api.stop().await;
}

/// A room open on the live stream: the changes as server-sent events.
struct Live {
    response: reqwest::Response,
    buffer: String,
}

impl Live {
    async fn open(server: &Server, token: &str, path: &str, last: Option<i64>) -> Live {
        let mut request = server
            .client
            .get(format!("{}{path}/meeting/live", server.base))
            .bearer_auth(token);
        if let Some(last) = last {
            request = request.header("last-event-id", last.to_string());
        }
        let response = request.send().await.expect("the live stream");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"].to_str().ok(),
            Some("text/event-stream")
        );
        Live {
            response,
            buffer: String::new(),
        }
    }

    /// The next change; none when the stream ends or nothing comes for 10 seconds.
    async fn next(&mut self) -> Option<Value> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let data: String = frame
                    .lines()
                    .filter_map(|line| line.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if data.is_empty() {
                    continue; // a keep-alive
                }
                return Some(serde_json::from_str(&data).expect("a change as JSON"));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}

/// A room open on one instance sees, in order, every change made on another (PostgreSQL's
/// NOTIFY; on SQLite, which one instance serves, the same instance), a room reopened with
/// the last change it saw gets only what came after, and the stream ends with the meeting.
async fn every_change_reaches_every_open_room_on_any_instance(
    store: &Store,
    url: &str,
    backend: &str,
) {
    let api = Api::with_cast(store).await;
    let path = in_review(&api).await;
    api.expect(
        StatusCode::OK,
        "ops",
        Method::PUT,
        &format!("{path}/meeting"),
        Some(json!({"starts_at": 1_781_000_000})),
    )
    .await;
    let changes = format!("{path}/meeting/changes");
    let send = |who: &'static str, change: Value| {
        let (api, changes) = (&api, &changes);
        async move {
            api.expect(
                StatusCode::CREATED,
                who,
                Method::POST,
                changes,
                Some(change),
            )
            .await
        }
    };
    send("ops", json!({"kind": "start"})).await;
    let second = if backend == "postgres" {
        Some(Store::connect(url).await.expect("a second instance"))
    } else {
        None
    };
    let other = match &second {
        Some(store) => Some(Server::start(store.clone()).await),
        None => None,
    };
    let reader = other.as_ref().unwrap_or(&api.server);
    let mut room = Live::open(reader, api.t("dev"), &path, None).await;
    assert_eq!(
        room.next().await.expect("the start")["change"]["kind"],
        "start"
    );
    let mut slowest = Duration::ZERO;
    for n in 1..=20 {
        let sent = Instant::now();
        let made = send(
            "pm",
            json!({"kind": "note", "about": "Timeline walk", "text": format!("Note {n}.")}),
        )
        .await;
        let seen = room
            .next()
            .await
            .unwrap_or_else(|| panic!("{backend}: note {n} never came"));
        slowest = slowest.max(sent.elapsed());
        assert_eq!(seen["seq"], made["seq"], "{backend}: in order");
        assert_eq!(seen["change"]["text"], format!("Note {n}."));
    }
    eprintln!("{backend}: the slowest of 20 changes reached the other room in {slowest:?}");

    // Reopened after seq 5, the room gets 6 onwards.
    let mut again = Live::open(reader, api.t("sre"), &path, Some(5)).await;
    assert_eq!(again.next().await.expect("seq 6")["seq"], 6);
    send("ops", json!({"kind": "end"})).await;
    let mut last = Value::Null;
    while let Some(change) = room.next().await {
        last = change;
    }
    assert_eq!(
        last["change"]["kind"], "end",
        "{backend}: the stream ends with the meeting"
    );
    // A meeting over is replayed whole, then the stream ends.
    let mut after = Live::open(reader, api.t("dev"), &path, None).await;
    let mut count = 0;
    while after.next().await.is_some() {
        count += 1;
    }
    assert_eq!(count, 22, "{backend}: start, 20 notes, end");
    if let Some(other) = other {
        other.stop().await;
    }
    if let Some(second) = second {
        second.close().await;
    }
    api.stop().await;
}
