//! Alertmanager's webhook payload, version 4: a group of alerts (`groupKey`), firing or
//! resolved. Each alert's `startsAt` is an entry marked started: the earliest instant the
//! monitoring saw the condition; a resolved alert's `endsAt` is an entry marked resolved.
//!
//! The incident key is what Alertmanager sends PagerDuty as the `dedup_key` of the group,
//! the SHA-256 of the group key in hex, so that the alerts and the PagerDuty incident they
//! opened land in one postmortem.

use crate::{Delivery, Entry, Error, Source, instant_of_rfc3339};
use debrief_core::model::Milestone;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    version: String,
    group_key: String,
    status: String,
    alerts: Vec<Alert>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    status: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default, rename = "generatorURL")]
    generator_url: String,
    #[serde(default)]
    fingerprint: String,
}

/// Reads a payload; `file` names it in errors.
pub fn read(body: &[u8], file: &str) -> Result<Delivery, Error> {
    let payload: Payload = serde_json::from_slice(body).map_err(|e| Error::json(file, &e))?;
    if payload.version != "4" {
        return Err(Error::new(
            file,
            format!(
                "an Alertmanager payload of version {:?}; debrief reads version \"4\"",
                payload.version
            ),
        ));
    }
    if !matches!(payload.status.as_str(), "firing" | "resolved") {
        return Err(Error::new(
            file,
            format!(
                "status {:?}: it is \"firing\" or \"resolved\"",
                payload.status
            ),
        ));
    }
    let mut entries = Vec::new();
    let mut services = Vec::new();
    let mut severity = None;
    let mut title = String::new();
    for (index, alert) in payload.alerts.iter().enumerate() {
        let at = format!("{file}: alerts[{index}]");
        let name = alert
            .labels
            .get("alertname")
            .map_or("an alert", String::as_str);
        let summary = alert
            .annotations
            .get("summary")
            .or_else(|| alert.annotations.get("description"))
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        if title.is_empty() {
            title = summary.clone().unwrap_or_else(|| name.to_string());
        }
        for key in ["service", "job"] {
            if let Some(service) = alert.labels.get(key)
                && !services.contains(service)
            {
                services.push(service.clone());
                break;
            }
        }
        if severity.is_none() {
            severity = alert.labels.get("severity").cloned();
        }
        let link = (!alert.generator_url.is_empty()).then(|| alert.generator_url.clone());
        let what = summary.map_or_else(String::new, |s| format!(": {s}"));
        // Each state of the alert is an entry at its own instant: (field, value, state, words,
        // milestone).
        let mut states = vec![(
            "startsAt",
            &alert.starts_at,
            "firing",
            format!("Alert {name} fires{what}"),
            Milestone::Started,
        )];
        if alert.status == "resolved" {
            states.push((
                "endsAt",
                &alert.ends_at,
                "resolved",
                format!("Alert {name} resolves"),
                Milestone::Resolved,
            ));
        }
        for (field, value, state, text, milestone) in states {
            let when = instant_of_rfc3339(value).ok_or_else(|| {
                Error::new(&at, format!("{field} {value:?} is not an RFC 3339 instant"))
            })?;
            entries.push(Entry {
                at: when,
                text,
                milestone: Some(milestone),
                source: Source {
                    system: "alertmanager",
                    id: format!("{}/{state}/{value}", alert.fingerprint),
                    link: link.clone(),
                },
            });
        }
    }
    entries.sort_by_key(|e| e.at);
    Ok(Delivery {
        event_id: None,
        incident_key: hex::encode(Sha256::digest(payload.group_key.as_bytes())),
        resolved: payload.status == "resolved",
        title,
        services,
        severity,
        entries,
    })
}
