//! The outbox: events recorded in the transaction that makes a change, read in id order by
//! the dispatcher and by every process's index, retried when delivery fails, and set aside
//! as dead letters when they keep failing, so one bad event never blocks those behind it.

use domain::account::SessionUser;
use domain::feed::{DeadLetterView, FeedKind, OutboxOverview};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::account::require_admin;
use crate::clock::city_time;
use crate::entity::outbox;
use crate::error::{Result, ServiceError};
pub use crate::lookup::Subject;

pub use domain::feed::MAX_DELIVERY_ATTEMPTS as MAX_ATTEMPTS;
/// Dead letters listed for the admin, newest first.
const DEAD_LISTED: u64 = 200;
/// Any fixed key: PostgreSQL writers of the outbox take turns on it (see [`record`]).
const WRITER_LOCK: i64 = 0x007a_6865_6e67_6365;

/// A change others must hear of, recorded in the same transaction as the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: FeedKind,
    /// The document it is about (documents, interpretations, validity changes).
    pub document_id: Option<String>,
    /// What changed, shown under the title ("已废止，由《…》替代", an interpretation's title).
    pub detail: Option<String>,
    /// The one person to tell (an answer to their consultation); else subscribers.
    pub user_id: Option<i64>,
    /// The consultation or Q&A entry it is about.
    pub subject_id: Option<String>,
}

impl Event {
    /// An event about a document, for the subscribers it matches.
    pub fn document(kind: FeedKind, id: impl Into<String>, detail: Option<String>) -> Event {
        Event {
            kind,
            document_id: Some(id.into()),
            detail,
            user_id: None,
            subject_id: None,
        }
    }

    /// A consultation answered (or not accepted): for its asker alone.
    pub fn answered(user_id: i64, consultation_id: i64, detail: String) -> Event {
        Event {
            kind: FeedKind::Answered,
            document_id: None,
            detail: Some(detail),
            user_id: Some(user_id),
            subject_id: Some(consultation_id.to_string()),
        }
    }

    /// A knowledge-base entry written or changed: indexed everywhere, and new ones told
    /// to subscribers of its topic or department.
    pub fn qa(id: &str, new: bool) -> Event {
        Event {
            kind: if new {
                FeedKind::NewQa
            } else {
                FeedKind::QaChanged
            },
            document_id: None,
            detail: None,
            user_id: None,
            subject_id: Some(id.to_owned()),
        }
    }
}

/// Writes events to the outbox; call inside the transaction that makes the change.
///
/// Readers follow the outbox by id, so an id must never become visible after a larger
/// one. SQLite has one writer at a time; on PostgreSQL ids come from a sequence when the
/// row is inserted but show at commit, so writers take turns from here to their commit.
pub async fn record(txn: &impl ConnectionTrait, events: &[Event]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    crate::db::take_turn(txn, WRITER_LOCK).await?;
    let now = chrono::Utc::now().to_rfc3339();
    let rows: Vec<outbox::ActiveModel> = events
        .iter()
        .map(|e| outbox::ActiveModel {
            kind: Set(e.kind.code().to_owned()),
            document_id: Set(e.document_id.clone()),
            detail: Set(e.detail.clone()),
            created_at: Set(now.clone()),
            dispatched_at: Set(None),
            user_id: Set(e.user_id),
            subject_id: Set(e.subject_id.clone()),
            attempts: Set(0),
            last_error: Set(None),
            failed_at: Set(None),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        outbox::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Events waiting for delivery, oldest first (dead letters are not waiting).
pub async fn pending(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<outbox::Model>> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::DispatchedAt.is_null())
        .filter(outbox::Column::FailedAt.is_null())
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Marks events delivered (inside the delivering transaction).
pub async fn mark_dispatched(txn: &impl ConnectionTrait, ids: Dispatched) -> Result<()> {
    let mut q = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::DispatchedAt,
            Expr::value(chrono::Utc::now().to_rfc3339()),
        )
        .filter(outbox::Column::DispatchedAt.is_null());
    q = match ids {
        Dispatched::One(id) => q.filter(outbox::Column::Id.eq(id)),
        Dispatched::UpTo(last) => q
            .filter(outbox::Column::FailedAt.is_null())
            .filter(outbox::Column::UserId.is_null())
            .filter(outbox::Column::Id.lte(last)),
    };
    q.exec(txn).await?;
    Ok(())
}

/// Which events [`mark_dispatched`] closes.
#[derive(Debug, Clone, Copy)]
pub enum Dispatched {
    One(i64),
    /// Every waiting event for subscribers (not a personal one) up to this id.
    UpTo(i64),
}

/// Counts a failed delivery attempt; the event becomes a dead letter at the last one.
/// Returns whether it did.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    event: &outbox::Model,
    error: &str,
) -> Result<bool> {
    let attempts = event.attempts.saturating_add(1);
    let dead = attempts >= MAX_ATTEMPTS;
    let mut q = outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox::Column::LastError, Expr::value(error.to_owned()));
    if dead {
        q = q.col_expr(
            outbox::Column::FailedAt,
            Expr::value(chrono::Utc::now().to_rfc3339()),
        );
    }
    q.filter(outbox::Column::Id.eq(event.id))
        .filter(outbox::Column::DispatchedAt.is_null())
        .exec(db)
        .await?;
    Ok(dead)
}

