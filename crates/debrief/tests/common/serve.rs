//! A `debrief serve` process as a user runs it, with an admin and an API token.

use super::debrief;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A `debrief serve` process, killed if a test fails before stopping it.
pub struct Serve {
    pub child: Child,
    pub base: String,
}

impl Serve {
    pub fn start(data: &Path) -> Serve {
        Serve::start_with(data, &[], &[])
    }

    /// With more arguments and environment variables.
    pub fn start_with(data: &Path, args: &[&str], envs: &[(&str, &str)]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_debrief"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(args)
            .envs(envs.iter().copied())
            .env("DEBRIEF_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start debrief serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        reader.read_line(&mut line).expect("the listening line");
        // The rest of its output is read and dropped: a closed pipe would fail its writes,
        // a full one would block them.
        let mut stdout = reader.into_inner();
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        if let Some(mut stderr) = child.stderr.take() {
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        }
        let base = line
            .trim()
            .strip_prefix("debrief: listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Serve { child, base }
    }

    /// Sends SIGTERM and waits: the server must stop cleanly.
    pub fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait");
        assert!(exit.success(), "debrief serve exited with {exit}");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Logs in as `username` and creates an API token.
pub fn new_token(base: &str, username: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        // The binary's reqwest needs a crypto provider before a client is built.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let login = client
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"username": username, "password": "a long enough password"}))
            .send()
            .await
            .expect("login");
        assert!(login.status().is_success(), "login: {}", login.status());
        let cookie = login.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .expect("name=value")
            .to_string();
        let created: Value = client
            .post(format!("{base}/api/v1/tokens"))
            .header("cookie", cookie)
            .header("sec-fetch-site", "same-origin")
            .json(&json!({"name": "test"}))
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("json");
        created["token"].as_str().expect("token").to_string()
    })
}

pub fn add_admin(data: &Path) {
    debrief()
        .args([
            "user",
            "add",
            "admin",
            "--function",
            "SRE",
            "--role",
            "admin",
            "--data",
        ])
        .arg(data)
        .env("DEBRIEF_PASSWORD", "a long enough password")
        .assert()
        .success();
}
