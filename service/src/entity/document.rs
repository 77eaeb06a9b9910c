use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub index_no: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub doc_number: Option<String>,
    /// The canonical [`domain::library::DocNumber`], for exact lookups.
    pub doc_number_key: Option<String>,
    pub issuer_id: Option<i32>,
    pub level: Option<String>,
    pub doc_type: String,
    pub written_on: Option<String>,
    pub published_on: Option<String>,
    pub effective_on: Option<String>,
    pub validity: String,
    pub validity_changed_on: Option<String>,
    pub replaced_by: Option<String>,
    /// Plain text, one line per block: what search, snippets and feeds read.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub source_url: Option<String>,
    /// `published` for everything the library shows.
    pub status: String,
    pub created_at: String,
    /// `YYYY-MM-DD` of its withdrawal (撤回), when `status` is `withdrawn`.
    pub withdrawn_on: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub withdrawal_reason: Option<String>,
    /// A drafted document's structured body, rendered and sanitized (imported ones: none).
    #[sea_orm(column_type = "Text", nullable)]
    pub body_html: Option<String>,
    pub updated_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::IssuerId",
        to = "super::organization::Column::Id"
    )]
    Issuer,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Issuer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
