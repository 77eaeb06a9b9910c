//! A published document's life after publication. Staff of the issuing organization start
//! a change from the document: a revision (a new version, the old ones kept), a validity
//! change (已修改、废止、失效 with date, reason and replacing document), a withdrawal (撤回,
//! the page keeps a public notice) or interpretations added later. Each is a draft that
//! passes the same three levels; the last approval applies it in its own transaction with
//! the outbox event that tells subscribers why, the audit entry, and a flag on every Q&A
//! entry linked to the document for its department to check again.

use domain::account::SessionUser;
use domain::audit::AuditAction;
use domain::feed::FeedKind;
use domain::library::Facet;
use domain::review::{Change, ChangeForm, Draft, DraftKind, Stage};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{content, kind_of, require_drafter};
use crate::audit::{self, Subject};
use crate::entity::{
    document, document_facet, document_version, draft, draft_interpretation, qa_entry,
    validity_change,
};
use crate::error::{Result, ServiceError};
use crate::library::PUBLISHED;
use crate::outbox::{self, Event};

/// `status` of a withdrawn document: out of the library, its page a notice.
pub const WITHDRAWN: &str = "withdrawn";

/// Any fixed key: on PostgreSQL, people starting changes take turns on it.
const CHANGE_LOCK: i64 = 0x007a_6863_6861_6e67;

fn document_missing() -> ServiceError {
    ServiceError::NotFound("该文件".to_owned())
}

/// A published document, or the same 404 as a missing one.
async fn published(db: &impl ConnectionTrait, id: &str) -> Result<document::Model> {
    document::Entity::find_by_id(id.to_owned())
        .filter(document::Column::Status.eq(PUBLISHED))
        .one(db)
        .await?
        .ok_or_else(document_missing)
}

/// The changes the caller may start on a document: all of them for staff of its issuing
/// organization, none for anyone else (nor for a document that is not published).
pub async fn changeable(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
    document_id: &str,
) -> Result<Vec<DraftKind>> {
    let Ok((_, org)) = require_drafter(caller) else {
        return Ok(Vec::new());
    };
    let issuer: Option<Option<i32>> = document::Entity::find_by_id(document_id.to_owned())
        .select_only()
        .column(document::Column::IssuerId)
        .filter(document::Column::Status.eq(PUBLISHED))
        .into_tuple()
        .one(db)
        .await?;
    Ok(if issuer == Some(Some(org)) {
        DraftKind::CHANGES.to_vec()
    } else {
        Vec::new()
    })
}

/// A staff member starts a change of a published document of their own organization;
/// returns the new draft's id. One change of a document is open at a time, so two
/// revisions never overwrite each other.
pub async fn start(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    document_id: &str,
    kind: DraftKind,
) -> Result<String> {
    let (user, org) = require_drafter(caller)?;
    if kind == DraftKind::New {
        return Err(ServiceError::Invalid(domain::DomainError::new(
            "kind",
            "请选择变更类型：修订、效力变更、撤回或补充解读",
        )));
    }
    let doc = published(db, document_id).await?;
    if doc.issuer_id != Some(org) {
        return Err(ServiceError::Forbidden(
            "只能变更本单位发布的文件（谁公开谁审核）".to_owned(),
        ));
    }
    let facets = document_facet::Entity::find()
        .filter(document_facet::Column::DocumentId.eq(document_id))
        .order_by_asc(document_facet::Column::Value)
        .all(db)
        .await?;
    let first = |f: Facet| {
        facets
            .iter()
            .find(|v| v.facet == f.param())
            .map(|v| v.value.clone())
    };
    let d = Draft {
        title: doc.title.clone(),
        doc_number: doc
            .doc_number
            .as_deref()
            .and_then(domain::library::DocNumber::parse),
        doc_type: domain::library::DocType::parse("doc_type", &doc.doc_type)?,
        topic: first(Facet::Topic),
        audience: first(Facet::Audience),
        category: first(Facet::Category),
        index_no: doc.index_no.clone(),
        body: source_of(db, &doc).await?,
    };
    // Checked and written in one turn: of two people starting a change at once, the
    // second finds the first's draft.
    let txn = crate::db::write(db).await?;
    crate::db::take_turn(&txn, CHANGE_LOCK).await?;
    if let Some(open) = draft::Entity::find()
        .filter(draft::Column::DocumentId.eq(document_id))
        .filter(draft::Column::Stage.ne(Stage::Published.as_str()))
        .one(&txn)
        .await?
    {
        return Err(ServiceError::Conflict(format!(
            "该文件已有一份未完成的{}（草稿编号 {}），请在“起草文件”中继续办理",
            open.kind, open.id
        )));
    }
    super::check_open(&txn, user).await?;
    let id = super::insert(&txn, user, org, &d, kind, Some(doc.id)).await?;
    txn.commit().await?;
    Ok(id)
}

