//! Reading postmortems the viewer may see: the filters of lists and searches, the SQL that
//! selects a postmortem as lists show it, and a small statement builder that numbers its
//! parameters for both databases.

use super::document::Labels;
use super::{Postmortem, Result, StoreError, User};
use crate::workflow::State;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// What lists and searches may be narrowed to, and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// A service the postmortem names.
    pub service: Option<String>,
    /// A tag it carries.
    pub tag: Option<String>,
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
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            service: None,
            tag: None,
            severity: None,
            status: None,
            from: None,
            to: None,
            offset: 0,
            limit: 50,
        }
    }
}

/// The columns of a postmortem summary; [`summary_from`] reads them in this order.
pub(super) const SUMMARY: &str = "SELECT p.id, p.version, p.title, p.status, p.restricted, \
     p.severity, p.incident_date, p.created_at, p.updated_at, p.resolved_at, \
     f.username, s.username, p.labels";

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
}

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
        for (kind, value) in [("service", &filters.service), ("tag", &filters.tag)] {
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
    }

    /// Appends the page.
    pub fn page(&mut self, filters: &Filters) {
        let limit = self.param(Param::Int(filters.limit.clamp(1, 500)));
        let offset = self.param(Param::Int(filters.offset.max(0)));
        self.sql
            .push_str(&format!(" LIMIT ${limit} OFFSET ${offset}"));
    }

    pub async fn fetch_all<'c>(
        self,
        executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    ) -> Result<Vec<AnyRow>> {
        let mut query = sqlx::query(AssertSqlSafe(self.sql));
        for param in self.params {
            query = match param {
                Param::Int(v) => query.bind(v),
                Param::Text(v) => query.bind(v),
            };
        }
        Ok(query.fetch_all(executor).await?)
    }
}

/// Reads a summary (the [`SUMMARY`] columns).
pub(super) fn summary_from(
    row: &AnyRow,
    settings: &crate::workflow::Settings,
    now: i64,
) -> Result<Postmortem> {
    let status: String = row.try_get(3)?;
    let created_at: i64 = row.try_get(7)?;
    let resolved_at: Option<i64> = row.try_get(9)?;
    let facilitator: Option<String> = row.try_get(10)?;
    let scribe: Option<String> = row.try_get(11)?;
    let labels: String = row.try_get(12)?;
    let labels: Labels = serde_json::from_str(&labels)
        .map_err(|e| StoreError::Corrupt(format!("unreadable labels: {e}")))?;
    Ok(Postmortem {
        id: row.try_get(0)?,
        version: row.try_get(1)?,
        title: row.try_get(2)?,
        status: State::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown state {status:?}")))?,
        restricted: row.try_get::<i64, _>(4)? != 0,
        severity: row.try_get(5)?,
        date: row.try_get(6)?,
        services: labels.services,
        tags: labels.tags,
        created_at,
        updated_at: row.try_get(8)?,
        assignment: crate::workflow::assignment(
            settings,
            now,
            created_at,
            resolved_at,
            facilitator,
            scribe,
        ),
        markdown: String::new(),
    })
}
