//! The server end to end, over real HTTP on a local port, against SQLite and PostgreSQL:
//! users of several functions; a postmortem started; contributions from three roles;
//! facilitator and scribe assigned with the rotation checked; publishing refused with its
//! reasons, the gaps fixed, published, found by search. A restricted postmortem stays
//! invisible to an outsider everywhere, and bad input always gets a 4xx, never a 500.

mod common;

use common::server::{Server, read};
use debrief_server::http;
use debrief_server::workflow::Settings;
use debrief_server::{Policy, Role, Store};
use reqwest::{Method, StatusCode};
use serde_json::json;

const DRAFT: &str = "---
title: Checkout 500 errors
date: 2026-06-14
severity: SEV2
services: [checkout]
tags: [migration]
---

## Summary

Checkout returned errors for 23 minutes after a schema migration dropped a column.

## Impact

1,200 orders failed.

## Timeline (UTC)

- 2026-06-14 14:00 Migration deploy starts
- 2026-06-14 14:05 [detected] Alert fires for checkout 500s
- 2026-06-14 14:23 [resolved] Rollback completes

## Root cause analysis

The outage was caused by human error.

## Action items

- [ ] Add a CI step that fails on DROP COLUMN (due: 2026-07-01)
";

const SECRET: &str = "---
title: Leaked signing key
restricted: true
services: [checkout]
---

## Summary

A signing key for checkout was exposed in a build log.
";

