//! The tracker bench: ITEMS action items (1,000 by default), in published postmortems of ten
//! items each, synced by two workers (two instances on one SQLite store) against the local
//! fake of GitHub's issues API limiting the rate as GitHub does (LIMIT requests per
//! WINDOW seconds, then 403 with `x-ratelimit-reset`). Prints the time taken, the requests
//! made (and how many the limit refused), and the duplicates (issues beyond one per item).
//!
//! `cargo run --release -p debrief-server --example bench_trackers -- [ITEMS] [LIMIT] [WINDOW]`
//! (`scripts/bench-trackers.sh` runs it).

use debrief_fakes::{FakeGitHub, GITHUB_TOKEN};
use debrief_server::tracking::Worker;
use debrief_server::workflow::Settings;
use debrief_server::{NewUser, Policy, Role, Store};
use debrief_trackers::Trackers;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let items = args.next().transpose()?.unwrap_or(1000);
    let limit = args.next().transpose()?.unwrap_or(300);
    let window = args.next().transpose()?.unwrap_or(10);

    let fake = FakeGitHub::start().await;
    fake.limit_rate(limit, Duration::from_secs(window as u64));
    let dir = tempfile::tempdir()?;
    let url = Store::sqlite_url(dir.path())?;
    let config = format!(
        "[trackers.platform]\nkind = \"github\"\nurl = \"{}\"\nproject = \"acme/platform\"\n\
         token_env = \"GH_TOKEN\"\ndefault = true\n",
        fake.base
    );
    let trackers = Trackers::from_toml(&config)?.with_environment(BTreeMap::from([(
        "GH_TOKEN".to_string(),
        GITHUB_TOKEN.to_string(),
    )]));
    let policy = Policy {
        workflow: Settings {
            required_roles: Vec::new(),
            ..Settings::default()
        },
        lint: debrief_lint::Config::default(),
        trackers,
        notify: Default::default(),
        hooks: Default::default(),
    };
    let store = Store::connect(&url).await?.with_policy(policy.clone());
    let admin = store
        .add_user(
            &NewUser {
                username: "admin",
                display_name: "Admin",
                function: "SRE",
                role: Role::Admin,
                password: "a long enough password",
                team: None,
            },
            None,
        )
        .await?;
    // An admin's import of a published postmortem sends its items, as publishing does.
    let per = 10;
    for p in 0..items.div_ceil(per) {
        let mut text = format!(
            "---\ntitle: Incident {p}\ndate: 2026-10-01\nstatus: published\n---\n\n# Incident {p}\n\n## Action items\n\n"
        );
        for i in 0..per.min(items - p * per) {
            text.push_str(&format!(
                "- [ ] Follow-up {i} of incident {p} (owner: @sre, due: 2026-12-01)\n"
            ));
        }
        store.create_postmortem(&admin, &text).await?;
    }
    let other = Store::connect(&url).await?.with_policy(policy);
    let a = Worker::new(store.clone(), Some("https://debrief.example".into())).named("a");
    let b = Worker::new(other.clone(), Some("https://debrief.example".into())).named("b");

    let started = Instant::now();
    loop {
        let (x, y) = tokio::join!(a.drain(), b.drain());
        x?;
        y?;
        let counts = store.job_counts().await?;
        if counts.queued + counts.running == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let elapsed = started.elapsed();
    let counts = store.job_counts().await?;
    let markers = fake.markers();
    let duplicates: usize = markers.values().map(|n| n.saturating_sub(1)).sum();
    let state = fake.state();
    println!(
        "{items} action items, the fake limiting to {limit} requests per {window} s, two workers on SQLite"
    );
    println!("time: {:.1} s", elapsed.as_secs_f64());
    println!(
        "requests: {} ({} refused by the rate limit)",
        state.requests, state.limited
    );
    println!(
        "issues: {} for {} items; duplicates: {duplicates}; dead jobs: {}",
        state.issues.len(),
        markers.len(),
        counts.dead
    );
    Ok(())
}
