//! The published site: every postmortem for the whole organisation, as static files.
//!
//! [`build`] turns read documents into files (paths and contents); writing them is the
//! caller's business. The site has an index with filters (tag, service and severity pages,
//! which need no script), one page per postmortem (a metrics card, the timeline on a time
//! axis with its milestones, the action items, the narrative), the latest quarter's review,
//! an Atom feed, and a search that runs in the browser over `search.json`. Every page works
//! without JavaScript except the search. Markdown from postmortems goes through
//! [`debrief_review::markdown_to_html`]: raw HTML becomes text and unsafe link targets are
//! dropped. Only published postmortems are published (front-matter `status` `published`, or
//! `closed`, which comes after it in the server's workflow): drafts are left out unless asked
//! for, and then marked as drafts on their page, in the lists and in the feed. Restricted
//! postmortems are left out unless asked for. Relative images a postmortem shows are copied
//! beside its page when the caller found them ([`Doc::images`], [`Site::assets`]).

mod timeline;

use debrief_core::model::{Metadata, Part, SectionBody, Timeline};
use debrief_core::{Analysis, Postmortem};
use debrief_review::svg::escape;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

/// A postmortem to publish.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Where it came from.
    pub source: String,
    /// The document.
    pub postmortem: Postmortem,
    /// Its milestones and metrics.
    pub analysis: Analysis,
    /// The relative images it shows, as written (`images/a.png`), that the caller found
    /// inside the input tree and will copy where [`Site::assets`] says; found with
    /// [`image_references`]. Other images keep the target they were written with.
    pub images: Vec<String>,
    /// Whether the narrative is free of blame findings, when the caller linted it; the review
    /// page's write-up score counts it (and scales the score without it).
    pub blame_free: Option<bool>,
}

/// How to publish.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's name.
    pub title: String,
    /// Publish restricted postmortems too.
    pub include_restricted: bool,
    /// Publish drafts too (every postmortem that [`is_published`] says is not), marked as
    /// drafts.
    pub include_drafts: bool,
    /// The site's address, for the feed's links; relative links without it.
    pub base_url: Option<String>,
    /// Today, for the review's overdue items.
    pub today: Date,
}

/// A file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Its path inside the site, with `/` separators.
    pub path: String,
    /// Its content.
    pub content: String,
}

/// The site: its files, and the images to copy into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The pages, the feed, the search index, the style sheet.
    pub files: Vec<File>,
    /// The images to copy from beside the postmortems, one for each file of the site.
    pub assets: Vec<Asset>,
    /// The sources of the postmortems on the site, newest first.
    pub published: Vec<String>,
    /// How many of them are drafts (with [`Options::include_drafts`]).
    pub drafts: usize,
    /// Restricted postmortems left out.
    pub left_out_restricted: usize,
    /// Drafts left out.
    pub left_out_drafts: usize,
}

/// An image to copy into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The postmortem that shows it ([`Doc::source`]).
    pub source: String,
    /// Its target as written there, one of [`Doc::images`].
    pub url: String,
    /// Where it goes in the site, with `/` separators.
    pub path: String,
}

/// Whether a postmortem may be published: its front-matter `status` is `published`, or
/// `closed` (every action item done or declined, after publishing). Case, spaces and dashes
/// do not matter; no status is a draft.
pub fn is_published(meta: &Metadata) -> bool {
    meta.status.as_deref().is_some_and(|status| {
        let status = status.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        status == "published" || status == "closed"
    })
}

/// A relative image written in a postmortem, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReference {
    /// The target as written: `images/a.png`, `./chart%201.svg`, `../shared/logo.png`.
    pub url: String,
    /// The file it names, relative to the postmortem's directory, with `/` separators:
    /// percent-escapes decoded, `?query` and `#fragment` removed, `.` and inner `..` resolved;
    /// it may start with `..` (whether that stays inside the input tree is the caller's to
    /// check).
    pub path: String,
    /// 1-based line of the image in the text.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// The relative images a Markdown text shows (`![alt](images/a.png)`, reference images too),