/// The structured text the document's current body was published from: the last new or
/// revision draft that wrote it; an imported document's own text.
async fn source_of(db: &impl ConnectionTrait, doc: &document::Model) -> Result<String> {
    let source: Option<String> = draft::Entity::find()
        .select_only()
        .column(draft::Column::Body)
        .filter(draft::Column::DocumentId.eq(doc.id.as_str()))
        .filter(draft::Column::Stage.eq(Stage::Published.as_str()))
        .filter(draft::Column::Kind.is_in([DraftKind::New.as_str(), DraftKind::Revision.as_str()]))
        .order_by_desc(draft::Column::UpdatedAt)
        .into_tuple()
        .one(db)
        .await?;
    Ok(source.unwrap_or_else(|| doc.body.clone()))
}

/// The drafter saves the change's fields (the note, date, reason, replacing document).
pub async fn save_change(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: &str,
    form: &ChangeForm,
) -> Result<()> {
    let (user, _) = require_drafter(caller)?;
    let row = super::own(db, user, id).await?;
    let change = Change::parse(kind_of(&row)?, form)?.ok_or_else(|| {
        ServiceError::Invalid(domain::DomainError::new(
            "kind",
            "新文件草稿没有变更信息，请直接修改正文",
        ))
    })?;
    if let Change::Validity {
        replaced_by: Some(by),
        ..
    } = &change
    {
        check_replacement(db, &row, by).await?;
    }
    let json = serde_json::to_string(&change)
        .map_err(|e| ServiceError::Internal(format!("change: {e}")))?;
    let m = draft::ActiveModel {
        change: Set(Some(json)),
        updated_at: Set(chrono::Utc::now().to_rfc3339()),
        ..Default::default()
    };
    super::while_editable(db, id, m).await
}

/// The replacing document must be published, and not the document itself.
async fn check_replacement(db: &impl ConnectionTrait, row: &draft::Model, by: &str) -> Result<()> {
    let bad = |m: &str| ServiceError::Invalid(domain::DomainError::new("replaced_by", m));
    if row.document_id.as_deref() == Some(by) {
        return Err(bad("替代文件不能是本文件"));
    }
    match published(db, by).await {
        Ok(_) => Ok(()),
        Err(ServiceError::NotFound(_)) => {
            Err(bad("未找到该替代文件，请填写已发布文件的编号或页面网址"))
        }
        Err(e) => Err(e),
    }
}

/// The stored change of a draft, if saved.
pub(super) fn change_of(row: &draft::Model) -> Result<Option<Change>> {
    row.change
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| ServiceError::Internal(format!("draft {} change: {e}", row.id)))
}

/// What submitting a change needs besides the screening of its text: the change written,
/// its document still published, and something to publish.
pub(super) async fn check_submit(db: &impl ConnectionTrait, row: &draft::Model) -> Result<()> {
    let kind = kind_of(row)?;
    if kind == DraftKind::New {
        return Ok(());
    }
    let Some(change) = change_of(row)? else {
        return Err(ServiceError::Invalid(domain::DomainError::new(
            "reason",
            format!("请先填写并保存{}信息", kind.as_str()),
        )));
    };
    let doc = published(db, row.document_id.as_deref().unwrap_or_default())
        .await
        .map_err(|_| gone_meanwhile())?;
    match change {
        Change::Revision { .. } if doc.title == row.title && doc.body == row.body => {
            Err(ServiceError::Invalid(domain::DomainError::new(
                "body",
                "修订稿的标题和正文与现行版本相同，请修改后再提交",
            )))
        }
        Change::Addendum
            if draft_interpretation::Entity::find()
                .filter(draft_interpretation::Column::DraftId.eq(row.id.as_str()))
                .count(db)
                .await?
                == 0 =>
        {
            Err(ServiceError::Invalid(domain::DomainError::new(
                "interpretations",
                "请至少添加一篇解读再提交",
            )))
        }
        Change::Validity {
            replaced_by: Some(by),
            ..
        } => check_replacement(db, row, &by).await,
        _ => Ok(()),
    }
}

fn gone_meanwhile() -> ServiceError {
    ServiceError::Conflict("该文件已不在公开文件中（可能已被撤回），本变更无法发布".to_owned())
}

