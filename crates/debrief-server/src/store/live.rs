//! Word that a meeting changed, to every instance that has a room open on it.
//!
//! A change is committed with `NOTIFY` on PostgreSQL (`pg_notify` in the writing
//! transaction, so the word goes out only if the change is kept, and only once it is), and
//! each instance listens on one connection of its own (`PgListener`, started with the first
//! room opened). On SQLite, which one instance serves, the word goes from the writer to the
//! rooms in process. Either way a room reads the changes themselves from the database after
//! the last it sent, so word that arrives twice, or late, changes nothing, and a room also
//! looks every few seconds in case word was lost (a listener reconnecting).

use super::{Backend, Result, Store, Tx};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::broadcast;

/// The PostgreSQL channel meetings' changes are announced on; the payload is the
/// postmortem's id.
const CHANNEL: &str = "debrief_meetings";

/// The meetings that changed, by postmortem id, for the rooms of this instance.
pub(super) struct Feed {
    sender: broadcast::Sender<i64>,
    /// The PostgreSQL URL to listen with; none on SQLite.
    url: Option<String>,
    listening: OnceLock<()>,
    /// Set when the store closes: the listener lets its connection go.
    closed: tokio::sync::watch::Sender<bool>,
    /// The listener, awaited on closing so that its connection is gone when `close` returns.
    listener: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl std::fmt::Debug for Feed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("rooms", &self.sender.receiver_count())
            .field("listening", &self.listening.get().is_some())
            .finish()
    }
}

impl Feed {
    pub(super) fn new(url: Option<String>) -> Arc<Feed> {
        Arc::new(Feed {
            sender: broadcast::channel(1024).0,
            url,
            listening: OnceLock::new(),
            closed: tokio::sync::watch::channel(false).0,
            listener: Mutex::new(None),
        })
    }

    /// Stops listening, and waits until the listener's connection is closed.
    pub(super) async fn close(&self) {
        self.closed.send_replace(true);
        let listener = self.listener.lock().ok().and_then(|mut l| l.take());
        if let Some(listener) = listener {
            let _ = listener.await;
        }
    }

    /// Listens for other instances' word on PostgreSQL, once per instance, for as long as
    /// the process runs, connecting again after a failure.
    fn listen(self: &Arc<Feed>) {
        let Some(url) = self.url.clone() else {
            return;
        };
        let sender = self.sender.clone();
        let mut closed = self.closed.subscribe();
        self.listening.get_or_init(|| {
            let task = tokio::spawn(async move {
                while !*closed.borrow() {
                    tokio::select! {
                        relayed = relay(&url, &sender) => if let Err(error) = relayed {
                            tracing::warn!(%error, "listening for meetings' changes; again in 1 s");
                            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        },
                        _ = closed.changed() => {}
                    }
                }
            });
            if let Ok(mut listener) = self.listener.lock() {
                *listener = Some(task);
            }
        });
    }
}

/// Relays the channel's word to this instance's rooms until the connection fails.
async fn relay(url: &str, sender: &broadcast::Sender<i64>) -> Result<()> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let notification = listener.recv().await?;
        if let Ok(id) = notification.payload().parse::<i64>() {
            // No room open is no error.
            let _ = sender.send(id);
        }
    }
}

impl Store {
    /// Announces, with the transaction's commit, that meeting `id` changed.
    pub(super) async fn announce_in(&self, tx: &mut Tx, id: i64) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(id.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Tells this instance's rooms that meeting `id` changed (after the commit).
    pub(super) fn announced(&self, id: i64) {
        let _ = self.feed.sender.send(id);
    }

    /// The ids of the meetings that change from now on, on every instance.
    pub fn meeting_feed(&self) -> broadcast::Receiver<i64> {
        self.feed.listen();
        self.feed.sender.subscribe()
    }
}
