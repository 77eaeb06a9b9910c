//! Indexes for what a document's page looks up by document: its attachments and the
//! consultations asked about it. Without them each page scanned the whole table, so a
//! page cost more the larger the library grew.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000010_lookups"
    }
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    DocumentId,
}

#[derive(DeriveIden)]
enum Consultations {
    Table,
    DocumentId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_attachments_document")
                .table(Attachments::Table)
                .col(Attachments::DocumentId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_consultations_document")
                .table(Consultations::Table)
                .col(Consultations::DocumentId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            (
                "idx_consultations_document",
                Consultations::Table.into_iden(),
            ),
            ("idx_attachments_document", Attachments::Table.into_iden()),
        ] {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
