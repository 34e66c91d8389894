//! Contributions and evidence files: each recorded with its author's function; a file served
//! back as an attachment that is never sniffed.

use crate::common::api::{Api, DRAFT, contributions};
use debrief_server::Store;
use reqwest::{Method, StatusCode};

crate::on_both_stores!(
    contributions_carry_their_authors_function,
    evidence_files_are_served_as_attachments_never_sniffed,
);

/// Contributions from three roles, and a file, each recorded with its function.
async fn contributions_carry_their_authors_function(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre", "dev", "pm", "outsider"]).await;
    let (_, pm_path) = api.create("sre", DRAFT).await;
    for (who, contribution) in contributions() {
        let (status, body) = api
            .call(
                who,
                Method::POST,
                &format!("{pm_path}/contributions"),
                Some(contribution),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    }
    let (status, uploaded) = api.upload("sre", &pm_path).await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {uploaded}");
    let (_, list) = api
        .call(
            "outsider",
            Method::GET,
            &format!("{pm_path}/contributions"),
            None,
        )
        .await;
    let functions: Vec<&str> = list["contributions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["function"].as_str().expect("function"))
        .collect();
    assert_eq!(functions, ["SRE", "Dev", "Product", "SRE", "SRE"]);
    api.stop().await;
}

/// An uploaded file comes back with its type, as an attachment, with `nosniff`.
async fn evidence_files_are_served_as_attachments_never_sniffed(store: &Store, backend: &str) {
    let api = Api::with(store, &["sre", "pm"]).await;
    let (_, pm_path) = api.create("sre", DRAFT).await;
    let (status, uploaded) = api.upload("sre", &pm_path).await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {uploaded}");
    let s = &api.server;
    let file = s
        .client
        .get(format!(
            "{}{pm_path}/contributions/{}/file",
            s.base, uploaded["id"]
        ))
        .bearer_auth(api.t("pm"))
        .send()
        .await
        .expect("file");
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(
        file.headers()["content-disposition"],
        "attachment; filename=\"errors.png\""
    );
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        file.bytes().await.expect("content").as_ref(),
        b"\x89PNG fake",
        "{backend}: the file as uploaded"
    );
    api.stop().await;
}
