//! The policy Q&A knowledge base (政策问答): search, entry pages, and entries staff write
//! directly or publish from an answered consultation. Each change records an outbox event
//! in its own transaction, so every process's Q&A index follows, and subscribers to the
//! entry's topic or department hear of new ones.

pub mod index;

use domain::account::{Role, SessionUser};
use domain::qa::{FlaggedQa, QA_PAGE, QaDetail, QaDraft, QaForm, QaHit, QaPage, QaQuery, QaView};
use domain::text::has_searchable_chars;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::account::require_publisher;
use crate::entity::{consultation, document, organization, qa_entry};
use crate::error::{Result, ServiceError};
use crate::library::{PUBLISHED, day_number, lead};
use crate::lookup::{document_titles, org_names};
use crate::outbox::{self, Event};
use domain::audit::AuditAction;
pub use index::{IndexedQa, QaIndex};

/// Searches the knowledge base; counts by department and topic cover the whole result.
pub async fn search(
    db: &impl ConnectionTrait,
    index: &std::sync::Arc<QaIndex>,
    query: &QaQuery,
) -> Result<QaPage> {
    let answer = {
        let (index, query) = (index.clone(), query.clone());
        crate::off_the_workers(crate::Heavy::Search, move || index.search(&query)).await??
    };
    let rows = load(db, &answer.ids).await?;
    let views = views(db, rows).await?;
    let ordered: Vec<&(qa_entry::Model, QaView)> = answer
        .ids
        .iter()
        .filter_map(|id| views.iter().find(|(m, _)| &m.id == id))
        .collect();
    let snippets = match &answer.text_query {
        Some(tq) => {
            let texts: Vec<&[u8]> = ordered.iter().map(|(m, _)| m.answer.as_bytes()).collect();
            index.snippets(tq.as_ref(), &texts)
        }
        None => ordered.iter().map(|(m, _)| lead(&m.answer)).collect(),
    };
    let hits = ordered
        .into_iter()
        .zip(snippets)
        .map(|((m, v), snippet)| QaHit {
            id: v.id.clone(),
            question: v.question.clone(),
            snippet,
            department: v.department.clone(),
            section: v.section.clone(),
            phone: v.phone.clone(),
            topic: m.topic.clone(),
            document_id: v.document_id.clone(),
            document_title: v.document_title.clone(),
            published_date: m.published_on.clone(),
        })
        .collect();
    let notice = match query.q.as_deref() {
        Some(q) if !has_searchable_chars(q) => {
            Some("搜索词里没有可检索的文字，请输入想问的问题或关键词，例如“社保补贴”。".to_owned())
        }
        Some(_) if answer.total == 0 => {
            Some("没有找到相关问答。可以换个说法，或在线咨询，由主管部门答复。".to_owned())
        }
        _ => None,
    };
    Ok(QaPage {
        total: answer.total,
        facets: answer.facets,
        hits,
        page: query.page,
        per_page: QA_PAGE,
        notice,
    })
}

/// One entry with its document, and the other entries on that document.
pub async fn entry(
    db: &impl ConnectionTrait,
    viewer: Option<&SessionUser>,
    id: &str,
) -> Result<QaDetail> {
    let model = qa_entry::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound("该问答".to_owned()))?;
    let related = match &model.document_id {
        Some(doc) => {
            let others = qa_entry::Entity::find()
                .filter(qa_entry::Column::DocumentId.eq(doc.as_str()))
                .filter(qa_entry::Column::Id.ne(id))
                .order_by_asc(qa_entry::Column::Id)
                .limit(10)
                .all(db)
                .await?;
            views(db, others)
                .await?
                .into_iter()
                .map(|(_, v)| v)
                .collect()
        }
        None => Vec::new(),
    };
    // A consultation is linked only when its asker made it public.
    let consultation_id = match model.consultation_id {
        Some(c) => consultation::Entity::find_by_id(c)
            .filter(consultation::Column::Public.eq(true))
            .one(db)
            .await?
            .map(|c| c.id),
        None => None,
    };
    let editable = viewer.is_some_and(|u| may_edit(u, model.org_id));
    let (topic, published_date) = (model.topic.clone(), model.published_on.clone());
    let (_, entry) = views(db, vec![model])
        .await?
        .pop()
        .ok_or_else(|| ServiceError::NotFound("该问答".to_owned()))?;
    Ok(QaDetail {
        entry,
        topic,
        published_date,
        consultation_id,
        editable,
        related,
    })
}

