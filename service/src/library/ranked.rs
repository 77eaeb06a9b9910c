//! The top hits of a question by score with the standing bonus, skipping what cannot rank.
//!
//! A question (any one of its words may match) matches a good part of the library, and
//! scoring every match to keep ten was most of a search's cost. Counting the matches (the
//! total and the facet counts) needs no scores, and the top hits need not look at blocks of
//! postings whose best possible score cannot reach the tenth best so far (block-max WAND,
//! which tantivy runs for a flat disjunction of terms). The bonus for a document's standing
//! is added after the text score, so a block is skipped only when even the largest bonus
//! could not lift it into the top: the hits are exactly those of scoring every match.

use std::cmp::Ordering;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery, Weight};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, Term};

use super::counting::FacetOrds;

/// The query as one flat disjunction, when it is one however nested: a Boolean query
/// whose only clause is optional (or required) matches and scores exactly as that clause.
/// Optional clauses of which more than one must match are no disjunction.
pub(crate) fn as_disjunction(query: &dyn Query) -> Option<&BooleanQuery> {
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    if boolean.get_minimum_number_should_match() > 1 {
        return None;
    }
    match boolean.clauses() {
        [(Occur::Should | Occur::Must, inner)] => as_disjunction(inner.as_ref()),
        clauses if clauses.iter().all(|(occur, _)| *occur == Occur::Should) => Some(boolean),
        _ => None,
    }
}

/// The terms of a disjunction each of whose clauses is a query of one term, boosted or
/// not (as the text query builds them): the documents it matches are those having any.
pub(crate) fn terms_of(disjunction: &BooleanQuery) -> Option<Vec<Term>> {
    let mut all = Vec::new();
    for (_, clause) in disjunction.clauses() {
        let of_a_term = clause.downcast_ref::<TermQuery>().is_some()
            || clause.downcast_ref::<BoostQuery>().is_some();
        let mut terms = Vec::new();
        clause.query_terms(&mut |term, _| terms.push(term.clone()));
        if !of_a_term || terms.len() != 1 {
            return None;
        }
        all.append(&mut terms);
    }
    Some(all)
}

/// The best `limit` documents after `offset` by their [`rank`](Self::rank), best first;
/// equal ranks in index order, as tantivy's top documents.
pub(crate) struct RankedTop {
    pub ords: Arc<FacetOrds>,
    pub offset: usize,
    pub limit: usize,
    /// A document's rank from its text score and its marks: never more than the text
    /// score plus [`max_bonus`](Self::max_bonus).
    pub rank: fn(Score, u8) -> Score,
    pub max_bonus: Score,
}

/// A document kept for the top: its score and where it is.
#[derive(Clone, Copy)]
struct Ranked {
    score: Score,
    address: DocAddress,
}

impl Ranked {
    /// Better first: higher score, then earlier in the index.
    fn better(&self, other: &Ranked) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.address.cmp(&other.address))
    }
}

impl Collector for RankedTop {
    type Fruit = Vec<DocAddress>;
    type Child = NoCollection;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<NoCollection> {
        Ok(NoCollection)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let table = self.ords.of(reader)?;
        let k = self.offset + self.limit;
        if k == 0 {
            return Ok(Vec::new());
        }
        // The k best so far, worst last once full.
        let mut top: Vec<Ranked> = Vec::with_capacity(k + 1);
        let alive = reader.alive_bitset();
        let mut threshold = Score::MIN;
        weight.for_each_pruning(Score::MIN, reader, &mut |doc: DocId, score: Score| {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                return threshold;
            }
            let ranked = Ranked {
                score: (self.rank)(score, table.marks(doc)),
                address: DocAddress::new(segment_ord, doc),
            };
            let at = top.partition_point(|r| r.better(&ranked) == Ordering::Less);
            if at < k {
                top.insert(at, ranked);
                top.truncate(k);
            }
            if top.len() == k {
                // A text score at or below this cannot reach the k-th even with the
                // largest bonus (the margin covers the rank's rounding).
                threshold = top[k - 1].score - self.max_bonus - MARGIN;
            }
            threshold
        })?;
        Ok(top.into_iter().map(|r| (r.score, r.address)).collect())
    }

    fn merge_fruits(
        &self,
        segments: Vec<Vec<(Score, DocAddress)>>,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let mut all: Vec<Ranked> = segments
            .into_iter()
            .flatten()
            .map(|(score, address)| Ranked { score, address })
            .collect();
        all.sort_by(Ranked::better);
        Ok(all
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .map(|r| r.address)
            .collect())
    }
}

/// What [`RankedTop`] collects per document: nothing, it collects a segment at a time.
pub(crate) struct NoCollection;

impl SegmentCollector for NoCollection {
    type Fruit = Vec<(Score, DocAddress)>;
    fn collect(&mut self, _: DocId, _: Score) {}
    fn harvest(self) -> Self::Fruit {
        Vec::new()
    }
}

const MARGIN: Score = 1e-3;
