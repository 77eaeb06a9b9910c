//! Review levels (审核级别) that admins grant to staff per organization. 初审 and 复审 go to
//! the organization's own staff; 终审 to its own staff too, except where another
//! organization holds it (the openness office, for the city government and its office).

use domain::DomainError;
use domain::account::{Login, Role, SessionUser};
use domain::audit::AuditAction;
use domain::review::{GrantForm, GrantView, ReviewLevel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::account::require_admin;
use crate::audit::{self, Subject};
use crate::entity::{organization, review_grant, user};
use crate::error::{Result, ServiceError};

/// Most levels one person may hold (across organizations).
pub const MAX_GRANTS_PER_USER: u64 = 30;

/// The (organization, level) pairs `user_id` holds.
pub async fn held(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<(i32, ReviewLevel)>> {
    let rows: Vec<(i32, String)> = review_grant::Entity::find()
        .select_only()
        .column(review_grant::Column::OrgId)
        .column(review_grant::Column::Level)
        .filter(review_grant::Column::UserId.eq(user_id))
        .limit(MAX_GRANTS_PER_USER)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(org, level)| Ok((org, ReviewLevel::parse("level", &level)?)))
        .collect()
}

fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::Invalid(DomainError::new(field, message))
}

/// An admin grants a staff member a review level for an organization.
pub async fn grant(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    form: &GrantForm,
) -> Result<()> {
    let admin = require_admin(caller, "授予审核级别")?;
    let level = ReviewLevel::parse("level", &form.level)?;
    let login = Login::parse("login", &form.login)?;
    let staff = user::Entity::find()
        .filter(user::Column::Login.eq(login.as_str()))
        .one(db)
        .await?
        .filter(|u| u.role == Role::Staff.code())
        .ok_or_else(|| invalid("login", "没有这个部门工作人员账号，请先在上方添加"))?;
    let unit = form.unit.trim();
    let org = organization::Entity::find()
        .filter(organization::Column::Name.eq(unit))
        .one(db)
        .await?
        .ok_or_else(|| invalid("unit", format!("没有“{unit}”这个单位，请从列表中选择")))?;
    let home = match (level, org.final_review_org_id) {
        (ReviewLevel::Final, Some(office)) => office,
        _ => org.id,
    };
    if staff.org_id != Some(home) {
        let message = if home == org.id {
            format!("{}只能由“{}”的工作人员担任", level, org.name)
        } else {
            let office = crate::lookup::org_names(db, vec![home]).await?;
            format!(
                "“{}”的终审由“{}”负责，请授予该单位的工作人员",
                org.name,
                office.get(&home).cloned().unwrap_or_default()
            )
        };
        return Err(invalid("login", message));
    }
    let count = review_grant::Entity::find()
        .filter(review_grant::Column::UserId.eq(staff.id))
        .count(db)
        .await?;
    if count >= MAX_GRANTS_PER_USER {
        return Err(invalid(
            "login",
            format!("一人最多担任 {MAX_GRANTS_PER_USER} 个审核级别"),
        ));
    }
    let txn = crate::db::write(db).await?;
    review_grant::ActiveModel {
        user_id: Set(staff.id),
        org_id: Set(org.id),
        level: Set(level.as_str().to_owned()),
        granted_at: Set(chrono::Utc::now().to_rfc3339()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match ServiceError::from(e) {
        ServiceError::Conflict(_) => ServiceError::Conflict(format!(
            "{}已担任“{}”的{}",
            staff.display_name, org.name, level
        )),
        e => e,
    })?;
    audit::record(
        &txn,
        admin,
        AuditAction::Grant,
        Subject::Staff(staff.id),
        Some(format!("{}：{}{}", staff.display_name, org.name, level)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An admin takes a level back.
pub async fn revoke(db: &DatabaseConnection, caller: Option<&SessionUser>, id: i64) -> Result<()> {
    let admin = require_admin(caller, "撤销审核级别")?;
    let txn = crate::db::write(db).await?;
    let row = review_grant::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ServiceError::NotFound("该审核级别".to_owned()))?;
    review_grant::Entity::delete_by_id(id).exec(&txn).await?;
    let names = crate::lookup::org_names(&txn, vec![row.org_id]).await?;
    audit::record(
        &txn,
        admin,
        AuditAction::Revoke,
        Subject::Staff(row.user_id),
        Some(format!(
            "{}{}",
            names.get(&row.org_id).cloned().unwrap_or_default(),
            row.level
        )),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every grant, by organization and level (admins).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
) -> Result<Vec<GrantView>> {
    require_admin(caller, "查看审核级别")?;
    let rows = review_grant::Entity::find()
        .order_by_asc(review_grant::Column::OrgId)
        .order_by_asc(review_grant::Column::Level)
        .limit(2000)
        .all(db)
        .await?;
    let units = crate::lookup::org_names(db, rows.iter().map(|r| r.org_id).collect()).await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let people: std::collections::HashMap<i64, (String, String)> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.display_name, u.login)))
        .collect();
    let mut out: Vec<GrantView> = rows
        .into_iter()
        .map(|r| {
            let (name, login) = people.get(&r.user_id).cloned().unwrap_or_default();
            Ok(GrantView {
                id: r.id,
                user: name,
                login,
                unit: units.get(&r.org_id).cloned().unwrap_or_default(),
                level: ReviewLevel::parse("level", &r.level)?,
            })
        })
        .collect::<Result<_>>()?;
    out.sort_by(|a, b| (&a.unit, a.level).cmp(&(&b.unit, b.level)));
    Ok(out)
}
