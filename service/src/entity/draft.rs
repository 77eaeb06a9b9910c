use sea_orm::entity::prelude::*;

/// A document being written and reviewed (see `crate::review`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub org_id: i32,
    pub author_id: i64,
    /// The library's document: the one it changes (a revision, validity change,
    /// withdrawal or added interpretation), or for a new document the one the last
    /// approval published.
    pub document_id: Option<String>,
    /// [`domain::review::DraftKind`]'s label.
    pub kind: String,
    /// The change it makes to its document, as JSON ([`domain::review::Change`]).
    #[sea_orm(column_type = "Text", nullable)]
    pub change: Option<String>,
    /// [`domain::review::Stage`]'s label.
    pub stage: String,
    /// [`domain::review::ReviewLevel`]'s label while the draft waits for that level.
    pub pending_level: Option<String>,
    /// How many times it has been submitted.
    pub round: i32,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub doc_number: Option<String>,
    pub doc_type: String,
    pub topic: Option<String>,
    pub audience: Option<String>,
    pub category: Option<String>,
    pub index_no: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// The error-prone term warnings of the last submission, as JSON.
    #[sea_orm(column_type = "Text")]
    pub warnings: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
