//! Loading documents from JSON Lines (the shared corpus format plus the optional fields
//! the demo set uses), idempotent by record id; bad lines are reported and skipped.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use domain::DomainError;
use domain::feed::FeedKind;
use domain::interpretation::InterpretationForm;
use domain::library::{DocNumber, DocType, Level, Validity};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};
use serde::Deserialize;

use super::PUBLISHED;
use crate::entity::{
    attachment, document, document_facet, interpretation, organization, qa_entry, validity_change,
};
use crate::error::Result;
use crate::index_sync::{self, Indexes};
use crate::outbox::{self, Event};

/// One line of a documents file. Unknown fields (`history`, `region`, …) are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DocumentRecord {
    pub id: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub issued_date: Option<String>,
    pub published_date: Option<String>,
    pub effective_date: Option<String>,
    pub doc_type: Option<String>,
    pub topic_auto: Option<String>,
    pub validity: Option<String>,
    pub superseded_by: Option<String>,
    pub body: String,
    pub source_url: Option<String>,
    // Fields of the city's own documents (the demo set), absent from the national corpus.
    pub index_no: Option<String>,
    pub level: Option<String>,
    pub subtopic: Option<String>,
    pub audiences: Vec<String>,
    pub categories: Vec<String>,
    pub validity_changed_date: Option<String>,
    /// Why it is no longer in force (shown with the change, told to subscribers).
    pub validity_reason: Option<String>,
    pub attachments: Vec<AttachmentRecord>,
    pub interpretations: Vec<InterpretationRecord>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AttachmentRecord {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InterpretationRecord {
    pub id: String,
    pub title: String,
    pub form: String,
    pub org: Option<String>,
    pub published_date: Option<String>,
    pub body: String,
    pub media_url: Option<String>,
}

/// One line of a Q&A file (`policy_qa.jsonl` shape plus document link and section).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct QaRecord {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub department: Option<String>,
    pub section: Option<String>,
    pub phone: Option<String>,
    pub topic: Option<String>,
    pub document_id: Option<String>,
    pub published_date: Option<String>,
}

/// A line that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub loaded: usize,
    pub bad: Vec<BadLine>,
}

