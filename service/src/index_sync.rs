//! The one rule that keeps a process's search indexes in step with the database: each index
//! holds every outbox event up to its cursor (kept in the index's own commits), and
//! applies the events after it in id order. Nothing else writes to an index, so a restart,
//! a crash between a database commit and indexing, or a delivery that keeps failing never
//! leaves an index stale: the next [`catch_up`] finds the events it has not applied.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::feed::FeedKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{document, outbox as event, qa_entry};
use crate::error::Result;
use crate::library::{self, PUBLISHED, SearchIndex};
use crate::outbox;
use crate::qa::{self, QaIndex};

/// Outbox events applied per index commit.
const BATCH: u64 = 1000;
/// Documents read per page while rebuilding.
const REBUILD_PAGE: u64 = 1000;

/// The search indexes of one process: the library's and the knowledge base's.
#[derive(Clone)]
pub struct Indexes {
    pub library: Arc<SearchIndex>,
    pub qa: Arc<QaIndex>,
    /// Moves on each time the indexes take in outbox events.
    pub generation: Generation,
    /// One catch-up at a time: two could read the same row at different moments and
    /// commit the older read last.
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl Indexes {
    pub fn new(library: Arc<SearchIndex>, qa: Arc<QaIndex>) -> Indexes {
        Indexes {
            library,
            qa,
            generation: Generation::default(),
            turn: Arc::default(),
        }
    }
}

/// How many times this process's indexes have taken in outbox events (or been rebuilt):
/// anything built from what the portal publishes (a kept page) is current while the
/// generation it was built under is. It moves after the indexes commit and reload, so
/// what is built under a new generation sees the new state.
#[derive(Clone, Debug, Default)]
pub struct Generation(Arc<AtomicU64>);

impl Generation {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    fn advance(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// What a catch-up did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CaughtUp {
    /// Indexes rebuilt from the database: they did not know their cursor, or it was past
    /// the outbox (an index left from another database).
    pub rebuilt: Vec<&'static str>,
    /// Outbox events applied.
    pub events: u64,
}

/// Brings both indexes up to the newest outbox event: rebuilds one that cannot tell where
/// it stands, then applies the events after each cursor, in batches.
pub async fn catch_up(db: &impl ConnectionTrait, indexes: &Indexes) -> Result<CaughtUp> {
    let _turn = indexes.turn.lock().await;
    let mut done = CaughtUp::default();
    let newest = outbox::last_id(db).await?;
    if indexes.library.cursor().is_none_or(|c| c > newest) {
        rebuild_library(db, &indexes.library, newest).await?;
        done.rebuilt.push("library");
    }
    if indexes.qa.cursor().is_none_or(|c| c > newest) {
        rebuild_qa(db, &indexes.qa, newest).await?;
        done.rebuilt.push("qa");
    }
    loop {
        let (lib, qa) = (
            cursor(&indexes.library.cursor()),
            cursor(&indexes.qa.cursor()),
        );
        let events = outbox::after(db, lib.min(qa), BATCH).await?;
        let Some(last) = events.last().map(|e| e.id) else {
            break;
        };
        done.events += events.len() as u64;
        let mut lib_ids = ids(&events, lib, |e| e.document_id.clone());
        // A question answered about a document is part of its entry (see `asked_about`).
        let kind = |e: &event::Model| FeedKind::from_code(&e.kind);
        let qa_ids = ids(&events, lib, |e| {
            matches!(kind(e), Some(FeedKind::NewQa | FeedKind::QaChanged))
                .then(|| e.subject_id.clone())
                .flatten()
        });
        let consultation_ids: Vec<i64> = ids(&events, lib, |e| {
            matches!(kind(e), Some(FeedKind::Answered))
                .then(|| e.subject_id.clone())
                .flatten()
        })
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
        lib_ids.extend(library::asked_documents(db, &qa_ids, &consultation_ids).await?);
        lib_ids.sort();
        lib_ids.dedup();
        apply_library(db, &indexes.library, &lib_ids, last.max(lib)).await?;
        let qa_ids = ids(&events, qa, |e| {
            matches!(
                FeedKind::from_code(&e.kind),
                Some(FeedKind::NewQa | FeedKind::QaChanged)
            )
            .then(|| e.subject_id.clone())
            .flatten()
        });
        apply_qa(db, &indexes.qa, &qa_ids, last.max(qa)).await?;
        indexes.generation.advance();
    }
    if !done.rebuilt.is_empty() {
        indexes.generation.advance();
    }
    Ok(done)
}

fn cursor(c: &Option<i64>) -> i64 {
    c.unwrap_or(0)
}

/// The distinct ids that events after `cursor` name, as `pick` reads them.
fn ids(
    events: &[event::Model],
    cursor: i64,
    pick: impl Fn(&event::Model) -> Option<String>,
) -> Vec<String> {
    let mut ids: Vec<String> = events
        .iter()
        .filter(|e| e.id > cursor)
        .filter_map(pick)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Indexes these documents as they are now (published ones in, the rest out) and moves
/// the cursor to `last`.
async fn apply_library(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    ids: &[String],
    last: i64,
) -> Result<()> {
    let mut published = Vec::new();
    for chunk in ids.chunks(500) {
        published.extend(
            document::Entity::find()
                .filter(document::Column::Id.is_in(chunk.to_vec()))
                .filter(document::Column::Status.eq(PUBLISHED))
                .all(db)
                .await?,
        );
    }
    let gone: Vec<String> = ids
        .iter()
        .filter(|id| !published.iter().any(|d| &d.id == *id))
        .cloned()
        .collect();
    let docs = library::indexed_docs(db, &published).await?;
    index.apply(&docs, &gone, Some(last))
}

/// Indexes these Q&A entries as they are now (deleted ones out) and moves the cursor.
async fn apply_qa(
    db: &impl ConnectionTrait,
    index: &QaIndex,
    ids: &[String],
    last: i64,
) -> Result<()> {
    let rows = qa::load(db, ids).await?;
    let gone: Vec<String> = ids
        .iter()
        .filter(|id| !rows.iter().any(|r| &r.id == *id))
        .cloned()
        .collect();
    index.apply(&qa::indexed(db, &rows).await?, &gone, Some(last))
}

/// Indexes every published document afresh; the index then holds events up to `newest`,
/// read before the documents, so a change committed meanwhile is applied again after.
async fn rebuild_library(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    newest: i64,
) -> Result<()> {
    tracing::info!(newest, "rebuilding the search index");
    index.clear()?;
    let mut last: Option<String> = None;
    loop {
        let mut page = document::Entity::find()
            .filter(document::Column::Status.eq(PUBLISHED))
            .order_by_asc(document::Column::Id)
            .limit(REBUILD_PAGE);
        if let Some(after) = &last {
            page = page.filter(document::Column::Id.gt(after.clone()));
        }
        let docs = page.all(db).await?;
        let Some(tail) = docs.last() else { break };
        last = Some(tail.id.clone());
        index.apply(&library::indexed_docs(db, &docs).await?, &[], None)?;
    }
    index.apply(&[], &[], Some(newest))?;
    index.compact()
}

/// Indexes every Q&A entry afresh (as [`rebuild_library`]).
async fn rebuild_qa(db: &impl ConnectionTrait, index: &QaIndex, newest: i64) -> Result<()> {
    tracing::info!(newest, "rebuilding the Q&A index");
    index.clear()?;
    let mut last: Option<String> = None;
    loop {
        let mut page = qa_entry::Entity::find()
            .order_by_asc(qa_entry::Column::Id)
            .limit(REBUILD_PAGE * 2);
        if let Some(after) = &last {
            page = page.filter(qa_entry::Column::Id.gt(after.clone()));
        }
        let rows = page.all(db).await?;
        let Some(tail) = rows.last() else { break };
        last = Some(tail.id.clone());
        index.apply(&qa::indexed(db, &rows).await?, &[], None)?;
    }
    index.apply(&[], &[], Some(newest))?;
    index.compact()
}
