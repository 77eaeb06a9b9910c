//! The error-prone terms lexicon (错敏词) admins edit, started from the portal's starter
//! lexicon. `position` keeps the admin's order.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000008_lexicon"
    }
}

#[derive(DeriveIden)]
enum LexiconTerms {
    Table,
    Term,
    Suggestion,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LexiconTerms::Table)
                .col(string(LexiconTerms::Term).primary_key())
                .col(string(LexiconTerms::Suggestion))
                .col(integer(LexiconTerms::Position))
                .to_owned(),
        )
        .await?;
        let starter = domain::screening::Lexicon::starter();
        for (n, chunk) in starter.entries().chunks(500).enumerate() {
            let mut insert = Query::insert()
                .into_table(LexiconTerms::Table)
                .columns([
                    LexiconTerms::Term,
                    LexiconTerms::Suggestion,
                    LexiconTerms::Position,
                ])
                .to_owned();
            for (i, (term, suggestion)) in chunk.iter().enumerate() {
                let position = <i32 as TryFrom<usize>>::try_from(n * 500 + i).unwrap_or(i32::MAX);
                insert
                    .values([
                        term.clone().into(),
                        suggestion.clone().into(),
                        position.into(),
                    ])
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
            }
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LexiconTerms::Table).to_owned())
            .await
    }
}