/// The admin's view of the pipeline: how many events wait and every dead letter.
pub async fn overview(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
) -> Result<OutboxOverview> {
    require_admin(caller, "查看推送队列")?;
    let pending = outbox::Entity::find()
        .filter(outbox::Column::DispatchedAt.is_null())
        .filter(outbox::Column::FailedAt.is_null())
        .count(db)
        .await?;
    let dead = outbox::Entity::find()
        .filter(outbox::Column::FailedAt.is_not_null())
        .filter(outbox::Column::DispatchedAt.is_null())
        .order_by_desc(outbox::Column::Id)
        .limit(DEAD_LISTED)
        .all(db)
        .await?
        .into_iter()
        .map(|e| DeadLetterView {
            id: e.id,
            kind: FeedKind::from_code(&e.kind).unwrap_or(FeedKind::NewDocument),
            href: subject_of(&e).href(),
            created_at: city_time(&e.created_at),
            failed_at: e.failed_at.as_deref().map(city_time).unwrap_or_default(),
            attempts: e.attempts,
            error: e.last_error.unwrap_or_default(),
        })
        .collect();
    Ok(OutboxOverview {
        pending,
        dead_total: dead_count(db).await?,
        dead,
    })
}

/// The number of dead letters (for the admin's overview pages).
pub async fn dead_count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::FailedAt.is_not_null())
        .filter(outbox::Column::DispatchedAt.is_null())
        .count(db)
        .await?)
}

/// An admin sends a dead letter again: it waits with a fresh count of attempts.
pub async fn retry(db: &impl ConnectionTrait, caller: Option<&SessionUser>, id: i64) -> Result<()> {
    require_admin(caller, "重新推送")?;
    let done = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::FailedAt,
            Expr::value(Option::<String>::None),
        )
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::FailedAt.is_not_null())
        .filter(outbox::Column::DispatchedAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(ServiceError::NotFound("该失败推送".to_owned()));
    }
    Ok(())
}

/// The newest event id (0 when there is none).
pub async fn last_id(db: &impl ConnectionTrait) -> Result<i64> {
    Ok(outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .order_by_desc(outbox::Column::Id)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or(0))
}

/// Every event after `after`, oldest first, at most `limit`: what a follower of the
/// outbox has not applied yet.
pub async fn after(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<outbox::Model>> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Id.gt(after))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Where an event's item links to: its document, consultation or Q&A entry.
pub fn subject_of(e: &outbox::Model) -> Subject {
    match (FeedKind::from_code(&e.kind), &e.document_id, &e.subject_id) {
        (Some(FeedKind::Answered), _, Some(id)) => Subject::Consultation(id.clone()),
        (Some(FeedKind::NewQa | FeedKind::QaChanged), _, Some(id)) => Subject::Qa(id.clone()),
        (_, Some(id), _) => Subject::Document(id.clone()),
        _ => Subject::Document(String::new()),
    }
}
