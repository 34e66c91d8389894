//! Postmortems: created, read and exported; edited with a version or `If-Match`, a stale edit
//! refused; versions, the diff between them, and what is derived from the text (metrics,
//! action items).

use crate::common::api::{Api, DRAFT, fixed};
use crate::common::server::read;
use debrief_server::Store;
use reqwest::{Method, StatusCode};
use serde_json::json;

crate::on_both_stores!(
    a_postmortem_is_created_read_and_exported,
    a_stale_edit_conflicts_and_an_if_match_edit_lands,
    versions_diff_metrics_and_action_items_follow_the_text,
    a_text_not_stored_is_linted_for_the_editor,
);

/// `POST /lint`: the editor's live lint, on text that is not stored.
async fn a_text_not_stored_is_linted_for_the_editor(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre"]).await;
    let text =
        "---\ntitle: Bad deploy\ndate: 2026-06-14\n---\n\n## Summary\n\nWho approved the change?\n";
    let (status, answer) = api
        .call(
            "sre",
            Method::POST,
            "/api/v1/lint",
            Some(json!({ "markdown": text })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {answer}");
    let rules: Vec<&str> = answer["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert!(rules.contains(&"who-question"), "{backend}: {rules:?}");
    // The who-question's safe fix, at its own position: applying it yields the fixed text.
    let question = answer["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "who-question")
        .expect("who-question");
    let fix = &question["fix"];
    assert!(fix["text"].is_string(), "{backend}: {question}");
    let line = text
        .lines()
        .nth(fix["line"].as_u64().expect("line") as usize - 1)
        .expect("the line");
    let (from, to) = (
        fix["column"].as_u64().expect("column") as usize - 1,
        fix["end_column"].as_u64().expect("end") as usize - 1,
    );
    assert_eq!(fix["line"], fix["end_line"]);
    let fixed = format!(
        "{}{}{}",
        &line[..from],
        fix["text"].as_str().expect("text"),
        &line[to..]
    );
    assert!(!fixed.contains("Who approved"), "{backend}: {fixed}");
    let (status, _) = api
        .server
        .call(
            "dbf_forged",
            Method::POST,
            "/api/v1/lint",
            Some(json!({ "markdown": text })),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend}");
    let huge = "x".repeat(debrief_server::store::MAX_DOCUMENT_BYTES + 1);
    let (status, _) = api
        .call(
            "sre",
            Method::POST,
            "/api/v1/lint",
            Some(json!({ "markdown": huge })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
    api.stop().await;
}

async fn a_postmortem_is_created_read_and_exported(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre", "outsider"]).await;
    let (status, created) = api
        .call(
            "sre",
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": DRAFT})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {created}");
    let path = format!("/api/v1/postmortems/{}", created["id"]);
    let (status, read) = api.call("outsider", Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{backend}: {read}");
    assert_eq!(
        (&read["title"], &read["version"], &read["status"]),
        (&json!("Checkout 500 errors"), &json!(1), &json!("draft")),
        "{backend}: {read}"
    );
    let (status, markdown) = api
        .call("outsider", Method::GET, &format!("{path}/markdown"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}");
    assert!(
        markdown
            .as_str()
            .expect("Markdown")
            .contains("Checkout returned errors for 23 minutes"),
        "{backend}: {markdown}"
    );
    api.stop().await;
}

/// A stale edit is refused with the current version; an edit with `If-Match` lands and
/// answers the new version as its ETag.
async fn a_stale_edit_conflicts_and_an_if_match_edit_lands(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre", "dev", "pm"]).await;
    let (_, pm_path) = api.create("sre", DRAFT).await;
    let version = edited_once(&api, &pm_path).await;
    let (status, body) = api
        .call(
            "dev",
            Method::PUT,
            &pm_path,
            Some(json!({"markdown": fixed(), "version": version - 1})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{backend}: {body}");
    assert_eq!(body["error"]["current_version"], version);
    let s = &api.server;
    let edit = s
        .client
        .put(format!("{}{pm_path}", s.base))
        .bearer_auth(api.t("dev"))
        .header("if-match", format!("\"{version}\""))
        .json(&json!({"markdown": fixed(), "note": "blameless cause, owned action item"}))
        .send()
        .await
        .expect("edit");
    assert_eq!(
        edit.headers()["etag"],
        format!("\"{}\"", version + 1).as_str()
    );
    let (status, body) = read(edit).await;
    assert_eq!(status, StatusCode::OK, "{backend}: {body}");
    api.stop().await;
}

/// Every edit is a version; the diff between two shows the change; metrics and action items
/// are read from the text.
async fn versions_diff_metrics_and_action_items_follow_the_text(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre", "dev", "pm", "outsider"]).await;
    let (_, pm_path) = api.create("sre", DRAFT).await;
    let version = edited_once(&api, &pm_path).await;
    let edited = api
        .expect(
            StatusCode::OK,
            "dev",
            Method::PUT,
            &pm_path,
            Some(json!({"markdown": fixed(), "version": version})),
        )
        .await;
    let (_, versions) = api
        .call(
            "outsider",
            Method::GET,
            &format!("{pm_path}/versions"),
            None,
        )
        .await;
    let count = versions["versions"].as_array().expect("versions").len() as i64;
    assert_eq!(
        count,
        edited["version"].as_i64().expect("version"),
        "{backend}: {versions}"
    );
    let (_, diff) = api
        .call(
            "outsider",
            Method::GET,
            &format!("{pm_path}/diff?from={version}&to={}", version + 1),
            None,
        )
        .await;
    assert!(
        diff["unified"]
            .as_str()
            .expect("diff")
            .contains("+The migration tool applied"),
        "{diff}"
    );
    let (_, metrics) = api
        .call("outsider", Method::GET, &format!("{pm_path}/metrics"), None)
        .await;
    assert_eq!(metrics["metrics"]["time_to_detect_s"], 300, "{metrics}");
    let (_, items) = api
        .call(
            "outsider",
            Method::GET,
            &format!("{pm_path}/action-items"),
            None,
        )
        .await;
    let item = &items["action_items"][0];
    assert_eq!(
        (&item["owner"], &item["due"], &item["settled"]),
        (&json!("platform team"), &json!("2026-07-01"), &json!(false)),
        "{items}"
    );
    api.stop().await;
}

/// An edit of [`DRAFT`] that changes its impact; the version it made.
async fn edited_once(api: &Api, path: &str) -> i64 {
    let impact = DRAFT.replace(
        "1,200 orders failed.",
        "1,200 orders failed; none was charged.",
    );
    let edited = api
        .expect(
            StatusCode::OK,
            "pm",
            Method::PUT,
            path,
            Some(json!({"markdown": impact, "version": 1})),
        )
        .await;
    edited["version"].as_i64().expect("version")
}
