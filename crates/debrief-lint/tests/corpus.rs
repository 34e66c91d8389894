//! Every document of `../shared/corpus` (found through `DEBRIEF_CORPUS`) lints without a
//! panic; prints the number of findings per rule, and with `DEBRIEF_SHOW=rule` every finding
//! of that rule, for reading them for false alarms:
//!
//! `DEBRIEF_CORPUS=../shared/corpus cargo test -p debrief-lint --test corpus -- --nocapture`

use debrief_lint::{Config, Options, lint};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("corpus directory is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            documents(&path, out);
        } else if path
            .extension()
            .is_none_or(|e| e == "md" || e.to_string_lossy().contains(' '))
        {
            out.push(path);
        }
    }
}

#[test]
fn the_whole_corpus_lints() {
    let Some(dir) = std::env::var_os("DEBRIEF_CORPUS") else {
        println!(
            "SKIPPED: DEBRIEF_CORPUS is not set; set it to ../shared/corpus to lint the corpus"
        );
        return;
    };
    let mut paths = Vec::new();
    documents(Path::new(&dir), &mut paths);
    paths.sort();
    assert!(
        paths.len() >= 80,
        "expected the whole corpus, found {}",
        paths.len()
    );
    let show = std::env::var("DEBRIEF_SHOW").unwrap_or_default();
    let config = Config::default();
    let options = Options::new(&config, jiff::civil::date(2026, 11, 21));
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let linted = lint(&text, &options);
        for f in &linted.findings {
            assert!(
                f.range.end <= linted.text.len() && linted.text.is_char_boundary(f.range.start)
            );
            *per_rule.entry(f.diagnostic.rule.as_str()).or_default() += 1;
            total += 1;
            if show == f.diagnostic.rule.as_str() {
                let line = debrief_core::LineIndex::new(&linted.text)
                    .line_text(f.diagnostic.span.line)
                    .to_string();
                println!(
                    "{}:{}: {} | {}",
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    f.diagnostic.span.line,
                    &linted.text[f.range.clone()],
                    line.chars().take(140).collect::<String>()
                );
            }
        }
    }
    println!("{} documents, {total} findings", paths.len());
    for (rule, n) in &per_rule {
        println!("  {rule:<24} {n}");
    }
}
