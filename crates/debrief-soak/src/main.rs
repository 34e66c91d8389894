//! The load of `scripts/soak.sh`, and its check.
//!
//! `debrief-soak load --seconds N --ledger FILE --password P GROUP=URL[,URL...]...` sends mixed
//! requests (reads, lists, searches, new postmortems, edits that conflict with each other,
//! evidence uploads, logins) to every instance of each group, where a group is the instances
//! that share one store. Every write the server acknowledges is written to the ledger: the
//! version and a hash of its Markdown, or the evidence and a hash of its bytes. It prints the
//! requests by answer, and exits 1 on any 5xx.
//!
//! `debrief-soak verify --ledger FILE --password P GROUP=URL...` reads every acknowledged write
//! back and exits 1 when one is missing or different.
//!
//! Both sign in as `soak` (with `--password`) and take an API token. Instances being killed
//! make requests fail to connect or lose their answer: those are counted apart, since the
//! server never acknowledged them.

use anyhow::{Context, Result, bail};
use debrief_fuzz::Rng;
use debrief_wire::api::{Contribution, NewToken, Postmortem, Postmortems, Versions};
use reqwest::{Client, StatusCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Instances that share one store.
#[derive(Debug, Clone)]
struct Group {
    name: String,
    urls: Vec<String>,
}

/// A line of the ledger: a write the server acknowledged, or the token the load used on a
/// group (the check reuses it: by then the load's wrong passwords have the login limit
/// slowing every sign-in from this address, as it should).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Acknowledged {
    Token {
        group: String,
        token: String,
    },
    Version {
        group: String,
        id: i64,
        version: i64,
        sha256: String,
    },
    Evidence {
        group: String,
        id: i64,
        contribution: i64,
        sha256: String,
    },
}

/// What the load saw.
#[derive(Debug, Default)]
struct Tally {
    by_status: BTreeMap<u16, u64>,
    /// Requests that got no answer: the instance was down or died during the request.
    unanswered: u64,
    /// Answers of 500 or more, with what was asked.
    failures: Vec<String>,
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn document(n: u64, change: u64) -> String {
    format!(
        "---\ntitle: Soak outage {n}\ndate: 2026-06-14\nseverity: SEV2\n---\n\n## Summary\n\n\
         The queue backed up for {change} minutes after a deploy.\n\n## Timeline\n\n\
         - 14:00 UTC: an alert fired on queue depth\n- 14:{:02} UTC: the deploy was rolled back\n\n\
         ## Action items\n\n- [ ] Alert on consumer lag (owner: @sre, due: 2026-07-01)\n",
        change % 60
    )
}

/// Signs in as `soak` on `url` and takes an API token.
async fn token(client: &Client, url: &str, password: &str) -> Result<String> {
    let answer = client
        .post(format!("{url}/api/v1/session"))
        .json(&serde_json::json!({ "username": "soak", "password": password }))
        .send()
        .await?;
    if answer.status() != StatusCode::OK {
        bail!("{url}: signing in as soak: {}", answer.status());
    }
    let cookie = answer
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next())
        .context("no session cookie")?
        .to_string();
    let answer = client
        .post(format!("{url}/api/v1/tokens"))
        .header(reqwest::header::COOKIE, cookie)
        .header("Sec-Fetch-Site", "same-origin")
        .json(&serde_json::json!({ "name": "soak" }))
        .send()
        .await?;
    if answer.status() != StatusCode::CREATED {
        bail!("{url}: creating a token: {}", answer.status());
    }
    Ok(answer.json::<NewToken>().await?.token)
}

