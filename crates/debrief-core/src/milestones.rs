//! Milestones and metrics: which timeline entries mark when impact started, when it was
//! detected, acknowledged, mitigated and resolved; and the times between them.
//!
//! Explicit markers (`- 14:05 [detected] Alert fires`) always win. Otherwise milestones are
//! inferred from the entries' wording, in order, each at or after the one before:
//!
//! - **started**: a set-apart note ("(problem started)"); else, among the entries before the
//!   first detection, the first whose text says a failure began ("pods started crashlooping");
//!   else the first of them that is not prologue. Prologue is what the timeline records before
//!   impact: a latent cause more than a day before the next entry ("IngressRoute applied" days
//!   earlier), a planned activity opening while more follows ("maintenance started",
//!   "upgrade commenced"), a statement that all was fine. With nothing to go on, the first entry.
//! - **detected**: alerts, reports, notices, a ticket raised about a fault; a report that all
//!   is fine is not a detection, nor is what a system is meant to do ("the hub is supposed to
//!   repopulate the routes when it notices they are empty").
//!   When nothing marks detection, the first acknowledgement is the latest it can have been;
//!   with neither, an entry where impact started that states the failure was seen as it happened.
//! - **acknowledged**: investigation starting, responders joining or jumping in, an incident
//!   declared.
//! - **mitigated** and **resolved**: done, not begun ("rollback initiated"), failed ("rollback
//!   fails") or denied ("a fault that can't be fixed"); permanent fixes and long-term
//!   follow-ups after the incident do not end it. Part of those affected working again ("most
//!   users are fine by now") and a status page set to "monitoring" mitigate. When only one of
//!   the two is written, it carries both.
//!
//! Inferred milestones never produce a negative duration; explicit markers out of order are
//! reported and the affected figures left unknown.

use crate::model::{Milestone, Postmortem, TimelineEntry};
use crate::phrases::Phrases;
use jiff::Timestamp;
use serde::Serialize;
use std::sync::OnceLock;

/// The metrics of one postmortem, in whole seconds; `None` when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Metrics {
    /// Started to resolved.
    pub duration_s: Option<i64>,
    /// Started to detected.
    pub time_to_detect_s: Option<i64>,
    /// Started to acknowledged.
    pub time_to_acknowledge_s: Option<i64>,
    /// Started to mitigated (resolution implies mitigation when no mitigation is marked).
    pub time_to_mitigate_s: Option<i64>,
    /// Started to resolved.
    pub time_to_resolve_s: Option<i64>,
}

/// The milestones of a timeline and the metrics they give.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    /// The milestone of each entry of [`Postmortem::timeline_entries`], by position.
    pub milestones: Vec<Option<Milestone>>,
    /// The figures.
    pub metrics: Metrics,
    /// Explicitly marked milestones that come before an earlier milestone: (entry index,
    /// its milestone, the milestone it should follow).
    pub out_of_order: Vec<(usize, Milestone, Milestone)>,
    /// The entry of each milestone, in [`Milestone::ALL`] order. One entry may carry several
    /// ("CloudWatch alarm posts to Slack" both starts and detects a near miss); `milestones`
    /// shows the first of them.
    pub entries: [Option<usize>; 5],
    /// Why each milestone is where it is, in [`Milestone::ALL`] order: "marked", or the
    /// words that decided it.
    pub reasons: [Option<String>; 5],
}

impl Analysis {
    /// The entry index carrying a milestone.
    pub fn entry_of(&self, milestone: Milestone) -> Option<usize> {
        self.entries[milestone as usize]
    }

    /// Why the milestone is where it is: "marked", or the words that decided it.
    pub fn reason(&self, milestone: Milestone) -> Option<&str> {
        self.reasons[milestone as usize].as_deref()
    }
}

/// A duration as people read it: `3d 4h`, `2h 05m`, `14m`, `45s`.
pub fn human_duration(seconds: i64) -> String {
    let s = seconds;
    let (days, hours, minutes, secs) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {minutes:02}m")
    } else if minutes > 0 || secs == 0 {
        format!("{minutes}m")
    } else {
        format!("{secs}s")
    }
}

/// Computes milestones and metrics for a postmortem's timeline.
pub fn analyse(postmortem: &Postmortem) -> Analysis {
    let entries: Vec<&TimelineEntry> = postmortem.timeline_entries().collect();
    analyse_entries(&entries)
}

/// Computes milestones and metrics for timeline entries in document order. Entries that
/// give only a day take no milestone: their instant is the start of that day.
pub fn analyse_entries(entries: &[&TimelineEntry]) -> Analysis {
    if !entries.iter().any(|e| e.day_only) {
        return analyse_timed(entries);
    }
    let timed: Vec<usize> = (0..entries.len())
        .filter(|&i| !entries[i].day_only)
        .collect();
    let subset: Vec<&TimelineEntry> = timed.iter().map(|&i| entries[i]).collect();
    let inner = analyse_timed(&subset);
    let mut analysis = Analysis {
        milestones: vec![None; entries.len()],
        metrics: inner.metrics,
        reasons: inner.reasons,
        ..Analysis::default()
    };
    for (k, &i) in timed.iter().enumerate() {
        analysis.milestones[i] = inner.milestones[k];
    }
    analysis.entries = inner.entries.map(|e| e.map(|k| timed[k]));
    analysis.out_of_order = inner
        .out_of_order
        .into_iter()
        .map(|(k, later, earlier)| (timed[k], later, earlier))
        .collect();
    analysis
}

