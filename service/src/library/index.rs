//! The tantivy search index over published documents: Chinese full text on title, document
//! number and body; every facet as a tantivy facet, counted in the same pass as the hits.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use domain::library::{
    DocNumber, DocType, Facet, FacetCount, LibraryQuery, Section, Sort, Validity,
};
use std::collections::HashMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Facet as TFacet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, SegmentReader,
    TantivyDocument, Term, Warmer,
};

use super::counting::{FacetCounter, FacetFruit, FacetOrds, Mark};
use super::matching::WordSets;
use super::ranked::{self, RankedTop};
use super::synonyms;
use super::tokenize::{self, ZH, ZhTokenizer};
use crate::error::Result;
use domain::text::escape_html;

/// What the index needs to know about one document.
#[derive(Debug, Clone)]
pub struct IndexedDoc {
    pub id: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub body: String,
    /// Its interpretations' titles and texts: a question answered there finds the document.
    pub explained: String,
    /// Questions people asked about it in their own words (Q&A entries, public
    /// consultations): the next person asking the same way finds it.
    pub asked: String,
    /// `(facet, value)` pairs; a facet may repeat (several topics).
    pub facets: Vec<(Facet, String)>,
    /// Days since 1970-01-01 of the publication date (0 when unknown), for date order.
    pub published_day: i64,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    number: Field,
    number_key: Field,
    issuer: Field,
    body: Field,
    explained: Field,
    asked: Field,
    facets: Field,
    /// One string fast field per facet (`f_type`, `f_issuer`, …), for counting.
    facet_values: [Field; 7],
    published: Field,
}

/// A ranked result: document id plus score (or date for date order).
#[derive(Debug, Clone)]
pub struct RankedHit {
    pub id: String,
}

/// The raw answer of the index to a library query.
#[derive(Debug)]
pub struct IndexAnswer {
    pub total: u64,
    pub hits: Vec<RankedHit>,
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// The text part of the query, for snippets; `None` when only filters were given.
    pub text_query: Option<Box<dyn Query>>,
}

pub struct SearchIndex {
    core: Core,
    fields: Fields,
    /// The documents of common words, for counting questions.
    sets: WordSets,
}

/// A tantivy index with its reader and its one writer: what every index of zhengce shares.
///
/// Every commit carries the index's outbox cursor in its payload: the id of the last outbox
/// event whose change the index holds. It survives restarts with the index, so a process
/// that stopped between a database commit and indexing catches up from there.
pub(crate) struct Core {
    pub index: Index,
    pub reader: IndexReader,
    /// The facet table of each live segment, laid out as the reader reloads.
    pub ords: Arc<FacetOrds>,
    writer: Mutex<IndexWriter>,
    /// The outbox cursor; [`NO_CURSOR`] when the index does not know (built before
    /// cursors, or cleared for a rebuild).
    cursor: AtomicI64,
}

const NO_CURSOR: i64 = -1;
/// How the cursor is written in a commit's payload.
const CURSOR_PREFIX: &str = "outbox=";

