//! The policy library: reading documents, searching them, importing and indexing them.

pub(crate) mod counting;
pub mod demo;
pub mod import;
pub mod index;
pub mod kept;
mod matching;
mod ranked;
pub mod synonyms;
pub mod tokenize;

use std::collections::HashMap;
use std::sync::Arc;

use domain::interpretation::{InterpretationPage, InterpretationView};
use domain::library::{
    Attachment, DocumentDetail, DocumentLink, EntryPoint, Facet, Hit, HomeOverview, LibraryQuery,
    PAGE_SIZE, SearchPage, Sort, Validity, ValidityChange, VersionView,
};
use domain::text::{has_searchable_chars, truncate_chars};
use sea_orm::Statement;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};

use crate::entity::{
    attachment, consultation, document, document_facet, document_version, interpretation,
    organization, qa_entry, validity_change,
};
use crate::error::{Result, ServiceError};
use index::Highlighter;
pub use index::{IndexedDoc, SearchIndex};
pub use kept::KeptDocuments;

/// Status of documents the public library shows.
pub const PUBLISHED: &str = "published";

/// Searches and filters the library; facet counts cover the whole result set.
pub async fn search(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
    query: &LibraryQuery,
) -> Result<SearchPage> {
    let notice = match query.q.as_deref() {
        Some(q) if !has_searchable_chars(q) => Some(
            "搜索词里没有可检索的文字。请输入政策名称、关键词或文号，例如“就业补贴”或“芜政〔2022〕12号”。"
                .to_owned(),
        ),
        _ => None,
    };
    let answer = {
        let (index, query) = (index.clone(), query.clone());
        crate::off_the_workers(crate::Heavy::Search, move || index.search(&query)).await??
    };
    let ids: Vec<String> = answer.hits.iter().map(|h| h.id.clone()).collect();
    let rows = load_hits(db, &ids).await?;
    let ordered: Vec<&HitRow> = ids.iter().filter_map(|id| rows.get(id)).collect();
    let snippets = match &answer.text_query {
        Some(tq) => snippets(db, &index.highlighter(tq.as_ref()), &ordered).await?,
        None => ordered.iter().map(|r| r.lead()).collect(),
    };
    let hits = ordered
        .iter()
        .zip(snippets)
        .map(|(r, snippet)| r.hit(snippet))
        .collect();

    let exact = match query
        .q
        .as_deref()
        .and_then(domain::library::DocNumber::parse)
    {
        Some(number) if query.page == 1 => match index.find_by_number(&number)? {
            Some(id) => load_hits(db, std::slice::from_ref(&id))
                .await?
                .get(&id)
                .map(|r| r.hit(r.lead())),
            None => None,
        },
        _ => None,
    };
    let notice = notice.or_else(|| {
        (answer.total == 0 && query.q.is_some()).then(|| {
            "没有找到相关政策。可以换个说法、减少关键词，或去掉左侧的筛选条件再试。".to_owned()
        })
    });
    Ok(SearchPage {
        total: answer.total,
        facets: answer.facets,
        hits,
        page: query.page,
        per_page: PAGE_SIZE,
        exact,
        notice,
    })
}

/// One published document with its interpretations, Q&A and related documents.
///
/// Read in one transaction: the parts come from one snapshot (a change published meanwhile
/// shows whole or not at all), and the reads share one connection instead of taking one
/// from the pool each.
pub async fn document(
    db: &(impl ConnectionTrait + TransactionTrait),
    index: &SearchIndex,
    id: &str,
) -> Result<DocumentDetail> {
    let txn = db.begin().await?;
    let detail = read_document(&txn, index, id).await;
    txn.commit().await?;
    detail
}

