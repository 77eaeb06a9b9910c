//! Accounts and "the policy finds the person": users and their sessions, subscriptions with
//! the inverted index from facet value to subscription, the outbox of publishing events and
//! the feed items delivered from it.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000002_feed"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Login,
    PasswordHash,
    DisplayName,
    Role,
    EnterpriseName,
    CreditCode,
    OrgId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    UserAgent,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    UserId,
    Label,
    Keyword,
    TermCount,
    Paused,
    Delivered,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SubscriptionTerms {
    Table,
    SubscriptionId,
    Facet,
    Value,
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
}

#[derive(DeriveIden)]
enum FeedItems {
    Table,
    Id,
    UserId,
    OutboxId,
    SubscriptionId,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_uniq(Users::Login))
                .col(string(Users::PasswordHash))
                .col(string(Users::DisplayName))
                .col(string(Users::Role))
                .col(string_null(Users::EnterpriseName))
                .col(string_null(Users::CreditCode))
                .col(integer_null(Users::OrgId))
                .col(string(Users::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::OrgId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string(Sessions::TokenHash).primary_key())
                .col(big_integer(Sessions::UserId))
                .col(string(Sessions::CreatedAt))
                .col(string(Sessions::ExpiresAt))
                .col(string_null(Sessions::UserAgent))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Subscriptions::Table)
                .col(big_pk_auto(Subscriptions::Id))
                .col(big_integer(Subscriptions::UserId))
                .col(string(Subscriptions::Label))
                .col(string_null(Subscriptions::Keyword))
                // Terms the subscription names, the keyword included: an event matches
                // when it meets all of them.
                .col(integer(Subscriptions::TermCount))
                .col(boolean(Subscriptions::Paused).default(false))
                .col(big_integer(Subscriptions::Delivered).default(0))
                .col(string(Subscriptions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Subscriptions::Table, Subscriptions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_subscriptions_user")
                .table(Subscriptions::Table)
                .col(Subscriptions::UserId)
                .to_owned(),
        )
        .await?;

        // The inverted index: (facet, value) → subscriptions naming it. A keyword is a term
        // with facet `keyword`.
        m.create_table(
            Table::create()
                .table(SubscriptionTerms::Table)
                .col(big_integer(SubscriptionTerms::SubscriptionId))
                .col(string(SubscriptionTerms::Facet))
                .col(string(SubscriptionTerms::Value))
                .primary_key(
                    Index::create()
                        .col(SubscriptionTerms::Facet)
                        .col(SubscriptionTerms::Value)
                        .col(SubscriptionTerms::SubscriptionId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(SubscriptionTerms::Table, SubscriptionTerms::SubscriptionId)
                        .to(Subscriptions::Table, Subscriptions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_subscription_terms_subscription")
                .table(SubscriptionTerms::Table)
                .col(SubscriptionTerms::SubscriptionId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(big_pk_auto(Outbox::Id))
                .col(string(Outbox::Kind))
                .col(string(Outbox::DocumentId))
                .col(text_null(Outbox::Detail))
                .col(string(Outbox::CreatedAt))
                .col(string_null(Outbox::DispatchedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Outbox::Table, Outbox::DocumentId)
                        .to(Documents::Table, Documents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_pending")
                .table(Outbox::Table)
                .col(Outbox::DispatchedAt)
                .col(Outbox::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(FeedItems::Table)
                .col(big_pk_auto(FeedItems::Id))
                .col(big_integer(FeedItems::UserId))
                .col(big_integer(FeedItems::OutboxId))
                // The subscription that brought the item: why it was delivered.
                .col(big_integer_null(FeedItems::SubscriptionId))
                .col(string_null(FeedItems::ReadAt))
                // Narrow on purpose, and without foreign keys: a fan-out writes a million
                // rows in one statement. What the item is about (kind, document, time) is
                // its outbox event's; rows are only written by delivery.
                .to_owned(),
        )
        .await?;
        // One item per user per event, however many subscriptions matched, and however
        // many processes dispatched the event. It also serves a user's feed: one index
        // fewer to maintain during a fan-out.
        m.create_index(
            Index::create()
                .name("idx_feed_items_user_event")
                .table(FeedItems::Table)
                .col(FeedItems::UserId)
                .col(FeedItems::OutboxId)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FeedItems::Table.into_iden(),
            Outbox::Table.into_iden(),
            SubscriptionTerms::Table.into_iden(),
            Subscriptions::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
