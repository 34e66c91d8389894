//! The HTML debrief writes, in one place: escaping, Markdown made safe to serve, and the
//! layout every page extends (`templates/layout.html`), with the shared stylesheet. The
//! published site, the review's HTML page and the server's web pages build on it.
//!
//! Pages are askama templates: compiled with the program, checked when it is built, and
//! escaping everything they print unless a field is marked `|safe`. Only HTML this crate
//! made safe ([`markdown`], [`markdown_with_images`]) and SVG drawn by debrief is marked so.
//!
//! A crate's templates extend the layout by naming this crate's template directory in its
//! own `askama.toml`: `dirs = ["templates", "../debrief-html/templates"]`.

use pulldown_cmark::{CowStr, Event, Parser, Tag};

/// The stylesheet every page shares: type, the width of the text, figures.
pub const BASE_CSS: &str = include_str!("../assets/base.css");

/// Escapes text for HTML and XML (SVG drawn by hand); control characters are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown from postmortems as HTML that is safe to serve: raw HTML is shown as text, and
/// link and image targets other than http(s) and relative ones are dropped.
pub fn markdown(text: &str) -> String {
    markdown_with_images(text, &|_| None)
}

/// [`markdown`], with image targets moved: `image` gives an image's new target from the
/// one written (the published site copies a postmortem's images beside its page), or `None`
/// to keep it. New targets are made safe like the others.
pub fn markdown_with_images(text: &str, image: &dyn Fn(&str) -> Option<String>) -> String {
    let safe =
        |url: &str| url.starts_with("https://") || url.starts_with("http://") || !url.contains(':');
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: if safe(&dest_url) {
                dest_url
            } else {
                CowStr::from("#")
            },
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = image(&dest_url).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Image {
                link_type,
                dest_url: if safe(&dest_url) {
                    dest_url
                } else {
                    CowStr::from("")
                },
                title,
                id,
            })
        }
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// One line of Markdown as HTML, without the paragraph around it.
pub fn inline(html: &str) -> &str {
    let html = html.trim();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_never_reach_the_page() {
        let html = markdown("<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![i](data:x)");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("href=\"#\""), "{html}");
        assert!(html.contains("src=\"\""), "{html}");
    }

    #[test]
    fn escaping_covers_attributes() {
        assert_eq!(escape("a\"b'<c>&\u{7}"), "a&quot;b&#39;&lt;c&gt;&amp;");
    }
}
