//! Facet counts in the same pass as the hits, from a table of each document's facet values
//! laid out once per segment.
//!
//! Decoding tantivy's string columns for every matching document was most of the cost of a
//! search that matches many documents (a long question matches a good part of the
//! library). Segments never change, so each one's values are laid out when a reader first
//! sees it (a tantivy warmer, at reload, not on a visitor's search) in one flat array,
//! from which a count is one increment per value.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::{
    DocId, Score, Searcher, SearcherGeneration, SegmentOrdinal, SegmentReader, TantivyError, Warmer,
};

/// Counts of values per counted column.
pub(crate) type FacetFruit = HashMap<String, HashMap<String, u64>>;

/// Values of one column that mark a document (in force; national legislation), for ranking
/// to read from the same table. Mark `i` of a list is bit `1 << i`.
pub(crate) struct Mark {
    pub column: String,
    pub values: Vec<String>,
}

/// The counted columns of an index and the tables of its live segments.
pub(crate) struct FacetOrds {
    columns: Vec<String>,
    marks: Vec<Mark>,
    segments: Mutex<HashMap<SegmentId, Arc<SegmentOrds>>>,
}

/// One segment's facet values, document by document, as positions in a flat count array.
pub(crate) struct SegmentOrds {
    columns: Vec<Option<StrColumn>>,
    /// Where each column's values start in the count array, and its length at the end.
    offsets: Vec<u32>,
    /// Document `d`'s positions are `positions[starts[d]..starts[d + 1]]`.
    starts: Vec<u32>,
    positions: Vec<u32>,
    /// Per document, the bits of the marks it carries.
    marks: Vec<u8>,
}

impl FacetOrds {
    /// At most eight marks, one bit each.
    pub fn new(columns: Vec<String>, marks: Vec<Mark>) -> FacetOrds {
        debug_assert!(marks.len() <= 8, "a mark is a bit of a byte");
        FacetOrds {
            columns,
            marks,
            segments: Mutex::new(HashMap::new()),
        }
    }

    /// A collector counting every column over the matching documents.
    pub fn counter(self: &Arc<Self>) -> FacetCounter {
        FacetCounter(Arc::clone(self))
    }

    /// The table of `segment`, laid out now if no reload has yet.
    pub fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentOrds>> {
        let id = segment.segment_id();
        if let Some(table) = self.segments().get(&id) {
            return Ok(Arc::clone(table));
        }
        let table = Arc::new(SegmentOrds::lay_out(&self.columns, &self.marks, segment)?);
        Ok(Arc::clone(self.segments().entry(id).or_insert(table)))
    }

    /// The map is only a cache: a panic elsewhere while it was held leaves it usable.
    fn segments(&self) -> MutexGuard<'_, HashMap<SegmentId, Arc<SegmentOrds>>> {
        self.segments.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Warmer for FacetOrds {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            self.of(segment)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live: &[&SearcherGeneration]) {
        self.segments()
            .retain(|id, _| live.iter().any(|g| g.segments().contains_key(id)));
    }
}

impl SegmentOrds {
    fn lay_out(names: &[String], marks: &[Mark], segment: &SegmentReader) -> tantivy::Result<Self> {
        let fast = segment.fast_fields();
        let columns = names
            .iter()
            .map(|name| fast.str(name))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut offsets = Vec::with_capacity(columns.len() + 1);
        let mut end = 0;
        for column in &columns {
            offsets.push(position(end)?);
            end += column.as_ref().map_or(0, |c| c.num_terms());
        }
        offsets.push(position(end)?);
        // (bit, column, ordinals) of each mark whose column the segment has.
        let mark_ords: Vec<(u8, usize, Vec<u64>)> = marks
            .iter()
            .zip(0u8..)
            .filter_map(|(mark, bit)| {
                let i = names.iter().position(|n| *n == mark.column)?;
                let dictionary = columns[i].as_ref()?.dictionary();
                let ords = mark
                    .values
                    .iter()
                    .filter_map(|v| dictionary.term_ord(v.as_bytes()).ok().flatten())
                    .collect();
                Some((1 << bit, i, ords))
            })
            .collect();

        let max_doc = segment.max_doc() as usize;
        let mut starts = Vec::with_capacity(max_doc + 1);
        let mut positions = Vec::with_capacity(max_doc * columns.len());
        let mut doc_marks = vec![0u8; max_doc];
        for (doc, doc_mark) in (0..).zip(doc_marks.iter_mut()) {
            starts.push(position(positions.len())?);
            for (i, column) in columns.iter().enumerate() {
                let Some(column) = column else { continue };
                for ord in column.term_ords(doc) {
                    positions.push(offsets[i] + position(ord as usize)?);
                    for (bit, _, ords) in mark_ords.iter().filter(|(_, c, _)| *c == i) {
                        if ords.contains(&ord) {
                            *doc_mark |= bit;
                        }
                    }
                }
            }
        }
        starts.push(position(positions.len())?);
        Ok(SegmentOrds {
            columns,
            offsets,
            starts,
            positions,
            marks: doc_marks,
        })
    }

