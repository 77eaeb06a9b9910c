//! Drafting and the three-level review (三级审核). Staff of an organization write drafts;
//! submitting screens them (personal data and sensitive words refuse, error-prone terms
//! warn); 初审, 复审 and 终审 approve in turn, each by a different person holding that level
//! for the organization, or return the draft to its drafter with comments. Only the last
//! approval publishes, in its own transaction with the document's outbox event.
//!
//! Who sees a draft: staff of its organization, reviewers holding a level for it, admins.
//! Anyone else gets the same 404 as for an id that does not exist.

pub mod demo;
pub mod files;
pub mod grants;
pub mod interpretations;
pub mod lifecycle;
pub mod publish;

use domain::account::{Role, SessionUser};
use domain::audit::AuditAction;
use domain::library::{DocNumber, DocType};
use domain::review::{
    Decision, DiffLine, Draft, DraftForm, DraftKind, DraftSummary, DraftView, DraftWarning,
    ReviewEntry, ReviewLevel, Stage, refuse_reviewer,
};
use domain::screening::Lexicon;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::account::require_user;
use crate::audit::{self, Subject};
use crate::entity::{draft, draft_review, draft_version, organization, review_grant, user};
use crate::error::{Result, ServiceError};
use crate::lookup::new_id;

pub use publish::store;

/// Most unpublished drafts one staff member keeps at a time.
pub const MAX_OPEN_DRAFTS: u64 = 100;

/// Longest list a drafts or review page shows.
pub const LIST_LIMIT: u64 = 200;

fn not_found() -> ServiceError {
    ServiceError::NotFound("该草稿".to_owned())
}

/// The caller must be staff of an organization: drafts belong to one.
pub fn require_drafter(caller: Option<&SessionUser>) -> Result<(&SessionUser, i32)> {
    let u = require_user(caller)?;
    match (u.role, u.org_id.and_then(|o| i32::try_from(o).ok())) {
        (Role::Staff, Some(org)) => Ok((u, org)),
        _ => Err(ServiceError::Forbidden(
            "只有单位工作人员可以起草文件".to_owned(),
        )),
    }
}

/// The caller must be staff: review levels are held by staff.
pub fn require_reviewer(caller: Option<&SessionUser>) -> Result<&SessionUser> {
    let u = require_user(caller)?;
    if u.role == Role::Staff {
        Ok(u)
    } else {
        Err(ServiceError::Forbidden(
            "只有获授审核级别的工作人员可以审核".to_owned(),
        ))
    }
}

/// The draft `id` if `user` may see it; otherwise the same 404 as a missing id.
async fn visible(db: &impl ConnectionTrait, user: &SessionUser, id: &str) -> Result<draft::Model> {
    let row = draft::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let own_org = user.role == Role::Staff && user.org_id == Some(i64::from(row.org_id));
    let allowed = user.role == Role::Admin
        || own_org
        || (user.role == Role::Staff
            && grants::held(db, user.id)
                .await?
                .iter()
                .any(|(org, _)| *org == row.org_id));
    if allowed { Ok(row) } else { Err(not_found()) }
}

/// The drafter's own draft, still editable: what changing its files and interpretations needs.
pub(crate) async fn editable(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    draft_id: &str,
) -> Result<draft::Model> {
    let row = visible(db, user, draft_id).await?;
    if row.author_id != user.id {
        return Err(ServiceError::Forbidden(
            "只有起草人可以修改草稿的附件和解读".to_owned(),
        ));
    }
    if !stage_of(&row)?.editable() {
        return Err(ServiceError::Conflict(
            "草稿已提交审核，审核期间不能修改附件和解读".to_owned(),
        ));
    }
    Ok(row)
}

fn stage_of(row: &draft::Model) -> Result<Stage> {
    Stage::parse(&row.stage)
        .ok_or_else(|| ServiceError::Internal(format!("draft {} stage {}", row.id, row.stage)))
}

fn kind_of(row: &draft::Model) -> Result<DraftKind> {
    DraftKind::parse("kind", &row.kind)
        .map_err(|_| ServiceError::Internal(format!("draft {} kind {}", row.id, row.kind)))
}

