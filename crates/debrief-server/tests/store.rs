//! The store's story, told once and run against SQLite and PostgreSQL alike: users and
//! tokens, a postmortem written and revised, a stale write refused, a restricted postmortem
//! hidden from an outsider, and the audit log of it all.

mod common;

use debrief_server::store::{
    ContributionKind, Filters, Login, NewContribution, Part, StoreError, Upload,
};
use debrief_server::workflow::State;
use debrief_server::{NewUser, Role, Store, User};

const DRAFT: &str = "---\ntitle: Checkout outage\ndate: 2026-06-14\n---\n\n## Summary\n\nCheckout failed for 23 minutes.\n";
const REVISED: &str = "---\ntitle: Checkout outage\ndate: 2026-06-14\n---\n\n## Summary\n\nCheckout failed for 23 minutes after a config push.\n";
const SECRET: &str =
    "---\ntitle: Credential leak\nrestricted: true\n---\n\n## Summary\n\nA key was exposed.\n";

async fn user(store: &Store, name: &str, function: &str, role: Role, actor: Option<&User>) -> User {
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

async fn story(store: &Store, backend: &str) {
    // Accounts: the first admin from the command line, then users added by the admin.
    let admin = user(store, "admin", "SRE", Role::Admin, None).await;
    let dev = user(store, "dev", "Dev", Role::Contributor, Some(&admin)).await;
    let pm = user(store, "pm", "Product", Role::Contributor, Some(&admin)).await;
    let outsider = user(store, "outsider", "Support", Role::Viewer, Some(&admin)).await;
    let refused = store
        .add_user(
            &NewUser {
                username: "sneaky",
                display_name: "Sneaky",
                function: "Dev",
                role: Role::Admin,
                password: "a long enough password",
                team: None,
            },
            Some(&dev),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Forbidden(_))),
        "{backend}"
    );
    let duplicate = store
        .add_user(
            &NewUser {
                username: "dev",
                display_name: "Dev again",
                function: "Dev",
                role: Role::Viewer,
                password: "a long enough password",
                team: None,
            },
            Some(&admin),
        )
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Invalid(_))),
        "{backend}"
    );

    // Passwords and tokens.
    assert_eq!(
        store
            .authenticate("dev", "a long enough password")
            .await
            .expect("auth"),
        Some(dev.clone())
    );
    assert_eq!(
        store.authenticate("dev", "wrong").await.expect("auth"),
        None
    );
    assert_eq!(
        store.authenticate("nobody", "wrong").await.expect("auth"),
        None
    );
    let token = store.create_token(&dev, "laptop").await.expect("token");
    assert_eq!(
        store.user_by_token(&token).await.expect("token"),
        Some(dev.clone())
    );
    assert_eq!(
        store.user_by_token("dbf_forged").await.expect("token"),
        None
    );

    // A postmortem written, then revised: version 2, both versions kept.
    let created = store.create_postmortem(&dev, DRAFT).await.expect("create");
    assert_eq!(
        (created.version, created.title.as_str()),
        (1, "Checkout outage")
    );
    assert_eq!(created.status, State::Draft);
    assert!(
        created
            .markdown
            .contains("status: draft\n---\n# Postmortem: Checkout outage, 2026-06-14\n"),
        "stored canonical: {}",
        created.markdown
    );
    let revised = store
        .update_postmortem(&pm, created.id, 1, REVISED, "add the cause")
        .await
        .expect("update");
    assert_eq!(revised.version, 2);

    // A write based on version 1 now conflicts, and changes nothing.
    let stale = store
        .update_postmortem(&dev, created.id, 1, DRAFT, "stale")
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                based_on: 1,
                current: 2
            })
        ),
        "{backend}: {stale:?}"
    );
    let history = store.history(&outsider, created.id).await.expect("history");
    let notes: Vec<(i64, &str, &str)> = history
        .iter()
        .map(|v| (v.version, v.author.as_str(), v.note.as_str()))
        .collect();
    assert_eq!(
        notes,
        vec![(1, "dev", "created"), (2, "pm", "add the cause")]
    );
    let first = store
        .version_markdown(&pm, created.id, 1)
        .await
        .expect("v1");
    assert!(
        first.contains("Checkout failed for 23 minutes.\n"),
        "{first}"
    );
    assert!(store.version_markdown(&pm, created.id, 3).await.is_err());

    // Viewers read but do not write.
    let viewer_write = store
        .update_postmortem(&outsider, created.id, 2, DRAFT, "")
        .await;
    assert!(matches!(viewer_write, Err(StoreError::Forbidden(_))));

    // Bad Markdown is refused with a position and nothing is stored.
    let broken = store
        .create_postmortem(&dev, "---\ntitle: [unclosed\n---\n\n## Summary\n")
        .await;
    assert!(
        matches!(&broken, Err(StoreError::Invalid(m)) if m.starts_with("line ")),
        "{backend}: {broken:?}"
    );

    // A restricted postmortem: its author and admins see it, members once added; an
    // outsider gets "not found" for the postmortem, its history and in lists.
    let secret = store
        .create_postmortem(&dev, SECRET)
        .await
        .expect("restricted");
    assert!(secret.restricted);
    assert!(store.postmortem(&admin, secret.id).await.is_ok());
    assert!(matches!(
        store.postmortem(&outsider, secret.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.history(&outsider, secret.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.update_postmortem(&pm, secret.id, 1, SECRET, "").await,
        Err(StoreError::NotFound)
    ));
    let listed: Vec<i64> = store
        .postmortems(&outsider, &Filters::default())
        .await
        .expect("list")
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(listed, vec![created.id]);
    store
        .add_member(&dev, secret.id, &pm.username)
        .await
        .expect("member");
    assert!(store.postmortem(&pm, secret.id).await.is_ok());
    let listed = store
        .postmortems(&pm, &Filters::default())
        .await
        .expect("list");
    assert_eq!(listed.len(), 2, "{backend}");

    // A member may not lift the restriction (it would expose a security incident); an
    // admin may, and it is audited.
    let public = SECRET.replace("restricted: true\n", "");
    let lifted = store
        .update_postmortem(&pm, secret.id, 1, &public, "make it public")
        .await;
    assert!(
        matches!(lifted, Err(StoreError::Forbidden(_))),
        "{backend}: {lifted:?}"
    );
    assert!(store.postmortem(&outsider, secret.id).await.is_err());
    let lifted = store
        .update_postmortem(&admin, secret.id, 1, &public, "reviewed by security")
        .await
        .expect("an admin lifts it");
    assert!(!lifted.restricted);
    let restricted_again = store
        .update_postmortem(&dev, secret.id, lifted.version, SECRET, "restrict again")
        .await
        .expect("anyone restricts");
    assert!(restricted_again.restricted);

    workflow(
        store, backend, &admin, &dev, &pm, &outsider, created.id, secret.id,
    )
    .await;

    // The audit log records who did what; only admins may read it.
    let log = store.audit_log(&admin).await.expect("audit");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions[..8],
        [
            "user.add",
            "user.add",
            "user.add",
            "user.add",
            "token.create",
            "postmortem.create",
            "postmortem.create",
            "member.add"
        ]
    );
    for action in [
        "postmortem.unrestrict",
        "postmortem.restrict",
        "postmortem.close",
        "postmortem.assign",
        "postmortem.transition",
        "contribution.add",
        "session.create",
    ] {
        assert!(
            actions.contains(&action),
            "{backend}: {action} in {actions:?}"
        );
    }
    assert_eq!(
        log[0].actor, None,
        "the first admin came from the command line"
    );
    assert!(matches!(
        store.audit_log(&dev).await,
        Err(StoreError::Forbidden(_))
    ));
}

