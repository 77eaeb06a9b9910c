//! Screening submitted text: the admin's sensitive words, which the domain's checks for
//! personal data and sensitive words take as their list.

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entity::sensitive_word;
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
