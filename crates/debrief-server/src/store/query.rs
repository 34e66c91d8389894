//! Reading postmortems the viewer may see: the filters of lists and searches, the SQL that
//! selects a postmortem as lists show it, and a small statement builder that numbers its
//! parameters for both databases.

use super::document::Labels;
use super::{Postmortem, Result, StoreError, User};
use crate::workflow::State;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

/// What lists and searches may be narrowed to, and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// A service the postmortem names.
    pub service: Option<String>,
    /// A tag it carries.
    pub tag: Option<String>,
    /// A team its front matter names (`team:` or `teams:`).
    pub team: Option<String>,
    /// Its severity, as written.
    pub severity: Option<String>,
    /// Its state.
    pub status: Option<State>,
    /// Incidents on or after this date.
    pub from: Option<jiff::civil::Date>,
    /// Incidents on or before this date.
    pub to: Option<jiff::civil::Date>,
    /// Skip this many.
    pub offset: i64,
    /// Return at most this many (1 to 500).
    pub limit: i64,
    /// Only postmortems this user (by id) takes part in: facilitator, scribe, responder or
    /// member.
    pub involving: Option<i64>,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            service: None,
            tag: None,
            team: None,
            severity: None,
            status: None,
            from: None,
            to: None,
            offset: 0,
            limit: 50,
            involving: None,
        }
    }
}

/// The columns of a postmortem summary, read as a [`SummaryRow`].
pub(super) const SUMMARY: &str = "SELECT p.id, p.version, p.title, p.status, p.restricted, \
     p.severity, p.incident_date, p.created_at, p.updated_at, p.resolved_at, \
     f.username AS facilitator, s.username AS scribe, p.labels";

/// The facilitator and scribe of postmortems `p`, as `f` and `s`.
pub(super) const PEOPLE: &str = "LEFT JOIN users f ON f.id = p.facilitator_id \
     LEFT JOIN users s ON s.id = p.scribe_id";

/// Postmortems with their facilitator and scribe, as `p`.
pub(super) const FROM: &str = "FROM postmortems p LEFT JOIN users f ON f.id = p.facilitator_id \
     LEFT JOIN users s ON s.id = p.scribe_id";

/// The visibility rule, with the viewer's id as parameter `viewer` and whether they are an
/// admin as parameter `admin`: everybody sees what is not restricted; members and admins see
/// the rest. Every query that returns postmortems goes through it.
pub(super) fn visible(viewer: usize, admin: usize) -> String {
    format!(
        "(p.restricted = 0 OR ${admin} = 1 OR EXISTS (SELECT 1 FROM postmortem_members m \
         WHERE m.postmortem_id = p.id AND m.user_id = ${viewer}))"
    )
}

/// A query under construction: SQL text and its parameters, numbered as they are added.
/// Only constants and `$n` placeholders go into the text; every value is bound.
#[derive(Debug, Default)]
pub(super) struct Query {
    pub sql: String,
    pub params: Vec<Param>,
    /// The `involving` filter's user takes part in many postmortems
    /// ([`MANY_INVOLVEMENTS`]): the filter is checked row by row instead of gathering
    /// their postmortems first.
    pub many_involvements: bool,
}

/// Past this many memberships and responder parts, "the postmortems I take part in" is
/// checked row by row along the list's order, which finds a page of them at once; below
/// it, their postmortems are gathered first, which costs little and does not read the
/// rows they have no part in. Measured on 10,000 postmortems (SQLite): gathering took 7 ms
/// for someone in all of them and 0.2 ms for someone in none; checking row by row, 0.1 ms
/// and 15 ms.
pub(super) const MANY_INVOLVEMENTS: i64 = 500;

#[derive(Debug, Clone)]
pub(super) enum Param {
    Int(i64),
    Text(String),
}

impl Query {
    /// Adds a parameter and returns its number.
    pub fn param(&mut self, value: Param) -> usize {
        self.params.push(value);
        self.params.len()
    }

    /// Appends the visibility rule for `viewer`.
    pub fn visible_to(&mut self, viewer: &User) {
        let id = self.param(Param::Int(viewer.id));
        let admin = self.param(Param::Int(i64::from(viewer.role == super::Role::Admin)));
        self.sql.push_str(&visible(id, admin));
    }

