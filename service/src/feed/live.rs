//! Live delivery. Every server process runs [`run`]: it keeps its own search index in step
//! with the outbox, dispatches pending events, and wakes the live streams of users who got
//! new items through the [`Hub`]. On PostgreSQL, processes tell each other about new items
//! with `NOTIFY`, so a subscriber connected to one process hears of a publish on another.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use tokio::sync::{Notify, broadcast};

use domain::feed::{FeedItemView, FeedKind};

use crate::Indexes;
use crate::entity::{document, feed_item, outbox};
use crate::error::Result;
use crate::library::{self, PUBLISHED};

/// The PostgreSQL channel processes announce dispatched events on.
const CHANNEL: &str = "zhengce_feed";
/// How often a process looks at the outbox without being woken (imports from the command
/// line, a missed notification).
const TICK: Duration = Duration::from_secs(1);

/// New feed items for the users connected to this process, covering every item with
/// an id in `(from, to]`. Batches are sent in order, so a stream that has everything up
/// to `from` can take its items from the batch without asking the database.
#[derive(Debug, Default)]
pub struct Batch {
    pub from: i64,
    pub to: i64,
    pub items: HashMap<i64, Vec<FeedItemView>>,
}

/// Connects the dispatcher to this process's live streams.
pub struct Hub {
    batches: broadcast::Sender<Arc<Batch>>,
    wake: Notify,
    /// Last feed item id announced.
    seen: AtomicI64,
    /// Users with an open stream here, and how many streams each has.
    connected: Mutex<HashMap<i64, usize>>,
}

/// Keeps a user counted as connected while a stream lives.
pub struct Connection {
    hub: Arc<Hub>,
    user_id: i64,
}

impl Drop for Connection {
    fn drop(&mut self) {
        let mut connected = self.hub.connected.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = connected.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                connected.remove(&self.user_id);
            }
        }
    }
}

impl Hub {
    pub fn new() -> Arc<Hub> {
        Arc::new(Hub {
            batches: broadcast::channel(256).0,
            wake: Notify::new(),
            seen: AtomicI64::new(0),
            connected: Mutex::new(HashMap::new()),
        })
    }

    /// Registers a stream of `user_id`: batches to receive, and a guard that unregisters
    /// it when dropped. Subscribe before reading [`Hub::seen`] and the database.
    pub fn connect(
        self: &Arc<Self>,
        user_id: i64,
    ) -> (broadcast::Receiver<Arc<Batch>>, Connection) {
        let rx = self.batches.subscribe();
        *self
            .connected
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(user_id)
            .or_default() += 1;
        (
            rx,
            Connection {
                hub: self.clone(),
                user_id,
            },
        )
    }

    /// The last feed item id announced: a stream that reads the database after this
    /// has everything the next batch does not carry.
    pub fn seen(&self) -> i64 {
        self.seen.load(Ordering::SeqCst)
    }

    /// Something was published in this process: dispatch now, not at the next tick.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    fn connected_users(&self) -> HashSet<i64> {
        self.connected
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .keys()
            .copied()
            .collect()
    }

    fn announce(&self, batch: Batch) {
        self.seen.store(batch.to, Ordering::SeqCst);
        // No receiver (nobody connected) is not an error.
        let _ = self.batches.send(Arc::new(batch));
    }
}

/// The dispatcher loop of one process; runs until the process ends.
pub async fn run(db: DatabaseConnection, indexes: Indexes, hub: Arc<Hub>) {
    // The index was brought in step with the database at start-up, and streams read
    // what was delivered before they connected from the database.
    let mut seen = Seen {
        outbox: last_id(&db, Table::Outbox).await.unwrap_or(0),
        items: last_id(&db, Table::FeedItems).await.unwrap_or(0),
    };
    hub.seen.store(seen.items, Ordering::SeqCst);
    let mut listener = match db.get_database_backend() {
        DatabaseBackend::Postgres => listen(&db).await,
        _ => None,
    };
    loop {
        tokio::select! {
            () = hub.wake.notified() => {}
            () = tokio::time::sleep(TICK) => {}
            () = next_notification(&mut listener) => {}
        }
        if let Err(e) = step(&db, &indexes, &hub, &mut seen).await {
            tracing::warn!(error = %e, "feed dispatch failed; retrying");
            tokio::time::sleep(TICK).await;
        }
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
                tokio::time::sleep(TICK).await;
            }
        }
        None => std::future::pending().await,
    }
}

