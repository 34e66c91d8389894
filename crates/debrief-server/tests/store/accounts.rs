//! Accounts: only an admin adds users, usernames are unique; passwords, tokens and
//! sessions find their user; failed logins are throttled.

use crate::common::cast::{Cast, user};
use debrief_server::store::{Login, Part, StoreError, UserChange};
use debrief_server::{Clock, NewUser, Role, Store};

crate::on_both_stores!(
    only_an_admin_adds_users_and_usernames_are_unique,
    passwords_and_tokens_find_their_user,
    a_session_finds_its_user_until_logout_and_failed_logins_throttle,
    only_one_first_admin_however_many_race,
    a_deactivated_person_is_refused_everywhere_until_reactivated,
);

/// Deactivation: sessions end, sign-in and tokens are refused, nobody assigns them a part;
/// the last active admin stays, nobody deactivates themselves; reactivation undoes it.
async fn a_deactivated_person_is_refused_everywhere_until_reactivated(
    store: &Store,
    backend: &str,
) {
    let cast = Cast::new(store).await;
    let (admin, dev) = (&cast.admin, &cast.dev);
    let token = store.create_token(dev, "laptop").await.expect("token");
    let Login::Accepted(_, session) = store
        .login("dev", "a long enough password", None)
        .await
        .expect("login")
    else {
        panic!("{backend}: dev signs in")
    };
    let id = store
        .create_postmortem(
            admin,
            "---\ntitle: Outage\ndate: 2026-06-14\n---\n\n## Summary\n\nDown.\n",
        )
        .await
        .expect("created")
        .id;

    let off = UserChange {
        active: Some(false),
        ..UserChange::default()
    };
    let changed = store
        .update_user(admin, "dev", &off)
        .await
        .expect("deactivate");
    assert!(!changed.active, "{backend}");
    assert_eq!(
        store.user_by_session(&session).await.expect("session"),
        None,
        "{backend}"
    );
    assert_eq!(
        store.user_by_token(&token).await.expect("token"),
        None,
        "{backend}"
    );
    assert!(
        matches!(
            store
                .login("dev", "a long enough password", None)
                .await
                .expect("login"),
            Login::Refused
        ),
        "{backend}"
    );
    let version = store.postmortem(admin, id).await.expect("read").version;
    let refused = store
        .assign(admin, id, version, Part::Facilitator, "dev")
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("deactivated")),
        "{backend}: {refused:?}"
    );
    let listed = store.users().await.expect("users");
    assert!(
        listed.iter().any(|u| u.username == "dev" && !u.active),
        "{backend}"
    );

    // The last active admin, and oneself.
    for (who, change) in [
        ("admin", off.clone()),
        (
            "admin",
            UserChange {
                role: Some(Role::Contributor),
                ..UserChange::default()
            },
        ),
    ] {
        let refused = store.update_user(admin, who, &change).await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{backend}: {refused:?}"
        );
    }
    assert!(matches!(
        store.update_user(dev, "pm", &off).await,
        Err(StoreError::Forbidden(_))
    ));

    // Back again, with a new team and function; the token works again.
    let on = UserChange {
        active: Some(true),
        team: Some(" payments ".into()),
        function: Some("SRE".into()),
        ..UserChange::default()
    };
    let changed = store
        .update_user(admin, "dev", &on)
        .await
        .expect("reactivate");
    assert_eq!(
        (
            changed.active,
            changed.team.as_deref(),
            changed.function.as_str()
        ),
        (true, Some("payments"), "SRE"),
        "{backend}"
    );
    assert_eq!(
        store
            .user_by_token(&token)
            .await
            .expect("token")
            .map(|u| u.username),
        Some("dev".to_string()),
        "{backend}"
    );
    let audit: Vec<String> = store
        .audit_log(admin)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in ["user.deactivate", "user.reactivate", "user.change"] {
        assert!(
            audit.iter().any(|a| a == action),
            "{backend}: {action} in {audit:?}"
        );
    }
}

/// The setup page's use case: of eight first admins asked for at once, one is created.
async fn only_one_first_admin_however_many_race(store: &Store, backend: &str) {
    assert!(!store.has_users().await.expect("users"), "{backend}");
    let attempts = (0..8).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let username = format!("first{i}");
            store
                .add_first_admin(&NewUser {
                    username: &username,
                    display_name: &username,
                    function: "SRE",
                    role: Role::Viewer,
                    password: "a long enough password",
                    team: None,
                })
                .await
        })
    });
    let mut created = Vec::new();
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(user) => created.push(user),
            Err(StoreError::Forbidden(_)) => {}
            Err(other) => panic!("{backend}: {other}"),
        }
    }
    assert_eq!(created.len(), 1, "{backend}: {created:?}");
    assert_eq!(created[0].role, Role::Admin, "{backend}");
    assert!(store.has_users().await.expect("users"), "{backend}");
}

async fn only_an_admin_adds_users_and_usernames_are_unique(store: &Store, backend: &str) {
    let cast = Cast::new(store).await;
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
            Some(&cast.dev),
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
            Some(&cast.admin),
        )
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Invalid(_))),
        "{backend}"
    );
}

async fn passwords_and_tokens_find_their_user(store: &Store, _backend: &str) {
    let dev = user(store, "dev", "Dev", Role::Contributor, None).await;
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
}

/// A wrong password is refused, and after five failures even the right one waits; a good
/// login opens a session that finds its user until logout.
async fn a_session_finds_its_user_until_logout_and_failed_logins_throttle(
    store: &Store,
    backend: &str,
) {
    // A clock that stands still: the wait after five failures is a second, which a slow
    // run on the real clock could outlast before the next attempt.
    let now = jiff::Timestamp::now().as_second();
    let store = &store.clone().with_clock(Clock::from_fn(move || now));
    let sre = user(store, "sre", "SRE", Role::Contributor, None).await;
    user(store, "ops", "Ops", Role::Contributor, None).await;
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
}
