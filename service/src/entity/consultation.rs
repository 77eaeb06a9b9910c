use sea_orm::entity::prelude::*;

/// A policy question from a signed-in user and, once given, its official answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub document_id: Option<String>,
    pub topic: Option<String>,
    pub public: bool,
    /// [`domain::consult::ConsultStatus`] label.
    pub status: String,
    pub org_id: Option<i32>,
    /// City date received, `YYYY-MM-DD`.
    pub received_on: String,
    pub due_on: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reject_reason: Option<String>,
    pub qa_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
