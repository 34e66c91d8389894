//! The template of a new postmortem: `debrief new` writes it, and the server's "new
//! postmortem" page starts from it.

use crate::model::{
    ActionItems, Impact, Metadata, Part, Postmortem, Section, SectionBody, SectionKind, Timeline,
};

/// The classic template, with a hint in each section, as a draft in UTC.
pub fn template(title: &str, date: jiff::civil::Date, severity: Option<String>) -> Postmortem {
    let hint = |text: &str| format!("<!-- {text} -->");
    let section = |kind: SectionKind, body: SectionBody| Section {
        heading: kind.canonical_heading().to_string(),
        level: 2,
        body,
    };
    let sections = vec![
        section(
            SectionKind::Summary,
            SectionBody::Summary(hint(
                "What happened, in two or three sentences, without names.",
            )),
        ),
        section(
            SectionKind::Impact,
            SectionBody::Impact(Impact {
                text: hint("Who was affected and how much: counts, money, complaints, duration."),
                items: Vec::new(),
            }),
        ),
        section(
            SectionKind::Timeline,
            SectionBody::Timeline(Timeline {
                parts: vec![Part::Text(hint(
                    "- 14:02 [started] What happened, one line per event. Mark [detected], [acknowledged], [mitigated], [resolved].",
                ))],
            }),
        ),
        section(
            SectionKind::RootCause,
            SectionBody::RootCause(hint(
                "The contributing factors: what about the system made this possible?",
            )),
        ),
        section(
            SectionKind::WentWell,
            SectionBody::WentWell(hint("What helped.")),
        ),
        section(
            SectionKind::WentBadly,
            SectionBody::WentBadly(hint("What made it worse or slower.")),
        ),
        section(
            SectionKind::Lucky,
            SectionBody::Lucky(hint("What could have gone worse.")),
        ),
        section(
            SectionKind::ActionItems,
            SectionBody::ActionItems(ActionItems {
                parts: vec![Part::Text(hint(
                    "- [ ] A specific change (owner: a team or role, due: 2 weeks)",
                ))],
            }),
        ),
    ];
    Postmortem {
        meta: Metadata {
            title: title.to_string(),
            date: Some(date),
            severity,
            status: Some("draft".to_string()),
            timezone: Some("UTC".to_string()),
            ..Metadata::default()
        },
        preamble: String::new(),
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_canonical() {
        let text = crate::write(&template(
            "Checkout",
            jiff::civil::date(2026, 6, 14),
            Some("SEV2".into()),
        ));
        assert_eq!(crate::write(&crate::read(&text).postmortem), text);
    }
}
