//! The audit log records who did what; only admins may read it.

use crate::common::cast::{Cast, DRAFT, SECRET};
use debrief_server::Store;
use debrief_server::store::{Login, StoreError};

crate::on_both_stores!(the_audit_log_records_who_did_what_and_only_admins_read_it);

async fn the_audit_log_records_who_did_what_and_only_admins_read_it(store: &Store, backend: &str) {
    // In this order: users, a token, two postmortems (one restricted) and a member.
    let cast = Cast::new(store).await;
    let (admin, dev) = (&cast.admin, &cast.dev);
    store.create_token(dev, "laptop").await.expect("token");
    let id = store
        .create_postmortem(dev, DRAFT)
        .await
        .expect("create")
        .id;
    cast.revised_from(store, id).await;
    let secret = store.create_postmortem(dev, SECRET).await.expect("secret");
    store
        .add_member(dev, secret.id, &cast.pm.username)
        .await
        .expect("member");
    // The restriction lifted by an admin and set again; a session; the workflow to closed.
    let public = SECRET.replace("restricted: true\n", "");
    let lifted = store
        .update_postmortem(admin, secret.id, 1, &public, "reviewed by security")
        .await
        .expect("lift");
    store
        .update_postmortem(dev, secret.id, lifted.version, SECRET, "restrict again")
        .await
        .expect("restrict");
    let (sre, ops) = cast.sre_and_ops(store).await;
    let login = store
        .login("sre", "a long enough password", None)
        .await
        .expect("login");
    assert!(matches!(login, Login::Accepted(..)), "{backend}: {login:?}");
    let ready = cast.ready(store, &sre, id).await;
    cast.closed(store, &ops, &ready).await;

    let log = store.audit_log(admin).await.expect("audit");
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
        store.audit_log(dev).await,
        Err(StoreError::Forbidden(_))
    ));
}
