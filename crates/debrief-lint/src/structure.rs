//! The structure rules: required sections, quantified impact, a timeline that can be measured,
//! and action items.

use crate::{Ctx, Finding};
use debrief_core::Read;
use debrief_core::RuleId;
use debrief_core::model::{Milestone, SectionBody, SectionKind};

pub(crate) fn check(read: &Read, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let pm = &read.postmortem;
    let map = &read.source_map;
    let heading_of = |kind: SectionKind| {
        pm.sections
            .iter()
            .position(|s| s.body.kind() == kind)
            .and_then(|i| map.sections.get(i))
            .map(|s| s.heading.clone())
    };
    let top = map.body_start..map.body_start;

    for &kind in &ctx.config.required_sections {
        let present = pm.has_section(kind)
            || (kind == SectionKind::RootCause && pm.has_section(SectionKind::ContributingFactors));
        if !present {
            out.push(ctx.finding(
                RuleId::MissingSection,
                top.clone(),
                format!("no \"{}\" section", kind.canonical_heading()),
                Some(format!("add \"## {}\"", kind.canonical_heading())),
            ));
        }
    }

    if let Some(impact) = pm.impact()
        && !impact.text.trim().is_empty()
        && impact.items.iter().all(|i| i.quantities.is_empty())
        && let Some(at) = heading_of(SectionKind::Impact)
    {
        out.push(ctx.finding(
            RuleId::UnquantifiedImpact,
            at,
            "the impact states no quantity".to_string(),
            Some("say how much: requests, customers, money, complaints, minutes".to_string()),
        ));
    }

    let entries: Vec<_> = pm.timeline_entries().collect();
    for (i, pair) in entries.windows(2).enumerate() {
        if pair[1].at < pair[0].at {
            let at = map.entries.get(i + 1).copied().unwrap_or(top.start);
            out.push(ctx.finding(
                RuleId::TimelineOrder,
                at..at,
                format!(
                    "this entry ({}) is earlier than the one before it ({})",
                    pair[1].at, pair[0].at
                ),
                Some("check the date and the time zone of both entries".to_string()),
            ));
        }
    }
    if let Some(at) = heading_of(SectionKind::Timeline)
        && entries.len() >= 2
    {
        if read.analysis.entry_of(Milestone::Detected).is_none() {
            out.push(ctx.finding(
                RuleId::NoDetection,
                at.clone(),
                "no timeline entry marks when the incident was detected".to_string(),
                Some("mark the entry with [detected]".to_string()),
            ));
        }
        if pm.meta.timezone.is_none() {
            out.push(ctx.finding(
                RuleId::NoTimezone,
                at,
                "the timeline does not say which time zone its times are in".to_string(),
                Some("write \"## Timeline (UTC)\" or \"All times in UTC\"".to_string()),
            ));
        }
    }

    let has_action_section = pm
        .sections
        .iter()
        .any(|s| matches!(s.body, SectionBody::ActionItems(_)));
    if has_action_section
        && pm.action_items().next().is_none()
        && let Some(at) = heading_of(SectionKind::ActionItems)
    {
        out.push(ctx.finding(
            RuleId::NoActionItems,
            at,
            "the action items section lists no action items".to_string(),
            Some("add \"- [ ] <change> (owner: <team>, due: <date>)\"".to_string()),
        ));
    }
}
