//! Facet counts in the same pass as the hits, from a table of each document's facet values
//! laid out once per segment.
//!
//! Decoding tantivy's string columns for every matching document was most of the cost of a
//! search that matches many documents (a long question matches a good part of the
//! library). Segments never change, so each one's values are laid out when a reader first
//! sees it (a tantivy warmer, at reload, not on a visitor's search) in one flat array,
//! from which a count is one increment per value.
//!
//! Most columns hold one value per document (its type, year, validity …), and few
//! combinations of them occur. Those columns are counted together: each document carries
//! the number of its combination, a count is one increment per document, and each
//! combination's count is added to its values once at the end. Columns with several values
//! per document (topics, audiences), or whose combinations would be too many, are counted
//! value by value.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
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
    /// The value at each position of the count array, looked up once: decoding the
    /// dictionaries for the values counted was a tenth of a search.
    values: Vec<String>,
    /// Where each column's values start in the count array, and its length at the end.
    offsets: Vec<u32>,
    /// Document `d`'s values in the columns counted together are those of combination
    /// `combos[d]` (empty when no column is).
    combos: Vec<u32>,
    /// Combination `c`'s positions are `combined[c]`.
    combined: Positions,
    /// Document `d`'s other values.
    separate: Positions,
    /// Per document, the bits of the marks it carries.
    marks: Vec<u8>,
}

/// Lists of positions in a flat count array, one after another.
struct Positions {
    /// List `i` is `positions[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    positions: Vec<u32>,
}

impl Positions {
    fn with_capacity(lists: usize, positions: usize) -> Self {
        let mut starts = Vec::with_capacity(lists + 1);
        starts.push(0);
        Positions {
            starts,
            positions: Vec::with_capacity(positions),
        }
    }