fn warnings_of(row: &draft::Model) -> Result<Vec<DraftWarning>> {
    serde_json::from_str(&row.warnings)
        .map_err(|e| ServiceError::Internal(format!("draft {} warnings: {e}", row.id)))
}

/// The draft's content as checked values (stored values were checked when written).
fn content(row: &draft::Model) -> Result<Draft> {
    Ok(Draft {
        title: row.title.clone(),
        doc_number: row.doc_number.as_deref().and_then(DocNumber::parse),
        doc_type: DocType::parse("doc_type", &row.doc_type)?,
        topic: row.topic.clone(),
        audience: row.audience.clone(),
        category: row.category.clone(),
        index_no: row.index_no.clone(),
        body: row.body.clone(),
    })
}

fn set_content(m: &mut draft::ActiveModel, d: &Draft) {
    m.title = Set(d.title.clone());
    m.doc_number = Set(d.doc_number.as_ref().map(|n| n.as_str().to_owned()));
    m.doc_type = Set(d.doc_type.as_str().to_owned());
    m.topic = Set(d.topic.clone());
    m.audience = Set(d.audience.clone());
    m.category = Set(d.category.clone());
    m.index_no = Set(d.index_no.clone());
    m.body = Set(d.body.clone());
}

/// A staff member starts a draft of a new document for their organization; returns its id.
pub async fn create(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    d: &Draft,
) -> Result<String> {
    let (user, org) = require_drafter(caller)?;
    check_open(db, user).await?;
    insert(db, user, org, d, DraftKind::New, None).await
}

/// Refuses a new draft to someone who already keeps [`MAX_OPEN_DRAFTS`] unpublished.
async fn check_open(db: &impl ConnectionTrait, user: &SessionUser) -> Result<()> {
    let open = draft::Entity::find()
        .filter(draft::Column::AuthorId.eq(user.id))
        .filter(draft::Column::Stage.ne(Stage::Published.as_str()))
        .count(db)
        .await?;
    if open >= MAX_OPEN_DRAFTS {
        return Err(ServiceError::Invalid(domain::DomainError::new(
            "title",
            format!("您已有 {MAX_OPEN_DRAFTS} 份未发布的草稿，请先处理已有草稿再新建"),
        )));
    }
    Ok(())
}

async fn insert(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    org: i32,
    d: &Draft,
    kind: DraftKind,
    document_id: Option<String>,
) -> Result<String> {
    let now = chrono::Utc::now().to_rfc3339();
    let id = new_id("df");
    let mut m = draft::ActiveModel {
        id: Set(id.clone()),
        org_id: Set(org),
        author_id: Set(user.id),
        document_id: Set(document_id),
        kind: Set(kind.as_str().to_owned()),
        change: Set(None),
        stage: Set(Stage::Editing.as_str().to_owned()),
        pending_level: Set(None),
        round: Set(0),
        warnings: Set("[]".to_owned()),
        created_at: Set(now.clone()),
        updated_at: Set(now),
        ..Default::default()
    };
    set_content(&mut m, d);
    m.insert(db).await?;
    Ok(id)
}

/// The drafter changes a draft that is not in review.
pub async fn update(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: &str,
    d: &Draft,
) -> Result<()> {
    let (user, _) = require_drafter(caller)?;
    let row = own(db, user, id).await?;
    let kind = kind_of(&row)?;
    if !kind.edits_content() {
        return Err(ServiceError::Invalid(domain::DomainError::new(
            "kind",
            format!(
                "{}不修改文件的正文和信息；如需修改正文，请发起修订",
                kind.as_str()
            ),
        )));
    }
    let mut m = draft::ActiveModel {
        updated_at: Set(chrono::Utc::now().to_rfc3339()),
        ..Default::default()
    };
    set_content(&mut m, d);
    while_editable(db, id, m).await
}

