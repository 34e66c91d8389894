//! The store's generation: a number that grows, in the same transaction, with every change
//! to what the pages show (migration `0015_generation.sql` keeps it with triggers). What was
//! computed from the store at one generation is still true while the store is at it, on every
//! instance: the pages keep their data under it (`http::web::memo`).

use super::query::visible;
use super::{Result, Store, StoreError, User};
use sqlx::AssertSqlSafe;

impl Store {
    /// The store's generation now.
    pub async fn generation(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT generation FROM store_generation WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The store's generation, if the viewer may see postmortem `id`; otherwise
    /// [`StoreError::NotFound`], as every read of it answers. One query: a page that keeps
    /// its data asks only this.
    pub async fn generation_seeing(&self, viewer: &User, id: i64) -> Result<i64> {
        sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT g.generation FROM store_generation g WHERE g.id = 1 AND EXISTS \
             (SELECT 1 FROM postmortems p WHERE p.id = $1 AND {})",
            visible(2, 3)
        )))
        .bind(id)
        .bind(viewer.id)
        .bind(i64::from(viewer.role == super::Role::Admin))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }
}
