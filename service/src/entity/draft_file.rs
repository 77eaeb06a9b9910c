use sea_orm::entity::prelude::*;

/// A file uploaded to a draft; its bytes live in the file store under `sha256`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub draft_id: String,
    pub name: String,
    pub sha256: String,
    pub media_type: String,
    pub size: i64,
    /// The official text (正式文本).
    pub official: bool,
    pub created_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