async fn read_document(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    id: &str,
) -> Result<DocumentDetail> {
    let Some(Row { doc: d, issuer }) = load_rows(db, &[id.to_owned()]).await?.remove(id) else {
        // A withdrawn document's address answers with its notice; anything else, 404.
        return Err(crate::review::lifecycle::notice(db, id).await?);
    };
    let facets = document_facet::Entity::find()
        .filter(document_facet::Column::DocumentId.eq(id))
        .all(db)
        .await?;
    let facet_values = |name: &str| -> Vec<String> {
        facets
            .iter()
            .filter(|f| f.facet == name)
            .map(|f| f.value.clone())
            .collect()
    };
    let has = Parts::of(db, id).await?;
    let attachments = if has.attachments {
        attachment::Entity::find()
            .filter(attachment::Column::DocumentId.eq(id))
            .order_by_asc(attachment::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|a| Attachment {
                name: a.name,
                href: a.url,
                media_type: a.media_type,
                size: a.size.and_then(|n| u64::try_from(n).ok()),
                official: a.official,
            })
            .collect()
    } else {
        Vec::new()
    };
    let interpretations = if has.interpretations {
        interpretations_of(db, id).await?
    } else {
        Vec::new()
    };
    let qa = if has.qa {
        crate::qa::of_document(db, id).await?
    } else {
        Vec::new()
    };

    let related_ids = index.related(&d.id, &d.title, 6)?;
    let mut links = load_links(db, related_ids.iter().chain(&d.replaced_by)).await?;
    let replaced_by = d
        .replaced_by
        .as_ref()
        .and_then(|rid| links.get(rid).cloned());
    let related = related_ids
        .iter()
        .filter_map(|rid| links.remove(rid))
        .collect();

    Ok(DocumentDetail {
        id: d.id.clone(),
        index_no: d.index_no.clone(),
        title: d.title.clone(),
        issuer,
        doc_number: d.doc_number.clone(),
        written_date: d.written_on.clone(),
        published_date: d.published_on.clone(),
        effective_date: d.effective_on.clone(),
        doc_type: d.doc_type.clone(),
        level: d.level.clone(),
        topics: facet_values("topic"),
        audiences: facet_values("audience"),
        categories: facet_values("category"),
        validity: d.validity.clone(),
        validity_changed_date: d.validity_changed_on.clone(),
        replaced_by,
        body: paragraphs(&d.body),
        body_html: d.body_html.clone(),
        attachments,
        versions: versions(db, &d, has.versions).await?,
        validity_history: validity_history(db, &d, has.changes).await?,
        interpretations,
        qa,
        related,
        source_url: d.source_url.clone(),
    })
}

/// Which of a document's optional parts exist. Most documents have no attachment,
/// interpretation, Q&A entry, revision or validity change: one read finds out, instead of
/// one read for each (they were most of a document page's reads).
struct Parts {
    attachments: bool,
    interpretations: bool,
    qa: bool,
    versions: bool,
    changes: bool,
}

impl Parts {
    async fn of(db: &impl ConnectionTrait, id: &str) -> Result<Parts> {
        const TABLES: [&str; 5] = [
            "attachments",
            "interpretations",
            "qa_entries",
            "document_versions",
            "validity_changes",
        ];
        let backend = db.get_database_backend();
        let columns: Vec<String> = TABLES
            .iter()
            .enumerate()
            .map(|(i, table)| {
                let id = match backend {
                    DbBackend::Postgres => format!("${}", i + 1),
                    _ => "?".to_owned(),
                };
                format!(
                    "CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE document_id = {id}) \
                     THEN 1 ELSE 0 END AS {table}"
                )
            })
            .collect();
        let statement = Statement::from_sql_and_values(
            backend,
            format!("SELECT {}", columns.join(", ")),
            TABLES.map(|_| sea_orm::Value::from(id)),
        );
        let row = db.query_one_raw(statement).await?;
        let has = |table: &str| -> Result<bool> {
            Ok(match &row {
                Some(row) => row.try_get::<i32>("", table)? != 0,
                None => false,
            })
        };
        Ok(Parts {
            attachments: has(TABLES[0])?,
            interpretations: has(TABLES[1])?,
            qa: has(TABLES[2])?,
            versions: has(TABLES[3])?,
            changes: has(TABLES[4])?,
        })
    }
}

/// A document's published versions, oldest first: those its revisions recorded
/// (`recorded`), or the original publication alone.
async fn versions(
    db: &impl ConnectionTrait,
    d: &document::Model,
    recorded: bool,
) -> Result<Vec<VersionView>> {
    let rows = if recorded {
        document_version::Entity::find()
            .filter(document_version::Column::DocumentId.eq(d.id.as_str()))
            .order_by_asc(document_version::Column::Version)
            .all(db)
            .await?
    } else {
        Vec::new()
    };
    if rows.is_empty() {
        return Ok(vec![VersionView {
            version: 1,
            published_at: d.published_on.clone(),
            note: None,
        }]);
    }
    Ok(rows
        .into_iter()
        .map(|v| VersionView {
            version: u32::try_from(v.version).unwrap_or_default(),
            published_at: v.published_on,
            note: v.note,
        })
        .collect())
}

