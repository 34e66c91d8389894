//! The quarterly review across postmortems: are the same causes recurring, are action items
//! getting done, are we detecting faster?
//!
//! A library over documents already read: [`Entry::new`] takes what it needs from one
//! postmortem, [`review`] computes the whole review from entries, and [`markdown`] renders
//! it. No I/O and no clock: the period and today come in as [`Options`]. Each postmortem's
//! write-up is scored ([`score::score`]) so that the review can celebrate thorough ones.

pub mod cluster;
mod render;
pub mod score;
pub mod stats;
pub mod svg;
pub mod taxonomy;
pub mod text;

pub use render::{Chart, STYLE, charts, html, html_body, markdown, markdown_with_charts};

use debrief_core::model::{Milestone, Postmortem, SectionBody};
use debrief_core::{Analysis, Metrics};
use jiff::civil::Date;
use serde::Serialize;
use stats::Spread;
use std::collections::BTreeMap;

/// What the review needs from one postmortem.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Where it came from (a path).
    pub source: String,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: Option<Date>,
    /// Its severity, as written.
    pub severity: Option<String>,
    /// Services affected.
    pub services: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Teams named by the front matter (`team:` or `teams:`).
    pub teams: Vec<String>,
    /// Time to detect, acknowledge, mitigate, resolve.
    pub metrics: Metrics,
    /// The day impact started, from the timeline.
    pub started: Option<Date>,
    /// Contributing factors and root cause, as written.
    pub factors: String,
    /// Summary and what went badly, as written.
    pub story: String,
    /// The action items.
    pub items: Vec<Item>,
    /// Whether the narrative is free of blame findings; `None` when not linted.
    pub blame_free: Option<bool>,
    /// The facilitator's function, where the front matter names it
    /// (`facilitator_function:`, or `facilitator: Name (Function)`).
    pub facilitator_function: Option<String>,
    /// What the write-up score reads: sections written, impact quantities, milestones
    /// placed, evidence linked.
    pub facts: score::Facts,
}

/// An action item, as the review sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its text.
    pub text: String,
    /// Its owner (a team or role).
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<Date>,
    /// Done.
    pub done: bool,
    /// Declined with a reason (and not done).
    pub declined: bool,
    /// Asks nothing more: done, or declined with a reason ([`ActionItem::is_settled`]).
    ///
    /// [`ActionItem::is_settled`]: debrief_core::model::ActionItem::is_settled
    pub settled: bool,
    /// The linter calls it a wish rather than an action.
    pub vague: bool,
}

impl Entry {
    /// Takes what the review needs from a postmortem, its analysis and, if it was linted,
    /// whether its narrative is free of blame findings.
    pub fn new(
        source: impl Into<String>,
        postmortem: &Postmortem,
        analysis: &Analysis,
        blame_free: Option<bool>,
    ) -> Entry {
        let meta = &postmortem.meta;
        let extra = |key: &str| meta.extra(key);
        let teams = meta.teams();
        let facilitator_function = extra("facilitator_function")
            .and_then(|v| v.as_str().map(str::to_string))
            .or_else(|| {
                let name = meta.facilitator.as_deref()?;
                let open = name.rfind('(')?;
                let inner = name[open + 1..].strip_suffix(')')?.trim();
                (!inner.is_empty()).then(|| inner.to_string())
            });
        let mut factors = String::new();
        let mut story = String::new();
        for section in &postmortem.sections {
            match &section.body {
                SectionBody::ContributingFactors(text) | SectionBody::RootCause(text) => {
                    factors.push_str(text);
                    factors.push_str("\n\n");
                }
                SectionBody::Summary(text) | SectionBody::WentBadly(text) => {
                    story.push_str(text);
                    story.push_str("\n\n");
                }
                _ => {}
            }
        }
        let entries: Vec<_> = postmortem.timeline_entries().collect();
        let started = analysis
            .entry_of(Milestone::Started)
            .and_then(|i| entries.get(i))
            .map(|e| e.at.to_zoned(jiff::tz::TimeZone::UTC).date());
        let items = postmortem
            .action_items()
            .map(|item| Item {
                text: item.text.clone(),
                owner: item.owner.clone(),
                due: item.due.as_ref().and_then(|d| d.date),
                done: item.done,
                declined: !item.done && item.is_settled(),
                settled: item.is_settled(),
                vague: debrief_lint::vague(&item.text).is_some(),
            })
            .collect();
        Entry {
            source: source.into(),
            title: meta.title.clone(),
            date: meta.date,
            severity: meta.severity.clone(),
            services: meta.services.clone(),
            tags: meta.tags.clone(),
            teams,
            metrics: analysis.metrics,
            started,
            factors,
            story,
            items,
            blame_free,
            facilitator_function,
            facts: score::facts(postmortem, analysis),
        }
    }

