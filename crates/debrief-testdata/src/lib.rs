//! Realistic generated postmortems for benchmarks: deterministic, varied by seed, with
//! front matter, summary, impact with quantities, a multi-day timeline written as lists, bold
//! timestamps, bracketed times and a table, root-cause prose, lessons and action items.
//! Shared by the reading bench and the lint tree generator; not part of debrief itself.

use std::fmt::Write as _;

/// The seed of the document the reading bench measures.
pub const BENCH_SEED: u64 = 0x5eed_2021_0622;

/// A small deterministic pseudo-random sequence (Knuth's MMIX LCG), so that the generated
/// document is the same on every run without a randomness crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    /// One of `items`.
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let len = u64::try_from(items.len()).unwrap_or(u64::MAX).max(1);
        let index = usize::try_from(self.next() % len).unwrap_or(0);
        items.get(index).copied().unwrap_or("")
    }

    /// True with probability `percent` in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const PEOPLE: &[&str] = &[
    "@maria",
    "@dchen",
    "@jkowalski",
    "@priya",
    "@tomasz",
    "@aisha",
    "@lhansen",
    "@kofi",
    "@sven",
    "@noor",
];
const SERVICES: &[&str] = &[
    "payments-api",
    "ledger",
    "checkout",
    "fraud-scoring",
    "settlement-worker",
    "merchant-gateway",
    "pgbouncer",
];
const HOSTS: &[&str] = &[
    "pg-payments-01",
    "pg-payments-02",
    "pg-payments-03",
    "redis-cache-04",
    "kafka-broker-2",
];
const QUEUES: &[&str] = &[
    "settlement.requests",
    "ledger.postings",
    "webhooks.outbound",
    "fraud.scores",
];
const REGIONS: &[&str] = &["eu-west-1", "eu-central-1", "us-east-1"];
const POOLS: &[&str] = &["general-purpose", "payments-critical", "batch"];
const TEAMS: &[&str] = &[
    "Database team",
    "Platform team",
    "Support",
    "Incident commander",
    "Payments on-call",
    "The SRE team",
];

/// Who did something: a role, as blameless postmortems write it, and now and then a handle,
/// as real ones still do.
fn actor(rng: &mut Lcg) -> &'static str {
    if rng.chance(8) {
        rng.pick(PEOPLE)
    } else {
        rng.pick(ROLES)
    }
}

const ROLES: &[&str] = &[
    "the on-call engineer",
    "the payments on-call",
    "the incident commander",
    "the database team",
    "the SRE on call",
    "the platform team",
    "support",
];

/// The text of one timeline entry, varied from templates and fragments.
fn entry_text(rng: &mut Lcg) -> String {
    let who = actor(rng);
    let other = actor(rng);
    let svc = rng.pick(SERVICES);
    let host = rng.pick(HOSTS);
    let queue = rng.pick(QUEUES);
    let region = rng.pick(REGIONS);
    let pool = rng.pick(POOLS);
    let team = rng.pick(TEAMS);
    let n = rng.range(2, 48);
    let pct = rng.range(3, 97);
    let ms = rng.range(220, 4800);
    let ticket = rng.range(1200, 1999);
    match rng.range(0, 23) {
        0 => format!(
            "{who} checks the [{svc} dashboard](https://grafana.example.com/d/a{ticket}/{svc}) for error spikes"
        ),
        1 => format!("Error rate on `{svc}` climbs to {pct}% of requests in `{region}`"),
        2 => format!(
            "{who} restarts `{svc}` pods in `{region}`, {n} of {} come back healthy",
            n + 2
        ),
        3 => format!("p99 latency for `{svc}` at {ms} ms, up from 180 ms before the change"),
        4 => format!("{who} posts an update in #inc-payments with the current error budget burn"),
        5 => "Status page updated: \"We are investigating elevated error rates for card payments\""
            .to_string(),
        6 => format!("{who} sees connection pool saturation on `{host}` ({n} waiting clients)"),
        7 => format!("Autoscaler adds {n} nodes to the `{pool}` node pool"),
        8 => format!(
            "Queue depth on `{queue}` reaches {n},{:03} messages",
            pct * 7
        ),
        9 => format!(
            "{who} proposes to fail over the primary to `{host}`; {other} agrees to wait for lag numbers"
        ),
        10 => format!("{team} forwards reports from {n} merchants about declined cards"),
        11 => format!(
            "{who} runs `kubectl rollout status deploy/{svc} -n payments` to confirm the rollout"
        ),
        12 => format!("Replication lag on `{host}` drops to {n} s"),
        13 => format!("Canary for `{svc}` v2.14.{n} promoted to {pct}% of traffic"),
        14 => format!("{who} hands over incident command to {other}"),
        15 => format!("Memory usage on `{host}` stable at {pct}% after the vacuum finished"),
        16 => format!("Cache hit ratio for `{svc}` back to {}%", 90 + pct % 10),
        17 => format!(
            "{who} opens [PAY-{ticket}](https://jira.example.com/browse/PAY-{ticket}) to track the cleanup"
        ),
        18 => format!("Batch settlement for merchants in `{region}` delayed by {n} minutes"),
        19 => format!(
            "{who} compares ledger row counts between `{host}` and the replica, no drift found"
        ),
        20 => format!("Traffic for `{svc}` shifted back to `{region}` in steps of 25%"),
        21 => format!("{team} joins the bridge; {who} summarises the state of `{svc}` for them"),
        22 => format!(
            "Grafana annotation added for deploy `{svc}@{:07x}`",
            ms * 4099
        ),
        _ => format!(
            "{who} raises `max_client_conn` on `pgbouncer` from {} to {}",
            ms / 4,
            ms / 2
        ),
    }
}

