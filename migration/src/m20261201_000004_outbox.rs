//! A robust outbox: each event counts its failed delivery attempts and keeps the last error;
//! after too many it is set aside as a dead letter (`failed_at`) so the events behind it
//! flow, and an admin can send it again.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000004_outbox"
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Attempts,
    LastError,
    FailedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            integer(Outbox::Attempts).default(0).to_owned(),
            text_null(Outbox::LastError),
            string_null(Outbox::FailedAt),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_outbox_failed")
                .table(Outbox::Table)
                .col(Outbox::FailedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_outbox_failed")
                .table(Outbox::Table)
                .to_owned(),
        )
        .await?;
        for col in [Outbox::Attempts, Outbox::LastError, Outbox::FailedAt] {
            m.alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