    /// The contributing factors one by one: list items, or paragraphs when there is no list.
    pub fn factor_units(&self) -> Vec<&str> {
        let bullets: Vec<&str> = self
            .factors
            .lines()
            .filter_map(|line| {
                let line = line.trim_start();
                let rest = line
                    .strip_prefix("- ")
                    .or_else(|| line.strip_prefix("* "))
                    .or_else(|| {
                        let digits = line.find(|c: char| !c.is_ascii_digit())?;
                        (digits > 0).then(|| line[digits..].strip_prefix(". "))?
                    })?;
                Some(rest.trim()).filter(|r| !r.is_empty())
            })
            .collect();
        if !bullets.is_empty() {
            return bullets;
        }
        self.factors
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty() && !p.starts_with('#'))
            .collect()
    }
}

/// The period under review and today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The first day of the period; `None`: since the first postmortem.
    pub from: Option<Date>,
    /// The last day of the period; `None`: up to the last postmortem.
    pub to: Option<Date>,
    /// Today, for overdue items and ages.
    pub today: Date,
}

/// Items open longer than this are listed.
pub const OLD_ITEM_DAYS: i64 = 90;
/// Recurring causes reported.
pub const TOP_CAUSES: usize = 10;
/// Thorough write-ups listed.
pub const TOP_WRITEUPS: usize = 5;
/// Periods spanning more than this many calendar months chart their trends by quarter.
pub const MONTHLY_TREND_MONTHS: i32 = 6;

/// The whole review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The period.
    pub from: Option<Date>,
    /// The period's last day.
    pub to: Option<Date>,
    /// The previous period of the same length, when the period is bounded.
    pub previous: Option<(Date, Date)>,
    /// The postmortems in the period: (source, title, date), in input order; indexes in the
    /// rest of the review point into this list.
    pub postmortems: Vec<Listed>,
    /// Postmortems left out because they have no date and the period is bounded.
    pub undated: usize,
    /// Counts by severity, service, tag and team.
    pub counts: Counts,
    /// Times to detect, acknowledge, mitigate and resolve, and durations.
    pub metrics: MetricsReview,
    /// Categories and recurring causes.
    pub causes: Causes,
    /// Action items.
    pub action_items: ItemHealth,
    /// Blame, lateness, facilitation.
    pub process: ProcessHealth,
    /// The write-up scores: the period's median, the most thorough, the parts most missed.
    pub writeups: Writeups,
}

impl Review {
    /// The calendar months the period touches: from its first day (or its first
    /// postmortem) to its last day (or its last postmortem); 0 with no date at all.
    pub fn span_months(&self) -> i32 {
        let dates = || self.postmortems.iter().filter_map(|p| p.date);
        let first = self.from.or_else(|| dates().min());
        let last = self.to.or_else(|| dates().max());
        match (first, last) {
            (Some(first), Some(last)) if first <= last => {
                let index = |d: Date| i32::from(d.year()) * 12 + i32::from(d.month());
                index(last) - index(first) + 1
            }
            _ => 0,
        }
    }

    /// Whether trends are charted by quarter: the period spans more than
    /// [`MONTHLY_TREND_MONTHS`] months.
    pub fn trend_by_quarter(&self) -> bool {
        self.span_months() > MONTHLY_TREND_MONTHS
    }
}

/// A postmortem in the review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    /// Where it came from.
    pub source: String,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: Option<Date>,
    /// Its write-up score, with its parts.
    pub score: score::Score,
}

/// How many postmortems, by what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Counts {
    /// This period.
    pub total: usize,
    /// The previous period, when there is one.
    pub previous_total: Option<usize>,
    /// By severity, most first.
    pub severity: Vec<(String, usize)>,
    /// By service.
    pub service: Vec<(String, usize)>,
    /// By tag.
    pub tag: Vec<(String, usize)>,
    /// By team.
    pub team: Vec<(String, usize)>,
}

/// Each figure's spread.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Figures {
    /// The postmortems these figures are over (some may state none of them).
    pub postmortems: usize,
    /// Started to detected.
    pub detect: Spread,
    /// Started to acknowledged.
    pub acknowledge: Spread,
    /// Started to mitigated.
    pub mitigate: Spread,
    /// Started to resolved.
    pub resolve: Spread,
    /// Started to resolved (the incident's length).
    pub duration: Spread,
}

