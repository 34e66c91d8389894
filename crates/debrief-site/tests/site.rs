//! The published site: no broken internal links (every href and src of every page resolves
//! to a file of the site), restricted postmortems left out everywhere unless asked for,
//! and Markdown from postmortems sanitised. Runs on inline postmortems and, when
//! `DEBRIEF_CORPUS` is set, on the DFDS corpus too.

use debrief_site::{Doc, File, Options, build};
use std::collections::HashSet;

fn doc(source: &str, text: &str) -> Doc {
    let read = debrief_core::read(text);
    Doc {
        source: source.into(),
        postmortem: read.postmortem,
        analysis: read.analysis,
    }
}

fn options(include_restricted: bool) -> Options {
    Options {
        title: "Acme postmortems".into(),
        include_restricted,
        base_url: None,
        today: jiff::civil::date(2026, 11, 21),
    }
}

fn fixtures() -> Vec<Doc> {
    vec![
        doc(
            "checkout.md",
            "---\ntitle: Checkout 500 errors\ndate: 2026-06-14\nseverity: SEV2\nservices: [checkout, payments api]\n\
             tags: [migration]\n---\n\n## Summary\n\nA migration dropped a column. <script>alert(1)</script> \
             See [the dashboard](javascript:alert(2)) and [the runbook](https://runbooks.example/checkout).\n\n\
             ## Timeline (UTC)\n\n- 14:00 Migration deploy starts\n- 14:05 [detected] Alert fires\n\
             - 14:23 [resolved] Rollback completes\n\n## Action items\n\n\
             - [ ] Add a CI step that fails on DROP COLUMN (owner: platform, due: 2026-07-01)\n\
             - [x] Roll back (owner: payments, due: 2026-06-14)\n",
        ),
        doc(
            "queue.md",
            "---\ntitle: Queue backlog\ndate: 2026-05-02\nseverity: SEV3\nservices: [queue]\ntags: [capacity, migration]\n---\n\n\
             ## Summary\n\nConsumers stalled on a poison message.\n",
        ),
        doc(
            "leak.md",
            "---\ntitle: Leaked signing key\ndate: 2026-06-20\nrestricted: true\nservices: [vault]\ntags: [secret-rotation]\n---\n\n\
             ## Summary\n\nA signing key was exposed in a build log.\n",
        ),
    ]
}

/// Every internal link of every page must name a file of the site.
fn check_links(site: &[File]) -> usize {
    let paths: HashSet<&str> = site.iter().map(|f| f.path.as_str()).collect();
    let mut checked = 0;
    for file in site.iter().filter(|f| f.path.ends_with(".html")) {
        let dir = file.path.rsplit_once('/').map_or("", |(d, _)| d);
        for attribute in ["href=\"", "src=\""] {
            for (at, _) in file.content.match_indices(attribute) {
                let rest = &file.content[at + attribute.len()..];
                let target = &rest[..rest.find('"').expect("a closed attribute")];
                if target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with('#')
                    || target.starts_with("mailto:")
                {
                    continue;
                }
                let target = target.split('#').next().unwrap_or(target);
                let mut parts: Vec<&str> = if dir.is_empty() {
                    Vec::new()
                } else {
                    dir.split('/').collect()
                };
                for part in target.split('/') {
                    match part {
                        ".." => {
                            assert!(
                                parts.pop().is_some(),
                                "{}: {target} leaves the site",
                                file.path
                            );
                        }
                        "." | "" => {}
                        part => parts.push(part),
                    }
                }
                let resolved = parts.join("/");
                assert!(
                    paths.contains(resolved.as_str()),
                    "{}: broken link {target} (to {resolved})",
                    file.path
                );
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn no_broken_internal_links_and_restricted_left_out() {
    let site = build(&fixtures(), &options(false));
    let checked = check_links(&site);
    assert!(checked > 30, "{checked} links checked");
    let names: Vec<&str> = site.iter().map(|f| f.path.as_str()).collect();
    for expected in [
        "index.html",
        "review.html",
        "feed.atom",
        "search.json",
        "search.js",
        "postmortems/2026-06-14-checkout-500-errors.html",
        "tags/migration.html",
        "services/payments-api.html",
        "severities/sev2.html",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    // The restricted postmortem is nowhere: no page, no tag or service page, not in the
    // index, the feed or the search index.
    for file in &site {
        assert!(
            !file.content.contains("Leaked signing key"),
            "{} leaks it",
            file.path
        );
        assert!(!file.path.contains("vault") && !file.path.contains("secret-rotation"));
    }
    let with = build(&fixtures(), &options(true));
    check_links(&with);
    assert!(
        with.iter()
            .any(|f| f.path == "postmortems/2026-06-20-leaked-signing-key.html")
    );
}

#[test]
fn pages_are_sanitised_and_complete() {
    let site = build(&fixtures(), &options(false));
    let page = &site
        .iter()
        .find(|f| f.path == "postmortems/2026-06-14-checkout-500-errors.html")
        .expect("the page")
        .content;
    assert!(!page.contains("<script>alert(1)"), "raw HTML is text");
    assert!(page.contains("&lt;script&gt;alert(1)"));
    assert!(
        !page.contains("javascript:"),
        "unsafe link targets are dropped"
    );
    assert!(page.contains("href=\"https://runbooks.example/checkout\""));
    assert!(
        page.contains("<dt>Time to detect</dt><dd>5m</dd>"),
        "the metrics card"
    );
    assert!(
        page.contains("<svg") && page.contains(">detected</text>"),
        "the timeline with its milestones"
    );
    assert!(page.contains("<span class=\"state\">open</span> Add a CI step"));
    let feed = &site
        .iter()
        .find(|f| f.path == "feed.atom")
        .expect("feed")
        .content;
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert_eq!(feed.matches("<entry>").count(), 2);
    let index: serde_json::Value = serde_json::from_str(
        &site
            .iter()
            .find(|f| f.path == "search.json")
            .expect("index")
            .content,
    )
    .expect("JSON");
    assert_eq!(index.as_array().map(Vec::len), Some(2));
    // Pages work without JavaScript: only the index loads a script, for the search.
    for file in site.iter().filter(|f| f.path.ends_with(".html")) {
        assert_eq!(
            file.content.contains("<script"),
            file.path == "index.html",
            "{}",
            file.path
        );
    }
}

#[test]
fn the_dfds_corpus_publishes_without_broken_links() {
    let Ok(corpus) = std::env::var("DEBRIEF_CORPUS") else {
        eprintln!("SKIPPED the DFDS site: DEBRIEF_CORPUS is not set");
        return;
    };
    let dir = std::path::Path::new(&corpus).join("dfds-postmortems");
    let docs: Vec<Doc> = std::fs::read_dir(&dir)
        .expect("the DFDS directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            doc(
                &p.display().to_string(),
                &std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect();
    let site = build(&docs, &options(false));
    let checked = check_links(&site);
    assert!(
        site.iter()
            .filter(|f| f.path.starts_with("postmortems/"))
            .count()
            >= 30
    );
    assert!(checked > 100, "{checked}");
}
