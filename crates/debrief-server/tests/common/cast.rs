//! The store's cast and the postmortem the tests in `tests/store/` start from: written by
//! dev, revised by pm, made ready with a timeline and an action item, given evidence by sre,
//! and driven through its workflow to closed.

use debrief_server::store::{ContributionKind, NewContribution, Part, Postmortem, Upload};
use debrief_server::workflow::State;
use debrief_server::{NewUser, Role, Store, User};

pub const DRAFT: &str = "---\ntitle: Checkout outage\ndate: 2026-06-14\n---\n\n## Summary\n\nCheckout failed for 23 minutes.\n";
pub const REVISED: &str = "---\ntitle: Checkout outage\ndate: 2026-06-14\n---\n\n## Summary\n\nCheckout failed for 23 minutes after a config push.\n";
pub const SECRET: &str =
    "---\ntitle: Credential leak\nrestricted: true\n---\n\n## Summary\n\nA key was exposed.\n";

pub const READY: &str = "---
title: Checkout outage
date: 2026-06-14
services: [checkout]
tags: [migration]
---

## Summary

Checkout failed for 23 minutes after a schema migration.

## Timeline

- 2026-06-14 14:00 Migration deploy starts
- 2026-06-14 14:05 [detected] Alert fires for checkout errors
- 2026-06-14 14:23 [resolved] Rollback completes

## Action items

- [ ] Add a CI step that fails on DROP COLUMN (owner: platform team, due: 2026-07-01)
";

/// A user added by `actor` (`None`: from the command line).
pub async fn user(
    store: &Store,
    name: &str,
    function: &str,
    role: Role,
    actor: Option<&User>,
) -> User {
    store
        .add_user(
            &NewUser {
                username: name,
                display_name: name,
                function,
                role,
                password: "a long enough password",
                team: None,
            },
            actor,
        )
        .await
        .expect("add user")
}

/// The first admin, from the command line, then the users the admin adds, in this order.
pub struct Cast {
    pub admin: User,
    pub dev: User,
    pub pm: User,
    pub outsider: User,
}

impl Cast {
    pub async fn new(store: &Store) -> Cast {
        let admin = user(store, "admin", "SRE", Role::Admin, None).await;
        let dev = user(store, "dev", "Dev", Role::Contributor, Some(&admin)).await;
        let pm = user(store, "pm", "Product", Role::Contributor, Some(&admin)).await;
        let outsider = user(store, "outsider", "Support", Role::Viewer, Some(&admin)).await;
        Cast {
            admin,
            dev,
            pm,
            outsider,
        }
    }

    /// Two more contributors, sre and ops, added by the admin.
    pub async fn sre_and_ops(&self, store: &Store) -> (User, User) {
        let sre = user(store, "sre", "SRE", Role::Contributor, Some(&self.admin)).await;
        let ops = user(store, "ops", "Ops", Role::Contributor, Some(&self.admin)).await;
        (sre, ops)
    }

    /// [`DRAFT`] by dev, revised by pm: version 2.
    pub async fn revised(&self, store: &Store) -> Postmortem {
        let created = store
            .create_postmortem(&self.dev, DRAFT)
            .await
            .expect("create");
        self.revised_from(store, created.id).await
    }

    /// [`REVISED`] by pm over version 1 of `id`.
    pub async fn revised_from(&self, store: &Store, id: i64) -> Postmortem {
        store
            .update_postmortem(&self.pm, id, 1, REVISED, "add the cause")
            .await
            .expect("update")
    }

    /// [`READY`] by dev over the current version, and an evidence file from sre.
    pub async fn ready(&self, store: &Store, sre: &User, id: i64) -> Postmortem {
        let current = store.postmortem(&self.dev, id).await.expect("read").version;
        let ready = store
            .update_postmortem(&self.dev, id, current, READY, "timeline and action items")
            .await
            .expect("update");
        store
            .contribute(sre, id, &evidence())
            .await
            .expect("evidence");
        ready
    }

    /// pm as scribe, ops as facilitator, reviewed, published, and its action item declined:
    /// closed.
    pub async fn closed(&self, store: &Store, ops: &User, ready: &Postmortem) -> Postmortem {
        let (dev, id) = (&self.dev, ready.id);
        let scribed = store
            .assign(dev, id, ready.version, Part::Scribe, "pm")
            .await
            .expect("scribe");
        let mut current = store
            .assign(dev, id, scribed.version, Part::Facilitator, "ops")
            .await
            .expect("facilitator");
        for (who, to) in [
            (dev, State::InReview),
            (ops, State::Reviewed),
            (dev, State::Published),
        ] {
            current = store
                .transition(who, id, current.version, to)
                .await
                .expect("transition");
        }
        store
            .update_postmortem(dev, id, current.version, &declined(), "decline the CI step")
            .await
            .expect("decline")
    }
}

/// An error rate graph that claims to be HTML, named to climb out of its directory.
pub fn evidence() -> NewContribution<'static> {
    NewContribution {
        kind: ContributionKind::Evidence,
        body: "error rate graph",
        happened_at: None,
        url: None,
        anonymous: false,
        file: Some(Upload {
            name: "../graph.html",
            media_type: "text/html",
            content: b"<script>alert(1)</script>",
        }),
    }
}

/// [`READY`] with its action item declined, with a reason.
pub fn declined() -> String {
    READY.replace(
        "due: 2026-07-01)",
        "due: 2026-07-01, declined: the schema registry now refuses DROP COLUMN)",
    )
}