/// Most flagged entries one inbox lists.
const FLAGGED_LISTED: u64 = 200;

/// The entries of the caller's department (all departments' for an admin) whose document
/// changed since they were written, oldest first.
pub async fn flagged(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
) -> Result<Vec<FlaggedQa>> {
    let user = require_publisher(caller)?;
    let mut q = qa_entry::Entity::find().filter(qa_entry::Column::Flag.is_not_null());
    if user.role != Role::Admin {
        let org = user
            .org_id
            .and_then(|o| i32::try_from(o).ok())
            .unwrap_or(-1);
        q = q.filter(qa_entry::Column::OrgId.eq(org));
    }
    Ok(q.order_by_asc(qa_entry::Column::Id)
        .limit(FLAGGED_LISTED)
        .all(db)
        .await?
        .into_iter()
        .map(|m| FlaggedQa {
            id: m.id,
            question: m.question,
            flag: m.flag.unwrap_or_default(),
        })
        .collect())
}

/// Admins edit any entry; staff the entries of their own department.
fn may_edit(user: &SessionUser, org: Option<i32>) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Staff => user.org_id.is_some() && user.org_id == org.map(i64::from),
        _ => false,
    }
}

/// The form of an existing entry, for editing; only for those who may edit it.
pub async fn form_of(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
    id: &str,
) -> Result<QaForm> {
    let user = require_publisher(caller)?;
    let m = qa_entry::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound("该问答".to_owned()))?;
    if !may_edit(user, m.org_id) {
        return Err(ServiceError::Forbidden(
            "只能修改本部门答复的问答".to_owned(),
        ));
    }
    let department = org_names(db, m.org_id.into_iter().collect())
        .await?
        .into_values()
        .next()
        .unwrap_or_default();
    Ok(QaForm {
        question: m.question,
        answer: m.answer,
        document: m.document_id.unwrap_or_default(),
        topic: m.topic.unwrap_or_default(),
        section: m.section.unwrap_or_default(),
        phone: m.phone.unwrap_or_default(),
        department,
    })
}