/// A record after every field was checked: what goes into the database.
struct ParsedDocument {
    id: String,
    model: document::ActiveModel,
    issuer: Option<String>,
    facets: Vec<(&'static str, String)>,
    attachments: Vec<AttachmentRecord>,
    interpretations: Vec<(InterpretationRecord, InterpretationForm)>,
    /// The recorded change of a document no longer in force, when the record says why.
    validity_change: Option<validity_change::ActiveModel>,
}

const BATCH: usize = 500;

/// A record whose title or body holds personal data or a sensitive word is not loaded:
/// the same checks as the staff form.
fn screen(r: &DocumentRecord, words: &[String]) -> Result<(), DomainError> {
    domain::screening::check("title", "标题", &r.title, words)?;
    domain::screening::check("body", "正文", &r.body, words)?;
    for i in &r.interpretations {
        let label = format!("解读《{}》", i.title);
        domain::screening::check("interpretations", &label, &i.title, words)?;
        domain::screening::check("interpretations", &label, &i.body, words)?;
    }
    for a in &r.attachments {
        domain::screening::check("attachments", "附件名称", &a.name, words)?;
    }
    if let Some(reason) = &r.validity_reason {
        domain::screening::check("validity_reason", "效力变更原因", reason, words)?;
    }
    Ok(())
}

/// Reads documents from JSON Lines, loading good lines in batches and reporting bad ones
/// (malformed, incomplete, or holding personal data or a sensitive word).
pub async fn import_documents(
    db: &DatabaseConnection,
    indexes: &Indexes,
    reader: impl BufRead,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let words = crate::screening::sensitive_words(db).await?;
    let mut batch = Vec::with_capacity(BATCH);
    for (n, line) in reader.lines().enumerate() {
        let line_no = n + 1;
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<DocumentRecord>(&line) {
            Ok(record) => match screen(&record, &words).and_then(|()| parse_document(record)) {
                Ok(parsed) => batch.push(parsed),
                Err(e) => report.bad.push(BadLine {
                    line: line_no,
                    reason: format!("字段 {}：{}", e.field, e.message),
                }),
            },
            Err(e) => report.bad.push(BadLine {
                line: line_no,
                reason: format!("不是有效的 JSON 记录（{e}）"),
            }),
        }
        if batch.len() == BATCH {
            report.loaded += store_documents(db, indexes, std::mem::take(&mut batch)).await?;
        }
    }
    report.loaded += store_documents(db, indexes, batch).await?;
    indexes.library.compact()?;
    Ok(report)
}

/// Loads already-deserialised records (the demo set); fails on the first bad one.
pub async fn import_document_records(
    db: &DatabaseConnection,
    indexes: &Indexes,
    records: Vec<DocumentRecord>,
) -> Result<usize> {
    let mut loaded = 0;
    let mut parsed = Vec::with_capacity(BATCH);
    for record in records {
        parsed.push(parse_document(record)?);
        if parsed.len() == BATCH {
            loaded += store_documents(db, indexes, std::mem::take(&mut parsed)).await?;
        }
    }
    loaded += store_documents(db, indexes, parsed).await?;
    indexes.library.compact()?;
    Ok(loaded)
}

/// Reads Q&A entries from JSON Lines; departments are matched or created by name.
pub async fn import_qa(
    db: &DatabaseConnection,
    indexes: &Indexes,
    reader: impl BufRead,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut batch = Vec::new();
    let words = crate::screening::sensitive_words(db).await?;
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<QaRecord>(&line)
            .map_err(|e| format!("不是有效的 JSON 记录（{e}）"))
            .and_then(|r| {
                check_qa(&r, &words)
                    .map(|()| r)
                    .map_err(|e| format!("字段 {}：{}", e.field, e.message))
            }) {
            Ok(r) => batch.push(r),
            Err(reason) => report.bad.push(BadLine {
                line: n + 1,
                reason,
            }),
        }
    }
    report.loaded = import_qa_records(db, indexes, batch).await?;
    Ok(report)
}

/// A Q&A record needs a question and an answer, neither with personal data or a
/// sensitive word (the checks staff entries pass).
fn check_qa(r: &QaRecord, words: &[String]) -> Result<(), DomainError> {
    check_id(&r.id)?;
    if r.question.trim().is_empty() {
        return Err(DomainError::new("question", "问题不能为空"));
    }
    if r.answer.trim().is_empty() {
        return Err(DomainError::new("answer", "答复不能为空"));
    }
    domain::screening::check("question", "问题", &r.question, words)?;
    domain::screening::check("answer", "答复", &r.answer, words)
}

