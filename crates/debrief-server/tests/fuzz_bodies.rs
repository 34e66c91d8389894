//! Every JSON body of the API, fuzzed (issue 12, 9): for each operation the OpenAPI document
//! gives a JSON body, a valid body is made from its schema, then mutated (values of the wrong
//! type, huge numbers, NUL and control characters, long and deep values, keys dropped and
//! added, the JSON itself cut or corrupted) and sent with path parameters real and made up,
//! as an admin, a member, a stranger and nobody. No answer may be a 5xx, and nothing may panic.
//!
//! `DEBRIEF_FUZZ_SECONDS` sets how long each store is fuzzed (3 s by default, a short run for
//! the tests); `DEBRIEF_FUZZ_SEED` the seed. Markdown bodies are real postmortems of
//! `DEBRIEF_CORPUS` when it is set.

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use debrief_fuzz::Rng;
use debrief_server::http::{self, AppState, HttpConfig, openapi};
use debrief_server::{Role, Store};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tower::ServiceExt;

#[tokio::test]
async fn no_json_body_makes_the_server_fail_on_sqlite() {
    let test = common::sqlite().await;
    fuzz(&test.store, test.name).await;
    test.finish().await;
}

#[tokio::test]
async fn no_json_body_makes_the_server_fail_on_postgres() {
    if let Some(test) = common::postgres("fuzz_bodies on PostgreSQL").await {
        fuzz(&test.store, test.name).await;
        test.finish().await;
    }
}

/// An operation with a JSON body: its method, path template and body schema.
struct Operation {
    method: String,
    template: String,
    schema: Value,
}

fn operations() -> Vec<Operation> {
    let document = openapi::document();
    let mut found = Vec::new();
    for (template, methods) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in methods.as_object().into_iter().flatten() {
            if let Some(schema) = operation["requestBody"]["content"]
                .get("application/json")
                .map(|c| c["schema"].clone())
            {
                found.push(Operation {
                    method: method.to_uppercase(),
                    template: template.clone(),
                    schema,
                });
            }
        }
    }
    found
}

/// Strings that mean something to the server, and strings that have broken servers.
fn strings(markdown: &[String]) -> Vec<String> {
    let mut strings: Vec<String> = [
        "admin",
        "dev",
        "stranger",
        "nobody-by-this-name",
        "",
        " ",
        "a long enough password",
        "SRE",
        "draft",
        "in_review",
        "published",
        "closed",
        "timeline",
        "2026-06-14T14:05:00Z",
        "2026-13-45T99:99:99Z",
        "https://example.com/x",
        "javascript:alert(1)",
        "\u{0}",
        "a\u{0}b",
        "\u{202e}evil",
        "\u{feff}",
        "💥",
        "'; DROP TABLE users; --",
        "%00",
        "../../etc/passwd",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    strings.push("x".repeat(70_000));
    strings.extend(markdown.iter().cloned());
    strings
}

/// A valid instance of `schema`, with strings from `strings`.
fn instance(schema: &Value, strings: &[String], rng: &mut Rng, depth: usize) -> Value {
    let document = openapi::document();
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return instance(
            &document["components"]["schemas"][name],
            strings,
            rng,
            depth + 1,
        );
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array().filter(|o| !o.is_empty()) {
            return instance(rng.pick(options), strings, rng, depth + 1);
        }
    }
    if let Some(values) = schema["enum"].as_array().filter(|v| !v.is_empty()) {
        return rng.pick(values).clone();
    }
    let kind = match &schema["type"] {
        Value::String(kind) => kind.clone(),
        Value::Array(kinds) => rng.pick(kinds).as_str().unwrap_or("null").to_string(),
        _ => "object".to_string(),
    };
    match kind.as_str() {
        "object" if depth < 6 => {
            let mut object = Map::new();
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                if required.contains(&name.as_str()) || rng.below(2) == 0 {
                    object.insert(name.clone(), instance(property, strings, rng, depth + 1));
                }
            }
            Value::Object(object)
        }
        "array" if depth < 6 => (0..rng.below(4))
            .map(|_| instance(&schema["items"], strings, rng, depth + 1))
            .collect(),
        "string" => Value::String(rng.pick(strings).clone()),
        "integer" => json!(*rng.pick(&[1, 2, 3, 0, -1, i64::MAX, i64::MIN])),
        "number" => json!(*rng.pick(&[0.5, -1e308, 1e308])),
        "boolean" => Value::Bool(rng.below(2) == 0),
        _ => Value::Null,
    }
}

/// A value of any kind, hostile ones included.
fn anything(strings: &[String], rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => json!(*rng.pick(&[0i64, -1, i64::MAX, i64::MIN, 1 << 53])),
        3 => json!(1e300),
        4 => Value::String(rng.pick(strings).clone()),
        5 => json!([]),
        6 => json!({}),
        // Deep nesting.
        7 => (0..200).fold(json!(1), |inner, _| json!([inner])),
        _ => json!({ "unknown": "field" }),
    }
}

