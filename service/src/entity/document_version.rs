use sea_orm::entity::prelude::*;

/// A published version of a document; the highest is the current text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub document_id: String,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub doc_number: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub published_on: Option<String>,
    /// What the revision changed (修订说明); none for the original publication.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    /// The draft whose approval published it.
    pub draft_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