impl Core {
    /// The Chinese tokenizer, a manual reader that lays out the facet table of each new
    /// segment, the writer.
    ///
    /// A search runs on the thread that asks, segment after segment. As many searches run
    /// at once as there are cores (see [`crate::off_the_workers`]), so a pool of search
    /// threads made no search faster under a crowd and cost each search two thread
    /// switches per pass, even over an index of one segment.
    pub fn new(index: Index, ords: FacetOrds) -> Result<Core> {
        index.tokenizers().register(ZH, ZhTokenizer);
        let ords = Arc::new(ords);
        let warmer: Weak<dyn Warmer> = Arc::downgrade(&ords) as Weak<FacetOrds>;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .warmers(vec![warmer])
            .try_into()?;
        let writer = Mutex::new(index.writer(WRITER_HEAP)?);
        let cursor = index
            .load_metas()?
            .payload
            .and_then(|p| p.strip_prefix(CURSOR_PREFIX)?.parse::<i64>().ok())
            .unwrap_or(NO_CURSOR);
        Ok(Core {
            index,
            reader,
            ords,
            writer,
            cursor: AtomicI64::new(cursor),
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The last outbox event this index holds, if it knows.
    pub fn cursor(&self) -> Option<i64> {
        Some(self.cursor.load(Ordering::SeqCst)).filter(|c| *c != NO_CURSOR)
    }

    /// The one index writer; a panic while it was held leaves it unusable.
    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>> {
        self.writer
            .lock()
            .map_err(|_| crate::ServiceError::Search("index writer poisoned".into()))
    }

    /// Commits with the cursor in the payload (tantivy drops a payload a commit does not
    /// repeat), then makes the commit searchable.
    fn commit(
        &self,
        mut writer: std::sync::MutexGuard<'_, IndexWriter>,
        cursor: Option<i64>,
    ) -> Result<()> {
        let cursor = cursor.unwrap_or_else(|| self.cursor.load(Ordering::SeqCst));
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&format!("{CURSOR_PREFIX}{cursor}"));
        prepared.commit()?;
        self.cursor.store(cursor, Ordering::SeqCst);
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Adds or replaces documents keyed by `(id, document)` on `id_field`, removes the ids
    /// in `gone`, and makes it searchable in one commit; with `cursor`, the index then
    /// holds every outbox event up to it.
    pub fn apply<'a>(
        &self,
        id_field: Field,
        docs: impl Iterator<Item = (&'a str, TantivyDocument)>,
        gone: &[String],
        cursor: Option<i64>,
    ) -> Result<()> {
        let docs: Vec<(&str, TantivyDocument)> = docs.collect();
        if docs.is_empty() && gone.is_empty() && self.cursor().is_some() {
            // Nothing to write: the cursor moves in memory, and the next commit keeps it
            // (after a restart, those events are looked at once more, to no effect).
            if let Some(c) = cursor {
                self.cursor.store(c, Ordering::SeqCst);
            }
            return Ok(());
        }
        let writer = self.writer()?;
        for id in gone {
            writer.delete_term(Term::from_field_text(id_field, id));
        }
        for (id, doc) in docs {
            writer.delete_term(Term::from_field_text(id_field, id));
            writer.add_document(doc)?;
        }
        self.commit(writer, cursor)
    }

    /// Merges all segments into one. After a bulk load this makes every search cheaper:
    /// facet counting and term lookups pay per segment.
    pub fn compact(&self) -> Result<()> {
        let ids = self.index.searchable_segment_ids()?;
        if ids.len() > 1 {
            let mut writer = self.writer()?;
            // A merge the background policy already started makes this one fail; the
            // index stays correct either way, so that is only worth a log line.
            if let Err(e) = writer.merge(&ids).wait() {
                tracing::warn!(error = %e, "index compaction skipped");
            }
            // The merged-away segments' files are deleted now, not at the next commit.
            if let Err(e) = writer.garbage_collect_files().wait() {
                tracing::warn!(error = %e, "index file clean-up skipped");
            }
            drop(writer);
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Removes every document; the index no longer knows its cursor until a rebuild
    /// sets one.
    pub fn clear(&self) -> Result<()> {
        let writer = self.writer()?;
        writer.delete_all_documents()?;
        self.commit(writer, Some(NO_CURSOR))
    }
}

/// Version of what the index holds beyond its schema (how fields are analysed). Bump it
/// when that changes: an index of another version is rebuilt from the database on start.
const FORMAT: u32 = 5;
const FORMAT_FILE: &str = "zhengce-format";

/// Facet values listed per facet on a page; the long tail is reachable by search.
const FACET_VALUES_SHOWN: usize = 40;
/// A title word in more than one title in this many is too common to relate documents…
const RELATED_COMMON_SHARE: u64 = 20;
/// …unless it is in at most this many (a small library has no such words).
const RELATED_COMMON_MIN: u64 = 50;
/// Below this many strict matches, a query is run again matching any of its words.
pub(crate) const LOOSE_BELOW: u64 = 10;
/// Longest snippet shown under a result, in characters.
pub(crate) const SNIPPET_CHARS: usize = 120;
const WRITER_HEAP: usize = 64 * 1024 * 1024;
/// Weight of official terms added for a visitor's everyday words, relative to their own.
const EXPANSION_WEIGHT: f32 = 0.6;
/// Score added to documents in force, so a current text outranks its repealed versions.
const IN_FORCE_BONUS: f32 = 1.0;
/// Score added to national legislation (see [`NATIONAL_LEGISLATION`]).
const NATIONAL_BONUS: f32 = 1.0;
const NATIONAL_LEGISLATION: [DocType; 3] = [
    DocType::Constitution,
    DocType::Law,
    DocType::AdministrativeRegulation,
];

impl SearchIndex {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let zh = zh_text;
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            title: b.add_text_field("title", zh(false)),
            number: b.add_text_field("number", zh(false)),
            number_key: b.add_text_field("number_key", STRING),
            issuer: b.add_text_field("issuer", zh(false)),
            body: b.add_text_field("body", zh(false)),
            explained: b.add_text_field("explained", zh(false)),
            asked: b.add_text_field("asked", zh(false)),
            facets: b.add_facet_field("facets", FacetOptions::default()),
            facet_values: std::array::from_fn(|i| {
                b.add_text_field(&count_field(Facet::ALL[i]), STRING | FAST)
            }),
            published: b.add_i64_field("published", INDEXED | FAST),
        };
        (b.build(), fields)
    }

    /// Opens the index in `dir`, creating it when missing. Returns whether it was created.
    pub fn open_in_dir(dir: &Path) -> Result<(Self, bool)> {
        let (schema, fields) = Self::schema();
        let (index, created) = open_dir(dir, schema, FORMAT)?;
        Ok((Self::from_index(index, fields)?, created))
    }

    /// An index in memory, for tests and one-off tools.
    pub fn in_memory() -> Result<Self> {
        let (schema, fields) = Self::schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<Self> {
        let counted = Facet::ALL.iter().map(|f| count_field(*f)).collect();
        Ok(Self {
            core: Core::new(index, FacetOrds::new(counted, marks()))?,
            fields,
            sets: WordSets::new(),
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.core.num_docs()
    }

    /// Adds or replaces documents, removes the ids in `gone` and makes it searchable; with
    /// `cursor`, the index then holds every outbox event up to it.
    pub fn apply(&self, docs: &[IndexedDoc], gone: &[String], cursor: Option<i64>) -> Result<()> {
        self.core.apply(
            self.fields.id,
            docs.iter().map(|d| (d.id.as_str(), self.to_tantivy(d))),
            gone,
            cursor,
        )
    }

    /// The last outbox event this index holds, if it knows.
    pub fn cursor(&self) -> Option<i64> {
        self.core.cursor()
    }

    /// Merges all segments into one (after a bulk load).
    pub fn compact(&self) -> Result<()> {
        self.core.compact()
    }

    /// Removes every document, before a rebuild from the database.
    pub fn clear(&self) -> Result<()> {
        self.core.clear()
    }

    fn to_tantivy(&self, d: &IndexedDoc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.title, tokenize::without_state_name(&d.title));
        if let Some(number) = &d.doc_number {
            doc.add_text(f.number, number);
            if let Some(key) = DocNumber::parse(number) {
                doc.add_text(f.number_key, key.as_str());
            }
        }
        if let Some(issuer) = &d.issuer {
            doc.add_text(f.issuer, issuer);
        }
        doc.add_text(f.body, &d.body);
        doc.add_text(f.explained, &d.explained);
        doc.add_text(f.asked, &d.asked);
        for (facet, value) in &d.facets {
            doc.add_facet(f.facets, facet_term(*facet, value));
            if let Some(i) = Facet::ALL.iter().position(|x| x == facet) {
                doc.add_text(f.facet_values[i], value);
            }
        }
        doc.add_i64(f.published, d.published_day);
        doc
    }

    /// Runs a library query: hits for the page, the total and counts for every facet.
    pub fn search(&self, q: &LibraryQuery) -> Result<IndexAnswer> {
        let text_query = q.q.as_deref().and_then(|text| self.text_query(text));
        if let (Some(text), Some(_)) = (q.q.as_deref(), &text_query) {
            let strict = self.run(q, text_query)?;
            // A handful of strict matches may miss what a looser reading finds; the loose
            // query still ranks documents that match more words first.
            if strict.total >= LOOSE_BELOW {
                return Ok(strict);
            }
            let loose = self.text_query_with(text, true);
            return self.run(q, loose);
        }
        self.run(q, text_query)
    }

    fn run(&self, q: &LibraryQuery, text_query: Option<Box<dyn Query>>) -> Result<IndexAnswer> {
        let f = self.fields;
        let searcher = self.core.reader.searcher();

        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match &text_query {
            // Bonuses for documents in force and for national legislation are added to
            // the scores of matching documents when they are collected (see `Bonus`).
            Some(tq) => must.push((Occur::Must, tq.box_clone())),
            None if q.q.is_some() => {
                // Search text with nothing searchable in it matches nothing.
                return Ok(IndexAnswer {
                    total: 0,
                    hits: Vec::new(),
                    facets: BTreeMap::new(),
                    text_query: None,
                });
            }
            None => must.push((Occur::Must, Box::new(AllQuery))),
        }
        for (facet, value) in &q.filters {
            must.push((Occur::Must, Box::new(self.facet_query(*facet, value))));
        }
        if q.section == Section::Void {
            let void: Vec<(Occur, Box<dyn Query>)> = [Validity::Abolished, Validity::Expired]
                .iter()
                .map(|v| -> (Occur, Box<dyn Query>) {
                    (
                        Occur::Should,
                        Box::new(self.facet_query(Facet::Validity, v.as_str())),
                    )
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(void))));
        }
        let text_alone = must.len() == 1;
        let query = BooleanQuery::new(must);

        let offset = ((q.page.max(1) - 1) * domain::library::PAGE_SIZE) as usize;
        let limit = domain::library::PAGE_SIZE as usize;
        let by_relevance = q.sort == Sort::Relevance && text_query.is_some();
        // A question with no filter: counted without scores, its top found by pruning.
        let disjunction = text_query
            .as_deref()
            .filter(|_| by_relevance && text_alone)
            .and_then(ranked::as_disjunction);
        let (total, addresses, facet_counts) = match disjunction {
            Some(terms) => {
                let counter = self.core.ords.counter();
                let (total, counts) = match ranked::terms_of(terms) {
                    Some(words) => self.sets.count_any(&searcher, &words, &counter)?,
                    None => searcher.search(terms, &(Count, counter))?,
                };
                let top = RankedTop {
                    ords: Arc::clone(&self.core.ords),
                    offset,
                    limit,
                    rank,
                    // Every mark set: the most any standing adds.
                    max_bonus: bonus(u8::MAX),
                };
                (total, searcher.search(terms, &top)?, counts)
            }
            None => self.one_pass(&searcher, &query, offset, limit, by_relevance)?,
        };

        let hits = stored_ids(&searcher, f.id, &addresses)?
            .into_iter()
            .map(|id| RankedHit { id })
            .collect();

        let mut facets = BTreeMap::new();
        for facet in Facet::ALL {
            let counts = facet_counts.get(&count_field(*facet));
            // Years newest first; other values most frequent first.
            let values = top_values(counts, *facet == Facet::Year);
            facets.insert(facet.param().to_owned(), values);
        }

        Ok(IndexAnswer {
            total: total as u64,
            hits,
            facets,
            text_query,
        })
    }

    /// A page of hits (by score with the standing bonus, or newest first), the total and
    /// the facet counts, scoring every match in one pass.
    fn one_pass(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        offset: usize,
        limit: usize,
        by_relevance: bool,
    ) -> Result<(usize, Vec<DocAddress>, FacetFruit)> {
        let facet_collector = self.core.ords.counter();
        let top = TopDocs::with_limit(limit).and_offset(offset);
        if !by_relevance {
            return top_and_counts(searcher, query, top, false, facet_collector);
        }
        let ords = Arc::clone(&self.core.ords);
        let ranked = top.tweak_score(move |segment: &SegmentReader| {
            // A table that cannot be laid out fails the facet count of the same search.
            let table = ords.of(segment).ok();
            move |doc: DocId, score: Score| rank(score, table.as_ref().map_or(0, |t| t.marks(doc)))
        });
        let (total, top, counts) = searcher.search(query, &(Count, ranked, facet_collector))?;
        Ok((total, top.into_iter().map(|(_, a)| a).collect(), counts))
    }

    /// The id of the one document whose number is `number`, if exactly one has it.
    pub fn find_by_number(&self, number: &DocNumber) -> Result<Option<String>> {
        let searcher = self.core.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.number_key, number.as_str()),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(2).order_by_score())?;
        if top.len() != 1 {
            return Ok(None);
        }
        let doc: TantivyDocument = searcher.doc(top[0].1)?;
        Ok(doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_str())
            .map(str::to_owned))
    }

    /// What marks the words of `text_query` in hits' bodies.
    pub(crate) fn highlighter(&self, text_query: &dyn Query) -> Highlighter {
        Highlighter::new(text_query, self.fields.body)
    }

    /// Ids of documents most like `doc` by title terms, excluding itself.
    ///
    /// Words that open or close a large share of titles (关于, 印发, 通知, the city's
    /// name) say nothing about the subject and are left out: they made documents related by
    /// their form, and with them every view walked a good part of the index.
    pub fn related(&self, id: &str, title: &str, limit: usize) -> Result<Vec<String>> {
        let searcher = self.core.reader.searcher();
        let common = (searcher.num_docs() / RELATED_COMMON_SHARE).max(RELATED_COMMON_MIN);
        let mut terms = Vec::new();
        for t in tokenize::query_terms(title) {
            let term = Term::from_field_text(self.fields.title, &t);
            if searcher.doc_freq(&term)? <= common {
                terms.push(term);
            }
        }
        // A flat disjunction over titles alone, so the top-k search can skip blocks that
        // cannot compete (document pages run this on every view).
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .into_iter()
            .map(|term| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                )
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(clauses);
        let top = searcher.search(&query, &TopDocs::with_limit(limit + 1).order_by_score())?;
        let mut ids = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(other) = doc.get_first(self.fields.id).and_then(|v| v.as_str())
                && other != id
            {
                ids.push(other.to_owned());
            }
        }
        ids.truncate(limit);
        Ok(ids)
    }