/// One worker's loop on one group until `deadline`.
#[allow(clippy::too_many_arguments)]
async fn work(
    client: Client,
    group: Group,
    bearer: String,
    password: String,
    seed: u64,
    deadline: Instant,
    tally: Arc<Mutex<Tally>>,
    ledger: Arc<Mutex<std::fs::File>>,
) {
    let mut rng = Rng::new(seed);
    // The postmortems this worker knows, with the version it last saw.
    let mut known: Vec<(i64, i64)> = Vec::new();
    let mut counter = seed.wrapping_mul(1000);
    while Instant::now() < deadline {
        counter += 1;
        let url = &group.urls[rng.below(group.urls.len())];
        let pick = rng.below(100);
        let target = known.get(rng.below(known.len())).copied();
        let request = match (pick, target) {
            (0..=9, _) | (_, None) => client
                .post(format!("{url}/api/v1/postmortems"))
                .json(&serde_json::json!({ "markdown": document(counter, 1) })),
            (10..=34, Some((id, version))) => client
                .put(format!("{url}/api/v1/postmortems/{id}"))
                // Sometimes on an old version: a conflict, as two editors make.
                .json(&serde_json::json!({
                    "markdown": document(counter, counter),
                    "version": if rng.below(4) == 0 { version - 1 } else { version },
                })),
            (35..=44, Some((id, _))) => client
                .post(format!("{url}/api/v1/postmortems/{id}/evidence?name=log-{counter}.txt"))
                .header(reqwest::header::CONTENT_TYPE, "text/plain")
                .body(format!("log line {counter}\n").repeat(1 + rng.below(2000))),
            (45..=54, _) => client.get(format!("{url}/api/v1/search?q=queue&limit=20")),
            (55..=64, _) => client.get(format!("{url}/api/v1/postmortems?limit=50")),
            (65..=69, _) => client.post(format!("{url}/api/v1/session")).json(
                &serde_json::json!({ "username": "soak", "password": if rng.below(2) == 0 { password.as_str() } else { "wrong" } }),
            ),
            (_, Some((id, _))) => client.get(format!("{url}/api/v1/postmortems/{id}")),
        };
        let request = request.bearer_auth(&bearer).build();
        let Ok(request) = request else { continue };
        let (method, path) = (request.method().clone(), request.url().path().to_string());
        let body_hash = request
            .body()
            .and_then(|b| b.as_bytes())
            .map(hex)
            .unwrap_or_default();
        let answer = match client.execute(request).await {
            Ok(answer) => answer,
            Err(_) => {
                tally.lock().map(|mut t| t.unanswered += 1).ok();
                continue;
            }
        };
        let status = answer.status();
        let bytes = match answer.bytes().await {
            Ok(bytes) => bytes,
            Err(_) => {
                tally.lock().map(|mut t| t.unanswered += 1).ok();
                continue;
            }
        };
        if let Ok(mut tally) = tally.lock() {
            *tally.by_status.entry(status.as_u16()).or_default() += 1;
            if status.is_server_error() && tally.failures.len() < 50 {
                tally.failures.push(format!(
                    "{} {method} {path} -> {status}: {}",
                    group.name,
                    String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
                ));
            }
        }
        let acknowledged = if !status.is_success() {
            None
        } else if path.ends_with("/evidence") {
            serde_json::from_slice::<Contribution>(&bytes)
                .ok()
                .and_then(|c| {
                    let id = path.split('/').nth(4)?.parse().ok()?;
                    Some(Acknowledged::Evidence {
                        group: group.name.clone(),
                        id,
                        contribution: c.id,
                        sha256: body_hash.clone(),
                    })
                })
        } else if method != reqwest::Method::GET && path.starts_with("/api/v1/postmortems") {
            serde_json::from_slice::<Postmortem>(&bytes).ok().map(|p| {
                match known.iter_mut().find(|(id, _)| *id == p.id) {
                    Some(entry) => entry.1 = p.version,
                    None => known.push((p.id, p.version)),
                }
                Acknowledged::Version {
                    group: group.name.clone(),
                    id: p.id,
                    version: p.version,
                    sha256: hex(p.markdown.as_bytes()),
                }
            })
        } else {
            None
        };
        if let Some(acknowledged) = acknowledged
            && let Ok(line) = serde_json::to_string(&acknowledged)
            && let Ok(mut file) = ledger.lock()
        {
            // One line a write, flushed: the ledger survives whatever happens to the servers.
            let _ = writeln!(file, "{line}");
        }
        // Learn of postmortems other workers created, now and then.
        if (status == StatusCode::CONFLICT || rng.below(50) == 0)
            && let Ok(answer) = client
                .get(format!("{url}/api/v1/postmortems?limit=20"))
                .bearer_auth(&bearer)
                .send()
                .await
            && let Ok(list) = answer.json::<Postmortems>().await
        {
            for p in list.postmortems {
                match known.iter_mut().find(|(id, _)| *id == p.id) {
                    Some(entry) => entry.1 = entry.1.max(p.version),
                    None => known.push((p.id, p.version)),
                }
            }
        }
    }
}

fn groups(arguments: &[String]) -> Result<Vec<Group>> {
    arguments
        .iter()
        .map(|argument| {
            let (name, urls) = argument
                .split_once('=')
                .with_context(|| format!("{argument}: expected GROUP=URL[,URL...]"))?;
            Ok(Group {
                name: name.to_string(),
                urls: urls
                    .split(',')
                    .map(|u| u.trim_end_matches('/').to_string())
                    .collect(),
            })
        })
        .collect()
}

