//! The site's HTML pages, as askama templates (`templates/`): the index, the listings by
//! tag, service and severity, one page per postmortem, and the review. Templates escape
//! everything they print; only Markdown made safe by [`debrief_html::markdown`] and the
//! timeline's SVG are printed as they are.

use crate::{Options, Page, timeline};
use askama::Template;
use debrief_core::model::{Part, SectionBody, Timeline};
use std::collections::{BTreeMap, HashMap};

/// A link to another page of the site.
pub(crate) struct Link {
    pub(crate) href: String,
    pub(crate) text: String,
    /// Postmortems behind it, in the index's filters.
    pub(crate) count: usize,
}

/// One row of a list of postmortems.
pub(crate) struct Row {
    href: String,
    title: String,
    draft: bool,
    date: String,
    severity: Vec<Link>,
    services: Vec<Link>,
    tags: Vec<Link>,
}

/// The groups pages are listed by, each with its directory and the label a page shows.
pub(crate) const GROUPS: [(&str, &str, &str); 3] = [
    ("severities", "Severity", "Severity"),
    ("services", "Service", "Services"),
    ("tags", "Tag", "Tags"),
];

/// The values of a group a page has: its severity, its services or its tags.
pub(crate) fn values<'p>(page: &'p Page<'_>, dir: &str) -> Vec<&'p str> {
    let meta = page.meta();
    let values: Vec<&str> = match dir {
        "severities" => meta.severity.iter().map(String::as_str).collect(),
        "services" => meta.services.iter().map(String::as_str).collect(),
        _ => meta.tags.iter().map(String::as_str).collect(),
    };
    values
        .into_iter()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// The file of every listing page: `tags/<slug>.html`, with `-2`, `-3`... when two
/// values of a group have the same slug ("C++" and "C#"), so that no page overwrites
/// another.
pub(crate) struct Listings {
    files: HashMap<(&'static str, String), String>,
}

impl Listings {
    pub(crate) fn new(groups: &[(&'static str, BTreeMap<String, Vec<&Page<'_>>>)]) -> Listings {
        let mut files = HashMap::new();
        for (dir, values) in groups {
            let mut taken = std::collections::HashSet::new();
            for value in values.keys() {
                let base = debrief_core::slug(value);
                let mut name = base.clone();
                let mut n = 2;
                while !taken.insert(name.clone()) {
                    name = format!("{base}-{n}");
                    n += 1;
                }
                files.insert((*dir, value.clone()), format!("{dir}/{name}.html"));
            }
        }
        Listings { files }
    }

    /// The file of a value's listing, inside the site.
    pub(crate) fn file(&self, dir: &'static str, value: &str) -> String {
        self.files
            .get(&(dir, value.to_string()))
            .cloned()
            .unwrap_or_else(|| format!("{dir}/{}.html", debrief_core::slug(value)))
    }

    fn link(&self, root: &str, dir: &'static str, value: &str) -> Link {
        Link {
            href: format!("{root}{}", self.file(dir, value)),
            text: value.to_string(),
            count: 0,
        }
    }
}

fn rows(pages: &[&Page<'_>], root: &str, listings: &Listings) -> Vec<Row> {
    pages
        .iter()
        .map(|page| {
            let links = |dir: &'static str| {
                values(page, dir)
                    .into_iter()
                    .map(|v| listings.link(root, dir, v))
                    .collect()
            };
            Row {
                href: format!("{root}postmortems/{}.html", page.slug),
                title: page.title().to_string(),
                draft: page.draft,
                date: page.meta().date.map_or_else(String::new, |d| d.to_string()),
                severity: links("severities"),
                services: links("services"),
                tags: links("tags"),
            }
        })
        .collect()
}

/// A filter of the index: a group's values, each with its count.
struct Filter {
    label: &'static str,
    links: Vec<Link>,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    title: &'a str,
    site: &'a str,
    root: &'a str,
    filters: Vec<Filter>,
    rows: Vec<Row>,
}

/// Every postmortem, with the filters and the search.
pub(crate) fn index(
    pages: &[Page<'_>],
    groups: &[(&'static str, BTreeMap<String, Vec<&Page<'_>>>)],
    listings: &Listings,
    options: &Options,
) -> String {
    let filters = GROUPS
        .iter()
        .zip(groups)
        .filter(|(_, (_, values))| !values.is_empty())
        .map(|((_, _, label), (dir, values))| Filter {
            label,
            links: values
                .iter()
                .map(|(value, list)| Link {
                    count: list.len(),
                    ..listings.link("", dir, value)
                })
                .collect(),
        })
        .collect();
    let all: Vec<&Page<'_>> = pages.iter().collect();
    render(&IndexPage {
        title: "Postmortems",
        site: &options.title,
        root: "",
        filters,
        rows: rows(&all, "", listings),
    })
}

#[derive(Template)]
#[template(path = "listing.html")]
struct ListingPage<'a> {
    title: &'a str,
    site: &'a str,
    root: &'a str,
    rows: Vec<Row>,
}

/// The postmortems of one tag, service or severity.
pub(crate) fn listing(
    title: &str,
    pages: &[&Page<'_>],
    listings: &Listings,
    options: &Options,
) -> String {
    render(&ListingPage {
        title,
        site: &options.title,
        root: "../",
        rows: rows(pages, "../", listings),
    })
}

/// A fact under a postmortem's title: its date, a link to a listing, or a word set apart.
struct Fact {
    text: String,
    href: Option<String>,
    datetime: Option<String>,
}

/// A section of a postmortem's page: Markdown, a timeline, or action items.
struct Section {
    /// The heading's `id`: `section-N`, N its position in the document, for links to it.
    id: String,
    heading: String,
    html: Option<String>,
    graph: Option<String>,
    /// A review meeting's contributing factors as a cause-and-effect diagram.
    fishbone: Option<String>,
    /// What follows the diagram in its section.
    after: Option<String>,
    timeline: Vec<TimelinePart>,
    actions: Option<Vec<Action>>,
}

/// A run of timeline entries, or the Markdown between two runs.
struct TimelinePart {
    html: Option<String>,
    entries: Vec<Entry>,
}

struct Entry {
    /// The entry's `id`: `entry-N`, N its position among the document's entries.
    id: String,
    datetime: String,
    shown: String,
    milestone: Option<&'static str>,
    html: String,
}

struct Action {
    state: &'static str,
    html: String,
    details: Vec<Detail>,
}

struct Detail {
    text: String,
    href: Option<String>,
}

/// What a postmortem's page shows under its title, on the site and on the server's pages.
pub(crate) struct Article {
    facts: Vec<Fact>,
    draft: Option<String>,
    metrics: Vec<(&'static str, String)>,
    sections: Vec<Section>,
}

#[derive(Template)]
#[template(path = "postmortem.html")]
struct PostmortemPage<'a> {
    title: &'a str,
    site: &'a str,
    root: &'a str,
    article: Article,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticleView<'a> {
    title: &'a str,
    article: Article,
}

/// One postmortem's page on the site.
pub(crate) fn postmortem(page: &Page<'_>, listings: &Listings, options: &Options) -> String {
    let root = "../";
    render(&PostmortemPage {
        title: page.title(),
        site: &options.title,
        root,
        article: article(page, &|dir, value| listings.link(root, dir, value)),
    })
}

/// One postmortem as an `<article>`, for a page made elsewhere: `link` gives the link of a
/// severity, service or tag (`dir` is `severities`, `services` or `tags`).
pub(crate) fn article_html(page: &Page<'_>, link: &dyn Fn(&'static str, &str) -> Link) -> String {
    render(&ArticleView {
        title: page.title(),
        article: article(page, link),
    })
}

/// Facts, the metrics card, then the sections in order, the timeline drawn on a time axis
/// above the first timeline section.
fn article(page: &Page<'_>, link: &dyn Fn(&'static str, &str) -> Link) -> Article {
    let meta = page.meta();
    let mut facts: Vec<Fact> = meta
        .date
        .map(|date| Fact {
            text: date.to_string(),
            href: None,
            datetime: Some(date.to_string()),
        })
        .into_iter()
        .collect();
    for dir in ["severities", "services", "tags"] {
        for value in values(page, dir) {
            let link = link(dir, value);
            facts.push(Fact {
                text: link.text,
                href: Some(link.href),
                datetime: None,
            });
        }
    }
    if meta.restricted {
        facts.push(Fact {
            text: "restricted".into(),
            href: None,
            datetime: None,
        });
    }
    let draft = page.draft.then(|| {
        match meta
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(status) => format!("status: {status}"),
            None => "no status in its front matter".to_string(),
        }
    });
    let m = &page.doc.analysis.metrics;
    let metrics = [
        ("Time to detect", m.time_to_detect_s),
        ("Time to acknowledge", m.time_to_acknowledge_s),
        ("Time to mitigate", m.time_to_mitigate_s),
        ("Time to resolve", m.time_to_resolve_s),
        ("Duration", m.duration_s),
    ]
    .into_iter()
    .map(|(name, value)| {
        let shown = value.map_or_else(
            || "unknown".to_string(),
            debrief_core::milestones::human_duration,
        );
        (name, shown)
    })
    .collect();
    // Entries before each section, for their milestones; the graph goes above the first.
    let (mut entries, mut graphed) = (0, false);
    let mut sections = Vec::new();
    for (position, section) in page.doc.postmortem.sections.iter().enumerate() {
        let heading = match section.heading.trim() {
            "" => section.body.kind().canonical_heading().to_string(),
            heading => heading.to_string(),
        };
        let mut view = Section {
            id: format!("section-{position}"),
            heading,
            html: None,
            graph: None,
            fishbone: None,
            after: None,
            timeline: Vec::new(),
            actions: None,
        };
        match &section.body {
            SectionBody::Timeline(timeline) => {
                if !graphed {
                    view.graph = graph(page);
                    graphed = true;
                }
                view.timeline = timeline_parts(page, timeline, entries);
                entries += timeline.entries().count();
            }
            SectionBody::ActionItems(items) => {
                view.actions = Some(items.items().map(|item| action(page, item)).collect());
            }
            SectionBody::ReviewMeeting(text) => {
                // The diagram goes right after the factors it draws.
                let record = debrief_core::meeting::read(text);
                view.fishbone = crate::fishbone::svg(page.title(), &record.factors);
                let (factors, rest) = debrief_core::meeting::split_after_factors(text);
                view.html = Some(block(page, factors));
                view.after = Some(block(page, rest)).filter(|html| !html.is_empty());
            }
            body => view.html = body.markdown().map(|text| block(page, text)),
        }
        sections.push(view);
    }
    Article {
        facts,
        draft,
        metrics,
        sections,
    }
}

