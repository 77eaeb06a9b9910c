use sea_orm::entity::prelude::*;

/// A publishing event, committed in the same transaction as the change it reports.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// [`domain::feed::FeedKind::code`].
    pub kind: String,
    /// The document it is about; `None` for a consultation answer or a Q&A entry.
    pub document_id: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub detail: Option<String>,
    pub created_at: String,
    pub dispatched_at: Option<String>,
    /// The one addressee of a personal event; `None`: matched against subscriptions.
    pub user_id: Option<i64>,
    /// A consultation's or Q&A entry's id, for events not about a document.
    pub subject_id: Option<String>,
    /// Failed delivery attempts so far.
    pub attempts: i32,
    /// The error of the last failed attempt.
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// Set aside as a dead letter at this time, after too many failed attempts.
    pub failed_at: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