/// The metrics for the period, by month, and for the previous period.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct MetricsReview {
    /// The period.
    pub period: Figures,
    /// The previous period of the same length.
    pub previous: Option<Figures>,
    /// By month (`YYYY-MM`), in order.
    pub months: Vec<(String, Figures)>,
    /// By quarter (`YYYY-Qn`), in order.
    pub quarters: Vec<(String, Figures)>,
}

/// Categories and recurring causes.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Causes {
    /// Each category with the postmortems assigned to it, most first.
    pub categories: Vec<Category>,
    /// Each postmortem's categories with the words that decided them.
    pub assigned: Vec<Vec<taxonomy::Assigned>>,
    /// The top recurring causes from clustering the postmortems' causes.
    pub recurring: Vec<Recurring>,
}

/// A cause that recurs, with the postmortems behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recurring {
    /// What it is, in its postmortems' own words ([`cluster::Cause::name`]).
    pub name: String,
    /// The words its postmortems share, heaviest first.
    pub shared: Vec<String>,
    /// The postmortems (indexes into [`Review::postmortems`]).
    pub postmortems: Vec<usize>,
    /// How alike they are: mean cosine similarity to their centroid.
    pub cohesion: f64,
    /// For each postmortem, its own words for the cause: the first contributing factor that
    /// uses a shared word, or its title.
    pub evidence: Vec<(usize, String)>,
}

/// A category across postmortems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    /// Its name.
    pub name: &'static str,
    /// The postmortems assigned to it.
    pub postmortems: Vec<usize>,
    /// The words that decided it most often.
    pub words: Vec<String>,
}

/// Are action items getting done?
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ItemHealth {
    /// Items written in the period's postmortems.
    pub created: usize,
    /// Done.
    pub done: usize,
    /// Declined with a reason.
    pub declined: usize,
    /// Neither.
    pub open: usize,
    /// Open and past their due date.
    pub overdue: usize,
    /// Median age of open items in days, counted from their postmortem's date.
    pub median_open_age_days: Option<f64>,
    /// Items open longer than [`OLD_ITEM_DAYS`]: (postmortem, text, age in days).
    pub old: Vec<(usize, String, i64)>,
    /// Completion by owner: (owner, items, done or declined, rate).
    pub by_owner: Vec<(String, usize, usize, f64)>,
    /// The share of items the linter calls vague.
    pub vague_share: Option<f64>,
}

/// How thorough the period's write-ups are.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Writeups {
    /// The median score (nearest rank: a score some postmortem has).
    pub median: Option<f64>,
    /// The most thorough postmortems (indexes into [`Review::postmortems`]), best first, at
    /// most [`TOP_WRITEUPS`], none scoring 0.
    pub top: Vec<usize>,
    /// For each part of the score, how many postmortems earned none of its points, most
    /// first; parts every postmortem earned something of are left out.
    pub missing: Vec<(String, usize)>,
}

/// Is the process working?
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ProcessHealth {
    /// Share of linted postmortems whose narrative has no blame finding.
    pub blame_free_share: Option<f64>,
    /// Days from the incident to the postmortem's date, where both are known.
    pub days_to_postmortem: Spread,
    /// Facilitations by function, where the front matter names it.
    pub facilitators: Vec<(String, usize)>,
}

/// Computes the review of `entries` for the period.
pub fn review(entries: &[Entry], options: &Options) -> Review {
    let bounded = options.from.is_some() || options.to.is_some();
    let inside = |date: Option<Date>, from: Option<Date>, to: Option<Date>| match date {
        Some(d) => from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t),
        None => !bounded,
    };
    let chosen: Vec<&Entry> = entries
        .iter()
        .filter(|e| inside(e.date, options.from, options.to))
        .collect();
    let undated = if bounded {
        entries.iter().filter(|e| e.date.is_none()).count()
    } else {
        0
    };
    let previous = match (options.from, options.to) {
        (Some(from), Some(to)) => {
            let days = from.until(to).map_or(0, |s| s.get_days());
            let end = from.yesterday().ok();
            let start = end.and_then(|e| e.checked_sub(jiff::Span::new().days(days)).ok());
            start.zip(end)
        }
        _ => None,
    };
    let before: Option<Vec<&Entry>> = previous.map(|(from, to)| {
        entries
            .iter()
            .filter(|e| inside(e.date, Some(from), Some(to)))
            .collect()
    });

    let assigned: Vec<Vec<taxonomy::Assigned>> = chosen
        .iter()
        .map(|e| {
            taxonomy::classify(taxonomy::Sources {
                factors: &e.factors,
                story: &e.story,
            })
        })
        .collect();
    let recurring = recurring(&chosen);

    let postmortems: Vec<Listed> = chosen
        .iter()
        .map(|e| Listed {
            source: e.source.clone(),
            title: e.title.clone(),
            date: e.date,
            score: score::score(e),
        })
        .collect();
    let writeups = writeups(&postmortems);

    Review {
        from: options.from,
        to: options.to,
        previous,
        postmortems,
        undated,
        counts: counts(&chosen, before.as_deref()),
        metrics: MetricsReview {
            period: figures(&chosen),
            previous: before.as_deref().map(figures),
            months: by_period(&chosen, |d| format!("{:04}-{:02}", d.year(), d.month())),
            quarters: by_period(&chosen, quarter),
        },
        causes: Causes {
            categories: categories(&assigned),
            assigned,
            recurring,
        },
        action_items: item_health(&chosen, options.today),
        process: process_health(&chosen),
        writeups,
    }
}

