//! `debrief import` and `debrief export`: Markdown files in and out of a server, through its
//! API with a token, over https or http. What goes in comes back as the same canonical
//! Markdown.

use crate::Outcome;
use crate::cli::{ExportArgs, ImportArgs};
use crate::files;
use anyhow::{Context, Result, anyhow, bail};
use debrief_wire::api::{ErrorAnswer, MarkdownRequest, Postmortem, Postmortems};
use std::collections::HashSet;
use std::path::Path;

/// A client for one server and token.
struct Remote {
    base: String,
    token: String,
    client: reqwest::Client,
}

impl Remote {
    fn new(server: &str, token: &str) -> Result<Remote> {
        let base = server.trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            bail!("the server URL must start with https:// or http:// (got {server:?})");
        }
        // reqwest is built without a default crypto provider (the default one needs a C
        // toolchain for aws-lc); ring is installed once per process, and a second install
        // fails harmlessly. Certificates are checked against the system's roots.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .build()
            .context("starting the HTTP client")?;
        Ok(Remote {
            base,
            token: token.to_string(),
            client,
        })
    }

    /// Sends a request; a non-2xx answer becomes an error with the server's message.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        let response = request
            .bearer_auth(&self.token)
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.base))?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let message = match response.json::<ErrorAnswer>().await {
            Ok(answer) => answer.error.message,
            Err(_) => status.to_string(),
        };
        Err(anyhow!("{} ({})", message, status.as_u16()))
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub fn import(args: ImportArgs) -> Result<Outcome> {
    let remote = Remote::new(&args.server, &args.token)?;
    let (paths, errors) = files::expand(&args.paths);
    let mut outcome = Outcome::Clean;
    for error in errors {
        eprintln!("error: {error:#}");
        outcome = Outcome::Failed;
    }
    runtime()?.block_on(async {
        for path in &paths {
            match import_one(&remote, path).await {
                Ok(id) => println!("imported {} as postmortem {id}", path.display()),
                Err(error) => {
                    eprintln!("error: {}: {error:#}", path.display());
                    outcome = Outcome::Failed;
                }
            }
        }
    });
    Ok(outcome)
}

async fn import_one(remote: &Remote, path: &Path) -> Result<i64> {
    let markdown = std::fs::read_to_string(path).context("reading the file")?;
    let request = remote
        .client
        .post(format!("{}/api/v1/postmortems", remote.base))
        .json(&MarkdownRequest {
            markdown,
            note: None,
            version: None,
        });
    let created: Postmortem = remote
        .send(request)
        .await?
        .json()
        .await
        .context("the server's answer is not a postmortem")?;
    Ok(created.id)
}

pub fn export(args: ExportArgs) -> Result<Outcome> {
    let remote = Remote::new(&args.server, &args.token)?;
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    runtime()?.block_on(async {
        let mut names = HashSet::new();
        let mut offset = 0;
        let mut count = 0;
        loop {
            let request = remote.client.get(format!(
                "{}/api/v1/postmortems?limit=500&offset={offset}",
                remote.base
            ));
            let page: Postmortems = remote
                .send(request)
                .await?
                .json()
                .await
                .context("the server's answer is not a list of postmortems")?;
            let list = page.postmortems;
            if list.is_empty() {
                break;
            }
            offset += list.len();
            for summary in &list {
                let id = summary.id;
                let request = remote
                    .client
                    .get(format!("{}/api/v1/postmortems/{id}/markdown", remote.base));
                let markdown = remote.send(request).await?.text().await?;
                let name = file_name(summary, &mut names);
                let path = args.dir.join(&name);
                std::fs::write(&path, markdown)
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("exported postmortem {id} to {}", path.display());
                count += 1;
            }
        }
        eprintln!("{count} postmortems exported to {}", args.dir.display());
        Ok(Outcome::Clean)
    })
}

/// `DATE-title-words.md`, unique within the export.
fn file_name(summary: &Postmortem, taken: &mut HashSet<String>) -> String {
    let id = summary.id;
    let date = summary.date.as_deref().unwrap_or("undated");
    let base = format!("{date}-{}", debrief_core::slug(&summary.title));
    let mut name = format!("{base}.md");
    if !taken.insert(name.clone()) {
        name = format!("{base}-{id}.md");
        taken.insert(name.clone());
    }
    name
}
