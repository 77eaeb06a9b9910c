use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qa_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(column_type = "Text")]
    pub question: String,
    #[sea_orm(column_type = "Text")]
    pub answer: String,
    pub document_id: Option<String>,
    pub org_id: Option<i32>,
    pub section: Option<String>,
    pub phone: Option<String>,
    pub topic: Option<String>,
    /// `import`, `proactive` or `consultation`.
    pub source: String,
    pub published_on: Option<String>,
    /// The consultation whose answer it is.
    pub consultation_id: Option<i64>,
    pub updated_at: Option<String>,
    /// Why its department should check it again (its document changed); cleared by an edit.
    #[sea_orm(column_type = "Text", nullable)]
    pub flag: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