/// A document's validity changes, oldest first: those approved through review
/// (`recorded`), or for an imported document no longer in force, the change its record
/// states (without a reason).
async fn validity_history(
    db: &impl ConnectionTrait,
    d: &document::Model,
    recorded: bool,
) -> Result<Vec<ValidityChange>> {
    let rows = if recorded {
        validity_change::Entity::find()
            .filter(validity_change::Column::DocumentId.eq(d.id.as_str()))
            .order_by_asc(validity_change::Column::Id)
            .all(db)
            .await?
    } else {
        Vec::new()
    };
    if rows.is_empty() {
        return Ok((d.validity != Validity::InForce.as_str())
            .then(|| ValidityChange {
                validity: d.validity.clone(),
                date: d.validity_changed_on.clone(),
                reason: None,
                replaced_by: d.replaced_by.clone(),
            })
            .into_iter()
            .collect());
    }
    Ok(rows
        .into_iter()
        .map(|c| ValidityChange {
            validity: c.validity,
            date: Some(c.date),
            reason: Some(c.reason),
            replaced_by: c.replaced_by,
        })
        .collect())
}

/// A published document's uploaded file with content `sha256` (the first published under
/// it); anything else, drafts' files included, is not found.
pub async fn published_file(db: &impl ConnectionTrait, sha256: &str) -> Result<attachment::Model> {
    let missing = || ServiceError::NotFound("该附件".to_owned());
    if !crate::files::is_hash(sha256) {
        return Err(missing());
    }
    let rows = attachment::Entity::find()
        .filter(attachment::Column::Sha256.eq(sha256))
        .order_by_asc(attachment::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    let docs: Vec<String> = rows.iter().map(|a| a.document_id.clone()).collect();
    let published = crate::lookup::document_titles(db, docs).await?;
    rows.into_iter()
        .find(|a| published.contains_key(&a.document_id))
        .ok_or_else(missing)
}

/// Headline counts, entry points by topic and service object, and the latest policies.
pub async fn home(db: &impl ConnectionTrait, index: &SearchIndex) -> Result<HomeOverview> {
    let everything = index.search(&LibraryQuery {
        page: 1,
        sort: Sort::Date,
        ..Default::default()
    })?;
    let ids: Vec<String> = everything
        .hits
        .iter()
        .take(8)
        .map(|h| h.id.clone())
        .collect();
    let rows = load_hits(db, &ids).await?;
    let latest = ids
        .iter()
        .filter_map(|id| rows.get(id))
        .map(|r| r.hit(r.lead()))
        .collect();
    let entry_points = |facet: Facet, n: usize| -> Vec<EntryPoint> {
        everything
            .facets
            .get(facet.param())
            .map(|values| {
                values
                    .iter()
                    .take(n)
                    .map(|v| EntryPoint {
                        label: v.value.clone(),
                        count: v.count,
                        href: LibraryQuery::default()
                            .with_filter(facet, Some(&v.value))
                            .href(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let in_force = everything
        .facets
        .get(Facet::Validity.param())
        .and_then(|v| v.iter().find(|c| c.value == Validity::InForce.as_str()))
        .map_or(0, |c| c.count);
    Ok(HomeOverview {
        documents: everything.total,
        in_force,
        interpretations: interpretation::Entity::find().count(db).await?,
        qa_entries: qa_entry::Entity::find().count(db).await?,
        topics: entry_points(Facet::Topic, 12),
        audiences: entry_points(Facet::Audience, 12),
        latest,
    })
}

/// What the index needs for these documents, with their facets and issuer names.
pub async fn indexed_docs(
    db: &impl ConnectionTrait,
    docs: &[document::Model],
) -> Result<Vec<IndexedDoc>> {
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let mut facets: HashMap<String, Vec<(Facet, String)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for f in document_facet::Entity::find()
            .filter(document_facet::Column::DocumentId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(facet) = Facet::from_param(&f.facet) {
                facets
                    .entry(f.document_id)
                    .or_default()
                    .push((facet, f.value));
            }
        }
    }
    let mut explained: HashMap<String, String> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String, String)> = interpretation::Entity::find()
            .select_only()
            .column(interpretation::Column::DocumentId)
            .column(interpretation::Column::Title)
            .column(interpretation::Column::Body)
            .filter(interpretation::Column::DocumentId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (doc, title, body) in rows {
            let text = explained.entry(doc).or_default();
            text.push_str(&title);
            text.push('\n');
            text.push_str(&body);
            text.push('\n');
        }
    }
    let mut asked = asked_about(db, &ids).await?;
    let issuers =
        crate::lookup::org_names(db, docs.iter().filter_map(|d| d.issuer_id).collect()).await?;
    Ok(docs
        .iter()
        .map(|d| {
            let issuer = d.issuer_id.and_then(|i| issuers.get(&i).cloned());
            let mut all = facets.remove(&d.id).unwrap_or_default();
            all.push((Facet::Type, d.doc_type.clone()));
            all.push((Facet::Validity, d.validity.clone()));
            if let Some(name) = &issuer {
                all.push((Facet::Issuer, name.clone()));
            }
            if let Some(year) = d.published_on.as_deref().and_then(|p| p.get(..4)) {
                all.push((Facet::Year, year.to_owned()));
            }
            IndexedDoc {
                id: d.id.clone(),
                title: d.title.clone(),
                doc_number: d.doc_number.clone(),
                issuer,
                body: d.body.clone(),
                explained: explained.remove(&d.id).unwrap_or_default(),
                asked: asked.remove(&d.id).unwrap_or_default(),
                facets: all,
                published_day: d.published_on.as_deref().map_or(0, day_number),
            }
        })
        .collect())
}

/// What people asked about each of these documents, in their own words: the questions of
/// the Q&A entries linked to it and of the public consultations answered about it. Indexed
/// with the document, each answered question helps the next person asking it find it.
async fn asked_about(db: &impl ConnectionTrait, ids: &[&str]) -> Result<HashMap<String, String>> {
    let mut asked: HashMap<String, String> = HashMap::new();
    for chunk in ids.chunks(500) {
        let questions: Vec<(Option<String>, String)> = qa_entry::Entity::find()
            .select_only()
            .column(qa_entry::Column::DocumentId)
            .column(qa_entry::Column::Question)
            .filter(qa_entry::Column::DocumentId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        let consultations: Vec<(Option<String>, String, String)> = consultation::Entity::find()
            .select_only()
            .column(consultation::Column::DocumentId)
            .column(consultation::Column::Title)
            .column(consultation::Column::Body)
            .filter(consultation::Column::DocumentId.is_in(chunk.iter().copied()))
            .filter(consultation::Column::Public.eq(true))
            .filter(consultation::Column::Status.is_in(crate::consult::answered_statuses()))
            .into_tuple()
            .all(db)
            .await?;
        let texts = questions
            .into_iter()
            .map(|(doc, q)| (doc, q, String::new()))
            .chain(consultations);
        for (doc, title, body) in texts {
            let Some(doc) = doc else { continue };
            let text = asked.entry(doc).or_default();
            for part in [title, body] {
                if !part.is_empty() {
                    text.push_str(&part);
                    text.push('\n');
                }
            }
        }
    }
    Ok(asked)
}

/// The documents the Q&A entries and consultations with these ids are about (see
/// [`asked_about`]): indexed again when one of them changes.
pub(crate) async fn asked_documents(
    db: &impl ConnectionTrait,
    qa_ids: &[String],
    consultation_ids: &[i64],
) -> Result<Vec<String>> {
    let mut docs = Vec::new();
    for chunk in qa_ids.chunks(500) {
        let found: Vec<Option<String>> = qa_entry::Entity::find()
            .select_only()
            .column(qa_entry::Column::DocumentId)
            .filter(qa_entry::Column::Id.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        docs.extend(found.into_iter().flatten());
    }
    for chunk in consultation_ids.chunks(500) {
        let found: Vec<Option<String>> = consultation::Entity::find()
            .select_only()
            .column(consultation::Column::DocumentId)
            .filter(consultation::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        docs.extend(found.into_iter().flatten());
    }
    Ok(docs)
}

/// Days since 1970-01-01 for `YYYY-MM-DD`, 0 when it does not parse.
pub fn day_number(date: &str) -> i64 {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| {
            d.signed_duration_since(chrono::NaiveDate::default())
                .num_days()
        })
        .unwrap_or(0)
}

fn interpretation_view(
    r: interpretation::Model,
    orgs: &HashMap<i32, String>,
) -> InterpretationView {
    InterpretationView {
        org: r.org_id.and_then(|o| orgs.get(&o).cloned()),
        href: format!("/interpretations/{}", r.id),
        id: r.id,
        title: r.title,
        form: r.form,
        published_date: r.published_on,
        body: paragraphs(&r.body),
        media_url: r.media_url,
        alt: r.alt,
        caption_url: r.caption_url,
    }
}

async fn interpretations_of(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Vec<InterpretationView>> {
    let rows = interpretation::Entity::find()
        .filter(interpretation::Column::DocumentId.eq(id))
        .order_by_asc(interpretation::Column::Id)
        .all(db)
        .await?;
    let org_ids: Vec<i32> = rows.iter().filter_map(|r| r.org_id).collect();
    let orgs = crate::lookup::org_names(db, org_ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| interpretation_view(r, &orgs))
        .collect())
}

/// `/interpretations/{id}`: a published document's interpretation.
pub async fn interpretation(db: &impl ConnectionTrait, id: &str) -> Result<InterpretationPage> {
    let missing = || ServiceError::NotFound("该解读".to_owned());
    let row = interpretation::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(missing)?;
    let title = crate::lookup::document_titles(db, [row.document_id.clone()])
        .await?
        .remove(&row.document_id)
        .ok_or_else(missing)?;
    let orgs = crate::lookup::org_names(db, row.org_id.into_iter().collect()).await?;
    Ok(InterpretationPage {
        document_id: row.document_id.clone(),
        document_title: title,
        interpretation: interpretation_view(row, &orgs),
    })
}

/// A published document with its issuer's name.
struct Row {
    doc: document::Model,
    issuer: Option<String>,
}

/// Published documents by id with their issuers, in one query.
async fn load_rows(db: &impl ConnectionTrait, ids: &[String]) -> Result<HashMap<String, Row>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(document::Entity::find()
        .find_also_related(organization::Entity)
        .filter(document::Column::Id.is_in(ids.iter().cloned()))
        .filter(document::Column::Status.eq(PUBLISHED))
        .all(db)
        .await?
        .into_iter()
        .map(|(doc, org)| {
            (
                doc.id.clone(),
                Row {
                    doc,
                    issuer: org.map(|o| o.name),
                },
            )
        })
        .collect())
}

/// The hits' passages around the search words, from the openings of their bodies, and
/// from the whole bodies (read in one more query) of the hits whose openings do not
/// decide them.
async fn snippets(
    db: &impl ConnectionTrait,
    highlighter: &Highlighter,
    rows: &[&HitRow],
) -> Result<Vec<String>> {
    let mut snippets: Vec<Option<String>> = rows
        .iter()
        .map(|r| {
            highlighter
                .passage_in_opening(&r.opening)
                .or_else(|| r.whole().then(|| highlighter.passage(&r.opening)))
        })
        .collect();
    let undecided: Vec<String> = rows
        .iter()
        .zip(&snippets)
        .filter(|(_, s)| s.is_none())
        .map(|(r, _)| r.id.clone())
        .collect();
    tracing::debug!(
        undecided = undecided.len(),
        hits = rows.len(),
        "whole bodies read for snippets"
    );
    let bodies = load_bodies(db, &undecided).await?;
    for (row, snippet) in rows.iter().zip(&mut snippets) {
        if snippet.is_none() {
            // A body gone since the hit was read shows its opening's passage.
            let body = bodies.get(&row.id).unwrap_or(&row.opening);
            *snippet = Some(highlighter.passage(body));
        }
    }
    Ok(snippets.into_iter().flatten().collect())
}

/// How much of each hit's body a result list reads: the earliest search word of most hits
/// lies within it, and bodies run to 17 KB on average. The body is read as bytes: decoding
/// whole bodies was a fifth of a search, and only the passage shown needs it.
const OPENING_CHARS: usize = 1000;

/// A published document as result lists show it, with the opening of its body: at most
/// [`OPENING_CHARS`] and one more, so that it tells whether the body goes on.
#[derive(FromQueryResult)]
struct HitRow {
    id: String,
    title: String,
    doc_number: Option<String>,
    published_on: Option<String>,
    validity: String,
    doc_type: String,
    issuer: Option<String>,
    opening: Vec<u8>,
}

impl HitRow {
    fn hit(&self, snippet: String) -> Hit {
        Hit {
            id: self.id.clone(),
            title: self.title.clone(),
            doc_number: self.doc_number.clone(),
            issuer: self.issuer.clone(),
            published_date: self.published_on.clone(),
            validity: self.validity.clone(),
            doc_type: self.doc_type.clone(),
            snippet,
        }
    }

    /// Whether the opening is the whole body.
    fn whole(&self) -> bool {
        let chars = self.opening.iter().filter(|b| *b & 0xC0 != 0x80).count();
        chars <= OPENING_CHARS
    }

    /// The opening paragraph, for results without search text (a paragraph shown is at
    /// most 110 chars: the opening holds it).
    fn lead(&self) -> String {
        lead(&String::from_utf8_lossy(&self.opening))
    }
}

/// Published documents by id as result lists show them, in one query.
async fn load_hits(db: &impl ConnectionTrait, ids: &[String]) -> Result<HashMap<String, HitRow>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let opening = body_bytes(db, Some(OPENING_CHARS + 1));
    Ok(document::Entity::find()
        .select_only()
        .columns([
            document::Column::Id,
            document::Column::Title,
            document::Column::DocNumber,
            document::Column::PublishedOn,
            document::Column::Validity,
            document::Column::DocType,
        ])
        .column_as(organization::Column::Name, "issuer")
        .expr_as(Expr::cust(opening), "opening")
        .left_join(organization::Entity)
        .filter(document::Column::Id.is_in(ids.iter().cloned()))
        .filter(document::Column::Status.eq(PUBLISHED))
        .into_model::<HitRow>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// The SQL for a document's body as UTF-8 bytes: its first `chars` characters, or all.
fn body_bytes(db: &impl ConnectionTrait, chars: Option<usize>) -> String {
    let body = r#""documents"."body""#;
    let text = match chars {
        Some(n) => format!("substr({body}, 1, {n})"),
        None => body.to_owned(),
    };
    match db.get_database_backend() {
        DbBackend::Postgres => format!("convert_to({text}, 'UTF8')"),
        _ => format!("CAST({text} AS BLOB)"),
    }
}

/// The bodies of the published documents among `ids`, as bytes, in one query.
async fn load_bodies(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<HashMap<String, Vec<u8>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let body = body_bytes(db, None);
    let rows: Vec<(String, Vec<u8>)> = document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .expr(Expr::cust(body))
        .filter(document::Column::Id.is_in(ids.iter().cloned()))
        .filter(document::Column::Status.eq(PUBLISHED))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Links to the published documents among `ids`, in one query.
async fn load_links<'a>(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = &'a String>,
) -> Result<HashMap<String, DocumentLink>> {
    let ids: Vec<String> = ids.cloned().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, String, Option<String>, Option<String>)> = document::Entity::find()
        .select_only()
        .columns([
            document::Column::Id,
            document::Column::Title,
            document::Column::DocNumber,
            document::Column::PublishedOn,
        ])
        .filter(document::Column::Id.is_in(ids))
        .filter(document::Column::Status.eq(PUBLISHED))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, doc_number, published_date)| {
            let link = DocumentLink {
                id: id.clone(),
                title,
                doc_number,
                published_date,
            };
            (id, link)
        })
        .collect())
}

/// The opening of a body as an escaped snippet, for results without search text.
pub(crate) fn lead(body: &str) -> String {
    let first = body
        .split("\n\n")
        .find(|p| !p.trim().is_empty())
        .unwrap_or("");
    domain::text::escape_html(&truncate_chars(first.trim(), 110))
}

fn paragraphs(body: &str) -> Vec<String> {
    body.split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}
