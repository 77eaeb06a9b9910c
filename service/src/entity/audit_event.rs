use sea_orm::entity::prelude::*;

/// One entry of the hash-chained audit log (see `crate::audit`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub org_id: Option<i32>,
    /// [`domain::audit::AuditAction`]'s label.
    pub action: String,
    /// `document:ID`, `consultation:ID` or `qa:ID`.
    pub subject: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub detail: Option<String>,
    pub address: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
