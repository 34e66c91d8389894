//! `debrief serve`: settings from flags, `DEBRIEF_*` variables and `[server]` in
//! `debrief.toml` (in that order of precedence), then the server until SIGTERM.

use crate::Outcome;
use crate::cli::ServeArgs;
use anyhow::{Context, Result};
use debrief_server::config::ServerConfig;
use debrief_server::hooks::HooksConfig;
use debrief_server::http::{self, AppState, HttpConfig};
use debrief_server::notify::NotifyConfig;
use debrief_server::tracking::Worker;
use debrief_server::{Policy, Store};
use debrief_trackers::Trackers;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(args: ServeArgs) -> Result<Outcome> {
    let started = Instant::now();
    init_logs();
    let (config, lint, trackers, notify, hooks) = read_config(args.config.as_deref())?;
    let listen = args
        .listen
        .or(config.listen)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let database_url = args.database_url.or(config.database_url);
    let data = if args.demo {
        demo_dir()?
    } else {
        args.data
            .or(config.data)
            .unwrap_or_else(|| PathBuf::from("debrief-data"))
    };
    let pool_size = args.pool_size.or(config.pool_size);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let url = match &database_url {
            Some(url) => url.clone(),
            None => Store::sqlite_url(&data).context("opening the store")?,
        };
        let store = Store::connect_with(&url, pool_size)
            .await
            .context("opening the store")?
            .with_policy(Policy {
                workflow: config.workflow,
                lint,
                trackers,
                notify,
                hooks,
            });
        // Printed after the address, which scripts and tests read from the first line.
        let mut notes = Vec::new();
        if args.demo {
            let accounts = debrief_server::demo::seed(&store)
                .await
                .context("seeding the demo store")?;
            notes.push(format!(
                "debrief: demo store in {}; sign in as",
                data.display()
            ));
            for account in &accounts {
                notes.push(format!(
                    "  {:<10} password {}  ({:?}, {})",
                    account.username, account.password, account.role, account.function
                ));
            }
        }
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .with_context(|| format!("listening on {listen}"))?;
        let address = listener.local_addr().context("reading the bound address")?;
        let fresh = !store.has_users().await.context("reading the store")?;
        let mut state = AppState::new(
            store,
            HttpConfig {
                secure_cookies: config.secure_cookies,
                page_cache_bytes: config
                    .page_cache_mb
                    .map_or(HttpConfig::default().page_cache_bytes, |mb| mb * 1024 * 1024),
            },
        );
        if fresh {
            // Nobody on the network may claim a fresh server: the setup page asks for a
            // token that only this log shows.
            let token = debrief_server::secret::new_token()
                .map_err(|e| anyhow::anyhow!("making the setup token: {e}"))?;
            notes.push(format!(
                "debrief: no accounts yet; create the first admin at http://{address}/setup?token={token} \
                 (or with `debrief user add`)"
            ));
            state = state.with_setup_token(&token);
        }
        let store_name = match &database_url {
            Some(_) => "postgres".to_string(),
            None => data.join("debrief.sqlite3").display().to_string(),
        };
        tracing::info!(
            %address,
            store = store_name,
            ready_ms = started.elapsed().as_secs_f64() * 1000.0,
            "listening"
        );
        // The one line on standard output: scripts and tests read the address from it.
        println!("debrief: listening on http://{address}");
        for note in notes {
            println!("{note}");
        }
        // One signal stops both the pages and the job queue; a job under way finishes.
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            http::shutdown_signal().await;
            let _ = stop.send(true);
        });
        let until = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        let store = state.store.clone();
        let mut worker = Worker::new(store.clone(), Some(public_url));
        if let Some(seconds) = config.job_lease_seconds {
            worker = worker.leasing(seconds);
        }
        let jobs = tokio::spawn(worker.run(until(stopped.clone())));
        http::serve(listener, state, until(stopped))
            .await
            .context("serving")?;
        let _ = jobs.await;
        store.close().await;
        tracing::info!("stopped");
        Ok(Outcome::Clean)
    })
}

/// A new, empty directory for a demo store, under the system's temporary directory.
fn demo_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "debrief-demo-{}-{}",
        std::process::id(),
        jiff::Timestamp::now().as_second()
    ));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating the demo store's directory {}", dir.display()))?;
    Ok(dir)
}

/// JSON lines on standard error; `DEBRIEF_LOG` filters them (`info` by default).
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DEBRIEF_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// What the server reads of `debrief.toml`: `[server]`, the lint configuration, the
/// trackers, `[notify]` and `[hooks]`, from the file given, or `./debrief.toml` if any.
type Configuration = (
    ServerConfig,
    debrief_lint::Config,
    Trackers,
    NotifyConfig,
    HooksConfig,
);

fn read_config(path: Option<&Path>) -> Result<Configuration> {
    let default = Path::new(crate::config::CONFIG_FILE);
    let path = match path {
        Some(path) => path,
        None if default.exists() => default,
        None => {
            return Ok(Default::default());
        }
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let server =
        ServerConfig::from_toml(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
    let lint = debrief_lint::Config::from_toml(&text)
        .map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
    let trackers =
        Trackers::from_toml(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
    let notify =
        NotifyConfig::from_toml(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
    let hooks =
        HooksConfig::from_toml(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
    Ok((server, lint, trackers, notify, hooks))
}
