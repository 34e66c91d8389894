//! `debrief serve --demo`: a fresh store seeded with example postmortems written for debrief
//! (every stage of the workflow, a restricted one, an overdue assignment, open and done action
//! items) and one account per role, so that a newcomer sees the product in a minute.

use crate::store::{NewUser, Result, Role, Store, StoreError};
use crate::workflow::Part;

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
/// import keeps their states), a facilitator on the one in review, members on the
/// restricted one. Returns the accounts with their passwords.
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
        }
        if created.restricted {
            store.add_member(admin, created.id, "security").await?;
        }
    }
    Ok(accounts)
}
