//! The published site: every postmortem for the whole organisation, as static files.
//!
//! [`build`] turns read documents into files (paths and contents); writing them is the
//! caller's business. The site has an index with filters (tag, service and severity pages,
//! which need no script), one page per postmortem (a metrics card, the timeline on a time
//! axis with its milestones, the action items, the narrative), the latest quarter's review,
//! an Atom feed, and a search that runs in the browser over `search.json`. Every page works
//! without JavaScript except the search. Pages are askama templates over the shared layout
//! of `debrief-html` (`pages.rs`); Markdown from postmortems goes through
//! [`debrief_html::markdown`]: raw HTML becomes text and unsafe link targets are dropped. Only published postmortems are published (front-matter `status` `published`, or
//! `closed`, which comes after it in the server's workflow): drafts are left out unless asked
//! for, and then marked as drafts on their page, in the lists and in the feed. Restricted
//! postmortems are left out unless asked for. Relative images a postmortem shows are copied
//! beside its page when the caller found them ([`Doc::images`], [`Site::assets`]).

mod fishbone;
mod pages;
mod timeline;

use debrief_core::model::{Metadata, SectionBody};
use debrief_core::{Analysis, Postmortem};
use debrief_html::escape;
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

/// One postmortem as an HTML `<article>` (its title, facts, metrics card, sections, the
/// timeline on a time axis, action items), as the site shows it, for pages made elsewhere:
/// the server's. `link(group, value)` is where a severity, service or tag links to; `group`
/// is `severities`, `services` or `tags`.
pub fn article(doc: &Doc, link: &dyn Fn(&str, &str) -> String) -> String {
    let page = Page {
        doc,
        slug: String::new(),
        draft: false,
        images: HashMap::new(),
    };
    pages::article_html(&page, &|group, value| pages::Link {
        href: link(group, value),
        text: value.to_string(),
        count: 0,
    })
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
pub(crate) struct Page<'a> {
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
        debrief_html::markdown_with_images(markdown, &|url| {
            self.images.get(url).map(|path| percent_encode(path))
        })
    }

    /// Markdown of one line, without the paragraph around it.
    fn inline(&self, markdown: &str) -> String {
        debrief_html::inline(&self.html(markdown)).to_string()
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

    let groups: Vec<(&'static str, BTreeMap<String, Vec<&Page<'_>>>)> = pages::GROUPS
        .iter()
        .map(|(dir, _, _)| (*dir, group(&pages, |p| pages::values(p, dir))))
        .collect();
    let listings = pages::Listings::new(&groups);
    let mut files = vec![
        File {
            path: "style.css".into(),
            content: format!("{}{STYLE}", debrief_html::BASE_CSS),
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
            content: pages::index(&pages, &groups, &listings, options),
        },
        File {
            path: "review.html".into(),
            content: review_page(&pages, options),
        },
    ];
    for page in &pages {
        files.push(File {
            path: format!("postmortems/{}.html", page.slug),
            content: pages::postmortem(page, &listings, options),
        });
    }
    for ((dir, values), (_, label, _)) in groups.iter().zip(pages::GROUPS) {
        for (value, list) in values {
            files.push(File {
                path: listings.file(dir, value),
                content: pages::listing(&format!("{label}: {value}"), list, &listings, options),
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
    of: impl Fn(&'b Page<'a>) -> Vec<&'b str>,
) -> BTreeMap<String, Vec<&'b Page<'a>>> {
    let mut groups: BTreeMap<String, Vec<&Page<'_>>> = BTreeMap::new();
    for page in pages {
        for value in of(page) {
            groups.entry(value.to_string()).or_default().push(page);
        }
    }
    groups
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
    pages::review(&review, options)
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
                    | SectionBody::WentBadly(t)
                    | SectionBody::ReviewMeeting(t) => t.as_str(),
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

/// The site's own styles, after the shared ones.
/// The site's stylesheet, after [`debrief_html::BASE_CSS`]: the server's pages use it too.
pub const STYLE: &str = include_str!("../assets/style.css");

/// The search: the browser reads `search.json` and matches every word typed.
const SEARCH_JS: &str = include_str!("../assets/search.js");