/// Writes `m` to draft `id` only while it is not in review: a draft submitted in another
/// tab is not changed under its reviewers.
async fn while_editable(db: &impl ConnectionTrait, id: &str, m: draft::ActiveModel) -> Result<()> {
    let changed = draft::Entity::update_many()
        .set(m)
        .filter(draft::Column::Id.eq(id))
        .filter(draft::Column::Stage.is_in([Stage::Editing.as_str(), Stage::Returned.as_str()]))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        return Err(ServiceError::Conflict(
            "草稿已提交审核，审核期间不能修改".to_owned(),
        ));
    }
    Ok(())
}

/// The caller's own draft (the same 404 as a missing one for those who may not see it).
async fn own(db: &impl ConnectionTrait, user: &SessionUser, id: &str) -> Result<draft::Model> {
    let row = visible(db, user, id).await?;
    if row.author_id != user.id {
        return Err(ServiceError::Forbidden("只有起草人可以修改草稿".to_owned()));
    }
    Ok(row)
}

/// Screens a draft: personal data and sensitive words refuse it with their positions;
/// error-prone terms come back as warnings for the reviewers.
pub fn screen(d: &Draft, words: &[String], lexicon: &Lexicon) -> Result<Vec<DraftWarning>> {
    domain::screening::check("title", "标题", &d.title, words)?;
    domain::screening::check("body", "正文", &d.body, words)?;
    let mut out = Vec::new();
    for (field, text) in [("标题", &d.title), ("正文", &d.body)] {
        out.extend(
            lexicon
                .warnings(text)
                .into_iter()
                .map(|warning| DraftWarning {
                    field: field.to_owned(),
                    warning,
                }),
        );
    }
    Ok(out)
}

/// The drafter submits the draft to 初审 (again, after a return); returns the error-prone
/// term warnings the reviewers will see.
pub async fn submit(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: &str,
) -> Result<Vec<DraftWarning>> {
    let (user, _) = require_drafter(caller)?;
    let row = visible(db, user, id).await?;
    if row.author_id != user.id {
        return Err(ServiceError::Forbidden("只有起草人可以提交审核".to_owned()));
    }
    if !stage_of(&row)?.editable() {
        return Err(ServiceError::Conflict(
            "该草稿已在审核中或已发布".to_owned(),
        ));
    }
    let d = content(&row)?;
    let kind = kind_of(&row)?;
    lifecycle::check_submit(db, &row).await?;
    let words = crate::screening::sensitive_words(db).await?;
    let lexicon = crate::screening::lexicon(db).await?;
    let mut warnings = screen(&d, &words, &lexicon)?;
    if let Some(text) = lifecycle::change_of(&row)?
        .as_ref()
        .and_then(|c| c.public_text())
    {
        domain::screening::check("reason", "变更说明", text, &words)?;
        warnings.extend(
            lexicon
                .warnings(text)
                .into_iter()
                .map(|warning| DraftWarning {
                    field: "变更说明".to_owned(),
                    warning,
                }),
        );
    }
    warnings.extend(interpretations::screen(db, id, &words, &lexicon).await?);
    let unit = organization::Entity::find_by_id(row.org_id).one(db).await?;
    if kind == DraftKind::New
        && domain::interpretation::needs_two_forms(
            unit.as_ref().and_then(|u| u.level.as_deref()),
            &row.doc_type,
        )
    {
        let forms = interpretations::forms(db, id).await?.len();
        if forms < 2 {
            return Err(ServiceError::Invalid(domain::DomainError::new(
                "interpretations",
                format!(
                    "市本级行政规范性文件须有至少两种形式的解读（文字解读、图解、视频解读、简明问答），本稿现有 {forms} 种，请添加后再提交"
                ),
            )));
        }
    }
    let warnings_json = serde_json::to_string(&warnings)
        .map_err(|e| ServiceError::Internal(format!("warnings: {e}")))?;
    let now = chrono::Utc::now().to_rfc3339();
    let round = row.round + 1;
    let txn = crate::db::write(db).await?;
    let first = ReviewLevel::First;
    let moved = advance(&txn, &row, Stage::awaiting(first), |u| {
        u.col_expr(draft::Column::Round, Expr::value(round))
            .col_expr(draft::Column::Warnings, Expr::value(warnings_json))
    })
    .await?;
    if !moved {
        return Err(ServiceError::Conflict(
            "该草稿刚刚已被提交，请刷新页面查看".to_owned(),
        ));
    }
    draft_version::ActiveModel {
        draft_id: Set(id.to_owned()),
        round: Set(round),
        title: Set(d.title.clone()),
        body: Set(d.body.clone()),
        submitted_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        user,
        AuditAction::Submit,
        Subject::Draft(id.to_owned()),
        Some(format!("第 {round} 次提交：{}", d.title)),
    )
    .await?;
    txn.commit().await?;
    Ok(warnings)
}