/// How far this process has looked.
struct Seen {
    /// Last outbox event applied to this process's index.
    outbox: i64,
    /// Last feed item this process's streams were told about.
    items: i64,
}

enum Table {
    Outbox,
    FeedItems,
}

async fn last_id(db: &DatabaseConnection, table: Table) -> Result<i64> {
    let id = match table {
        Table::Outbox => {
            outbox::Entity::find()
                .select_only()
                .column(outbox::Column::Id)
                .order_by_desc(outbox::Column::Id)
                .limit(1)
                .into_tuple::<i64>()
                .one(db)
                .await?
        }
        Table::FeedItems => {
            feed_item::Entity::find()
                .select_only()
                .column(feed_item::Column::Id)
                .order_by_desc(feed_item::Column::Id)
                .limit(1)
                .into_tuple::<i64>()
                .one(db)
                .await?
        }
    };
    Ok(id.unwrap_or(0))
}

async fn step(
    db: &DatabaseConnection,
    indexes: &Indexes,
    hub: &Hub,
    seen: &mut Seen,
) -> Result<()> {
    // 1. Pending events become feed items; other processes hear of it through NOTIFY
    //    (and otherwise at their next tick).
    let t0 = std::time::Instant::now();
    let done = super::dispatch_pending(db, 500).await?;
    let t1 = t0.elapsed();
    if !done.events.is_empty() && db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), done.events.len().to_string().into()],
        ))
        .await?;
    }

    // 2. New items, delivered by this process or another, go to the streams connected
    //    here in one batch: one read for all of them, not one per stream.
    let to = last_id(db, Table::FeedItems).await?;
    if to > seen.items {
        let connected = hub.connected_users();
        let mut items: HashMap<i64, Vec<FeedItemView>> = HashMap::new();
        for (user, view) in super::delivered_between(db, seen.items, to, &connected).await? {
            items.entry(user).or_default().push(view);
        }
        let t2 = t0.elapsed();
        hub.announce(Batch {
            from: seen.items,
            to,
            items,
        });
        tracing::debug!(dispatch = ?t1, batch = ?t2, "feed step");
        seen.items = to;
    }

    // 3. Changes made by any process (or an import) since the last look reach this
    //    process's index.
    let changed: Vec<(i64, Option<String>, Option<String>, String)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .column(outbox::Column::DocumentId)
        .column(outbox::Column::SubjectId)
        .column(outbox::Column::Kind)
        .filter(outbox::Column::Id.gt(seen.outbox))
        .order_by_asc(outbox::Column::Id)
        .limit(1000)
        .into_tuple()
        .all(db)
        .await?;
    if let Some((last, ..)) = changed.last() {
        let mut ids: Vec<String> = changed.iter().filter_map(|(_, d, ..)| d.clone()).collect();
        ids.sort();
        ids.dedup();
        if !ids.is_empty() {
            let docs = document::Entity::find()
                .filter(document::Column::Id.is_in(ids))
                .filter(document::Column::Status.eq(PUBLISHED))
                .all(db)
                .await?;
            indexes
                .library
                .upsert(&library::indexed_docs(db, &docs).await?)?;
        }
        let qa_kinds = [FeedKind::NewQa.code(), FeedKind::QaChanged.code()];
        let mut qa_ids: Vec<String> = changed
            .iter()
            .filter(|(_, _, _, kind)| qa_kinds.contains(&kind.as_str()))
            .filter_map(|(_, _, subject, _)| subject.clone())
            .collect();
        qa_ids.sort();
        qa_ids.dedup();
        if !qa_ids.is_empty() {
            crate::qa::sync_index(db, &indexes.qa, &qa_ids).await?;
        }
        seen.outbox = *last;
    }
    Ok(())
}