    /// The scored part of a query. Each word of the visitor's becomes a group of
    /// alternatives (the word, its parts, and the official terms for an everyday phrase it
    /// belongs to, weighted lower); each alternative may match the title (weighted most),
    /// the document number, the issuer or the body. Keywords (one or two groups) must all
    /// match; in a longer question any group may, and documents matching more rank higher,
    /// because questions carry everyday words that no document uses. A document number
    /// typed in any bracket style also matches its canonical key.
    fn text_query(&self, text: &str) -> Option<Box<dyn Query>> {
        self.text_query_with(text, false)
    }

    /// As [`Self::text_query`]; `loose` lets any one group match, for a retry when the
    /// strict form finds nothing.
    fn text_query_with(&self, text: &str, loose: bool) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let number = DocNumber::parse(text).map(|number| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(
                Term::from_field_text(f.number_key, number.as_str()),
                IndexRecordOption::Basic,
            );
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), 50.0)))
        });
        let clauses = text_clauses(
            text,
            &[
                (f.title, 3.0),
                (f.number, 2.0),
                (f.issuer, 1.0),
                (f.body, 1.0),
                (f.explained, 0.8),
                (f.asked, 1.5),
            ],
            loose,
            number.into_iter().collect(),
        );
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    fn facet_query(&self, facet: Facet, value: &str) -> TermQuery {
        TermQuery::new(
            Term::from_facet(self.fields.facets, &facet_term(facet, value)),
            IndexRecordOption::Basic,
        )
    }
}