/// A short note, sometimes nested under a timeline entry.
fn note(rng: &mut Lcg) -> String {
    let who = actor(rng);
    let host = rng.pick(HOSTS);
    match rng.range(0, 5) {
        0 => format!("{who}: numbers are from the `{host}` exporter, which lags by about a minute"),
        1 => "see the thread in #inc-payments for the query plans".to_string(),
        2 => format!(
            "`SELECT count(*) FROM pg_stat_activity` on `{host}` returned {}",
            rng.range(300, 990)
        ),
        3 => "this was later found to be unrelated to the incident".to_string(),
        4 => format!(
            "screenshot attached to [the incident doc](https://docs.example.com/inc/{})",
            rng.range(100, 999)
        ),
        _ => format!("{who} double-checked this against the load balancer logs"),
    }
}

/// One list entry in one of the common ways of writing a time.
fn list_entry(out: &mut String, rng: &mut Lcg, minute: u64, text: &str) {
    let (h, m) = (minute / 60, minute % 60);
    let _ = match rng.range(0, 9) {
        0..=5 => writeln!(out, "- {h:02}:{m:02} {text}"),
        6..=8 => writeln!(out, "- **{h:02}:{m:02} UTC** - {text}"),
        _ => writeln!(out, "- [{h:02}:{m:02}] {text}"),
    };
    if rng.chance(8) {
        let _ = writeln!(out, "  - {}", note(rng));
    }
}

/// Appends one day of list entries between `from` and `to` minutes past midnight, starting
/// with `opening` entries when given.
fn list_day(out: &mut String, rng: &mut Lcg, from: u64, to: u64, opening: &[&str]) {
    let mut minute = from;
    let mut count = 0;
    for text in opening {
        list_entry(out, rng, minute, text);
        minute += rng.range(2, 6);
        count += 1;
    }
    while minute < to {
        let text = entry_text(rng);
        list_entry(out, rng, minute, &text);
        count += 1;
        minute += rng.range(3, 16);
        if count % 29 == 0 {
            // A paragraph between entries splits the list, as people write them.
            let _ = writeln!(
                out,
                "\nHandover between rotations here; {} took over from {} and re-read the incident doc.\n",
                actor(rng),
                actor(rng)
            );
        }
    }
}

