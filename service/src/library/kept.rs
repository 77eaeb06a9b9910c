//! Documents kept in memory for their pages: a crowd opening the policy of the day, signed
//! in (so no kept page can answer them), should cost one read per visit, not seven and a
//! search for related documents.
//!
//! - A kept document is current while nothing was published since it was read: the
//!   outbox's newest event id (every change a document page shows records an event in the
//!   transaction that makes it) and this process's index generation (related documents
//!   come from the index) are both still those it was read under. Checking the first is
//!   one indexed read, so a change is seen at once, by any process, even before the
//!   indexes take it in.
//! - Nothing is kept longer than [`MAX_AGE`] (an issuer renamed records no event).
//! - Memory is bounded: at most [`MAX_BYTES`] of documents (their texts counted), oldest
//!   out first, whatever the number of distinct documents asked for.
//! - Only documents found are kept: a missing or withdrawn address is read each time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::library::DocumentDetail;
use sea_orm::{ConnectionTrait, TransactionTrait};

use super::SearchIndex;
use crate::error::Result;
use crate::index_sync::Generation;
use crate::kept::Kept;

/// The longest a document is served from memory.
pub const MAX_AGE: Duration = Duration::from_secs(300);
/// All kept documents together.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// What a kept document costs beyond its texts (fields, links, the map's entry).
const OVERHEAD: usize = 2048;

/// Documents read for their pages, by id.
#[derive(Clone)]
pub struct KeptDocuments {
    kept: Arc<Mutex<Kept<Entry>>>,
    generation: Generation,
}

struct Entry {
    detail: Arc<DocumentDetail>,
    /// The outbox's newest event and the index generation when it was read.
    outbox: i64,
    generation: u64,
}

impl KeptDocuments {
    pub fn new(generation: Generation) -> Self {
        Self::within(generation, MAX_BYTES)
    }

    /// Keeping at most `max_bytes` of documents.
    pub fn within(generation: Generation, max_bytes: usize) -> Self {
        KeptDocuments {
            kept: Arc::new(Mutex::new(Kept::new(max_bytes))),
            generation,
        }
    }

    /// The document as [`super::document`] reads it, from memory when nothing was
    /// published since it was last read. While it is kept, every request gets the same
    /// allocation, so what is made from it (its rendered article) can be kept beside it.
    pub async fn document(
        &self,
        db: &(impl ConnectionTrait + TransactionTrait),
        index: &SearchIndex,
        id: &str,
    ) -> Result<Arc<DocumentDetail>> {
        let generation = self.generation.current();
        // Read before the document: whatever it shows is at least as new as this event,
        // so keeping it under this id can only make it read again too soon, never too late.
        let outbox = crate::outbox::last_id(db).await?;
        if let Some(detail) = self.current(id, outbox, generation) {
            return Ok(detail);
        }
        let detail = Arc::new(super::document(db, index, id).await?);
        self.store(&detail, outbox, generation);
        Ok(detail)
    }

    /// The bytes kept now (within the bound).
    pub fn bytes(&self) -> usize {
        self.lock().bytes()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept<Entry>> {
        // A panic elsewhere while holding the lock leaves a map that is still whole.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn current(&self, id: &str, outbox: i64, generation: u64) -> Option<Arc<DocumentDetail>> {
        self.lock()
            .get(id)
            .filter(|(e, stored)| {
                e.outbox == outbox && e.generation == generation && stored.elapsed() < MAX_AGE
            })
            .map(|(e, _)| e.detail.clone())
    }

    fn store(&self, detail: &Arc<DocumentDetail>, outbox: i64, generation: u64) {
        let weight = weight(detail);
        let mut kept = self.lock();
        if kept.admits(weight) {
            let entry = Entry {
                detail: Arc::clone(detail),
                outbox,
                generation,
            };
            kept.insert(detail.id.clone(), entry, weight);
        }
    }
}

/// What a document costs kept: its texts, which are nearly all of it, and a fixed share
/// for the rest.
fn weight(d: &DocumentDetail) -> usize {
    let texts = |v: &[String]| v.iter().map(|s| s.len() + 24).sum::<usize>();
    OVERHEAD
        + d.title.len()
        + texts(&d.body)
        + d.body_html.as_ref().map_or(0, String::len)
        + d.interpretations
            .iter()
            .map(|i| i.title.len() + texts(&i.body) + 256)
            .sum::<usize>()
        + d.qa
            .iter()
            .map(|q| q.question.len() + q.answer.len() + 256)
            .sum::<usize>()
        + (d.related.len() + d.versions.len() + d.validity_history.len() + d.attachments.len())
            * 256
}
