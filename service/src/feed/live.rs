//! Live delivery. Every server process runs [`run`]: it dispatches pending events, wakes
//! the live streams of users who got new items through the [`Hub`], and keeps its own
//! search indexes in step with the outbox. On PostgreSQL, processes tell each other about new items
//! with `NOTIFY`, so a subscriber connected to one process hears of a publish on another.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use tokio::sync::{Notify, broadcast};

use domain::feed::FeedItemView;

use crate::error::Result;
use crate::index_sync::{self, Indexes};

/// The PostgreSQL channel processes announce dispatched events on.
const CHANNEL: &str = "zhengce_feed";
/// How often a process looks at the outbox without being woken, unless set otherwise.
pub const TICK: Duration = Duration::from_secs(1);
/// The pause after a pass that could not reach the database.
const RETRY: Duration = Duration::from_secs(1);

/// New feed items for the users connected to this process, covering every item with
/// an id in `(from, to]`. Batches are sent in order, so a stream that has everything up
/// to `from` can take its items from the batch without asking the database.
#[derive(Debug, Default)]
pub struct Batch {
    pub from: i64,
    pub to: i64,
    pub items: HashMap<i64, Vec<FeedItemView>>,
}

/// Live streams one account may hold at once; a sixth closes the oldest.
pub const MAX_STREAMS_PER_ACCOUNT: usize = 5;
/// How often open streams' sessions are checked against the database: a session ended
/// in another process (or expired) closes its streams within this.
pub const SESSION_CHECK: Duration = Duration::from_secs(2);

/// Connects the dispatcher to this process's live streams.
pub struct Hub {
    batches: broadcast::Sender<Arc<Batch>>,
    wake: Notify,
    /// Last feed item id announced.
    seen: AtomicI64,
    streams: Mutex<Streams>,
    /// Wakes the session watcher now (a sign-out here), not at its next round.
    sessions_changed: Notify,
}

#[derive(Default)]
struct Streams {
    next_id: u64,
    open: HashMap<u64, Stream>,
}

struct Stream {
    user_id: i64,
    /// The stream's session, as stored (the hash of its cookie token).
    session: String,
    close: Arc<Notify>,
}

/// A live stream's registration: counts its user as connected while it lives, and says
/// when the stream must end (its session ended, or the account opened too many).
pub struct Connection {
    hub: Arc<Hub>,
    id: u64,
    close: Arc<Notify>,
}

impl Connection {
    /// Returns when the stream must close.
    pub async fn closed(&self) {
        self.close.notified().await;
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.hub.streams().open.remove(&self.id);
    }
}

impl Hub {
    pub fn new() -> Arc<Hub> {
        Arc::new(Hub {
            batches: broadcast::channel(256).0,
            wake: Notify::new(),
            seen: AtomicI64::new(0),
            streams: Mutex::new(Streams::default()),
            sessions_changed: Notify::new(),
        })
    }

    fn streams(&self) -> std::sync::MutexGuard<'_, Streams> {
        self.streams.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a stream of `user_id` under its session (the stored hash): batches to
    /// receive, and a guard that unregisters it when dropped. Subscribe before reading
    /// [`Hub::seen`] and the database. An account's oldest stream beyond
    /// [`MAX_STREAMS_PER_ACCOUNT`] is told to close.
    pub fn connect(
        self: &Arc<Self>,
        user_id: i64,
        session: &str,
    ) -> (broadcast::Receiver<Arc<Batch>>, Connection) {
        let rx = self.batches.subscribe();
        let close = Arc::new(Notify::new());
        let mut streams = self.streams();
        let mut mine: Vec<u64> = streams
            .open
            .iter()
            .filter(|(_, s)| s.user_id == user_id)
            .map(|(id, _)| *id)
            .collect();
        mine.sort_unstable();
        let excess = (mine.len() + 1).saturating_sub(MAX_STREAMS_PER_ACCOUNT);
        for oldest in mine.into_iter().take(excess) {
            if let Some(s) = streams.open.remove(&oldest) {
                s.close.notify_one();
            }
        }
        streams.next_id += 1;
        let id = streams.next_id;
        streams.open.insert(
            id,
            Stream {
                user_id,
                session: session.to_owned(),
                close: close.clone(),
            },
        );
        (
            rx,
            Connection {
                hub: self.clone(),
                id,
                close,
            },
        )
    }

    /// The last feed item id announced: a stream that reads the database after this
    /// has everything the next batch does not carry.
    pub fn seen(&self) -> i64 {
        self.seen.load(Ordering::SeqCst)
    }

    /// Something was recorded in the outbox: dispatch now, not at the next tick.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    /// A session ended in this process: its streams close now.
    pub fn session_ended(&self) {
        self.sessions_changed.notify_one();
    }

    fn connected_users(&self) -> HashSet<i64> {
        self.streams().open.values().map(|s| s.user_id).collect()
    }

    fn announce(&self, batch: Batch) {
        self.seen.store(batch.to, Ordering::SeqCst);
        // No receiver (nobody connected) is not an error.
        let _ = self.batches.send(Arc::new(batch));
    }

