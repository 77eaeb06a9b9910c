//! Policy consultations (政策咨询): asking, routing to the responsible organization, the
//! staff inbox on a working-day clock, answering (and publishing the answer into the
//! knowledge base in the same step), and the admin's routing table, calendar and words.
//!
//! Every change writes a line of the consultation's record in its own transaction, and an
//! answer writes the outbox event that puts it in the asker's feed.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use domain::DomainError;
use domain::account::{Role, SessionUser};
use domain::consult::{
    Allowed, Answer, AnswerForm, AskForm, ConsultDetail, ConsultFilter, ConsultList,
    ConsultSettings, ConsultStatus, ConsultSummary, DEFAULT_DUE_DAYS, Deadline, DepartmentLoad,
    LIST_PAGE, LogEntry, Question, SettingsForm, WorkCalendar, parse_dates, parse_due_days,
    parse_reason,
};
use domain::library::Facet;
use domain::qa::QaDraft;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::account::{require_admin, require_user};
use crate::audit;
use crate::clock::{city_time, city_today};
use crate::entity::{
    calendar_day, consult_route, consultation, consultation_log, document, document_facet,
    organization, sensitive_word, setting,
};
use crate::error::{Result, ServiceError};
use crate::library::PUBLISHED;
use crate::lookup::{document_titles, org_names};
use crate::outbox::{self, Event};
use crate::qa::{self, Stored};
use crate::screening::sensitive_words;
use domain::audit::AuditAction;

/// Consultations one account may submit in 24 hours.
pub const MAX_ASKS_PER_DAY: u64 = 10;
const DUE_DAYS_KEY: &str = "consult.due_days";

/// The city's working-day calendar as the admin keeps it.
pub async fn calendar(db: &impl ConnectionTrait) -> Result<WorkCalendar> {
    let mut cal = WorkCalendar::default();
    for d in calendar_day::Entity::find().all(db).await? {
        if let Ok(day) = NaiveDate::parse_from_str(&d.day, "%Y-%m-%d") {
            if d.working {
                cal.makeup_workdays.insert(day);
            } else {
                cal.holidays.insert(day);
            }
        }
    }
    Ok(cal)
}

/// Working days to answer a consultation.
pub async fn due_days(db: &impl ConnectionTrait) -> Result<u32> {
    Ok(setting::Entity::find_by_id(DUE_DAYS_KEY.to_owned())
        .one(db)
        .await?
        .and_then(|s| s.value.parse().ok())
        .unwrap_or(DEFAULT_DUE_DAYS))
}

