//! The audit log (可追溯、可倒查): every publication, consultation answer, refusal and
//! transfer, and Q&A edit is recorded in the transaction that makes it — who, when, what,
//! to what, from which address. Rows are append-only and hash-chained: each row's hash
//! covers its fields and the previous row's hash, and the newest row's id and hash are
//! also kept as the chain's head, so [`verify`] names the first row changed or deleted.

use domain::account::SessionUser;
use domain::audit::{AUDIT_PAGE, AuditAction, AuditEntryView, AuditPage, AuditQuery};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use crate::account::require_admin;
use crate::clock::city_time;
use crate::entity::{audit_event, organization, setting, user};
use crate::error::Result;
use crate::lookup::org_names;

/// The settings key holding the chain's head: `ID:HASH` of the newest row.
const HEAD: &str = "audit.head";
/// The hash before the first row.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// PostgreSQL writers of the log take turns on this key (SQLite writers already do).
const WRITER_LOCK: i64 = 0x0061_7564_6974;

pub use crate::lookup::Subject;

/// The hash of a row: its fields, in order, and the hash before it.
fn hash_of(r: &audit_event::Model) -> String {
    let fields = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        r.prev_hash,
        r.id,
        r.at,
        r.actor_id.map(|a| a.to_string()).unwrap_or_default(),
        r.actor_name,
        r.org_id.map(|o| o.to_string()).unwrap_or_default(),
        r.action,
        r.subject,
        r.detail.as_deref().unwrap_or_default(),
        r.address.as_deref().unwrap_or_default(),
    );
    Sha256::digest(fields.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Appends an entry; call inside the transaction that does what it records.
pub async fn record(
    txn: &impl ConnectionTrait,
    actor: &SessionUser,
    action: AuditAction,
    subject: Subject,
    detail: Option<String>,
) -> Result<()> {
    crate::db::take_turn(txn, WRITER_LOCK).await?;
    let last = audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .one(txn)
        .await?;
    let (id, prev_hash) = match &last {
        Some(l) => (l.id + 1, l.hash.clone()),
        None => (1, GENESIS.to_owned()),
    };
    let mut row = audit_event::Model {
        id,
        at: chrono::Utc::now().to_rfc3339(),
        actor_id: Some(actor.id),
        actor_name: actor.display_name.clone(),
        org_id: actor.org_id.and_then(|o| i32::try_from(o).ok()),
        action: action.as_str().to_owned(),
        subject: subject.key(),
        detail,
        address: actor.address.clone(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = hash_of(&row);
    let head = format!("{}:{}", row.id, row.hash);
    audit_event::Entity::insert(audit_event::ActiveModel {
        id: Set(row.id),
        at: Set(row.at),
        actor_id: Set(row.actor_id),
        actor_name: Set(row.actor_name),
        org_id: Set(row.org_id),
        action: Set(row.action),
        subject: Set(row.subject),
        detail: Set(row.detail),
        address: Set(row.address),
        prev_hash: Set(row.prev_hash),
        hash: Set(row.hash),
    })
    .exec_without_returning(txn)
    .await?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(HEAD.to_owned()),
        value: Set(head),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Every row is as written: this many.
    Intact(u64),
    /// The first row whose content, link or place in the chain is not as written, and why.
    Broken { id: i64, reason: String },
}

/// Walks the chain from the first row: each row's hash must be its fields' hash, each
/// link the previous row's hash, the ids consecutive, and the last row the recorded head.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verified> {
    let mut prev_hash = GENESIS.to_owned();
    let mut prev_id = 0i64;
    let mut count = 0u64;
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Id.gt(prev_id))
            .order_by_asc(audit_event::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        let Some(last) = page.last().map(|r| r.id) else {
            break;
        };
        for row in page {
            if row.id != prev_id + 1 {
                return Ok(Verified::Broken {
                    id: prev_id + 1,
                    reason: "该条记录已被删除".to_owned(),
                });
            }
            if row.prev_hash != prev_hash {
                return Ok(Verified::Broken {
                    id: row.id,
                    reason: "与上一条记录的链接不符".to_owned(),
                });
            }
            if hash_of(&row) != row.hash {
                return Ok(Verified::Broken {
                    id: row.id,
                    reason: "记录内容已被改动".to_owned(),
                });
            }
            prev_hash = row.hash;
            prev_id = row.id;
            count += 1;
        }
        debug_assert_eq!(prev_id, last);
    }
    let head = setting::Entity::find_by_id(HEAD.to_owned())
        .one(db)
        .await?
        .map(|s| s.value);
    let expected = (count > 0).then(|| format!("{prev_id}:{prev_hash}"));
    if head != expected {
        // The rows after the last intact one are gone (or the head was forged).
        return Ok(Verified::Broken {
            id: prev_id + 1,
            reason: "该条及之后的记录已被删除".to_owned(),
        });
    }
    Ok(Verified::Intact(count))
}

/// The log for admins, newest first, filtered by unit, person and action.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
    q: &AuditQuery,
) -> Result<AuditPage> {
    require_admin(caller, "查看审计日志")?;
    let mut find = audit_event::Entity::find();
    if let Some(unit) = &q.unit {
        let ids: Vec<i32> = organization::Entity::find()
            .select_only()
            .column(organization::Column::Id)
            .filter(organization::Column::Name.eq(unit.as_str()))
            .into_tuple()
            .all(db)
            .await?;
        find = find.filter(audit_event::Column::OrgId.is_in(ids));
    }
    if let Some(person) = &q.person {
        // A name as recorded, or an account whose login contains it.
        let by_login: Vec<i64> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Login.contains(person.as_str()))
            .limit(1000)
            .into_tuple()
            .all(db)
            .await?;
        find = find.filter(
            sea_orm::Condition::any()
                .add(audit_event::Column::ActorName.contains(person.as_str()))
                .add(audit_event::Column::ActorId.is_in(by_login)),
        );
    }
    if let Some(action) = q.action {
        find = find.filter(audit_event::Column::Action.eq(action.as_str()));
    }
    let total = find.clone().count(db).await?;
    let rows = find
        .order_by_desc(audit_event::Column::Id)
        .offset((q.page.max(1) - 1) * AUDIT_PAGE)
        .limit(AUDIT_PAGE)
        .all(db)
        .await?;
    let names = org_names(db, rows.iter().filter_map(|r| r.org_id).collect()).await?;
    let entries = rows
        .into_iter()
        .map(|r| AuditEntryView {
            id: r.id,
            at: city_time(&r.at),
            actor: r.actor_name,
            unit: r.org_id.and_then(|o| names.get(&o).cloned()),
            action: AuditAction::ALL
                .iter()
                .copied()
                .find(|a| a.as_str() == r.action)
                .unwrap_or(AuditAction::Publish),
            href: Subject::from_key(&r.subject)
                .map(|s| s.href())
                .unwrap_or_default(),
            detail: r.detail,
            address: r.address,
        })
        .collect();
    let units = organization::Entity::find()
        .select_only()
        .column(organization::Column::Name)
        .order_by_asc(organization::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    Ok(AuditPage {
        entries,
        total,
        page: q.page.max(1),
        units,
    })
}
