//! The published site: no broken internal links (every href and src of every page resolves
//! to a file of the site or an image copied into it), restricted postmortems and drafts left
//! out everywhere unless asked for (and drafts then marked), images copied beside their
//! page, and Markdown from postmortems sanitised, with its code and logs kept. Runs on
//! inline postmortems and, when `DEBRIEF_CORPUS` is set, on the DFDS corpus too.

use debrief_site::{Doc, Options, Site, build, image_references};
use std::collections::HashSet;

fn doc(source: &str, text: &str) -> Doc {
    let read = debrief_core::read(text);
    Doc {
        source: source.into(),
        postmortem: read.postmortem,
        analysis: read.analysis,
        images: Vec::new(),
        blame_free: None,
    }
}

fn options(include_restricted: bool) -> Options {
    Options {
        title: "Acme postmortems".into(),
        include_restricted,
        include_drafts: false,
        base_url: None,
        today: jiff::civil::date(2026, 11, 21),
    }
}

fn fixtures() -> Vec<Doc> {
    vec![
        doc(
            "checkout.md",
            "---\ntitle: Checkout 500 errors\ndate: 2026-06-14\nstatus: published\nseverity: SEV2\nservices: [checkout, payments api]\n\
             tags: [migration]\n---\n\n## Summary\n\nA migration dropped a column. <script>alert(1)</script> \
             See [the dashboard](javascript:alert(2)) and [the runbook](https://runbooks.example/checkout).\n\n\
             ## Timeline (UTC)\n\n- 14:00 Migration deploy starts\n- 14:05 [detected] Alert fires\n\
             - 14:23 [resolved] Rollback completes\n\n## Action items\n\n\
             - [ ] Add a CI step that fails on DROP COLUMN (owner: platform, due: 2026-07-01)\n\
             - [x] Roll back (owner: payments, due: 2026-06-14)\n",
        ),
        doc(
            "queue.md",
            "---\ntitle: Queue backlog\ndate: 2026-05-02\nstatus: closed\nseverity: SEV3\nservices: [queue]\ntags: [capacity, migration]\n---\n\n\
             ## Summary\n\nConsumers stalled on a poison message.\n",
        ),
        doc(
            "leak.md",
            "---\ntitle: Leaked signing key\ndate: 2026-06-20\nstatus: published\nrestricted: true\nservices: [vault]\ntags: [secret-rotation]\n---\n\n\
             ## Summary\n\nA signing key was exposed in a build log.\n",
        ),
    ]
}

/// Every internal link of every page must name a file of the site or a copied image.
fn check_links(site: &Site) -> usize {
    let paths: HashSet<&str> = site
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(site.assets.iter().map(|a| a.path.as_str()))
        .collect();
    let mut checked = 0;
    for file in site.files.iter().filter(|f| f.path.ends_with(".html")) {
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
                let target = &target.replace("%20", " ");
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
    let names: Vec<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
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
    for file in &site.files {
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
        with.files
            .iter()
            .any(|f| f.path == "postmortems/2026-06-20-leaked-signing-key.html")
    );
}

#[test]
fn pages_are_sanitised_and_complete() {
    let site = build(&fixtures(), &options(false));
    let page = &site
        .files
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
        .files
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
            .files
            .iter()
            .find(|f| f.path == "search.json")
            .expect("index")
            .content,
    )
    .expect("JSON");
    assert_eq!(index.as_array().map(Vec::len), Some(2));
    // Pages work without JavaScript: only the index loads a script, for the search.
    for file in site.files.iter().filter(|f| f.path.ends_with(".html")) {
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
    // None of them says it is published: behind the gate, the site is empty.
    let gated = build(&docs, &options(false));
    assert!(gated.published.is_empty());
    assert_eq!(gated.left_out_drafts, docs.len());
    let site = build(
        &docs,
        &Options {
            include_drafts: true,
            ..options(false)
        },
    );
    let checked = check_links(&site);
    assert!(
        site.files
            .iter()
            .filter(|f| f.path.starts_with("postmortems/"))
            .count()
            >= 30
    );
    assert!(checked > 100, "{checked}");
}

/// A postmortem in a given status.
fn with_status(title: &str, date: &str, status: Option<&str>) -> Doc {
    let status = status.map_or_else(String::new, |s| format!("status: {s}\n"));
    doc(
        &format!("{title}.md"),
        &format!(
            "---\ntitle: {title}\ndate: {date}\n{status}tags: [gate]\n---\n\n\
             ## Summary\n\nWhat {title} was about.\n"
        ),
    )
}

fn file<'a>(site: &'a Site, path: &str) -> &'a str {
    &site
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} in the site"))
        .content
}

