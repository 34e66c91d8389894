//! Full-text search over every postmortem the caller may see: SQLite FTS5 (porter stemming)
//! or PostgreSQL's English tsvector, behind one method. The two differ only in the query
//! text; visibility and filters are the same SQL as lists.
//!
//! Snippets come back as fragments flagged as matching or not, never as HTML, so a page
//! can highlight them without trusting the postmortem's text.

use super::query::{Filters, PEOPLE, Param, Query, SUMMARY, SummaryRow};
use super::{Backend, Fragment, Hit, Result, Store, StoreError, User};

/// A match: the [`SUMMARY`] columns and the Markdown the snippet is cut from.
#[derive(sqlx::FromRow)]
struct HitRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    markdown: String,
}

impl Store {
    /// Postmortems the viewer may see that match `text` and the filters, best match first.
    pub async fn search(&self, viewer: &User, text: &str, filters: &Filters) -> Result<Vec<Hit>> {
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return Err(StoreError::Invalid(
                "the search needs at least one word (`q`)".into(),
            ));
        }
        // The database ranks and takes the page; the snippets of that page are cut here, the
        // same way for both databases (PostgreSQL's ts_headline cost more than the ranking).
        let mut query = Query::default();
        match self.backend {
            Backend::Sqlite => {
                // Every word quoted: the user's text is never FTS5 query syntax.
                let phrase: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                let n = query.param(Param::Text(phrase.join(" ")));
                query.sql = format!(
                    "WITH top AS (SELECT p.id AS id, bm25(postmortem_search, 5.0, 1.0) AS r \
                     FROM postmortem_search JOIN postmortems p ON p.id = postmortem_search.rowid \
                     WHERE postmortem_search MATCH ${n} AND "
                );
                query.visible_to(viewer);
                query.filters(filters);
                query.sql.push_str(" ORDER BY r, p.id DESC");
                query.page(filters);
                query.sql.push_str(&format!(
                    ") {SUMMARY}, p.markdown FROM top JOIN postmortems p ON p.id = top.id \
                     {PEOPLE} ORDER BY top.r, p.id DESC"
                ));
            }
            Backend::Postgres => {
                let n = query.param(Param::Text(words.join(" ")));
                query.sql = format!(
                    "WITH top AS (SELECT p.id AS id, \
                     ts_rank(p.search, plainto_tsquery('english', ${n})) AS r FROM postmortems p \
                     WHERE p.search @@ plainto_tsquery('english', ${n}) AND "
                );
                query.visible_to(viewer);
                query.filters(filters);
                query.sql.push_str(" ORDER BY r DESC, p.id DESC");
                query.page(filters);
                query.sql.push_str(&format!(
                    ") {SUMMARY}, p.markdown FROM top JOIN postmortems p ON p.id = top.id \
                     {PEOPLE} ORDER BY top.r DESC, p.id DESC"
                ));
            }
        }
        let rows: Vec<HitRow> = query.fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|row| {
                Ok(Hit {
                    postmortem: row
                        .summary
                        .into_postmortem(&self.policy.workflow, self.clock.now())?,
                    snippet: snippet(&row.markdown, &words),
                })
            })
            .collect()
    }
}

/// Words shown before the first match.
const BEFORE: usize = 8;
/// Words in a snippet.
const SNIPPET_WORDS: usize = 30;

/// Text around the first match of the query in a postmortem, with every matching word
/// flagged. A word matches when it starts with the stem of a query word
/// ([`debrief_core::stem`]: "migrations" matches "migration" and "migrated"), as the
/// databases' stemmers matched it. Front matter and Markdown marks are left out.
fn snippet(markdown: &str, query: &[&str]) -> Vec<Fragment> {
    let body = markdown
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(markdown, |(_, body)| body);
    let text: String = body
        .chars()
        .map(|c| {
            if matches!(c, '#' | '*' | '_' | '`' | '|' | '>') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let stems: Vec<String> = query
        .iter()
        .map(|w| debrief_core::stem::stem(&w.to_lowercase()).into_owned())
        .collect();
    let matches = |word: &str| {
        let lower = word.to_lowercase();
        stems.iter().any(|s| lower.starts_with(s.as_str()))
    };
    // Words with their byte ranges.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    let Some(first) = words.iter().position(|&(s, e)| matches(&text[s..e])) else {
        return Vec::new();
    };
    let from = first.saturating_sub(BEFORE);
    let to = (from + SNIPPET_WORDS).min(words.len());
    let mut out: Vec<Fragment> = Vec::new();
    // Appends text, joining it to the last fragment when that one is flagged alike.
    let mut push = |piece: &str, highlight: bool| match out.last_mut() {
        Some(last) if last.highlight == highlight => last.text.push_str(piece),
        _ if !piece.is_empty() => out.push(Fragment {
            text: piece.to_string(),
            highlight,
        }),
        _ => {}
    };
    if from > 0 {
        push("… ", false);
    }
    for k in from..to {
        let (s, e) = words[k];
        if k > from {
            // What lies between two words, with its whitespace made one space.
            let gap = &text[words[k - 1].1..s];
            let joined = gap.split_whitespace().collect::<Vec<_>>().join(" ");
            let gap = match (
                gap.starts_with(char::is_whitespace),
                gap.ends_with(char::is_whitespace),
            ) {
                _ if joined.is_empty() => " ".to_string(),
                (true, true) => format!(" {joined} "),
                (true, false) => format!(" {joined}"),
                (false, true) => format!("{joined} "),
                (false, false) => joined,
            };
            push(&gap, false);
        }
        push(&text[s..e], matches(&text[s..e]));
    }
    if to < words.len() {
        push(" …", false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_flag_every_matching_word() {
        let markdown = "---\ntitle: X\n---\n# Postmortem: X\n\n## Summary\n\nThe **ingress** controller failed; \
                        ingresses were migrated during the migration.\n";
        let got = snippet(markdown, &["ingress", "migrations"]);
        let flagged: Vec<&str> = got
            .iter()
            .filter(|f| f.highlight)
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(
            flagged,
            ["ingress", "ingresses", "migrated", "migration"],
            "{got:?}"
        );
        assert!(
            !got.iter().any(|f| f.text.contains("title")),
            "front matter is left out"
        );
        assert!(snippet(markdown, &["kafka"]).is_empty());
        let text: String = got.iter().map(|f| f.text.as_str()).collect();
        assert!(
            text.starts_with(
                "Postmortem: X Summary The ingress controller failed; ingresses were migrated"
            ),
            "{text}"
        );
    }
}
