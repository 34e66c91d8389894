//! Members of a postmortem: who sees it when it is restricted, besides admins.

use super::{Result, Store, Tx, USER_COLUMNS, User, UserRow, audit, person_named, require_writer};
use sqlx::AssertSqlSafe;

impl Store {
    /// Makes the user named `member` a member of a postmortem: they see it even when it is
    /// restricted. An unknown name is invalid input (422), told apart from a database that
    /// cannot answer.
    pub async fn add_member(&self, actor: &User, id: i64, member: &str) -> Result<()> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        self.current_in(&mut tx, actor, id).await?;
        let member = person_named(&mut tx, member).await?;
        add_member_in(&mut tx, self.clock.now(), actor, id, &member).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The members of a postmortem.
    pub async fn members(&self, viewer: &User, id: i64) -> Result<Vec<User>> {
        self.current(viewer, id).await?;
        let rows = sqlx::query_as::<_, UserRow>(AssertSqlSafe(format!(
            "{USER_COLUMNS} FROM users JOIN postmortem_members m ON m.user_id = users.id
             WHERE m.postmortem_id = $1 ORDER BY users.username"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(User::try_from).collect()
    }
}

/// Adds a member in the caller's transaction, once: adding someone twice changes nothing.
pub(super) async fn add_member_in(
    tx: &mut Tx,
    at: i64,
    actor: &User,
    id: i64,
    member: &User,
) -> Result<()> {
    let exists =
        sqlx::query("SELECT 1 FROM postmortem_members WHERE postmortem_id = $1 AND user_id = $2")
            .bind(id)
            .bind(member.id)
            .fetch_optional(&mut **tx)
            .await?;
    if exists.is_none() {
        sqlx::query("INSERT INTO postmortem_members (postmortem_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(member.id)
            .execute(&mut **tx)
            .await?;
        let target = format!("postmortem:{id} user:{}", member.id);
        audit(tx, at, Some(actor), "member.add", &target).await?;
    }
    Ok(())
}
