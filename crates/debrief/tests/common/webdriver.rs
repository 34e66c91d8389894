//! A WebDriver client for the browser tests: ChromeDriver driving headless Chromium, each
//! command a blocking call, so that a test reads as a script.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// ChromeDriver on a free port, stopped when dropped. Its client is async reqwest driven by
/// a small runtime, so that the test reads as a script.
pub struct Driver {
    child: Child,
    base: String,
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl Driver {
    pub fn start(chromedriver: &str) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            runtime,
            client: reqwest::Client::new(),
        };
        let started = Instant::now();
        while driver.call("GET", "/status", None).is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// A WebDriver command; `None` when the driver cannot be reached.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let url = format!("{}{path}", self.base);
        let client = &self.client;
        let request = match method {
            "GET" => client.get(url),
            "DELETE" => client.delete(url),
            _ => client.post(url).json(&body.unwrap_or_else(|| json!({}))),
        };
        self.runtime.block_on(async {
            let response = request.send().await.ok()?;
            response.json::<Value>().await.ok()
        })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser session.
pub struct Browser<'a> {
    driver: &'a Driver,
    session: String,
}

impl<'a> Browser<'a> {
    pub fn open(driver: &'a Driver, profile: &Path) -> Browser<'a> {
        let chromium =
            std::env::var("DEBRIEF_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let created = driver
            .call(
                "POST",
                "/session",
                Some(json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": chromium,
                        "args": ["--headless", "--no-sandbox", "--disable-gpu",
                                 "--disable-background-networking", "--disable-component-update",
                                 "--disable-sync", format!("--user-data-dir={}", profile.display())]
                    }
                }}})),
            )
            .expect("a new session");
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        Browser { driver, session }
    }

    pub fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let reply = self
            .driver
            .call(method, &format!("/session/{}{path}", self.session), body)
            .expect("chromedriver answers");
        reply["value"].clone()
    }

    pub fn go(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn title(&self) -> String {
        self.command("GET", "/title", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The elements a CSS selector finds, by WebDriver id.
    pub fn find_all(&self, css: &str) -> Vec<String> {
        self.elements("/elements", css)
    }

    /// The elements a CSS selector finds from `path` (the page, or inside an element).
    fn elements(&self, path: &str, css: &str) -> Vec<String> {
        let found = self.command(
            "POST",
            path,
            Some(json!({"using": "css selector", "value": css})),
        );
        found
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|e| e.as_object()?.values().next()?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn text(&self, element: &str) -> String {
        self.command("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn attribute(&self, element: &str, name: &str) -> String {
        self.command("GET", &format!("/element/{element}/attribute/{name}"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn type_into(&self, element: &str, text: &str) {
        self.command(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .call("DELETE", &format!("/session/{}", self.session), None);
    }
}

impl Browser<'_> {
    /// The elements a CSS selector finds inside `element`.
    pub fn find_all_in(&self, element: &str, css: &str) -> Vec<String> {
        self.elements(&format!("/element/{element}/elements"), css)
    }

    /// A property of an element (a field's `value`).
    pub fn property(&self, element: &str, name: &str) -> String {
        self.command("GET", &format!("/element/{element}/property/{name}"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Clicks an element.
    pub fn click(&self, element: &str) {
        self.command(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    /// Clears a field.
    pub fn clear(&self, element: &str) {
        self.command(
            "POST",
            &format!("/element/{element}/clear"),
            Some(json!({})),
        );
    }

    /// The first element a CSS selector finds; panics, naming it, when there is none.
    pub fn find(&self, css: &str) -> String {
        self.find_all(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {css} on {}", self.url()))
    }

    /// The page's address.
    pub fn url(&self) -> String {
        self.command("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The page's source.
    pub fn source(&self) -> String {
        self.command("GET", "/source", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Runs a script in the page, synchronously.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs a script that calls its last argument when done.
    pub fn execute_async(&self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Resizes the window.
    pub fn resize(&self, width: u32, height: u32) {
        self.command(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        );
    }

    /// A PNG of what the window shows.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.command("GET", "/screenshot", None);
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or(""))
            .unwrap_or_default()
    }
}

/// Signs in through the form.
pub fn sign_in(browser: &Browser<'_>, base: &str, name: &str, password: &str) {
    browser.go(&format!("{base}/login"));
    browser.type_into(&browser.find("#username"), name);
    browser.type_into(&browser.find("#password"), password);
    click_and_wait(browser, &browser.find("form.stacked button[type=submit]"));
    assert!(
        wait_for(browser, "form[action='/logout']"),
        "{name} is not signed in: {}",
        browser.url()
    );
}

/// Whether an element matching `css` appears within five seconds (a page may still be
/// loading after a click).
pub fn wait_for(browser: &Browser<'_>, css: &str) -> bool {
    for _ in 0..50 {
        if !browser.find_all(css).is_empty() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Clicks the submit button of the form posting to `action`, and waits for the next page.
pub fn submit(browser: &Browser<'_>, action: &str) {
    let button = browser.find(&format!("form[action='{action}'] button[type=submit]"));
    click_and_wait(browser, &button);
}

/// Clicks an element that leads to another page, and waits until that page has loaded.
pub fn click_and_wait(browser: &Browser<'_>, element: &str) {
    browser.execute("window.debriefOldPage = true; return true;", json!([]));
    browser.click(element);
    for _ in 0..100 {
        let loaded = browser.execute(
            "return window.debriefOldPage === undefined && document.readyState === 'complete';",
            json!([]),
        );
        if loaded == Value::Bool(true) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("no new page after the click on {}", browser.url());
}

/// Selects the option of `select` whose value is `value`.
pub fn choose(browser: &Browser<'_>, select: &str, value: &str) {
    browser.click(&browser.find(&format!("{select} option[value='{value}']")));
}

/// Replaces the text of a field.
pub fn replace(browser: &Browser<'_>, css: &str, text: &str) {
    let field = browser.find(css);
    browser.clear(&field);
    browser.type_into(&field, text);
}