fn analyse_timed(entries: &[&TimelineEntry]) -> Analysis {
    let mut analysis = Analysis {
        milestones: vec![None; entries.len()],
        ..Analysis::default()
    };
    if entries.is_empty() {
        return analysis;
    }
    let cues: Vec<Cues> = entries.iter().map(|e| Cues::of(&e.text)).collect();
    // An entry a day or more after both its neighbours ("2022-02-20 19:30" between entries of
    // 2022-02-02) is most likely a typo: no inferred milestone is put on it.
    let outlier: Vec<bool> = (0..entries.len())
        .map(|i| {
            let after = |j: usize| entries[i].at.as_second() - entries[j].at.as_second() > 86_400;
            i > 0 && i + 1 < entries.len() && after(i - 1) && after(i + 1)
        })
        .collect();
    let mut chosen: [Option<usize>; 5] = [None; 5];
    for m in Milestone::ALL {
        chosen[m as usize] = entries.iter().position(|e| e.milestone == Some(m));
    }
    let marked_start = chosen[0].is_some();
    let (started, started_by_cue) = match chosen[0] {
        Some(i) => (i, true),
        None => infer_started(entries, &cues),
    };
    chosen[0] = Some(started);
    let started_at = entries[started].at;
    // A start found by the failure it describes ("discovers the checks are failing") may be
    // where the failure was seen; one marked or worded as a start ("problem started") is not.
    let started_by_symptom = !marked_start
        && cues[started].symptom
        && cues[started].strong != Some(Milestone::Started)
        && !cues[started].weak.contains(&Milestone::Started);

    // The others: strong cues first, then the first weak cue in the window the milestones
    // already chosen leave. Detection, mitigation and resolution follow one another;
    // acknowledgement falls between detection and mitigation, because an incident declared
    // after the fact ("formal incident declared retroactively") does not delay the mitigation.
    let pick = |m: Milestone,
                chosen: &mut [Option<usize>; 5],
                floor: Timestamp,
                ceiling: Option<Timestamp>| {
        if chosen[m as usize].is_some() {
            return;
        }
        // A set-apart "**Detection:**" may sit on the started entry itself.
        let free = |i: usize| {
            !outlier[i]
                && entries[i].at >= floor
                && ceiling.is_none_or(|c| entries[i].at <= c)
                && (i == started
                    || !chosen.contains(&Some(i))
                    // "Rollback complete, errors back to zero" both mitigates and resolves.
                    || (m == Milestone::Resolved && chosen[Milestone::Mitigated as usize] == Some(i)))
        };
        let strong = (0..entries.len()).find(|&i| cues[i].strong == Some(m) && free(i));
        // The entry where impact started may also be where it was seen ("CloudWatch alarm
        // posts to Slack" opening a near miss), unless a cue of its own put the start there.
        let weak = |shared: bool| {
            (0..entries.len()).find(|&i| {
                let mitigation = chosen[Milestone::Mitigated as usize] == Some(i);
                (i != started
                    || ((!started_by_cue || started_by_symptom) && m <= Milestone::Acknowledged))
                    && cues[i].weak.contains(&m)
                    && free(i)
                    && (shared || !mitigation || m != Milestone::Resolved)
            })
        };
        // A later entry that resolves is preferred to the mitigation's own.
        chosen[m as usize] = strong.or_else(|| weak(false)).or_else(|| weak(true));
    };
    let time_of =
        |chosen: &[Option<usize>; 5], m: Milestone| chosen[m as usize].map(|i| entries[i].at);
    // Detection comes no later than the first acknowledgement: "root cause discovered" after
    // the investigation began is not when the incident was noticed.
    let first_ack = (0..entries.len())
        .find(|&i| {
            i != started
                && entries[i].at >= started_at
                && cues[i].weak.contains(&Milestone::Acknowledged)
        })
        .map(|i| entries[i].at);
    pick(Milestone::Detected, &mut chosen, started_at, first_ack);
    let detected_at = time_of(&chosen, Milestone::Detected).unwrap_or(started_at);
    pick(Milestone::Mitigated, &mut chosen, detected_at, None);
    let mitigated_at = time_of(&chosen, Milestone::Mitigated).unwrap_or(detected_at);
    // Resolution is full recovery: a weak cue followed by new failures ("Indexer service is
    // restored", then "deposit processing halts") gives way to a later one with none after.
    let full_recovery = |chosen: &mut [Option<usize>; 5]| {
        let Some(first) = chosen[Milestone::Resolved as usize] else {
            return;
        };
        if cues[first].strong == Some(Milestone::Resolved)
            || entries[first].milestone == Some(Milestone::Resolved)
        {
            return;
        }
        let failing_after =
            |i: usize| (i + 1..entries.len()).any(|j| cues[j].symptom && !outlier[j]);
        if failing_after(first)
            && let Some(later) = (first + 1..entries.len()).find(|&i| {
                !outlier[i] && cues[i].weak.contains(&Milestone::Resolved) && !failing_after(i)
            })
        {
            chosen[Milestone::Resolved as usize] = Some(later);
        }
    };
    pick(Milestone::Resolved, &mut chosen, mitigated_at, None);
    full_recovery(&mut chosen);
    // A mitigation placed after every resolution ("banner removed" hours after "status page
    // set to resolved") was not one: resolve from detection on, and mitigate before it.
    if chosen[Milestone::Resolved as usize].is_none()
        && let Some(mitigated) = chosen[Milestone::Mitigated as usize]
        && entries[mitigated].milestone != Some(Milestone::Mitigated)
    {
        let saved = chosen[Milestone::Mitigated as usize].take();
        pick(Milestone::Resolved, &mut chosen, detected_at, None);
        full_recovery(&mut chosen);
        match chosen[Milestone::Resolved as usize] {
            Some(resolved) => {
                let resolved_at = entries[resolved].at;
                pick(
                    Milestone::Mitigated,
                    &mut chosen,
                    detected_at,
                    Some(resolved_at),
                );
            }
            None => chosen[Milestone::Mitigated as usize] = saved,
        }
    }
    let response_ends =
        time_of(&chosen, Milestone::Mitigated).or(time_of(&chosen, Milestone::Resolved));
    pick(
        Milestone::Acknowledged,
        &mut chosen,
        detected_at,
        response_ends,
    );
    // The first person acting on the incident after it was seen has taken it on, whether or
    // not words of acknowledgement say so: "Edward notices the alarm and writes to the
    // team". A machine detecting ("the alarm fires") is not a responder; a person is.
    let mut ack_by_actor = false;
    if let Some(detected) = chosen[Milestone::Detected as usize]
        && entries[detected].milestone != Some(Milestone::Detected)
        && !entries
            .iter()
            .any(|e| e.milestone == Some(Milestone::Acknowledged))
    {
        let by_actor = (detected..entries.len()).find(|&i| {
            cues[i].actor.is_some()
                && entries[i].at >= detected_at
                && response_ends.is_none_or(|end| entries[i].at <= end)
        });
        let by_words = chosen[Milestone::Acknowledged as usize];
        if let Some(actor) = by_actor
            && by_words.is_none_or(|w| entries[actor].at < entries[w].at)
        {
            chosen[Milestone::Acknowledged as usize] = Some(actor);
            ack_by_actor = true;
        }
    }
    // When only the resolution is written, it is also when impact stopped.
    let mitigated_by_resolution = chosen[Milestone::Mitigated as usize].is_none()
        && chosen[Milestone::Resolved as usize].is_some();
    if mitigated_by_resolution {
        chosen[Milestone::Mitigated as usize] = chosen[Milestone::Resolved as usize];
    }
    // And when only the mitigation is written, nothing after it says otherwise: it is the
    // last word on the impact, and both figures use it.
    let resolved_by_mitigation = chosen[Milestone::Resolved as usize].is_none()
        && chosen[Milestone::Mitigated as usize].is_some();
    if resolved_by_mitigation {
        chosen[Milestone::Resolved as usize] = chosen[Milestone::Mitigated as usize];
    }

    for (m, index) in Milestone::ALL.iter().zip(chosen) {
        let Some(i) = index else { continue };
        let by_resolution = *m == Milestone::Mitigated && mitigated_by_resolution;
        let by_mitigation = *m == Milestone::Resolved && resolved_by_mitigation;
        if analysis.milestones[i].is_none() && !by_resolution && !by_mitigation {
            analysis.milestones[i] = Some(*m);
        }
        analysis.reasons[*m as usize] = Some(if entries[i].milestone == Some(*m) {
            "marked".to_string()
        } else if *m == Milestone::Started && !marked_start && !started_by_cue {
            "the first entry of the incident".to_string()
        } else if by_resolution {
            "the resolution: no mitigation is written before it".to_string()
        } else if by_mitigation {
            "the mitigation: no resolution is written after it".to_string()
        } else if *m == Milestone::Acknowledged && ack_by_actor {
            let actor = cues[i].actor.as_deref().unwrap_or_default();
            format!("the first responder acting after detection, \u{201c}{actor}\u{201d}")
        } else {
            cues[i].reason(*m)
        });
    }
    analysis.entries = chosen;

    // Explicit markers out of order.
    for later in Milestone::ALL {
        let Some(l) = chosen[later as usize] else {
            continue;
        };
        if entries[l].milestone != Some(later) {
            continue;
        }
        if let Some(earlier) = Milestone::ALL
            .iter()
            .filter(|m| **m < later)
            .rev()
            .find(|m| chosen[**m as usize].is_some_and(|e| entries[e].at > entries[l].at))
        {
            analysis.out_of_order.push((l, later, *earlier));
        }
    }

    let at = |m: Milestone| chosen[m as usize].map(|i| entries[i].at);
    let since_start = |t: Option<Timestamp>| {
        t.map(|t| t.as_second() - started_at.as_second())
            .filter(|s| *s >= 0)
    };
    let acknowledged = since_start(at(Milestone::Acknowledged));
    // With neither detection nor acknowledgement written, an entry where impact started that
    // already states the failure ("KIAM service fully down") was observed as it happened.
    let observed_at_start = cues[started].symptom.then_some(0);
    let detected = since_start(at(Milestone::Detected))
        .or(acknowledged)
        .or(observed_at_start);
    let resolved = since_start(at(Milestone::Resolved));
    let mitigated = since_start(at(Milestone::Mitigated));
    let (mitigated, resolved) = (mitigated.or(resolved), resolved.or(mitigated));
    analysis.metrics = Metrics {
        duration_s: resolved,
        time_to_detect_s: detected,
        time_to_acknowledge_s: acknowledged,
        time_to_mitigate_s: mitigated,
        time_to_resolve_s: resolved,
    };
    analysis
}