/// Mutates `value` in place: one node replaced, a key dropped or added.
fn mutate(value: &mut Value, strings: &[String], rng: &mut Rng) {
    match value {
        Value::Object(object) if !object.is_empty() && rng.below(3) > 0 => {
            let keys: Vec<String> = object.keys().cloned().collect();
            let key = rng.pick(&keys).clone();
            match rng.below(3) {
                0 => {
                    object.remove(&key);
                }
                1 => {
                    object.insert(key, anything(strings, rng));
                }
                _ => {
                    if let Some(inner) = object.get_mut(&key) {
                        mutate(inner, strings, rng);
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() && rng.below(2) == 0 => {
            let i = rng.below(items.len());
            mutate(&mut items[i], strings, rng);
        }
        _ => *value = anything(strings, rng),
    }
}

/// Byte-level damage to a serialised body.
fn damage(body: &mut Vec<u8>, rng: &mut Rng) {
    match rng.below(4) {
        0 => body.truncate(rng.below(body.len() + 1)),
        1 => {
            let at = rng.below(body.len() + 1);
            body.insert(at, *rng.pick(b"\0\xff\xc3{}[]\",:\\"));
        }
        2 => {
            if !body.is_empty() {
                let at = rng.below(body.len());
                body[at] ^= 1 << rng.below(8);
            }
        }
        _ => body.extend_from_slice(b"garbage"),
    }
}

/// Real postmortems, or a few made-up ones without a corpus.
fn markdown() -> Vec<String> {
    let mut documents = vec![
        "---\ntitle: Checkout outage\ndate: 2026-06-14\n---\n\n## Summary\n\nDown.\n".to_string(),
        "---\nrestricted: maybe\n---\n# x\n".to_string(),
        "---\na: &a [*a]\n---\n".to_string(),
    ];
    if let Some(corpus) = std::env::var_os("DEBRIEF_CORPUS") {
        let mut pending = vec![std::path::PathBuf::from(corpus)];
        while let Some(path) = pending.pop() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                pending.extend(entries.flatten().map(|e| e.path()));
            } else if path.extension().is_some_and(|e| e == "md")
                && let Ok(text) = std::fs::read_to_string(&path)
                && documents.len() < 60
            {
                documents.push(text);
            }
        }
    }
    documents
}

async fn fuzz(store: &Store, backend: &str) {
    let seconds: u64 = std::env::var("DEBRIEF_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("DEBRIEF_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let mut rng = Rng::new(seed);
    let admin = common::user(store, "admin", "SRE", Role::Admin).await;
    let dev = common::user(store, "dev", "Dev", Role::Contributor).await;
    let stranger = common::user(store, "stranger", "Product", Role::Viewer).await;
    let mut callers = vec![None, Some("not-a-token".to_string())];
    for user in [&admin, &dev, &stranger] {
        callers.push(Some(store.create_token(user, "fuzz").await.expect("token")));
    }
    let markdown = markdown();
    let strings = strings(&markdown);
    let mut ids = vec![0i64, -1, i64::MAX];
    for document in markdown.iter().take(5) {
        if let Ok(created) = store.create_postmortem(&dev, document).await {
            ids.push(created.id);
        }
    }
    let operations = operations();
    assert!(
        operations.len() >= 10,
        "the OpenAPI document lists {} JSON bodies",
        operations.len()
    );
    let app = http::router(AppState::new(store.clone(), HttpConfig::default()));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut executions = 0u64;
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let mut failures = Vec::new();
    while Instant::now() < deadline {
        let operation = rng.pick(&operations);
        let id = *rng.pick(&ids);
        let path = operation
            .template
            .split('/')
            .map(|part| match part {
                "{id}" if rng.below(8) == 0 => "not-a-number".to_string(),
                part if part.starts_with('{') => id.to_string(),
                part => part.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/");
        let mut value = instance(&operation.schema, &strings, &mut rng, 0);
        for _ in 0..rng.below(4) {
            mutate(&mut value, &strings, &mut rng);
        }
        let mut body = serde_json::to_vec(&value).expect("serialise");
        if rng.below(5) == 0 {
            damage(&mut body, &mut rng);
        }
        let mut request = Request::builder()
            .method(operation.method.as_str())
            .uri(&path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = rng.pick(&callers) {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let shown = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
        let request = request.body(Body::from(body)).expect("request");
        let status = match app.clone().oneshot(request).await {
            Ok(answer) => answer.status().as_u16(),
            Err(error) => panic!("{backend}: {} {path}: {error}", operation.method),
        };
        executions += 1;
        *statuses.entry(status).or_default() += 1;
        if status >= 500 && failures.len() < 20 {
            failures.push(format!("{} {path} -> {status}: {shown}", operation.method));
        }
    }
    eprintln!(
        "{backend}: {executions} requests in {seconds} s (seed {seed}) over {} JSON bodies; answers {statuses:?}",
        operations.len()
    );
    assert!(executions > 0);
    assert!(
        failures.is_empty(),
        "{backend}: answers of 500 or more:\n{}",
        failures.join("\n")
    );
}