    fn push(&mut self, list: impl IntoIterator<Item = u32>) -> tantivy::Result<()> {
        self.positions.extend(list);
        self.starts.push(position(self.positions.len())?);
        Ok(())
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn get(&self, i: usize) -> &[u32] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.positions.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// The most combinations of values counted together: the end of every search adds up each
/// one's count, so there must be far fewer than documents.
const MAX_COMBINATIONS: usize = 4096;

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
        let mut values = Vec::with_capacity(end);
        for column in columns.iter().flatten() {
            let mut terms = column.dictionary().stream()?;
            while terms.advance() {
                values.push(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        if values.len() != end {
            return Err(tantivy::TantivyError::InternalError(format!(
                "{} values in the counted columns' dictionaries, {end} ordinals",
                values.len()
            )));
        }
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
        let mut all = Positions::with_capacity(max_doc, max_doc * columns.len());
        let mut doc_marks = vec![0u8; max_doc];
        // Whether a column has a document with more than one value.
        let mut several = vec![false; columns.len()];
        let mut doc_positions = Vec::new();
        for doc_mark in doc_marks.iter_mut() {
            let doc = all.len() as DocId;
            doc_positions.clear();
            for (i, column) in columns.iter().enumerate() {
                let Some(column) = column else { continue };
                let before = doc_positions.len();
                for ord in column.term_ords(doc) {
                    doc_positions.push(offsets[i] + position(ord as usize)?);
                    for (bit, _, ords) in mark_ords.iter().filter(|(_, c, _)| *c == i) {
                        if ords.contains(&ord) {
                            *doc_mark |= bit;
                        }
                    }
                }
                several[i] |= doc_positions.len() > before + 1;
            }
            all.push(doc_positions.iter().copied())?;
        }
        let column_of = |p: u32| offsets.partition_point(|&o| o <= p).saturating_sub(1);

        // Columns of one value per document, fewest values first, together while their
        // combinations stay few.
        let mut single: Vec<usize> = (0..columns.len())
            .filter(|&i| columns[i].is_some() && !several[i])
            .collect();
        single.sort_by_key(|&i| offsets[i + 1] - offsets[i]);
        let mut together = vec![false; columns.len()];
        for i in single {
            together[i] = true;
            let key = |doc: usize| -> Vec<u32> {
                all.get(doc)
                    .iter()
                    .copied()
                    .filter(|&p| together[column_of(p)])
                    .collect()
            };
            let distinct: std::collections::HashSet<Vec<u32>> = (0..max_doc).map(key).collect();
            if distinct.len() > MAX_COMBINATIONS {
                together[i] = false;
            }
        }

        let mut combos = Vec::new();
        let mut combined = Positions::with_capacity(0, 0);
        let mut separate = Positions::with_capacity(max_doc, all.positions.len());
        if together.iter().any(|t| *t) {
            let mut numbers: HashMap<Vec<u32>, u32> = HashMap::new();
            combos.reserve(max_doc);
            for doc in 0..max_doc {
                let (key, rest): (Vec<u32>, Vec<u32>) =
                    all.get(doc).iter().partition(|&&p| together[column_of(p)]);
                let number = match numbers.get(&key) {
                    Some(&number) => number,
                    None => {
                        let number = position(numbers.len())?;
                        combined.push(key.iter().copied())?;
                        numbers.insert(key, number);
                        number
                    }
                };
                combos.push(number);
                separate.push(rest)?;
            }
        } else {
            separate = all;
        }
        Ok(SegmentOrds {
            values,
            offsets,
            combos,
            combined,
            separate,
            marks: doc_marks,
        })
    }

    /// The bits of the marks `doc` carries.
    pub fn marks(&self, doc: DocId) -> u8 {
        self.marks.get(doc as usize).copied().unwrap_or(0)
    }
}

fn position(n: usize) -> tantivy::Result<u32> {
    u32::try_from(n).map_err(|_| TantivyError::InternalError("too many facet values".into()))
}

/// Counts the values of every counted column (`f_type`, `f_issuer`, …) over the matching
/// documents; the values counted are named from the segment's table at the end.
pub(crate) struct FacetCounter(Arc<FacetOrds>);

pub(crate) struct SegmentFacetCounter {
    ords: Arc<FacetOrds>,
    table: Arc<SegmentOrds>,
    counts: Vec<u32>,
    /// Documents per combination of the columns counted together.
    combinations: Vec<u32>,
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
            combinations: vec![0; table.combined.len()],
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
        let table = &*self.table;
        if let Some(n) =
            (table.combos.get(doc as usize)).and_then(|&c| self.combinations.get_mut(c as usize))
        {
            *n += 1;
        }
        for &p in table.separate.get(doc as usize) {
            if let Some(c) = self.counts.get_mut(p as usize) {
                *c += 1;
            }
        }
    }

    fn harvest(mut self) -> FacetFruit {
        let table = &*self.table;
        for (c, &n) in self
            .combinations
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
        {
            for &p in table.combined.get(c) {
                if let Some(count) = self.counts.get_mut(p as usize) {
                    *count += n;
                }
            }
        }
        let mut fruit = FacetFruit::new();
        for (i, name) in self.ords.columns.iter().enumerate() {
            let (start, end) = (table.offsets[i] as usize, table.offsets[i + 1] as usize);
            let counted = (self.counts.get(start..end).unwrap_or(&[]).iter())
                .zip(table.values.get(start..end).unwrap_or(&[]))
                .filter(|(n, _)| **n > 0);
            let values = fruit.entry(name.clone()).or_default();
            for (&n, value) in counted {
                values.insert(value.clone(), u64::from(n));
            }
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

    #[test]
    fn counts_are_the_same_whether_columns_are_counted_together_or_value_by_value()
    -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        // Few values, one each: counted together. Many values, one each: too many
        // combinations, so value by value. Several values per document: value by value.
        let kind = schema.add_text_field("f_type", STRING | FAST);
        let validity = schema.add_text_field("f_validity", STRING | FAST);
        let number = schema.add_text_field("f_number", STRING | FAST);
        let topic = schema.add_text_field("f_topic", STRING | FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        let n = MAX_COMBINATIONS * 2;
        let mut expected: HashMap<String, HashMap<String, u64>> = HashMap::new();
        let mut count = |column: &str, value: String, matched: bool| {
            if matched {
                *expected
                    .entry(column.into())
                    .or_default()
                    .entry(value)
                    .or_default() += 1;
            }
        };
        for i in 0..n {
            let mut d = tantivy::TantivyDocument::default();
            // Every third document matches the query below.
            let matched = i % 3 == 0;
            d.add_text(kind, format!("类型{}", i % 4));
            count("f_type", format!("类型{}", i % 4), matched);
            if i % 5 != 0 {
                d.add_text(validity, format!("有效性{}", i % 2));
                count("f_validity", format!("有效性{}", i % 2), matched);
            }
            d.add_text(number, format!("号{i}"));
            count("f_number", format!("号{i}"), matched);
            for t in 0..(i / 3) % 3 {
                d.add_text(topic, format!("主题{}", (i + t) % 7));
                count("f_topic", format!("主题{}", (i + t) % 7), matched);
            }
            writer.add_document(d)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let columns = ["f_type", "f_validity", "f_number", "f_topic"];
        let ords = Arc::new(FacetOrds::new(
            columns.map(String::from).to_vec(),
            Vec::new(),
        ));
        let table = ords.of(searcher.segment_reader(0))?;
        assert!(table.combined.len() > 0 && table.combined.len() <= MAX_COMBINATIONS);

        let every_third: Vec<(tantivy::query::Occur, Box<dyn tantivy::query::Query>)> = (0..n)
            .step_by(3)
            .map(|i| {
                let term = tantivy::Term::from_field_text(number, &format!("号{i}"));
                let q =
                    tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
                (
                    tantivy::query::Occur::Should,
                    Box::new(q) as Box<dyn tantivy::query::Query>,
                )
            })
            .collect();
        let counted = searcher.search(
            &tantivy::query::BooleanQuery::new(every_third),
            &ords.counter(),
        )?;
        for column in columns {
            assert_eq!(counted[column], expected[column], "{column}");
        }
        Ok(())
    }
}