/// Where a document ranks for a text: its score plus [`bonus`], rounded to 1/4096 so that
/// documents whose scores differ only by the order the terms were summed in (a pruned
/// search sums them in another) tie, and ties go by index order either way.
fn rank(score: Score, marks: u8) -> Score {
    ((score + bonus(marks)) * 4096.0).round() / 4096.0
}

/// What a document's standing adds to its text score: [`IN_FORCE_BONUS`] when it is in
/// force, so a current text outranks its repealed versions, and [`NATIONAL_BONUS`] for
/// national legislation, which outranks the local rules made under it on the same subject
/// (it is what a question without a place name is about).
///
/// Read from the marks of the facet table (see [`marks`]). As query clauses, these matched
/// nearly every document and made each search walk their postings.
fn bonus(marks: u8) -> Score {
    let mut bonus = 0.0;
    if marks & IN_FORCE != 0 {
        bonus += IN_FORCE_BONUS;
    }
    if marks & NATIONAL != 0 {
        bonus += NATIONAL_BONUS;
    }
    bonus
}

/// The marks ranking reads, in the order of their bits.
fn marks() -> Vec<Mark> {
    vec![
        Mark {
            column: count_field(Facet::Validity),
            values: vec![Validity::InForce.as_str().to_owned()],
        },
        Mark {
            column: count_field(Facet::Type),
            values: NATIONAL_LEGISLATION
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
        },
    ]
}
const IN_FORCE: u8 = 1;
const NATIONAL: u8 = 1 << 1;

