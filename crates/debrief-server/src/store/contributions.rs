//! Contributions by role: timeline entries, observations, customer impact and evidence, each
//! kept with its author's function. Uploaded evidence is stored once per content (SHA-256)
//! in the database, so every server instance can serve it.

use super::{
    Contribution, ContributionKind, FileInfo, Result, Store, StoreError, User, audit,
    require_writer,
};
use sha2::{Digest, Sha256};

/// An uploaded file.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// Its name, as the uploader gave it.
    pub name: &'a str,
    /// Its media type, as the uploader gave it.
    pub media_type: &'a str,
    /// Its bytes.
    pub content: &'a [u8],
}

/// A contribution to add.
#[derive(Debug, Clone, Copy)]
pub struct NewContribution<'a> {
    /// What it is.
    pub kind: ContributionKind,
    /// Its text (Markdown).
    pub body: &'a str,
    /// For timeline entries: when it happened (Unix seconds).
    pub happened_at: Option<i64>,
    /// For evidence: a link.
    pub url: Option<&'a str>,
    /// For evidence: a file.
    pub file: Option<Upload<'a>>,
    /// Shown with its function only, never its author: what people say in a postmortem
    /// should not cost them, and some will only say it so.
    pub anonymous: bool,
}

/// A file to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Its description.
    pub info: FileInfo,
    /// Its bytes.
    pub content: Vec<u8>,
}

/// Media types served as themselves. Anything else, HTML and SVG above all (they run script
/// in the server's origin), is served as `application/octet-stream`.
const SAFE_MEDIA_TYPES: [&str; 8] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/json",
    "text/plain",
    "text/csv",
];

/// The media type a file is stored and served with.
pub fn safe_media_type(given: &str) -> &'static str {
    let essence = given
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    SAFE_MEDIA_TYPES
        .into_iter()
        .find(|t| *t == essence)
        .unwrap_or("application/octet-stream")
}

/// The largest file accepted as evidence.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

impl Store {
    /// Adds a contribution to a postmortem that is not yet published, with the author's
    /// function.
    pub async fn contribute(
        &self,
        actor: &User,
        id: i64,
        new: &NewContribution<'_>,
    ) -> Result<Contribution> {
        require_writer(actor)?;
        validate(new)?;
        let mut tx = self.begin_write().await?;
        let current = self.current_in(&mut tx, actor, id).await?;
        crate::workflow::check_contribution(current.postmortem.status)
            .map_err(StoreError::Invalid)?;
        let at = self.clock.now();
        let mut file = None;
        if let Some(upload) = new.file {
            let sha256 = crate::secret::hex(&Sha256::digest(upload.content));
            // A file is kept once by its hash. Two uploads of the same file may race from two
            // instances (for two postmortems, so no lock orders them): whichever inserts
            // second finds the same bytes stored, which is what it wanted.
            let exists = sqlx::query("SELECT 1 FROM blobs WHERE sha256 = $1")
                .bind(&sha256)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                sqlx::query(
                    "INSERT INTO blobs (sha256, content, size) VALUES ($1, $2, $3)
                     ON CONFLICT (sha256) DO NOTHING",
                )
                .bind(&sha256)
                .bind(upload.content.to_vec())
                .bind(upload.content.len() as i64)
                .execute(&mut *tx)
                .await?;
            }
            file = Some(FileInfo {
                name: file_name(upload.name),
                media_type: safe_media_type(upload.media_type).to_string(),
                size: upload.content.len() as i64,
                sha256,
            });
        }
        let contribution_id: i64 = sqlx::query_scalar(
            "INSERT INTO contributions (postmortem_id, author_id, function, kind, body,
             happened_at, url, blob_sha256, file_name, media_type, created_at, anonymous)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(id)
        .bind(actor.id)
        .bind(&actor.function)
        .bind(new.kind.as_str())
        .bind(new.body.trim())
        .bind(new.happened_at)
        .bind(new.url)
        .bind(file.as_ref().map(|f| f.sha256.clone()))
        .bind(file.as_ref().map(|f| f.name.clone()))
        .bind(file.as_ref().map(|f| f.media_type.clone()))
        .bind(at)
        .bind(i64::from(new.anonymous))
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut tx,
            self.clock.now(),
            // Not even the audit log tells who wrote an anonymous contribution.
            (!new.anonymous).then_some(actor),
            "contribution.add",
            &format!("postmortem:{id} contribution:{contribution_id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(Contribution {
            id: contribution_id,
            author: if new.anonymous {
                ANONYMOUS.to_string()
            } else {
                actor.username.clone()
            },
            function: actor.function.clone(),
            kind: new.kind,
            body: new.body.trim().to_string(),
            happened_at: new.happened_at,
            url: new.url.map(str::to_string),
            file,
            created_at: at,
        })
    }

    /// The contributions to a postmortem the viewer may see, oldest first.
    pub async fn contributions(&self, viewer: &User, id: i64) -> Result<Vec<Contribution>> {
        self.current(viewer, id).await?;
        let rows = sqlx::query_as::<_, ContributionRow>(
            "SELECT c.id, CASE WHEN c.anonymous = 1 THEN '' ELSE u.username END AS author, c.function, c.kind, c.body, c.happened_at, c.url,
             c.file_name, c.media_type, b.size, c.blob_sha256, c.created_at
             FROM contributions c JOIN users u ON u.id = c.author_id
             LEFT JOIN blobs b ON b.sha256 = c.blob_sha256
             WHERE c.postmortem_id = $1 ORDER BY c.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Contribution::try_from).collect()
    }

    /// The file of an evidence contribution, if the viewer may see its postmortem.
    pub async fn evidence(&self, viewer: &User, id: i64, contribution: i64) -> Result<Evidence> {
        self.current(viewer, id).await?;
        let row = sqlx::query_as::<_, EvidenceRow>(
            "SELECT c.file_name, c.media_type, b.size, b.sha256, b.content
             FROM contributions c JOIN blobs b ON b.sha256 = c.blob_sha256
             WHERE c.postmortem_id = $1 AND c.id = $2",
        )
        .bind(id)
        .bind(contribution)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(row.into())
    }
}