async fn story(store: Store, backend: &str) {
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    let admin_token = store.create_token(&admin, "setup").await.expect("token");
    let store = store.with_policy(Policy {
        workflow: Settings {
            required_roles: vec![
                "Dev".into(),
                "Product".into(),
                "SRE".into(),
                "Security".into(),
            ],
            ..Settings::default()
        },
        lint: debrief_lint::Config::default(),
    });
    let server = Server::start(store).await;
    let s = &server;

    // Users of several functions, added by the admin through the API.
    for (name, function, role) in [
        ("sre", "SRE", "contributor"),
        ("dev", "Dev", "contributor"),
        ("dev2", "Dev", "contributor"),
        ("ops", "Ops", "contributor"),
        ("pm", "Product", "contributor"),
        ("sec", "Security", "contributor"),
        ("outsider", "Support", "viewer"),
    ] {
        let team = ["sre", "dev", "pm"].contains(&name).then_some("payments");
        let (status, body) = s
            .call(
                &admin_token,
                Method::POST,
                "/api/v1/users",
                Some(json!({"username": name, "function": function, "role": role,
                            "password": "a long enough password", "team": team})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    }
    let (_, teams) = s
        .call(&admin_token, Method::GET, "/api/v1/teams", None)
        .await;
    assert_eq!(
        teams,
        json!({"teams": [{"name": "payments", "functions": ["Dev", "Product", "SRE"],
                          "members": ["dev", "pm", "sre"]}]})
    );

    // Sessions: log in, get a cookie, and use it for a same-site write that makes a token.
    let mut tokens = std::collections::HashMap::new();
    for name in ["sre", "dev", "dev2", "ops", "pm", "sec", "outsider"] {
        let response = s
            .client
            .post(format!("{}/api/v1/session", s.base))
            .json(&json!({"username": name, "password": "a long enough password"}))
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), StatusCode::OK, "{backend}: login {name}");
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("a session cookie")
            .to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let session = cookie.split(';').next().expect("name=value").to_string();
        // The same write from another site, or with no origin at all, is refused.
        for (header, value) in [("origin", "https://evil.example"), ("x-none", "")] {
            let refused = s
                .client
                .post(format!("{}/api/v1/tokens", s.base))
                .header("cookie", &session)
                .header(header, value)
                .json(&json!({"name": "cli"}))
                .send()
                .await
                .expect("request");
            assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{backend}: CSRF");
        }
        let response = s
            .client
            .post(format!("{}/api/v1/tokens", s.base))
            .header("cookie", &session)
            .header("origin", format!("http://{}", s.host))
            .json(&json!({"name": "cli"}))
            .send()
            .await
            .expect("token");
        let (status, body) = read(response).await;
        assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
        tokens.insert(name, body["token"].as_str().expect("token").to_string());
    }
    let t = |name: &str| tokens[name].clone();

    // An earlier postmortem that dev2 facilitated: Dev has facilitated recently.
    let (_, earlier) = s
        .call(&t("sre"), Method::POST, "/api/v1/postmortems",
              Some(json!({"markdown": "# Postmortem: Earlier incident\n\n## Summary\n\nA cache node failed.\n"})))
        .await;
    let earlier_id = earlier["id"].as_i64().expect("id");
    let (status, body) = s
        .call(
            &t("sre"),
            Method::PUT,
            &format!("/api/v1/postmortems/{earlier_id}/facilitator"),
            Some(json!({"username": "dev2", "version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {body}");

    // The postmortem started by the on-call SRE; the responders are sre and dev.
    let (status, created) = s
        .call(
            &t("sre"),
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": DRAFT})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {created}");
    let id = created["id"].as_i64().expect("id");
    let pm_path = format!("/api/v1/postmortems/{id}");
    let (status, body) = s
        .call(
            &t("sre"),
            Method::PUT,
            &format!("{pm_path}/responders"),
            Some(json!({"usernames": ["sre", "dev"]})),
        )
        .await;
    assert_eq!(
        (status, &body["responders"]),
        (StatusCode::OK, &json!(["dev", "sre"]))
    );

    // Contributions from three roles, each recorded with its function.
    for (who, contribution) in [
        (
            "sre",
            json!({"kind": "timeline", "text": "Pager fires for the on-call engineer", "at": "2026-06-14T14:06:00Z"}),
        ),
        (
            "dev",
            json!({"kind": "observation", "text": "The migration linter does not check DROP COLUMN."}),
        ),
        (
            "pm",
            json!({"kind": "impact", "text": "1,200 customers saw a failed checkout."}),
        ),
        (
            "sre",
            json!({"kind": "evidence", "text": "deploy record", "url": "https://deploys.example/4711"}),
        ),
    ] {
        let (status, body) = s
            .call(
                &t(who),
                Method::POST,
                &format!("{pm_path}/contributions"),
                Some(contribution),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    }
    let upload = s
        .client
        .post(format!(
            "{}{pm_path}/evidence?name=errors.png&text=error%20rate",
            s.base
        ))
        .bearer_auth(t("sre"))
        .header("content-type", "image/png")
        .body(b"\x89PNG fake".to_vec())
        .send()
        .await
        .expect("upload");
    let (status, uploaded) = read(upload).await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {uploaded}");
    let file = s
        .client
        .get(format!(
            "{}{pm_path}/contributions/{}/file",
            s.base, uploaded["id"]
        ))
        .bearer_auth(t("pm"))
        .send()
        .await
        .expect("file");
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(
        file.headers()["content-disposition"],
        "attachment; filename=\"errors.png\""
    );
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    let (_, list) = s
        .call(
            &t("outsider"),
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

    // The rotation: dev is a responder, pm will scribe, Dev facilitated last; Ops never did.
    let (_, current) = s.call(&t("sre"), Method::GET, &pm_path, None).await;
    let version = current["version"].as_i64().expect("version");
    let (status, _) = s
        .call(
            &t("sre"),
            Method::PUT,
            &format!("{pm_path}/scribe"),
            Some(json!({"username": "pm", "version": version})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, suggestion) = s
        .call(
            &t("sre"),
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
    let (status, body) = s
        .call(
            &t("sre"),
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
    let (status, body) = s
        .call(
            &t("sre"),
            Method::PUT,
            &format!("{pm_path}/facilitator"),
            Some(json!({"username": "ops", "version": version + 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {body}");
    assert_eq!(body["assignment"]["overdue"], false);

    // Review, then publishing too early: refused, with every reason.
    let mut version = body["version"].as_i64().expect("version");
    for to in ["in_review", "reviewed"] {
        let (status, body) = s
            .call(
                &t("ops"),
                Method::POST,
                &format!("{pm_path}/transitions"),
                Some(json!({"to": to, "version": version})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        version = body["version"].as_i64().expect("version");
    }
    let (status, refusal) = s
        .call(
            &t("ops"),
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
    let (_, lint) = s
        .call(&t("ops"), Method::GET, &format!("{pm_path}/lint"), None)
        .await;
    assert!(
        lint["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["rule"] == "blame-language"),
        "{lint}"
    );

    // The gaps fixed: a stale edit is refused with the current version, the real one lands.
    let fixed = DRAFT
        .replace(
            "The outage was caused by human error.",
            "The migration tool applied a destructive change without a check.",
        )
        .replace(
            "(due: 2026-07-01)",
            "(owner: platform team, due: 2026-07-01)",
        );
    let (status, body) = s
        .call(
            &t("dev"),
            Method::PUT,
            &pm_path,
            Some(json!({"markdown": fixed, "version": version - 1})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{backend}: {body}");
    assert_eq!(body["error"]["current_version"], version);
    let edit = s
        .client
        .put(format!("{}{pm_path}", s.base))
        .bearer_auth(t("dev"))
        .header("if-match", format!("\"{version}\""))
        .json(&json!({"markdown": fixed, "note": "blameless cause, owned action item"}))
        .send()
        .await
        .expect("edit");
    assert_eq!(
        edit.headers()["etag"],
        format!("\"{}\"", version + 1).as_str()
    );
    let (status, body) = read(edit).await;
    assert_eq!(status, StatusCode::OK, "{backend}: {body}");
    let (status, _) = s
        .call(
            &t("sec"),
            Method::POST,
            &format!("{pm_path}/contributions"),
            Some(json!({"kind": "observation", "text": "No customer data was exposed."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, workflow) = s
        .call(
            &t("outsider"),
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
    let (status, published) = s
        .call(
            &t("ops"),
            Method::POST,
            &format!("{pm_path}/transitions"),
            Some(json!({"to": "published", "version": version + 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {published}");
    assert_eq!(published["status"], "published");

    // Found by search, with a highlighted snippet, and by filters.
    let (status, found) = s
        .call(
            &t("outsider"),
            Method::GET,
            "/api/v1/search?q=destructive%20migration&service=checkout&status=published",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{backend}: {found}");
    assert_eq!(
        found["hits"][0]["postmortem"]["id"], id,
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
    let (_, versions) = s
        .call(
            &t("outsider"),
            Method::GET,
            &format!("{pm_path}/versions"),
            None,
        )
        .await;
    let count = versions["versions"].as_array().expect("versions").len() as i64;
    assert_eq!(count, published["version"].as_i64().expect("version"));
    let (_, diff) = s
        .call(
            &t("outsider"),
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
    let (_, metrics) = s
        .call(
            &t("outsider"),
            Method::GET,
            &format!("{pm_path}/metrics"),
            None,
        )
        .await;
    assert_eq!(metrics["metrics"]["time_to_detect_s"], 300, "{metrics}");
    let (_, items) = s
        .call(
            &t("outsider"),
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

    // A restricted postmortem: invisible to an outsider in every place.
    let (status, secret) = s
        .call(
            &t("sec"),
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": SECRET})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let secret_id = secret["id"].as_i64().expect("id");
    let secret_path = format!("/api/v1/postmortems/{secret_id}");
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
        let (status, _) = s.call(&t("outsider"), Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend}: {path}");
        let (status, _) = s.call(&t("pm"), Method::GET, &path, None).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{backend}: a contributor who is not a member: {path}"
        );
        let (status, _) = s.call(&admin_token, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{backend}: the admin sees {path}");
    }
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
        let (status, _) = s.call(&t("pm"), method, &path, Some(body)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend}: {path}");
    }
    for path in [
        "/api/v1/postmortems",
        "/api/v1/search?q=signing%20key",
        "/api/v1/search?q=checkout",
    ] {
        let (_, body) = s.call(&t("outsider"), Method::GET, path, None).await;
        assert!(
            !body.to_string().contains("signing key"),
            "{backend}: {path}: {body}"
        );
    }
    let (_, body) = s
        .call(
            &t("sec"),
            Method::GET,
            "/api/v1/search?q=signing%20key",
            None,
        )
        .await;
    assert_eq!(
        body["hits"][0]["postmortem"]["id"], secret_id,
        "{backend}: its author finds it"
    );

    // Bad input: a clear 4xx, never a 500, never a partial write.
    let (_, before) = s
        .call(
            &t("sre"),
            Method::GET,
            "/api/v1/postmortems?limit=500",
            None,
        )
        .await;
    let raw = |body: &'static str| {
        s.client
            .post(format!("{}/api/v1/postmortems", s.base))
            .bearer_auth(t("sre"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_eq!(
        raw("{\"markdown\": ").await.expect("request").status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        raw("{\"markdown\": \"# Postmortem: X\", \"colour\": 1}")
            .await
            .expect("request")
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, body) = s
        .call(
            &t("sre"),
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": "---\ntitle: [unclosed\n---\n## Summary\n"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .starts_with("line "),
        "{body}"
    );
    let huge = "x".repeat(http::MAX_JSON_BYTES + 10);
    let (status, _) = s
        .call(
            &t("sre"),
            Method::POST,
            "/api/v1/postmortems",
            Some(json!({"markdown": huge})),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = s
        .call(
            &t("sre"),
            Method::PUT,
            &pm_path,
            Some(json!({"markdown": DRAFT})),
        )
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    for path in [
        "/api/v1/postmortems/999999",
        "/api/v1/postmortems/abc",
        "/api/v1/nothing",
    ] {
        let (status, body) = s.call(&t("sre"), Method::GET, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"]["status"], 404, "one error shape: {body}");
    }
    for path in [
        "/api/v1/postmortems?from=2026-02-30",
        "/api/v1/postmortems?colour=red",
        "/api/v1/search?q=",
    ] {
        let (status, _) = s.call(&t("sre"), Method::GET, path, None).await;
        assert!(status.is_client_error(), "{path}: {status}");
    }
    let (status, _) = s
        .call(
            &t("sre"),
            Method::POST,
            &format!("{pm_path}/contributions"),
            Some(json!({"kind": "timeline", "text": "x", "at": "2026-13-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = s
        .call("dbf_forged", Method::GET, "/api/v1/postmortems", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A revoked token stops working at once; someone else's token is "not found".
    let (_, listed) = s
        .call(&t("outsider"), Method::GET, "/api/v1/tokens", None)
        .await;
    let token_id = listed["tokens"][0]["id"].as_i64().expect("a token");
    let (status, _) = s
        .call(
            &t("pm"),
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s
        .call(
            &t("outsider"),
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = s
        .call(&t("outsider"), Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend}: revoked");
    let (_, after) = s
        .call(
            &t("sre"),
            Method::GET,
            "/api/v1/postmortems?limit=500",
            None,
        )
        .await;
    assert_eq!(
        before, after,
        "{backend}: nothing was written by bad requests"
    );

    // Login failures are limited: the sixth attempt waits, with Retry-After.
    let mut last = None;
    for _ in 0..6 {
        let response = s
            .client
            .post(format!("{}/api/v1/session", s.base))
            .json(&json!({"username": "dev2", "password": "not the password"}))
            .send()
            .await
            .expect("login");
        last = Some((
            response.status(),
            response.headers().get("retry-after").cloned(),
        ));
    }
    let (status, retry) = last.expect("attempts");
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.is_some());

    // Operations.
    let health = s
        .client
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    let metrics = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .expect("metrics");
    let text = metrics.text().await.expect("text");
    assert!(
        text.contains("debrief_http_requests_total{method=\"POST\",route=\"/api/v1/postmortems/{id}/transitions\",status=\"422\"} 1"),
        "{text}"
    );
    // Every route this story reached is documented: a route added without documentation
    // fails here as soon as a test calls it.
    let undocumented: std::collections::BTreeSet<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("debrief_http_requests_total{method=\""))
        .filter_map(|rest| {
            let (method, rest) = rest.split_once("\",route=\"")?;
            let (route, _) = rest.split_once('"')?;
            (route != "unmatched" && !common::openapi::documents(method, route))
                .then(|| format!("{method} {route}"))
        })
        .collect();
    assert!(
        undocumented.is_empty(),
        "reached but not documented: {undocumented:#?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn end_to_end_on_sqlite() {
    let test = common::sqlite().await;
    story(test.store.clone(), test.name).await;
    test.finish().await;
}

#[tokio::test]
async fn end_to_end_on_postgres() {
    if let Some(test) = common::postgres("end_to_end_on_postgres").await {
        story(test.store.clone(), test.name).await;
        test.finish().await;
    }
}
