//! The tantivy index over the Q&A knowledge base: Chinese full text on question (weighted
//! most), answer, department and section; department and topic as counted filters. Same
//! tokenizer, everyday-word table and matching rules as the library's index.

use std::collections::BTreeMap;
use std::path::Path;

use domain::qa::{QA_FACETS, QA_PAGE, QaQuery};
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema};
use tantivy::{Index, TantivyDocument, Term};

use crate::error::Result;
use crate::library::counting::FacetOrds;
use crate::library::index::{
    Core, LOOSE_BELOW, highlight, open_dir, stored_ids, text_clauses, top_and_counts, top_values,
    zh_text,
};

/// What the index needs to know about one entry.
#[derive(Debug, Clone)]
pub struct IndexedQa {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub department: Option<String>,
    pub section: Option<String>,
    pub topic: Option<String>,
    /// Days since 1970-01-01 of the publication date (0 when unknown).
    pub published_day: i64,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    question: Field,
    answer: Field,
    department: Field,
    section: Field,
    /// `f_department`, `f_topic`: filters and counts.
    facets: [Field; 2],
    published: Field,
}

/// The raw answer of the index to a knowledge-base query.
pub struct QaAnswer {
    pub total: u64,
    pub ids: Vec<String>,
    pub facets: BTreeMap<String, Vec<domain::library::FacetCount>>,
    pub text_query: Option<Box<dyn Query>>,
}

pub struct QaIndex {
    core: Core,
    fields: Fields,
}

/// Version of how the fields are analysed; another version is rebuilt on start.
const FORMAT: u32 = 1;

fn count_field(param: &str) -> String {
    format!("f_{param}")
}

/// The counted columns, without marks: Q&A ranking reads none.
fn facet_ords() -> FacetOrds {
    FacetOrds::new(
        QA_FACETS.iter().map(|(p, _)| count_field(p)).collect(),
        Vec::new(),
    )
}

impl QaIndex {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            question: b.add_text_field("question", zh_text(false)),
            answer: b.add_text_field("answer", zh_text(false)),
            department: b.add_text_field("department", zh_text(false)),
            section: b.add_text_field("section", zh_text(false)),
            facets: QA_FACETS
                .map(|(param, _)| b.add_text_field(&count_field(param), STRING | FAST)),
            published: b.add_i64_field("published", INDEXED | FAST),
        };
        (b.build(), fields)
    }

    /// Opens the index in `dir`, creating it when missing. Returns whether it was created.
    pub fn open_in_dir(dir: &Path) -> Result<(Self, bool)> {
        let (schema, fields) = Self::schema();
        let (index, created) = open_dir(dir, schema, FORMAT)?;
        Ok((
            Self {
                core: Core::new(index, facet_ords())?,
                fields,
            },
            created,
        ))
    }

    /// An index in memory, for tests and one-off tools.
    pub fn in_memory() -> Result<Self> {
        let (schema, fields) = Self::schema();
        Ok(Self {
            core: Core::new(Index::create_in_ram(schema), facet_ords())?,
            fields,
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.core.num_docs()
    }

    /// Adds or replaces entries, removes the ids in `gone` and makes it searchable; with
    /// `cursor`, the index then holds every outbox event up to it.
    pub fn apply(&self, entries: &[IndexedQa], gone: &[String], cursor: Option<i64>) -> Result<()> {
        self.core.apply(
            self.fields.id,
            entries.iter().map(|e| (e.id.as_str(), self.to_tantivy(e))),
            gone,
            cursor,
        )
    }

    /// The last outbox event this index holds, if it knows.
    pub fn cursor(&self) -> Option<i64> {
        self.core.cursor()
    }

    pub fn compact(&self) -> Result<()> {
        self.core.compact()
    }

    pub fn clear(&self) -> Result<()> {
        self.core.clear()
    }

    fn to_tantivy(&self, e: &IndexedQa) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &e.id);
        doc.add_text(f.question, &e.question);
        doc.add_text(f.answer, &e.answer);
        if let Some(d) = &e.department {
            doc.add_text(f.department, d);
            doc.add_text(f.facets[0], d);
        }
        if let Some(s) = &e.section {
            doc.add_text(f.section, s);
        }
        if let Some(t) = &e.topic {
            doc.add_text(f.facets[1], t);
        }
        doc.add_i64(f.published, e.published_day);
        doc
    }

    /// Runs a knowledge-base query: ids for the page, the total and the filter counts.
    pub fn search(&self, q: &QaQuery) -> Result<QaAnswer> {
        let text_query = q.q.as_deref().and_then(|t| self.text_query(t, false));
        if let (Some(text), Some(_)) = (q.q.as_deref(), &text_query) {
            let strict = self.run(q, text_query)?;
            if strict.total >= LOOSE_BELOW {
                return Ok(strict);
            }
            let loose = self.text_query(text, true);
            return self.run(q, loose);
        }
        self.run(q, text_query)
    }

    fn text_query(&self, text: &str, loose: bool) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let clauses = text_clauses(
            text,
            &[
                (f.question, 3.0),
                (f.answer, 1.0),
                (f.department, 1.0),
                (f.section, 1.0),
            ],
            loose,
            Vec::new(),
        );
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    fn run(&self, q: &QaQuery, text_query: Option<Box<dyn Query>>) -> Result<QaAnswer> {
        let f = self.fields;
        let searcher = self.core.reader.searcher();
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match &text_query {
            Some(tq) => must.push((Occur::Must, tq.box_clone())),
            None if q.q.is_some() => {
                return Ok(QaAnswer {
                    total: 0,
                    ids: Vec::new(),
                    facets: BTreeMap::new(),
                    text_query: None,
                });
            }
            None => must.push((Occur::Must, Box::new(AllQuery))),
        }
        for (i, (param, _)) in QA_FACETS.iter().enumerate() {
            if let Some(value) = q.filter(param) {
                must.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.facets[i], value),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        let query = BooleanQuery::new(must);
        let counter = self.core.ords.counter();
        let offset = ((q.page.max(1) - 1) * QA_PAGE) as usize;
        let top = TopDocs::with_limit(QA_PAGE as usize).and_offset(offset);
        let (total, addresses, counts) =
            top_and_counts(&searcher, &query, top, text_query.is_some(), counter)?;
        let ids = stored_ids(&searcher, f.id, &addresses)?;
        let facets = QA_FACETS
            .iter()
            .map(|(param, _)| {
                (
                    (*param).to_owned(),
                    top_values(counts.get(&count_field(param)), false),
                )
            })
            .collect();
        Ok(QaAnswer {
            total: total as u64,
            ids,
            facets,
            text_query,
        })
    }

    /// Highlighted passages of the answers, around the first match.
    pub fn snippets(&self, text_query: &dyn Query, answers: &[&[u8]]) -> Vec<String> {
        highlight(text_query, self.fields.answer, answers)
    }
}
