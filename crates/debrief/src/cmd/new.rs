//! `debrief new`: a new postmortem from the template, never overwriting a file.

use crate::Outcome;
use crate::cli::NewArgs;
use anyhow::{Context, Result, bail};
use debrief_core::model::{
    ActionItems, Impact, Metadata, Postmortem, Section, SectionBody, SectionKind, Timeline,
};
use std::fs::OpenOptions;
use std::io::Write;

pub fn run(args: NewArgs) -> Result<Outcome> {
    let title = args.title.trim();
    if title.is_empty() || title.contains('\n') {
        bail!("--title must be one non-empty line");
    }
    let date = args.date.unwrap_or_else(|| jiff::Zoned::now().date());
    let postmortem = template(title, date, args.severity);
    let path = args
        .dir
        .join(format!("{date}-{}.md", debrief_core::slug(title)));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| {
            format!(
                "{}: cannot create (debrief new never overwrites a file)",
                path.display()
            )
        })?;
    file.write_all(debrief_core::write(&postmortem).as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    println!("{}", path.display());
    Ok(Outcome::Clean)
}

/// The classic template, with a hint in each section.
fn template(title: &str, date: jiff::civil::Date, severity: Option<String>) -> Postmortem {
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
                parts: vec![debrief_core::model::Part::Text(hint(
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
                parts: vec![debrief_core::model::Part::Text(hint(
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
        let text = debrief_core::write(&template(
            "Checkout",
            jiff::civil::date(2026, 6, 14),
            Some("SEV2".into()),
        ));
        assert_eq!(
            debrief_core::write(&debrief_core::read(&text).postmortem),
            text
        );
    }
}