/// A realistic multi-day postmortem of a few tens of kilobytes; each seed gives a different one.
pub fn postmortem(seed: u64) -> String {
    let mut rng = Lcg(seed);
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(
        "---\n\
         title: Payments API degradation after connection pool change\n\
         date: 2021-06-22\n\
         severity: SEV1\n\
         status: in review\n\
         services: [payments-api, ledger, checkout, settlement-worker]\n\
         tags: [database, connection-pool, multi-day]\n\
         timezone: UTC\n\
         facilitator: Maria Lopez\n\
         scribe: Daniel Chen\n\
         incident_id: INC-2021-0622\n\
         ---\n\n\
         # Postmortem: Payments API degradation after connection pool change\n\n\
         ## Summary\n\n\
         A configuration change to the `pgbouncer` connection pool in front of the payments\n\
         database lowered the pool size for the `payments-api` role from 400 to 40. Under the\n\
         Tuesday morning peak the pool saturated, requests queued behind it, and 7.4% of card\n\
         authorisations failed or timed out over roughly three days of intermittent degradation.\n\n\
         The change was rolled back on the first day, but a second, latent problem (a\n\
         [replication slot](https://www.postgresql.org/docs/13/warm-standby.html#STREAMING-REPLICATION-SLOTS)\n\
         left behind by a failed failover) kept the primary's disk filling up until Friday.\n\n\
         ## Impact\n\n\
         - 48,120 failed card authorisations\n\
         - 7.4% of `payments-api` requests returned 5xx for 3 hours 12 minutes on June 22\n\
         - Estimated revenue impact: $184,000\n\
         - Settlement for 1,312 merchants delayed by up to 26 hours\n\
         - Customer support tickets: 412\n\
         - 2 enterprise customers invoked their SLA credits (EUR 12,500 in total)\n\n\
         ## Timeline (UTC)\n\n\
         All times in UTC.\n\n\
         ### Tuesday, 22 June 2021\n\n",
    );
    list_day(
        &mut out,
        &mut rng,
        6 * 60 + 40,
        23 * 60 + 30,
        &[
            "Config change to `pgbouncer` (pool size 400 to 40) merged and applied by the deploy pipeline",
            "Error rate on `payments-api` starts climbing (problem started)",
            "[detected] PagerDuty alert `PaymentsErrorRateHigh` fires for `payments-api`",
            "[acknowledged] @maria acknowledges the page and starts investigation",
            "@maria declares an incident and opens #inc-payments; @dchen joins as scribe",
        ],
    );
    out.push_str("\n### Wednesday, 23 June 2021\n\n");
    list_day(&mut out, &mut rng, 6 * 60, 23 * 60 + 40, &[]);
    out.push_str("\n**2021-06-24**\n\n");
    list_day(&mut out, &mut rng, 5 * 60, 21 * 60, &[]);
    out.push_str("\nThe rest of the timeline was kept in the incident doc as a table:\n\n");
    out.push_str("| Time (UTC) | Event | Who |\n| --- | --- | --- |\n");
    for day in 25..=26 {
        let mut minute = 6 * 60 + rng.range(0, 30);
        let end = if day == 25 { 22 * 60 } else { 11 * 60 };
        while minute < end {
            let text = entry_text(&mut rng);
            let _ = writeln!(
                out,
                "| 2021-06-{day} {:02}:{:02} | {text} | {} |",
                minute / 60,
                minute % 60,
                actor(&mut rng)
            );
            minute += rng.range(8, 22);
        }
    }
    let _ = writeln!(
        out,
        "| 2021-06-26 11:20 | [resolved] Disk usage on `pg-payments-01` back to 41%, incident closed | @maria |"
    );

    out.push_str("\n## Root cause analysis\n\n");
    const OPENERS: &[&str] = &[
        "The pool size for the `payments-api` role was lowered in",
        "Our capacity model for `pgbouncer`, documented in",
        "The deploy pipeline applied the change described in",
        "Failover tooling, last exercised in the game day recorded in",
        "Monitoring of replication slots, proposed in",
    ];
    const MIDDLES: &[&str] = &[
        "because the review only compared the new value against the staging configuration, where 40 connections are plenty",
        "which assumed that each pod holds at most two connections, an assumption that stopped being true when `fraud-scoring` moved its lookups into the request path",
        "so the `pgbouncer` reload took effect immediately on all three hosts instead of host by host",
        "and the runbook step that drops the old slot with `SELECT pg_drop_replication_slot('standby_2')` was skipped when the failover aborted",
        "while the disk alert threshold of 90% left only about four hours of headroom at Wednesday's write rate",
    ];
    const CLOSERS: &[&str] = &[
        "Nobody noticed the queueing at first: `pgbouncer` reports waiting clients, but no dashboard showed them.",
        "The error budget alert fired only once the retries in `checkout` amplified the failures.",
        "See [the query plans](https://docs.example.com/inc/0622/plans) for the slow statements under contention.",
        "The [pgbouncer documentation](https://www.pgbouncer.org/config.html) describes `max_client_conn` and `default_pool_size` separately, and we had conflated them.",
        "In hindsight the `wal_keep_size` setting and the abandoned slot together explain the disk growth on `pg-payments-01`.",
    ];
    for paragraph in 0..9 {
        for sentence in 0..3 {
            let _ = write!(
                out,
                "{} [PAY-{}](https://jira.example.com/browse/PAY-{}), {}. {}",
                rng.pick(OPENERS),
                1300 + paragraph * 7 + sentence,
                1300 + paragraph * 7 + sentence,
                rng.pick(MIDDLES),
                rng.pick(CLOSERS)
            );
            out.push(if sentence == 2 { '\n' } else { ' ' });
        }
        out.push('\n');
        if paragraph == 4 {
            out.push_str(
                "```ini\n[pgbouncer]\npool_mode = transaction\ndefault_pool_size = 40\nmax_client_conn = 2000\n```\n\n",
            );
        }
    }

    const LEARNED: &[&str] = &[
        "The `PaymentsErrorRateHigh` alert fired within three minutes of the change",
        "Rolling back the `pgbouncer` configuration took a single merge",
        "Support triaged merchant reports quickly and linked them to the incident channel",
        "The incident doc was kept up to date across three rotations",
        "Handovers between EMEA and US on-call were explicit and written down",
        "The database team had a tested procedure for promoting a replica",
        "Status page updates went out every 30 minutes as promised",
        "We had no dashboard for waiting clients in `pgbouncer`",
        "The failover runbook did not say what to clean up after an aborted failover",
        "Disk alerts on the primary were set too late to leave time to react",
        "The configuration change was not rolled out host by host",
        "Retries in `checkout` amplified the load on an already saturated pool",
        "It took four hours to connect the disk growth to the abandoned replication slot",
    ];
    for (heading, skip) in [("What went well", 0), ("What went badly", 7)] {
        let _ = writeln!(out, "## {heading}\n");
        for item in LEARNED
            .iter()
            .skip(skip)
            .take(if skip == 0 { 7 } else { 6 })
        {
            let _ = writeln!(out, "- {item}");
        }
        out.push('\n');
    }
    out.push_str(
        "## Where we got lucky\n\n\
         - The incident started on a Tuesday, not during the end-of-month settlement run\n\
         - `pg-payments-02` had just been resized and had spare disk\n\n",
    );

    out.push_str("## Action items\n\n");
    const ACTIONS: &[&str] = &[
        "Add a `pgbouncer` waiting-clients panel and alert",
        "Roll out connection pool changes host by host",
        "Document cleanup after an aborted failover in the runbook",
        "Lower the primary disk alert threshold to 75%",
        "Cap retries in `checkout` with a budget",
        "Add replication slot age to the database dashboard",
        "Review pool sizing against production connection counts",
        "Game day: aborted failover and slot cleanup",
        "Make staging pool sizes match production ratios",
        "Alert on inactive replication slots older than one hour",
    ];
    const DUES: &[&str] = &[
        "2 weeks",
        "1 month",
        "2021-07-30",
        "Q3 2021",
        "10d",
        "a week",
        "3 weeks",
        "2021-08-15",
    ];
    for (i, action) in ACTIONS.iter().cycle().take(22).enumerate() {
        let box_ = if i % 5 == 1 { "[x]" } else { "[ ]" };
        let owner = rng.pick(PEOPLE);
        let due = rng.pick(DUES);
        let round = if i >= ACTIONS.len() {
            " (follow-up)"
        } else {
            ""
        };
        let _ = if i % 4 == 3 {
            writeln!(
                out,
                "- {box_} {action}{round} (owner: {owner}, due: {due}, priority: P{})",
                1 + i % 3
            )
        } else {
            writeln!(out, "- {box_} {action}{round} (owner: {owner}, due: {due})")
        };
    }
    out
}