/// A date's quarter, `YYYY-Qn`.
pub fn quarter(date: Date) -> String {
    format!("{:04}-Q{}", date.year(), (date.month() - 1) / 3 + 1)
}

/// The median score, the most thorough write-ups and the parts most often missing.
fn writeups(postmortems: &[Listed]) -> Writeups {
    let mut ranked: Vec<usize> = (0..postmortems.len())
        .filter(|&i| postmortems[i].score.total > 0)
        .collect();
    // Best first; among equals, the more recent first, then input order.
    ranked.sort_by(|&a, &b| {
        let (a_pm, b_pm) = (&postmortems[a], &postmortems[b]);
        b_pm.score
            .total
            .cmp(&a_pm.score.total)
            .then(b_pm.date.cmp(&a_pm.date))
            .then(a.cmp(&b))
    });
    ranked.truncate(TOP_WRITEUPS);
    let mut missing: Vec<(String, usize)> = score::PARTS
        .iter()
        .map(|(id, _, _)| {
            let count = postmortems
                .iter()
                .filter(|p| {
                    p.score
                        .parts
                        .iter()
                        .any(|part| part.part == *id && part.missing())
                })
                .count();
            ((*id).to_string(), count)
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    missing.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    Writeups {
        median: Spread::of(postmortems.iter().map(|p| f64::from(p.score.total))).median,
        top: ranked,
        missing,
    }
}

/// Clusters the postmortems by what they say caused them: the title (twice: it names the
/// failure), the contributing factors and root cause, and the summary.
fn recurring(chosen: &[&Entry]) -> Vec<Recurring> {
    let texts: Vec<String> = chosen
        .iter()
        .map(|e| format!("{0}\n{0}\n{1}\n{2}", e.title, e.factors, e.story))
        .collect();
    let units: Vec<cluster::Factor<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| cluster::Factor {
            postmortem: i,
            text,
        })
        .collect();
    let mut causes = cluster::recurring(&units);
    causes.truncate(TOP_CAUSES);
    causes
        .into_iter()
        .map(|cause| {
            let evidence = cause
                .postmortems
                .iter()
                .map(|&i| {
                    let entry = chosen[i];
                    let said = entry
                        .factor_units()
                        .into_iter()
                        .find(|unit| {
                            text::words(unit)
                                .iter()
                                .any(|w| cause.stems.iter().any(|s| **s == *w.stem))
                        })
                        .unwrap_or(&entry.title);
                    (i, said.to_string())
                })
                .collect();
            Recurring {
                name: cause.name,
                shared: cause.shared,
                postmortems: cause.postmortems,
                cohesion: cause.cohesion,
                evidence,
            }
        })
        .collect()
}

fn counts(chosen: &[&Entry], before: Option<&[&Entry]>) -> Counts {
    let tally = |values: &mut dyn Iterator<Item = String>| {
        let mut map: BTreeMap<String, usize> = BTreeMap::new();
        for value in values {
            *map.entry(value).or_default() += 1;
        }
        let mut list: Vec<(String, usize)> = map.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list
    };
    Counts {
        total: chosen.len(),
        previous_total: before.map(<[&Entry]>::len),
        severity: tally(
            &mut chosen
                .iter()
                .map(|e| e.severity.clone().unwrap_or_else(|| "unstated".to_string())),
        ),
        service: tally(&mut chosen.iter().flat_map(|e| e.services.iter().cloned())),
        tag: tally(&mut chosen.iter().flat_map(|e| e.tags.iter().cloned())),
        team: tally(&mut chosen.iter().flat_map(|e| e.teams.iter().cloned())),
    }
}

fn figures(entries: &[&Entry]) -> Figures {
    let spread = |get: fn(&Metrics) -> Option<i64>| {
        Spread::of(
            entries
                .iter()
                .filter_map(|e| get(&e.metrics))
                .map(|s| s as f64),
        )
    };
    Figures {
        postmortems: entries.len(),
        detect: spread(|m| m.time_to_detect_s),
        acknowledge: spread(|m| m.time_to_acknowledge_s),
        mitigate: spread(|m| m.time_to_mitigate_s),
        resolve: spread(|m| m.time_to_resolve_s),
        duration: spread(|m| m.duration_s),
    }
}

/// The figures of each period a postmortem's date falls in (`key` names the period, and
/// sorts as it runs), in order.
fn by_period(entries: &[&Entry], key: impl Fn(Date) -> String) -> Vec<(String, Figures)> {
    let mut periods: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        if let Some(date) = entry.date {
            periods.entry(key(date)).or_default().push(entry);
        }
    }
    periods
        .into_iter()
        .map(|(period, list)| (period, figures(&list)))
        .collect()
}

