//! Consultations and the tables that steer them: the topic → department routing table,
//! the working-day calendar, the sensitive words and settings. The outbox learns to carry
//! events that are not about a document (an answer addressed to one person, a Q&A entry).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000003_consult"
    }
}

#[derive(DeriveIden)]
enum Consultations {
    Table,
    Id,
    UserId,
    Title,
    Body,
    DocumentId,
    Topic,
    Public,
    Status,
    OrgId,
    ReceivedOn,
    DueOn,
    Answer,
    AnsweredBy,
    AnsweredAt,
    RejectReason,
    QaId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConsultationLog {
    Table,
    Id,
    ConsultationId,
    At,
    ActorId,
    Action,
    Note,
}

#[derive(DeriveIden)]
enum ConsultRoutes {
    Table,
    Topic,
    OrgId,
}

#[derive(DeriveIden)]
enum CalendarDays {
    Table,
    Day,
    Working,
}

#[derive(DeriveIden)]
enum SensitiveWords {
    Table,
    Word,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum QaEntries {
    Table,
    ConsultationId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Kind,
    DocumentId,
    Detail,
    CreatedAt,
    DispatchedAt,
    UserId,
    SubjectId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

/// The outbox with a nullable document and the two new columns, under `name`.
fn outbox_table(name: impl IntoIden) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(big_pk_auto(Outbox::Id))
        .col(string(Outbox::Kind))
        .col(string_null(Outbox::DocumentId))
        .col(text_null(Outbox::Detail))
        .col(string(Outbox::CreatedAt))
        .col(string_null(Outbox::DispatchedAt))
        // The one addressee of a personal event (an answer); `NULL`: match subscriptions.
        .col(big_integer_null(Outbox::UserId))
        // What a non-document event is about: a consultation's or a Q&A entry's id.
        .col(string_null(Outbox::SubjectId))
        .foreign_key(
            ForeignKey::create()
                .from(Outbox::Table, Outbox::DocumentId)
                .to(Documents::Table, Documents::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Consultations::Table)
                .col(big_pk_auto(Consultations::Id))
                .col(big_integer(Consultations::UserId))
                .col(text(Consultations::Title))
                .col(text(Consultations::Body))
                .col(string_null(Consultations::DocumentId))
                .col(string_null(Consultations::Topic))
                .col(boolean(Consultations::Public))
                .col(string(Consultations::Status))
                // `NULL` until routed: no document issuer and no route for the topic.
                .col(integer_null(Consultations::OrgId))
                .col(string_len(Consultations::ReceivedOn, 10))
                .col(string_len(Consultations::DueOn, 10))
                .col(text_null(Consultations::Answer))
                .col(big_integer_null(Consultations::AnsweredBy))
                .col(string_null(Consultations::AnsweredAt))
                .col(text_null(Consultations::RejectReason))
                .col(string_null(Consultations::QaId))
                .col(string(Consultations::CreatedAt))
                .col(string(Consultations::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Consultations::Table, Consultations::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Consultations::Table, Consultations::DocumentId)
                        .to(Documents::Table, Documents::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Consultations::Table, Consultations::OrgId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_consultations_org_status",
                vec![Consultations::OrgId, Consultations::Status],
            ),
            ("idx_consultations_user", vec![Consultations::UserId]),
            (
                "idx_consultations_status_public",
                vec![Consultations::Status, Consultations::Public],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Consultations::Table);
            for c in cols {
                index.col(c);
            }
            m.create_index(index.to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(ConsultationLog::Table)
                .col(big_pk_auto(ConsultationLog::Id))
                .col(big_integer(ConsultationLog::ConsultationId))
                .col(string(ConsultationLog::At))
                .col(big_integer_null(ConsultationLog::ActorId))
                .col(string(ConsultationLog::Action))
                .col(text_null(ConsultationLog::Note))
                .foreign_key(
                    ForeignKey::create()
                        .from(ConsultationLog::Table, ConsultationLog::ConsultationId)
                        .to(Consultations::Table, Consultations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_consultation_log_consultation")
                .table(ConsultationLog::Table)
                .col(ConsultationLog::ConsultationId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ConsultRoutes::Table)
                .col(string(ConsultRoutes::Topic).primary_key())
                .col(integer(ConsultRoutes::OrgId))
                .foreign_key(
                    ForeignKey::create()
                        .from(ConsultRoutes::Table, ConsultRoutes::OrgId)
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CalendarDays::Table)
                .col(string_len(CalendarDays::Day, 10).primary_key())
                // false: a public holiday; true: a weekend day worked instead (调休).
                .col(boolean(CalendarDays::Working))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SensitiveWords::Table)
                .col(string(SensitiveWords::Word).primary_key())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(string(Settings::Key).primary_key())
                .col(text(Settings::Value))
                .to_owned(),
        )
        .await?;

        for col in [
            big_integer_null(QaEntries::ConsultationId),
            string_null(QaEntries::UpdatedAt),
        ] {
            m.alter_table(
                Table::alter()
                    .table(QaEntries::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }

        // The outbox: SQLite cannot drop NOT NULL, so the table is rebuilt there (ids are
        // kept, so every process's "seen" position stays valid).
        let db = m.get_connection();
        match m.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => {
                m.create_table(outbox_table(Alias::new("outbox_new")))
                    .await?;
                for sql in [
                    "INSERT INTO outbox_new (id, kind, document_id, detail, created_at, dispatched_at)
                     SELECT id, kind, document_id, detail, created_at, dispatched_at FROM outbox",
                    "DROP TABLE outbox",
                    "ALTER TABLE outbox_new RENAME TO outbox",
                    "CREATE INDEX idx_outbox_pending ON outbox (dispatched_at, id)",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            _ => {
                db.execute_unprepared(
                    "ALTER TABLE outbox ALTER COLUMN document_id DROP NOT NULL,
                     ADD COLUMN user_id BIGINT, ADD COLUMN subject_id VARCHAR",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Settings::Table.into_iden(),
            SensitiveWords::Table.into_iden(),
            CalendarDays::Table.into_iden(),
            ConsultRoutes::Table.into_iden(),
            ConsultationLog::Table.into_iden(),
            Consultations::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
