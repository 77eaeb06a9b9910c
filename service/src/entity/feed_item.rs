use sea_orm::entity::prelude::*;

/// One delivery: an outbox event in a user's feed. What it is about (kind, document, time)
/// is the event's; the subscription says why it was delivered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feed_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub outbox_id: i64,
    pub subscription_id: Option<i64>,
    pub read_at: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
