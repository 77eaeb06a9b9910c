//! Drafting and the three-level review: drafts, each submitted version (for the
//! differences reviewers read), every decision, and the review levels admins grant to
//! staff per organization. Organizations learn their level and whose staff hold their
//! final review (the openness office for the city government and its office).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000007_review"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Level,
    FinalReviewOrgId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    Id,
    OrgId,
    AuthorId,
    DocumentId,
    Stage,
    PendingLevel,
    Round,
    Title,
    DocNumber,
    DocType,
    Topic,
    Audience,
    Category,
    IndexNo,
    Body,
    Warnings,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DraftVersions {
    Table,
    DraftId,
    Round,
    Title,
    Body,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum DraftReviews {
    Table,
    Id,
    DraftId,
    Round,
    Level,
    ReviewerId,
    Decision,
    Comment,
    At,
}

#[derive(DeriveIden)]
enum DraftFiles {
    Table,
    Id,
    DraftId,
    Name,
    Sha256,
    MediaType,
    Size,
    Official,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    MediaType,
    Size,
    Sha256,
    Official,
}

#[derive(DeriveIden)]
enum DraftInterpretations {
    Table,
    Id,
    DraftId,
    Form,
    Title,
    Body,
    Alt,
    FileId,
    CaptionId,
    Link,
    Pairs,
}

#[derive(DeriveIden)]
enum Interpretations {
    Table,
    Alt,
    CaptionUrl,
}

#[derive(DeriveIden)]
enum ReviewGrants {
    Table,
    Id,
    UserId,
    OrgId,
    Level,
    GrantedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        m.alter_table(
            Table::alter()
                .table(Organizations::Table)
                .add_column(string_null(Organizations::Level))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Organizations::Table)
                .add_column(integer_null(Organizations::FinalReviewOrgId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Drafts::Table)
                .col(string(Drafts::Id).primary_key())
                .col(integer(Drafts::OrgId))
                .col(big_integer(Drafts::AuthorId))
                .col(string_null(Drafts::DocumentId))
                .col(string(Drafts::Stage))
                // The level it waits for while in review, so a reviewer's queue is one
                // join with their grants.
                .col(string_null(Drafts::PendingLevel))
                .col(integer(Drafts::Round).default(0))
                .col(text(Drafts::Title))
                .col(string_null(Drafts::DocNumber))
                .col(string(Drafts::DocType))
                .col(string_null(Drafts::Topic))
                .col(string_null(Drafts::Audience))
                .col(string_null(Drafts::Category))
                .col(string_null(Drafts::IndexNo))
                .col(text(Drafts::Body))
                .col(text(Drafts::Warnings).default("[]"))
                .col(string(Drafts::CreatedAt))
                .col(string(Drafts::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Drafts::Table, Drafts::OrgId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Drafts::Table, Drafts::AuthorId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_drafts_org_pending")
                .table(Drafts::Table)
                .col(Drafts::OrgId)
                .col(Drafts::PendingLevel)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DraftVersions::Table)
                .col(string(DraftVersions::DraftId))
                .col(integer(DraftVersions::Round))
                .col(text(DraftVersions::Title))
                .col(text(DraftVersions::Body))
                .col(string(DraftVersions::SubmittedAt))
                .primary_key(
                    Index::create()
                        .col(DraftVersions::DraftId)
                        .col(DraftVersions::Round),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DraftVersions::Table, DraftVersions::DraftId)
                        .to(Drafts::Table, Drafts::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DraftReviews::Table)
                .col(big_pk_auto(DraftReviews::Id))
                .col(string(DraftReviews::DraftId))
                .col(integer(DraftReviews::Round))
                .col(string(DraftReviews::Level))
                .col(big_integer(DraftReviews::ReviewerId))
                .col(string(DraftReviews::Decision))
                .col(text_null(DraftReviews::Comment))
                .col(string(DraftReviews::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(DraftReviews::Table, DraftReviews::DraftId)
                        .to(Drafts::Table, Drafts::Id),
                )
                .to_owned(),
        )
        .await?;
        // One decision per level and round: two reviewers deciding at once cannot both win.
        m.create_index(
            Index::create()
                .name("idx_draft_reviews_once")
                .table(DraftReviews::Table)
                .col(DraftReviews::DraftId)
                .col(DraftReviews::Round)
                .col(DraftReviews::Level)
                .unique()
                .to_owned(),
        )
        .await?;

        // Files uploaded to a draft, stored by content (SHA-256) under the data folder.
        m.create_table(
            Table::create()
                .table(DraftFiles::Table)
                .col(big_pk_auto(DraftFiles::Id))
                .col(string(DraftFiles::DraftId))
                .col(string(DraftFiles::Name))
                .col(string_len(DraftFiles::Sha256, 64))
                .col(string(DraftFiles::MediaType))
                .col(big_integer(DraftFiles::Size))
                .col(boolean(DraftFiles::Official).default(false))
                .col(string(DraftFiles::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(DraftFiles::Table, DraftFiles::DraftId)
                        .to(Drafts::Table, Drafts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_draft_files_draft")
                .table(DraftFiles::Table)
                .col(DraftFiles::DraftId)
                .to_owned(),
        )
        .await?;
        // A published document's uploaded files keep their content's hash, type, size and
        // whether one is the official text; imported ones have a link only.
        for col in [
            string_null(Attachments::MediaType),
            big_integer_null(Attachments::Size),
            string_len_null(Attachments::Sha256, 64),
            boolean(Attachments::Official).default(false).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Attachments::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_attachments_sha256")
                .table(Attachments::Table)
                .col(Attachments::Sha256)
                .to_owned(),
        )
        .await?;

        // Interpretations written with a draft, reviewed and published with it.
        m.create_table(
            Table::create()
                .table(DraftInterpretations::Table)
                .col(big_pk_auto(DraftInterpretations::Id))
                .col(string(DraftInterpretations::DraftId))
                .col(string(DraftInterpretations::Form))
                .col(text(DraftInterpretations::Title))
                .col(text(DraftInterpretations::Body))
                .col(text_null(DraftInterpretations::Alt))
                .col(big_integer_null(DraftInterpretations::FileId))
                .col(big_integer_null(DraftInterpretations::CaptionId))
                .col(text_null(DraftInterpretations::Link))
                .col(text(DraftInterpretations::Pairs).default("[]"))
                .foreign_key(
                    ForeignKey::create()
                        .from(DraftInterpretations::Table, DraftInterpretations::DraftId)
                        .to(Drafts::Table, Drafts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_draft_interpretations_draft")
                .table(DraftInterpretations::Table)
                .col(DraftInterpretations::DraftId)
                .to_owned(),
        )
        .await?;
        // A published image's text alternative, and a video's caption track.
        for col in [
            text_null(Interpretations::Alt),
            text_null(Interpretations::CaptionUrl),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Interpretations::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(ReviewGrants::Table)
                .col(big_pk_auto(ReviewGrants::Id))
                .col(big_integer(ReviewGrants::UserId))
                .col(integer(ReviewGrants::OrgId))
                .col(string(ReviewGrants::Level))
                .col(string(ReviewGrants::GrantedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ReviewGrants::Table, ReviewGrants::UserId)
                        .to(Users::Table, Users::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ReviewGrants::Table, ReviewGrants::OrgId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_review_grants_once")
                .table(ReviewGrants::Table)
                .col(ReviewGrants::UserId)
                .col(ReviewGrants::OrgId)
                .col(ReviewGrants::Level)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_review_grants_org")
                .table(ReviewGrants::Table)
                .col(ReviewGrants::OrgId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_attachments_sha256")
                .table(Attachments::Table)
                .to_owned(),
        )
        .await?;
        for c in [
            Attachments::Official,
            Attachments::Sha256,
            Attachments::Size,
            Attachments::MediaType,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Attachments::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        for c in [Interpretations::CaptionUrl, Interpretations::Alt] {
            m.alter_table(
                Table::alter()
                    .table(Interpretations::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        for t in [
            DraftInterpretations::Table.into_iden(),
            DraftFiles::Table.into_iden(),
            ReviewGrants::Table.into_iden(),
            DraftReviews::Table.into_iden(),
            DraftVersions::Table.into_iden(),
            Drafts::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        for c in [Organizations::FinalReviewOrgId, Organizations::Level] {
            m.alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
