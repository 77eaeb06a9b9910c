//! A published document's life after publication, each step through the three-level
//! review: revisions (every published version kept), validity changes (修改、废止、失效)
//! with their date, reason and replacing document, and withdrawal (撤回) with its public
//! notice. Q&A entries linked to a changed document are flagged for their department.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000009_lifecycle"
    }
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    Kind,
    Change,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    WithdrawnOn,
    WithdrawalReason,
    BodyHtml,
}

#[derive(DeriveIden)]
enum DocumentVersions {
    Table,
    Id,
    DocumentId,
    Version,
    Title,
    DocNumber,
    Body,
    PublishedOn,
    Note,
    DraftId,
}

#[derive(DeriveIden)]
enum ValidityChanges {
    Table,
    Id,
    DocumentId,
    Validity,
    Date,
    Reason,
    ReplacedBy,
    DraftId,
    At,
}

#[derive(DeriveIden)]
enum QaEntries {
    Table,
    Flag,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for (table, col) in [
            (
                Drafts::Table.into_iden(),
                string(Drafts::Kind).default("新发布").to_owned(),
            ),
            (Drafts::Table.into_iden(), text_null(Drafts::Change)),
            (
                Documents::Table.into_iden(),
                string_len_null(Documents::WithdrawnOn, 10),
            ),
            (
                Documents::Table.into_iden(),
                text_null(Documents::WithdrawalReason),
            ),
            (Documents::Table.into_iden(), text_null(Documents::BodyHtml)),
            (QaEntries::Table.into_iden(), text_null(QaEntries::Flag)),
        ] {
            m.alter_table(Table::alter().table(table).add_column(col).to_owned())
                .await?;
        }

        m.create_table(
            Table::create()
                .table(DocumentVersions::Table)
                .col(big_pk_auto(DocumentVersions::Id))
                .col(string(DocumentVersions::DocumentId))
                .col(integer(DocumentVersions::Version))
                .col(text(DocumentVersions::Title))
                .col(string_null(DocumentVersions::DocNumber))
                .col(text(DocumentVersions::Body))
                .col(string_len_null(DocumentVersions::PublishedOn, 10))
                .col(text_null(DocumentVersions::Note))
                .col(string_null(DocumentVersions::DraftId))
                .foreign_key(
                    ForeignKey::create()
                        .from(DocumentVersions::Table, DocumentVersions::DocumentId)
                        .to(Documents::Table, Documents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // Of two revisions approved at once, one takes the next number and the other fails.
        m.create_index(
            Index::create()
                .name("idx_document_versions_number")
                .table(DocumentVersions::Table)
                .col(DocumentVersions::DocumentId)
                .col(DocumentVersions::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ValidityChanges::Table)
                .col(big_pk_auto(ValidityChanges::Id))
                .col(string(ValidityChanges::DocumentId))
                .col(string(ValidityChanges::Validity))
                .col(string_len(ValidityChanges::Date, 10))
                .col(text(ValidityChanges::Reason))
                .col(string_null(ValidityChanges::ReplacedBy))
                .col(string_null(ValidityChanges::DraftId))
                .col(string(ValidityChanges::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(ValidityChanges::Table, ValidityChanges::DocumentId)
                        .to(Documents::Table, Documents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_validity_changes_document")
                .table(ValidityChanges::Table)
                .col(ValidityChanges::DocumentId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ValidityChanges::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(DocumentVersions::Table).to_owned())
            .await?;
        for (table, col) in [
            (Drafts::Table.into_iden(), Drafts::Kind.into_iden()),
            (Drafts::Table.into_iden(), Drafts::Change.into_iden()),
            (
                Documents::Table.into_iden(),
                Documents::WithdrawnOn.into_iden(),
            ),
            (
                Documents::Table.into_iden(),
                Documents::WithdrawalReason.into_iden(),
            ),
            (
                Documents::Table.into_iden(),
                Documents::BodyHtml.into_iden(),
            ),
            (QaEntries::Table.into_iden(), QaEntries::Flag.into_iden()),
        ] {
            m.alter_table(Table::alter().table(table).drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
