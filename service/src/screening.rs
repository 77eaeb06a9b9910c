//! Screening submitted text: the admin's sensitive words, which the domain's checks for
//! personal data and sensitive words take as their list.

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entity::sensitive_word;
use crate::error::Result;
use domain::screening::Lexicon;

/// The sensitive words submitted text is checked against, as the admin keeps them.
pub async fn sensitive_words(db: &impl ConnectionTrait) -> Result<Vec<String>> {
    Ok(sensitive_word::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.word)
        .collect())
}

/// The error-prone terms lexicon drafts are checked against.
pub async fn lexicon(_db: &impl ConnectionTrait) -> Result<std::sync::Arc<Lexicon>> {
    static STARTER: std::sync::OnceLock<std::sync::Arc<Lexicon>> = std::sync::OnceLock::new();
    Ok(STARTER
        .get_or_init(|| std::sync::Arc::new(Lexicon::starter()))
        .clone())
}