/// A latent cause is written more than this long before the next entry.
const LATENT_GAP_SECONDS: i64 = 24 * 3600;

/// Where impact started, when no entry is marked: see the module documentation. Says also
/// whether the entry's own words put the start there (rather than its being the first).
fn infer_started(entries: &[&TimelineEntry], cues: &[Cues]) -> (usize, bool) {
    if let Some(i) = cues
        .iter()
        .position(|c| c.strong == Some(Milestone::Started))
    {
        return (i, true);
    }
    let first_response = cues
        .iter()
        .position(|c| {
            c.strong.is_some_and(|m| m > Milestone::Started)
                || c.weak
                    .iter()
                    .any(|m| matches!(m, Milestone::Detected | Milestone::Acknowledged))
        })
        .unwrap_or(entries.len());
    let before: Vec<usize> = (0..first_response).collect();
    if let Some(&i) = before
        .iter()
        .find(|&&i| cues[i].weak.contains(&Milestone::Started))
    {
        return (i, true);
    }
    // The first symptom: "a user seeing Prow unresponsive", "all services returning 404".
    if let Some(&i) = before.iter().find(|&&i| cues[i].symptom) {
        return (i, true);
    }
    let prologue = |n: usize| {
        let i = before[n];
        let Some(&next) = before.get(n + 1) else {
            return false;
        };
        let gap = entries[next].at.as_second() - entries[i].at.as_second();
        cues[i].activity_opens || cues[i].healthy || gap > LATENT_GAP_SECONDS
    };
    (0..before.len())
        .find(|&n| !prologue(n))
        .map_or((0, false), |n| (before[n], false))
}

/// What an entry's text says about milestones.
#[derive(Debug, Default)]
struct Cues {
    /// A marker the author set apart: "(resolved)", "(**outage ends**)", "**Detection:**".
    strong: Option<Milestone>,
    /// Milestones the wording suggests.
    weak: Vec<Milestone>,
    /// A planned activity opens: "maintenance started", "upgrade commenced".
    activity_opens: bool,
    /// The entry says all was well: "functional tests indicate all fine".
    healthy: bool,
    /// The entry describes the system failing: errors, timeouts, unresponsive.
    symptom: bool,
    /// The words that suggested each milestone, in [`Milestone::ALL`] order.
    words: [Option<String>; 5],
    /// A person who acts in the entry, as written at its start: "@astonm", "We",
    /// "Edward Louth", "The on-call engineer".
    actor: Option<String>,
}

impl Cues {
    fn of(text: &str) -> Cues {
        let lower = plain_lower(text);
        // One pass finds the phrases of the whole entry and of its set-apart note.
        let apart = set_apart(&lower);
        let matches = Found::matches(&lower);
        let found = Found::within(&matches, 0..lower.len());
        let strong = apart.and_then(|range| {
            let part = Found::within(&matches, range.clone());
            weak_from(part, &lower[range], None).first().copied()
        });
        // Each sentence is judged on its own, so that "the cause was initially unclear"
        // does not deny the alarm of the sentence before it.
        let mut weak = Vec::new();
        let mut words: [Option<String>; 5] = Default::default();
        let base = lower.as_ptr() as usize;
        for sentence in sentences(&lower) {
            let start = sentence.as_ptr() as usize - base;
            let found = Found::within(&matches, start..start + sentence.len());
            // What a notice says after "that".
            let notices = found.has(Found::DETECTED) || found.has(Found::SEEING);
            let clause = notices
                .then(|| sentence.find(" that "))
                .flatten()
                .map(|at| Found::within(&matches, start + at..start + sentence.len()));
            for m in weak_from(found, sentence, clause) {
                if !weak.contains(&m) {
                    weak.push(m);
                    words[m as usize] = found.words(m, sentence);
                }
            }
        }
        weak.sort();
        Cues {
            actor: actor(text),
            words,
            strong,
            activity_opens: found.has(Found::OPENS) && !weak.contains(&Milestone::Started),
            healthy: found.has(Found::HEALTHY),
            symptom: found.has(Found::FAILING) && !found.has(Found::HEALTHY),
            weak,
        }
    }
}