/// The token for a group: from the first of its instances that answers.
async fn group_token(client: &Client, group: &Group, password: &str) -> Result<String> {
    let mut last = None;
    for _ in 0..30 {
        for url in &group.urls {
            match token(client, url, password).await {
                Ok(token) => return Ok(token),
                Err(error) => last = Some(error),
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Err(last.unwrap_or_else(|| anyhow::anyhow!("{}: no instance", group.name)))
}

async fn load(
    groups: Vec<Group>,
    seconds: u64,
    workers: usize,
    ledger: &str,
    password: &str,
) -> Result<bool> {
    let client = Client::builder().timeout(Duration::from_secs(30)).build()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(ledger)
        .with_context(|| format!("{ledger}: cannot open"))?;
    let ledger = Arc::new(Mutex::new(file));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for group in &groups {
        let bearer = group_token(&client, group, password).await?;
        let line = serde_json::to_string(&Acknowledged::Token {
            group: group.name.clone(),
            token: bearer.clone(),
        })?;
        if let Ok(mut file) = ledger.lock() {
            writeln!(file, "{line}")?;
        }
        for worker in 0..workers {
            tasks.push(tokio::spawn(work(
                client.clone(),
                group.clone(),
                bearer.clone(),
                password.to_string(),
                (tasks.len() as u64 + 1) * 7919 + worker as u64,
                deadline,
                tally.clone(),
                ledger.clone(),
            )));
        }
    }
    for task in tasks {
        task.await?;
    }
    let tally = tally
        .lock()
        .map_err(|_| anyhow::anyhow!("tally poisoned"))?;
    let answered: u64 = tally.by_status.values().sum();
    let server_errors: u64 = tally
        .by_status
        .iter()
        .filter(|(status, _)| **status >= 500)
        .map(|(_, n)| n)
        .sum();
    println!(
        "requests: {} answered, {} unanswered (instance down or killed); answers {:?}; 5xx: {server_errors}",
        answered, tally.unanswered, tally.by_status
    );
    for failure in &tally.failures {
        println!("  {failure}");
    }
    Ok(server_errors == 0)
}

async fn verify(groups: Vec<Group>, ledger: &str, password: &str) -> Result<bool> {
    let client = Client::builder().timeout(Duration::from_secs(30)).build()?;
    let file = std::fs::File::open(ledger).with_context(|| format!("{ledger}: cannot open"))?;
    let mut entries = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let entry: Acknowledged =
            serde_json::from_str(&line).with_context(|| format!("ledger line {line}"))?;
        entries.push(entry);
    }
    let mut tokens = BTreeMap::new();
    for group in &groups {
        let recorded = entries.iter().find_map(|entry| match entry {
            Acknowledged::Token { group: g, token } if *g == group.name => Some(token.clone()),
            _ => None,
        });
        let token = match recorded {
            Some(token) => token,
            None => group_token(&client, group, password).await?,
        };
        tokens.insert(group.name.clone(), (group.urls[0].clone(), token));
    }
    let (mut checked, mut missing) = (0u64, Vec::new());
    for acknowledged in &entries {
        let (group, path, sha256) = match acknowledged {
            Acknowledged::Token { .. } => continue,
            Acknowledged::Version {
                group,
                id,
                version,
                sha256,
            } => (
                group,
                format!("/api/v1/postmortems/{id}/versions/{version}"),
                sha256,
            ),
            Acknowledged::Evidence {
                group,
                id,
                contribution,
                sha256,
            } => (
                group,
                format!("/api/v1/postmortems/{id}/contributions/{contribution}/file"),
                sha256,
            ),
        };
        let Some((url, bearer)) = tokens.get(group) else {
            bail!("ledger names group {group}, which was not given");
        };
        checked += 1;
        let answer = client
            .get(format!("{url}{path}"))
            .bearer_auth(bearer)
            .send()
            .await?;
        let status = answer.status();
        let bytes = answer.bytes().await?;
        if status != StatusCode::OK || hex(&bytes) != *sha256 {
            missing.push(format!("{group} {path}: {status}"));
        }
    }
    println!(
        "acknowledged writes: {checked} checked, {} missing or different",
        missing.len()
    );
    for line in missing.iter().take(50) {
        println!("  {line}");
    }
    // The versions list agrees with each postmortem's current version.
    for (group, (url, bearer)) in &tokens {
        let list: Postmortems = client
            .get(format!("{url}/api/v1/postmortems?limit=200"))
            .bearer_auth(bearer)
            .send()
            .await?
            .json()
            .await?;
        for p in list.postmortems {
            let versions: Versions = client
                .get(format!("{url}/api/v1/postmortems/{}/versions", p.id))
                .bearer_auth(bearer)
                .send()
                .await?
                .json()
                .await?;
            if versions.versions.last().map(|v| v.version) != Some(p.version) {
                missing.push(format!("{group} postmortem {}: history disagrees", p.id));
                println!(
                    "  {group} postmortem {}: the history ends elsewhere than version {}",
                    p.id, p.version
                );
            }
        }
    }
    Ok(missing.is_empty())
}

fn usage() -> ! {
    eprintln!(
        "usage: debrief-soak load --seconds N [--workers W] --ledger FILE --password P GROUP=URL[,URL...]...\n       \
         debrief-soak verify --ledger FILE --password P GROUP=URL..."
    );
    std::process::exit(2)
}

#[tokio::main]
async fn main() -> Result<()> {
    // reqwest may be built with rustls in the workspace: give it a provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_else(|| usage());
    let (mut seconds, mut workers, mut ledger, mut password) = (60, 4, None, None);
    let mut rest = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--workers" => {
                workers = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--ledger" => ledger = args.next(),
            "--password" => password = args.next(),
            _ => rest.push(arg),
        }
    }
    let (Some(ledger), Some(password)) = (ledger, password) else {
        usage()
    };
    let groups = groups(&rest)?;
    if groups.is_empty() {
        usage();
    }
    let ok = match command.as_str() {
        "load" => load(groups, seconds, workers, &ledger, &password).await?,
        "verify" => verify(groups, &ledger, &password).await?,
        _ => usage(),
    };
    std::process::exit(if ok { 0 } else { 1 })
}