/// The scored clauses of a visitor's text over `fields` (each with its boost). Each word
/// becomes a group of alternatives (the word, its parts, and the official terms for an
/// everyday phrase it belongs to, weighted lower), each matched in any of the fields.
/// Keywords (one or two groups) must all match; in a longer question any group may, and
/// texts matching more rank higher, because questions carry everyday words that no
/// official text uses. `loose` lets any one group match. The optional clauses `also` are
/// scored beside the words: inside a question's flat disjunction, which they leave flat.
pub(crate) fn text_clauses(
    text: &str,
    fields: &[(Field, f32)],
    loose: bool,
    mut also: Vec<(Occur, Box<dyn Query>)>,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut groups: Vec<Vec<(String, f32)>> =
        tokenize::query_groups(&tokenize::without_state_name(text))
            .into_iter()
            .map(|g| g.into_iter().map(|t| (t, 1.0)).collect())
            .collect();
    for (phrase, officials) in synonyms::phrases(text) {
        let extra: Vec<(String, f32)> = officials
            .iter()
            .flat_map(|o| tokenize::query_terms(o))
            .map(|t| (t, EXPANSION_WEIGHT))
            .collect();
        // Join the official terms to the words the phrase overlaps, so they stand in
        // for them rather than adding a requirement of their own.
        let joined = groups.iter_mut().filter(|g| {
            g.iter()
                .any(|(t, w)| *w == 1.0 && (phrase.contains(t.as_str()) || t.contains(phrase)))
        });
        let mut any = false;
        for g in joined {
            any = true;
            for e in &extra {
                if !g.iter().any(|(t, _)| *t == e.0) {
                    g.push(e.clone());
                }
            }
        }
        if !any {
            groups.push(extra);
        }
    }
    // Each group: its words (weighted) in each field (boosted), any of them.
    let alternatives = |group: &Vec<(String, f32)>| -> Vec<(Occur, Box<dyn Query>)> {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (term, weight) in group {
            for &(field, boost) in fields {
                let q = TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                );
                alternatives.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), boost * weight)),
                ));
            }
        }
        alternatives
    };
    let n = groups.len();
    let required = if loose { 1 } else { required_groups(n) };
    if n == 0 {
        return also;
    }
    if required == 1 {
        // Any word may match and the score sums over the words that do, so one flat
        // disjunction ranks exactly as groups of disjunctions would, at a fraction of the
        // cost: a question matches much of the library, and each level of nesting merged
        // every matching document once more.
        let mut flat: Vec<(Occur, Box<dyn Query>)> = groups.iter().flat_map(alternatives).collect();
        flat.append(&mut also);
        return vec![(Occur::Should, Box::new(BooleanQuery::new(flat)))];
    }
    let scored: Vec<(Occur, Box<dyn Query>)> = groups
        .iter()
        .map(|group| {
            (
                Occur::Should,
                Box::new(BooleanQuery::new(alternatives(group))) as Box<dyn Query>,
            )
        })
        .collect();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Should,
        Box::new(BooleanQuery::with_minimum_required_clauses(
            scored, required,
        )),
    )];
    clauses.append(&mut also);
    clauses
}

/// One page of hits (by score, or newest first by the `published` fast field), the total
/// and the facet counts, in one pass over the matching documents.
pub(crate) fn top_and_counts(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    top: TopDocs,
    by_score: bool,
    counter: FacetCounter,
) -> Result<(usize, Vec<DocAddress>, FacetFruit)> {
    fn addresses<S>(top: Vec<(S, DocAddress)>) -> Vec<DocAddress> {
        top.into_iter().map(|(_, a)| a).collect()
    }
    Ok(if by_score {
        let (total, top, counts) =
            searcher.search(query, &(Count, top.order_by_score(), counter))?;
        (total, addresses(top), counts)
    } else {
        let newest = top.order_by_fast_field::<i64>("published", Order::Desc);
        let (total, top, counts) = searcher.search(query, &(Count, newest, counter))?;
        (total, addresses(top), counts)
    })
}