fn validate(new: &NewContribution<'_>) -> Result<()> {
    let invalid = |message: &str| Err(StoreError::Invalid(message.to_string()));
    match new.kind {
        ContributionKind::Timeline if new.happened_at.is_none() => {
            return invalid("a timeline entry needs the time it happened (`at`)");
        }
        ContributionKind::Evidence if new.url.is_none() && new.file.is_none() => {
            return invalid("evidence needs a link (`url`) or an uploaded file");
        }
        ContributionKind::Timeline | ContributionKind::Observation | ContributionKind::Impact
            if new.url.is_some() || new.file.is_some() =>
        {
            return invalid("only evidence carries a link or a file");
        }
        _ => {}
    }
    if new.body.trim().is_empty() && new.kind != ContributionKind::Evidence {
        return invalid("a contribution needs some text (`text`)");
    }
    if let Some(url) = new.url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return invalid("an evidence link must start with https:// or http://");
    }
    if let Some(file) = new.file {
        if file.content.is_empty() {
            return invalid("the uploaded file is empty");
        }
        if file.content.len() > MAX_UPLOAD_BYTES {
            return Err(StoreError::Invalid(format!(
                "the uploaded file has {} bytes; the limit is {MAX_UPLOAD_BYTES}",
                file.content.len()
            )));
        }
    }
    Ok(())
}

/// A file name safe to put in a `Content-Disposition` header: no path, no quotes, no
/// control characters.
fn file_name(given: &str) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c) && !matches!(c, '"' | ';'))
        .take(200)
        .collect();
    if cleaned.trim().is_empty() {
        "evidence".to_string()
    } else {
        cleaned.trim().to_string()
    }
}

/// Characters that change how text around them shows without showing themselves: the
/// bidirectional controls (a right-to-left override makes `evil\u{202e}fdp.exe` read as
/// `evilexe.pdf`), zero-width spaces and joiners, the byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
    )
}

/// A contribution, with its author's username and, for an uploaded file, the file's size.
#[derive(sqlx::FromRow)]
struct ContributionRow {
    id: i64,
    author: String,
    function: String,
    kind: String,
    body: String,
    happened_at: Option<i64>,
    url: Option<String>,
    file_name: Option<String>,
    media_type: Option<String>,
    size: Option<i64>,
    blob_sha256: Option<String>,
    created_at: i64,
}

/// The author shown for an anonymous contribution.
pub const ANONYMOUS: &str = "anonymous";

impl TryFrom<ContributionRow> for Contribution {
    type Error = StoreError;

    /// The contribution; an unknown kind is [`StoreError::Corrupt`], like an unknown role
    /// or state: the row is wrong, not the caller's request.
    fn try_from(row: ContributionRow) -> Result<Contribution> {
        let kind = ContributionKind::parse(&row.kind).ok_or_else(|| {
            StoreError::Corrupt(format!("unknown contribution kind {:?}", row.kind))
        })?;
        let file = match (row.file_name, row.blob_sha256) {
            (Some(name), Some(sha256)) => Some(FileInfo {
                name,
                media_type: row.media_type.unwrap_or_default(),
                size: row.size.unwrap_or_default(),
                sha256,
            }),
            _ => None,
        };
        Ok(Contribution {
            id: row.id,
            author: if row.author.is_empty() {
                ANONYMOUS.to_string()
            } else {
                row.author
            },
            function: row.function,
            kind,
            body: row.body,
            happened_at: row.happened_at,
            url: row.url,
            file,
            created_at: row.created_at,
        })
    }
}

/// An uploaded file of an evidence contribution, with its bytes.
#[derive(sqlx::FromRow)]
struct EvidenceRow {
    file_name: String,
    media_type: String,
    size: i64,
    sha256: String,
    content: Vec<u8>,
}

impl From<EvidenceRow> for Evidence {
    fn from(row: EvidenceRow) -> Evidence {
        Evidence {
            info: FileInfo {
                name: row.file_name,
                media_type: row.media_type,
                size: row.size,
                sha256: row.sha256,
            },
            content: row.content,
        }
    }
}