const CAUSES: &[(&str, &str, &str)] = &[
    (
        "Checkout errors after a schema migration",
        "migration",
        "A migration dropped a column that the running version of the service still read.",
    ),
    (
        "Ingress controller overload",
        "ingress",
        "The ingress controllers ran out of worker connections when a retry storm doubled traffic.",
    ),
    (
        "Node failures in the batch pool",
        "nodes",
        "A kernel update left nodes unable to mount volumes, and the pool drained faster than it healed.",
    ),
    (
        "Logging pipeline backlog",
        "logging",
        "The log shippers buffered to disk when the indexer slowed down, and the disks filled.",
    ),
    (
        "Metrics exporter crash loop",
        "monitoring",
        "A new exporter version crashed on a label it did not expect, so alerts went quiet.",
    ),
    (
        "Expired TLS certificate on the API gateway",
        "certificates",
        "The renewal job had been failing silently for a month before the certificate expired.",
    ),
    (
        "Cache stampede after a deploy",
        "cache",
        "A deploy flushed the cache, and every instance recomputed the same keys at once.",
    ),
    (
        "Queue consumers stalled by a poison message",
        "queue",
        "One malformed message made every consumer crash on the same offset.",
    ),
];

/// A typical single-day postmortem of a few kilobytes: the size most teams write, varied by
/// seed in title, date, severity, services, tags and timeline. For benchmarks that need many
/// documents (a server seeded with thousands, a review over an organisation's history).
pub fn typical(seed: u64) -> String {
    let mut rng = Lcg(seed);
    let (title, tag, cause) = CAUSES[usize::try_from(rng.next()).unwrap_or(0) % CAUSES.len()];
    let year = rng.range(2019, 2026);
    let month = rng.range(1, 12);
    let day = rng.range(1, 28);
    let severity = rng.pick(&["SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3"]);
    let first = rng.pick(SERVICES);
    let second = rng.pick(SERVICES);
    let services = if first == second {
        first.to_string()
    } else {
        format!("{first}, {second}")
    };
    let mut out = String::with_capacity(6 * 1024);
    let _ = write!(
        out,
        "---\ntitle: {title} ({first}, case {seed_id})\ndate: {year}-{month:02}-{day:02}\n\
         severity: {severity}\nservices: [{services}]\ntags: [{tag}]\ntimezone: UTC\n---\n\n\
         # Postmortem: {title} ({first}, case {seed_id}), {year}-{month:02}-{day:02}\n\n\
         ## Summary\n\n{cause} Requests to `{first}` failed for {minutes} minutes until \
         {who} rolled back the change.\n\n\
         ## Impact\n\n- {failed} requests failed\n- {tickets} support tickets\n\n\
         ## Timeline (UTC)\n\n",
        seed_id = seed % 100_000,
        minutes = rng.range(8, 180),
        who = rng.pick(ROLES),
        failed = rng.range(200, 90_000),
        tickets = rng.range(0, 400),
    );
    let start = rng.range(0, 20 * 60);
    let opening = [
        "Deploy of the change starts (problem started)",
        "[detected] Alert fires for elevated error rates",
        "[acknowledged] The on-call engineer acknowledges the page",
    ];
    let mut minute = start;
    for text in opening {
        let _ = writeln!(out, "- {:02}:{:02} {text}", minute / 60 % 24, minute % 60);
        minute += rng.range(2, 9);
    }
    for _ in 0..rng.range(4, 14) {
        let text = entry_text(&mut rng);
        let _ = writeln!(out, "- {:02}:{:02} {text}", minute / 60 % 24, minute % 60);
        minute += rng.range(2, 12);
    }
    let _ = writeln!(
        out,
        "- {:02}:{:02} [mitigated] Rollback completes and error rates recover",
        minute / 60 % 24,
        minute % 60
    );
    minute += rng.range(5, 40);
    let _ = writeln!(
        out,
        "- {:02}:{:02} [resolved] Incident closed after an hour of normal traffic",
        minute / 60 % 24,
        minute % 60
    );
    let _ = write!(
        out,
        "\n## Root cause analysis\n\n{cause} Nothing in the pipeline checked for it, and the \
         alert that would have caught it earlier was routed to a channel nobody watched.\n\n\
         ## What went well\n\n- The rollback took minutes.\n\n\
         ## What went badly\n\n- Detection depended on customer reports for the first minutes.\n\n\
         ## Action items\n\n\
         - [ ] Add a check for this failure to the deploy pipeline (owner: {team}, due: {year}-{m2:02}-15)\n\
         - [{done}] Route the alert to the on-call rotation (owner: {team2}, due: {year}-{m2:02}-01)\n",
        team = rng.pick(TEAMS),
        team2 = rng.pick(TEAMS),
        m2 = month % 12 + 1,
        done = if rng.chance(50) { "x" } else { " " },
    );
    out
}
