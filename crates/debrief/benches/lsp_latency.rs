//! Latency from a change to its diagnostics in `debrief lsp`, on a postmortem of 50 KB, as an
//! editor sees it: the release binary on a pipe, one keystroke (an incremental change) at a
//! time, the clock stopped when the diagnostics of that version arrive.
//!
//! `cargo bench -p debrief --bench lsp_latency [-- CHANGES]` prints p50, p99 and the
//! slowest, with no debounce (the lint and the protocol) and with the default one (what a
//! person typing and pausing waits).

#[path = "../tests/common/lsp.rs"]
mod lsp;

use serde_json::json;
use std::time::{Duration, Instant};

/// The document: generated postmortems joined until 50 KB.
fn document() -> String {
    let mut text = debrief_testdata::postmortem(7);
    let mut seed = 8;
    while text.len() < 50 * 1024 {
        let more = debrief_testdata::postmortem(seed);
        // The body only: one front matter is enough.
        let body = more.splitn(3, "---\n").nth(2).unwrap_or(&more);
        text.push_str(body);
        seed += 1;
    }
    text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn session(text: &str, changes: usize, debounce_ms: Option<u64>) -> Vec<Duration> {
    let mut client = lsp::Client::start(env!("CARGO_BIN_EXE_debrief"));
    let options = debounce_ms.map_or(json!({}), |ms| json!({"debounceMs": ms}));
    client.request(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": options}),
    );
    client.notify("initialized", json!({}));
    let uri = "file:///bench/2026-06-14-payments.md";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    client.diagnostics(uri, 1);
    // Typing at the end of the first line of the body, a character at a time.
    let line = text.lines().position(|l| l.starts_with("## ")).unwrap_or(0) + 2;
    let mut times = Vec::with_capacity(changes);
    for n in 0..changes {
        let version = i64::try_from(n).unwrap_or(0) + 2;
        let change = if n % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "x"})
        } else {
            json!({"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}}, "text": ""})
        };
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        client.diagnostics(uri, version);
        times.push(started.elapsed());
    }
    client.request("shutdown", serde_json::Value::Null);
    client.notify("exit", serde_json::Value::Null);
    let _ = client.child.wait();
    times
}

fn main() {
    let changes = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(300);
    let text = document();
    println!(
        "debrief lsp: {changes} changes to a postmortem of {} bytes ({} lines)",
        text.len(),
        text.lines().count()
    );
    for (label, debounce) in [("no debounce", Some(0)), ("default debounce", None)] {
        let mut times = session(&text, changes, debounce);
        times.sort();
        println!(
            "  {label:<17} change to diagnostics: p50 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
            percentile(&times, 0.50).as_secs_f64() * 1000.0,
            percentile(&times, 0.99).as_secs_f64() * 1000.0,
            times.last().map_or(0.0, |t| t.as_secs_f64() * 1000.0),
        );
    }
}
