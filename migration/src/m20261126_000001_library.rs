//! The library: organizations, documents with their facets and attachments,
//! interpretations and Q&A entries.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000001_library"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    ParentId,
    Kind,
    Phone,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    IndexNo,
    Title,
    DocNumber,
    DocNumberKey,
    IssuerId,
    Level,
    DocType,
    WrittenOn,
    PublishedOn,
    EffectiveOn,
    Validity,
    ValidityChangedOn,
    ReplacedBy,
    Body,
    SourceUrl,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DocumentFacets {
    Table,
    DocumentId,
    Facet,
    Value,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    DocumentId,
    Name,
    Url,
}

#[derive(DeriveIden)]
enum Interpretations {
    Table,
    Id,
    DocumentId,
    Title,
    Form,
    OrgId,
    PublishedOn,
    Body,
    MediaUrl,
}

#[derive(DeriveIden)]
enum QaEntries {
    Table,
    Id,
    Question,
    Answer,
    DocumentId,
    OrgId,
    Section,
    Phone,
    Topic,
    Source,
    PublishedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Organizations::Table)
                .col(pk_auto(Organizations::Id))
                .col(string_uniq(Organizations::Name))
                .col(integer_null(Organizations::ParentId))
                .col(string(Organizations::Kind))
                .col(string_null(Organizations::Phone))
                .foreign_key(
                    ForeignKey::create()
                        .from(Organizations::Table, Organizations::ParentId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Documents::Table)
                .col(string(Documents::Id).primary_key())
                .col(string_null(Documents::IndexNo))
                .col(text(Documents::Title))
                .col(string_null(Documents::DocNumber))
                .col(string_null(Documents::DocNumberKey))
                .col(integer_null(Documents::IssuerId))
                .col(string_null(Documents::Level))
                .col(string(Documents::DocType))
                .col(string_len_null(Documents::WrittenOn, 10))
                .col(string_len_null(Documents::PublishedOn, 10))
                .col(string_len_null(Documents::EffectiveOn, 10))
                .col(string(Documents::Validity))
                .col(string_len_null(Documents::ValidityChangedOn, 10))
                .col(string_null(Documents::ReplacedBy))
                .col(text(Documents::Body))
                .col(text_null(Documents::SourceUrl))
                .col(string(Documents::Status))
                .col(string(Documents::CreatedAt))
                .col(string(Documents::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Documents::Table, Documents::IssuerId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_documents_doc_number_key", Documents::DocNumberKey),
            ("idx_documents_published_on", Documents::PublishedOn),
            ("idx_documents_validity", Documents::Validity),
            ("idx_documents_replaced_by", Documents::ReplacedBy),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Documents::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(DocumentFacets::Table)
                .col(string(DocumentFacets::DocumentId))
                .col(string(DocumentFacets::Facet))
                .col(string(DocumentFacets::Value))
                .primary_key(
                    Index::create()
                        .col(DocumentFacets::DocumentId)
                        .col(DocumentFacets::Facet)
                        .col(DocumentFacets::Value),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DocumentFacets::Table, DocumentFacets::DocumentId)
                        .to(Documents::Table, Documents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_document_facets_value")
                .table(DocumentFacets::Table)
                .col(DocumentFacets::Facet)
                .col(DocumentFacets::Value)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Attachments::Table)
                .col(pk_auto(Attachments::Id))
                .col(string(Attachments::DocumentId))
                .col(string(Attachments::Name))
                .col(text(Attachments::Url))
                .foreign_key(
                    ForeignKey::create()
                        .from(Attachments::Table, Attachments::DocumentId)
                        .to(Documents::Table, Documents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Interpretations::Table)
                .col(string(Interpretations::Id).primary_key())
                .col(string(Interpretations::DocumentId))
                .col(text(Interpretations::Title))
                .col(string(Interpretations::Form))
                .col(integer_null(Interpretations::OrgId))
                .col(string_len_null(Interpretations::PublishedOn, 10))
                .col(text(Interpretations::Body))
                .col(text_null(Interpretations::MediaUrl))
                .foreign_key(
                    ForeignKey::create()
                        .from(Interpretations::Table, Interpretations::DocumentId)
                        .to(Documents::Table, Documents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Interpretations::Table, Interpretations::OrgId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_interpretations_document")
                .table(Interpretations::Table)
                .col(Interpretations::DocumentId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(QaEntries::Table)
                .col(string(QaEntries::Id).primary_key())
                .col(text(QaEntries::Question))
                .col(text(QaEntries::Answer))
                .col(string_null(QaEntries::DocumentId))
                .col(integer_null(QaEntries::OrgId))
                .col(string_null(QaEntries::Section))
                .col(string_null(QaEntries::Phone))
                .col(string_null(QaEntries::Topic))
                .col(string(QaEntries::Source))
                .col(string_len_null(QaEntries::PublishedOn, 10))
                .foreign_key(
                    ForeignKey::create()
                        .from(QaEntries::Table, QaEntries::DocumentId)
                        .to(Documents::Table, Documents::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(QaEntries::Table, QaEntries::OrgId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_qa_entries_document")
                .table(QaEntries::Table)
                .col(QaEntries::DocumentId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            QaEntries::Table.into_iden(),
            Interpretations::Table.into_iden(),
            Attachments::Table.into_iden(),
            DocumentFacets::Table.into_iden(),
            Documents::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