impl Cues {
    /// Why the wording suggests `milestone`: the words that decided it.
    fn reason(&self, milestone: Milestone) -> String {
        let set_apart = if self.strong == Some(milestone) {
            ", set apart"
        } else {
            ""
        };
        match &self.words[milestone as usize] {
            Some(words) => format!("the words \u{201c}{words}\u{201d}{set_apart}"),
            None if milestone == Milestone::Started && self.symptom => {
                "the first failure described".to_string()
            }
            None => "its place between the other milestones".to_string(),
        }
    }
}

/// Lower-case text without link targets, emphasis and code marks. Runs once per entry on
/// every keystroke, so ASCII takes a byte-wise path.
fn plain_lower(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        // Copy the run up to the next byte that needs a look, lower-cased, in one go.
        let run = bytes[i..]
            .iter()
            .position(|&b| !b.is_ascii() || matches!(b, b'*' | b'_' | b'`' | b'[' | b']'))
            .map_or(bytes.len(), |p| i + p);
        if run > i {
            out.push_str(&text[i..run]);
            let start = out.len() - (run - i);
            // Only ASCII was pushed, so lower-casing it in place keeps the String valid.
            out[start..].make_ascii_lowercase();
            i = run;
            continue;
        }
        let b = bytes[i];
        if !b.is_ascii() {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.extend(c.to_lowercase());
            i += c.len_utf8();
            continue;
        }
        match b {
            // "[label](url)": keep the label, drop the url.
            b']' if bytes.get(i + 1) == Some(&b'(') => {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b')')
                    .map_or(bytes.len(), |p| i + p + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The person an entry starts with, when it starts with one acting: an `@handle`, "we" or
/// "I", a team or on-call role, or a full name ("Edward Louth notices ..."), followed by a
/// lower-case word (the verb).
fn actor(text: &str) -> Option<String> {
    // The first five words, without emphasis, code or link marks around them.
    let mut words: [&str; 5] = [""; 5];
    let mut n = 0;
    for word in text.split_ascii_whitespace() {
        let word = word.trim_matches(['[', ']', '*', '_', '`']);
        if word.is_empty() {
            continue;
        }
        words[n] = word;
        n += 1;
        if n == words.len() {
            break;
        }
    }
    let words = &words[..n];
    let lowercase_word = |k: usize| {
        words
            .get(k)
            .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
    };
    let first = *words.first()?;
    let lower = first.to_lowercase();
    if first.len() > 1 && first.starts_with('@') && lowercase_word(1) {
        return Some(first.trim_end_matches([',', ':', '.']).to_string());
    }
    if matches!(lower.as_str(), "we" | "i") && lowercase_word(1) {
        return Some(first.to_string());
    }
    // "The on-call engineer", "Team joins", "SRE team": roles of responders.
    let role_at = usize::from(matches!(lower.as_str(), "the" | "our"));
    let role_words = |k: usize| {
        words.get(k).is_some_and(|w| {
            let w = w.to_lowercase();
            RESPONDER_ROLES.contains(&w.trim_end_matches([',', ':']))
        })
    };
    if role_words(role_at) {
        let mut end = role_at + 1;
        while role_words(end) {
            end += 1;
        }
        // The phrase ends on a person ("the incident commander", "support engineer"), not
        // a modifier ("The incident was ...").
        let head = words[end - 1].to_lowercase();
        let person = !ROLE_MODIFIERS.contains(&head.trim_end_matches([',', ':']));
        if person && lowercase_word(end) {
            return Some(words[..end].join(" "));
        }
    }
    let name_word = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && w.len() <= 15
            && chars.all(|c| c.is_lowercase() || c == '-' || c == '\'')
    };
    // "Edward Louth notices": two capitalised words, not a determiner, then a verb.
    if name_word(first)
        && !DETERMINERS.contains(&lower.as_str())
        && words.get(1).is_some_and(|w| name_word(w))
        && lowercase_word(2)
    {
        return Some(words[..2].join(" "));
    }
    None
}

/// Words that stand for responders at the start of an entry.
const RESPONDER_ROLES: &[&str] = &[
    "team",
    "on-call",
    "oncall",
    "on-caller",
    "sre",
    "sres",
    "engineer",
    "engineers",
    "responder",
    "responders",
    "ops",
    "operator",
    "operators",
    "admin",
    "admins",
    "maintainer",
    "maintainers",
    "developer",
    "developers",
    "incident",
    "commander",
    "infra",
    "infrastructure",
    "platform",
    "support",
    "security",
];

/// Words of [`RESPONDER_ROLES`] that only qualify a person ("the incident commander", "the
/// support engineer") and are no responder at the end of the phrase.
const ROLE_MODIFIERS: &[&str] = &[
    "incident",
    "infra",
    "infrastructure",
    "platform",
    "support",
    "security",
];

/// Capitalised words that open a noun phrase, never a name.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "our", "their", "all", "some", "new",
    "old", "last", "first", "more", "most", "no", "one", "two", "another", "each", "every",
];

/// The sentences of an entry: split after `.`, `!`, `?` or `;` followed by white space, and
/// at line breaks.
fn sentences(lower: &str) -> impl Iterator<Item = &str> {
    let bytes = lower.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let end = i;
            let b = bytes[i];
            i += 1;
            // A line break inside a paragraph is hard wrapping ("a critical\nissue"): only
            // a blank line or a list item below ends the sentence there.
            let breaks = (b == b'\n' && starts_block(&bytes[i..]))
                || (matches!(b, b'.' | b'!' | b'?' | b';')
                    && bytes.get(i).is_none_or(u8::is_ascii_whitespace));
            if breaks {
                let sentence = &lower[start..end];
                start = i;
                if !sentence.trim().is_empty() {
                    return Some(sentence);
                }
            }
        }
        let sentence = &lower[start..];
        start = bytes.len();
        (!sentence.trim().is_empty()).then_some(sentence)
    })
}

