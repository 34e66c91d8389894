//! The workflow: responders, scribe and facilitator with the rotation; transitions and the
//! gates that refuse publishing with every reason until the gaps are fixed; the published
//! postmortem found by search.

use crate::common::api::{Api, DRAFT, fixed};
use debrief_server::Store;
use reqwest::{Method, StatusCode};
use serde_json::json;

crate::on_both_stores!(
    the_rotation_suggests_a_facilitator_who_did_not_respond,
    publishing_is_refused_with_every_reason_until_the_gaps_are_fixed,
);

/// Dev facilitated recently and dev responded, pm will scribe; Ops never facilitated, so
/// the rotation suggests ops. A responder may not facilitate.
async fn the_rotation_suggests_a_facilitator_who_did_not_respond(store: &Store, backend: &str) {
    let api = Api::with_cast(store).await;
    let (_, earlier) = api
        .create(
            "sre",
            "# Postmortem: Earlier incident\n\n## Summary\n\nA cache node failed.\n",
        )
        .await;
    let (status, body) = api
        .call(
            "sre",
            Method::PUT,
            &format!("{earlier}/facilitator"),
            Some(json!({"username": "dev2", "version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {body}");

    // The postmortem started by the on-call SRE; the responders are sre and dev.
    let (status, created) = api
        .call(
            "sre",
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": DRAFT})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {created}");
    let pm_path = format!("/api/v1/postmortems/{}", created["id"]);
    let (status, body) = api
        .call(
            "sre",
            Method::PUT,
            &format!("{pm_path}/responders"),
            Some(json!({"usernames": ["sre", "dev"]})),
        )
        .await;
    assert_eq!(
        (status, &body["responders"]),
        (StatusCode::OK, &json!(["dev", "sre"]))
    );
    api.contribute_from_three_roles(&pm_path).await;

    let version = api.version(&pm_path).await;
    let (status, _) = api
        .call(
            "sre",
            Method::PUT,
            &format!("{pm_path}/scribe"),
            Some(json!({"username": "pm", "version": version})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, suggestion) = api
        .call(
            "sre",
            Method::GET,
            &format!("{pm_path}/facilitator-suggestion"),
            None,
        )
        .await;
    assert_eq!(
        suggestion["suggested"]["username"], "ops",
        "{backend}: {suggestion}"
    );
    let ranked: Vec<&str> = suggestion["ranking"]
        .as_array()
        .expect("ranking")
        .iter()
        .map(|r| r["username"].as_str().expect("name"))
        .collect();
    assert_eq!(
        ranked,
        ["ops", "dev2"],
        "{backend}: SRE, Security and Support are not in the rotation"
    );
    let (status, body) = api
        .call(
            "sre",
            Method::PUT,
            &format!("{pm_path}/facilitator"),
            Some(json!({"username": "dev", "version": version + 1})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{backend}: {body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("responders")
    );
    let (status, body) = api
        .call(
            "sre",
            Method::PUT,
            &format!("{pm_path}/facilitator"),
            Some(json!({"username": "ops", "version": version + 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {body}");
    assert_eq!(body["assignment"]["overdue"], false);
    api.stop().await;
}

/// Review, then publishing too early: refused with every reason. The gaps fixed (a
/// blameless cause, an owned action item, Security heard), it is published, found by
/// search, and every step made a version.
async fn publishing_is_refused_with_every_reason_until_the_gaps_are_fixed(
    store: &Store,
    backend: &str,
) {
    let api = Api::with(store, &["sre", "dev", "pm", "ops", "sec", "outsider"]).await;
    let (pm_path, mut version) = api.assigned_draft().await;
    for to in ["in_review", "reviewed"] {
        let (status, body) = api
            .call(
                "ops",
                Method::POST,
                &format!("{pm_path}/transitions"),
                Some(json!({"to": to, "version": version})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        version = body["version"].as_i64().expect("version");
    }
    let (status, refusal) = api
        .call(
            "ops",
            Method::POST,
            &format!("{pm_path}/transitions"),
            Some(json!({"to": "published", "version": version})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{backend}: {refusal}"
    );
    assert_eq!(
        refusal["error"]["missing"],
        json!([
            "1 blame finding of error severity remains in the narrative",
            "1 action item has no owner",
            "the Security role has not contributed"
        ]),
        "{backend}: {refusal}"
    );
    let (_, lint) = api
        .call("ops", Method::GET, &format!("{pm_path}/lint"), None)
        .await;
    assert!(
        lint["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["rule"] == "blame-language"),
        "{lint}"
    );

    // The gaps fixed.
    api.expect(
        StatusCode::OK,
        "dev",
        Method::PUT,
        &pm_path,
        Some(json!({"markdown": fixed(), "version": version,
                    "note": "blameless cause, owned action item"})),
    )
    .await;
    let (status, _) = api
        .call(
            "sec",
            Method::POST,
            &format!("{pm_path}/contributions"),
            Some(json!({"kind": "observation", "text": "No customer data was exposed."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, workflow) = api
        .call(
            "outsider",
            Method::GET,
            &format!("{pm_path}/workflow"),
            None,
        )
        .await;
    assert_eq!(
        workflow["roles"]["missing"],
        json!([]),
        "{backend}: {workflow}"
    );
    assert_eq!(workflow["next"][1]["to"], "published");
    assert_eq!(
        workflow["next"][1]["missing"],
        json!([]),
        "{backend}: {workflow}"
    );
    let (status, published) = api
        .call(
            "ops",
            Method::POST,
            &format!("{pm_path}/transitions"),
            Some(json!({"to": "published", "version": version + 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {published}");
    assert_eq!(published["status"], "published");

    // Found by search, with a highlighted snippet, and by filters.
    let (status, found) = api
        .call(
            "outsider",
            Method::GET,
            "/api/v1/search?q=destructive%20migration&service=checkout&status=published",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {found}");
    assert_eq!(
        found["hits"][0]["postmortem"]["id"], published["id"],
        "{backend}: {found}"
    );
    assert!(
        found["hits"][0]["snippet"]
            .as_array()
            .expect("snippet")
            .iter()
            .any(|f| f["highlight"] == true),
        "{found}"
    );
    let (_, versions) = api
        .call(
            "outsider",
            Method::GET,
            &format!("{pm_path}/versions"),
            None,
        )
        .await;
    let count = versions["versions"].as_array().expect("versions").len() as i64;
    assert_eq!(count, published["version"].as_i64().expect("version"));
    api.stop().await;
}