    /// Appends ` AND ...` for every filter that is set.
    pub fn filters(&mut self, filters: &Filters) {
        let labels = [
            ("service", &filters.service),
            ("tag", &filters.tag),
            ("team", &filters.team),
        ];
        for (kind, value) in labels {
            if let Some(value) = value {
                let n = self.param(Param::Text(value.clone()));
                self.sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM postmortem_labels l WHERE l.postmortem_id = p.id \
                     AND l.kind = '{kind}' AND LOWER(l.value) = LOWER(${n}))"
                ));
            }
        }
        if let Some(severity) = &filters.severity {
            let n = self.param(Param::Text(severity.clone()));
            self.sql
                .push_str(&format!(" AND LOWER(p.severity) = LOWER(${n})"));
        }
        if let Some(status) = filters.status {
            let n = self.param(Param::Text(status.as_str().into()));
            self.sql.push_str(&format!(" AND p.status = ${n}"));
        }
        if let Some(from) = filters.from {
            let n = self.param(Param::Text(from.to_string()));
            self.sql.push_str(&format!(" AND p.incident_date >= ${n}"));
        }
        if let Some(to) = filters.to {
            let n = self.param(Param::Text(to.to_string()));
            self.sql.push_str(&format!(" AND p.incident_date <= ${n}"));
        }
        if let Some(user) = filters.involving {
            let n = self.param(Param::Int(user));
            if self.many_involvements {
                // Checked row by row along the list's order: the first rows already match.
                self.sql.push_str(&format!(
                    " AND (p.facilitator_id = ${n} OR p.scribe_id = ${n} \
                     OR EXISTS (SELECT 1 FROM postmortem_members m2 \
                     WHERE m2.postmortem_id = p.id AND m2.user_id = ${n}) \
                     OR EXISTS (SELECT 1 FROM postmortem_responders r2 \
                     WHERE r2.postmortem_id = p.id AND r2.user_id = ${n}))"
                ));
            } else {
                // The few postmortems they take part in, gathered first.
                self.sql.push_str(&format!(
                    " AND p.id IN (SELECT postmortem_id FROM postmortem_members WHERE user_id = ${n} \
                     UNION SELECT postmortem_id FROM postmortem_responders WHERE user_id = ${n} \
                     UNION SELECT id FROM postmortems WHERE facilitator_id = ${n} \
                     UNION SELECT id FROM postmortems WHERE scribe_id = ${n})"
                ));
            }
        }
    }

    /// Appends the page.
    pub fn page(&mut self, filters: &Filters) {
        let limit = self.param(Param::Int(filters.limit.clamp(1, 500)));
        let offset = self.param(Param::Int(filters.offset.max(0)));
        self.sql
            .push_str(&format!(" LIMIT ${limit} OFFSET ${offset}"));
    }

    /// Runs the query and reads every row as an `R`.
    pub async fn fetch_all<'c, R>(
        self,
        executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    ) -> Result<Vec<R>>
    where
        R: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        let mut query = sqlx::query_as::<_, R>(AssertSqlSafe(self.sql));
        for param in self.params {
            query = match param {
                Param::Int(v) => query.bind(v),
                Param::Text(v) => query.bind(v),
            };
        }
        Ok(query.fetch_all(executor).await?)
    }
}

/// A postmortem as lists show it: the [`SUMMARY`] columns.
#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    id: i64,
    version: i64,
    title: String,
    status: String,
    /// 0 or 1: the one type both databases read back alike.
    restricted: i64,
    severity: Option<String>,
    incident_date: Option<String>,
    created_at: i64,
    updated_at: i64,
    resolved_at: Option<i64>,
    facilitator: Option<String>,
    scribe: Option<String>,
    /// The services and tags, as JSON ([`Labels`]).
    labels: String,
}

impl SummaryRow {
    /// The postmortem this row describes, without its Markdown; its assignment as it stands
    /// at `now`. An unknown state or unreadable labels are [`StoreError::Corrupt`].
    pub fn into_postmortem(
        self,
        settings: &crate::workflow::Settings,
        now: i64,
    ) -> Result<Postmortem> {
        let labels: Labels = serde_json::from_str(&self.labels)
            .map_err(|e| StoreError::Corrupt(format!("unreadable labels: {e}")))?;
        let status = State::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown state {:?}", self.status)))?;
        Ok(Postmortem {
            id: self.id,
            version: self.version,
            title: self.title,
            status,
            restricted: self.restricted != 0,
            severity: self.severity,
            date: self.incident_date,
            services: labels.services,
            tags: labels.tags,
            created_at: self.created_at,
            updated_at: self.updated_at,
            assignment: crate::workflow::assignment(
                settings,
                now,
                self.created_at,
                self.resolved_at,
                self.facilitator,
                self.scribe,
            ),
            markdown: String::new(),
        })
    }
}