/// A signed-in user asks a question; returns its id. It is routed at once: to the issuer
/// of the document it is about, else by the routing table on its topic (or the document's).
pub async fn ask(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    form: &AskForm,
) -> Result<i64> {
    let user = require_user(caller)?;
    let question = Question::parse(form, &sensitive_words(db).await?)?;
    let since = (chrono::Utc::now() - chrono::Duration::hours(24)).to_rfc3339();
    let recent = consultation::Entity::find()
        .filter(consultation::Column::UserId.eq(user.id))
        .filter(consultation::Column::CreatedAt.gt(since))
        .order_by_asc(consultation::Column::CreatedAt)
        .all(db)
        .await?;
    if recent.len() as u64 >= MAX_ASKS_PER_DAY {
        let wait = recent
            .first()
            .and_then(|c| chrono::DateTime::parse_from_rfc3339(&c.created_at).ok())
            .map_or(3600, |t| {
                (t.to_utc() + chrono::Duration::hours(24) - chrono::Utc::now()).num_seconds()
            });
        return Err(ServiceError::RateLimited(wait.max(1) as u64));
    }
    let (document, doc_topic) = match &question.document_id {
        Some(id) => {
            let doc = document::Entity::find_by_id(id.clone())
                .filter(document::Column::Status.eq(PUBLISHED))
                .one(db)
                .await?
                .ok_or_else(|| {
                    DomainError::new(
                        "document",
                        "没有找到要咨询的文件，请从文件页点击“咨询此政策”",
                    )
                })?;
            let topic = document_facet::Entity::find()
                .filter(document_facet::Column::DocumentId.eq(id.as_str()))
                .filter(document_facet::Column::Facet.eq(Facet::Topic.param()))
                .one(db)
                .await?
                .map(|f| f.value);
            (Some(doc), topic)
        }
        None => (None, None),
    };
    let topic = question.topic.clone().or(doc_topic);
    let org = route(
        db,
        document.as_ref().and_then(|d| d.issuer_id),
        topic.as_deref(),
    )
    .await?;
    let today = city_today();
    let due = calendar(db)
        .await?
        .add_working_days(today, due_days(db).await?);
    let now = chrono::Utc::now().to_rfc3339();
    let status = if org.is_some() {
        ConsultStatus::Assigned
    } else {
        ConsultStatus::Submitted
    };
    let txn = crate::db::write(db).await?;
    let saved = consultation::ActiveModel {
        user_id: Set(user.id),
        title: Set(question.title),
        body: Set(question.body),
        document_id: Set(question.document_id),
        topic: Set(topic),
        public: Set(question.public),
        status: Set(status.as_str().to_owned()),
        org_id: Set(org.as_ref().map(|o| o.id)),
        received_on: Set(today.to_string()),
        due_on: Set(due.to_string()),
        answer: Set(None),
        answered_by: Set(None),
        answered_at: Set(None),
        reject_reason: Set(None),
        qa_id: Set(None),
        created_at: Set(now.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    log(&txn, saved.id, Some(user.id), "提交咨询", None).await?;
    if let Some(o) = &org {
        log(
            &txn,
            saved.id,
            None,
            "分办",
            Some(format!("按分办规则交由{}办理", o.name)),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(saved.id)
}

/// The responsible organization: the document's issuer, else the topic's route.
async fn route(
    db: &impl ConnectionTrait,
    issuer: Option<i32>,
    topic: Option<&str>,
) -> Result<Option<organization::Model>> {
    if let Some(id) = issuer
        && let Some(org) = organization::Entity::find_by_id(id).one(db).await?
    {
        return Ok(Some(org));
    }
    let Some(topic) = topic else { return Ok(None) };
    match consult_route::Entity::find_by_id(topic.to_owned())
        .one(db)
        .await?
    {
        Some(r) => Ok(organization::Entity::find_by_id(r.org_id).one(db).await?),
        None => Ok(None),
    }
}

/// Moves `c` to `to` (with what `set` adds) only if it is still in the status it was read
/// in: of two staff acting on it at once, one wins and the other is told to refresh.
async fn transition(
    txn: &impl ConnectionTrait,
    c: &consultation::Model,
    to: ConsultStatus,
    set: impl FnOnce(
        sea_orm::UpdateMany<consultation::Entity>,
    ) -> sea_orm::UpdateMany<consultation::Entity>,
) -> Result<()> {
    let update = consultation::Entity::update_many()
        .col_expr(consultation::Column::Status, Expr::value(to.as_str()))
        .col_expr(
            consultation::Column::UpdatedAt,
            Expr::value(chrono::Utc::now().to_rfc3339()),
        )
        .filter(consultation::Column::Id.eq(c.id))
        .filter(consultation::Column::Status.eq(c.status.as_str()))
        // A transfer keeps the status but changes the department: guard on both.
        .filter(match c.org_id {
            Some(org) => consultation::Column::OrgId.eq(org),
            None => consultation::Column::OrgId.is_null(),
        });
    if set(update).exec(txn).await?.rows_affected == 0 {
        return Err(ServiceError::Conflict(
            "该咨询刚刚已被处理，请刷新页面查看".to_owned(),
        ));
    }
    Ok(())
}

async fn log(
    db: &impl ConnectionTrait,
    consultation_id: i64,
    actor: Option<i64>,
    action: &str,
    note: Option<String>,
) -> Result<()> {
    consultation_log::ActiveModel {
        consultation_id: Set(consultation_id),
        at: Set(chrono::Utc::now().to_rfc3339()),
        actor_id: Set(actor),
        action: Set(action.to_owned()),
        note: Set(note),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// How the viewer stands to a consultation.
fn is_staff_of(user: Option<&SessionUser>, c: &consultation::Model) -> bool {
    user.is_some_and(|u| {
        u.role == Role::Staff && u.org_id.is_some() && u.org_id == c.org_id.map(i64::from)
    })
}

fn is_admin(user: Option<&SessionUser>) -> bool {
    user.is_some_and(|u| u.role == Role::Admin)
}

fn status_of(c: &consultation::Model) -> ConsultStatus {
    ConsultStatus::parse(&c.status).unwrap_or(ConsultStatus::Submitted)
}

/// A consultation as its page shows it to `viewer`. Others than the asker, its
/// department's staff and admins see it only once it is answered and public.
pub async fn detail(
    db: &impl ConnectionTrait,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<ConsultDetail> {
    let c = find(db, viewer, id).await?;
    let asker = viewer.is_some_and(|u| u.id == c.user_id);
    let staff = is_staff_of(viewer, &c);
    let admin = is_admin(viewer);
    let status = status_of(&c);
    let cal = calendar(db).await?;
    let mut summaries = summaries(db, &cal, vec![c.clone()]).await?;
    let summary = summaries
        .pop()
        .ok_or_else(|| ServiceError::NotFound("该咨询".to_owned()))?;
    let log = if asker || staff || admin {
        let rows = consultation_log::Entity::find()
            .filter(consultation_log::Column::ConsultationId.eq(id))
            .order_by_asc(consultation_log::Column::Id)
            .all(db)
            .await?;
        rows.into_iter()
            .map(|r| LogEntry {
                at: city_time(&r.at),
                text: match r.note {
                    Some(note) => format!("{}：{note}", r.action),
                    None => r.action,
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    let open = status.is_open();
    let allowed = Allowed {
        answer: staff && open,
        assign: (staff || admin) && open,
        publish: staff
            && matches!(status, ConsultStatus::Answered | ConsultStatus::Closed)
            && c.qa_id.is_none(),
        close: asker && status == ConsultStatus::Answered,
    };
    let departments = if allowed.assign {
        organization::Entity::find()
            .order_by_asc(organization::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|o| o.name)
            .collect()
    } else {
        Vec::new()
    };
    let phone = match (staff, c.org_id) {
        (true, Some(org)) => organization::Entity::find_by_id(org)
            .one(db)
            .await?
            .and_then(|o| o.phone),
        _ => None,
    };
    Ok(ConsultDetail {
        summary,
        body: c.body,
        document_id: c.document_id,
        topic: c.topic,
        answer: c.answer,
        answered_at: c.answered_at.as_deref().map(city_time),
        reject_reason: c.reject_reason,
        qa_id: c.qa_id,
        log,
        allowed,
        departments,
        phone,
    })
}

/// A consultation `viewer` may know of: the asker's, their department's (staff), any
/// (admins), or one answered and made public. Any other is "not found", exactly as an id
/// that does not exist, so nobody learns which private questions there are.
async fn find(
    db: &impl ConnectionTrait,
    viewer: Option<&SessionUser>,
    id: i64,
) -> Result<consultation::Model> {
    let not_found =
        || ServiceError::NotFound("该咨询（未公开的咨询只有提问人和办理部门可以查看）".to_owned());
    let c = consultation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let asker = viewer.is_some_and(|u| u.id == c.user_id);
    let published = c.public
        && matches!(
            status_of(&c),
            ConsultStatus::Answered | ConsultStatus::Closed
        );
    if asker || is_staff_of(viewer, &c) || is_admin(viewer) || published {
        Ok(c)
    } else {
        Err(not_found())
    }
}

/// List lines for these consultations: department names and document titles in two reads.
async fn summaries(
    db: &impl ConnectionTrait,
    cal: &WorkCalendar,
    rows: Vec<consultation::Model>,
) -> Result<Vec<ConsultSummary>> {
    let orgs = org_names(db, rows.iter().filter_map(|r| r.org_id).collect()).await?;
    let titles = document_titles(db, rows.iter().filter_map(|r| r.document_id.clone())).await?;
    let today = city_today();
    Ok(rows
        .into_iter()
        .map(|c| {
            let status = status_of(&c);
            let due = NaiveDate::parse_from_str(&c.due_on, "%Y-%m-%d").unwrap_or(today);
            ConsultSummary {
                id: c.id,
                title: c.title,
                status,
                department: c.org_id.and_then(|o| orgs.get(&o).cloned()),
                asked_at: city_time(&c.created_at),
                deadline: Deadline::of(cal, due, today, status.is_open()),
                public: c.public,
                document_title: c.document_id.and_then(|d| titles.get(&d).cloned()),
            }
        })
        .collect())
}

async fn list(
    db: &impl ConnectionTrait,
    query: sea_orm::Select<consultation::Entity>,
    page: u32,
    overdue: u64,
) -> Result<ConsultList> {
    let total = query.clone().count(db).await?;
    let rows = query
        .offset(u64::from(page.max(1) - 1) * u64::from(LIST_PAGE))
        .limit(u64::from(LIST_PAGE))
        .all(db)
        .await?;
    let cal = calendar(db).await?;
    Ok(ConsultList {
        items: summaries(db, &cal, rows).await?,
        total,
        page: page.max(1),
        overdue,
    })
}

/// The statuses of an answered consultation.
pub(crate) fn answered_statuses() -> [&'static str; 2] {
    [
        ConsultStatus::Answered.as_str(),
        ConsultStatus::Closed.as_str(),
    ]
}

fn open_statuses() -> [&'static str; 2] {
    [
        ConsultStatus::Submitted.as_str(),
        ConsultStatus::Assigned.as_str(),
    ]
}

/// Public answered consultations, newest answer first.
pub async fn public_list(db: &impl ConnectionTrait, page: u32) -> Result<ConsultList> {
    let q = consultation::Entity::find()
        .filter(consultation::Column::Public.eq(true))
        .filter(consultation::Column::Status.is_in(answered_statuses()))
        .order_by_desc(consultation::Column::AnsweredAt)
        .order_by_desc(consultation::Column::Id);
    list(db, q, page, 0).await
}

/// The newest `limit` public consultations `org` answered.
pub async fn public_of_unit(
    db: &impl ConnectionTrait,
    org: i32,
    limit: u64,
) -> Result<Vec<ConsultSummary>> {
    let rows = consultation::Entity::find()
        .filter(consultation::Column::Public.eq(true))
        .filter(consultation::Column::Status.is_in(answered_statuses()))
        .filter(consultation::Column::OrgId.eq(org))
        .order_by_desc(consultation::Column::AnsweredAt)
        .limit(limit)
        .all(db)
        .await?;
    let cal = calendar(db).await?;
    summaries(db, &cal, rows).await
}

/// The caller's own consultations, newest first.
pub async fn mine(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
    page: u32,
) -> Result<ConsultList> {
    let user = require_user(caller)?;
    let q = consultation::Entity::find()
        .filter(consultation::Column::UserId.eq(user.id))
        .order_by_desc(consultation::Column::Id);
    list(db, q, page, 0).await
}

/// The staff inbox: their department's consultations (an admin's: everyone's, or one
/// department's). Without a status filter, the open ones, most urgent first.
pub async fn inbox(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
    filter: &ConsultFilter,
) -> Result<ConsultList> {
    let user = require_user(caller)?;
    let mut scope = Condition::all();
    match user.role {
        Role::Staff => {
            let org = user.org_id.ok_or_else(|| {
                ServiceError::Forbidden("您的账号未关联部门，请联系管理员".to_owned())
            })?;
            scope = scope.add(consultation::Column::OrgId.eq(org));
        }
        Role::Admin => {
            if let Some(name) = &filter.department {
                let org = organization::Entity::find()
                    .filter(organization::Column::Name.eq(name.as_str()))
                    .one(db)
                    .await?
                    .ok_or_else(|| {
                        DomainError::new("department", format!("没有“{name}”这个部门"))
                    })?;
                scope = scope.add(consultation::Column::OrgId.eq(org.id));
            }
        }
        _ => {
            return Err(ServiceError::Forbidden(
                "只有部门工作人员和管理员可以查看待办咨询".to_owned(),
            ));
        }
    }
    let today = city_today().to_string();
    let overdue_here = consultation::Entity::find()
        .filter(scope.clone())
        .filter(consultation::Column::Status.is_in(open_statuses()))
        .filter(consultation::Column::DueOn.lt(today.clone()))
        .count(db)
        .await?;
    let mut q = consultation::Entity::find().filter(scope);
    q = match filter.status {
        Some(status) => q
            .filter(consultation::Column::Status.eq(status.as_str()))
            .order_by_desc(consultation::Column::Id),
        None => q
            .filter(consultation::Column::Status.is_in(open_statuses()))
            .order_by_asc(consultation::Column::DueOn)
            .order_by_asc(consultation::Column::Id),
    };
    if filter.overdue {
        q = q
            .filter(consultation::Column::Status.is_in(open_statuses()))
            .filter(consultation::Column::DueOn.lt(today));
    }
    list(db, q, filter.page, overdue_here).await
}

/// Staff of the responsible department (or an admin) transfer a consultation to another
/// department. The due date stays: the asker waits no longer for an internal hand-over.
pub async fn assign(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: i64,
    department: &str,
) -> Result<()> {
    let user = require_user(caller)?;
    let c = find(db, caller, id).await?;
    if !(is_staff_of(caller, &c) || is_admin(caller)) {
        return Err(ServiceError::Forbidden(
            "只有承办部门的工作人员或管理员可以转办".to_owned(),
        ));
    }
    let status = status_of(&c).assign()?;
    let department = department.trim();
    let org = organization::Entity::find()
        .filter(organization::Column::Name.eq(department))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::new("department", "请从列表中选择要转交的部门"))?;
    if c.org_id == Some(org.id) {
        return Err(DomainError::new("department", format!("该咨询已由{}办理", org.name)).into());
    }
    let txn = crate::db::write(db).await?;
    transition(&txn, &c, status, |q| {
        q.col_expr(consultation::Column::OrgId, Expr::value(org.id))
    })
    .await?;
    audit::record(
        &txn,
        user,
        AuditAction::Transfer,
        audit::Subject::Consultation(id.to_string()),
        Some(format!("转交{}办理", org.name)),
    )
    .await?;
    log(
        &txn,
        id,
        Some(user.id),
        "转办",
        Some(format!("转交{}办理", org.name)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Staff of the responsible department answer (once). The asker's feed gets an item; with
/// `publish`, the answer also becomes a knowledge-base entry in the same transaction.
pub async fn answer(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: i64,
    form: &AnswerForm,
) -> Result<()> {
    let user = require_user(caller)?;
    let c = find(db, caller, id).await?;
    if !is_staff_of(caller, &c) {
        return Err(ServiceError::Forbidden(
            "只有承办部门的工作人员可以答复该咨询".to_owned(),
        ));
    }
    let status = status_of(&c).answer()?;
    let answer = Answer::parse(form, &sensitive_words(db).await?)?;
    let department = org_names(db, c.org_id.into_iter().collect())
        .await?
        .into_values()
        .next()
        .unwrap_or_default();
    let txn = crate::db::write(db).await?;
    let now = chrono::Utc::now().to_rfc3339();
    // Guarded on the status read above: of two answers at once, one wins.
    transition(&txn, &c, status, |q| {
        q.col_expr(
            consultation::Column::Answer,
            Expr::value(answer.text.clone()),
        )
        .col_expr(consultation::Column::AnsweredBy, Expr::value(user.id))
        .col_expr(consultation::Column::AnsweredAt, Expr::value(now))
    })
    .await?;
    audit::record(
        &txn,
        user,
        AuditAction::Answer,
        audit::Subject::Consultation(id.to_string()),
        Some(answer.text.chars().take(200).collect()),
    )
    .await?;
    log(
        &txn,
        id,
        Some(user.id),
        "答复",
        Some(format!("{department}已答复")),
    )
    .await?;
    outbox::record(
        &txn,
        &[Event::answered(
            c.user_id,
            id,
            format!("{department}已答复"),
        )],
    )
    .await?;
    if let Some(contact) = &answer.publish {
        let draft = QaDraft {
            question: public_question(&c, answer.question.clone())?,
            answer: answer.text.clone(),
            document_id: c.document_id.clone(),
            topic: c.topic.clone(),
            contact: contact.clone(),
            department: None,
        };
        publish_into_qa(&txn, user, id, &draft).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Publishes an earlier answer into the knowledge base (staff of its department).
pub async fn publish_answer(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: i64,
    form: &AnswerForm,
) -> Result<String> {
    let user = require_user(caller)?;
    let c = find(db, caller, id).await?;
    if !is_staff_of(caller, &c) {
        return Err(ServiceError::Forbidden(
            "只有承办部门的工作人员可以发布该答复".to_owned(),
        ));
    }
    let (Some(text), None) = (&c.answer, &c.qa_id) else {
        return Err(ServiceError::Conflict(
            "该咨询尚未答复，或已发布到政策问答".to_owned(),
        ));
    };
    let parsed = Answer::parse(
        &AnswerForm {
            answer: text.clone(),
            publish: Some("on".to_owned()),
            ..form.clone()
        },
        &sensitive_words(db).await?,
    )?;
    let contact = parsed
        .publish
        .ok_or_else(|| DomainError::new("section", "请填写答复处室和电话"))?;
    let draft = QaDraft {
        question: public_question(&c, parsed.question)?,
        answer: parsed.text,
        document_id: c.document_id.clone(),
        topic: c.topic.clone(),
        contact,
        department: None,
    };
    let txn = crate::db::write(db).await?;
    let qa_id = publish_into_qa(&txn, user, id, &draft).await?;
    txn.commit().await?;
    Ok(qa_id)
}

/// The question a knowledge-base entry shows: the one staff wrote, else the asker's own
/// title, but only when the asker agreed to make the question public.
fn public_question(c: &consultation::Model, written: Option<String>) -> Result<String> {
    match written {
        Some(q) => Ok(q),
        None if c.public => Ok(c.title.clone()),
        None => Err(DomainError::new(
            "question",
            "提问人选择了不公开，请在“问答中的问题”里用自己的话概括问题后再发布到政策问答",
        )
        .into()),
    }
}

async fn publish_into_qa(
    txn: &impl ConnectionTrait,
    user: &SessionUser,
    id: i64,
    draft: &QaDraft,
) -> Result<String> {
    let qa_id = qa::store(txn, user, draft, Stored::FromConsultation(id)).await?;
    // Guarded like a status change: of two staff publishing at once, one entry is made,
    // and the other's transaction (with its entry) is rolled back.
    let linked = consultation::Entity::update_many()
        .col_expr(consultation::Column::QaId, Expr::value(qa_id.clone()))
        .filter(consultation::Column::Id.eq(id))
        .filter(consultation::Column::QaId.is_null())
        .exec(txn)
        .await?;
    if linked.rows_affected == 0 {
        return Err(ServiceError::Conflict(
            "该答复刚刚已发布到政策问答，请刷新页面查看".to_owned(),
        ));
    }
    log(txn, id, Some(user.id), "发布到政策问答", None).await?;
    audit::record(
        txn,
        user,
        AuditAction::PublishAnswer,
        audit::Subject::Qa(qa_id.clone()),
        Some(draft.question.clone()),
    )
    .await?;
    Ok(qa_id)
}

/// Staff of the responsible department (or an admin) decline a consultation with a reason;
/// the asker's feed gets an item saying so.
pub async fn reject(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    id: i64,
    reason: &str,
) -> Result<()> {
    let user = require_user(caller)?;
    let c = find(db, caller, id).await?;
    if !(is_staff_of(caller, &c) || is_admin(caller)) {
        return Err(ServiceError::Forbidden(
            "只有承办部门的工作人员或管理员可以作出不予受理".to_owned(),
        ));
    }
    let status = status_of(&c).reject()?;
    let reason = parse_reason(reason)?;
    let txn = crate::db::write(db).await?;
    let asker = c.user_id;
    transition(&txn, &c, status, |q| {
        q.col_expr(
            consultation::Column::RejectReason,
            Expr::value(reason.clone()),
        )
    })
    .await?;
    log(&txn, id, Some(user.id), "不予受理", Some(reason.clone())).await?;
    audit::record(
        &txn,
        user,
        AuditAction::Reject,
        audit::Subject::Consultation(id.to_string()),
        Some(reason.clone()),
    )
    .await?;
    outbox::record(
        &txn,
        &[Event::answered(asker, id, format!("不予受理：{reason}"))],
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The asker confirms the answer settled the question.
pub async fn close(db: &DatabaseConnection, caller: Option<&SessionUser>, id: i64) -> Result<()> {
    let user = require_user(caller)?;
    let c = find(db, caller, id).await?;
    if c.user_id != user.id {
        return Err(ServiceError::Forbidden(
            "只有提问人可以办结自己的咨询".to_owned(),
        ));
    }
    let status = status_of(&c).close()?;
    let txn = crate::db::write(db).await?;
    transition(&txn, &c, status, |q| q).await?;
    log(&txn, id, Some(user.id), "提问人确认办结", None).await?;
    txn.commit().await?;
    Ok(())
}

/// Open, overdue and answered consultations per department (unrouted ones first).
pub async fn load(db: &impl ConnectionTrait) -> Result<Vec<DepartmentLoad>> {
    let today = city_today().to_string();
    let count_by_org = |statuses: [&'static str; 2], overdue: bool| {
        let mut q = consultation::Entity::find()
            .select_only()
            .column(consultation::Column::OrgId)
            .column_as(consultation::Column::Id.count(), "n")
            .filter(consultation::Column::Status.is_in(statuses))
            .group_by(consultation::Column::OrgId);
        if overdue {
            q = q.filter(consultation::Column::DueOn.lt(today.clone()));
        }
        q.into_tuple::<(Option<i32>, i64)>()
    };
    let open = count_by_org(open_statuses(), false).all(db).await?;
    let overdue = count_by_org(open_statuses(), true).all(db).await?;
    let answered = count_by_org(answered_statuses(), false).all(db).await?;
    let mut orgs: BTreeSet<Option<i32>> = BTreeSet::new();
    orgs.extend(
        open.iter()
            .chain(&overdue)
            .chain(&answered)
            .map(|(o, _)| *o),
    );
    let names = org_names(db, orgs.iter().flatten().copied().collect()).await?;
    let get = |rows: &[(Option<i32>, i64)], org: Option<i32>| {
        rows.iter()
            .find(|(o, _)| *o == org)
            .map_or(0, |(_, n)| *n as u64)
    };
    let mut out: Vec<DepartmentLoad> = orgs
        .into_iter()
        .map(|org| DepartmentLoad {
            department: org.and_then(|o| names.get(&o).cloned()),
            open: get(&open, org),
            overdue: get(&overdue, org),
            answered: get(&answered, org),
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.department.is_some(),
            std::cmp::Reverse(a.overdue),
            &a.department,
        )
            .cmp(&(
                b.department.is_some(),
                std::cmp::Reverse(b.overdue),
                &b.department,
            ))
    });
    Ok(out)
}

/// Everything the admin's consultation settings page shows.
pub async fn settings(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
) -> Result<ConsultSettings> {
    require_admin(caller, "管理咨询设置")?;
    let cal = calendar(db).await?;
    let routes = consult_route::Entity::find()
        .order_by_asc(consult_route::Column::Topic)
        .all(db)
        .await?;
    let names = org_names(db, routes.iter().map(|r| r.org_id).collect()).await?;
    let topics = document_facet::Entity::find()
        .select_only()
        .column(document_facet::Column::Value)
        .filter(document_facet::Column::Facet.eq(Facet::Topic.param()))
        .distinct()
        .order_by_asc(document_facet::Column::Value)
        .into_tuple::<String>()
        .all(db)
        .await?;
    Ok(ConsultSettings {
        routes: routes
            .into_iter()
            .map(|r| (r.topic, names.get(&r.org_id).cloned().unwrap_or_default()))
            .collect(),
        holidays: cal.holidays.iter().map(ToString::to_string).collect(),
        makeup_workdays: cal
            .makeup_workdays
            .iter()
            .map(ToString::to_string)
            .collect(),
        due_days: due_days(db).await?,
        sensitive_words: sensitive_words(db).await?,
        load: load(db).await?,
        departments: organization::Entity::find()
            .order_by_asc(organization::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|o| o.name)
            .collect(),
        topics,
    })
}

/// Saves the admin's settings: every list is checked first, then all are replaced in one
/// transaction, so a mistake in one line changes nothing.
pub async fn save_settings(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    form: &SettingsForm,
) -> Result<()> {
    require_admin(caller, "管理咨询设置")?;
    let holidays = parse_dates("holidays", &form.holidays)?;
    let makeup = parse_dates("makeup_workdays", &form.makeup_workdays)?;
    if let Some(both) = holidays.intersection(&makeup).next() {
        return Err(DomainError::new(
            "makeup_workdays",
            format!("{both} 不能既是节假日又是调休上班日"),
        )
        .into());
    }
    let due = parse_due_days(&form.due_days)?;
    let orgs: HashMap<String, i32> = organization::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.name, o.id))
        .collect();
    let mut routes: Vec<(String, i32)> = Vec::new();
    for (n, line) in form.routes.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((topic, dept)) = line.split_once(['=', '＝']) else {
            return Err(DomainError::new(
                "routes",
                format!(
                    "分办规则第 {} 行应写成“主题=部门”，例如“就业创业=芜湖市人力资源和社会保障局”",
                    n + 1
                ),
            )
            .into());
        };
        let (topic, dept) = (topic.trim(), dept.trim());
        let org = orgs.get(dept).ok_or_else(|| {
            DomainError::new(
                "routes",
                format!("分办规则第 {} 行：没有“{dept}”这个部门", n + 1),
            )
        })?;
        if topic.is_empty() || topic.chars().count() > 60 {
            return Err(
                DomainError::new("routes", format!("分办规则第 {} 行：请填写主题", n + 1)).into(),
            );
        }
        routes.retain(|(t, _)| t != topic);
        routes.push((topic.to_owned(), *org));
    }
    let mut words: Vec<String> = form
        .sensitive_words
        .lines()
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.dedup();
    if let Some(long) = words.iter().find(|w| w.chars().count() > 30) {
        return Err(DomainError::new(
            "sensitive_words",
            format!("敏感词“{long}”过长，每个词最长 30 个字"),
        )
        .into());
    }

    let txn = crate::db::write(db).await?;
    consult_route::Entity::delete_many().exec(&txn).await?;
    for (topic, org_id) in routes {
        consult_route::ActiveModel {
            topic: Set(topic),
            org_id: Set(org_id),
        }
        .insert(&txn)
        .await?;
    }
    calendar_day::Entity::delete_many().exec(&txn).await?;
    for (days, working) in [(holidays, false), (makeup, true)] {
        for day in days {
            calendar_day::ActiveModel {
                day: Set(day.to_string()),
                working: Set(working),
            }
            .insert(&txn)
            .await?;
        }
    }
    setting::Entity::delete_by_id(DUE_DAYS_KEY.to_owned())
        .exec(&txn)
        .await?;
    setting::ActiveModel {
        key: Set(DUE_DAYS_KEY.to_owned()),
        value: Set(due.to_string()),
    }
    .insert(&txn)
    .await?;
    sensitive_word::Entity::delete_many().exec(&txn).await?;
    for word in words {
        sensitive_word::ActiveModel { word: Set(word) }
            .insert(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}