/// Markdown of the page as HTML, without the line end the template writes itself.
fn block(page: &Page<'_>, markdown: &str) -> String {
    let mut html = page.html(markdown);
    html.truncate(html.trim_end().len());
    html
}

/// The milestone of the document's `i`th timeline entry.
fn milestone(page: &Page<'_>, i: usize) -> Option<&'static str> {
    page.doc
        .analysis
        .milestones
        .get(i)
        .copied()
        .flatten()
        .map(|m| m.name())
}

/// The whole timeline on a time axis.
fn graph(page: &Page<'_>) -> Option<String> {
    let points: Vec<timeline::Point<'_>> = page
        .doc
        .postmortem
        .timeline_entries()
        .enumerate()
        .map(|(i, e)| timeline::Point {
            at: e.at,
            text: &e.text,
            milestone: milestone(page, i),
        })
        .collect();
    timeline::svg(&points)
}

/// One timeline section: its entries with the Markdown between them (prose, code blocks,
/// log excerpts, images) in document order. `first` is the index of its first entry among
/// all the document's entries, for their milestones.
fn timeline_parts(page: &Page<'_>, timeline: &Timeline, first: usize) -> Vec<TimelinePart> {
    let mut parts: Vec<TimelinePart> = Vec::new();
    let mut i = first;
    for part in &timeline.parts {
        match part {
            Part::Item(entry) => {
                let view = Entry {
                    id: format!("entry-{i}"),
                    datetime: entry.at.to_string(),
                    shown: entry.at.strftime("%Y-%m-%d %H:%M").to_string(),
                    milestone: milestone(page, i),
                    html: page.inline(&entry.text),
                };
                match parts.last_mut() {
                    Some(run) if run.html.is_none() => run.entries.push(view),
                    _ => parts.push(TimelinePart {
                        html: None,
                        entries: vec![view],
                    }),
                }
                i += 1;
            }
            Part::Text(text) if !text.trim().is_empty() => parts.push(TimelinePart {
                html: Some(block(page, text)),
                entries: Vec::new(),
            }),
            Part::Text(_) => {}
        }
    }
    parts
}

fn action(page: &Page<'_>, item: &debrief_core::model::ActionItem) -> Action {
    let state = item.state();
    let mut details = Vec::new();
    let mut detail = |text: String, href: Option<String>| details.push(Detail { text, href });
    if let Some(owner) = &item.owner {
        detail(format!("owner: {owner}"), None);
    }
    if let Some(due) = &item.due {
        detail(format!("due: {}", due.written), None);
    }
    if let Some(tracker) = &item.tracker {
        // The issue the work is tracked in: a link when it is one, named by its key.
        let href = (tracker.starts_with("https://") || tracker.starts_with("http://"))
            .then(|| tracker.clone());
        let text = href
            .as_deref()
            .and_then(issue_key)
            .unwrap_or_else(|| tracker.clone());
        detail(text, href);
    }
    if let Some(reason) = &item.declined {
        detail(format!("declined: {reason}"), None);
    }
    Action {
        state,
        html: page.inline(&item.text),
        details,
    }
}

/// The key people know an issue by, from its page's URL: `acme/platform#12` (GitHub,
/// GitLab), `OPS-42` (Jira); `None` for another kind of link.
fn issue_key(url: &str) -> Option<String> {
    let path = url.split("://").nth(1)?.split(['?', '#']).next()?;
    let segments: Vec<&str> = path.split('/').skip(1).filter(|s| !s.is_empty()).collect();
    if let Some(at) = segments.iter().position(|s| *s == "browse") {
        return segments.get(at + 1).map(|key| key.to_string());
    }
    let at = segments.iter().rposition(|s| *s == "issues")?;
    let number = segments
        .get(at + 1)
        .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))?;
    let project: Vec<&str> = segments[..at]
        .iter()
        .copied()
        .filter(|s| *s != "-")
        .collect();
    let project = project[project.len().saturating_sub(2)..].join("/");
    Some(format!("{project}#{number}"))
}

