//! Users and teams, the helpers every use case shares to name a person and to check that
//! they may write, and the audit log.

use super::{AuditEntry, Backend, Result, Role, Store, StoreError, Team, Tx, User, UserChange};
use crate::secret;
use sqlx::AssertSqlSafe;

/// A user to create.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    /// Login name: letters, digits, `.`, `-` and `_`.
    pub username: &'a str,
    /// Name shown to people.
    pub display_name: &'a str,
    /// Their function.
    pub function: &'a str,
    /// What they may do.
    pub role: Role,
    /// Their password, at least 12 characters.
    pub password: &'a str,
    /// Their team, if any.
    pub team: Option<&'a str>,
}

/// Whether `name` can be a username: 1 to 64 ASCII letters, digits, `.`, `-` or `_`.
pub(crate) fn is_valid_username(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl Store {
    /// Creates a user. `actor` is the admin doing it (`None`: the command line).
    pub async fn add_user(&self, new: &NewUser<'_>, actor: Option<&User>) -> Result<User> {
        self.insert_user(new, actor, false).await
    }

    /// Changes a user's role (admins only); see [`Store::update_user`].
    pub async fn set_role(&self, actor: &User, username: &str, role: Role) -> Result<User> {
        let change = UserChange {
            role: Some(role),
            ..UserChange::default()
        };
        self.update_user(actor, username, &change).await
    }

    /// Changes a person's role, function, team or whether they may sign in (admins only),
    /// in one transaction. There is always one active admin left: the last one can be neither
    /// made something else nor deactivated, since nobody could then manage the server. Nobody
    /// deactivates themselves (another admin does). Deactivating ends every session of
    /// theirs at once, here and, within the credential cache's five seconds, elsewhere; their
    /// API tokens are refused until they are reactivated.
    pub async fn update_user(
        &self,
        actor: &User,
        username: &str,
        change: &UserChange,
    ) -> Result<User> {
        if actor.role != Role::Admin {
            return Err(StoreError::Forbidden("only an admin changes people".into()));
        }
        if super::trackers::is_system(username) {
            return Err(StoreError::Forbidden(
                "debrief's own account writes what the trackers say; it cannot be changed".into(),
            ));
        }
        let function = change.function.as_deref().map(str::trim);
        if function.is_some_and(str::is_empty) {
            return Err(StoreError::Invalid(
                "a user needs a function (Dev, Ops, Product, SRE, ...)".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext('debrief roles'))")
                .execute(&mut *tx)
                .await?;
        }
        let row = sqlx::query_as::<_, UserRow>(AssertSqlSafe(format!(
            "{USER_COLUMNS} FROM users WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut user: User = row.try_into()?;
        let role = change.role.unwrap_or(user.role);
        let active = change.active.unwrap_or(user.active);
        if !active && user.id == actor.id {
            return Err(StoreError::Invalid(
                "you cannot deactivate yourself; ask another admin".into(),
            ));
        }
        let stays_admin = role == Role::Admin && active;
        if user.role == Role::Admin && user.active && !stays_admin {
            let admins: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE role = 'admin' AND deactivated_at IS NULL",
            )
            .fetch_one(&mut *tx)
            .await?;
            if admins <= 1 {
                return Err(StoreError::Invalid(format!(
                    "{username} is the last admin; make someone else admin first"
                )));
            }
        }
        let now = self.clock.now();
        let team = match &change.team {
            Some(team) => Some(team.trim())
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            None => user.team.clone(),
        };
        let function = function.map_or_else(|| user.function.clone(), str::to_string);
        let deactivated_at = if active { None } else { Some(now) };
        sqlx::query(
            "UPDATE users SET role = $1, function = $2, team = $3,
             deactivated_at = CASE WHEN $4 = 1 THEN NULL ELSE COALESCE(deactivated_at, $5) END
             WHERE id = $6",
        )
        .bind(role.as_str())
        .bind(&function)
        .bind(&team)
        .bind(i64::from(active))
        .bind(deactivated_at.unwrap_or(now))
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        }
        let mut actions = Vec::new();
        if role != user.role {
            actions.push(format!("user.role role:{}", role.as_str()));
        }
        if function != user.function || team != user.team {
            actions.push("user.change".to_string());
        }
        if active != user.active {
            actions.push(
                if active {
                    "user.reactivate"
                } else {
                    "user.deactivate"
                }
                .to_string(),
            );
        }
        for action in &actions {
            let (action, detail) = action.split_once(' ').unwrap_or((action, ""));
            let target = format!("user:{} {detail}", user.id);
            audit(&mut tx, now, Some(actor), action, target.trim_end()).await?;
        }
        tx.commit().await?;
        self.credentials.forget_user(user.id);
        user.role = role;
        user.function = function;
        user.team = team;
        user.active = active;
        Ok(user)
    }

    /// Whether the store has any account yet: a fresh server offers its setup page until it
    /// does.
    pub async fn has_users(&self) -> Result<bool> {
        let row = sqlx::query("SELECT 1 FROM users LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Creates the first admin of an empty store, and refuses once any account exists, even
    /// when two requests race (the check and the insert are one write transaction, taken
    /// one at a time).
    pub async fn add_first_admin(&self, new: &NewUser<'_>) -> Result<User> {
        let admin = NewUser {
            role: Role::Admin,
            ..*new
        };
        self.insert_user(&admin, None, true).await
    }

    async fn insert_user(
        &self,
        new: &NewUser<'_>,
        actor: Option<&User>,
        only_the_first: bool,
    ) -> Result<User> {
        if actor.is_some_and(|a| a.role != Role::Admin) {
            return Err(StoreError::Forbidden("only an admin can add users".into()));
        }
        if !is_valid_username(new.username) {
            return Err(StoreError::Invalid(format!(
                "username {:?}: use 1 to 64 letters, digits, '.', '-' or '_'",
                new.username
            )));
        }
        if new.password.chars().count() < 12 {
            return Err(StoreError::Invalid(
                "the password must have at least 12 characters".into(),
            ));
        }
        if new.function.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a user needs a function (Dev, Ops, Product, SRE, ...)".into(),
            ));
        }
        let team = new
            .team
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        let hash = secret::hash_password(new.password).map_err(StoreError::Invalid)?;
        let mut tx = self.begin_write().await?;
        if only_the_first {
            if self.backend == Backend::Postgres {
                // PostgreSQL's writers do not queue on a table as SQLite's do.
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext('debrief first admin'))")
                    .execute(&mut *tx)
                    .await?;
            }
            let any = sqlx::query("SELECT 1 FROM users LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
            if any.is_some() {
                return Err(StoreError::Forbidden(
                    "the server has accounts already: ask an admin".into(),
                ));
            }
        }
        let taken = sqlx::query("SELECT 1 FROM users WHERE username = $1")
            .bind(new.username)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Invalid(format!(
                "the username {:?} is taken",
                new.username
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, function, role, password_hash, created_at, team)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.username)
        .bind(new.display_name)
        .bind(new.function.trim())
        .bind(new.role.as_str())
        .bind(hash)
        .bind(self.clock.now())
        .bind(team.clone())
        .fetch_one(&mut *tx)
        .await
        // On PostgreSQL a concurrent request may have taken the name since the check above.
        .map_err(|e| match StoreError::from(e) {
            StoreError::Exists(_) => {
                StoreError::Invalid(format!("the username {:?} is taken", new.username))
            }
            other => other,
        })?;
        audit(
            &mut tx,
            self.clock.now(),
            actor,
            "user.add",
            &format!("user:{id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(User {
            id,
            username: new.username.to_string(),
            display_name: new.display_name.to_string(),
            function: new.function.trim().to_string(),
            role: new.role,
            team,
            active: true,
        })
    }

    /// The user with this username and password.
    pub async fn authenticate(&self, username: &str, password: &str) -> Result<Option<User>> {
        let row = sqlx::query_as::<_, UserWithHashRow>(AssertSqlSafe(format!(
            "{USER_COLUMNS}, password_hash FROM users WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        // A name that does not exist costs a hash check like one that does, so that the
        // time to answer does not tell which names exist; the check runs on a blocking
        // thread, since it takes tens of milliseconds of CPU by design.
        let hash = row.as_ref().map_or_else(
            || secret::stand_in_hash().to_string(),
            |r| r.password_hash.clone(),
        );
        let password = password.to_string();
        let matches =
            tokio::task::spawn_blocking(move || secret::verify_password(&password, &hash))
                .await
                .map_err(|e| StoreError::Corrupt(format!("the password check failed: {e}")))?;
        match row {
            // A deactivated account is refused like a wrong password, after the same check.
            Some(row) if matches && row.user.deactivated_at.is_none() => {
                Ok(Some(row.user.try_into()?))
            }
            _ => Ok(None),
        }
    }

    /// Every user, by username: people to pick as facilitator, scribe, responder or member.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query_as::<_, UserRow>(AssertSqlSafe(format!(
            "{USER_COLUMNS} FROM users ORDER BY username"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(User::try_from).collect()
    }

    /// The teams and their people, by name.
    pub async fn teams(&self) -> Result<Vec<Team>> {
        let mut teams: Vec<Team> = Vec::new();
        for user in self.users().await?.into_iter().filter(|u| u.active) {
            let Some(name) = user.team else { continue };
            let at = match teams.iter().position(|t| t.name == name) {
                Some(at) => at,
                None => {
                    teams.push(Team {
                        name,
                        functions: Vec::new(),
                        members: Vec::new(),
                    });
                    teams.len() - 1
                }
            };
            let team = &mut teams[at];
            team.members.push(user.username);
            if !team.functions.contains(&user.function) {
                team.functions.push(user.function);
            }
        }
        for team in &mut teams {
            team.functions.sort();
        }
        teams.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(teams)
    }

    /// The user with this username.
    pub async fn user(&self, username: &str) -> Result<User> {
        user_named(&mut *self.pool.acquire().await?, username).await
    }

    /// The audit log, oldest first. Admins only.
    pub async fn audit_log(&self, viewer: &User) -> Result<Vec<AuditEntry>> {
        self.audit_entries(viewer, i64::MAX).await
    }

    /// The `count` latest entries of the audit log, newest first (admins only): what a page
    /// shows, without reading the whole log.
    pub async fn latest_audit(&self, viewer: &User, count: i64) -> Result<Vec<AuditEntry>> {
        let mut entries = self.audit_entries(viewer, count).await?;
        entries.reverse();
        Ok(entries)
    }

    /// The `count` latest entries, oldest first.
    async fn audit_entries(&self, viewer: &User, count: i64) -> Result<Vec<AuditEntry>> {
        if viewer.role != Role::Admin {
            return Err(StoreError::Forbidden(
                "only an admin can read the audit log".into(),
            ));
        }
        let rows = sqlx::query_as::<_, AuditRow>(
            "SELECT * FROM (SELECT a.id, a.at, u.username AS actor, a.action, a.target
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
             ORDER BY a.id DESC LIMIT $1) latest ORDER BY id",
        )
        .bind(count)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }
}

/// The columns of a user, read as a [`UserRow`].
pub(super) const USER_COLUMNS: &str = "SELECT users.id, users.username, users.display_name, \
     users.function, users.role, users.team, users.deactivated_at";

/// A user: the [`USER_COLUMNS`].
#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    function: String,
    role: String,
    team: Option<String>,
    deactivated_at: Option<i64>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    /// The user; an unknown role is [`StoreError::Corrupt`].
    fn try_from(row: UserRow) -> Result<User> {
        let role = Role::parse(&row.role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {:?}", row.role)))?;
        Ok(User {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            function: row.function,
            role,
            team: row.team,
            active: row.deactivated_at.is_none(),
        })
    }
}

/// A user with the hash of their password, to sign them in.
#[derive(sqlx::FromRow)]
struct UserWithHashRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

/// An entry of the audit log, with its actor's username.
#[derive(sqlx::FromRow)]
struct AuditRow {
    at: i64,
    actor: Option<String>,
    action: String,
    target: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> AuditEntry {
        AuditEntry {
            at: row.at,
            actor: row.actor,
            action: row.action,
            target: row.target,
        }
    }
}

/// The user with this username, on a connection or in a transaction.
pub(super) async fn user_named(conn: &mut sqlx::AnyConnection, username: &str) -> Result<User> {
    sqlx::query_as::<_, UserRow>(AssertSqlSafe(format!(
        "{USER_COLUMNS} FROM users WHERE username = $1"
    )))
    .bind(username)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?
    .try_into()
}

/// The user someone named to take a part: a name nobody has is the caller's mistake (422),
/// while a database failure stays what it is.
pub(super) async fn person_named(conn: &mut sqlx::AnyConnection, username: &str) -> Result<User> {
    let user = user_named(conn, username).await.map_err(|e| match e {
        StoreError::NotFound => StoreError::Invalid(format!("there is no user named {username:?}")),
        other => other,
    })?;
    if !user.active {
        return Err(StoreError::Invalid(format!(
            "{username} is deactivated and cannot take a part"
        )));
    }
    Ok(user)
}

pub(super) async fn audit(
    tx: &mut Tx,
    at: i64,
    actor: Option<&User>,
    action: &str,
    target: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, target, detail) VALUES ($1, $2, $3, $4, '')",
    )
    .bind(at)
    .bind(actor.map(|a| a.id))
    .bind(action)
    .bind(target)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) fn require_writer(actor: &User) -> Result<()> {
    if actor.role == Role::Viewer {
        return Err(StoreError::Forbidden(
            "a viewer cannot change postmortems".into(),
        ));
    }
    Ok(())
}
