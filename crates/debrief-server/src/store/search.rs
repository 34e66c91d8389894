//! Full-text search over every postmortem the caller may see: SQLite FTS5 (porter stemming)
//! or PostgreSQL's English tsvector, behind one method. The two differ only in the query
//! text; visibility and filters are the same SQL as lists.
//!
//! Snippets come back as fragments flagged as matching or not, never as HTML, so a page
//! can highlight them without trusting the postmortem's text.

use super::postmortems::{Filters, PEOPLE, Param, Query, SUMMARY, summary_from};
use super::{Backend, Postmortem, Result, Store, StoreError, User};
use serde::Serialize;
use sqlx::Row;

/// Mark the start and end of a match inside a snippet. Markdown practically never holds
/// these control characters; if it did, the worst outcome is a wrongly highlighted snippet.
const START: char = '\u{2}';
const END: char = '\u{3}';

/// A postmortem found by a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// The postmortem, as lists show it.
    pub postmortem: Postmortem,
    /// Text around the matches.
    pub snippet: Vec<Fragment>,
}

/// A piece of a snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    /// The text.
    pub text: String,
    /// Whether it matched the query.
    pub highlight: bool,
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
        // The best page of matches first, then snippets for that page only: a snippet reads
        // the document, ranking does not.
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
                    ") {SUMMARY}, snippet(postmortem_search, 1, char(2), char(3), '…', 24) \
                     FROM top JOIN postmortem_search ON postmortem_search.rowid = top.id \
                     JOIN postmortems p ON p.id = top.id {PEOPLE} \
                     WHERE postmortem_search MATCH ${n} ORDER BY top.r, p.id DESC"
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
                    ") {SUMMARY}, ts_headline('english', p.markdown, plainto_tsquery('english', ${n}), \
                     'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12') \
                     FROM top JOIN postmortems p ON p.id = top.id {PEOPLE} \
                     ORDER BY top.r DESC, p.id DESC"
                ));
            }
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(Hit {
                    postmortem: summary_from(row, &self.policy.workflow)?,
                    snippet: fragments(&row.try_get::<String, _>(13)?),
                })
            })
            .collect()
    }
}

/// Splits a snippet at its match markers.
fn fragments(snippet: &str) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut highlight = false;
    for (i, piece) in snippet.split([START, END]).enumerate() {
        if i > 0 {
            highlight = !highlight;
        }
        if !piece.is_empty() {
            out.push(Fragment {
                text: piece.to_string(),
                highlight,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_split_at_markers() {
        let got = fragments("the \u{2}ingress\u{3} controller \u{2}failed\u{3}");
        let flags: Vec<(&str, bool)> = got.iter().map(|f| (f.text.as_str(), f.highlight)).collect();
        assert_eq!(
            flags,
            [
                ("the ", false),
                ("ingress", true),
                (" controller ", false),
                ("failed", true)
            ]
        );
    }
}