#[cfg(test)]
mod issue_keys {
    #[test]
    fn issues_are_named_by_their_keys() {
        let key = |url: &str| super::issue_key(url);
        assert_eq!(
            key("https://github.com/acme/platform/issues/12").as_deref(),
            Some("acme/platform#12")
        );
        assert_eq!(
            key("https://gitlab.acme.dev/ops/sub/platform/-/issues/3").as_deref(),
            Some("sub/platform#3")
        );
        assert_eq!(
            key("https://acme.atlassian.net/browse/OPS-42").as_deref(),
            Some("OPS-42")
        );
        assert_eq!(key("https://example.com/runbook"), None);
    }
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage<'a> {
    title: &'a str,
    site: &'a str,
    root: &'a str,
    body: String,
    charts: Vec<debrief_review::Chart>,
}

/// The review of a period, with its charts.
pub(crate) fn review(review: &debrief_review::Review, options: &Options) -> String {
    render(&ReviewPage {
        title: "Quarterly review",
        site: &options.title,
        root: "",
        body: debrief_html::markdown(&debrief_review::markdown(review)),
        charts: debrief_review::charts(review),
    })
}

/// A page as text. Templates write into a String and every value they print displays, so
/// rendering cannot fail; should it ever, the page says so rather than the build stopping.
fn render(page: &impl Template) -> String {
    page.render().unwrap_or_else(|error| {
        format!("<!DOCTYPE html>\n<p>This page could not be written: {error}</p>\n")
    })
}