    /// The bits of the marks `doc` carries.
    pub fn marks(&self, doc: DocId) -> u8 {
        self.marks.get(doc as usize).copied().unwrap_or(0)
    }

    fn positions(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.starts.get(d), self.starts.get(d + 1)) {
            (Some(&a), Some(&b)) => self.positions.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

fn position(n: usize) -> tantivy::Result<u32> {
    u32::try_from(n).map_err(|_| TantivyError::InternalError("too many facet values".into()))
}

/// Counts the values of every counted column (`f_type`, `f_issuer`, …) over the matching
/// documents; value names are looked up once per segment at the end.
pub(crate) struct FacetCounter(Arc<FacetOrds>);

pub(crate) struct SegmentFacetCounter {
    ords: Arc<FacetOrds>,
    table: Arc<SegmentOrds>,
    counts: Vec<u32>,
}

impl Collector for FacetCounter {
    type Fruit = FacetFruit;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let table = self.0.of(segment)?;
        let len = table.offsets.last().copied().unwrap_or(0) as usize;
        Ok(SegmentFacetCounter {
            ords: Arc::clone(&self.0),
            table,
            counts: vec![0; len],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut merged = FacetFruit::new();
        for fruit in fruits {
            for (facet, counts) in fruit {
                let into = merged.entry(facet).or_default();
                for (value, n) in counts {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        for &p in self.table.positions(doc) {
            if let Some(c) = self.counts.get_mut(p as usize) {
                *c += 1;
            }
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut fruit = FacetFruit::new();
        let table = &self.table;
        for (i, (name, column)) in self.ords.columns.iter().zip(&table.columns).enumerate() {
            let Some(column) = column else { continue };
            let (start, end) = (table.offsets[i] as usize, table.offsets[i + 1] as usize);
            let (ords, ns): (Vec<u64>, Vec<u64>) = (self.counts.get(start..end))
                .unwrap_or(&[])
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(ord, n)| (ord as u64, u64::from(*n)))
                .unzip();
            let values = fruit.entry(name.clone()).or_default();
            // In one sorted pass: each dictionary block is decompressed once, not per value.
            let mut ns = ns.into_iter();
            let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |value| {
                if let Some(n) = ns.next() {
                    values.insert(String::from_utf8_lossy(value).into_owned(), n);
                }
            });
        }
        fruit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::AllQuery;
    use tantivy::schema::{FAST, STRING, Schema};
    use tantivy::{Index, IndexWriter, ReloadPolicy, doc};

    #[test]
    fn each_live_segment_gets_its_table_at_reload_and_loses_it_when_merged_away()
    -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let topic = schema.add_text_field("f_topic", STRING | FAST);
        let index = Index::create_in_ram(schema.build());
        let ords = Arc::new(FacetOrds::new(vec!["f_topic".into()], Vec::new()));
        let warmer: std::sync::Weak<dyn Warmer> = Arc::downgrade(&ords) as std::sync::Weak<_>;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .warmers(vec![warmer])
            .try_into()?;
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        for value in ["就业", "教育", "就业"] {
            writer.add_document(doc!(topic => value))?;
            writer.commit()?;
            reader.reload()?;
        }
        assert_eq!(ords.segments().len(), 3, "laid out before any search");
        let counted = |reader: &tantivy::IndexReader| -> tantivy::Result<FacetFruit> {
            reader.searcher().search(&AllQuery, &ords.counter())
        };
        let before = counted(&reader)?;
        assert_eq!(before["f_topic"]["就业"], 2);
        assert_eq!(before["f_topic"]["教育"], 1);

        let segments = index.searchable_segment_ids()?;
        writer.merge(&segments).wait()?;
        writer.commit()?;
        reader.reload()?;
        ords.garbage_collect(&[reader.searcher().generation()]);
        assert_eq!(
            ords.segments().len(),
            1,
            "only the merged segment's table is kept"
        );
        assert_eq!(counted(&reader)?, before);
        Ok(())
    }
}
