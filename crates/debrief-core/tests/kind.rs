//! What each document of the public corpus is: the templates and the pages (READMEs, index
//! pages, licences) must be told apart from the postmortems, and every template must be
//! recognised from its content alone, without its file name. Found through `DEBRIEF_CORPUS`.

use debrief_core::kind::{Kind, classify, is_template};
use std::path::{Path, PathBuf};

const TEMPLATES: [&str; 13] = [
    "dastergon-postmortem-templates/templates/postmortem-template-azure.md",
    "dastergon-postmortem-templates/templates/postmortem-template-elastic.md",
    "dastergon-postmortem-templates/templates/postmortem-template-google-api-infra.md",
    "dastergon-postmortem-templates/templates/postmortem-template-michael.kehoe.md",
    "dastergon-postmortem-templates/templates/postmortem-template-real-world-sre.md",
    "dastergon-postmortem-templates/templates/postmortem-template-srebook.md",
    "dastergon-postmortem-templates/templates/postmortem-template-thecloudbook.md",
    "dfds-postmortems/PMyyyy-nnn - Postmortem template.md",
    "govuk-one-login-account-interventions-service/docs/incidents/000-template.md",
    "pagerduty-incident-response-docs/docs/after/post_mortem_template.md",
    "pagerduty-postmortem-docs/docs/resources/post_mortem_template.md",
    "posthog-post-mortems/investigations/template.md",
    "usdigitalresponse-univaf/docs/incidents/template.md",
];

const PAGES: [&str; 12] = [
    "README.md",
    "berkeley-dsep-infra-datahub/docs/incidents/index.qmd",
    "dastergon-postmortem-templates/README.md",
    "dfds-postmortems/README.md",
    "govuk-one-login-account-interventions-service/LICENSE.md",
    "govuk-one-login-account-interventions-service/docs/incidents/README.md",
    "hachyderm-community/community.hachyderm.io/content/en/blog/incidents/_index.md",
    "kubernetes-test-infra/docs/post-mortems/README.md",
    "pagerduty-postmortem-docs/README.md",
    "pagerduty-postmortem-docs/docs/index.md",
    "posthog-post-mortems/README.md",
    "python-discord-infra/docs/docs/post-mortems/index.md",
];

/// Guidance about postmortems: essays with no date, no timeline entry and no action item,
/// which tell of no incident and so are pages.
const ESSAYS: [&str; 10] = [
    "pagerduty-incident-response-docs/docs/after/after_an_incident.md",
    "pagerduty-postmortem-docs/docs/culture/accountability.md",
    "pagerduty-postmortem-docs/docs/culture/introduce.md",
    "pagerduty-postmortem-docs/docs/culture/sharing.md",
    "pagerduty-postmortem-docs/docs/how_to_write/effective_postmortems.md",
    "pagerduty-postmortem-docs/docs/meeting.md",
    "pagerduty-postmortem-docs/docs/next_steps.md",
    "pagerduty-postmortem-docs/docs/resources/analysis.md",
    "pagerduty-postmortem-docs/docs/resources/checklist.md",
    "pagerduty-postmortem-docs/docs/what_is.md",
];

/// Guidance that the rule takes for postmortems: essays that write a full date or a timeline
/// entry somewhere (an example, a historical note). A known limit; `exclude` in
/// `debrief.toml` leaves them out.
const GUIDES: [&str; 6] = [
    "pagerduty-incident-response-docs/docs/after/effective_post_mortems.md",
    "pagerduty-incident-response-docs/docs/after/post_mortem_process.md",
    "pagerduty-postmortem-docs/docs/culture/blameless.md",
    "pagerduty-postmortem-docs/docs/how_to_write/writing.md",
    "pagerduty-postmortem-docs/docs/resources/examples.md",
    "pagerduty-postmortem-docs/docs/resources/reading.md",
];

/// The Markdown files of a tree, as `debrief` walks them: by extension, or without one when
/// the first line is a heading or front matter.
fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            markdown_files(&path, out);
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e)
            .filter(|e| !e.contains(' '));
        let taken = match ext {
            Some(ext) => ["md", "markdown", "qmd"].contains(&ext),
            None => std::fs::read_to_string(&path).is_ok_and(|t| {
                let first = t.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                first.starts_with('#') || first.starts_with("---") || first.starts_with("+++")
            }),
        };
        if taken {
            out.push(path);
        }
    }
}

#[test]
fn templates_and_pages_of_the_corpus() {
    let Ok(corpus) = std::env::var("DEBRIEF_CORPUS") else {
        eprintln!("SKIPPED the kinds of the corpus: DEBRIEF_CORPUS is not set");
        return;
    };
    let root = Path::new(&corpus);
    let mut files = Vec::new();
    markdown_files(root, &mut files);
    files.sort();
    let mut postmortems = 0;
    let mut wrong = Vec::new();
    for path in &files {
        let relative = path
            .strip_prefix(root)
            .expect("under the corpus")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).expect("UTF-8");
        let read = debrief_core::read_with(&text, &debrief_core::ReadOptions::for_path(path));
        let name = path.file_name().and_then(|n| n.to_str());
        let expected = if TEMPLATES.contains(&relative.as_str()) {
            Kind::Template
        } else if PAGES.contains(&relative.as_str()) || ESSAYS.contains(&relative.as_str()) {
            Kind::Page
        } else {
            if !GUIDES.contains(&relative.as_str()) {
                postmortems += 1;
            }
            Kind::Postmortem
        };
        let kind = classify(&read.postmortem, name);
        if kind != expected {
            wrong.push(format!(
                "{relative}: {} (expected {})",
                kind.name(),
                expected.name()
            ));
        }
        if expected == Kind::Template && !is_template(&read.postmortem) {
            wrong.push(format!("{relative}: a template only by its name"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    println!(
        "{postmortems} postmortems, {} templates, {} pages, {} guides taken for postmortems",
        TEMPLATES.len(),
        PAGES.len(),
        GUIDES.len()
    );
    assert!(postmortems >= 100, "{postmortems} postmortems");
}
