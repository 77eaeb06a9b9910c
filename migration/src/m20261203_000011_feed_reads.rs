//! Indexes for what every signed-in page reads of its visitor's feed: the newest item and
//! the unread ones. Without them the header counted through every item the visitor ever
//! received, so a page cost more the longer someone had subscribed.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000011_feed_reads"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // The same statements on SQLite and PostgreSQL; the second is a partial index.
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS idx_feed_items_user_newest ON feed_items (user_id, id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS idx_feed_items_unread ON feed_items (user_id, id) \
             WHERE read_at IS NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_feed_items_unread")
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_feed_items_user_newest")
            .await?;
        Ok(())
    }
}
