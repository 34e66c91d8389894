//! Writes a Slack export for the import bench (`scripts/bench-import.sh`): a ZIP with
//! `channels.json`, `users.json` (200 people, two bots) and, for `#incident`, MESSAGES
//! messages spread over DAYS days, as Slack writes them: joins, bot posts, threads, edits,
//! files, and a ✅ reaction on one message in a hundred; `#general` holds a few more.
//!
//!   cargo run --release -p debrief-import --example slack_export -- OUT.zip [MESSAGES] [DAYS]

use serde_json::json;
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .ok_or("usage: slack_export OUT.zip [MESSAGES] [DAYS]")?;
    let messages: u64 = args.next().map_or(Ok(1_000_000), |a| a.parse())?;
    let days: u64 = args.next().map_or(Ok(30), |a| a.parse())?.max(1);
    let file = std::fs::File::create(&out)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("channels.json", options)?;
    serde_json::to_writer(
        &mut zip,
        &json!([
            {"id": "C0GENERAL", "name": "general", "created": 1_600_000_000},
            {"id": "C0INCIDENT", "name": "incident", "created": 1_780_000_000}
        ]),
    )?;
    zip.start_file("users.json", options)?;
    let mut users: Vec<serde_json::Value> = (0..200)
        .map(|i| {
            json!({"id": format!("U{i:05}"), "name": format!("person{i}"),
                   "real_name": format!("Person Number{i}"), "is_bot": false,
                   "profile": {"title": if i % 3 == 0 { "Site Reliability Engineer" } else { "" },
                               "real_name": format!("Person Number{i}"), "display_name": ""}})
        })
        .collect();
    users.push(json!({"id": "B00001", "name": "pagerduty", "is_bot": true, "profile": {}}));
    users.push(json!({"id": "B00002", "name": "deploybot", "is_bot": true, "profile": {}}));
    serde_json::to_writer(&mut zip, &users)?;
    let start: u64 = 1_780_000_000;
    let per_day = messages / days;
    let mut written = 0u64;
    for day in 0..days {
        let day_start = start + day * 86_400;
        let date = jiff::Timestamp::from_second(day_start as i64)?.strftime("%Y-%m-%d");
        zip.start_file(format!("incident/{date}.json"), options)?;
        let count = if day + 1 == days {
            messages - written
        } else {
            per_day
        };
        zip.write_all(b"[")?;
        for i in 0..count {
            if i > 0 {
                zip.write_all(b",")?;
            }
            let ts = format!(
                "{}.{:06}",
                day_start + i * 86_400 / count.max(1),
                i % 1_000_000
            );
            let user = format!("U{:05}", (written + i) % 200);
            let message = match (written + i) % 50 {
                0 => json!({"type": "message", "subtype": "channel_join", "ts": ts, "user": user,
                            "text": format!("<@{user}> has joined the channel")}),
                1 => {
                    json!({"type": "message", "subtype": "bot_message", "ts": ts, "bot_id": "B00001",
                            "text": "Triggered #42: checkout 5xx above 2%"})
                }
                2 => json!({"type": "message", "ts": ts, "user": user, "thread_ts": ts,
                            "text": format!("Deploy {i} of payments-api is out; <@U00007> can you check the pool?"),
                            "reply_count": 1}),
                3 => json!({"type": "message", "subtype": "file_share", "ts": ts, "user": user,
                            "text": "graph of the pool", "files": [{"id": "F1", "name": "pool.png", "title": "Pool"}]}),
                _ => json!({"type": "message", "ts": ts, "user": user,
                            "text": format!("Looking at <https://grafana.example/d/{i}|dashboard {i}>: error rate {}% and climbing, p99 latency {} ms &amp; queue depth {}", i % 7, 100 + i % 900, i % 5000),
                            "reactions": if (written + i) % 100 == 7 {
                                json!([{"name": "white_check_mark", "users": [user], "count": 1}])
                            } else { json!([]) },
                            "edited": if i % 10 == 0 { json!({"user": user, "ts": ts}) } else { json!(null) }}),
            };
            serde_json::to_writer(&mut zip, &message)?;
        }
        zip.write_all(b"]")?;
        written += count;
    }
    zip.start_file("general/2026-06-14.json", options)?;
    serde_json::to_writer(
        &mut zip,
        &json!([{"type": "message", "ts": "1781430000.000100", "user": "U00001", "text": "lunch?"}]),
    )?;
    zip.finish()?;
    eprintln!("{out}: {written} messages in #incident over {days} days");
    Ok(())
}
