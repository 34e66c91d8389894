//! Accounts: users and teams added by the admin, sessions and the tokens they make, token
//! revocation, and the login limit.

use crate::common::api::{Api, CAST, PASSWORD};
use crate::common::server::read;
use debrief_server::Store;
use reqwest::{Method, StatusCode};
use serde_json::json;

crate::on_both_stores!(
    users_and_teams_are_added_by_the_admin,
    a_session_makes_tokens_only_from_its_own_site,
    a_revoked_token_stops_working_and_others_tokens_are_not_found,
    failed_logins_are_limited_with_retry_after,
);

/// Users of several functions, added by the admin through the API; their teams.
async fn users_and_teams_are_added_by_the_admin(store: &Store, backend: &str) {
    let api = Api::start(store).await;
    for (name, function, role, team) in CAST {
        let (status, body) = api
            .call(
                "admin",
                Method::POST,
                "/api/v1/users",
                Some(json!({"username": name, "function": function, "role": role,
                            "password": PASSWORD, "team": team})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{backend}: {body}");
    }
    let (_, teams) = api.call("admin", Method::GET, "/api/v1/teams", None).await;
    assert_eq!(
        teams,
        json!({"teams": [{"name": "payments", "functions": ["Dev", "Product", "SRE"],
                          "members": ["dev", "pm", "sre"]}]})
    );
    api.stop().await;
}

/// Sessions: log in, get a cookie, and use it for a same-site write that makes a token; the
/// same write from another site, or with no origin at all, is refused.
async fn a_session_makes_tokens_only_from_its_own_site(store: &Store, backend: &str) {
    let api = Api::with_cast(store).await;
    let s = &api.server;
    for (name, ..) in CAST {
        let response = s
            .client
            .post(format!("{}/api/v1/session", s.base))
            .json(&json!({"username": name, "password": PASSWORD}))
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
        let token = body["token"].as_str().expect("token");
        let (status, me) = s.call(token, Method::GET, "/api/v1/me", None).await;
        assert_eq!(
            (status, &me["username"]),
            (StatusCode::OK, &json!(name)),
            "{backend}: the new token is {name}'s"
        );
    }
    api.stop().await;
}

/// A revoked token stops working at once; someone else's token is "not found"; a forged
/// one is refused.
async fn a_revoked_token_stops_working_and_others_tokens_are_not_found(
    store: &Store,
    backend: &str,
) {
    let api = Api::with(store, &["pm", "outsider"]).await;
    let (status, _) = api
        .server
        .call("dbf_forged", Method::GET, "/api/v1/postmortems", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, listed) = api
        .call("outsider", Method::GET, "/api/v1/tokens", None)
        .await;
    let token_id = listed["tokens"][0]["id"].as_i64().expect("a token");
    let (status, _) = api
        .call(
            "pm",
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api
        .call(
            "outsider",
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.call("outsider", Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend}: revoked");
    api.stop().await;
}

/// Login failures are limited: the sixth attempt waits, with Retry-After.
async fn failed_logins_are_limited_with_retry_after(store: &Store, _backend: &str) {
    // A clock that stands still: the wait after five failures is one second, which a slow
    // run on the real clock can outlast before its sixth attempt.
    let now = jiff::Timestamp::now().as_second();
    let store = &store
        .clone()
        .with_clock(debrief_server::Clock::from_fn(move || now));
    let api = Api::with(store, &["dev2"]).await;
    let s = &api.server;
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
    api.stop().await;
}
