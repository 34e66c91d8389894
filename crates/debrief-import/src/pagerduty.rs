//! PagerDuty's webhooks, version 3: one event per delivery (`event.event_type`,
//! `event.occurred_at`, the incident as `event.data`), signed with the subscription's
//! secret (`X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the body>`, several during a
//! secret's rotation).
//!
//! `incident.triggered` marks detected (people were told), `incident.acknowledged`
//! acknowledged and `incident.resolved` resolved; reopening, escalation, reassignment and
//! notes are entries without a milestone. The person who acted is written as a role ("the
//! on-call responder"), never by name.

use crate::{Delivery, Entry, Error, Source, instant_of_rfc3339};
use debrief_core::model::Milestone;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;

#[derive(Deserialize)]
struct Payload {
    event: Event,
}

#[derive(Deserialize)]
struct Event {
    id: String,
    event_type: String,
    #[serde(default)]
    resource_type: String,
    occurred_at: String,
    #[serde(default)]
    agent: Option<Reference>,
    #[serde(default)]
    data: Option<Incident>,
}

#[derive(Deserialize)]
struct Reference {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    summary: String,
}

#[derive(Deserialize)]
struct Incident {
    #[serde(default)]
    id: String,
    #[serde(default)]
    number: Option<u64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    html_url: String,
    #[serde(default)]
    incident_key: Option<String>,
    #[serde(default)]
    service: Option<Reference>,
    #[serde(default)]
    priority: Option<Reference>,
    #[serde(default)]
    urgency: Option<String>,
}

/// Whether `signatures` (the `X-PagerDuty-Signature` header) holds a `v1=` signature of
/// `body` with `secret`; compared in constant time.
pub fn verify(body: &[u8], signatures: &str, secret: &[u8]) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    signatures
        .split(',')
        .filter_map(|s| s.trim().strip_prefix("v1="))
        .filter_map(|hex_text| hex::decode(hex_text).ok())
        .any(|given| subtle::ConstantTimeEq::ct_eq(given.as_slice(), expected.as_slice()).into())
}

/// The `v1=` signature of `body` with `secret`, as PagerDuty sends it.
pub fn sign(body: &[u8], secret: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret).expect("HMAC-SHA256 takes a key of any length");
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Reads a payload; `file` names it in errors. `None` for an event of something else than
/// an incident (a service, a ping).
pub fn read(body: &[u8], file: &str) -> Result<Option<Delivery>, Error> {
    let payload: Payload = serde_json::from_slice(body).map_err(|e| Error::json(file, &e))?;
    let event = payload.event;
    if event.resource_type != "incident" && !event.event_type.starts_with("incident.") {
        return Ok(None);
    }
    let Some(incident) = event.data else {
        return Err(Error::new(
            file,
            format!(
                "event {} ({}) has no incident as its data",
                event.id, event.event_type
            ),
        ));
    };
    let at = instant_of_rfc3339(&event.occurred_at).ok_or_else(|| {
        Error::new(
            file,
            format!(
                "occurred_at {:?} is not an RFC 3339 instant",
                event.occurred_at
            ),
        )
    })?;
    // As a sentence's subject, and as its object.
    let (name, object) = match incident.number {
        Some(number) => {
            let name = format!("PagerDuty incident #{number}");
            (name.clone(), name)
        }
        None => (
            "The PagerDuty incident".to_string(),
            "the PagerDuty incident".to_string(),
        ),
    };
    let who = match event.agent {
        Some(agent) if agent.kind.starts_with("user") => "the on-call responder".to_string(),
        Some(agent) if !agent.summary.is_empty() => agent.summary,
        _ => "PagerDuty".to_string(),
    };
    let service = incident
        .service
        .map(|s| s.summary)
        .filter(|s| !s.is_empty());
    let (text, milestone) = match event.event_type.as_str() {
        "incident.triggered" => (
            format!(
                "{name} triggers: {}{}",
                incident.title,
                service
                    .as_ref()
                    .map_or(String::new(), |s| format!(" ({s})"))
            ),
            Some(Milestone::Detected),
        ),
        "incident.acknowledged" => (
            format!("{who} acknowledges {}", object),
            Some(Milestone::Acknowledged),
        ),
        "incident.resolved" => (
            format!("{name} is resolved by {who}"),
            Some(Milestone::Resolved),
        ),
        "incident.unacknowledged" => (format!("{name} is no longer acknowledged"), None),
        "incident.reopened" => (format!("{name} is reopened by {who}"), None),
        "incident.escalated" => (format!("{name} is escalated"), None),
        "incident.reassigned" => (format!("{name} is reassigned by {who}"), None),
        "incident.priority_updated" => (format!("{name} changes priority"), None),
        "incident.responder.added" => (format!("{who} adds a responder to {}", object), None),
        "incident.annotated" => (format!("{who} adds a note to {}", object), None),
        "incident.status_update_published" => {
            (format!("A status update is published for {}", object), None)
        }
        other => (
            format!(
                "{name}: {}",
                other
                    .trim_start_matches("incident.")
                    .replace(['_', '.'], " ")
            ),
            None,
        ),
    };
    let text = debrief_core::capitalised(&text);
    Ok(Some(Delivery {
        event_id: Some(event.id.clone()),
        incident_key: incident
            .incident_key
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| incident.id.clone()),
        resolved: event.event_type == "incident.resolved",
        title: incident.title,
        services: service.into_iter().collect(),
        severity: incident
            .priority
            .map(|p| p.summary)
            .filter(|p| !p.is_empty())
            .or(incident.urgency),
        entries: vec![Entry {
            at,
            text,
            milestone,
            source: Source {
                system: "pagerduty",
                id: event.id,
                link: (!incident.html_url.is_empty()).then_some(incident.html_url),
            },
        }],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_checked_against_the_body_and_every_secret_in_rotation() {
        let body = br#"{"event":{}}"#;
        let good = sign(body, b"s3cret");
        assert!(verify(body, &good, b"s3cret"));
        assert!(
            verify(body, &format!("v1=00ff, {good}"), b"s3cret"),
            "rotation"
        );
        assert!(!verify(body, &good, b"other"));
        assert!(!verify(br#"{"event":{"x":1}}"#, &good, b"s3cret"));
        assert!(!verify(body, "v1=zz", b"s3cret"));
        assert!(!verify(body, "", b"s3cret"));
    }
}
