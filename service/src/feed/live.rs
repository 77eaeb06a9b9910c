//! Live delivery. Every server process runs [`run`]: it keeps its own search index in step
//! with the outbox, dispatches pending events, and wakes the live streams of users who got
//! new items through the [`Hub`]. On PostgreSQL, processes tell each other about new items
//! with `NOTIFY`, so a subscriber connected to one process hears of a publish on another.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use tokio::sync::{Notify, broadcast};

use crate::entity::{document, feed_item, outbox};
use crate::error::Result;
use crate::library::{self, PUBLISHED, SearchIndex};

/// The PostgreSQL channel processes announce dispatched events on.
const CHANNEL: &str = "zhengce_feed";
/// How often a process looks at the outbox without being woken (imports from the command
/// line, a missed notification).
const TICK: Duration = Duration::from_secs(1);

/// Wakes live streams: each message is the set of users with new feed items.
pub struct Hub {
    users: broadcast::Sender<Arc<HashSet<i64>>>,
    wake: Notify,
}

impl Hub {
    pub fn new() -> Arc<Hub> {
        Arc::new(Hub {
            users: broadcast::channel(1024).0,
            wake: Notify::new(),
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<HashSet<i64>>> {
        self.users.subscribe()
    }

    /// Something was published in this process: dispatch now, not at the next tick.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    fn announce(&self, users: HashSet<i64>) {
        if !users.is_empty() {
            // No receiver (nobody connected) is not an error.
            let _ = self.users.send(Arc::new(users));
        }
    }
}

/// The dispatcher loop of one process; runs until the process ends.
pub async fn run(db: DatabaseConnection, index: Arc<SearchIndex>, hub: Arc<Hub>) {
    // The index was brought in step with the database at start-up, and streams read
    // what was delivered before they connected from the database.
    let mut seen = Seen {
        outbox: last_id(&db, Table::Outbox).await.unwrap_or(0),
        items: last_id(&db, Table::FeedItems).await.unwrap_or(0),
    };
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
        if let Err(e) = step(&db, &index, &hub, &mut seen).await {
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
    index: &SearchIndex,
    hub: &Hub,
    seen: &mut Seen,
) -> Result<()> {
    // 1. Changes made by any process (or an import) since the last look reach this
    //    process's index.
    let changed: Vec<(i64, String)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .column(outbox::Column::DocumentId)
        .filter(outbox::Column::Id.gt(seen.outbox))
        .order_by_asc(outbox::Column::Id)
        .limit(1000)
        .into_tuple()
        .all(db)
        .await?;
    if let Some((last, _)) = changed.last() {
        let mut ids: Vec<String> = changed.iter().map(|(_, d)| d.clone()).collect();
        ids.sort();
        ids.dedup();
        let docs = document::Entity::find()
            .filter(document::Column::Id.is_in(ids))
            .filter(document::Column::Status.eq(PUBLISHED))
            .all(db)
            .await?;
        index.upsert(&library::indexed_docs(db, &docs).await?)?;
        seen.outbox = *last;
    }

    // 2. Pending events become feed items; other processes hear of it through NOTIFY
    //    (and otherwise at their next tick).
    let done = super::dispatch_pending(db, 500).await?;
    if !done.events.is_empty() && db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), done.events.len().to_string().into()],
        ))
        .await?;
    }

    // 3. Whoever got new items, through this process or another, has their streams woken.
    let mut users = HashSet::new();
    loop {
        let fresh: Vec<(i64, i64)> = feed_item::Entity::find()
            .select_only()
            .column(feed_item::Column::Id)
            .column(feed_item::Column::UserId)
            .filter(feed_item::Column::Id.gt(seen.items))
            .order_by_asc(feed_item::Column::Id)
            .limit(10_000)
            .into_tuple()
            .all(db)
            .await?;
        let Some((last, _)) = fresh.last() else { break };
        seen.items = *last;
        users.extend(fresh.iter().map(|(_, u)| *u));
    }
    hub.announce(users);
    Ok(())
}