/// Staff write (or, with `id`, edit) an entry directly: proactive interpretation. Returns
/// the entry's id; every process indexes it from its outbox event.
pub async fn save(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: Option<&str>,
    form: &QaForm,
) -> Result<String> {
    let user = require_publisher(caller)?;
    let draft = QaDraft::parse(form, &crate::screening::sensitive_words(db).await?)?;
    let txn = crate::db::write(db).await?;
    let id = match id {
        Some(id) => {
            let m = qa_entry::Entity::find_by_id(id.to_owned())
                .one(&txn)
                .await?
                .ok_or_else(|| ServiceError::NotFound("该问答".to_owned()))?;
            if !may_edit(user, m.org_id) {
                return Err(ServiceError::Forbidden(
                    "只能修改本部门答复的问答".to_owned(),
                ));
            }
            let id = store(&txn, user, &draft, Stored::Edit(Box::new(m))).await?;
            crate::audit::record(
                &txn,
                user,
                AuditAction::EditQa,
                crate::audit::Subject::Qa(id.clone()),
                Some(draft.question.clone()),
            )
            .await?;
            id
        }
        None => {
            let id = store(&txn, user, &draft, Stored::Proactive).await?;
            crate::audit::record(
                &txn,
                user,
                AuditAction::SaveQa,
                crate::audit::Subject::Qa(id.clone()),
                Some(draft.question.clone()),
            )
            .await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

/// How an entry comes to be stored.
pub(crate) enum Stored {
    /// Written directly by staff.
    Proactive,
    /// Published from the answer of this consultation.
    FromConsultation(i64),
    /// An existing entry, changed.
    Edit(Box<qa_entry::Model>),
}

/// Writes a checked entry and its outbox event inside the caller's transaction. The
/// department is the caller's own (staff) or the one the admin names.
pub(crate) async fn store(
    txn: &impl ConnectionTrait,
    user: &SessionUser,
    draft: &QaDraft,
    how: Stored,
) -> Result<String> {
    let org_id = match (user.role, &draft.department, user.org_id) {
        (Role::Admin, Some(name), _) => Some(org_by_name(txn, name).await?),
        (_, _, Some(org)) => Some(org as i32),
        (_, _, None) => {
            return Err(domain::DomainError::new("department", "请填写答复部门").into());
        }
    };
    if let Some(doc) = &draft.document_id {
        let found = document::Entity::find_by_id(doc.clone())
            .filter(document::Column::Status.eq(PUBLISHED))
            .count(txn)
            .await?;
        if found == 0 {
            return Err(domain::DomainError::new(
                "document",
                "没有找到这份相关文件，请填写文件页地址中的编号，或留空",
            )
            .into());
        }
    }
    let now = chrono::Utc::now();
    let today = crate::clock::city_date(now);
    let (id, new) = match &how {
        Stored::Edit(m) => (m.id.clone(), false),
        _ => (crate::lookup::new_id("qa"), true),
    };
    let (source, consultation_id, published_on) = match how {
        Stored::Proactive => ("proactive".to_owned(), None, Some(today)),
        Stored::FromConsultation(c) => ("consultation".to_owned(), Some(c), Some(today)),
        Stored::Edit(m) => (m.source, m.consultation_id, m.published_on),
    };
    let model = qa_entry::ActiveModel {
        id: Set(id.clone()),
        question: Set(draft.question.clone()),
        answer: Set(draft.answer.clone()),
        document_id: Set(draft.document_id.clone()),
        org_id: Set(org_id),
        section: Set(Some(draft.contact.section.clone())),
        phone: Set(Some(draft.contact.phone.clone())),
        topic: Set(draft.topic.clone()),
        source: Set(source),
        published_on: Set(published_on),
        consultation_id: Set(consultation_id),
        updated_at: Set(Some(now.to_rfc3339())),
        // Written or checked again by its department: no longer waiting to be checked.
        flag: Set(None),
    };
    if new {
        model.insert(txn).await?;
    } else {
        model.update(txn).await?;
    }
    outbox::record(txn, &[Event::qa(&id, new)]).await?;
    Ok(id)
}

async fn org_by_name(db: &impl ConnectionTrait, name: &str) -> Result<i32> {
    organization::Entity::find()
        .filter(organization::Column::Name.eq(name))
        .one(db)
        .await?
        .map(|o| o.id)
        .ok_or_else(|| {
            domain::DomainError::new(
                "department",
                format!("没有“{name}”这个部门，请从列表中选择"),
            )
            .into()
        })
}

/// What the index needs for these entries, with department names.
pub async fn indexed(
    db: &impl ConnectionTrait,
    rows: &[qa_entry::Model],
) -> Result<Vec<IndexedQa>> {
    let orgs = org_names(db, rows.iter().filter_map(|r| r.org_id).collect()).await?;
    Ok(rows
        .iter()
        .map(|r| IndexedQa {
            id: r.id.clone(),
            question: r.question.clone(),
            answer: r.answer.clone(),
            department: r.org_id.and_then(|o| orgs.get(&o).cloned()),
            section: r.section.clone(),
            topic: r.topic.clone(),
            published_day: r.published_on.as_deref().map_or(0, day_number),
        })
        .collect())
}

/// The entries of a document, for its page.
pub async fn of_document(db: &impl ConnectionTrait, document_id: &str) -> Result<Vec<QaView>> {
    let rows = qa_entry::Entity::find()
        .filter(qa_entry::Column::DocumentId.eq(document_id))
        .order_by_asc(qa_entry::Column::Id)
        .all(db)
        .await?;
    Ok(views(db, rows).await?.into_iter().map(|(_, v)| v).collect())
}

pub(crate) async fn load(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<qa_entry::Model>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            qa_entry::Entity::find()
                .filter(qa_entry::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Entries as pages show them: department names and document titles in two reads.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<qa_entry::Model>,
) -> Result<Vec<(qa_entry::Model, QaView)>> {
    let orgs = org_names(db, rows.iter().filter_map(|r| r.org_id).collect()).await?;
    let titles = document_titles(db, rows.iter().filter_map(|r| r.document_id.clone())).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let view = QaView {
                id: r.id.clone(),
                question: r.question.clone(),
                answer: r.answer.clone(),
                department: r.org_id.and_then(|o| orgs.get(&o).cloned()),
                section: r.section.clone(),
                phone: r.phone.clone(),
                document_title: r.document_id.as_ref().and_then(|d| titles.get(d).cloned()),
                document_id: r.document_id.clone(),
            };
            (r, view)
        })
        .collect())
}
