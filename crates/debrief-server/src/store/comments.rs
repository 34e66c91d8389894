//! Comments on a postmortem, a section or a timeline entry: written by anyone who may
//! change the postmortem, at a place its current version has, and resolved or reopened by
//! any of them, at any stage of the workflow (a published postmortem is still discussed).

use super::{Comment, Result, Store, StoreError, User, require_writer};
use crate::comments::{MAX_COMMENT_BYTES, anchors};

/// A comment as the query reads it.
#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    anchor: String,
    author: String,
    body: String,
    created_at: i64,
    resolved_at: Option<i64>,
    resolved_by: Option<String>,
}

impl From<CommentRow> for Comment {
    fn from(row: CommentRow) -> Comment {
        Comment {
            id: row.id,
            anchor: row.anchor,
            author: row.author,
            body: row.body,
            created_at: row.created_at,
            resolved_at: row.resolved_at,
            resolved_by: row.resolved_by,
        }
    }
}

const COMMENT_COLUMNS: &str = "SELECT c.id, c.anchor, a.username AS author, c.body, c.created_at, \
     c.resolved_at, r.username AS resolved_by \
     FROM comments c JOIN users a ON a.id = c.author_id LEFT JOIN users r ON r.id = c.resolved_by";

impl Store {
    /// Adds a comment at `anchor`, a place of the current version ([`anchors`]).
    pub async fn comment(
        &self,
        actor: &User,
        id: i64,
        anchor: &str,
        body: &str,
    ) -> Result<Comment> {
        require_writer(actor)?;
        let body = body.trim();
        if body.is_empty() {
            return Err(StoreError::Invalid("a comment needs some text".into()));
        }
        if body.len() > MAX_COMMENT_BYTES {
            return Err(StoreError::Invalid(format!(
                "the comment has {} bytes; a comment may have at most {MAX_COMMENT_BYTES}",
                body.len()
            )));
        }
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        let document = debrief_core::read(&current.postmortem.markdown).postmortem;
        if !anchors(&document).iter().any(|a| a.key == anchor) {
            return Err(StoreError::Invalid(format!(
                "there is no place {anchor:?} in the current version to comment on"
            )));
        }
        let at = self.clock.now();
        let comment_id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (postmortem_id, author_id, anchor, body, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(actor.id)
        .bind(anchor)
        .bind(body)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Comment {
            id: comment_id,
            anchor: anchor.to_string(),
            author: actor.username.clone(),
            body: body.to_string(),
            created_at: at,
            resolved_at: None,
            resolved_by: None,
        })
    }

    /// The comments on a postmortem the viewer may see, oldest first.
    pub async fn comments(&self, viewer: &User, id: i64) -> Result<Vec<Comment>> {
        self.current(viewer, id).await?;
        let rows: Vec<CommentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COMMENT_COLUMNS} WHERE c.postmortem_id = $1 ORDER BY c.id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Comment::from).collect())
    }

    /// Resolves a comment (`resolved`) or opens it again. Doing what is already done changes
    /// nothing: a resolved comment keeps who resolved it first.
    pub async fn resolve_comment(
        &self,
        actor: &User,
        id: i64,
        comment: i64,
        resolved: bool,
    ) -> Result<Comment> {
        require_writer(actor)?;
        let mut tx = self.begin_write().await?;
        self.current_in(&mut tx, actor, id).await?;
        let at = self.clock.now();
        if resolved {
            sqlx::query(
                "UPDATE comments SET resolved_at = $1, resolved_by = $2
                 WHERE id = $3 AND postmortem_id = $4 AND resolved_at IS NULL",
            )
            .bind(at)
            .bind(actor.id)
            .bind(comment)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "UPDATE comments SET resolved_at = NULL, resolved_by = NULL
                 WHERE id = $1 AND postmortem_id = $2",
            )
            .bind(comment)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let row: Option<CommentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COMMENT_COLUMNS} WHERE c.id = $1 AND c.postmortem_id = $2"
        )))
        .bind(comment)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StoreError::NotFound);
        };
        tx.commit().await?;
        Ok(row.into())
    }
}
