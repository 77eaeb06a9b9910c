use sea_orm::entity::prelude::*;

/// A change of a document's validity, approved through review.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "validity_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub document_id: String,
    /// [`domain::library::Validity`]'s label.
    pub validity: String,
    /// `YYYY-MM-DD` it takes effect.
    pub date: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub replaced_by: Option<String>,
    pub draft_id: Option<String>,
    pub at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
