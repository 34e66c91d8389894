//! `debrief user add`: users of the server's store, from the command line.

use crate::Outcome;
use crate::cli::{UserAddArgs, UserRole};
use anyhow::{Context, Result, bail};
use debrief_server::{NewUser, Role, Store};
use std::io::BufRead;

pub fn add(args: UserAddArgs) -> Result<Outcome> {
    // Never an argument: arguments show in the process list.
    let password = match std::env::var("DEBRIEF_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if password.is_empty() {
        bail!("no password: set DEBRIEF_PASSWORD or give it on standard input");
    }
    let role = match args.role {
        UserRole::Viewer => Role::Viewer,
        UserRole::Contributor => Role::Contributor,
        UserRole::Admin => Role::Admin,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let user = runtime.block_on(async {
        let store = match &args.database_url {
            Some(url) => Store::connect(url).await,
            None => Store::open_dir(&args.data).await,
        }
        .context("opening the store")?;
        let new = NewUser {
            username: &args.username,
            display_name: args.name.as_deref().unwrap_or(&args.username),
            function: &args.function,
            role,
            password: &password,
            team: args.team.as_deref(),
        };
        let user = store.add_user(&new, None).await;
        store.close().await;
        user.with_context(|| format!("adding {}", args.username))
    })?;
    println!(
        "added {} ({}, {}) with id {}",
        user.username,
        user.function,
        user.role.as_str(),
        user.id
    );
    Ok(Outcome::Clean)
}
