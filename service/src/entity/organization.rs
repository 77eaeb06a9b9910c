use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    pub parent_id: Option<i32>,
    /// `city`, `county`, `department`, `section` or `external`.
    pub kind: String,
    pub phone: Option<String>,
    /// [`domain::library::Level`]'s label, when known.
    pub level: Option<String>,
    /// Whose staff hold this organization's 终审: the city's openness office for the city
    /// government and its office; none means the organization's own.
    pub final_review_org_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
