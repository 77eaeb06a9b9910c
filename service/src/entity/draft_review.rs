use sea_orm::entity::prelude::*;

/// One review decision; unique per draft, round and level.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub draft_id: String,
    pub round: i32,
    /// [`domain::review::ReviewLevel`]'s label.
    pub level: String,
    pub reviewer_id: i64,
    /// `通过` or `退回修改`.
    pub decision: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
