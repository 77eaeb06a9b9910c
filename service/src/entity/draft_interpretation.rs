use sea_orm::entity::prelude::*;

/// An interpretation written with a draft (see `crate::review::interpretations`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_interpretations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub draft_id: String,
    /// [`domain::interpretation::InterpretationForm`]'s label.
    pub form: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub alt: Option<String>,
    /// The draft file shown (image or video).
    pub file_id: Option<i64>,
    /// The video's caption track (a draft file).
    pub caption_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub link: Option<String>,
    /// 简明问答's pairs, as JSON.
    #[sea_orm(column_type = "Text")]
    pub pairs: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