fn categories(assigned: &[Vec<taxonomy::Assigned>]) -> Vec<Category> {
    let mut list: Vec<Category> = taxonomy::categories()
        .map(|name| {
            let mut words: BTreeMap<&str, usize> = BTreeMap::new();
            let postmortems: Vec<usize> = assigned
                .iter()
                .enumerate()
                .filter_map(|(i, cats)| {
                    let found = cats.iter().find(|a| a.category == name)?;
                    for word in &found.words {
                        *words.entry(word).or_default() += 1;
                    }
                    Some(i)
                })
                .collect();
            let mut words: Vec<(&str, usize)> = words.into_iter().collect();
            words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            Category {
                name,
                postmortems,
                words: words
                    .into_iter()
                    .take(6)
                    .map(|(w, _)| w.to_string())
                    .collect(),
            }
        })
        .filter(|c| !c.postmortems.is_empty())
        .collect();
    list.sort_by(|a, b| {
        b.postmortems
            .len()
            .cmp(&a.postmortems.len())
            .then(a.name.cmp(b.name))
    });
    list
}

fn item_health(entries: &[&Entry], today: Date) -> ItemHealth {
    let mut health = ItemHealth::default();
    let mut ages = Vec::new();
    let mut owners: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut vague = 0;
    for (i, entry) in entries.iter().enumerate() {
        for item in &entry.items {
            health.created += 1;
            vague += usize::from(item.vague);
            let settled = item.settled;
            if item.done {
                health.done += 1;
            } else if item.declined {
                health.declined += 1;
            } else {
                health.open += 1;
                if item.due.is_some_and(|d| d < today) {
                    health.overdue += 1;
                }
                if let Some(date) = entry.date {
                    // An item of a postmortem dated after `today` is new, not of negative age.
                    let age = date
                        .until(today)
                        .map_or(0, |s| i64::from(s.get_days()))
                        .max(0);
                    ages.push(age as f64);
                    if age > OLD_ITEM_DAYS {
                        health.old.push((i, item.text.clone(), age));
                    }
                }
            }
            let owner = item.owner.clone().unwrap_or_else(|| "no owner".to_string());
            let counts = owners.entry(owner).or_default();
            counts.0 += 1;
            counts.1 += usize::from(settled);
        }
    }
    health.median_open_age_days = Spread::of(ages.into_iter()).median;
    health.old.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    health.by_owner = owners
        .into_iter()
        .map(|(owner, (total, settled))| (owner, total, settled, settled as f64 / total as f64))
        .collect();
    health
        .by_owner
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    health.vague_share = (health.created > 0).then(|| vague as f64 / health.created as f64);
    health
}

fn process_health(entries: &[&Entry]) -> ProcessHealth {
    let linted: Vec<bool> = entries.iter().filter_map(|e| e.blame_free).collect();
    let mut facilitators: BTreeMap<String, usize> = BTreeMap::new();
    for entry in entries {
        if let Some(function) = &entry.facilitator_function {
            *facilitators.entry(function.clone()).or_default() += 1;
        }
    }
    let mut facilitators: Vec<(String, usize)> = facilitators.into_iter().collect();
    facilitators.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ProcessHealth {
        blame_free_share: (!linted.is_empty())
            .then(|| linted.iter().filter(|b| **b).count() as f64 / linted.len() as f64),
        days_to_postmortem: Spread::of(entries.iter().filter_map(|e| {
            let (started, date) = (e.started?, e.date?);
            let days = started.until(date).ok()?.get_days();
            (days >= 0).then_some(f64::from(days))
        })),
        facilitators,
    }
}
