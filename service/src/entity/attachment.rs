use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: String,
    pub name: String,
    /// Where it is: `/files/{sha256}/{name}` for an uploaded file, or an imported link.
    #[sea_orm(column_type = "Text")]
    pub url: String,
    pub media_type: Option<String>,
    pub size: Option<i64>,
    /// The content's SHA-256, for an uploaded file.
    pub sha256: Option<String>,
    /// The official text (正式文本): the download version.
    pub official: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