#[test]
fn drafts_are_left_out_unless_asked_for_and_then_marked() {
    let docs = vec![
        with_status("Published one", "2026-06-01", Some("published")),
        with_status("Closed one", "2026-06-02", Some("Closed")),
        with_status("Draft one", "2026-06-03", Some("draft")),
        with_status("Reviewing one", "2026-06-04", Some("in_review")),
        with_status("Unstated one", "2026-06-05", None),
    ];
    let site = build(&docs, &options(false));
    assert_eq!(site.published, ["Closed one.md", "Published one.md"]);
    assert_eq!((site.left_out_drafts, site.drafts), (3, 0));
    for file in &site.files {
        for draft in ["Draft one", "Reviewing one", "Unstated one"] {
            assert!(!file.content.contains(draft), "{} shows {draft}", file.path);
        }
        assert!(!file.content.contains("class=\"draft\""), "{}", file.path);
    }

    let site = build(
        &docs,
        &Options {
            include_drafts: true,
            ..options(false)
        },
    );
    check_links(&site);
    assert_eq!(
        (site.published.len(), site.drafts, site.left_out_drafts),
        (5, 3, 0)
    );
    let page = file(&site, "postmortems/2026-06-04-reviewing-one.html");
    assert!(
        page.contains(
            "<p class=\"draft\"><strong>Draft</strong>: not published yet (status: in_review).</p>"
        ),
        "{page}"
    );
    let page = file(&site, "postmortems/2026-06-05-unstated-one.html");
    assert!(page.contains("(no status in its front matter)"), "{page}");
    let page = file(&site, "postmortems/2026-06-01-published-one.html");
    assert!(!page.contains("class=\"draft\""));
    for list in ["index.html", "tags/gate.html"] {
        let list = file(&site, list);
        assert!(list.contains("Draft one</a> <span class=\"draft\">draft</span>"));
        assert!(list.contains("Published one</a></td>"));
        assert_eq!(
            list.matches("<span class=\"draft\">draft</span>").count(),
            3
        );
    }
    let feed = file(&site, "feed.atom");
    assert!(feed.contains("<title>[Draft] Unstated one</title>"));
    assert!(feed.contains("<title>Published one</title>"));
    assert_eq!(
        feed.matches("<category term=\"draft\" label=\"Draft\"/>")
            .count(),
        3
    );
    let search: serde_json::Value = serde_json::from_str(file(&site, "search.json")).expect("JSON");
    let drafts: Vec<&str> = search
        .as_array()
        .expect("a list")
        .iter()
        .filter(|e| e["draft"] == true)
        .map(|e| e["title"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(drafts, ["Unstated one", "Reviewing one", "Draft one"]);
}

#[test]
fn images_are_found_with_their_positions() {
    let text = "# Outage\n\n![graph](images/error%20rate.png) and ![remote](https://example.com/a.png)\n\n\
                - ![data](data:image/png;base64,AAAA) ![abs](/srv/a.png)\n  ![up](./../shared/./logo.svg?v=2)\n\n\
                ![ref][chart]\n\n[chart]: charts/latency.svg\n";
    let found: Vec<(String, String, u32, u32)> = image_references(text)
        .into_iter()
        .map(|i| (i.url, i.path, i.line, i.column))
        .collect();
    assert_eq!(
        found,
        [
            (
                "images/error%20rate.png".into(),
                "images/error rate.png".into(),
                3,
                1
            ),
            (
                "./../shared/./logo.svg?v=2".into(),
                "../shared/logo.svg".into(),
                6,
                3
            ),
            (
                "charts/latency.svg".into(),
                "charts/latency.svg".into(),
                8,
                1
            ),
        ]
    );
}

#[test]
fn images_are_copied_beside_their_page() {
    let mut checkout = doc(
        "incidents/checkout.md",
        "---\ntitle: Checkout 500 errors\ndate: 2026-06-14\nstatus: published\n---\n\n\
         ## Summary\n\n![Error rate](images/error%20rate.png)\n\n![Logo](../shared/logo.svg) \
         ![Gone](images/missing.png) ![Remote](https://example.com/r.png)\n\n\
         ## Timeline (UTC)\n\n- 14:00 Deploy starts ![diff](images/diff.png)\n- 14:05 [detected] Alert fires\n",
    );
    checkout.images = vec![
        "images/error%20rate.png".into(),
        "../shared/logo.svg".into(),
        "images/diff.png".into(),
    ];
    let mut other = doc(
        "incidents/dns.md",
        "---\ntitle: DNS\ndate: 2026-05-01\nstatus: published\n---\n\n## Summary\n\n![Error rate](images/error%20rate.png)\n",
    );
    other.images = vec!["images/error%20rate.png".into()];
    let mut draft = doc(
        "incidents/draft.md",
        "---\ntitle: Draft\ndate: 2026-05-02\n---\n\n## Summary\n\n![x](images/secret.png)\n",
    );
    draft.images = vec!["images/secret.png".into()];
    let site = build(&[checkout, other, draft], &options(false));
    let assets: Vec<(&str, &str, &str)> = site
        .assets
        .iter()
        .map(|a| (a.source.as_str(), a.url.as_str(), a.path.as_str()))
        .collect();
    assert_eq!(
        assets,
        [
            (
                "incidents/checkout.md",
                "../shared/logo.svg",
                "postmortems/2026-06-14-checkout-500-errors/_/shared/logo.svg"
            ),
            (
                "incidents/checkout.md",
                "images/diff.png",
                "postmortems/2026-06-14-checkout-500-errors/images/diff.png"
            ),
            (
                "incidents/checkout.md",
                "images/error%20rate.png",
                "postmortems/2026-06-14-checkout-500-errors/images/error rate.png"
            ),
            (
                "incidents/dns.md",
                "images/error%20rate.png",
                "postmortems/2026-05-01-dns/images/error rate.png"
            ),
        ],
        "one folder per page, so that two postmortems' images never collide; no draft's"
    );
    let page = file(&site, "postmortems/2026-06-14-checkout-500-errors.html");
    assert!(page.contains(
        "<img src=\"2026-06-14-checkout-500-errors/images/error%20rate.png\" alt=\"Error rate\""
    ));
    assert!(page.contains("src=\"2026-06-14-checkout-500-errors/_/shared/logo.svg\""));
    assert!(
        page.contains("src=\"2026-06-14-checkout-500-errors/images/diff.png\""),
        "in a timeline entry"
    );
    assert!(
        page.contains("src=\"images/missing.png\""),
        "an image not found keeps its target"
    );
    assert!(page.contains("src=\"https://example.com/r.png\""));
    // Every copied image is linked from its page.
    let mut site = site;
    site.files.iter_mut().for_each(|f| {
        f.content = f.content.replace("src=\"images/missing.png\"", "");
    });
    check_links(&site);
}

#[test]
fn timelines_code_and_logs_survive_on_the_page() {
    let text = "---\ntitle: Ingress overload\ndate: 2026-06-20\nstatus: published\n---\n\n\
                ## Summary\n\nThe ingress ran out of connections.\n\n```sh\nkubectl -n ingress get pods\n```\n\n\
                ## Timeline (UTC)\n\n- 10:00 [started] Connections climb\n\n\
                ```\n2026-06-20T10:01:02Z ERROR upstream <timeout> & retry\n```\n\n\
                - 10:12 [detected] Alert fires\n\nA poem interrupts the timeline.\n\n\
                ## Timeline\n\n- 10:40 [resolved] Rollback completes\n\n\
                ## Root cause\n\n    Jun 20 10:02:11 ingress-7 nginx[12]: worker_connections are not enough\n";
    let docs = vec![doc("ingress.md", text)];
    let timelines = docs[0]
        .postmortem
        .sections
        .iter()
        .filter(|s| s.body.kind() == debrief_core::model::SectionKind::Timeline)
        .count();
    assert_eq!(timelines, 2, "{:#?}", docs[0].postmortem.sections);
    let site = build(&docs, &options(false));
    let page = file(&site, "postmortems/2026-06-20-ingress-overload.html");
    assert_eq!(
        page.matches("<svg").count(),
        1,
        "one graph of the whole timeline"
    );
    assert!(page.contains(">detected</text>") && page.contains(">resolved</text>"));
    assert!(
        page.contains(
            "<pre><code class=\"language-sh\">kubectl -n ingress get pods\n</code></pre>"
        )
    );
    assert!(
        page.contains("<pre><code>2026-06-20T10:01:02Z ERROR upstream &lt;timeout&gt; &amp; retry\n</code></pre>"),
        "a log excerpt between timeline entries, escaped: {page}"
    );
    assert!(page.contains("<p>A poem interrupts the timeline.</p>"));
    assert!(page.contains(
        "<pre><code>Jun 20 10:02:11 ingress-7 nginx[12]: worker_connections are not enough"
    ));
    // Each timeline section lists its own entries, in order, around the text between them.
    let order = [
        "Connections climb",
        "10:01:02Z ERROR",
        "Alert fires",
        "A poem interrupts",
        "Rollback completes",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|t| page.rfind(t).unwrap_or_else(|| panic!("{t} on the page")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert_eq!(page.matches("Rollback completes</li>").count(), 1);
}

/// Tag, service and severity pages never overwrite each other: names in any script keep
/// their letters, and two values with the same name on disk ("C++" and "C#") get two pages,
/// each linked from where its value is shown.
#[test]
fn every_label_has_its_own_page() {
    let docs = vec![doc(
        "db.md",
        "---\ntitle: データベース障害\ndate: 2026-06-14\nstatus: published\n\
         tags: [データベース, 障害, C++, C#]\nservices: [Αποθήκη]\n---\n\n## Summary\n\nThe database failed.\n",
    )];
    let site = build(&docs, &options(false));
    check_links(&site);
    let tags: Vec<&str> = site
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.starts_with("tags/"))
        .collect();
    assert_eq!(tags.len(), 4, "{tags:?}");
    assert!(tags.contains(&"tags/データベース.html"), "{tags:?}");
    assert!(tags.contains(&"tags/障害.html"), "{tags:?}");
    assert!(
        tags.contains(&"tags/c.html") && tags.contains(&"tags/c-2.html"),
        "{tags:?}"
    );
    let page = |path: &str| {
        site.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.content.as_str())
            .unwrap_or_default()
    };
    assert!(page("tags/c.html").contains("Tag: C#") || page("tags/c.html").contains("Tag: C++"));
    assert_ne!(page("tags/c.html"), page("tags/c-2.html"));
    assert!(
        site.files
            .iter()
            .any(|f| f.path == "postmortems/2026-06-14-データベース障害.html")
    );
    assert!(site.files.iter().any(|f| f.path == "services/αποθήκη.html"));
}