/// Stores checked Q&A records in one transaction with their outbox events, then brings
/// this process's indexes up to them (running processes follow their outbox too).
pub async fn import_qa_records(
    db: &DatabaseConnection,
    indexes: &Indexes,
    records: Vec<QaRecord>,
) -> Result<usize> {
    let txn = crate::db::write(db).await?;
    let mut orgs = OrgCache::default();
    let mut n = 0;
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    for r in records {
        check_qa(&r, &[])?;
        let org_id = match non_empty(r.department) {
            Some(name) => Some(orgs.id(&txn, &name, "department").await?),
            None => None,
        };
        let model = qa_entry::ActiveModel {
            id: Set(r.id),
            question: Set(r.question.trim().to_owned()),
            answer: Set(r.answer.trim().to_owned()),
            document_id: Set(non_empty(r.document_id)),
            org_id: Set(org_id),
            section: Set(non_empty(r.section)),
            phone: Set(non_empty(r.phone)),
            topic: Set(non_empty(r.topic)),
            source: Set("import".to_owned()),
            published_on: Set(non_empty(r.published_date)),
            consultation_id: Set(None),
            updated_at: Set(None),
            flag: Set(None),
        };
        qa_entry::Entity::insert(model)
            .on_conflict(
                OnConflict::column(qa_entry::Column::Id)
                    .update_columns([
                        qa_entry::Column::Question,
                        qa_entry::Column::Answer,
                        qa_entry::Column::DocumentId,
                        qa_entry::Column::OrgId,
                        qa_entry::Column::Section,
                        qa_entry::Column::Phone,
                        qa_entry::Column::Topic,
                        qa_entry::Column::PublishedOn,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        n += 1;
    }
    let events: Vec<Event> = ids.iter().map(|id| Event::qa(id, false)).collect();
    outbox::record(&txn, &events).await?;
    txn.commit().await?;
    index_sync::catch_up(db, indexes).await?;
    indexes.qa.compact()?;
    Ok(n)
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn check_id(id: &str) -> Result<(), DomainError> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(DomainError::new(
            "id",
            "id 不能为空，只能包含字母、数字、- 和 _，最长 64 个字符",
        ));
    }
    Ok(())
}

fn check_date(field: &str, value: Option<String>) -> Result<Option<String>, DomainError> {
    match non_empty(value) {
        None => Ok(None),
        // Published texts sometimes carry full-width digits; they are the same date.
        Some(d) => chrono::NaiveDate::parse_from_str(&domain::text::fold_width(&d), "%Y-%m-%d")
            .map(|date| Some(date.format("%Y-%m-%d").to_string()))
            .map_err(|_| DomainError::new(field, format!("日期“{d}”格式不对，应为 YYYY-MM-DD"))),
    }
}

fn parse_document(r: DocumentRecord) -> Result<ParsedDocument, DomainError> {
    check_id(&r.id)?;
    let title = r.title.trim().to_owned();
    if title.is_empty() {
        return Err(DomainError::new("title", "标题不能为空"));
    }
    let doc_type = match non_empty(r.doc_type) {
        Some(t) if t == "其他" => DocType::Other,
        Some(t) => DocType::parse("doc_type", &t)?,
        None => DocType::Other,
    };
    let validity = match non_empty(r.validity) {
        Some(v) => Validity::parse("validity", &v)?,
        None => Validity::InForce,
    };
    let level = non_empty(r.level)
        .map(|l| Level::parse("level", &l).map(|l| l.as_str().to_owned()))
        .transpose()?;
    let doc_number = non_empty(r.doc_number);
    let doc_number_key = doc_number
        .as_deref()
        .and_then(DocNumber::parse)
        .map(|n| n.as_str().to_owned());
    let mut facets = Vec::new();
    for (facet, values) in [
        (
            "topic",
            non_empty(r.topic_auto)
                .into_iter()
                .chain(non_empty(r.subtopic))
                .collect::<Vec<_>>(),
        ),
        ("audience", r.audiences),
        ("category", r.categories),
    ] {
        for v in values {
            let v = v.trim().to_owned();
            if !v.is_empty() && !facets.iter().any(|(f, x)| *f == facet && *x == v) {
                facets.push((facet, v));
            }
        }
    }
    let mut interpretations = Vec::new();
    for i in r.interpretations {
        check_id(&i.id)?;
        let form = InterpretationForm::parse("interpretations.form", &i.form)?;
        interpretations.push((i, form));
    }
    let now = chrono::Utc::now().to_rfc3339();
    let id = r.id;
    let changed_on = check_date("validity_changed_date", r.validity_changed_date)?;
    let replaced_by = non_empty(r.superseded_by);
    let validity_change = match (non_empty(r.validity_reason), &changed_on) {
        (Some(reason), Some(date)) if validity != Validity::InForce => {
            Some(validity_change::ActiveModel {
                document_id: Set(id.clone()),
                validity: Set(validity.as_str().to_owned()),
                date: Set(date.clone()),
                reason: Set(reason),
                replaced_by: Set(replaced_by.clone()),
                draft_id: Set(None),
                at: Set(now.clone()),
                ..Default::default()
            })
        }
        _ => None,
    };
    let model = document::ActiveModel {
        id: Set(id.clone()),
        index_no: Set(non_empty(r.index_no)),
        title: Set(title),
        doc_number: Set(doc_number),
        doc_number_key: Set(doc_number_key),
        issuer_id: Set(None),
        level: Set(level),
        doc_type: Set(doc_type.as_str().to_owned()),
        written_on: Set(check_date("issued_date", r.issued_date)?),
        published_on: Set(check_date("published_date", r.published_date)?),
        effective_on: Set(check_date("effective_date", r.effective_date)?),
        validity: Set(validity.as_str().to_owned()),
        validity_changed_on: Set(changed_on),
        replaced_by: Set(replaced_by),
        body: Set(r.body.trim().to_owned()),
        source_url: Set(non_empty(r.source_url)),
        status: Set(PUBLISHED.to_owned()),
        created_at: Set(now.clone()),
        updated_at: Set(now),
        withdrawn_on: Set(None),
        withdrawal_reason: Set(None),
        body_html: Set(None),
    };
    Ok(ParsedDocument {
        id,
        model,
        issuer: non_empty(r.issuer),
        facets,
        attachments: r.attachments,
        interpretations,
        validity_change,
    })
}

/// Organization ids by name, creating missing organizations, within one transaction.
#[derive(Default)]
struct OrgCache(HashMap<String, i32>);

impl OrgCache {
    async fn id(&mut self, db: &impl ConnectionTrait, name: &str, kind: &str) -> Result<i32> {
        if let Some(id) = self.0.get(name) {
            return Ok(*id);
        }
        let existing = organization::Entity::find()
            .filter(organization::Column::Name.eq(name))
            .one(db)
            .await?;
        let id = match existing {
            Some(o) => o.id,
            None => {
                let model = organization::ActiveModel {
                    name: Set(name.to_owned()),
                    parent_id: Set(None),
                    kind: Set(kind.to_owned()),
                    phone: Set(None),
                    ..Default::default()
                };
                organization::Entity::insert(model)
                    .exec(db)
                    .await?
                    .last_insert_id
            }
        };
        self.0.insert(name.to_owned(), id);
        Ok(id)
    }
}

/// Writes one batch in a transaction with its outbox events, then brings this process's
/// indexes up to them; returns how many were stored.
async fn store_documents(
    db: &DatabaseConnection,
    indexes: &Indexes,
    batch: Vec<ParsedDocument>,
) -> Result<usize> {
    if batch.is_empty() {
        return Ok(0);
    }
    let txn = crate::db::write(db).await?;
    let mut orgs = OrgCache::default();
    let mut ids = Vec::with_capacity(batch.len());
    let mut models = Vec::with_capacity(batch.len());
    let mut facets = Vec::new();
    let mut attachments = Vec::new();
    let mut interpretations = Vec::new();
    let mut validity_changes = Vec::new();
    for mut p in batch {
        if let Some(name) = &p.issuer {
            p.model.issuer_id = Set(Some(orgs.id(&txn, name, "issuer").await?));
        }
        let id = p.id.clone();
        for (facet, value) in p.facets {
            facets.push(document_facet::ActiveModel {
                document_id: Set(id.clone()),
                facet: Set(facet.to_owned()),
                value: Set(value),
            });
        }
        for a in p.attachments {
            attachments.push(attachment::ActiveModel {
                document_id: Set(id.clone()),
                name: Set(a.name),
                url: Set(a.url),
                ..Default::default()
            });
        }
        for (i, form) in p.interpretations {
            let org_id = match non_empty(i.org) {
                Some(name) => Some(orgs.id(&txn, &name, "issuer").await?),
                None => None,
            };
            interpretations.push(interpretation::ActiveModel {
                id: Set(i.id),
                document_id: Set(id.clone()),
                title: Set(i.title),
                form: Set(form.as_str().to_owned()),
                org_id: Set(org_id),
                published_on: Set(non_empty(i.published_date)),
                body: Set(i.body),
                media_url: Set(non_empty(i.media_url)),
                alt: Set(None),
                caption_url: Set(None),
            });
        }
        validity_changes.extend(p.validity_change);
        ids.push(id);
        models.push(p.model);
    }

    // What was there before, to tell subscribers what is new or changed.
    let mut before: HashMap<String, Before> = HashMap::new();
    let mut old_interpretations: HashSet<String> = HashSet::new();
    for chunk in ids.chunks(200) {
        for d in document::Entity::find()
            .select_only()
            .column(document::Column::Id)
            .column(document::Column::Validity)
            .column(document::Column::Title)
            .column(document::Column::Body)
            .filter(document::Column::Id.is_in(chunk.iter().cloned()))
            .into_tuple::<(String, String, String, String)>()
            .all(&txn)
            .await?
        {
            before.insert(
                d.0,
                Before {
                    validity: d.1,
                    title: d.2,
                    body: d.3,
                },
            );
        }
        old_interpretations.extend(
            interpretation::Entity::find()
                .select_only()
                .column(interpretation::Column::Id)
                .filter(interpretation::Column::DocumentId.is_in(chunk.iter().cloned()))
                .into_tuple::<String>()
                .all(&txn)
                .await?,
        );
    }
    let mut events = Vec::new();
    for m in &models {
        let (Set(id), Set(validity)) = (&m.id, &m.validity) else {
            continue;
        };
        match before.get(id) {
            None => events.push(Event::document(FeedKind::NewDocument, id.clone(), None)),
            Some(old) if old.validity != *validity && validity != Validity::InForce.as_str() => {
                let replaced_by = match &m.replaced_by {
                    Set(Some(r)) => Some(r.clone()),
                    _ => None,
                };
                let mut detail = validity_detail(validity, replaced_by.as_deref(), &models);
                if let Some(reason) =
                    validity_changes
                        .iter()
                        .find_map(|c| match (&c.document_id, &c.reason) {
                            (Set(d), Set(r)) if d == id => Some(r.clone()),
                            _ => None,
                        })
                {
                    detail.push_str(&format!("：{reason}"));
                }
                events.push(Event::document(
                    FeedKind::ValidityChange,
                    id.clone(),
                    Some(detail),
                ));
            }
            // A corrected text: other processes must index it and drop what they keep.
            Some(old) if matches!((&m.title, &m.body), (Set(t), Set(b)) if *t != old.title || *b != old.body) =>
            {
                events.push(Event::document(
                    FeedKind::Revised,
                    id.clone(),
                    Some("文件内容更新".to_owned()),
                ));
            }
            Some(_) => {}
        }
    }
    for i in &interpretations {
        let (Set(iid), Set(doc), Set(title)) = (&i.id, &i.document_id, &i.title) else {
            continue;
        };
        if before.contains_key(doc) && !old_interpretations.contains(iid) {
            events.push(Event::document(
                FeedKind::NewInterpretation,
                doc.clone(),
                Some(format!("新增解读：{title}")),
            ));
        }
    }

    // Children are replaced wholesale so a re-import leaves exactly what the file says.
    for chunk in ids.chunks(200) {
        let chunk = chunk.to_vec();
        document_facet::Entity::delete_many()
            .filter(document_facet::Column::DocumentId.is_in(chunk.clone()))
            .exec(&txn)
            .await?;
        attachment::Entity::delete_many()
            .filter(attachment::Column::DocumentId.is_in(chunk.clone()))
            .exec(&txn)
            .await?;
        interpretation::Entity::delete_many()
            .filter(interpretation::Column::DocumentId.is_in(chunk.clone()))
            .exec(&txn)
            .await?;
        // Changes approved through review stay; the file's own record is replaced.
        validity_change::Entity::delete_many()
            .filter(validity_change::Column::DocumentId.is_in(chunk))
            .filter(validity_change::Column::DraftId.is_null())
            .exec(&txn)
            .await?;
    }
    let update_columns = [
        document::Column::IndexNo,
        document::Column::Title,
        document::Column::DocNumber,
        document::Column::DocNumberKey,
        document::Column::IssuerId,
        document::Column::Level,
        document::Column::DocType,
        document::Column::WrittenOn,
        document::Column::PublishedOn,
        document::Column::EffectiveOn,
        document::Column::Validity,
        document::Column::ValidityChangedOn,
        document::Column::ReplacedBy,
        document::Column::Body,
        document::Column::SourceUrl,
        document::Column::Status,
        document::Column::UpdatedAt,
    ];
    // SQLite caps bound parameters per statement; 19 columns × 40 rows stays well under it.
    for chunk in models.chunks(40) {
        document::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(document::Column::Id)
                    .update_columns(update_columns)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in facets.chunks(300) {
        document_facet::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in attachments.chunks(200) {
        attachment::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in interpretations.chunks(100) {
        interpretation::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in validity_changes.chunks(200) {
        validity_change::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    outbox::record(&txn, &events).await?;
    txn.commit().await?;
    index_sync::catch_up(db, indexes).await?;
    Ok(ids.len())
}

/// "已废止，由《…》替代" (the replacement named when it is in the same batch).
fn validity_detail(
    validity: &str,
    replaced_by: Option<&str>,
    batch: &[document::ActiveModel],
) -> String {
    let title = replaced_by.and_then(|r| {
        batch.iter().find_map(|m| match (&m.id, &m.title) {
            (Set(id), Set(t)) if id == r => Some(t.clone()),
            _ => None,
        })
    });
    let now = if validity.starts_with('已') {
        validity.to_owned()
    } else {
        format!("已{validity}")
    };
    match (replaced_by, title) {
        (_, Some(t)) => format!("{now}，由《{t}》替代"),
        (Some(_), None) => format!("{now}，已有替代文件"),
        (None, None) => now,
    }
}

/// What a re-imported document was, to tell what changed.
struct Before {
    validity: String,
    title: String,
    body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_record_maps_onto_the_facets() {
        let line = r#"{"id":"lrb-1","title":"专利代理条例","doc_number":"中华人民共和国国务院令第706号","issuer":"国务院","published_date":"2018-11-06","doc_type":"行政法规","topic_auto":"科技、教育","validity":"有效","body":"第一条","history":["x"]}"#;
        let r: DocumentRecord = serde_json::from_str(line).unwrap_or_default();
        let p = parse_document(r);
        assert!(p.is_ok());
        if let Ok(p) = p {
            assert_eq!(p.model.doc_type, Set("行政法规".to_owned()));
            assert_eq!(p.model.validity, Set("现行有效".to_owned()));
            assert_eq!(p.facets, vec![("topic", "科技、教育".to_owned())]);
            assert_eq!(p.issuer.as_deref(), Some("国务院"));
            assert_eq!(p.model.level, Set(None));
        }
    }

    #[test]
    fn bad_fields_are_named() {
        let cases = [
            (r#"{"id":"","title":"x"}"#, "id"),
            (r#"{"id":"a","title":" "}"#, "title"),
            (
                r#"{"id":"a","title":"x","published_date":"2020/1/1"}"#,
                "published_date",
            ),
            (r#"{"id":"a","title":"x","validity":"永久"}"#, "validity"),
            (r#"{"id":"a","title":"x","doc_type":"小说"}"#, "doc_type"),
        ];
        for (line, field) in cases {
            let r: DocumentRecord = serde_json::from_str(line).unwrap_or_default();
            assert_eq!(
                parse_document(r).err().map(|e| e.field),
                Some(field.to_owned()),
                "{line}"
            );
        }
    }
}
