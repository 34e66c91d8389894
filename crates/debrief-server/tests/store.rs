//! The store's story, told once and run against SQLite and PostgreSQL alike: users and
//! tokens, a postmortem written and revised, a stale write refused, a restricted postmortem
//! hidden from an outsider, and the audit log of it all.

mod common;

use debrief_server::store::StoreError;
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
    assert_eq!(created.status, "draft");
    assert!(
        created
            .markdown
            .starts_with("# Postmortem: Checkout outage, 2026-06-14\n"),
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
        .postmortems(&outsider)
        .await
        .expect("list")
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(listed, vec![created.id]);
    store
        .add_member(&dev, secret.id, &pm)
        .await
        .expect("member");
    assert!(store.postmortem(&pm, secret.id).await.is_ok());
    let listed = store.postmortems(&pm).await.expect("list");
    assert_eq!(listed.len(), 2, "{backend}");

    // The audit log records who did what; only admins may read it.
    let log = store.audit_log(&admin).await.expect("audit");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
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
    assert_eq!(
        log[0].actor, None,
        "the first admin came from the command line"
    );
    assert!(matches!(
        store.audit_log(&dev).await,
        Err(StoreError::Forbidden(_))
    ));
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
