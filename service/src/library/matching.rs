//! Which documents a question matches, for its total and facet counts, from kept sets of
//! the documents of its common words.
//!
//! A question (any of its words may match, in any of six fields) matched more than half of
//! the library, and counting it merged some sixty lists of postings, the long ones those of
//! a few common words asked again and again. The documents of a word that one in
//! [`COMMON_SHARE`] of a segment's documents have are kept as a bitset, a bit per document
//! (no more than its postings take), so counting a question ORs a few kept sets and reads
//! the postings of its rarer words only.
//!
//! - A set is of one segment, which never changes; deletions are applied when counting.
//! - Memory is bounded: at most [`MAX_BYTES`] of sets, oldest out first, whatever the
//!   words asked; sets of segments merged away are never asked for again and go in turn.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::postings::BlockSegmentPostings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Searcher, SegmentReader, Term};

use super::counting::{FacetCounter, FacetFruit};
use crate::kept::Kept;

/// The bytes of sets kept, all segments together.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// A word's documents are kept as a set when at least one in this many of a segment's
/// documents has it: its postings take about as much.
const COMMON_SHARE: u32 = 16;

/// The documents of common words, per segment (see the module's notes).
pub(crate) struct WordSets {
    kept: Mutex<Kept<Arc<Vec<u64>>>>,
}

impl WordSets {
    pub fn new() -> Self {
        Self::within(MAX_BYTES)
    }

    /// Sets kept within `max_bytes`.
    pub fn within(max_bytes: usize) -> Self {
        WordSets {
            kept: Mutex::new(Kept::new(max_bytes)),
        }
    }

    /// How many live documents have any of `terms`, and their facet counts.
    pub fn count_any(
        &self,
        searcher: &Searcher,
        terms: &[Term],
        counter: &FacetCounter,
    ) -> tantivy::Result<(usize, FacetFruit)> {
        let mut terms = terms.to_vec();
        terms.sort();
        terms.dedup();
        let mut total = 0;
        let mut fruits = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let matched = self.any(segment, &terms)?;
            let mut counts = counter.for_segment(ord as u32, segment)?;
            let alive = segment.alive_bitset();
            for (at, &word) in matched.iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    let doc = (at * 64) as DocId + bits.trailing_zeros();
                    bits &= bits - 1;
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        total += 1;
                        counts.collect(doc, 0.0);
                    }
                }
            }
            fruits.push(counts.harvest());
        }
        Ok((total, counter.merge_fruits(fruits)?))
    }

    /// The documents of `segment` (deleted or not) having any of `terms`, a bit each.
    fn any(&self, segment: &SegmentReader, terms: &[Term]) -> tantivy::Result<Vec<u64>> {
        let max_doc = segment.max_doc();
        let mut matched = vec![0u64; words(max_doc)];
        let segment_id = segment.segment_id().uuid_string();
        for term in terms {
            let key = key(&segment_id, term);
            let set = self.lock().get(&key).map(|(set, _)| Arc::clone(set));
            if let Some(set) = set {
                for (into, from) in matched.iter_mut().zip(set.iter()) {
                    *into |= from;
                }
                continue;
            }
            let inverted = segment.inverted_index(term.field())?;
            let Some(info) = inverted.get_term_info(term)? else {
                continue;
            };
            let postings =
                inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            if info.doc_freq.saturating_mul(COMMON_SHARE) < max_doc {
                insert_all(&mut matched, postings);
                continue;
            }
            let mut set = vec![0u64; words(max_doc)];
            insert_all(&mut set, postings);
            for (into, from) in matched.iter_mut().zip(set.iter()) {
                *into |= from;
            }
            let weight = set.len() * 8 + key.len();
            let mut kept = self.lock();
            if kept.admits(weight) {
                kept.insert(key, Arc::new(set), weight);
            }
        }
        Ok(matched)
    }

    /// The bytes kept now (within the bound).
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.lock().bytes()
    }

    /// The sets are only a cache: a panic elsewhere while they were held leaves them usable.
    fn lock(&self) -> MutexGuard<'_, Kept<Arc<Vec<u64>>>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Words of 64 bits for `max_doc` documents.
fn words(max_doc: DocId) -> usize {
    (max_doc as usize).div_ceil(64)
}

/// A set's key: its segment, its field and its word (as hex: a term's bytes need not be
/// text).
fn key(segment_id: &str, term: &Term) -> String {
    let value: String = term
        .serialized_value_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!(
        "{segment_id}/{}/{:?}/{value}",
        term.field().field_id(),
        term.typ()
    )
}

fn insert_all(set: &mut [u64], mut postings: BlockSegmentPostings) {
    while !postings.docs().is_empty() {
        for &doc in postings.docs() {
            if let Some(word) = set.get_mut(doc as usize / 64) {
                *word |= 1 << (doc % 64);
            }
        }
        postings.advance();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{STRING, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    #[test]
    fn kept_sets_stay_within_their_bound_however_many_common_words_are_asked() -> tantivy::Result<()>
    {
        // 64 documents, each with every one of 3,000 words: every word is common.
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let topic = schema.add_text_field("f_topic", STRING | tantivy::schema::FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        let words: Vec<String> = (0..3000).map(|i| format!("词{i}")).collect();
        for d in 0..64 {
            let mut doc = TantivyDocument::new();
            for w in &words {
                doc.add_text(word, w);
            }
            doc.add_text(topic, if d % 4 == 0 { "就业" } else { "教育" });
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let ords = Arc::new(super::super::counting::FacetOrds::new(
            vec!["f_topic".into()],
            Vec::new(),
        ));
        let bound = 16 * 1024;
        let sets = WordSets::within(bound);
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(word, w))
            .collect();
        // Asked in batches of 30 (a long question's worth), then all at once.
        for batch in terms.chunks(30) {
            let (total, counts) = sets.count_any(&searcher, batch, &ords.counter())?;
            assert_eq!(total, 64);
            assert_eq!(counts["f_topic"]["就业"], 16);
            assert!(sets.bytes() <= bound, "{} bytes kept", sets.bytes());
        }
        assert!(
            sets.bytes() > bound / 2,
            "sets were kept: {} bytes",
            sets.bytes()
        );
        let (total, _) = sets.count_any(&searcher, &terms, &ords.counter())?;
        assert_eq!(total, 64);
        assert!(sets.bytes() <= bound, "{} bytes kept", sets.bytes());
        Ok(())
    }
}