/// Applies an approved change to its document (inside the last approval's transaction);
/// returns the document's id.
pub(super) async fn apply(
    txn: &impl ConnectionTrait,
    reviewer: &SessionUser,
    row: &draft::Model,
) -> Result<String> {
    let doc = published(txn, row.document_id.as_deref().unwrap_or_default())
        .await
        .map_err(|_| gone_meanwhile())?;
    let change = change_of(row)?.ok_or_else(|| {
        ServiceError::Internal(format!("draft {}: approved without its change", row.id))
    })?;
    let now = chrono::Utc::now();
    let today = crate::clock::city_date(now);
    let (kind, action, detail, flag) = match &change {
        Change::Revision { note } => {
            let version = revise(txn, reviewer, &doc, row, note, &today).await?;
            (
                FeedKind::Revised,
                AuditAction::Revise,
                format!("第 {version} 版：{note}"),
                // Flagged in `revise`, before the revision's own Q&A entries exist.
                String::new(),
            )
        }
        Change::Validity {
            validity,
            date,
            reason,
            replaced_by,
        } => {
            let by = match replaced_by {
                Some(by) => Some(
                    published(txn, by)
                        .await
                        .map_err(|_| {
                            ServiceError::Conflict(
                                "替代文件已不在公开文件中，请退回起草人修改".to_owned(),
                            )
                        })?
                        .title,
                ),
                None => None,
            };
            document::Entity::update_many()
                .col_expr(document::Column::Validity, Expr::value(validity.as_str()))
                .col_expr(
                    document::Column::ValidityChangedOn,
                    Expr::value(date.as_str()),
                )
                .col_expr(
                    document::Column::ReplacedBy,
                    Expr::value(replaced_by.clone()),
                )
                .col_expr(document::Column::UpdatedAt, Expr::value(now.to_rfc3339()))
                .filter(document::Column::Id.eq(doc.id.as_str()))
                .exec(txn)
                .await?;
            validity_change::ActiveModel {
                document_id: Set(doc.id.clone()),
                validity: Set(validity.as_str().to_owned()),
                date: Set(date.clone()),
                reason: Set(reason.clone()),
                replaced_by: Set(replaced_by.clone()),
                draft_id: Set(Some(row.id.clone())),
                at: Set(now.to_rfc3339()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let mut detail = format!("自 {date} 起{}：{reason}", validity.as_str());
            if let Some(title) = by {
                detail.push_str(&format!("。由《{title}》替代"));
            }
            (
                FeedKind::ValidityChange,
                AuditAction::ChangeValidity,
                detail.clone(),
                format!("关联文件{detail}"),
            )
        }
        Change::Withdrawal { reason } => {
            document::Entity::update_many()
                .col_expr(document::Column::Status, Expr::value(WITHDRAWN))
                .col_expr(document::Column::WithdrawnOn, Expr::value(today.as_str()))
                .col_expr(
                    document::Column::WithdrawalReason,
                    Expr::value(reason.as_str()),
                )
                .col_expr(document::Column::UpdatedAt, Expr::value(now.to_rfc3339()))
                .filter(document::Column::Id.eq(doc.id.as_str()))
                .exec(txn)
                .await?;
            (
                FeedKind::Withdrawn,
                AuditAction::Withdraw,
                format!("已于 {today} 撤回：{reason}"),
                format!("关联文件已于 {today} 撤回：{reason}"),
            )
        }
        Change::Addendum => {
            let titles: Vec<String> = draft_interpretation::Entity::find()
                .select_only()
                .column(draft_interpretation::Column::Title)
                .filter(draft_interpretation::Column::DraftId.eq(row.id.as_str()))
                .order_by_asc(draft_interpretation::Column::Id)
                .into_tuple()
                .all(txn)
                .await?;
            super::files::publish(txn, &row.id, &doc.id).await?;
            super::interpretations::publish(txn, reviewer, row, &doc.id).await?;
            let detail = format!("新增解读：{}", titles.join("；"));
            (
                FeedKind::NewInterpretation,
                AuditAction::PublishInterpretation,
                detail,
                String::new(),
            )
        }
    };
    audit::record(
        txn,
        reviewer,
        action,
        Subject::Document(doc.id.clone()),
        Some(format!("《{}》{detail}", doc.title)),
    )
    .await?;
    outbox::record(txn, &[Event::document(kind, doc.id.clone(), Some(detail))]).await?;
    if !flag.is_empty() {
        flag_qa(txn, &doc.id, &flag).await?;
    }
    Ok(doc.id)
}

/// Writes the draft as the document's next version, keeping the current one as the
/// version before it; returns the new version's number.
async fn revise(
    txn: &impl ConnectionTrait,
    reviewer: &SessionUser,
    doc: &document::Model,
    row: &draft::Model,
    note: &str,
    today: &str,
) -> Result<i32> {
    let last: Option<i32> = document_version::Entity::find()
        .select_only()
        .column_as(document_version::Column::Version.max(), "v")
        .filter(document_version::Column::DocumentId.eq(doc.id.as_str()))
        .into_tuple::<Option<i32>>()
        .one(txn)
        .await?
        .flatten();
    let last = match last {
        Some(v) => v,
        None => {
            // The original publication becomes version 1 on its first revision.
            version(doc, 1, doc.published_on.clone(), None, None)
                .insert(txn)
                .await?;
            1
        }
    };
    let d = content(row)?;
    let number = d.doc_number.as_ref().map(|n| n.as_str().to_owned());
    let now = chrono::Utc::now().to_rfc3339();
    let (body, body_html) = super::publish::render(&d.body);
    document::Entity::update_many()
        .col_expr(document::Column::Title, Expr::value(d.title.clone()))
        .col_expr(document::Column::DocNumber, Expr::value(number.clone()))
        .col_expr(document::Column::DocNumberKey, Expr::value(number))
        .col_expr(document::Column::DocType, Expr::value(d.doc_type.as_str()))
        .col_expr(document::Column::IndexNo, Expr::value(d.index_no.clone()))
        .col_expr(document::Column::Body, Expr::value(body.clone()))
        .col_expr(document::Column::BodyHtml, Expr::value(body_html))
        .col_expr(document::Column::UpdatedAt, Expr::value(now))
        .filter(document::Column::Id.eq(doc.id.as_str()))
        .exec(txn)
        .await?;
    for (facet, value) in [
        (Facet::Topic, &d.topic),
        (Facet::Audience, &d.audience),
        (Facet::Category, &d.category),
    ] {
        replace_facet(txn, &doc.id, facet, value.as_deref()).await?;
    }
    let next = last + 1;
    flag_qa(
        txn,
        &doc.id,
        &format!("关联文件于 {today} 修订为第 {next} 版：{note}"),
    )
    .await?;
    super::files::publish(txn, &row.id, &doc.id).await?;
    super::interpretations::publish(txn, reviewer, row, &doc.id).await?;
    let revised = document::Model {
        title: d.title,
        doc_number: d.doc_number.map(|n| n.as_str().to_owned()),
        body,
        ..doc.clone()
    };
    version(
        &revised,
        next,
        Some(today.to_owned()),
        Some(note.to_owned()),
        Some(row.id.clone()),
    )
    .insert(txn)
    .await?;
    Ok(next)
}

fn version(
    doc: &document::Model,
    number: i32,
    published_on: Option<String>,
    note: Option<String>,
    draft_id: Option<String>,
) -> document_version::ActiveModel {
    document_version::ActiveModel {
        document_id: Set(doc.id.clone()),
        version: Set(number),
        title: Set(doc.title.clone()),
        doc_number: Set(doc.doc_number.clone()),
        body: Set(doc.body.clone()),
        published_on: Set(published_on),
        note: Set(note),
        draft_id: Set(draft_id),
        ..Default::default()
    }
}

/// A revision's facet value: one the document already has keeps all its values (the
/// draft shows one of several); another replaces them; none removes them.
async fn replace_facet(
    txn: &impl ConnectionTrait,
    doc: &str,
    facet: Facet,
    value: Option<&str>,
) -> Result<()> {
    let current: Vec<String> = document_facet::Entity::find()
        .select_only()
        .column(document_facet::Column::Value)
        .filter(document_facet::Column::DocumentId.eq(doc))
        .filter(document_facet::Column::Facet.eq(facet.param()))
        .into_tuple()
        .all(txn)
        .await?;
    if value.is_some_and(|v| current.iter().any(|c| c == v)) {
        return Ok(());
    }
    document_facet::Entity::delete_many()
        .filter(document_facet::Column::DocumentId.eq(doc))
        .filter(document_facet::Column::Facet.eq(facet.param()))
        .exec(txn)
        .await?;
    if let Some(v) = value {
        document_facet::ActiveModel {
            document_id: Set(doc.to_owned()),
            facet: Set(facet.param().to_owned()),
            value: Set(v.to_owned()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Marks every Q&A entry answering from `doc` for its department to check again.
async fn flag_qa(txn: &impl ConnectionTrait, doc: &str, why: &str) -> Result<()> {
    qa_entry::Entity::update_many()
        .col_expr(qa_entry::Column::Flag, Expr::value(why))
        .filter(qa_entry::Column::DocumentId.eq(doc))
        .exec(txn)
        .await?;
    Ok(())
}

/// The public notice of a withdrawn document, as its page shows it (410), or the same
/// 404 as a missing one.
pub async fn notice(db: &impl ConnectionTrait, id: &str) -> Result<ServiceError> {
    let row = document::Entity::find_by_id(id.to_owned())
        .filter(document::Column::Status.eq(WITHDRAWN))
        .one(db)
        .await?
        .ok_or_else(document_missing)?;
    Ok(ServiceError::Gone(format!(
        "《{}》已于 {} 撤回，不再公开。撤回原因：{}",
        row.title,
        row.withdrawn_on.unwrap_or_default(),
        row.withdrawal_reason.unwrap_or_default()
    )))
}