/// Whether the line starting here opens a block of its own: a blank line, a list item, a
/// table row, a quote, a heading or a fence.
fn starts_block(line: &[u8]) -> bool {
    let indent = line
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let rest = &line[indent..];
    match rest.first() {
        None | Some(b'\n' | b'|' | b'>' | b'#' | b'`') => true,
        Some(b'-' | b'*' | b'+') => rest.get(1).is_none_or(|&b| b == b' '),
        Some(b'0'..=b'9') => {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            matches!(rest.get(digits), Some(b'.' | b')'))
                && rest.get(digits + 1).is_none_or(|&b| b == b' ')
        }
        _ => false,
    }
}

/// A short parenthesised note or a leading label: "(problem started)", "detection: ...".
fn set_apart(lower: &str) -> Option<std::ops::Range<usize>> {
    if let Some(open) = lower.rfind('(')
        && let Some(close) = lower[open..].find(')')
    {
        let inner = open + 1..open + close;
        // "(report #2)" numbers a thing; it marks no milestone.
        if lower[inner.clone()].split_whitespace().count() <= 3
            && !lower[inner.clone()].contains('#')
        {
            return Some(inner);
        }
    }
    let colon = lower.find(':')?;
    (lower[..colon].split_whitespace().count() <= 2).then_some(0..colon)
}

/// Impact beginning: an explicit note, or a verb of beginning with a failure.
const STARTED: &[&str] = &[
    "problem started",
    "problem starts",
    "outage starts",
    "outage started",
    "outage begins",
    "impact starts",
    "impact started",
    "impact begins",
    "incident starts",
    "incident started",
    "issue started",
    "issue starts",
    "went down",
    "goes down",
];
const BEGINS: &[&str] = &[
    "started",
    "starts",
    "start",
    "began",
    "begins",
    "begin",
    "commenced",
    "commences",
];
const FAILING: &[&str] = &[
    "stops respond",
    "stopped respond",
    "stop respond",
    "not respond",
    "stops working",
    "stopped working",
    "fail",
    "crash",
    "error",
    "timeout",
    "timing out",
    "time out",
    "5xx",
    "500",
    "502",
    "503",
    "504",
    "down",
    "degrad",
    "unavailable",
    "unresponsive",
    "unhealthy",
    "dropping",
    "rejecting",
    "refus",
    "saturat",
];
/// Planned activities whose start is prologue when more follows before impact.
const OPENS: &[&str] = &[
    "started",
    "starts",
    "commenced",
    "commences",
    "begins",
    "began",
    "kicked off",
    "maintenance",
    "workshop",
];
const HEALTHY: &[&str] = &[
    "all good",
    "all fine",
    "no issue",
    "no issues",
    "no problem",
    "as expected",
    "looks good",
    "look good",
    "looked fine",
    "all green",
];
const DETECTED: &[&str] = &[
    "alert",
    "alarm",
    "detect",
    "discovery",
    "noticed",
    "notices",
    "notice ",
    "notified",
    "notifies",
    "report",
    "paged",
    "pages ",
    "observed",
    "observe ",
    "discovered",
    "discovers",
    "realise",
    "realize",
    "spotted",
    "spots",
    "became aware",
    "become aware",
    "complain",
    "flagged",
    "monitoring shows",
    "was raised",
    "reached out",
    "witness",
    "asks if",
    "asked if",
    "asks whether",
    "asked whether",
];
const ACKNOWLEDGED: &[&str] = &[
    "acknowledg",
    "digging",
    "dig into",
    "debugging",
    "troubleshoot",
    "ack'd",
    "acked",
    "investigat",
    "looking into",
    "look into",
    "looks into",
    "joins",
    "joined",
    "jumped in",
    "jumps in",
    "jumped on",
    "jumps on",
    "hopped on",
    "hops on",
    "responds",
    "responded",
    "engaged",
    "incident declared",
    "declares an incident",
    "declared an incident",
    "declare an incident",
    "escalat",
    "triag",
    "war room",
    "incident channel",
    "started working on",
    "starts working on",
    "began working on",
    "begins working on",
    "start working on",
    "take a look",
    "takes a look",
    "begins looking",
    "started looking",
    "starts looking",
    "diagnos",
];
const MITIGATED: &[&str] = &[
    "mitigat",
    "rolled back",
    "rollback complete",
    "rollback finished",
    "rollback done",
    "rollback deployed",
    "rollback performed",
    "roll back performed",
    "rolled-back",
    "reverted",
    "revert deployed",
    "reverts deployed",
    "revert merged",
    "workaround",
    "failed over",
    "failover complete",
    "restarted",
    "scaled up",
    "scaled out",
    "disabled",
    "toggl",
    "downgraded",
    "hotfix deployed",
    "fix deployed",
    "fix applied",
    "manual fix",
    "fixed",
    "patched",
    "reattached",
    "re-attached",
    "drained",
    "manually attach",
    "removed",
    "recovering",
    "partially restored",
    "unblocked",
    "stabilized",
    "stabilised",
];
const RESOLVED: &[&str] = &[
    "resolved",
    "resolution",
    "recovered",
    "fully restored",
    "restored",
    "back to normal",
    "returns to baseline",
    "returned to baseline",
    "returns to normal",
    "returned to normal",
    "back to baseline",
    "outage ends",
    "outage ended",
    "outage over",
    "all clear",
    "healthy again",
    "is fixed",
    "was fixed",
    "issue fixed",
    "problem fixed",
    "solved",
    "operational",
    "working again",
    "service restored",
    "working as intended",
    "working as expected",
    "confirmed working",
    "fix confirmed",
    "availability confirmed",
    "recovery confirmed",
    "recovery",
    "ends",
];
/// Where responders meet: with a verb of beginning, an acknowledgement.
const MEETING: &[&str] = &["huddle", "bridge", "call", "zoom", "meet", "war room"];
/// What repairs: with a verb of completion ([`COMPLETED`]), a mitigation.
const REMEDY: &[&str] = &[
    "fix",
    "hotfix",
    "patch",
    "revert",
    "rollback",
    "roll back",
    "workaround",
    "mitigation",
];
/// Verbs that put a change in place.
const COMPLETED: &[&str] = &[
    "merged",
    "deployed",
    "applied",
    "released",
    "rolled out",
    "shipped",
    "landed",
    "pushed out",
    "went out",
    "goes out",
    "is live",
    "went live",
];
/// A quantity falling or a signal going away: with a failure, impact shrinking.
const RECEDES: &[&str] = &[
    "drop back",
    "drops back",
    "dropped back",
    "drop to",
    "drops to",
    "drop by",
    "drops by",
    "dropped by",
    "halved",
    "dropped to",
    "fell",
    "falls",
    "decreas",
    "subsid",
    "reced",
    "went away",
    "goes away",
    "disappear",
    "back to zero",
    "stops",
    "stopped",
    "ceased",
];
/// Verbs of a quantity falling or a signal ending, with nothing after them to say how far:
/// "timeouts drop", "the errors stop". Alone they say nothing ("dropped packets" is a
/// failure); after a failure they are that failure receding.
const FALLS: &[&str] = &["drop", "fall", "stop", "ease", "eased", "subside", "abate"];
/// Work after the incident is over: it does not end the incident.
const FOLLOW_UP: &[&str] = &[
    "permanent",
    "long-term",
    "long term",
    "upstream",
    "follow-up",
    "follow up",
    "root cause",
];
/// Words that say an action only began, was planned, or failed: not a milestone reached.
const NOT_DONE: &[&str] = &[
    "initiated",
    "initiate",
    "starts",
    "started",
    "starting",
    "begin",
    "begins",
    "began",
    "attempt",
    "trying",
    "tried",
    "fails",
    "failed",
    "failing",
    "not ",
    "planned",
    "preparing",
    "decided to",
    "decision made",
    "decision to",
    "proposed",
    "in progress",
    "suggest",
    "considered",
    "discussed",
    "prepare",
    "could ",
    "would ",
    "should ",
    "still ",
    "unable",
    "without",
    "sandbox",
    "staging",
    "test environment",
    "dev environment",
];
/// Negations that deny what follows them: "an issue that can't be fixed", not "removed the
/// object, verified that it forwards where it didn't before".
const NEGATION: &[&str] = &[
    "can't",
    "cannot",
    "couldn't",
    "didn't",
    "doesn't",
    "don't",
    "isn't",
    "wasn't",
    "won't",
    "hasn't",
    "haven't",
    "never",
    "can\u{2019}t",
    "couldn\u{2019}t",
    "didn\u{2019}t",
    "doesn\u{2019}t",
    "don\u{2019}t",
    "isn\u{2019}t",
    "wasn\u{2019}t",
    "won\u{2019}t",
    "hasn\u{2019}t",
    "haven\u{2019}t",
];
/// Seeing, which detects only what is wrong: "the endpoint shows elevated error rates",
/// not "the dashboard shows the new version".
const SEEING: &[&str] = &[
    "shows", "showed", "showing", "sees", "saw", "see ", "receives", "received", "gets an",
    "got an",
];
/// What is wrong, beyond the failures of [`FAILING`]: what a report or a notice is about
/// when it detects something.
const PROBLEM: &[&str] = &[
    "issue", "problem", "outage", "incident", "bug", "broken", "missing", "slow", "elevated",
    "spike", "lag", "delay", "stuck", "hung", "wrong", "full", "unable", "cannot", "can't", "gone",
    "lost", "high ", "low ", "empty", "exhaust", "anomal", "strange", "weird", "odd ",
];
/// Part of those affected: with a state of working ([`WORKING`]), impact shrinking ("most
/// users are fine by now").
const PARTIAL: &[&str] = &[
    "most ", "mostly", "majority", "many ", "some ", "several", "partial", "partly", "half ",
];
/// A state of working, said of those affected.
const WORKING: &[&str] = &[
    "fine",
    "working",
    "work again",
    "ok ",
    "okay",
    "normal",
    "back up",
    "back online",
    "online",
    "accessible",
    "available",
    "able to",
    "recovered",
    "back to",
];
/// Raising, which with what is wrong ([`PROBLEM`], [`FAILING`]) or a ticket is a report: "an
/// instructor raised a GitHub issue", "support raises a ticket".
const RAISES: &[&str] = &["raised", "raises", "raise ", "raising", "filed", "files "];
/// A norm or a design, not an event: "the hub is supposed to poll the proxy and repopulate
/// the routes when it notices they are empty".
const INTENDED: &[&str] = &[
    "supposed to",
    "designed to",
    "meant to",
    "expected to",
    "intended to",
    "would ",
    "should ",
    "ought to",
];
/// Detection denied. Statements that all is well (`HEALTHY`) deny it too.
const NOT_DETECTED: &[&str] = &[
    "not detected",
    "undetected",
    "no alert",
    "without alert",
    "alert did not",
    "alerts did not",
    "didn't alert",
    "root cause",
    "cause was",
];

