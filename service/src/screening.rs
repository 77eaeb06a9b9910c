//! Screening submitted text: the admin's sensitive words, which the domain's checks for
//! personal data and sensitive words take as their list, and the admin's error-prone terms
//! lexicon (错敏词), which drafts are checked against.

use domain::account::SessionUser;
use domain::audit::AuditAction;
use domain::screening::Lexicon;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, QuerySelect, Set};

use crate::account::require_admin;
use crate::entity::{lexicon_term, sensitive_word};
use crate::error::Result;

/// The sensitive words submitted text is checked against, as the admin keeps them.
pub async fn sensitive_words(db: &impl ConnectionTrait) -> Result<Vec<String>> {
    Ok(sensitive_word::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.word)
        .collect())
}

/// The error-prone terms lexicon drafts are checked against, as the admin keeps it.
pub async fn lexicon(db: &impl ConnectionTrait) -> Result<Lexicon> {
    let rows: Vec<(String, String)> = lexicon_term::Entity::find()
        .select_only()
        .column(lexicon_term::Column::Term)
        .column(lexicon_term::Column::Suggestion)
        .order_by_asc(lexicon_term::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Lexicon::from_entries(rows)?)
}

/// The lexicon as text, for the admin to edit.
pub async fn lexicon_text(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
) -> Result<String> {
    require_admin(caller, "查看错敏词库")?;
    Ok(lexicon(db).await?.to_text())
}

/// An admin replaces the lexicon with `text` (`错误写法=建议写法` lines); a bad line is
/// refused by its number and nothing changes. Returns the number of entries.
pub async fn save_lexicon(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    text: &str,
) -> Result<usize> {
    let admin = require_admin(caller, "修改错敏词库")?;
    let parsed = Lexicon::parse(text)?;
    let txn = crate::db::write(db).await?;
    lexicon_term::Entity::delete_many().exec(&txn).await?;
    for (n, chunk) in parsed.entries().chunks(500).enumerate() {
        let rows =
            chunk
                .iter()
                .enumerate()
                .map(|(i, (term, suggestion))| lexicon_term::ActiveModel {
                    term: Set(term.clone()),
                    suggestion: Set(suggestion.clone()),
                    position: Set(i32::try_from(n * 500 + i).unwrap_or(i32::MAX)),
                });
        lexicon_term::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    crate::audit::record(
        &txn,
        admin,
        AuditAction::EditLexicon,
        crate::audit::Subject::Lexicon,
        Some(format!("共 {} 条", parsed.len())),
    )
    .await?;
    txn.commit().await?;
    Ok(parsed.len())
}
