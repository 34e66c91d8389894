//! A restricted postmortem: invisible to an outsider and to a contributor who is not a
//! member, in every read, every write, lists and search; its author and the admin see it.

use crate::common::api::{Api, DRAFT, SECRET};
use debrief_server::Store;
use reqwest::{Method, StatusCode};
use serde_json::json;

crate::on_both_stores!(
    every_read_of_a_restricted_postmortem_is_not_found_for_non_members,
    every_write_to_a_restricted_postmortem_is_not_found_for_non_members,
    search_and_lists_show_a_restricted_postmortem_only_to_who_may_see_it,
);

async fn every_read_of_a_restricted_postmortem_is_not_found_for_non_members(
    store: &Store,
    backend: &str,
) {
    let api = Api::with(store, &["sec", "pm", "outsider"]).await;
    let (status, secret) = api
        .call(
            "sec",
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": SECRET})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let secret_path = format!("/api/v1/postmortems/{}", secret["id"]);
    for path in [
        secret_path.clone(),
        format!("{secret_path}/markdown"),
        format!("{secret_path}/versions"),
        format!("{secret_path}/versions/1"),
        format!("{secret_path}/diff?from=1&to=1"),
        format!("{secret_path}/lint"),
        format!("{secret_path}/metrics"),
        format!("{secret_path}/action-items"),
        format!("{secret_path}/workflow"),
        format!("{secret_path}/contributions"),
        format!("{secret_path}/members"),
        format!("{secret_path}/responders"),
        format!("{secret_path}/facilitator-suggestion"),
    ] {
        let (status, _) = api.call("outsider", Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend}: {path}");
        let (status, _) = api.call("pm", Method::GET, &path, None).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{backend}: a contributor who is not a member: {path}"
        );
        let (status, _) = api.call("admin", Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: the admin sees {path}");
    }
    // Once its author makes pm a member, pm sees it.
    api.expect(
        StatusCode::NO_CONTENT,
        "sec",
        Method::POST,
        &format!("{secret_path}/members"),
        Some(json!({"username": "pm"})),
    )
    .await;
    let (status, _) = api.call("pm", Method::GET, &secret_path, None).await;
    assert_eq!(status, StatusCode::OK, "{backend}: a member sees it");
    api.stop().await;
}

async fn every_write_to_a_restricted_postmortem_is_not_found_for_non_members(
    store: &Store,
    backend: &str,
) {
    let api = Api::with(store, &["sec", "pm"]).await;
    let (_, secret_path) = api.create("sec", SECRET).await;
    for (method, path, body) in [
        (
            Method::PUT,
            secret_path.clone(),
            json!({"markdown": SECRET, "version": 1}),
        ),
        (
            Method::POST,
            format!("{secret_path}/transitions"),
            json!({"to": "in_review", "version": 1}),
        ),
        (
            Method::POST,
            format!("{secret_path}/contributions"),
            json!({"kind": "observation", "text": "x"}),
        ),
        (
            Method::PUT,
            format!("{secret_path}/scribe"),
            json!({"username": "pm", "version": 1}),
        ),
    ] {
        let (status, _) = api.call("pm", method, &path, Some(body)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend}: {path}");
    }
    let version = api.version(&secret_path).await;
    assert_eq!(version, 1, "{backend}: nothing was written");
    api.stop().await;
}

async fn search_and_lists_show_a_restricted_postmortem_only_to_who_may_see_it(
    store: &Store,
    backend: &str,
) {
    let api = Api::with(store, &["sre", "sec", "outsider"]).await;
    let (public_id, _) = api.create("sre", DRAFT).await;
    let (secret_id, _) = api.create("sec", SECRET).await;
    let (_, found) = api
        .call("outsider", Method::GET, "/api/v1/search?q=checkout", None)
        .await;
    let ids: Vec<&serde_json::Value> = found["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| &hit["postmortem"]["id"])
        .collect();
    assert_eq!(ids, [&json!(public_id)], "{backend}: only the public one");
    for path in [
        "/api/v1/postmortems",
        "/api/v1/search?q=signing%20key",
        "/api/v1/search?q=checkout",
    ] {
        let (_, body) = api.call("outsider", Method::GET, path, None).await;
        assert!(
            !body.to_string().contains("signing key"),
            "{backend}: {path}: {body}"
        );
    }
    let (_, body) = api
        .call("sec", Method::GET, "/api/v1/search?q=signing%20key", None)
        .await;
    assert_eq!(
        body["hits"][0]["postmortem"]["id"], secret_id,
        "{backend}: its author finds it"
    );
    api.stop().await;
}
