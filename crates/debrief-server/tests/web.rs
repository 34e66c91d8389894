//! The web pages over HTTP: signing in and out, my work, the list with search, a postmortem,
//! on the demo store; what an outsider and a hostile document cannot do.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use debrief_server::http::{self, AppState, HttpConfig};
use debrief_server::{Role, Store, demo};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tower::ServiceExt;

/// A browser in a test: the router, the session cookie it holds, the host it speaks to.
struct Browser {
    app: axum::Router,
    cookie: Option<String>,
}

/// An answer: status, headers, body.
struct Page {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl Browser {
    fn new(store: &Store) -> Browser {
        Browser::of(AppState::new(store.clone(), HttpConfig::default()))
    }

    fn of(state: AppState) -> Browser {
        Browser {
            app: http::router(state),
            cookie: None,
        }
    }

    async fn send(&mut self, request: axum::http::request::Builder, body: impl Into<Body>) -> Page {
        let mut request = request.header(header::HOST, "debrief.test");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let answer = self
            .app
            .clone()
            .oneshot(request.body(body.into()).expect("request"))
            .await
            .expect("answer");
        let status = answer.status();
        let headers = answer.headers().clone();
        if let Some(set) = headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
        {
            let pair = set.split(';').next().unwrap_or("").to_string();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        let bytes = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .expect("body");
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A multipart form, boundary `b`, from this site.
    async fn upload(&mut self, path: &str, body: Vec<u8>) -> Page {
        let request = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::ORIGIN, "http://debrief.test")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b");
        self.send(request, body).await
    }

    async fn get(&mut self, path: &str) -> Page {
        self.send(Request::builder().uri(path), String::new()).await
    }

    /// A form posted from this site's page, as a browser sends it.
    async fn post(&mut self, path: &str, form: &[(&str, &str)], origin: &str) -> Page {
        let body = form
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    v.replace('%', "%25").replace('&', "%26").replace(' ', "+")
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(request, body).await
    }

    async fn sign_in(&mut self, username: &str, password: &str) -> Page {
        self.post(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("next", "/"),
            ],
            "http://debrief.test",
        )
        .await
    }
}

/// The id of the postmortem titled `title`, from a page's links.
fn id_of(body: &str, title: &str) -> String {
    let at = body
        .find(title)
        .unwrap_or_else(|| panic!("{title} not listed"));
    let link = body[..at].rfind("/postmortems/").expect("a link");
    body[link + "/postmortems/".len()..at]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The editor's text on a page, as the browser reads it (HTML entities decoded).
fn editor_text(body: &str) -> String {
    let inside = body
        .split(r#"<textarea id="markdown""#)
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split("</textarea>").next())
        .expect("the editor");
    inside
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The password printed for a demo account.
fn password_of(accounts: &[demo::Account], name: &str) -> String {
    accounts
        .iter()
        .find(|a| a.username == name)
        .map(|a| a.password.clone())
        .expect("account")
}

/// A postmortem an SRE wrote, with a second person of `function` as a member.
async fn queue_stalled(
    store: &Store,
    member: &str,
    function: &str,
) -> (debrief_server::User, debrief_wire::api::Postmortem) {
    let sre = common::user(store, "sre", "SRE", Role::Contributor).await;
    common::user(store, member, function, Role::Contributor).await;
    let created = store
        .create_postmortem(
            &sre,
            "---\ntitle: Queue stalled\ndate: 2026-06-14\n---\n\n## Summary\n\nDown.\n",
        )
        .await
        .expect("created");
    store
        .add_member(&sre, created.id, member)
        .await
        .expect("member");
    (sre, created)
}

#[tokio::test]
async fn the_demo_store_through_the_pages() {
    let test = common::sqlite().await;
    let accounts = demo::seed(&test.store).await.expect("seeded");
    let password = |name: &str| password_of(&accounts, name);
    assert_eq!(accounts.len(), 6);
    let mut browser = Browser::new(&test.store);

    // Signed out, every page leads to the sign-in page and back.
    let page = browser.get("/postmortems?q=cache").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=%2Fpostmortems");
    let page = browser.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let policy = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("CSP");
    assert!(policy.contains("default-src 'none'") && policy.contains("script-src 'self';"));
    assert!(!policy.contains("unsafe"), "{policy}");

    // A wrong password, a form from another site, then the right password.
    let page = browser.sign_in("admin", "wrong password!").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains("Wrong username or password"));
    let page = browser
        .post(
            "/login",
            &[("username", "admin"), ("password", &password("admin"))],
            "https://evil.example",
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(browser.cookie.is_none());
    let page = browser.sign_in("admin", &password("admin")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(browser.cookie.is_some());

    // My work: what is in progress, and what was published.
    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    for title in [
        "Order confirmation e-mails delayed",
        "Search latency during the nightly index rebuild",
        "An API token printed in build logs",
        "Checkout errors after a cache configuration change",
    ] {
        assert!(home.body.contains(title), "{title} missing from my work");
    }
    assert!(home.body.contains("assignment overdue"));

    // The list filters by state, and search highlights what it found.
    let list = browser.get("/postmortems?status=closed").await;
    assert!(list.body.contains("Payment provider timeouts"));
    assert!(!list.body.contains("Checkout errors"));
    let found = browser.get("/postmortems?q=connection+limit").await;
    assert!(found.body.contains("Checkout errors"), "{}", found.body);
    assert!(found.body.contains("<mark>"));
    let june = browser
        .get("/postmortems?from=2026-06-01&to=2026-06-30")
        .await;
    assert!(june.body.contains("Checkout errors") && !june.body.contains("Payment provider"));
    let bad = browser.get("/postmortems?from=June").await;
    assert!(bad.body.contains("From must be a day"));
    let nothing = browser.get("/postmortems?q=%21%21%21").await;
    assert_eq!(nothing.status, StatusCode::OK);
    assert!(nothing.body.contains("class=\"error\""));

    // A postmortem: the article, its metrics card, milestones and findings.
    let checkout = id_of(
        &home.body,
        "Checkout errors after a cache configuration change",
    );
    let page = browser.get(&format!("/postmortems/{checkout}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for part in [
        "<article>",
        "Time to detect</dt><dd>7m</dd>",
        "class=\"milestone\"",
        "href=\"/postmortems?severity=SEV2\"",
        "Lint findings",
    ] {
        assert!(page.body.contains(part), "{part} missing");
    }
    let queue = id_of(&home.body, "Order confirmation e-mails delayed");
    let page = browser.get(&format!("/postmortems/{queue}")).await;
    assert!(page.body.contains("vague"), "the wish is not flagged");
    assert!(page.body.contains("Facilitator: responder"));
    assert!(page.body.contains("overdue by"), "the 48-hour clock");

    // The workflow from the page: a step refused with what is missing, a scribe assigned,
    // a step on a stale version refused as a conflict.
    let here = "http://debrief.test";
    let draft = id_of(
        &home.body,
        "Search latency during the nightly index rebuild",
    );
    let version = |body: &str| -> String {
        let field = "name=\"version\" value=\"";
        let at = body.find(field).expect("a version field") + field.len();
        body[at..].split('"').next().unwrap_or_default().to_string()
    };
    let page = browser.get(&format!("/postmortems/{draft}")).await;
    let v = version(&page.body);
    let page = browser
        .post(
            &format!("/postmortems/{draft}/step"),
            &[("to", "in_review"), ("version", &v)],
            here,
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("class=\"missing\""),
        "no list of what is missing: {}",
        page.body
    );
    let page = browser.get(&format!("/postmortems/{queue}")).await;
    let v = version(&page.body);
    let page = browser
        .post(
            &format!("/postmortems/{queue}/assign"),
            &[("part", "scribe"), ("username", "product"), ("version", &v)],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Scribe: product"));
    let page = browser
        .post(
            &format!("/postmortems/{queue}/step"),
            &[("to", "reviewed"), ("version", &v)],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);

    // The restricted one is not found by a viewer, on any page.
    let secret = id_of(&home.body, "An API token printed in build logs");
    let mut viewer = Browser::new(&test.store);
    viewer.sign_in("viewer", &password("viewer")).await;
    assert!(viewer.cookie.is_some());
    let page = viewer.get(&format!("/postmortems/{secret}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    for path in ["/", "/postmortems", "/postmortems?q=token"] {
        let page = viewer.get(path).await;
        assert!(!page.body.contains("API token printed"), "{path}");
    }
    for path in ["/postmortems/abc", "/postmortems/1", "/nothing"] {
        assert_eq!(
            viewer.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // Signing out ends the session.
    let page = browser.post("/logout", &[], "http://debrief.test").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(browser.cookie.is_none());
    assert_eq!(browser.get("/").await.status, StatusCode::SEE_OTHER);
    test.finish().await;
}

#[tokio::test]
async fn a_hostile_postmortem_runs_nothing_and_next_stays_here() {
    let test = common::sqlite().await;
    let admin = common::user(&test.store, "admin", "SRE", Role::Admin).await;
    let hostile = "---\ntitle: <script>alert(1)</script><img src=x onerror=alert(2)>\n---\n\n\
        ## Summary\n\n<script>alert(3)</script> [click](javascript:alert(4)) \
        <svg onload=alert(5)><script>alert(6)</script></svg>\n\n\
        ![x](javascript:alert(7))\n";
    let created = test
        .store
        .create_postmortem(&admin, hostile)
        .await
        .expect("created");
    let mut browser = Browser::new(&test.store);
    let page = browser.sign_in("admin", "a long enough password").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    for path in [
        "/".to_string(),
        "/postmortems".to_string(),
        "/postmortems?q=alert".to_string(),
        format!("/postmortems/{}", created.id),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        // The server's own script files are the only scripts a page may load.
        let lower = page
            .body
            .to_lowercase()
            .replace(r#"<script src="/assets/search.js" defer></script>"#, "")
            .replace(r#"<script src="/assets/editor.js" defer></script>"#, "");
        // Shown as text, never as markup or a link target.
        for bad in [
            "<script",
            "<svg",
            "<img src=x",
            "href=\"javascript",
            "src=\"javascript",
        ] {
            assert!(!lower.contains(bad), "{path} carries {bad}");
        }
    }
    // A sign-in's `next` never leads elsewhere.
    let mut other = Browser::new(&test.store);
    let page = other
        .post(
            "/login",
            &[
                ("username", "admin"),
                ("password", "a long enough password"),
                ("next", "//evil.example/x"),
            ],
            "http://debrief.test",
        )
        .await;
    assert_eq!(page.location(), "/");
    test.finish().await;
}

#[tokio::test]
async fn a_fresh_server_is_set_up_by_whoever_has_its_token() {
    let test = common::sqlite().await;
    let token = "dbf_setup-token-of-this-test";
    let state = AppState::new(test.store.clone(), HttpConfig::default()).with_setup_token(token);
    let mut browser = Browser::of(state.clone());
    for path in ["/setup", "/setup?token=dbf_guess"] {
        assert_eq!(
            browser.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let page = browser.get(&format!("/setup?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Create the admin"));
    let form = |password: &'static str| {
        [
            ("token", token),
            ("username", "priya"),
            ("function", "SRE"),
            ("password", password),
        ]
    };
    // From another site, or with a short password: refused, and nobody is created.
    let page = browser
        .post(
            "/setup",
            &form("a long enough password"),
            "https://evil.example",
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = browser
        .post("/setup", &form("short"), "http://debrief.test")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("at least 12 characters"));
    assert!(!test.store.has_users().await.expect("users"));
    // Then the first admin, signed in at once.
    let page = browser
        .post(
            "/setup",
            &form("a long enough password"),
            "http://debrief.test",
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), "/");
    let home = browser.get("/").await;
    assert!(home.body.contains("Sign out priya"));
    // The page is gone for good: the token is worth nothing once an account exists.
    let mut late = Browser::of(state);
    assert_eq!(
        late.get(&format!("/setup?token={token}")).await.status,
        StatusCode::NOT_FOUND
    );
    let page = late
        .post(
            "/setup",
            &form("another long password"),
            "http://debrief.test",
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    test.finish().await;
}

#[tokio::test]
async fn the_account_page_makes_and_revokes_tokens_and_changes_the_password() {
    let test = common::sqlite().await;
    common::user(&test.store, "sre", "SRE", Role::Contributor).await;
    let mut browser = Browser::new(&test.store);
    let mut elsewhere = Browser::new(&test.store);
    for b in [&mut browser, &mut elsewhere] {
        let page = b.sign_in("sre", "a long enough password").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    let here = "http://debrief.test";
    let page = browser.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No token yet"));

    // A token, shown once, that the API takes; revoked, it is refused at once.
    let page = browser
        .post("/account/tokens", &[("name", "laptop")], here)
        .await;
    assert_eq!(page.status, StatusCode::CREATED);
    let at = page.body.find("dbf_").expect("the new token is shown");
    let token: String = page.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let api = browser.app.clone();
    let me = |token: String| {
        let app = api.clone();
        async move {
            let request = Request::builder()
                .uri("/api/v1/me")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .expect("request");
            app.oneshot(request).await.expect("answer").status()
        }
    };
    assert_eq!(me(token.clone()).await, StatusCode::OK);
    let listed = browser.get("/account").await;
    assert!(listed.body.contains("laptop") && !listed.body.contains(&token));
    let form = listed.body.find("/revoke\"").expect("a revoke form");
    let start = listed.body[..form]
        .rfind("/account/tokens/")
        .expect("its action");
    let action = listed.body[start..form + "/revoke".len()].to_string();
    let page = browser.post(&action, &[], here).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(me(token).await, StatusCode::UNAUTHORIZED);

    // The password: the current one must be given; a change signs out other sessions.
    let page = browser
        .post(
            "/account/password",
            &[
                ("current", "not my password"),
                ("new", "a new long password"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("current password is wrong"));
    let page = browser
        .post(
            "/account/password",
            &[
                ("current", "a long enough password"),
                ("new", "a new long password"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("password is changed"));
    assert_eq!(browser.get("/account").await.status, StatusCode::OK);
    assert_eq!(
        elsewhere.get("/account").await.status,
        StatusCode::SEE_OTHER
    );
    let mut again = Browser::new(&test.store);
    let page = again.sign_in("sre", "a long enough password").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    let page = again.sign_in("sre", "a new long password").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    test.finish().await;
}

#[tokio::test]
async fn a_new_postmortem_from_the_template_or_a_file() {
    let test = common::sqlite().await;
    common::user(&test.store, "sre", "SRE", Role::Contributor).await;
    common::user(&test.store, "reader", "Support", Role::Viewer).await;
    let mut browser = Browser::new(&test.store);
    browser.sign_in("sre", "a long enough password").await;
    let here = "http://debrief.test";
    let page = browser.get("/postmortems/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));

    // From the template: a draft with the title, date and severity given.
    let refused = browser
        .post(
            "/postmortems/new",
            &[
                ("title", "Queue stalled"),
                ("date", "14 June"),
                ("severity", ""),
            ],
            here,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("YYYY-MM-DD") && refused.body.contains("Queue stalled"));
    let page = browser
        .post(
            "/postmortems/new",
            &[
                ("title", "Queue stalled"),
                ("date", "2026-06-14"),
                ("severity", "SEV3"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = browser.get(page.location()).await;
    assert!(shown.body.contains("Queue stalled") && shown.body.contains("SEV3"));
    assert!(shown.body.contains("draft"));

    // From a file, as a browser sends it; a file that is not UTF-8 is refused with the reason.
    let upload = |content: &[u8]| {
        let mut body =
            b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pm.md\"\r\n\
            Content-Type: text/markdown\r\n\r\n"
                .to_vec();
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n--b--\r\n");
        body
    };
    let page = browser
        .upload(
            "/postmortems/upload",
            upload(b"---\ntitle: Uploaded outage\ndate: 2026-05-01\n---\n\n## Summary\n\nDown.\n"),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(
        browser
            .get(page.location())
            .await
            .body
            .contains("Uploaded outage")
    );
    let page = browser
        .upload("/postmortems/upload", b"--b\r\n\r\n--b--\r\n".to_vec())
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Choose a Markdown file"));
    let page = browser
        .upload(
            "/postmortems/upload",
            upload(b"# Outage\n\n\xff\xfe broken\n"),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("not UTF-8"));

    // A viewer may not create one.
    let mut reader = Browser::new(&test.store);
    reader.sign_in("reader", "a long enough password").await;
    let page = reader
        .post(
            "/postmortems/new",
            &[("title", "Nope"), ("date", "2026-06-14")],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    test.finish().await;
}

#[tokio::test]
async fn contributions_and_evidence_from_the_page() {
    let test = common::sqlite().await;
    let (sre, created) = queue_stalled(&test.store, "pm", "Product").await;
    let mut browser = Browser::new(&test.store);
    browser.sign_in("pm", "a long enough password").await;
    let here = "http://debrief.test";
    let path = format!("/postmortems/{}", created.id);
    let page = browser
        .post(
            &format!("{path}/contribute"),
            &[
                ("kind", "observation"),
                ("text", "Customers *noticed* first."),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<h3>Product</h3>") && page.body.contains("<em>noticed</em>"));
    assert!(page.body.contains("by pm:"));
    // Anonymously: the function shows, the author nowhere, not even in the API or the audit.
    let page = browser
        .post(
            &format!("{path}/contribute"),
            &[
                ("kind", "observation"),
                ("text", "The runbook was out of date."),
                ("anonymous", "yes"),
            ],
            here,
        )
        .await;
    assert!(
        page.body
            .contains("by anonymous: <p>The runbook was out of date.</p>"),
        "{}",
        page.body
    );
    let listed = test
        .store
        .contributions(&sre, created.id)
        .await
        .expect("contributions");
    let secret = listed
        .iter()
        .find(|c| c.body.contains("runbook"))
        .expect("listed");
    assert_eq!(
        (secret.author.as_str(), secret.function.as_str()),
        ("anonymous", "Product")
    );
    let page = browser
        .post(
            &format!("{path}/contribute"),
            &[
                ("kind", "timeline"),
                ("text", "Support escalates"),
                ("at", ""),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("needs the time"));
    let page = browser
        .post(
            &format!("{path}/contribute"),
            &[
                ("kind", "timeline"),
                ("text", "Support escalates"),
                ("at", "2026-06-14T14:05"),
            ],
            here,
        )
        .await;
    assert!(page.body.contains("2026-06-14 14:05 UTC"), "{}", page.body);
    assert!(
        !page.body.contains(r#"<ul class="gentle""#),
        "nothing to say of blameless contributions"
    );
    // Contributions are linted like the narrative: blame is pointed out, gently.
    let page = browser
        .post(
            &format!("{path}/contribute"),
            &[
                ("kind", "observation"),
                (
                    "text",
                    "Bob should have checked the queue before the deploy.",
                ),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let gentle = page
        .body
        .split(r#"<ul class="gentle""#)
        .nth(1)
        .expect("the blame in the contribution is pointed out");
    assert!(gentle.contains("Bob"), "{gentle}");
    let mut body =
        b"--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nThe queue depth\r\n\
        --b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"depth.csv\"\r\n\
        Content-Type: text/csv\r\n\r\n"
            .to_vec();
    body.extend_from_slice(b"time,depth\n14:00,90000\n\r\n--b--\r\n");
    let page = browser.upload(&format!("{path}/evidence"), body).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let at = page.body.find("/contributions/").expect("a download link");
    let start = page.body[..at].rfind("href=\"").expect("href") + 6;
    let href = page.body[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string();
    let file = browser.get(&href).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, "time,depth\n14:00,90000\n");
    test.finish().await;
}

#[tokio::test]
async fn comments_on_a_section_or_an_entry_are_resolved_and_reopened() {
    let test = common::sqlite().await;
    let (_, created) = queue_stalled(&test.store, "pm", "Product").await;
    let sre = test.store.user("sre").await.expect("sre");
    let current = test.store.postmortem(&sre, created.id).await.expect("read");
    let with_timeline = format!(
        "{}\n## Timeline\n\n- 14:05 Alert fired for the queue depth\n",
        current.markdown
    );
    test.store
        .update_postmortem(
            &sre,
            created.id,
            current.version,
            &with_timeline,
            "timeline",
        )
        .await
        .expect("timeline");
    let mut browser = Browser::new(&test.store);
    browser.sign_in("pm", "a long enough password").await;
    let here = "http://debrief.test";
    let path = format!("/postmortems/{}", created.id);
    let page = browser.get(&path).await;
    assert!(page.body.contains("No comment yet."));
    let entry = "entry:2026-06-14T14:05:00Z Alert fired for the queue depth";
    assert!(
        page.body.contains(&format!(r#"<option value="{entry}">"#)),
        "the entry is a place to comment on: {}",
        page.body
    );
    assert!(
        page.body.contains(r#"<li id="entry-0">"#),
        "the entry can be linked to"
    );
    let page = browser
        .post(
            &format!("{path}/comments"),
            &[
                ("anchor", entry),
                ("text", "Why did Sam miss the *first* alert?"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let thread = page
        .body
        .split(r#"<section class="comments""#)
        .nth(1)
        .expect("comments");
    assert!(thread.contains(r##"<a href="#entry-0">"##), "{thread}");
    assert!(thread.contains("<em>first</em>"), "rendered Markdown");
    assert!(
        thread.contains(r#"<ul class="gentle""#),
        "the who-question is pointed out"
    );
    assert!(thread.contains(r#"<span class="badge">1 open</span>"#));
    let comment_id = thread
        .split(r#"name="comment" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the comment's id")
        .to_string();
    let page = browser
        .post(
            &format!("{path}/comments/state"),
            &[("comment", &comment_id), ("resolved", "yes")],
            here,
        )
        .await;
    assert!(page.body.contains("resolved by pm on"), "{}", page.body);
    assert!(page.body.contains(">Reopen</button>"));
    let page = browser
        .post(
            &format!("{path}/comments/state"),
            &[("comment", &comment_id), ("resolved", "no")],
            here,
        )
        .await;
    assert!(page.body.contains("The comment is open again."));

    // A place the document does not have, and a form from elsewhere, are refused.
    let page = browser
        .post(
            &format!("{path}/comments"),
            &[("anchor", "section:Nowhere"), ("text", "Hello")],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("no place"), "{}", page.body);
    let page = browser
        .post(
            &format!("{path}/comments"),
            &[("anchor", "document"), ("text", "Hello")],
            "http://evil.example",
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    test.finish().await;
}

#[tokio::test]
async fn the_preview_shows_the_text_as_it_will_read_without_saving_it() {
    let test = common::sqlite().await;
    let (sre, created) = queue_stalled(&test.store, "ops", "Ops").await;
    let mut browser = Browser::new(&test.store);
    browser.sign_in("sre", "a long enough password").await;
    let here = "http://debrief.test";
    let path = format!("/postmortems/{}", created.id);
    let page = browser.get(&format!("{path}/edit")).await;
    assert!(
        page.body.contains(r#"formaction="/postmortems/"#),
        "a Preview button"
    );
    assert!(
        page.body.contains("<dt>who-question</dt>"),
        "the rules' explanations"
    );
    let text = "---\ntitle: Queue stalled\ndate: 2026-06-14\n---\n\n## Summary\n\n\
                Down for *an hour*.<script>alert(1)</script>\n";
    let form = [("version", "1"), ("markdown", text), ("note", "")];
    let page = browser.post(&format!("{path}/preview"), &form, here).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let preview = page
        .body
        .split(r#"<div id="preview">"#)
        .nth(1)
        .expect("preview");
    assert!(
        preview.contains(r#"<h2 id="section-0">Summary</h2>"#),
        "{preview}"
    );
    assert!(preview.contains("<em>an hour</em>"));
    assert!(!page.body.contains("<script>alert"), "sanitised");
    assert!(
        editor_text(&page.body).contains("Down for *an hour*."),
        "the text stays"
    );
    let fragment = browser
        .post(&format!("{path}/preview?fragment=1"), &form, here)
        .await;
    assert!(fragment.body.starts_with("<article>"), "{}", fragment.body);
    assert!(!fragment.body.contains("<html"));
    assert_eq!(
        test.store
            .postmortem(&sre, created.id)
            .await
            .expect("read")
            .version,
        1,
        "nothing saved"
    );
    let refused = browser
        .post(&format!("{path}/preview"), &form, "http://evil.example")
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    test.finish().await;
}

#[tokio::test]
async fn two_people_edit_at_once_and_nothing_typed_is_lost() {
    let test = common::sqlite().await;
    let (_, created) = queue_stalled(&test.store, "ops", "Ops").await;
    let here = "http://debrief.test";
    let edit = format!("/postmortems/{}/edit", created.id);
    let (mut mine, mut theirs) = (Browser::new(&test.store), Browser::new(&test.store));
    mine.sign_in("sre", "a long enough password").await;
    theirs.sign_in("ops", "a long enough password").await;
    let mut base = String::new();
    for b in [&mut mine, &mut theirs] {
        let page = b.get(&edit).await;
        assert!(page.body.contains("name=\"version\" value=\"1\""));
        base = editor_text(&page.body);
    }
    assert!(base.contains("Down."), "{base}");
    let their_text = base.replace("Queue stalled", "Queue stalled for an hour");
    let page = theirs
        .post(
            &edit,
            &[
                ("version", "1"),
                ("markdown", &their_text),
                ("note", "duration"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let my_text = format!("{base}\n## Impact\n\nNine thousand e-mails late.\n");
    let page = mine
        .post(
            &edit,
            &[("version", "1"), ("markdown", &my_text), ("note", "impact")],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.body.contains("Nine thousand e-mails late."),
        "my text is lost"
    );
    assert!(
        page.body.contains("Queue stalled for an hour"),
        "their change is shown: {}",
        page.body
    );
    assert!(page.body.contains("name=\"version\" value=\"2\""));
    // The changes touch different lines: the editor holds both, and my text stays apart.
    let editor = editor_text(&page.body);
    assert!(
        editor.contains("Queue stalled for an hour")
            && editor.contains("Nine thousand e-mails late."),
        "{editor}"
    );
    assert!(page.body.contains("the editor below holds both, merged"));
    assert!(
        page.body
            .contains(r#"<textarea id="typed" rows="12" readonly>"#)
    );
    let page = mine
        .post(
            &edit,
            &[("version", "2"), ("markdown", &editor), ("note", "impact")],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    // Both change the same line: my text stays in the editor, as typed.
    let saved = editor_text(&theirs.get(&edit).await.body);
    let page = theirs
        .post(
            &edit,
            &[
                ("version", "3"),
                ("markdown", &saved.replace("Down.", "Down for 61 minutes.")),
                ("note", "exact"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mine_again = saved.replace("Down.", "Down for about an hour.");
    let page = mine
        .post(
            &edit,
            &[
                ("version", "3"),
                ("markdown", &mine_again),
                ("note", "about"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("You and they changed the same lines"));
    assert!(editor_text(&page.body).contains("Down for about an hour."));
    assert!(page.body.contains("name=\"version\" value=\"4\""));

    let history = format!("/postmortems/{}/history?from=1&to=3", created.id);
    let page = mine.get(&history).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("+Nine thousand e-mails late."));
    assert!(page.body.contains("<td>duration</td>") && page.body.contains("<td>impact</td>"));
    assert_eq!(
        mine.get(&format!("/postmortems/{}/history?from=1&to=9", created.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    test.finish().await;
}

#[tokio::test]
async fn a_finding_is_explained_and_its_safe_fix_applied_in_one_click() {
    let test = common::sqlite().await;
    let sre = common::user(&test.store, "sre", "SRE", Role::Contributor).await;
    let created = test
        .store
        .create_postmortem(
            &sre,
            "---\ntitle: Bad deploy\ndate: 2026-06-14\n---\n\n## Summary\n\nA config push broke \
             checkout. Who approved the change?\n",
        )
        .await
        .expect("created");
    let mut browser = Browser::new(&test.store);
    browser.sign_in("sre", "a long enough password").await;
    let path = format!("/postmortems/{}", created.id);
    let page = browser.get(&path).await;
    assert!(
        page.body.contains("<details><summary>Why:"),
        "no explanation"
    );
    let form = page
        .body
        .find(&format!("action=\"{path}/fix\""))
        .expect("a fix form");
    let field = |name: &str| -> String {
        let key = format!("name=\"{name}\" value=\"");
        let at = page.body[form..].find(&key).expect("field") + form + key.len();
        page.body[at..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let (version, rule, start) = (field("version"), field("rule"), field("start"));
    assert_eq!(rule, "who-question");
    let fixed = browser
        .post(
            &format!("{path}/fix"),
            &[("version", &version), ("rule", &rule), ("start", &start)],
            "http://debrief.test",
        )
        .await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);
    assert!(fixed.body.contains("Fixed:") && fixed.body.contains("version 2"));
    let markdown = test
        .store
        .postmortem(&sre, created.id)
        .await
        .expect("postmortem")
        .markdown;
    assert!(!markdown.contains("Who approved"), "{markdown}");
    assert!(markdown.contains("How"), "{markdown}");
    // The same click again: the finding is gone, and nothing changes.
    let again = browser
        .post(
            &format!("{path}/fix"),
            &[("version", "2"), ("rule", &rule), ("start", &start)],
            "http://debrief.test",
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    test.finish().await;
}

#[tokio::test]
async fn the_feed_lists_what_was_published_to_whoever_may_see_it() {
    let test = common::sqlite().await;
    let accounts = demo::seed(&test.store).await.expect("seeded");
    let viewer = accounts
        .iter()
        .find(|a| a.username == "viewer")
        .expect("viewer");
    let mut anonymous = Browser::new(&test.store);
    assert_eq!(
        anonymous.get("/feed.atom").await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut browser = Browser::new(&test.store);
    browser.sign_in("viewer", &viewer.password).await;
    let feed = browser.get("/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("application/atom+xml")
    );
    assert!(feed.body.starts_with("<?xml"));
    assert!(
        feed.body
            .contains("<title>Checkout errors after a cache configuration change</title>")
    );
    assert!(feed.body.contains("Payment provider timeouts"));
    assert!(
        !feed.body.contains("Search latency"),
        "a draft is in the feed"
    );
    assert!(feed.body.contains("<id>http://debrief.test/postmortems/"));
    // A feed reader sends a token instead of a cookie.
    let user = test.store.user("viewer").await.expect("user");
    let token = test
        .store
        .create_token(&user, "reader")
        .await
        .expect("token");
    let request = Request::builder()
        .uri("/feed.atom")
        .header(header::HOST, "debrief.test")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let answer = anonymous
        .app
        .clone()
        .oneshot(request)
        .await
        .expect("answer");
    assert_eq!(answer.status(), StatusCode::OK);
    test.finish().await;
}

#[tokio::test]
async fn the_review_respects_restriction_and_filters_by_team_and_dates() {
    let test = common::sqlite().await;
    let accounts = demo::seed(&test.store).await.expect("seeded");
    let password = |name: &str| password_of(&accounts, name);
    let mut admin = Browser::new(&test.store);
    admin.sign_in("admin", &password("admin")).await;
    let page = admin.get("/review").await;
    assert_eq!(page.status, StatusCode::OK);
    // The five written for the demo and the draft the alerting opened.
    assert!(page.body.contains("you may see: 6."), "{}", page.body);
    assert!(page.body.contains("<svg"), "no chart");
    let mut viewer = Browser::new(&test.store);
    viewer.sign_in("viewer", &password("viewer")).await;
    let page = viewer.get("/review").await;
    assert!(page.body.contains("you may see: 5."));
    assert!(!page.body.contains("API token printed"));
    let page = viewer.get("/review?from=2026-06-01&to=2026-06-30").await;
    assert!(page.body.contains("you may see: 1."), "{}", page.body);
    let page = viewer.get("/review?team=notifications").await;
    assert!(page.body.contains("you may see: 1."), "{}", page.body);
    let page = viewer.get("/review?from=June").await;
    assert!(page.body.contains("From must be a day"));
    test.finish().await;
}

#[tokio::test]
async fn an_admin_adds_people_and_changes_roles_but_never_removes_the_last_admin() {
    let test = common::sqlite().await;
    common::user(&test.store, "admin", "SRE", Role::Admin).await;
    common::user(&test.store, "dev", "Dev", Role::Contributor).await;
    let here = "http://debrief.test";
    let mut dev = Browser::new(&test.store);
    dev.sign_in("dev", "a long enough password").await;
    assert_eq!(dev.get("/admin").await.status, StatusCode::NOT_FOUND);
    let page = dev
        .post(
            "/admin/people",
            &[
                ("username", "dev"),
                ("role", "admin"),
                ("function", "Dev"),
                ("active", "yes"),
            ],
            here,
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::NOT_FOUND,
        "a contributor made themselves admin"
    );

    let mut admin = Browser::new(&test.store);
    admin.sign_in("admin", "a long enough password").await;
    let page = admin.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Settings in effect"));
    let page = admin
        .post(
            "/admin/users",
            &[
                ("username", "newbie"),
                ("function", "Product"),
                ("team", "payments"),
                ("role", "contributor"),
                ("password", "a long enough password"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("newbie can sign in now"));
    assert!(page.body.contains("user.add"), "the audit log");
    let mut newbie = Browser::new(&test.store);
    assert_eq!(
        newbie
            .sign_in("newbie", "a long enough password")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = admin
        .post(
            "/admin/people",
            &[
                ("username", "newbie"),
                ("role", "viewer"),
                ("function", "Support"),
                ("team", ""),
                ("active", "yes"),
            ],
            here,
        )
        .await;
    assert!(
        page.body.contains("newbie is viewer, Support; active."),
        "{}",
        page.body
    );
    let newbie_now = test.store.user("newbie").await.expect("user");
    assert_eq!(
        (
            newbie_now.role,
            newbie_now.function.as_str(),
            newbie_now.team
        ),
        (Role::Viewer, "Support", None)
    );
    assert!(page.body.contains("<h2>Teams</h2>"));
    // Deactivated: signed out at once, and the page says so.
    let page = admin
        .post(
            "/admin/people",
            &[
                ("username", "newbie"),
                ("role", "viewer"),
                ("function", "Support"),
                ("active", "no"),
            ],
            here,
        )
        .await;
    assert!(
        page.body.contains("deactivated: signed out everywhere"),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"<tr class="inactive">"#));
    assert_eq!(
        newbie.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the session ends"
    );
    assert_eq!(
        newbie
            .sign_in("newbie", "a long enough password")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let page = admin
        .post(
            "/admin/people",
            &[
                ("username", "admin"),
                ("role", "viewer"),
                ("function", "SRE"),
                ("active", "yes"),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("last admin"));
    test.finish().await;
}

#[tokio::test]
async fn failed_jobs_are_listed_for_admins_and_retried() {
    let test = common::sqlite().await;
    common::user(&test.store, "admin", "SRE", Role::Admin).await;
    common::user(&test.store, "dev", "Dev", Role::Contributor).await;
    let mut admin = Browser::new(&test.store);
    admin.sign_in("admin", "a long enough password").await;
    let page = admin.get("/admin").await;
    assert!(page.body.contains("No job has failed for good."));
    let now = test.store.clock().now();
    test.store
        .enqueue("tracker.create", "pm:7:item:0", "{}", now)
        .await
        .expect("enqueue");
    let job = test
        .store
        .take_jobs("test", 1, 60)
        .await
        .expect("take")
        .remove(0);
    test.store
        .fail_job(
            "test",
            job.id,
            &debrief_server::store::Failure::Permanent("422: Validation Failed".into()),
        )
        .await
        .expect("fail");
    let page = admin.get("/admin").await;
    assert!(page.body.contains("pm:7:item:0") && page.body.contains("422: Validation Failed"));
    let here = "http://debrief.test";
    let id = job.id.to_string();
    let page = admin.post("/admin/jobs/retry", &[("job", &id)], here).await;
    assert!(
        page.body.contains("The job is queued again"),
        "{}",
        page.body
    );
    assert!(page.body.contains("No job has failed for good."));
    let page = admin.post("/admin/jobs/retry", &[("job", &id)], here).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut dev = Browser::new(&test.store);
    dev.sign_in("dev", "a long enough password").await;
    assert_eq!(
        dev.post("/admin/jobs/retry", &[("job", &id)], here)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    test.finish().await;
}

#[tokio::test]
async fn my_work_is_what_i_take_part_in_and_what_waits_for_my_function() {
    let test = common::sqlite().await;
    let accounts = demo::seed(&test.store).await.expect("seeded");
    let password = |name: &str| password_of(&accounts, name);
    // The section of the home page a title is listed in.
    let section_of = |body: &str, title: &str| -> String {
        let at = body
            .find(title)
            .unwrap_or_else(|| panic!("{title} not listed"));
        let heading = body[..at].rfind("<h2>").expect("a section");
        body[heading + 4..]
            .split("</h2>")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let mut responder = Browser::new(&test.store);
    responder.sign_in("responder", &password("responder")).await;
    let home = responder.get("/").await;
    assert_eq!(
        section_of(&home.body, "Order confirmation e-mails delayed"),
        "Yours",
        "the facilitator's own postmortem"
    );
    let mut product = Browser::new(&test.store);
    product.sign_in("product", &password("product")).await;
    let home = product.get("/").await;
    assert_eq!(
        section_of(&home.body, "Order confirmation e-mails delayed"),
        "Waiting for your function's view"
    );
    assert_eq!(
        section_of(
            &home.body,
            "Checkout errors after a cache configuration change"
        ),
        "Recently published"
    );
    assert!(
        home.body
            .contains("No open action item names you (or your team) as its owner."),
        "product owns no item"
    );

    // Action items by owner: `@responder` by username, the earliest due first, past due in red.
    let home = responder.get("/").await;
    assert_eq!(
        section_of(&home.body, "Alert when cache connections exceed 80"),
        "Your action items"
    );
    assert!(
        home.body
            .contains(r#"<span class="overdue">2026-07-01 (overdue)</span>"#),
        "{}",
        home.body
    );
    let mut developer = Browser::new(&test.store);
    developer.sign_in("developer", &password("developer")).await;
    let home = developer.get("/").await;
    assert_eq!(
        section_of(&home.body, "Give every alert silence an expiry"),
        "Your action items"
    );
    assert!(!home.body.contains("Alert when cache connections exceed 80"));

    // The list filters by the team the front matter names.
    let list = developer.get("/postmortems?team=Platform").await;
    assert!(
        list.body
            .contains("Checkout errors after a cache configuration change")
    );
    assert!(!list.body.contains("Order confirmation e-mails delayed"));
    assert!(list.body.contains(r#"name="team" value="Platform""#));
    assert!(
        list.body
            .contains(r#"<script src="/assets/search.js" defer>"#)
    );
    // Search as you type asks for the results alone.
    let results = developer
        .get("/postmortems?team=Platform&q=cache&fragment=1")
        .await;
    assert_eq!(results.status, StatusCode::OK);
    assert!(!results.body.contains("<html") && !results.body.contains("<form"));
    assert!(results.body.contains("<mark>"), "{}", results.body);
    let script = developer.get("/assets/search.js").await;
    assert_eq!(
        script
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes()),
        Some(&b"text/javascript; charset=utf-8"[..])
    );
    test.finish().await;
}

#[tokio::test]
async fn an_untracked_item_is_sent_to_its_tracker_from_the_page() {
    let test = common::sqlite().await;
    let config = "[trackers.platform]\nkind = \"github\"\nurl = \"http://127.0.0.1:9\"\n\
                  project = \"acme/platform\"\ntoken_env = \"UNUSED\"\ndefault = true\n";
    let store = test.store.clone().with_policy(debrief_server::Policy {
        trackers: debrief_trackers::Trackers::from_toml(config).expect("valid"),
        ..debrief_server::Policy::default()
    });
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    common::user(&store, "viewer", "Support", Role::Viewer).await;
    let created = store
        .create_postmortem(
            &admin,
            "# Outage\n\n## Action items\n\n- [ ] Alert on saturation (owner: @sre, due: 2026-07-01)\n\
             - [ ] Rotate keys (owner: @sec, due: 2026-07-01, tracker: https://github.example/acme/platform/issues/4)\n",
        )
        .await
        .expect("created");
    let id = created.id.to_string();
    let mut browser = Browser::new(&store);
    browser.sign_in("admin", "a long enough password").await;
    let page = browser.get(&format!("/postmortems/{id}")).await;
    assert!(page.body.contains("Not yet in platform"), "{}", page.body);
    let settings = browser.get("/admin").await;
    assert!(
        settings.body.contains(
            "platform: github acme/platform at http://127.0.0.1:9, the default; token in UNUSED (NOT SET)"
        ),
        "{}",
        settings.body
    );
    assert!(settings.body.contains("off: no [notify] in debrief.toml"));
    assert!(page.body.contains("Send to platform"));
    // The tracked item shows its issue by its key, linked.
    assert!(
        page.body.contains(
            "<a href=\"https://github.example/acme/platform/issues/4\">acme/platform#4</a>"
        ),
        "{}",
        page.body
    );
    let here = "http://debrief.test";
    let sent = browser
        .post(&format!("/postmortems/{id}/track"), &[("item", "1")], here)
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(
        sent.body
            .contains("Action item 1 is on its way to platform")
    );
    assert_eq!(store.job_counts().await.expect("counts").queued, 1);
    // Tracked already, or no such item: said, nothing queued.
    let again = browser
        .post(&format!("/postmortems/{id}/track"), &[("item", "2")], here)
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("tracked already"), "{}", again.body);
    assert_eq!(
        browser
            .post(&format!("/postmortems/{id}/track"), &[("item", "9")], here)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A viewer sees no button and cannot send.
    let mut viewer = Browser::new(&store);
    viewer.sign_in("viewer", "a long enough password").await;
    assert!(
        !viewer
            .get(&format!("/postmortems/{id}"))
            .await
            .body
            .contains("Send to platform")
    );
    assert_ne!(
        viewer
            .post(&format!("/postmortems/{id}/track"), &[("item", "1")], here)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(store.job_counts().await.expect("counts").queued, 1);
    test.finish().await;
}

#[tokio::test]
async fn proposed_entries_are_accepted_or_dropped_from_the_page() {
    let test = common::sqlite().await;
    let store = test.store.clone();
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    common::user(&store, "viewer", "Support", Role::Viewer).await;
    let created = store
        .create_postmortem(
            &admin,
            "---\ntimezone: Europe/Oslo\n---\n# Outage\n\n## Timeline\n\n\
             - 2026-06-14 10:00 [started] Error rate rises\n",
        )
        .await
        .expect("created");
    let id = created.id;
    let entry = |minute: i8, text: &str, milestone, source: &str| debrief_import::Entry {
        at: jiff::civil::date(2026, 6, 14)
            .at(8, minute, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .expect("an instant")
            .timestamp(),
        text: text.to_string(),
        milestone,
        source: debrief_import::Source {
            system: "slack",
            id: source.to_string(),
            link: Some(format!("https://acme.slack.com/archives/C1/p{source}")),
        },
    };
    use debrief_core::model::Milestone;
    let entries = [
        entry(
            5,
            "The on-call engineer rolls back the deploy",
            Some(Milestone::Mitigated),
            "1",
        ),
        entry(
            1,
            "A second alert <b>fires</b>",
            Some(Milestone::Started),
            "2",
        ),
    ];
    assert_eq!(
        store
            .propose_entries(&admin, id, &entries)
            .await
            .expect("proposed"),
        2
    );
    assert_eq!(
        store
            .propose_entries(&admin, id, &entries)
            .await
            .expect("again"),
        0
    );

    let mut browser = Browser::new(&store);
    browser.sign_in("admin", "a long enough password").await;
    let page = browser.get(&format!("/postmortems/{id}")).await;
    assert!(
        page.body.contains("Proposed timeline entries"),
        "{}",
        page.body
    );
    // In the document's zone; markup in a record is text; a milestone the timeline has
    // already is not offered.
    assert!(
        page.body.contains("2026-06-14 10:05:00 Europe/Oslo"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<b>fires</b>"), "{}", page.body);
    let section = &page.body[page
        .body
        .find("<section class=\"proposals\"")
        .expect("the list")..];
    let section = &section[..section.find("</section>").expect("its end")];
    assert_eq!(
        section.matches("class=\"milestone\">mitigated").count(),
        1,
        "{section}"
    );
    assert!(
        !section.contains("class=\"milestone\">started"),
        "{section}"
    );
    let proposals = store.proposals(&admin, id).await.expect("listed");
    let (second_alert, rollback) = (proposals[0].id, proposals[1].id);

    let here = "http://debrief.test";
    let path = format!("/postmortems/{id}/proposals");
    let accepted = browser
        .post(
            &path,
            &[("proposal", &*rollback.to_string()), ("decision", "accept")],
            here,
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert!(
        accepted.body.contains("joined the timeline (version 2)"),
        "{}",
        accepted.body
    );
    let markdown = store.postmortem(&admin, id).await.expect("read").markdown;
    assert!(
        markdown.contains("- 10:05 [mitigated] The on-call engineer rolls back the deploy ([Slack](https://acme.slack.com/archives/C1/p1))"),
        "{markdown}"
    );
    // Decided already (another tab): said, nothing written.
    let twice = browser
        .post(
            &path,
            &[("proposal", &*rollback.to_string()), ("decision", "drop")],
            here,
        )
        .await;
    assert_eq!(
        twice.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        twice.body
    );
    assert!(
        twice.body.contains("This entry was accepted already"),
        "{}",
        twice.body
    );
    // A viewer sees the list without buttons and cannot decide; another site cannot either.
    let mut viewer = Browser::new(&store);
    viewer.sign_in("viewer", "a long enough password").await;
    let seen = viewer.get(&format!("/postmortems/{id}")).await;
    assert!(seen.body.contains("A second alert"), "{}", seen.body);
    assert!(!seen.body.contains("value=\"accept\""), "{}", seen.body);
    let refused = viewer
        .post(
            &path,
            &[
                ("proposal", &*second_alert.to_string()),
                ("decision", "accept"),
            ],
            here,
        )
        .await;
    assert_ne!(refused.status, StatusCode::OK);
    let forged = browser
        .post(
            &path,
            &[
                ("proposal", &*second_alert.to_string()),
                ("decision", "accept"),
            ],
            "http://evil.example",
        )
        .await;
    assert_ne!(forged.status, StatusCode::OK);
    let dropped = browser
        .post(
            &path,
            &[
                ("proposal", &*second_alert.to_string()),
                ("decision", "drop"),
            ],
            here,
        )
        .await;
    assert!(dropped.body.contains("was left out"), "{}", dropped.body);
    assert!(
        !dropped.body.contains("Proposed timeline entries"),
        "{}",
        dropped.body
    );
    assert_eq!(store.postmortem(&admin, id).await.expect("read").version, 2);
    test.finish().await;
}

#[tokio::test]
async fn a_slack_channel_is_imported_from_the_page() {
    let test = common::sqlite().await;
    let store = test.store.clone();
    let admin = common::user(&store, "admin", "SRE", Role::Admin).await;
    let created = store
        .create_postmortem(&admin, "# Checkout errors\n")
        .await
        .expect("created");
    let path = format!("/postmortems/{}", created.id);
    let mut browser = Browser::new(&store);
    browser.sign_in("admin", "a long enough password").await;
    let page = browser.get(&path).await;
    assert!(
        page.body.contains("Import a Slack channel"),
        "{}",
        page.body
    );
    // The export first, the fields after: any order is read.
    let form = |export: &[u8], channel: &str, reaction: &str, from: &str| {
        let mut body =
            b"--b\r\nContent-Disposition: form-data; name=\"export\"; filename=\"export.zip\"\r\n\
            Content-Type: application/zip\r\n\r\n"
                .to_vec();
        body.extend_from_slice(export);
        for (name, value) in [
            ("channel", channel),
            ("reaction", reaction),
            ("from", from),
            ("to", ""),
        ] {
            body.extend_from_slice(
                format!(
                    "\r\n--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(b"\r\n--b--\r\n");
        body
    };
    let export = common::slack_export();
    let page = browser
        .upload(
            &format!("{path}/imports/slack"),
            form(&export, "#inc-2041-checkout", ":white_check_mark:", ""),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("#inc-2041-checkout: "), "{}", page.body);
    assert!(
        page.body.contains("Proposed timeline entries"),
        "{}",
        page.body
    );
    let proposed = store
        .proposals(&admin, created.id)
        .await
        .expect("listed")
        .len();
    assert!(proposed > 0);
    // Mistakes are said on the page, nothing proposed.
    for (body, says) in [
        (
            form(b"not a zip", "inc-2041-checkout", "", ""),
            "the export",
        ),
        (form(&export, "nope", "", ""), "inc-2041-checkout"),
        (
            form(&export, "inc-2041-checkout", "", "last tuesday"),
            "is not a date and time",
        ),
        (form(&export, "", "", ""), "name the channel"),
    ] {
        let page = browser.upload(&format!("{path}/imports/slack"), body).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{says}: {}",
            page.body
        );
        assert!(page.body.contains(says), "{says}: {}", page.body);
    }
    assert_eq!(
        store
            .proposals(&admin, created.id)
            .await
            .expect("listed")
            .len(),
        proposed
    );
    test.finish().await;
}

#[tokio::test]
async fn the_rules_page_explains_every_rule_under_its_id_to_anyone() {
    let test = common::sqlite().await;
    let mut anonymous = Browser::new(&test.store);
    let page = anonymous.get("/rules").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for rule in debrief_lint::RULES {
        let id = rule.id.as_str();
        assert!(page.body.contains(&format!("<section id=\"{id}\"")), "{id}");
    }
    assert!(page.body.contains("debrief-disable-next-line"));
    test.finish().await;
}

#[tokio::test]
async fn each_person_chooses_how_reminders_reach_them() {
    let test = common::sqlite().await;
    let dev = common::user(&test.store, "dev", "Dev", Role::Contributor).await;
    let mut browser = Browser::new(&test.store);
    browser.sign_in("dev", "a long enough password").await;
    let page = browser.get("/account").await;
    assert!(page.body.contains("<h2>Reminders</h2>"), "{}", page.body);
    let here = "http://debrief.test";
    let refused = browser
        .post(
            "/account/reminders",
            &[("channel", "slack"), ("email", ""), ("slack_webhook", "")],
            here,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("need the URL of an incoming webhook"),
        "{}",
        refused.body
    );
    let bad = browser
        .post(
            "/account/reminders",
            &[
                ("channel", "email"),
                ("email", "not an address"),
                ("slack_webhook", ""),
            ],
            here,
        )
        .await;
    assert!(
        bad.body.contains("is not an e-mail address"),
        "{}",
        bad.body
    );
    let saved = browser
        .post(
            "/account/reminders",
            &[
                ("channel", "email"),
                ("email", "dev@acme.example"),
                ("slack_webhook", ""),
            ],
            here,
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("Your reminder settings are saved."));
    assert!(saved.body.contains("value=\"dev@acme.example\""));
    let settings = test
        .store
        .notification_settings(&dev)
        .await
        .expect("settings");
    assert_eq!(settings.email.as_deref(), Some("dev@acme.example"));
    // From another site: refused, nothing changed.
    let forged = browser
        .post(
            "/account/reminders",
            &[("channel", "none")],
            "https://evil.example",
        )
        .await;
    assert_ne!(forged.status, StatusCode::OK);
    assert_eq!(
        test.store
            .notification_settings(&dev)
            .await
            .expect("settings")
            .channel,
        debrief_server::store::reminders::Channel::Email
    );
    test.finish().await;
}

/// What a page computed is kept only while the store is unchanged: every change made
/// elsewhere (another instance, the command line) shows on the next view here; a restricted
/// postmortem a member viewed stays hidden from an outsider; and the clock moves on between
/// two changes (the 48-hour countdown, what is overdue).
#[tokio::test]
async fn kept_pages_follow_every_change_made_anywhere() {
    let sqlite = common::sqlite().await;
    kept_pages_on(&sqlite).await;
    sqlite.finish().await;
    if let Some(postgres) = common::postgres("kept_pages_follow_every_change_made_anywhere").await {
        kept_pages_on(&postgres).await;
        postgres.finish().await;
    }
}

async fn kept_pages_on(test: &common::TestStore) {
    const START: i64 = 1_780_000_000;
    const HOUR: i64 = 3600;
    let now = Arc::new(AtomicI64::new(START));
    let clock = {
        let now = now.clone();
        debrief_server::Clock::from_fn(move || now.load(Ordering::SeqCst))
    };
    // Two instances of one store: this one serves the pages, the other (its own connections)
    // makes the changes.
    let here = test.store.clone().with_clock(clock.clone());
    let url = test.url.as_deref().expect("a URL");
    let elsewhere = Store::connect(url)
        .await
        .expect("second instance")
        .with_clock(clock);
    let (sre, created) = queue_stalled(&elsewhere, "pm", "Product").await;
    let mut browser = Browser::of(AppState::new(here.clone(), HttpConfig::default()));
    browser.sign_in("sre", "a long enough password").await;
    let path = format!("/postmortems/{}", created.id);
    let before = browser.get(&path).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("due within 2 days"), "{}", before.body);
    assert_eq!(browser.get(&path).await.body, before.body, "viewed again");

    // A comment, a contribution, a new version and a new person, each made elsewhere.
    elsewhere
        .comment(
            &sre,
            created.id,
            "section:Summary",
            "Is the retry budget per queue?",
        )
        .await
        .expect("comment");
    let page = browser.get(&path).await;
    assert!(
        page.body.contains("Is the retry budget per queue?"),
        "{}",
        page.body
    );
    let new = debrief_server::store::NewContribution {
        kind: debrief_server::store::ContributionKind::Observation,
        body: "The dashboard showed the queue depth only per hour.",
        happened_at: None,
        url: None,
        file: None,
        anonymous: true,
    };
    elsewhere
        .contribute(&sre, created.id, &new)
        .await
        .expect("contribution");
    assert!(
        browser
            .get(&path)
            .await
            .body
            .contains("queue depth only per hour")
    );
    elsewhere
        .update_postmortem(
            &sre,
            created.id,
            created.version,
            "---\ntitle: Queue stalled for an hour\ndate: 2026-06-14\n---\n\n## Summary\n\nDown.\n",
            "title",
        )
        .await
        .expect("new version");
    assert!(
        browser
            .get(&path)
            .await
            .body
            .contains("Queue stalled for an hour")
    );
    let list = browser.get("/postmortems").await;
    assert!(
        list.body.contains("Queue stalled for an hour"),
        "{}",
        list.body
    );
    let found = browser.get("/postmortems?q=stalled").await;
    assert!(
        found.body.contains("Queue stalled for an hour"),
        "{}",
        found.body
    );
    common::user(&elsewhere, "newcomer", "Dev", Role::Contributor).await;
    let page = browser.get(&path).await;
    assert!(
        page.body.contains(r#"<option value="newcomer">"#),
        "{}",
        page.body
    );

    // The clock moves on with no change to the store: the countdown, then overdue.
    now.store(START + 49 * HOUR, Ordering::SeqCst);
    let page = browser.get(&path).await;
    assert!(page.body.contains("overdue by 1 h"), "{}", page.body);
    for list in ["/postmortems", "/", "/postmortems?q=stalled"] {
        let page = browser.get(list).await;
        assert!(
            page.body.contains("assignment overdue"),
            "{list}: {}",
            page.body
        );
    }

    // Restricted elsewhere after a member's view here: an outsider finds it nowhere.
    common::user(&elsewhere, "outsider", "Support", Role::Contributor).await;
    let mut outsider = Browser::of(AppState::new(here.clone(), HttpConfig::default()));
    outsider.sign_in("outsider", "a long enough password").await;
    assert_eq!(outsider.get(&path).await.status, StatusCode::OK);
    let current = elsewhere.postmortem(&sre, created.id).await.expect("read");
    elsewhere
        .update_postmortem(
            &sre,
            created.id,
            current.version,
            "---\ntitle: Queue stalled for an hour\ndate: 2026-06-14\nrestricted: true\n---\n\n## Summary\n\nDown.\n",
            "restricted",
        )
        .await
        .expect("restricted");
    assert_eq!(browser.get(&path).await.status, StatusCode::OK, "a member");
    assert_eq!(outsider.get(&path).await.status, StatusCode::NOT_FOUND);
    for list in ["/postmortems", "/", "/postmortems?q=stalled"] {
        let page = outsider.get(list).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("Queue stalled"),
            "{list}: {}",
            page.body
        );
    }
    elsewhere.close().await;
}

/// The review meeting's page works with forms alone: the demo's meeting under way shows the
/// facilitator the redirect; a note, a refused draft and the end go through the page; a
/// meeting is scheduled from it, and a date it cannot read is said.
#[tokio::test]
async fn the_review_meeting_runs_from_its_page_without_javascript() {
    let test = common::sqlite().await;
    let accounts = demo::seed(&test.store).await.expect("seeded");
    let mut facilitator = Browser::new(&test.store);
    facilitator
        .sign_in("responder", &password_of(&accounts, "responder"))
        .await;
    let list = facilitator.get("/postmortems?status=in_review").await;
    let id = id_of(&list.body, "Order confirmation e-mails delayed");
    let path = format!("/postmortems/{id}/meeting");
    let change = format!("{path}/change");
    let here = "http://debrief.test";
    let page = facilitator.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Redirect:"), "{}", page.body);
    assert!(page.body.contains(r#"<script src="/assets/meeting.js">"#));
    assert!(
        page.body.contains("25 minutes from"),
        "the time box, without script"
    );

    let page = facilitator
        .post(
            &change,
            &[
                ("kind", "note"),
                ("about", "Timeline walk"),
                ("text", "The consumer logged nothing."),
            ],
            here,
        )
        .await;
    // Post, redirect, get: a reload does not send the note again.
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), format!("{path}#notes-heading"));
    let page = facilitator.get(&path).await;
    assert!(page.body.contains("The consumer logged nothing."));
    // The facilitator gives the part under way more time; the clock counts to it.
    let page = facilitator
        .post(
            &change,
            &[("kind", "time_box"), ("item", "1"), ("minutes", "40")],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = facilitator.get(&path).await;
    assert!(page.body.contains("40 minutes from"), "{}", page.body);
    let page = facilitator
        .post(
            &change,
            &[
                ("kind", "factor"),
                ("category", "Luck"),
                ("text", "Bad luck."),
            ],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("there is no factor category"),
        "{}",
        page.body
    );
    let page = facilitator
        .post(
            &change,
            &[("kind", "draft"), ("text", "Be more careful")],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("not yet an action item"),
        "{}",
        page.body
    );
    let page = facilitator.post(&change, &[("kind", "shout")], here).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("There is no change"));
    let page = facilitator
        .post(
            &change,
            &[("kind", "note"), ("text", "x")],
            "http://evil.example",
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "a form from elsewhere");

    let page = facilitator.post(&change, &[("kind", "end")], here).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = facilitator.get(&path).await;
    assert!(page.body.contains("The meeting has ended"), "{}", page.body);
    let postmortem = facilitator.get(&format!("/postmortems/{id}")).await;
    assert!(postmortem.body.contains("Review meeting"));
    assert!(postmortem.body.contains("reviewed"));
    assert!(
        postmortem.body.contains("class=\"fishbone\""),
        "the factors drawn"
    );

    // Scheduling from the page: a date it cannot read, then one it can.
    let drafts = facilitator.get("/postmortems?status=draft").await;
    let draft = id_of(
        &drafts.body,
        "Search latency during the nightly index rebuild",
    );
    let schedule = format!("/postmortems/{draft}/meeting");
    let page = facilitator
        .post(
            &schedule,
            &[("starts", "next tuesday"), ("minutes", "60")],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("is not a date and time"));
    let page = facilitator
        .post(
            &schedule,
            &[("starts", "2026-12-08T14:00"), ("minutes", "45")],
            here,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("The meeting is at 2026-12-08 14:00 UTC."),
        "{}",
        page.body
    );
    assert!(page.body.contains("45 minutes"));
    test.finish().await;
}
