//! The audit log: append-only and hash-chained, each row's hash covering its fields and
//! the hash of the row before, so a changed or deleted row breaks the chain.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000006_audit"
    }
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorId,
    ActorName,
    OrgId,
    Action,
    Subject,
    Detail,
    Address,
    PrevHash,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                // Given by the writer (the previous id + 1), not by a sequence: the chain
                // is numbered without gaps.
                .col(big_integer(AuditEvents::Id).primary_key())
                .col(string(AuditEvents::At))
                .col(big_integer_null(AuditEvents::ActorId))
                .col(string(AuditEvents::ActorName))
                .col(integer_null(AuditEvents::OrgId))
                .col(string(AuditEvents::Action))
                .col(string(AuditEvents::Subject))
                .col(text_null(AuditEvents::Detail))
                .col(string_null(AuditEvents::Address))
                .col(string(AuditEvents::PrevHash))
                .col(string(AuditEvents::Hash))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_audit_org", AuditEvents::OrgId),
            ("idx_audit_actor", AuditEvents::ActorId),
            ("idx_audit_action", AuditEvents::Action),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(AuditEvents::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await
    }
}
