use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interpretations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub document_id: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub form: String,
    pub org_id: Option<i32>,
    pub published_on: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub media_url: Option<String>,
    /// An image's text alternative.
    #[sea_orm(column_type = "Text", nullable)]
    pub alt: Option<String>,
    /// A video's WEBVTT caption track.
    #[sea_orm(column_type = "Text", nullable)]
    pub caption_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