/// Which of the phrase lists above occur in a text, each at the start of a word: one bit a
/// list, and where the first phrase of each list was found.
#[derive(Debug, Clone, Copy, Default)]
struct Found(u32, [Option<(u32, u32)>; 24]);

impl Found {
    const STARTED: u32 = 1;
    const BEGINS: u32 = 1 << 1;
    const FAILING: u32 = 1 << 2;
    const OPENS: u32 = 1 << 3;
    const HEALTHY: u32 = 1 << 4;
    const DETECTED: u32 = 1 << 5;
    const NOT_DETECTED: u32 = 1 << 6;
    const ACKNOWLEDGED: u32 = 1 << 7;
    const MITIGATED: u32 = 1 << 8;
    const RESOLVED: u32 = 1 << 9;
    const NOT_DONE: u32 = 1 << 10;
    const FOLLOW_UP: u32 = 1 << 11;
    const RECEDES: u32 = 1 << 12;
    const REMEDY: u32 = 1 << 13;
    const COMPLETED: u32 = 1 << 14;
    const SEEING: u32 = 1 << 15;
    const PROBLEM: u32 = 1 << 16;
    const MEETING: u32 = 1 << 17;
    const PARTIAL: u32 = 1 << 18;
    const WORKING: u32 = 1 << 19;
    const RAISES: u32 = 1 << 20;
    const INTENDED: u32 = 1 << 21;
    const NEGATION: u32 = 1 << 22;
    const FALLS: u32 = 1 << 23;

    /// Every phrase of every list in the text, in one pass with a trie: (lists, start, end).
    fn matches(lower: &str) -> Vec<(u32, u32, u32)> {
        let vocabulary = VOCABULARY.get_or_init(Vocabulary::new);
        let mut out = Vec::new();
        vocabulary.phrases.find(lower, |found| {
            out.push((
                vocabulary.lists[found.phrase],
                found.start as u32,
                found.end as u32,
            ));
        });
        out
    }

    /// The lists found inside `range` of the text the matches come from, with positions
    /// relative to the range's start.
    fn within(matches: &[(u32, u32, u32)], range: std::ops::Range<usize>) -> Found {
        let mut found = Found::default();
        // Matches come in order of their start.
        let first = matches.partition_point(|m| (m.1 as usize) < range.start);
        let base = range.start as u32;
        for &(lists, start, end) in &matches[first..] {
            if start as usize >= range.end {
                break;
            }
            if end as usize <= range.end {
                found.add(lists, (start - base, end - base));
            }
        }
        found
    }