/// The stored ids of `addresses`, in order.
pub(crate) fn stored_ids(
    searcher: &tantivy::Searcher,
    id_field: Field,
    addresses: &[DocAddress],
) -> Result<Vec<String>> {
    let mut ids = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(*address)?;
        if let Some(id) = doc.get_first(id_field).and_then(|v| v.as_str()) {
            ids.push(id.to_owned());
        }
    }
    Ok(ids)
}

/// Opens the tantivy index in `dir` with `schema`, creating it when missing; an index of
/// another schema or `format` (how fields are analysed) is deleted and created afresh, to
/// be rebuilt from the database. Returns whether it was created.
pub(crate) fn open_dir(dir: &Path, schema: Schema, format: u32) -> Result<(Index, bool)> {
    std::fs::create_dir_all(dir)?;
    let directory = tantivy::directory::MmapDirectory::open(dir)
        .map_err(|e| crate::ServiceError::Search(e.to_string()))?;
    let created =
        !Index::exists(&directory).map_err(|e| crate::ServiceError::Search(e.to_string()))?;
    let index = Index::open_or_create(directory, schema.clone())?;
    let format_file = dir.join(FORMAT_FILE);
    let found = std::fs::read_to_string(&format_file).unwrap_or_default();
    if index.schema() != schema || (!created && found.trim() != format.to_string()) {
        // An index from an older build: start afresh, the database is the truth.
        drop(index);
        std::fs::remove_dir_all(dir)?;
        return open_dir(dir, schema, format).map(|(idx, _)| (idx, true));
    }
    std::fs::write(&format_file, format.to_string())?;
    Ok((index, created))
}

/// Chinese full-text field options; `stored` keeps the text for reading back.
pub(crate) fn zh_text(stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ZH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { opts.set_stored() } else { opts }
}

/// Highlighted passages of `texts` (the `field` of each hit, as UTF-8 bytes) with the
/// matched words in `<mark>`: see [`Highlighter`].
pub(crate) fn highlight(text_query: &dyn Query, field: Field, texts: &[&[u8]]) -> Vec<String> {
    let highlighter = Highlighter::new(text_query, field);
    texts.iter().map(|text| highlighter.passage(text)).collect()
}

/// Marks a query's words in passages of [`SNIPPET_CHARS`] around the earliest match, or
/// the opening when nothing matches.
///
/// Texts run to tens of thousands of characters: they are scanned as bytes for the query's
/// words in one pass, and only the passage is decoded and folded, never segmented (jieba
/// on every hit's passage used to be a fifth of a search).
pub(crate) struct Highlighter {
    finder: Option<aho_corasick::AhoCorasick>,
    /// The longest word's bytes.
    longest: usize,
}

impl Highlighter {
    /// For the words `text_query` looks for in `field`.
    pub fn new(text_query: &dyn Query, field: Field) -> Self {
        let mut terms: Vec<String> = Vec::new();
        text_query.query_terms(&mut |term, _| {
            if term.field() == field
                && let Some(text) = term.value().as_str()
                && !terms.iter().any(|t| t == text)
            {
                terms.push(text.to_owned());
            }
        });
        // Built per search for a few words and run over openings of a page of hits: the
        // automaton quickest to build (a DFA took longer to build than to run).
        let finder = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&terms)
            .ok();
        let longest = terms.iter().map(String::len).max().unwrap_or(0);
        Highlighter { finder, longest }
    }

    /// The passage of a whole text.
    pub fn passage(&self, text: &[u8]) -> String {
        let first = self.first(text).unwrap_or(0);
        let (start, end) = window(text, first);
        self.mark(text, start, end)
    }

    /// The passage of a text of which only `opening` is known, when the opening decides
    /// it: a word matches there, early enough that the passage ends inside the opening
    /// and any match starting there or before it would fit in the opening too.
    pub fn passage_in_opening(&self, opening: &[u8]) -> Option<String> {
        let first = self.first(opening)?;
        let (start, end) = window(opening, first);
        (end < opening.len() && first + self.longest <= opening.len())
            .then(|| self.mark(opening, start, end))
    }

    /// Where the earliest of the words starts in `text`.
    fn first(&self, text: &[u8]) -> Option<usize> {
        self.finder.as_ref()?.find(text).map(|m| m.start())
    }

    /// `text[start..end]` with every word marked; `…` where the text goes on.
    fn mark(&self, text: &[u8], start: usize, end: usize) -> String {
        let window = String::from_utf8_lossy(&text[start..end]);
        let window = window.trim();
        let folded = tokenize::fold_for_index(window);
        let mut out = String::with_capacity(window.len() + 64);
        if start > 0 {
            out.push('…');
        }
        // Matched spans in the window, adjacent ones joined (见习 and 补贴 mark as 见习补贴).
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for m in self.finder.iter().flat_map(|f| f.find_iter(&folded.text)) {
            let (from, to) = (
                folded.original_offset(m.start()),
                folded.original_offset(m.end()),
            );
            match spans.last_mut() {
                Some(last) if last.1 == from => last.1 = to,
                _ => spans.push((from, to)),
            }
        }
        let plain = |text: &str| escape_html(text).replace('\n', " ");
        let mut at = 0;
        for (from, to) in spans {
            out.push_str(&plain(&window[at..from]));
            out.push_str("<mark>");
            out.push_str(&plain(&window[from..to]));
            out.push_str("</mark>");
            at = to;
        }
        out.push_str(&plain(&window[at..]));
        if end < text.len() {
            out.push('…');
        }
        out
    }
}