const READY: &str = "---
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

/// The workflow chapter: sessions, contributions by role, facilitator and scribe with the
/// rotation, gates that refuse with reasons, publishing, search and its visibility.
#[expect(clippy::too_many_arguments, reason = "the cast of the story")]
async fn workflow(
    store: &Store,
    backend: &str,
    admin: &User,
    dev: &User,
    pm: &User,
    outsider: &User,
    id: i64,
    secret: i64,
) {
    // Sessions: a wrong password is refused, and after five failures even the right one
    // waits; a good login opens a session that finds its user.
    let sre = user(store, "sre", "SRE", Role::Contributor, Some(admin)).await;
    let ops = user(store, "ops", "Ops", Role::Contributor, Some(admin)).await;
    let Login::Accepted(who, session) = store
        .login("sre", "a long enough password", Some("10.0.0.1"))
        .await
        .expect("login")
    else {
        panic!("{backend}: login refused")
    };
    assert_eq!(who, sre);
    assert_eq!(
        store.user_by_session(&session).await.expect("session"),
        Some(sre.clone())
    );
    store.logout(&session).await.expect("logout");
    assert_eq!(
        store.user_by_session(&session).await.expect("session"),
        None
    );
    for _ in 0..5 {
        let refused = store
            .login("ops", "wrong password", None)
            .await
            .expect("login");
        assert_eq!(refused, Login::Refused);
    }
    let throttled = store
        .login("ops", "a long enough password", None)
        .await
        .expect("login");
    assert!(
        matches!(throttled, Login::Throttled(s) if s > 0),
        "{backend}: {throttled:?}"
    );

    // Contributions carry their author's function; evidence files are stored by content.
    let current = store.postmortem(dev, id).await.expect("read").version;
    let ready = store
        .update_postmortem(dev, id, current, READY, "timeline and action items")
        .await
        .expect("update");
    // Resolved on 2026-06-14 with nobody assigned: overdue, in a read, a list and a search.
    assert!(
        ready.assignment.overdue,
        "{backend}: {:?}",
        ready.assignment
    );
    assert_eq!(
        ready.assignment.resolved_at,
        Some(1_781_446_980),
        "the resolved milestone: 14:23 UTC on 2026-06-14"
    );
    let listed = store
        .postmortems(outsider, &Filters::default())
        .await
        .expect("list");
    assert!(listed.iter().any(|p| p.id == id && p.assignment.overdue));
    let found = store
        .search(outsider, "rollback", &Filters::default())
        .await
        .expect("search");
    assert!(
        found
            .iter()
            .any(|h| h.postmortem.id == id && h.postmortem.assignment.overdue)
    );
    let file = store
        .contribute(
            &sre,
            id,
            &NewContribution {
                kind: ContributionKind::Evidence,
                body: "error rate graph",
                happened_at: None,
                url: None,
                file: Some(Upload {
                    name: "../graph.html",
                    media_type: "text/html",
                    content: b"<script>alert(1)</script>",
                }),
            },
        )
        .await
        .expect("evidence");
    let info = file.file.as_ref().expect("file");
    assert_eq!(
        (info.name.as_str(), info.media_type.as_str()),
        ("graph.html", "application/octet-stream")
    );
    let served = store.evidence(pm, id, file.id).await.expect("served");
    assert_eq!(served.content, b"<script>alert(1)</script>");
    let timeline_without_time = store
        .contribute(
            &sre,
            id,
            &NewContribution {
                kind: ContributionKind::Timeline,
                body: "Pager fires",
                happened_at: None,
                url: None,
                file: None,
            },
        )
        .await;
    assert!(matches!(timeline_without_time, Err(StoreError::Invalid(_))));

    // Facilitator and scribe: the rotation suggests Ops (no Ops person has facilitated; Dev
    // and Product are not eligible: dev responded, pm is about to be the scribe).
    let stale = store.assign(dev, id, current, Part::Scribe, "pm").await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{backend}: {stale:?}"
    );
    let scribed = store
        .assign(dev, id, ready.version, Part::Scribe, "pm")
        .await
        .expect("scribe");
    let suggestion = store.suggest_facilitator(dev, id).await.expect("suggest");
    let ranked: Vec<&str> = suggestion
        .ranking
        .iter()
        .map(|r| r.username.as_str())
        .collect();
    assert_eq!(ranked, ["ops"], "{backend}: {suggestion:?}");
    let responder = store
        .assign(dev, id, scribed.version, Part::Facilitator, "dev")
        .await;
    assert!(matches!(responder, Err(StoreError::Invalid(m)) if m.contains("responders")));
    let same = store
        .assign(dev, id, scribed.version, Part::Facilitator, "pm")
        .await;
    assert!(matches!(same, Err(StoreError::Invalid(m)) if m.contains("two different")));
    let assigned = store
        .assign(dev, id, scribed.version, Part::Facilitator, "ops")
        .await
        .expect("facilitator");
    assert!(
        assigned.markdown.contains("facilitator: ops"),
        "{}",
        assigned.markdown
    );
    assert!(!assigned.assignment.overdue);

    // Gates: publishing is two steps away; then refused until Product has contributed.
    let skipped = store
        .transition(dev, id, assigned.version, State::Published)
        .await;
    assert!(matches!(skipped, Err(StoreError::Refused(_))));
    let in_review = store
        .transition(dev, id, assigned.version, State::InReview)
        .await
        .expect("review");
    let reviewed = store
        .transition(&ops, id, in_review.version, State::Reviewed)
        .await
        .expect("reviewed");
    let view = store.workflow(dev, id).await.expect("workflow");
    assert_eq!(
        view.roles.missing,
        Vec::<String>::new(),
        "{backend}: dev and pm edited, sre gave evidence"
    );
    let refused = store
        .transition(dev, id, reviewed.version, State::Closed)
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused(r)) if r.message.starts_with("cannot go from reviewed"))
    );
    let published = store
        .transition(dev, id, reviewed.version, State::Published)
        .await
        .expect("publish");
    assert_eq!(published.status, State::Published);
    assert!(published.markdown.contains("status: published"));
    let refused = store
        .transition(dev, id, published.version, State::Closed)
        .await;
    let Err(StoreError::Refused(refusal)) = refused else {
        panic!("{backend}: closing with an open action item: {refused:?}")
    };
    assert_eq!(
        refusal.message,
        "cannot close: 1 action item is neither done nor declined"
    );

    // Declined with a reason settles an item as well as done does, and a closed
    // postmortem's text no longer changes.
    let declined = store
        .update_postmortem(
            dev,
            id,
            published.version,
            &READY.replace(
                "due: 2026-07-01)",
                "due: 2026-07-01, declined: the schema registry now refuses DROP COLUMN)",
            ),
            "decline the CI step",
        )
        .await
        .expect("decline");
    // The edit that settles the last item closes the postmortem by itself.
    let closed = declined;
    assert_eq!(closed.status, State::Closed, "{backend}");
    assert!(matches!(
        store
            .transition(dev, id, closed.version, State::Closed)
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(
        closed
            .markdown
            .contains("declined: the schema registry now refuses DROP COLUMN"),
        "{}",
        closed.markdown
    );
    let after = store
        .update_postmortem(dev, id, closed.version, READY, "reopen")
        .await;
    assert!(matches!(after, Err(StoreError::Invalid(m)) if m.contains("closed")));

    // Search: found by a stemmed word, with a highlighted snippet, filtered by service and
    // state; the restricted postmortem is never found by an outsider.
    let hits = store
        .search(outsider, "migrations", &Filters::default())
        .await
        .expect("search");
    assert_eq!(
        hits.iter().map(|h| h.postmortem.id).collect::<Vec<_>>(),
        [id],
        "{backend}"
    );
    assert!(
        hits[0].snippet.iter().any(|f| f.highlight),
        "{backend}: {:?}",
        hits[0].snippet
    );
    let filtered = Filters {
        service: Some("checkout".into()),
        status: Some(State::Closed),
        ..Filters::default()
    };
    assert_eq!(
        store
            .search(outsider, "checkout", &filtered)
            .await
            .expect("search")
            .len(),
        1
    );
    let elsewhere = Filters {
        service: Some("payments".into()),
        ..Filters::default()
    };
    assert!(
        store
            .search(outsider, "checkout", &elsewhere)
            .await
            .expect("search")
            .is_empty()
    );
    assert!(
        store
            .search(outsider, "key exposed", &Filters::default())
            .await
            .expect("search")
            .is_empty()
    );
    assert_eq!(
        store
            .search(pm, "key exposed", &Filters::default())
            .await
            .expect("search")
            .len(),
        1
    );
    assert_eq!(
        store
            .postmortems(outsider, &filtered)
            .await
            .expect("list")
            .len(),
        1
    );
    assert!(matches!(
        store.workflow(outsider, secret).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.contributions(outsider, secret).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.search(outsider, "", &Filters::default()).await,
        Err(StoreError::Invalid(_))
    ));
    let diff = store.diff(outsider, id, 2, 3).await.expect("diff");
    assert!(
        diff.added > 0 && diff.unified.contains("+++ version 3"),
        "{}",
        diff.unified
    );
}

#[tokio::test]
async fn story_on_sqlite() {
    let test = common::sqlite().await;
    story(&test.store, test.name).await;
    test.finish().await;
}

#[tokio::test]
async fn story_on_postgres() {
    if let Some(test) = common::postgres("story_on_postgres").await {
        story(&test.store, test.name).await;
        test.finish().await;
    }
}

#[tokio::test]
async fn sqlite_store_reopens_with_its_data() {
    let dir = tempfile::tempdir().expect("temporary directory");
    {
        let store = Store::open_dir(dir.path()).await.expect("create");
        user(&store, "admin", "SRE", Role::Admin, None).await;
    }
    let store = Store::open_dir(dir.path()).await.expect("reopen");
    assert_eq!(store.user("admin").await.expect("kept").role, Role::Admin);
}