    fn add(&mut self, lists: u32, at: (u32, u32)) {
        // Only the lists not seen yet take a position: the first phrase of each is kept.
        let mut new = lists & !self.0;
        self.0 |= lists;
        while new != 0 {
            self.1[new.trailing_zeros() as usize] = Some(at);
            new &= new - 1;
        }
    }

    fn has(self, list: u32) -> bool {
        self.0 & list != 0
    }

    /// Whether the first phrase of `first` comes before the first of `then`.
    fn before(self, first: u32, then: u32) -> bool {
        let at = |list: u32| self.1[list.trailing_zeros() as usize].map(|(start, _)| start);
        matches!((at(first), at(then)), (Some(a), Some(b)) if a < b)
    }

    /// The first phrase of `list` in `lower`.
    fn phrase<'t>(&self, list: u32, lower: &'t str) -> Option<&'t str> {
        let (start, end) = self.1[list.trailing_zeros() as usize]?;
        let (start, mut end) = (start as usize, end as usize);
        // Phrases may be the start of a word ("acknowledg"): show the word as written,
        // "acknowledges", since people read the reason.
        if lower[..end].ends_with(char::is_alphanumeric) {
            end += lower[end..]
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(lower.len() - end);
        }
        lower.get(start..end).map(str::trim)
    }

    /// The words that suggest `milestone`, when they do.
    fn words(&self, milestone: Milestone, lower: &str) -> Option<String> {
        let list = match milestone {
            Milestone::Started if self.has(Found::STARTED) => Found::STARTED,
            Milestone::Started => {
                let begins = self.phrase(Found::BEGINS, lower)?;
                let failing = self.phrase(Found::FAILING, lower)?;
                return Some(format!("{begins} \u{2026} {failing}"));
            }
            Milestone::Detected if !self.has(Found::DETECTED) => {
                let wrong = self
                    .phrase(Found::FAILING, lower)
                    .or_else(|| self.phrase(Found::PROBLEM, lower));
                let verb = self
                    .phrase(Found::SEEING, lower)
                    .or_else(|| self.phrase(Found::RAISES, lower))?;
                return Some(match wrong {
                    Some(wrong) => format!("{verb} \u{2026} {wrong}"),
                    None => verb.to_string(),
                });
            }
            Milestone::Detected => Found::DETECTED,
            Milestone::Acknowledged if !self.has(Found::ACKNOWLEDGED) => {
                let meeting = self.phrase(Found::MEETING, lower)?;
                let begins = self.phrase(Found::BEGINS, lower)?;
                return Some(format!("{meeting} \u{2026} {begins}"));
            }
            Milestone::Acknowledged => Found::ACKNOWLEDGED,
            Milestone::Mitigated if !self.has(Found::MITIGATED) => {
                let pair = |a: u32, b: u32| {
                    let (a, b) = (self.phrase(a, lower)?, self.phrase(b, lower)?);
                    Some(format!("{a} \u{2026} {b}"))
                };
                return pair(Found::REMEDY, Found::COMPLETED)
                    .or_else(|| pair(Found::FAILING, Found::RECEDES))
                    .or_else(|| pair(Found::FAILING, Found::FALLS))
                    .or_else(|| pair(Found::PARTIAL, Found::WORKING))
                    .or_else(|| {
                        let status = lower.contains("status") && lower.contains("monitoring");
                        status.then(|| "status \u{2026} monitoring".to_string())
                    });
            }
            Milestone::Mitigated => Found::MITIGATED,
            Milestone::Resolved if self.has(Found::RESOLVED) => Found::RESOLVED,
            Milestone::Resolved if self.has(Found::HEALTHY) => Found::HEALTHY,
            Milestone::Resolved if self.has(Found::DETECTED) && self.has(Found::RECEDES) => {
                let signal = self.phrase(Found::DETECTED, lower)?;
                let recedes = self.phrase(Found::RECEDES, lower)?;
                return Some(format!("{signal} \u{2026} {recedes}"));
            }
            Milestone::Resolved => return Some("again".to_string()),
        };
        self.phrase(list, lower).map(str::to_string)
    }
}

/// Every phrase of every list in one trie, built once: matching an entry costs one pass over
/// its text, not one search per phrase.
struct Vocabulary {
    phrases: Phrases,
    /// The list bits of each pattern; a phrase in several lists carries all their bits.
    lists: Vec<u32>,
}

static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();

impl Vocabulary {
    fn new() -> Vocabulary {
        let lists: [(&[&str], u32); 24] = [
            (STARTED, Found::STARTED),
            (BEGINS, Found::BEGINS),
            (FAILING, Found::FAILING),
            (OPENS, Found::OPENS),
            (HEALTHY, Found::HEALTHY),
            (DETECTED, Found::DETECTED),
            (NOT_DETECTED, Found::NOT_DETECTED),
            (ACKNOWLEDGED, Found::ACKNOWLEDGED),
            (MITIGATED, Found::MITIGATED),
            (RESOLVED, Found::RESOLVED),
            (NOT_DONE, Found::NOT_DONE),
            (FOLLOW_UP, Found::FOLLOW_UP),
            (RECEDES, Found::RECEDES),
            (REMEDY, Found::REMEDY),
            (COMPLETED, Found::COMPLETED),
            (SEEING, Found::SEEING),
            (PROBLEM, Found::PROBLEM),
            (MEETING, Found::MEETING),
            (PARTIAL, Found::PARTIAL),
            (WORKING, Found::WORKING),
            (RAISES, Found::RAISES),
            (INTENDED, Found::INTENDED),
            (NEGATION, Found::NEGATION),
            (FALLS, Found::FALLS),
        ];
        let mut patterns: Vec<&str> = Vec::new();
        let mut bits: Vec<u32> = Vec::new();
        for (phrases, bit) in lists {
            for phrase in phrases {
                match patterns.iter().position(|p| p == phrase) {
                    Some(i) => bits[i] |= bit,
                    None => {
                        patterns.push(phrase);
                        bits.push(bit);
                    }
                }
            }
        }
        Vocabulary {
            // Words are ASCII letters and digits: a phrase after a typographic quote or
            // dash ("—alert fired") still starts a word.
            phrases: Phrases::new(&patterns, |b| b.is_ascii_alphanumeric()),
            lists: bits,
        }
    }
}

