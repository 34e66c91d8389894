//! How long a change in a review meeting takes to reach another participant's screen: the
//! measuring half of `scripts/bench-meeting.sh`.
//!
//! `debrief-meeting-latency --writer URL --reader URL --token TOKEN --postmortem ID
//! [--changes N]` opens the meeting's live stream on the reader instance as a browser would,
//! then makes N notes, one after another, on the writer instance, and times each from the
//! moment it is sent to the moment the reader's stream delivers it. It prints the count, p50,
//! p99 and the slowest, and exits 1 when a change never arrives (10 s) or arrives out of
//! order.

use anyhow::{Context, Result, bail};
use reqwest::Client;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

struct Args {
    writer: String,
    reader: String,
    token: String,
    postmortem: i64,
    changes: usize,
}

fn args() -> Result<Args> {
    let mut writer = None;
    let mut reader = None;
    let mut token = None;
    let mut postmortem = None;
    let mut changes = 300;
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--writer" => writer = Some(value),
            "--reader" => reader = Some(value),
            "--token" => token = Some(value),
            "--postmortem" => postmortem = Some(value.parse().context("--postmortem")?),
            "--changes" => changes = value.parse().context("--changes")?,
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(Args {
        writer: writer.context("--writer URL is needed")?,
        reader: reader.context("--reader URL is needed")?,
        token: token.context("--token TOKEN is needed")?,
        postmortem: postmortem.context("--postmortem ID is needed")?,
        changes,
    })
}

/// When each change arrived on the reader's stream, by `seq`.
#[derive(Default)]
struct Arrivals {
    at: Mutex<HashMap<i64, Instant>>,
    order: Mutex<Vec<i64>>,
    came: Notify,
}

#[tokio::main]
async fn main() -> Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = args()?;
    let client = Client::new();
    let meeting = format!("/api/v1/postmortems/{}/meeting", args.postmortem);
    let now: Value = client
        .get(format!("{}{meeting}", args.reader))
        .bearer_auth(&args.token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let after = now["last_change"].as_i64().unwrap_or(0);
    let mut stream = client
        .get(format!("{}{meeting}/live?after={after}", args.reader))
        .bearer_auth(&args.token)
        .send()
        .await?
        .error_for_status()
        .context("the live stream")?;
    let arrivals = Arc::new(Arrivals::default());
    let reading = {
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            let mut buffer = String::new();
            while let Ok(Some(bytes)) = stream.chunk().await {
                let at = Instant::now();
                buffer.push_str(&String::from_utf8_lossy(&bytes));
                while let Some(end) = buffer.find("\n\n") {
                    let frame: String = buffer.drain(..end + 2).collect();
                    let seq = frame
                        .lines()
                        .find_map(|line| line.strip_prefix("id:"))
                        .and_then(|id| id.trim().parse::<i64>().ok());
                    if let Some(seq) = seq {
                        if let Ok(mut map) = arrivals.at.lock() {
                            map.insert(seq, at);
                        }
                        if let Ok(mut order) = arrivals.order.lock() {
                            order.push(seq);
                        }
                        arrivals.came.notify_waiters();
                    }
                }
            }
        })
    };
    let mut latencies = Vec::with_capacity(args.changes);
    for n in 1..=args.changes {
        let sent = Instant::now();
        let made: Value = client
            .post(format!("{}{meeting}/changes", args.writer))
            .bearer_auth(&args.token)
            .json(&json!({"kind": "note", "about": "Timeline walk", "text": format!("Latency note {n}.")}))
            .send()
            .await?
            .error_for_status()
            .with_context(|| format!("making change {n}"))?
            .json()
            .await?;
        let seq = made["seq"].as_i64().context("the change's seq")?;
        let deadline = sent + Duration::from_secs(10);
        let arrived = loop {
            let came = arrivals.came.notified();
            if let Some(at) = arrivals.at.lock().ok().and_then(|m| m.get(&seq).copied()) {
                break at;
            }
            if tokio::time::timeout_at(deadline.into(), came)
                .await
                .is_err()
            {
                bail!("change {seq} did not reach the other instance within 10 s");
            }
        };
        latencies.push(arrived.saturating_duration_since(sent));
    }
    reading.abort();
    let order = arrivals.order.lock().map(|o| o.clone()).unwrap_or_default();
    if order.windows(2).any(|w| w[0] >= w[1]) {
        bail!("changes arrived out of order: {order:?}");
    }
    latencies.sort();
    let at = |q: f64| {
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    println!(
        "{} changes from one instance to a room on the other: p50 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
        latencies.len(),
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
    Ok(())
}