/// in order: not `http:`, `data:` or other schemes, not absolute paths.
pub fn image_references(markdown: &str) -> Vec<ImageReference> {
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_TASKLISTS;
    let mut index = None;
    let mut found = Vec::new();
    for (event, range) in pulldown_cmark::Parser::new_ext(markdown, options).into_offset_iter() {
        let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) = event
        else {
            continue;
        };
        let Some(path) = image_path(&dest_url) else {
            continue;
        };
        let span = index
            .get_or_insert_with(|| debrief_core::LineIndex::new(markdown))
            .span(range);
        found.push(ImageReference {
            url: dest_url.to_string(),
            path,
            line: span.line,
            column: span.column,
        });
    }
    found
}

/// The file a relative image target names (see [`ImageReference::path`]); `None` for
/// absolute, scheme-qualified and empty targets.
fn image_path(url: &str) -> Option<String> {
    if url.is_empty() || url.starts_with(['/', '\\', '#']) || url.contains(':') {
        return None;
    }
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let decoded = percent_decode(url);
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty() && parts.last() != Some(&"..")).then(|| parts.join("/"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Percent-escapes what a path may not hold in a URL, keeping `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// One published postmortem and where its page is.
struct Page<'a> {
    doc: &'a Doc,
    slug: String,
    /// Not published yet: shown only with `include_drafts`, and marked.
    draft: bool,
    /// Its copied images: the target as written, and the file's path beside the page
    /// (`<slug>/images/a.png`; a `..` becomes `_`, so that nothing leaves the folder).
    images: HashMap<String, String>,
}

impl Page<'_> {
    fn meta(&self) -> &debrief_core::model::Metadata {
        &self.doc.postmortem.meta
    }

    fn title(&self) -> &str {
        let title = self.meta().title.trim();
        if title.is_empty() {
            "Untitled postmortem"
        } else {
            title
        }
    }

    /// Markdown of this postmortem as HTML, its copied images pointing at their copies.
    fn html(&self, markdown: &str) -> String {
        debrief_review::markdown_to_html_with_images(markdown, &|url| {
            self.images.get(url).map(|path| percent_encode(path))
        })
    }

    /// Markdown of one line, without the paragraph around it.
    fn inline(&self, markdown: &str) -> String {
        let html = self.html(markdown);
        html.trim()
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .unwrap_or(html.trim())
            .to_string()
    }

    /// ` <span class="draft">draft</span>` after a draft's title.
    fn draft_mark(&self) -> &'static str {
        if self.draft {
            " <span class=\"draft\">draft</span>"
        } else {
            ""
        }
    }
}

/// Builds the site.
pub fn build(docs: &[Doc], options: &Options) -> Site {
    let (mut left_out_restricted, mut left_out_drafts) = (0, 0);
    let mut chosen: Vec<&Doc> = docs
        .iter()
        .filter(|d| {
            if d.postmortem.meta.restricted && !options.include_restricted {
                left_out_restricted += 1;
                false
            } else if !is_published(&d.postmortem.meta) && !options.include_drafts {
                left_out_drafts += 1;
                false
            } else {
                true
            }
        })
        .collect();
    // Newest first; undated last; then by title, so the order never depends on the input.
    chosen.sort_by(|a, b| {
        b.postmortem
            .meta
            .date
            .cmp(&a.postmortem.meta.date)
            .then_with(|| a.postmortem.meta.title.cmp(&b.postmortem.meta.title))
            .then_with(|| a.source.cmp(&b.source))
    });
    let mut taken = HashSet::new();
    let pages: Vec<Page<'_>> = chosen
        .into_iter()
        .map(|doc| {
            let date = doc
                .postmortem
                .meta
                .date
                .map_or_else(|| "undated".to_string(), |d| d.to_string());
            let base = format!("{date}-{}", debrief_core::slug(&doc.postmortem.meta.title));
            let mut slug = base.clone();
            let mut n = 2;
            while !taken.insert(slug.clone()) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            let images = doc
                .images
                .iter()
                .filter_map(|url| {
                    let path = image_path(url)?
                        .split('/')
                        .map(|part| if part == ".." { "_" } else { part })
                        .collect::<Vec<_>>()
                        .join("/");
                    Some((url.clone(), format!("{slug}/{path}")))
                })
                .collect();
            Page {
                doc,
                slug,
                draft: !is_published(&doc.postmortem.meta),
                images,
            }
        })
        .collect();
    let mut assets: Vec<Asset> = Vec::new();
    let mut copied = HashSet::new();
    for page in &pages {
        let mut images: Vec<(&String, &String)> = page.images.iter().collect();
        images.sort();
        for (url, path) in images {
            let path = format!("postmortems/{path}");
            if copied.insert(path.clone()) {
                assets.push(Asset {
                    source: page.doc.source.clone(),
                    url: url.clone(),
                    path,
                });
            }
        }
    }

    let mut files = vec![
        File {
            path: "style.css".into(),
            content: STYLE.into(),
        },
        File {
            path: "search.js".into(),
            content: SEARCH_JS.into(),
        },
        File {
            path: "search.json".into(),
            content: search_index(&pages),
        },
        File {
            path: "feed.atom".into(),
            content: feed(&pages, options),
        },
        File {
            path: "index.html".into(),
            content: index(&pages, options),
        },
        File {
            path: "review.html".into(),
            content: review_page(&pages, options),
        },
    ];
    for page in &pages {
        files.push(File {
            path: format!("postmortems/{}.html", page.slug),
            content: postmortem_page(page, options),
        });
    }
    for (dir, label, values) in [
        ("tags", "Tag", group(&pages, |p| p.meta().tags.clone())),
        (
            "services",
            "Service",
            group(&pages, |p| p.meta().services.clone()),
        ),
        (
            "severities",
            "Severity",
            group(&pages, |p| p.meta().severity.iter().cloned().collect()),
        ),
    ] {
        for (value, list) in values {
            files.push(File {
                path: format!("{dir}/{}.html", debrief_core::slug(&value)),
                content: listing_page(&format!("{label}: {value}"), &list, "../", options),
            });
        }
    }
    Site {
        files,
        assets,
        published: pages.iter().map(|p| p.doc.source.clone()).collect(),
        drafts: pages.iter().filter(|p| p.draft).count(),
        left_out_restricted,
        left_out_drafts,
    }
}

/// Pages by each value `of` gives them, values in order.
fn group<'a, 'b>(
    pages: &'b [Page<'a>],
    of: impl Fn(&Page<'a>) -> Vec<String>,
) -> BTreeMap<String, Vec<&'b Page<'a>>> {
    let mut groups: BTreeMap<String, Vec<&Page<'_>>> = BTreeMap::new();
    for page in pages {
        for value in of(page) {
            if !value.trim().is_empty() {
                groups
                    .entry(value.trim().to_string())
                    .or_default()
                    .push(page);
            }
        }
    }
    groups
}

/// A page with the site's header; `root` leads from the page back to the site's root.
fn layout(title: &str, root: &str, options: &Options, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · {site}</title>\n<link rel=\"stylesheet\" href=\"{root}style.css\">\n\
         <link rel=\"alternate\" type=\"application/atom+xml\" title=\"{site}\" href=\"{root}feed.atom\">\n\
         </head>\n<body>\n<header><a class=\"site\" href=\"{root}index.html\">{site}</a>\
         <nav><a href=\"{root}index.html\">Postmortems</a> <a href=\"{root}review.html\">Quarterly review</a> \
         <a href=\"{root}feed.atom\">Feed</a></nav></header>\n<main>\n{body}</main>\n</body>\n</html>\n",
        title = escape(title),
        site = escape(&options.title),
    )
}

/// The list of postmortems: title, date, severity, services, tags.
fn table(pages: &[&Page<'_>], root: &str) -> String {
    let mut out = String::from(
        "<table class=\"postmortems\">\n<thead><tr><th>Postmortem</th><th>Date</th><th>Severity</th>\
         <th>Services</th><th>Tags</th></tr></thead>\n<tbody>\n",
    );
    for page in pages {
        let meta = page.meta();
        let links = |dir: &str, values: &[String]| -> String {
            values
                .iter()
                .filter(|v| !v.trim().is_empty())
                .map(|v| {
                    format!(
                        "<a href=\"{root}{dir}/{}.html\">{}</a>",
                        debrief_core::slug(v.trim()),
                        escape(v.trim())
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let _ = writeln!(
            out,
            "<tr><td><a href=\"{root}postmortems/{}.html\">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            page.slug,
            escape(page.title()),
            page.draft_mark(),
            meta.date.map_or_else(String::new, |d| d.to_string()),
            links(
                "severities",
                &meta.severity.iter().cloned().collect::<Vec<_>>()
            ),
            links("services", &meta.services),
            links("tags", &meta.tags),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn index(pages: &[Page<'_>], options: &Options) -> String {
    let all: Vec<&Page<'_>> = pages.iter().collect();
    let filters = |dir: &str, label: &str, groups: BTreeMap<String, Vec<&Page<'_>>>| -> String {
        if groups.is_empty() {
            return String::new();
        }
        let links: Vec<String> = groups
            .iter()
            .map(|(value, list)| {
                format!(
                    "<a href=\"{dir}/{}.html\">{}</a> ({})",
                    debrief_core::slug(value),
                    escape(value),
                    list.len()
                )
            })
            .collect();
        format!(
            "<p class=\"filter\"><strong>{label}:</strong> {}</p>\n",
            links.join(", ")
        )
    };
    let mut body = format!(
        "<h1>Postmortems</h1>\n<p>{} postmortems, newest first.</p>\n\
         <form class=\"search\" role=\"search\" onsubmit=\"return false\">\
         <label for=\"search\">Search</label> <input id=\"search\" type=\"search\" \
         placeholder=\"Search every postmortem\" autocomplete=\"off\">\
         <noscript> (search needs JavaScript; the filters below do not)</noscript></form>\n\
         <ol id=\"results\" hidden></ol>\n",
        pages.len()
    );
    body.push_str(&filters(
        "severities",
        "Severity",
        group(pages, |p| p.meta().severity.iter().cloned().collect()),
    ));
    body.push_str(&filters(
        "services",
        "Services",
        group(pages, |p| p.meta().services.clone()),
    ));
    body.push_str(&filters(
        "tags",
        "Tags",
        group(pages, |p| p.meta().tags.clone()),
    ));
    body.push_str(&table(&all, ""));
    body.push_str("<script src=\"search.js\" defer></script>\n");
    layout("Postmortems", "", options, &body)
}

fn listing_page(title: &str, pages: &[&Page<'_>], root: &str, options: &Options) -> String {
    let body = format!(
        "<h1>{}</h1>\n<p>{} postmortems. <a href=\"{root}index.html\">All postmortems</a></p>\n{}",
        escape(title),
        pages.len(),
        table(pages, root)
    );
    layout(title, root, options, &body)
}

fn postmortem_page(page: &Page<'_>, options: &Options) -> String {
    let doc = page.doc;
    let meta = page.meta();
    let root = "../";
    let mut body = format!(
        "<article>\n<h1>{}</h1>\n<p class=\"facts\">",
        escape(page.title())
    );
    let mut facts = Vec::new();
    if let Some(date) = meta.date {
        facts.push(format!("<time datetime=\"{date}\">{date}</time>"));
    }
    if let Some(severity) = &meta.severity {
        facts.push(format!(
            "<a href=\"{root}severities/{}.html\">{}</a>",
            debrief_core::slug(severity),
            escape(severity)
        ));
    }
    for (dir, values) in [("services", &meta.services), ("tags", &meta.tags)] {
        for value in values.iter().filter(|v| !v.trim().is_empty()) {
            facts.push(format!(
                "<a href=\"{root}{dir}/{}.html\">{}</a>",
                debrief_core::slug(value.trim()),
                escape(value.trim())
            ));
        }
    }
    if meta.restricted {
        facts.push("<strong>restricted</strong>".into());
    }
    body.push_str(&facts.join(" · "));
    body.push_str("</p>\n");
    if page.draft {
        let status = meta
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let _ = writeln!(
            body,
            "<p class=\"draft\"><strong>Draft</strong>: not published yet ({}).</p>",
            status.map_or_else(
                || "no status in its front matter".to_string(),
                |s| format!("status: {}", escape(s))
            )
        );
    }

    // The metrics card.
    let m = &doc.analysis.metrics;
    body.push_str("<dl class=\"metrics\">\n");
    for (name, value) in [
        ("Time to detect", m.time_to_detect_s),
        ("Time to acknowledge", m.time_to_acknowledge_s),
        ("Time to mitigate", m.time_to_mitigate_s),
        ("Time to resolve", m.time_to_resolve_s),
        ("Duration", m.duration_s),
    ] {
        let shown = value.map_or_else(
            || "unknown".to_string(),
            debrief_core::milestones::human_duration,
        );
        let _ = writeln!(body, "<div><dt>{name}</dt><dd>{shown}</dd></div>");
    }
    body.push_str("</dl>\n");

    // Entries before the section, for their milestones; the graph goes above the first.
    let (mut entries, mut graphed) = (0, false);
    for section in &doc.postmortem.sections {
        let heading = if section.heading.trim().is_empty() {
            section.body.kind().canonical_heading().to_string()
        } else {
            section.heading.trim().to_string()
        };
        let _ = writeln!(body, "<section>\n<h2>{}</h2>", escape(&heading));
        match &section.body {
            SectionBody::Timeline(timeline) => {
                body.push_str(&timeline_html(page, timeline, entries, !graphed));
                entries += timeline.entries().count();
                graphed = true;
            }
            SectionBody::ActionItems(items) => {
                body.push_str("<ul class=\"actions\">\n");
                for item in items.items() {
                    let (class, state) = if item.done {
                        ("done", "done")
                    } else if item.declined.is_some() {
                        ("declined", "declined")
                    } else {
                        ("open", "open")
                    };
                    let mut details = Vec::new();
                    if let Some(owner) = &item.owner {
                        details.push(format!("owner: {}", escape(owner)));
                    }
                    if let Some(due) = &item.due {
                        details.push(format!("due: {}", escape(&due.written)));
                    }
                    if let Some(tracker) = &item.tracker {
                        // The issue the work is tracked in: a link when it is one.
                        details.push(
                            if tracker.starts_with("https://") || tracker.starts_with("http://") {
                                format!("<a href=\"{}\">{}</a>", escape(tracker), escape(tracker))
                            } else {
                                escape(tracker)
                            },
                        );
                    }
                    if let Some(reason) = &item.declined {
                        details.push(format!("declined: {}", escape(reason)));
                    }
                    let _ = writeln!(
                        body,
                        "<li class=\"{class}\"><span class=\"state\">{state}</span> {}{}</li>",
                        page.inline(&item.text),
                        if details.is_empty() {
                            String::new()
                        } else {
                            format!(" <span class=\"details\">({})</span>", details.join(", "))
                        }
                    );
                }
                body.push_str("</ul>\n");
            }
            SectionBody::Impact(impact) => body.push_str(&page.html(&impact.text)),
            SectionBody::Summary(text)
            | SectionBody::RootCause(text)
            | SectionBody::ContributingFactors(text)
            | SectionBody::WentWell(text)
            | SectionBody::WentBadly(text)
            | SectionBody::Lucky(text)
            | SectionBody::Other(text) => body.push_str(&page.html(text)),
        }
        body.push_str("</section>\n");
    }
    body.push_str("</article>\n");
    layout(page.title(), root, options, &body)
}

/// One timeline section: the graph of the whole timeline (above the first section only),
/// then the section's entries with the Markdown between them (prose, code blocks, log
/// excerpts, images) in document order. `first` is the index of its first entry among all
/// the document's entries, for their milestones.
fn timeline_html(page: &Page<'_>, timeline: &Timeline, first: usize, graph: bool) -> String {
    let doc = page.doc;
    let milestone = |i: usize| {
        doc.analysis
            .milestones
            .get(i)
            .copied()
            .flatten()
            .map(|m| m.name())
    };
    let mut out = String::new();
    if graph {
        let points: Vec<timeline::Point<'_>> = doc
            .postmortem
            .timeline_entries()
            .enumerate()
            .map(|(i, e)| timeline::Point {
                at: e.at,
                text: &e.text,
                milestone: milestone(i),
            })
            .collect();
        if let Some(svg) = timeline::svg(&points) {
            out.push_str("<figure class=\"timeline\">\n");
            out.push_str(&svg);
            out.push_str("</figure>\n");
        }
    }
    let mut open = false;
    let mut i = first;
    for part in &timeline.parts {
        match part {
            Part::Item(entry) => {
                if !open {
                    out.push_str("<ol class=\"timeline\">\n");
                    open = true;
                }
                let _ = writeln!(
                    out,
                    "<li><time datetime=\"{}\">{}</time>{} {}</li>",
                    entry.at,
                    entry.at.strftime("%Y-%m-%d %H:%M"),
                    milestone(i).map_or_else(String::new, |m| format!(
                        " <span class=\"milestone\">{m}</span>"
                    )),
                    page.inline(&entry.text)
                );
                i += 1;
            }
            Part::Text(text) => {
                if text.trim().is_empty() {
                    continue;
                }
                if open {
                    out.push_str("</ol>\n");
                    open = false;
                }
                out.push_str(&page.html(text));
            }
        }
    }
    if open {
        out.push_str("</ol>\n");
    }
    out
}

/// The review of the latest quarter that has postmortems.
fn review_page(pages: &[Page<'_>], options: &Options) -> String {
    let latest = pages.iter().filter_map(|p| p.meta().date).max();
    let entries: Vec<debrief_review::Entry> = pages
        .iter()
        .map(|p| {
            debrief_review::Entry::new(
                &p.doc.source,
                &p.doc.postmortem,
                &p.doc.analysis,
                p.doc.blame_free,
            )
        })
        .collect();
    let (from, to) = match latest {
        Some(date) => {
            let first_month = (date.month() - 1) / 3 * 3 + 1;
            let from = Date::new(date.year(), first_month, 1).ok();
            let to = from
                .and_then(|f| f.checked_add(jiff::Span::new().months(3)).ok())
                .and_then(|d| d.yesterday().ok());
            (from, to)
        }
        None => (None, None),
    };
    let review = debrief_review::review(
        &entries,
        &debrief_review::Options {
            from,
            to,
            today: options.today,
        },
    );
    let mut body = debrief_review::markdown_to_html(&debrief_review::markdown(&review));
    for chart in debrief_review::charts(&review) {
        body.push_str("<figure>\n");
        body.push_str(&chart.svg);
        body.push_str("</figure>\n");
    }
    layout("Quarterly review", "", options, &body)
}

#[derive(Serialize)]
struct SearchEntry<'a> {
    url: String,
    title: &'a str,
    date: Option<String>,
    severity: Option<&'a str>,
    services: &'a [String],
    tags: &'a [String],
    /// Not published yet (shown only with `--include-drafts`).
    draft: bool,
    text: String,
}

/// What the browser searches: each postmortem's facts and the words of its narrative.
fn search_index(pages: &[Page<'_>]) -> String {
    let entries: Vec<SearchEntry<'_>> = pages
        .iter()
        .map(|page| {
            let mut text = String::new();
            for section in &page.doc.postmortem.sections {
                let part = match &section.body {
                    SectionBody::Summary(t)
                    | SectionBody::RootCause(t)
                    | SectionBody::ContributingFactors(t)
                    | SectionBody::WentBadly(t) => t.as_str(),
                    SectionBody::Impact(impact) => impact.text.as_str(),
                    _ => "",
                };
                text.push_str(part);
                text.push(' ');
            }
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let text: String = text.chars().take(4000).collect();
            SearchEntry {
                url: format!("postmortems/{}.html", page.slug),
                title: page.title(),
                date: page.meta().date.map(|d| d.to_string()),
                severity: page.meta().severity.as_deref(),
                services: &page.meta().services,
                tags: &page.meta().tags,
                draft: page.draft,
                text,
            }
        })
        .collect();
    serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into())
}

fn feed(pages: &[Page<'_>], options: &Options) -> String {
    let base = options
        .base_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    let href = |path: &str| {
        if base.is_empty() {
            path.to_string()
        } else {
            format!("{base}/{path}")
        }
    };
    let updated = pages
        .iter()
        .filter_map(|p| p.meta().date)
        .max()
        .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<id>urn:debrief:{}</id>\n<updated>{updated}T00:00:00Z</updated>\n\
         <link rel=\"alternate\" href=\"{}\"/>\n",
        escape(&options.title),
        debrief_core::slug(&options.title),
        escape(&href("index.html"))
    );
    for page in pages.iter().take(50) {
        let date = page
            .meta()
            .date
            .map_or_else(|| updated.clone(), |d| d.to_string());
        let summary = page
            .doc
            .postmortem
            .sections
            .iter()
            .find_map(|s| match &s.body {
                SectionBody::Summary(t) => Some(t.split_whitespace().collect::<Vec<_>>().join(" ")),
                _ => None,
            });
        let _ = writeln!(
            out,
            "<entry>\n<title>{}{}</title>\n<id>urn:debrief:postmortem:{}</id>\n<updated>{date}T00:00:00Z</updated>\n\
             <link rel=\"alternate\" href=\"{}\"/>{}\n<summary>{}</summary>\n</entry>",
            if page.draft { "[Draft] " } else { "" },
            escape(page.title()),
            page.slug,
            escape(&href(&format!("postmortems/{}.html", page.slug))),
            if page.draft {
                "\n<category term=\"draft\" label=\"Draft\"/>"
            } else {
                ""
            },
            escape(&summary.unwrap_or_default())
        );
    }
    out.push_str("</feed>\n");
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;line-height:1.5;color:#1a202c;margin:0}
header{display:flex;gap:1.5rem;align-items:baseline;padding:.8rem 1.5rem;background:#edf2f7}
header .site{font-weight:bold;color:inherit;text-decoration:none}header nav a{margin-right:1rem}
main{max-width:62rem;margin:0 auto;padding:1rem 1.5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #e2e8f0;padding:.35rem .5rem}
.facts{color:#4a5568}.metrics{display:flex;flex-wrap:wrap;gap:.8rem}.metrics div{border:1px solid #cbd5e0;border-radius:6px;padding:.4rem .8rem}
.metrics dt{font-size:.8rem;color:#4a5568}.metrics dd{margin:0;font-size:1.2rem;font-weight:bold}
.actions .state{display:inline-block;min-width:4.5rem;font-size:.8rem;text-transform:uppercase;color:#4a5568}
.actions .done .state{color:#2f855a}.actions .declined .state{color:#718096}.milestone{font-size:.8rem;color:#c05621;font-weight:bold}
.draft{color:#9c4221;font-weight:bold}span.draft{font-size:.8rem;text-transform:uppercase}p.draft{border-left:4px solid #dd6b20;padding:.3rem .8rem;background:#fffaf0}
figure{margin:1rem 0;overflow-x:auto}img{max-width:100%}svg{max-width:100%;height:auto}
.search input{width:60%;padding:.4rem}#results{padding-left:1.2rem}
";

const SEARCH_JS: &str = r#"// Search every postmortem in the browser: search.json holds each one's facts and words.
(function () {
  var input = document.getElementById("search");
  var results = document.getElementById("results");
  if (!input || !results) return;
  var entries = null;
  function load() {
    if (entries) return Promise.resolve(entries);
    return fetch("search.json").then(function (r) { return r.json(); }).then(function (data) {
      entries = data.map(function (e) {
        e.haystack = [e.title, e.date || "", e.severity || "", e.services.join(" "), e.tags.join(" "), e.text]
          .join(" ").toLowerCase();
        return e;
      });
      return entries;
    });
  }
  function show(found) {
    results.textContent = "";
    found.slice(0, 50).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e.url;
      link.textContent = e.title;
      item.appendChild(link);
      if (e.date) item.appendChild(document.createTextNode(" (" + e.date + ")"));
      if (e.draft) item.appendChild(document.createTextNode(" [draft]"));
      results.appendChild(item);
    });
    if (found.length === 0) {
      var none = document.createElement("li");
      none.textContent = "No postmortem matches.";
      results.appendChild(none);
    }
    results.hidden = false;
  }
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) { results.hidden = true; return; }
    load().then(function (all) {
      show(all.filter(function (e) {
        return words.every(function (w) { return e.haystack.indexOf(w) !== -1; });
      }));
    });
  });
})();
"#;