    /// Closes every stream whose session is not among `live`; returns how many.
    fn close_all_but(&self, live: &HashSet<String>) -> usize {
        let mut streams = self.streams();
        let ended: Vec<u64> = streams
            .open
            .iter()
            .filter(|(_, s)| !live.contains(&s.session))
            .map(|(id, _)| *id)
            .collect();
        for id in &ended {
            if let Some(s) = streams.open.remove(id) {
                s.close.notify_one();
            }
        }
        ended.len()
    }
}

/// Ends the streams of sessions that ended (signed out here or in another process,
/// "退出所有设备", expired or idle): every [`SESSION_CHECK`], or at once after a sign-out
/// here. One read per 500 open sessions, however many streams each has.
pub async fn watch_sessions(db: DatabaseConnection, hub: Arc<Hub>, idle: Duration) {
    loop {
        tokio::select! {
            () = hub.sessions_changed.notified() => {}
            () = tokio::time::sleep(SESSION_CHECK) => {}
        }
        let open: Vec<String> = {
            let streams = hub.streams();
            let mut s: Vec<String> = streams.open.values().map(|s| s.session.clone()).collect();
            s.sort();
            s.dedup();
            s
        };
        if open.is_empty() {
            continue;
        }
        match crate::account::live_sessions(&db, &open, idle).await {
            Ok(live) => {
                let closed = hub.close_all_but(&live);
                if closed > 0 {
                    tracing::debug!(closed, "streams of ended sessions closed");
                }
            }
            Err(e) => tracing::warn!(error = %e, "session check failed; retrying"),
        }
    }
}

/// The dispatcher loop of one process; runs until the process ends. Each pass delivers
/// pending events, tells the streams here about new items, and brings this process's
/// search indexes up to the outbox: three steps that fail on their own, so a delivery
/// that keeps failing never leaves the index behind, nor the reverse.
pub async fn run(db: DatabaseConnection, indexes: Indexes, hub: Arc<Hub>, tick: Option<Duration>) {
    // Streams read what was delivered before they connected from the database.
    let mut seen = super::last_item(&db, None).await.unwrap_or(0);
    hub.seen.store(seen, Ordering::SeqCst);
    let mut listener = match db.get_database_backend() {
        DatabaseBackend::Postgres => listen(&db).await,
        _ => None,
    };
    loop {
        tokio::select! {
            () = hub.wake.notified() => {}
            () = sleep_or_never(tick) => {}
            () = next_notification(&mut listener) => {}
        }
        let delivered = deliver(&db, &hub, &mut seen).await;
        if let Err(e) = &delivered {
            tracing::warn!(error = %e, "feed dispatch failed; retrying");
        }
        if let Err(e) = index_sync::catch_up(&db, &indexes).await {
            tracing::warn!(error = %e, "index catch-up failed; retrying");
        }
        if delivered.is_err() {
            tokio::time::sleep(RETRY).await;
        }
    }
}

/// The tick: how often a process looks at the outbox without being woken (imports from
/// the command line, a missed notification). `None` only listens: for a test that proves
/// notifications carry across processes.
async fn sleep_or_never(tick: Option<Duration>) {
    match tick {
        Some(t) => tokio::time::sleep(t).await,
        None => std::future::pending().await,
    }
}

async fn listen(db: &DatabaseConnection) -> Option<sqlx::postgres::PgListener> {
    let pool = db.get_postgres_connection_pool();
    match sqlx::postgres::PgListener::connect_with(pool).await {
        Ok(mut l) => match l.listen(CHANNEL).await {
            Ok(()) => Some(l),
            Err(e) => {
                tracing::warn!(error = %e, "LISTEN failed; other processes' items arrive by polling");
                None
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, "no listener connection; other processes' items arrive by polling");
            None
        }
    }
}

/// Returns when another process (or this one) announces dispatched events; never
/// without a listener.
async fn next_notification(listener: &mut Option<sqlx::postgres::PgListener>) {
    match listener {
        Some(l) => {
            if let Err(e) = l.recv().await {
                // The listener reconnects on the next call; meanwhile the tick polls.
                tracing::warn!(error = %e, "feed listener lost its connection");
                tokio::time::sleep(RETRY).await;
            }
        }
        None => std::future::pending().await,
    }
}

/// Delivers pending events, then hands new items (delivered here or by another process)
/// to the streams connected here in one batch: one read for all of them, not one per
/// stream. `seen` is the last feed item announced.
async fn deliver(db: &DatabaseConnection, hub: &Hub, seen: &mut i64) -> Result<()> {
    let done = super::dispatch_pending(db, 500).await?;
    if !done.events.is_empty() && db.get_database_backend() == DatabaseBackend::Postgres {
        // Other processes hear of it now, not at their next tick.
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), done.events.len().to_string().into()],
        ))
        .await?;
    }
    let to = super::last_item(db, None).await?;
    if to > *seen {
        let connected = hub.connected_users();
        let mut items: HashMap<i64, Vec<FeedItemView>> = HashMap::new();
        for (user, view) in super::delivered_between(db, *seen, to, &connected).await? {
            items.entry(user).or_default().push(view);
        }
        hub.announce(Batch {
            from: *seen,
            to,
            items,
        });
        *seen = to;
    }
    Ok(())
}