/// A reviewer decides `level` of the draft, the level their page showed it waiting for;
/// returns the draft's new stage. If it no longer waits there (someone decided first), the
/// reviewer is told to refresh. The approval of 终审 publishes the document in the same
/// transaction.
pub async fn decide(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: &str,
    level: ReviewLevel,
    decision: &Decision,
) -> Result<Stage> {
    let user = require_reviewer(caller)?;
    let txn = crate::db::write(db).await?;
    let row = visible(&txn, user, id).await?;
    if !grants::held(&txn, user.id)
        .await?
        .contains(&(row.org_id, level))
    {
        return Err(ServiceError::Forbidden(format!(
            "您没有该单位的{level}权限"
        )));
    }
    match stage_of(&row)?.pending() {
        Some(pending) if pending == level => {}
        Some(_) => return Err(decided_meanwhile()),
        None => return Err(ServiceError::Conflict("该草稿当前不在审核中".to_owned())),
    }
    let approvers: Vec<i64> = draft_review::Entity::find()
        .select_only()
        .column(draft_review::Column::ReviewerId)
        .filter(draft_review::Column::DraftId.eq(id))
        .filter(draft_review::Column::Round.eq(row.round))
        .into_tuple()
        .all(&txn)
        .await?;
    if let Some(why) = refuse_reviewer(row.author_id, &approvers, user.id) {
        return Err(ServiceError::Forbidden(why.to_owned()));
    }
    let warnings = warnings_of(&row)?;
    if let Decision::Approve {
        acknowledged: false,
        ..
    } = decision
        && !warnings.is_empty()
    {
        return Err(ServiceError::Invalid(domain::DomainError::new(
            "acknowledged",
            format!(
                "本稿有 {} 处错敏词提示，请逐条核对后勾选“已核对错敏词提示”再通过",
                warnings.len()
            ),
        )));
    }
    let (comment, next) = match decision {
        Decision::Approve { comment, .. } => (
            comment.clone(),
            level.next().map_or(Stage::Published, Stage::awaiting),
        ),
        Decision::Return { comment } => (Some(comment.clone()), Stage::Returned),
    };
    let now = chrono::Utc::now().to_rfc3339();
    // Unique per draft, round and level: of two reviewers deciding at once, one wins.
    draft_review::ActiveModel {
        draft_id: Set(id.to_owned()),
        round: Set(row.round),
        level: Set(level.as_str().to_owned()),
        reviewer_id: Set(user.id),
        decision: Set(decision.label().to_owned()),
        comment: Set(comment.clone()),
        at: Set(now.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match ServiceError::from(e) {
        ServiceError::Conflict(_) => decided_meanwhile(),
        e => e,
    })?;
    let moved = advance(&txn, &row, next, |u| u).await?;
    if !moved {
        return Err(decided_meanwhile());
    }
    let action = match decision {
        Decision::Approve { .. } => AuditAction::Approve,
        Decision::Return { .. } => AuditAction::Return,
    };
    let detail = match &comment {
        Some(c) => format!("{level}：{}（{c}）", row.title),
        None => format!("{level}：{}", row.title),
    };
    audit::record(
        &txn,
        user,
        action,
        Subject::Draft(id.to_owned()),
        Some(detail),
    )
    .await?;
    if next == Stage::Published {
        let doc = publish::publish(&txn, user, &row).await?;
        draft::Entity::update_many()
            .col_expr(draft::Column::DocumentId, Expr::value(doc))
            .filter(draft::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(next)
}

/// Moves `row` to `stage` (with what `set` adds) only if it is still at the stage and
/// round it was read at: of two people acting on one draft at once, one wins. Whether it
/// moved.
async fn advance(
    txn: &impl ConnectionTrait,
    row: &draft::Model,
    stage: Stage,
    set: impl FnOnce(sea_orm::UpdateMany<draft::Entity>) -> sea_orm::UpdateMany<draft::Entity>,
) -> Result<bool> {
    let update = draft::Entity::update_many()
        .col_expr(draft::Column::Stage, Expr::value(stage.as_str()))
        .col_expr(
            draft::Column::PendingLevel,
            Expr::value(stage.pending().map(|l| l.as_str().to_owned())),
        )
        .col_expr(
            draft::Column::UpdatedAt,
            Expr::value(chrono::Utc::now().to_rfc3339()),
        )
        .filter(draft::Column::Id.eq(row.id.as_str()))
        .filter(draft::Column::Stage.eq(row.stage.as_str()))
        .filter(draft::Column::Round.eq(row.round));
    Ok(set(update).exec(txn).await?.rows_affected > 0)
}

fn decided_meanwhile() -> ServiceError {
    ServiceError::Conflict("该草稿刚刚已被审核，请刷新页面查看".to_owned())
}

/// Summaries of `rows`, with their units' and authors' names (two reads for any number).
async fn summaries(
    db: &impl ConnectionTrait,
    rows: Vec<draft::Model>,
) -> Result<Vec<DraftSummary>> {
    let units = crate::lookup::org_names(db, rows.iter().map(|r| r.org_id).collect()).await?;
    let authors = names(db, rows.iter().map(|r| r.author_id).collect()).await?;
    rows.into_iter()
        .map(|r| {
            Ok(DraftSummary {
                stage: stage_of(&r)?,
                kind: kind_of(&r)?,
                unit: units.get(&r.org_id).cloned().unwrap_or_default(),
                author: authors.get(&r.author_id).cloned().unwrap_or_default(),
                updated_at: crate::clock::city_time(&r.updated_at),
                round: r.round,
                title: r.title,
                id: r.id,
            })
        })
        .collect()
}

/// Display names by account id.
async fn names(
    db: &impl ConnectionTrait,
    mut ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, String>> {
    ids.sort_unstable();
    ids.dedup();
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        out.extend(
            user::Entity::find()
                .select_only()
                .column(user::Column::Id)
                .column(user::Column::DisplayName)
                .filter(user::Column::Id.is_in(chunk.to_vec()))
                .into_tuple::<(i64, String)>()
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// `/staff/drafts`: the drafts of the caller's organization, newest first.
pub async fn drafts(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
) -> Result<Vec<DraftSummary>> {
    let (_, org) = require_drafter(caller)?;
    let rows = draft::Entity::find()
        .filter(draft::Column::OrgId.eq(org))
        .order_by_desc(draft::Column::UpdatedAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    summaries(db, rows).await
}

/// The drafts waiting for a level the caller holds, minus their own and those they
/// approved at another level of the same round: what they can decide now.
async fn waiting(db: &impl ConnectionTrait, user: &SessionUser) -> Result<Vec<draft::Model>> {
    if user.role != Role::Staff {
        return Ok(Vec::new());
    }
    // One join with the caller's grants, whatever their number.
    let held = Query::select()
        .column(review_grant::Column::OrgId)
        .column(review_grant::Column::Level)
        .from(review_grant::Entity)
        .and_where(review_grant::Column::UserId.eq(user.id))
        .to_owned();
    let rows = draft::Entity::find()
        .filter(
            Expr::tuple([
                Expr::col(draft::Column::OrgId),
                Expr::col(draft::Column::PendingLevel),
            ])
            .in_subquery(held),
        )
        .filter(draft::Column::AuthorId.ne(user.id))
        .order_by_asc(draft::Column::UpdatedAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let mine: Vec<(String, i32)> = draft_review::Entity::find()
        .select_only()
        .column(draft_review::Column::DraftId)
        .column(draft_review::Column::Round)
        .filter(draft_review::Column::ReviewerId.eq(user.id))
        .filter(draft_review::Column::DraftId.is_in(rows.iter().map(|r| r.id.clone())))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            !mine
                .iter()
                .any(|(d, round)| *d == r.id && *round == r.round)
        })
        .collect())
}

/// `/staff/review`: what the caller can decide now, oldest first.
pub async fn queue(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
) -> Result<Vec<DraftSummary>> {
    let user = require_reviewer(caller)?;
    let rows = waiting(db, user).await?;
    summaries(db, rows).await
}

/// The header's count of drafts waiting for the caller (0 for anyone without levels).
pub async fn queue_count(db: &impl ConnectionTrait, caller: Option<&SessionUser>) -> Result<u64> {
    match caller {
        Some(user) => Ok(waiting(db, user).await?.len() as u64),
        None => Ok(0),
    }
}

/// `/staff/drafts/{id}`: the draft, its history, what changed since the previous
/// submission, and what the caller may do with it.
pub async fn view(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
    id: &str,
) -> Result<DraftView> {
    let user = require_user(caller)?;
    let row = visible(db, user, id).await?;
    let stage = stage_of(&row)?;
    let reviews = draft_review::Entity::find()
        .filter(draft_review::Column::DraftId.eq(id))
        .order_by_asc(draft_review::Column::Id)
        .all(db)
        .await?;
    let reviewers = names(db, reviews.iter().map(|r| r.reviewer_id).collect()).await?;
    let approvers: Vec<i64> = reviews
        .iter()
        .filter(|r| r.round == row.round)
        .map(|r| r.reviewer_id)
        .collect();
    let may_review = match stage.pending() {
        Some(level)
            if user.role == Role::Staff
                && refuse_reviewer(row.author_id, &approvers, user.id).is_none()
                && grants::held(db, user.id)
                    .await?
                    .contains(&(row.org_id, level)) =>
        {
            Some(level)
        }
        _ => None,
    };
    let changes = if row.round >= 2 {
        let versions = draft_version::Entity::find()
            .filter(draft_version::Column::DraftId.eq(id))
            .filter(draft_version::Column::Round.is_in([row.round - 1, row.round]))
            .order_by_asc(draft_version::Column::Round)
            .all(db)
            .await?;
        match versions.as_slice() {
            [before, after] => diff(
                &format!("{}\n{}", before.title, before.body),
                &format!("{}\n{}", after.title, after.body),
            ),
            _ => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let reviews = reviews
        .into_iter()
        .map(|r| {
            Ok(ReviewEntry {
                round: r.round,
                level: ReviewLevel::parse("level", &r.level)?,
                reviewer: reviewers.get(&r.reviewer_id).cloned().unwrap_or_default(),
                decision: r.decision,
                comment: r.comment,
                at: crate::clock::city_time(&r.at),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let form: DraftForm = content(&row)?.to_form();
    let change = lifecycle::change_of(&row)?
        .map(|c| c.to_form())
        .unwrap_or_default();
    let warnings = warnings_of(&row)?;
    let may_edit = stage.editable() && row.author_id == user.id;
    let document_id = row.document_id.clone();
    let summary = summaries(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| ServiceError::Internal(format!("draft {id}: no summary")))?;
    let files = files::of_draft(db, id).await?;
    let interpretations = interpretations::of_draft(db, id).await?;
    Ok(DraftView {
        body_html: publish::render(&form.body).1,
        summary,
        form,
        change,
        files,
        interpretations,
        warnings,
        reviews,
        changes,
        may_edit,
        may_review,
        document_id,
    })
}

/// The lines that differ between two versions, with the unchanged ones around them.
pub fn diff(before: &str, after: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    // A last line is the same line whether or not a newline follows it.
    let (before, after) = (format!("{before}\n"), format!("{after}\n"));
    TextDiff::from_lines(&before, &after)
        .iter_all_changes()
        .map(|c| {
            let line = c.value().trim_end_matches('\n').to_owned();
            match c.tag() {
                ChangeTag::Equal => DiffLine::Same(line),
                ChangeTag::Insert => DiffLine::Added(line),
                ChangeTag::Delete => DiffLine::Removed(line),
            }
        })
        .collect()
}