/// The bytes of the passage of `text` around `first`: [`SNIPPET_CHARS`] from a third of
/// that before it.
fn window(text: &[u8], first: usize) -> (usize, usize) {
    let start = chars_back(text, first, SNIPPET_CHARS / 3);
    (start, chars_forward(text, start, SNIPPET_CHARS))
}

/// The byte offset `n` chars before `at` in UTF-8 `text` (or its start).
fn chars_back(text: &[u8], at: usize, n: usize) -> usize {
    let mut i = at.min(text.len());
    for _ in 0..n {
        if i == 0 {
            break;
        }
        i -= 1;
        while i > 0 && is_continuation(text[i]) {
            i -= 1;
        }
    }
    i
}

/// The byte offset `n` chars after `at` in UTF-8 `text` (or its end).
fn chars_forward(text: &[u8], at: usize, n: usize) -> usize {
    let mut i = at;
    for _ in 0..n {
        if i >= text.len() {
            break;
        }
        i += 1;
        while i < text.len() && is_continuation(text[i]) {
            i += 1;
        }
    }
    i.min(text.len())
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// How many of `n` query groups a document must match: all of one or two, else any one.
fn required_groups(n: usize) -> usize {
    if n <= 2 { n.max(1) } else { 1 }
}

fn count_field(facet: Facet) -> String {
    format!("f_{}", facet.param())
}

/// Counts as pages show them, at most [`FACET_VALUES_SHOWN`]: largest first (ties by
/// name), or by value descending with `by_value`.
pub(crate) fn top_values(counts: Option<&HashMap<String, u64>>, by_value: bool) -> Vec<FacetCount> {
    let mut values: Vec<(&String, u64)> = counts
        .map(|counts| {
            counts
                .iter()
                .map(|(value, count)| (value, *count))
                .collect()
        })
        .unwrap_or_default();
    if by_value {
        values.sort_unstable_by(|a, b| b.0.cmp(a.0));
    } else {
        values.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    }
    values
        .into_iter()
        .take(FACET_VALUES_SHOWN)
        .map(|(value, count)| FacetCount {
            value: value.clone(),
            count,
        })
        .collect()
}

fn facet_term(facet: Facet, value: &str) -> TFacet {
    TFacet::from_path([facet.param(), value])
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: [&str; 20] = [
        "就业",
        "补贴",
        "社会",
        "保险",
        "工资",
        "住房",
        "公积金",
        "教育",
        "医疗",
        "养老",
        "失业",
        "培训",
        "企业",
        "创业",
        "税收",
        "减免",
        "申请",
        "办理",
        "材料",
        "条件",
    ];

    /// Documents of words drawn from [`WORDS`], some in force, some national law, and
    /// every tenth a copy of the one before (so scores tie).
    fn library(n: usize) -> Vec<IndexedDoc> {
        let mut seed: u64 = 7;
        let mut next = move |m: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % m
        };
        let mut docs: Vec<IndexedDoc> = Vec::with_capacity(n);
        for i in 0..n {
            let (title, body) = match docs.last() {
                Some(previous) if i % 10 == 0 => (previous.title.clone(), previous.body.clone()),
                // A rare word, alone: found only by reading its postings.
                _ if i % 50 == 25 => ("见习岗位".to_owned(), "见习人员".to_owned()),
                _ => {
                    let title: String = (0..2 + next(3)).map(|_| WORDS[next(20)]).collect();
                    let words = 5 + next(120);
                    let body: Vec<&str> = (0..words).map(|_| WORDS[next(20)]).collect();
                    (title, body.join("，"))
                }
            };
            let validity = if i % 3 == 0 {
                Validity::Abolished
            } else {
                Validity::InForce
            };
            let doc_type = if i % 7 == 0 {
                DocType::Law
            } else {
                DocType::Normative
            };
            docs.push(IndexedDoc {
                id: format!("doc-{i:05}"),
                title,
                doc_number: (i % 100 == 1).then(|| format!("就业〔2022〕{i}号")),
                issuer: Some(format!("第{}局", i % 5)),
                body,
                explained: String::new(),
                asked: String::new(),
                facets: vec![
                    (Facet::Validity, validity.as_str().to_owned()),
                    (Facet::Type, doc_type.as_str().to_owned()),
                    (Facet::Topic, WORDS[i % 20].to_owned()),
                ],
                published_day: i as i64,
            });
        }
        docs
    }

    #[test]
    fn a_question_pruned_and_counted_from_kept_word_sets_gets_the_hits_and_counts_of_scoring_every_match()
    -> Result<()> {
        let index = SearchIndex::in_memory()?;
        let docs = library(3000);
        index.apply(&docs[..1700], &[], None)?;
        index.apply(&docs[1700..], &[], None)?;
        // Over several segments (their tops are merged), then one (whose top is the one
        // the threshold follows).
        assert!(index.core.reader.searcher().segment_readers().len() >= 2);
        same_hits_and_counts(&index)?;
        assert!(index.sets.bytes() > 0, "the common words' sets are kept");
        // Deleted after their segments' sets were kept: counted no more.
        let gone: Vec<String> = docs.iter().step_by(7).map(|d| d.id.clone()).collect();
        index.apply(&[], &gone, None)?;
        same_hits_and_counts(&index)?;
        index.compact()?;
        assert_eq!(index.core.reader.searcher().segment_readers().len(), 1);
        same_hits_and_counts(&index)
    }

    #[test]
    fn a_passage_decided_by_the_opening_of_a_text_is_the_passage_of_the_whole_text() -> Result<()> {
        let index = SearchIndex::in_memory()?;
        let query = searchable(&index, "见习补贴")?;
        let highlighter = index.highlighter(query.as_ref());
        let filler = |n: usize| -> String {
            "本办法适用于本市行政区域。"
                .chars()
                .cycle()
                .take(n)
                .collect()
        };
        let (mut decided, mut undecided) = (0, 0);
        for before in [0, 10, 100, 500, 990] {
            let text = format!("{}见习补贴按月发放{}", filler(before), filler(1500));
            let whole = highlighter.passage(text.as_bytes());
            assert!(whole.contains("<mark>见习补贴</mark>"), "{whole}");
            for chars in [50, 100, 200, 1000, 1001, 3000] {
                let end = text
                    .char_indices()
                    .nth(chars)
                    .map_or(text.len(), |(at, _)| at);
                match highlighter.passage_in_opening(&text.as_bytes()[..end]) {
                    Some(passage) => {
                        assert_eq!(passage, whole, "{before} chars before, opening of {chars}");
                        decided += 1;
                    }
                    None => undecided += 1,
                }
            }
        }
        assert!(
            decided > 0 && undecided > 0,
            "{decided} decided, {undecided} not"
        );
        Ok(())
    }

    #[test]
    fn keywords_that_must_all_match_are_no_disjunction() -> Result<()> {
        let index = SearchIndex::in_memory()?;
        let query = searchable(&index, "就业 补贴")?;
        assert!(ranked::as_disjunction(query.as_ref()).is_none());
        Ok(())
    }

    /// The text query of `text`, which has words to search.
    fn searchable(index: &SearchIndex, text: &str) -> Result<Box<dyn Query>> {
        index
            .text_query(text)
            .ok_or_else(|| crate::ServiceError::Search(format!("{text}: nothing searchable")))
    }

    /// Questions' pages from [`SearchIndex::search`] (pruned) are those of scoring every
    /// match.
    fn same_hits_and_counts(index: &SearchIndex) -> Result<()> {
        let searcher = index.core.reader.searcher();
        let questions = [
            "失业了怎么申请见习补贴和培训",
            "企业创业有哪些税收减免",
            "住房公积金办理要什么材料和条件",
            "养老保险医疗保险工资",
            // A document number (its prefix a common word): its exact match joins the
            // disjunction.
            "就业〔2022〕301号",
        ];
        for text in questions {
            let text_query = searchable(index, text)?;
            assert!(
                ranked::as_disjunction(text_query.as_ref())
                    .and_then(ranked::terms_of)
                    .is_some(),
                "{text}: a question is one disjunction of terms, so its top is pruned and \
                 its documents are read from word sets"
            );
            for page in [1, 3] {
                let q = LibraryQuery {
                    q: Some(text.to_owned()),
                    page,
                    ..LibraryQuery::default()
                };
                let pruned = index.search(&q)?;

                let query = BooleanQuery::new(vec![(Occur::Must, text_query.box_clone())]);
                let offset = ((page - 1) * domain::library::PAGE_SIZE) as usize;
                let limit = domain::library::PAGE_SIZE as usize;
                let (total, addresses, counts) =
                    index.one_pass(&searcher, &query, offset, limit, true)?;
                let ids: Vec<String> = stored_ids(&searcher, index.fields.id, &addresses)?;

                assert!(
                    total > 1000,
                    "{text}: matches much of the library ({total})"
                );
                assert_eq!(pruned.total, total as u64, "{text}: total");
                let pruned_ids: Vec<String> = pruned.hits.iter().map(|h| h.id.clone()).collect();
                assert_eq!(pruned_ids, ids, "{text}, page {page}: hits in order");
                assert_eq!(ids.len(), limit);
                for facet in Facet::ALL {
                    let one = top_values(counts.get(&count_field(*facet)), *facet == Facet::Year);
                    assert_eq!(
                        pruned.facets[facet.param()],
                        one,
                        "{text}: {facet:?} counts"
                    );
                }
            }
        }
        Ok(())
    }
}