/// "stops responding", "stopped serving": a verb of stopping with an activity after it.
fn stops_doing(lower: &str) -> bool {
    let mut words = lower.split_whitespace().peekable();
    while let Some(word) = words.next() {
        if matches!(word, "stop" | "stops" | "stopped" | "ceased")
            && words.peek().is_some_and(|next| next.ends_with("ing"))
        {
            return true;
        }
    }
    false
}

/// The milestones a sentence's wording suggests; `clause` is what it says after "that".
fn weak_from(found: Found, lower: &str, clause: Option<Found>) -> Vec<Milestone> {
    let done = !found.has(Found::NOT_DONE)
        && !found.has(Found::FOLLOW_UP)
        && !found.has(Found::INTENDED)
        && !found.before(Found::NEGATION, Found::MITIGATED)
        && !found.before(Found::NEGATION, Found::RESOLVED);
    let mut cues = Vec::new();
    if found.has(Found::STARTED) || (found.has(Found::BEGINS) && found.has(Found::FAILING)) {
        cues.push(Milestone::Started);
    }
    // An alarm that stops firing has seen the end of the incident, not its start.
    let signal_cleared = found.has(Found::DETECTED) && found.has(Found::RECEDES);
    let something_wrong = found.has(Found::FAILING) || found.has(Found::PROBLEM);
    // "Users notice and post that the site is live" reports news, not a fault: what a
    // notice says after "that" must be wrong for it to detect anything.
    let reports_news = clause
        .is_some_and(|clause| !(clause.has(Found::FAILING) || clause.has(Found::PROBLEM)))
        && !lower.contains("alert")
        && !lower.contains("alarm");
    let seen = found.has(Found::SEEING) && something_wrong;
    let raised = found.has(Found::RAISES)
        && (something_wrong || ["ticket", "concern"].iter().any(|w| lower.contains(w)));
    // What a system is meant to do is no event: "the hub is supposed to repopulate the
    // routes when it notices they are empty".
    let intended = found.has(Found::INTENDED);
    if (found.has(Found::DETECTED) || seen || raised)
        && !intended
        && !reports_news
        && !found.has(Found::NOT_DETECTED)
        && !found.has(Found::HEALTHY)
        && !signal_cleared
    {
        cues.push(Milestone::Detected);
    }
    // "Huddle begins in #security": the responders' meeting opening.
    let meeting_opens = found.has(Found::MEETING) && found.has(Found::BEGINS);
    if (found.has(Found::ACKNOWLEDGED) || meeting_opens) && !intended {
        cues.push(Milestone::Acknowledged);
    }
    // A remedy completed: "the fix branch is merged", "the patch is rolled out".
    let remedy_done = found.has(Found::REMEDY) && found.has(Found::COMPLETED);
    if (found.has(Found::MITIGATED) || remedy_done) && done {
        cues.push(Milestone::Mitigated);
    }
    // A failure that recedes ("the error rates drop back to zero") is impact shrinking; a
    // service that "stops responding" is a failure, not one receding.
    let recedes = (found.has(Found::RECEDES) || found.before(Found::FAILING, Found::FALLS))
        && !stops_doing(lower);
    if found.has(Found::FAILING) && recedes && done {
        cues.push(Milestone::Mitigated);
    }
    // A status page moved to "monitoring": in the states status pages share (investigating,
    // identified, monitoring, resolved) it says a fix is in place and being watched.
    let status_monitoring = lower.contains("status") && lower.contains("monitoring");
    if status_monitoring && done && !cues.contains(&Milestone::Mitigated) {
        cues.push(Milestone::Mitigated);
    }
    // Part of those affected working again: "Most users are fine by now".
    // The part must be what the sentence is about (its first words) and nothing denied: not
    // "No logs were available for some containers".
    let partly_working = found.before(Found::PARTIAL, Found::WORKING)
        && !found.has(Found::FAILING)
        && lower.split_whitespace().take(2).any(|w| {
            PARTIAL
                .iter()
                .any(|p| p.trim_end() == w.trim_end_matches(','))
        })
        && !lower.split_whitespace().any(|w| {
            matches!(w, "no" | "not" | "none" | "nothing" | "never") || w.ends_with("n't")
        });
    if partly_working && done && !cues.contains(&Milestone::Mitigated) {
        cues.push(Milestone::Mitigated);
    }
    // "All DaemonSets were running with the correct ARN again." (not "taken down again");
    // "all good!" once the incident is under way (the window of the pick keeps it after
    // detection).
    let restored =
        lower.trim_end_matches(['.', '!', ' ']).ends_with(" again") && !found.has(Found::FAILING);
    let healthy = found.has(Found::HEALTHY) && !found.has(Found::FAILING);
    // "The error rates drop back to zero": gone, not only shrinking.
    let failure_gone = found.has(Found::FAILING)
        && recedes
        && ["zero", "normal", "baseline"]
            .iter()
            .any(|w| lower.contains(w));
    if (found.has(Found::RESOLVED) || restored || healthy || signal_cleared || failure_gone) && done
    {
        cues.push(Milestone::Resolved);
    }
    // A resolution mentioned as "(resolved)" is done whatever else the sentence says.
    if !cues.contains(&Milestone::Resolved)
        && (lower.trim() == "resolved" || lower.trim() == "recovery" || lower.contains("(resolved"))
    {
        cues.push(Milestone::Resolved);
    }
    cues
}

#[cfg(test)]
fn weak_cues(lower: &str) -> Vec<Milestone> {
    let matches = Found::matches(lower);
    let clause = lower
        .find(" that ")
        .map(|at| Found::within(&matches, at..lower.len()));
    weak_from(Found::within(&matches, 0..lower.len()), lower, clause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_follow_the_wording() {
        assert_eq!(
            weak_cues("error rate alert fires"),
            vec![Milestone::Detected]
        );
        assert_eq!(
            weak_cues("on-call paged, starts investigation"),
            vec![Milestone::Detected, Milestone::Acknowledged]
        );
        assert_eq!(weak_cues("rollback initiated"), Vec::<Milestone>::new());
        assert_eq!(
            weak_cues("error rate returns to baseline"),
            vec![Milestone::Resolved]
        );
        assert_eq!(
            weak_cues("rollback fails due to argocd configuration issues"),
            Vec::<Milestone>::new()
        );
        assert!(weak_cues("reverts deployed, issue mitigated").contains(&Milestone::Mitigated));
        assert_eq!(
            Cues::of("Target group reattached (resolved).").strong,
            Some(Milestone::Resolved)
        );
        assert_eq!(
            Cues::of("Pipeline starts modifying groups. (problem started)").strong,
            Some(Milestone::Started)
        );
    }
}
