//! The API over real HTTP for the tests in `tests/http/`: a server over a fresh store with
//! the review policy and an admin, optionally the cast of users with a token each, and the
//! postmortems the tests start from.

use super::server::{Server, read};
use debrief_server::workflow::Settings;
use debrief_server::{NewUser, Policy, Role, Store};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;

/// A postmortem with gaps: blame in its narrative and an action item with no owner.
pub const DRAFT: &str = "---
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

/// A restricted postmortem.
pub const SECRET: &str = "---
title: Leaked signing key
restricted: true
services: [checkout]
---

## Summary

A signing key for checkout was exposed in a build log.
";

/// [`DRAFT`] with its gaps fixed: a blameless cause and an owned action item.
pub fn fixed() -> String {
    DRAFT
        .replace(
            "The outage was caused by human error.",
            "The migration tool applied a destructive change without a check.",
        )
        .replace(
            "(due: 2026-07-01)",
            "(owner: platform team, due: 2026-07-01)",
        )
}

/// The password every user of the tests has.
pub const PASSWORD: &str = "a long enough password";

/// The cast: username, function, role, team.
pub const CAST: [(&str, &str, &str, Option<&str>); 7] = [
    ("sre", "SRE", "contributor", Some("payments")),
    ("dev", "Dev", "contributor", Some("payments")),
    ("dev2", "Dev", "contributor", None),
    ("ops", "Ops", "contributor", None),
    ("pm", "Product", "contributor", Some("payments")),
    ("sec", "Security", "contributor", None),
    ("outsider", "Support", "viewer", None),
];

/// A running server and the tokens of its users.
pub struct Api {
    pub server: Server,
    /// The admin's token.
    pub admin: String,
    tokens: HashMap<&'static str, String>,
}

impl Api {
    /// A server over `store` with an admin and a policy under which Dev, Product, SRE and
    /// Security must contribute before publishing.
    pub async fn start(store: &Store) -> Api {
        let admin = super::user(store, "admin", "SRE", Role::Admin).await;
        let admin = store.create_token(&admin, "setup").await.expect("token");
        let store = store.clone().with_policy(Policy {
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
            trackers: debrief_trackers::Trackers::default(),
            notify: Default::default(),
            hooks: Default::default(),
        });
        Api {
            server: Server::start(store).await,
            admin,
            tokens: HashMap::new(),
        }
    }

    /// [`Api::start`] with the whole [`CAST`], each user with a token.
    pub async fn with_cast(store: &Store) -> Api {
        Api::with(store, &CAST.map(|(name, ..)| name)).await
    }

    /// [`Api::start`] with the users of the [`CAST`] named, each with a token. (A password
    /// takes a moment to hash: a test adds only the users it needs.)
    pub async fn with(store: &Store, names: &[&str]) -> Api {
        let mut api = Api::start(store).await;
        for (name, function, role, team) in CAST {
            if !names.contains(&name) {
                continue;
            }
            let role = if role == "viewer" {
                Role::Viewer
            } else {
                Role::Contributor
            };
            let user = store
                .add_user(
                    &NewUser {
                        username: name,
                        display_name: name,
                        function,
                        role,
                        password: PASSWORD,
                        team,
                    },
                    None,
                )
                .await
                .expect("a user");
            let token = store.create_token(&user, "cli").await.expect("token");
            api.tokens.insert(name, token);
        }
        api
    }

    /// The token of a user of the cast.
    pub fn t(&self, name: &str) -> &str {
        &self.tokens[name]
    }

    /// A request as the user `who` of the cast ("admin" for the admin), its answer
    /// checked against the OpenAPI document.
    pub async fn call(
        &self,
        who: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let token = if who == "admin" {
            &self.admin
        } else {
            self.t(who)
        };
        self.server.call(token, method, path, body).await
    }

    /// [`Api::call`] that must answer `expected`; the answer's body.
    pub async fn expect(
        &self,
        expected: StatusCode,
        who: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let (status, answer) = self.call(who, method.clone(), path, body).await;
        assert_eq!(status, expected, "{method} {path}: {answer}");
        answer
    }

    /// A new postmortem by `who`: its id and path.
    pub async fn create(&self, who: &str, markdown: &str) -> (i64, String) {
        let created = self
            .expect(
                StatusCode::CREATED,
                who,
                Method::POST,
                "/api/v1/postmortems",
                Some(json!({"markdown": markdown})),
            )
            .await;
        let id = created["id"].as_i64().expect("id");
        (id, format!("/api/v1/postmortems/{id}"))
    }

    /// The current version of the postmortem at `path`.
    pub async fn version(&self, path: &str) -> i64 {
        let current = self
            .expect(StatusCode::OK, "admin", Method::GET, path, None)
            .await;
        current["version"].as_i64().expect("version")
    }

    /// Uploads an evidence file as `who` through the raw body.
    pub async fn upload(&self, who: &str, path: &str) -> (StatusCode, Value) {
        let upload = self
            .server
            .client
            .post(format!(
                "{}{path}/evidence?name=errors.png&text=error%20rate",
                self.server.base
            ))
            .bearer_auth(self.t(who))
            .header("content-type", "image/png")
            .body(b"\x89PNG fake".to_vec())
            .send()
            .await
            .expect("upload");
        read(upload).await
    }

    /// Contributions from SRE (a timeline entry, a link and a file), Dev and Product.
    pub async fn contribute_from_three_roles(&self, path: &str) {
        for (who, contribution) in contributions() {
            self.expect(
                StatusCode::CREATED,
                who,
                Method::POST,
                &format!("{path}/contributions"),
                Some(contribution),
            )
            .await;
        }
        let (status, body) = self.upload("sre", path).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    /// [`DRAFT`] with responders sre and dev, contributions from three roles, pm as scribe
    /// and ops as facilitator: ready for review. Its path and version.
    pub async fn assigned_draft(&self) -> (String, i64) {
        let (_, path) = self.create("sre", DRAFT).await;
        self.expect(
            StatusCode::OK,
            "sre",
            Method::PUT,
            &format!("{path}/responders"),
            Some(json!({"usernames": ["sre", "dev"]})),
        )
        .await;
        self.contribute_from_three_roles(&path).await;
        let mut version = self.version(&path).await;
        for (part, who) in [("scribe", "pm"), ("facilitator", "ops")] {
            let body = self
                .expect(
                    StatusCode::OK,
                    "sre",
                    Method::PUT,
                    &format!("{path}/{part}"),
                    Some(json!({"username": who, "version": version})),
                )
                .await;
            version = body["version"].as_i64().expect("version");
        }
        (path, version)
    }

    /// Stops the server, checking that every route it reached is documented.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}

/// The contributions [`Api::contribute_from_three_roles`] makes before its upload.
pub fn contributions() -> [(&'static str, Value); 4] {
    [
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
    ]
}
