//! The published site in headless Chromium: `debrief publish` writes it, a small local
//! HTTP server serves it, and Chromium, driven through ChromeDriver's WebDriver protocol,
//! loads every page and finds a postmortem with the in-browser search.
//!
//! Needs Debian's `chromium` and `chromium-driver`; the test reads ChromeDriver's path
//! from `DEBRIEF_TEST_CHROMEDRIVER` (`.ci/run` sets it) and says SKIPPED when it is unset.

mod common;

use common::webdriver::{Browser, Driver};
use common::{debrief, tempdir, write};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

/// Serves the files of `root` over HTTP/1.1 on a free local port, one request per
/// connection, each connection on its own thread (Chromium opens connections ahead of its
/// requests, and an idle one must not hold up the rest), until the test ends.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    format!("http://{address}")
}

/// Answers one request with a file of `root`.
fn answer(mut stream: std::net::TcpStream, root: &Path) {
    let mut line = String::new();
    if BufReader::new(&stream).read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path
        .split('?')
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    let file = root.join(path);
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("atom") => "application/atom+xml",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn postmortem(title: &str, date: &str, summary: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nstatus: published\nseverity: SEV2\nservices: [checkout]\ntags: [capacity]\n---\n\n\
         ## Summary\n\n{summary}\n\n## Timeline (UTC)\n\n- 10:00 Error rate rises (problem started)\n\
         - 10:12 [detected] Alert fires\n- 10:40 [resolved] Rollback completes\n\n\
         ## Action items\n\n- [ ] Add retry budgets (owner: payments, due: 2026-07-01)\n"
    )
}

#[test]
fn the_published_site_loads_and_searches_in_chromium() {
    let Ok(chromedriver) = std::env::var("DEBRIEF_TEST_CHROMEDRIVER") else {
        eprintln!("SKIPPED the browser test: DEBRIEF_TEST_CHROMEDRIVER is not set");
        return;
    };
    let dir = tempdir();
    let tree = dir.path().join("postmortems");
    write(
        &tree.join("a.md"),
        postmortem(
            "Queue backlog",
            "2026-05-02",
            "Consumers stalled on a poison message.",
        ),
    );
    write(
        &tree.join("b.md"),
        postmortem(
            "Checkout 500 errors",
            "2026-06-14",
            "A migration dropped a column.",
        ),
    );
    write(
        &tree.join("c.md"),
        postmortem(
            "Ingress overload",
            "2026-06-20",
            "The ingress controller ran out of connections.",
        ),
    );
    let site = dir.path().join("site");
    debrief()
        .args([
            "publish",
            "--today",
            "2026-11-21",
            "--title",
            "Acme",
            "--out",
        ])
        .arg(&site)
        .arg(&tree)
        .assert()
        .success();
    let base = serve(site);
    let driver = Driver::start(&chromedriver);
    let profile = dir.path().join("profile");
    let browser = Browser::open(&driver, &profile);

    // Every page linked from the index loads, with its title.
    browser.go(&format!("{base}/index.html"));
    assert_eq!(browser.title(), "Postmortems · Acme");
    let links: Vec<String> = browser
        .find_all("table.postmortems a")
        .iter()
        .map(|a| browser.attribute(a, "href"))
        .collect();
    assert!(
        links.len() >= 9,
        "postmortems, services, tags, severities: {links:?}"
    );
    for link in &links {
        browser.go(link);
        let heading = browser.find_all("h1");
        assert_eq!(heading.len(), 1, "{link}");
        assert!(!browser.text(&heading[0]).is_empty(), "{link}");
    }
    browser.go(&format!(
        "{base}/postmortems/2026-06-14-checkout-500-errors.html"
    ));
    assert_eq!(
        browser.find_all("svg.timeline circle").len(),
        3,
        "started, detected, resolved"
    );
    browser.go(&format!("{base}/review.html"));
    assert!(browser.find_all("svg").len() >= 2, "the review's charts");

    // The search finds a postmortem by a word of its summary.
    browser.go(&format!("{base}/index.html"));
    let search = browser.find_all("#search");
    assert_eq!(search.len(), 1);
    browser.type_into(&search[0], "poison");
    let started = Instant::now();
    let found = loop {
        let hits: Vec<String> = browser
            .find_all("#results li a")
            .iter()
            .map(|a| browser.text(a))
            .collect();
        // Each keystroke rebuilds the list, so wait for it to settle on the answer.
        if hits == ["Queue backlog"] || started.elapsed() > Duration::from_secs(10) {
            break hits;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(found, ["Queue backlog"]);
}
