//! Recognising section headings by meaning: "Contributing Factors", "What went wrong?",
//! "5 Whys", "Corrective and preventative measures", "Timeline of events (UTC)".

use crate::model::SectionKind;

/// Classifies a heading's plain text. Unrecognised headings are [`SectionKind::Other`].
pub(crate) fn classify(heading: &str) -> SectionKind {
    let normal = normalise(heading);
    let words: Vec<&str> = normal.split(' ').filter(|w| !w.is_empty()).collect();
    let text = words.join(" ");
    let text = text.strip_prefix("the ").unwrap_or(&text);
    let text = text.strip_prefix("incident ").unwrap_or(text);
    let text = text.strip_prefix("detailed ").unwrap_or(text);
    classify_normal(text)
}

fn classify_normal(text: &str) -> SectionKind {
    use SectionKind::*;
    let kind = match text {
        "summary" | "executive summary" | "overview" | "tl dr" | "tldr" | "synopsis"
        | "abstract" | "issue summary" | "what happened" | "description" => Summary,
        "impact"
        | "customer impact"
        | "user impact"
        | "business impact"
        | "impact assessment"
        | "impact and scope"
        | "who was affected"
        | "customer experience" => Impact,
        "timeline" | "timeline of events" | "sequence of events" | "chronology" | "events"
        | "event timeline" | "response timeline" => Timeline,
        "root cause"
        | "root causes"
        | "root cause analysis"
        | "rca"
        | "cause"
        | "causes"
        | "why did it happen"
        | "why it happened"
        | "five whys"
        | "5 whys"
        | "analysis"
        | "trigger"
        | "triggers"
        | "root cause and trigger" => RootCause,
        "contributing factors" | "contributing factor" | "contributors" | "contributing causes" => {
            ContributingFactors
        }
        "what went well"
        | "things that went well"
        | "went well"
        | "what went right"
        | "what worked"
        | "what worked well"
        | "what we did well" => WentWell,
        "what went badly"
        | "what went wrong"
        | "what went poorly"
        | "what didn't go well"
        | "what did not go well"
        | "what could have gone better"
        | "what could have been better"
        | "things that went wrong"
        | "things that went poorly"
        | "what could be improved"
        | "what didn't work"
        | "what did not work"
        | "went wrong"
        | "went badly"
        | "where we got unlucky" => WentBadly,
        "where we got lucky"
        | "where we were lucky"
        | "what we got lucky"
        | "what we got lucky with"
        | "lucky"
        | "where did we get lucky"
        | "things we got lucky with" => Lucky,
        "action items"
        | "action item"
        | "actions"
        | "follow up"
        | "follow ups"
        | "followups"
        | "follow up actions"
        | "follow up items"
        | "follow up tasks"
        | "followup tasks"
        | "next steps"
        | "remediation"
        | "remediations"
        | "remediation items"
        | "corrective actions"
        | "corrective and preventative measures"
        | "corrective and preventive measures"
        | "preventive measures"
        | "preventative measures"
        | "preventative actions"
        | "preventive actions"
        | "todo"
        | "to do"
        | "tasks"
        | "action plan"
        | "actions taken and planned"
        | "repair items" => ActionItems,
        "review meeting"
        | "review meeting notes"
        | "postmortem meeting"
        | "postmortem review meeting"
        | "post mortem meeting"
        | "retrospective meeting"
        | "meeting notes" => ReviewMeeting,
        _ => Other,
    };
    if kind != Other {
        return kind;
    }
    // Longer forms that keep a recognisable head: "Timeline of the outage", "Root cause: X".
    if text.starts_with("timeline") {
        Timeline
    } else if text.starts_with("root cause") {
        RootCause
    } else if text.starts_with("contributing factor") {
        ContributingFactors
    } else if text.starts_with("action item") || text.starts_with("corrective and prevent") {
        ActionItems
    } else {
        Other
    }
}

/// Lower-case, parentheses and their content removed, numbering ("1.", "2)") removed,
/// emoji shortcodes (":warning: Leadup") and pictographs dropped, punctuation turned into
/// spaces (apostrophes kept).
fn normalise(heading: &str) -> String {
    let heading = without_shortcodes(heading);
    let mut out = String::with_capacity(heading.len());
    let mut paren = 0u32;
    for c in heading.chars() {
        match c {
            '(' | '[' => paren += 1,
            ')' | ']' => paren = paren.saturating_sub(1),
            _ if paren > 0 => {}
            '\'' | '\u{2019}' => out.push('\''),
            // Pictographs and their modifiers are not words ("\u{1f6a8} Impact").
            c if u32::from(c) >= 0x2190 && !c.is_alphanumeric() => out.push(' '),
            // ASCII first: `to_lowercase` is an iterator, costly in a loop over every heading.
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    let trimmed = out.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    // "5 whys" must keep its number.
    if trimmed == "whys" {
        "5 whys".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The heading without `:shortcode:` emoji, as GitHub and MkDocs write them.
fn without_shortcodes(heading: &str) -> std::borrow::Cow<'_, str> {
    if !heading.contains(':') {
        return std::borrow::Cow::Borrowed(heading);
    }
    let mut out = String::with_capacity(heading.len());
    let mut rest = heading;
    while let Some(open) = rest.find(':') {
        let after = &rest[open + 1..];
        let code = after.find(':').filter(|&end| {
            end > 0
                && after[..end].bytes().all(|b| {
                    b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b == b'_'
                        || b == b'+'
                        || b == b'-'
                })
        });
        match code {
            Some(end) => {
                out.push_str(&rest[..open]);
                out.push(' ');
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SectionKind::*;

    #[test]
    fn emoji_are_not_words() {
        assert_eq!(classify(":flying_disc: Impact"), Impact);
        assert_eq!(
            classify(":ballot_box_with_check: Follow-up tasks"),
            ActionItems
        );
        assert_eq!(classify("\u{1f4dd} Timeline"), Timeline);
        assert_eq!(classify("Root cause: DNS"), RootCause);
    }

    #[test]
    fn synonyms_and_levels_of_formality() {
        let cases = [
            ("Summary", Summary),
            ("1. Executive Summary", Summary),
            ("Timeline (UTC)", Timeline),
            ("Incident Timeline", Timeline),
            ("Timeline of events", Timeline),
            ("Root Cause Analysis", RootCause),
            ("Contributing Factors", ContributingFactors),
            ("What went wrong?", WentBadly),
            ("What Didn't Go Well", WentBadly),
            ("What could have gone better?", WentBadly),
            ("Where we got lucky", Lucky),
            ("Action Items", ActionItems),
            ("Corrective and Preventative Measures", ActionItems),
            ("Remediation", ActionItems),
            ("Lessons Learned", Other),
            ("Stats", Other),
            ("Appendix", Other),
            ("5 Whys", RootCause),
        ];
        for (heading, kind) in cases {
            assert_eq!(classify(heading), kind, "{heading}");
        }
    }
}
