//! Action items as the store keeps them beside each postmortem's current version (written by
//! [`Store::index`]): what a person owns, across every postmortem they may see.

use super::document::owner_key;
use super::{Result, Store, User};
use debrief_wire::api::OwnedActionItem;
use debrief_wire::document::ActionItem;

/// An item as the query reads it.
#[derive(sqlx::FromRow)]
struct ItemRow {
    postmortem_id: i64,
    title: String,
    text: String,
    owner: Option<String>,
    due: Option<String>,
    due_written: Option<String>,
    state: String,
    declined: Option<String>,
    priority: Option<String>,
    tracker: Option<String>,
}

impl From<ItemRow> for OwnedActionItem {
    fn from(row: ItemRow) -> OwnedActionItem {
        let done = row.state == "done";
        OwnedActionItem {
            postmortem_id: row.postmortem_id,
            postmortem_title: row.title,
            action_item: ActionItem {
                text: row.text,
                owner: row.owner,
                due: row.due,
                due_written: row.due_written,
                done,
                settled: row.state != "open",
                declined: row.declined,
                priority: row.priority,
                tracker: row.tracker,
            },
        }
    }
}

impl Store {
    /// The open action items `user` owns (the owner written as their username, their name
    /// or their team, with or without `@`), in the postmortems they may see: the earliest
    /// due first, the undated last, at most `limit`.
    pub async fn owned_action_items(
        &self,
        user: &User,
        limit: i64,
    ) -> Result<Vec<OwnedActionItem>> {
        let mut query = super::query::Query::default();
        let keys = [
            Some(owner_key(&user.username)),
            Some(owner_key(&user.display_name)),
            user.team.as_deref().map(owner_key),
        ];
        let mut placeholders = Vec::new();
        for key in keys.into_iter().flatten().filter(|k| !k.is_empty()) {
            let n = query.param(super::query::Param::Text(key));
            placeholders.push(format!("${n}"));
        }
        query.sql = format!(
            "SELECT a.postmortem_id, p.title, a.text, a.owner, a.due, a.due_written, a.state, \
             a.declined, a.priority, a.tracker \
             FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id \
             WHERE a.owner_key IN ({}) AND a.state = 'open' AND ",
            placeholders.join(", ")
        );
        query.visible_to(user);
        let limit = query.param(super::query::Param::Int(limit.clamp(1, 500)));
        query.sql.push_str(&format!(
            " ORDER BY (a.due IS NULL), a.due, p.updated_at DESC, a.position LIMIT ${limit}"
        ));
        let rows: Vec<ItemRow> = query.fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(OwnedActionItem::from).collect())
    }
}
