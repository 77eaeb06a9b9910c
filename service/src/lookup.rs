//! Lookups every feature shares: document titles and organization names by id, new
//! record ids, and what an event or audit entry is about. Features use these instead of reaching into each other.

use std::collections::HashMap;

use rand::RngCore;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::{document, organization};
use crate::error::Result;
use crate::library::PUBLISHED;

/// Titles of published documents by id, a few reads for any number of ids.
pub async fn document_titles(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, String>> {
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            document::Entity::find()
                .select_only()
                .column(document::Column::Id)
                .column(document::Column::Title)
                .filter(document::Column::Id.is_in(chunk.to_vec()))
                .filter(document::Column::Status.eq(PUBLISHED))
                .into_tuple::<(String, String)>()
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Organization names by id.
pub async fn org_names(
    db: &impl ConnectionTrait,
    mut ids: Vec<i32>,
) -> Result<HashMap<i32, String>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// A new record id: `prefix`, the time and a random suffix ("zc-20261126143000-a1b2c3").
pub(crate) fn new_id(prefix: &str) -> String {
    let mut suffix = [0u8; 3];
    rand::rng().fill_bytes(&mut suffix);
    format!(
        "{prefix}-{}-{}",
        chrono::Utc::now().format("%Y%m%d%H%M%S"),
        suffix
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// What an event or an audit entry is about, and its page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    Document(String),
    Consultation(String),
    Qa(String),
    Draft(String),
    /// A staff account, by id (review grants).
    Staff(i64),
    /// The error-prone terms lexicon.
    Lexicon,
}

impl Subject {
    /// As the audit log stores it: `document:ID`, `consultation:ID`, `qa:ID`.
    pub fn key(&self) -> String {
        match self {
            Subject::Document(id) => format!("document:{id}"),
            Subject::Consultation(id) => format!("consultation:{id}"),
            Subject::Qa(id) => format!("qa:{id}"),
            Subject::Draft(id) => format!("draft:{id}"),
            Subject::Staff(id) => format!("staff:{id}"),
            Subject::Lexicon => "lexicon:".to_owned(),
        }
    }

    /// Reads a [`Subject::key`] back.
    pub fn from_key(key: &str) -> Option<Subject> {
        match key.split_once(':')? {
            ("document", id) => Some(Subject::Document(id.to_owned())),
            ("consultation", id) => Some(Subject::Consultation(id.to_owned())),
            ("qa", id) => Some(Subject::Qa(id.to_owned())),
            ("draft", id) => Some(Subject::Draft(id.to_owned())),
            ("staff", id) => id.parse().ok().map(Subject::Staff),
            ("lexicon", _) => Some(Subject::Lexicon),
            _ => None,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Subject::Document(id) => format!("/documents/{id}"),
            Subject::Consultation(id) => format!("/consultations/{id}"),
            Subject::Qa(id) => format!("/qa/{id}"),
            Subject::Draft(id) => format!("/staff/drafts/{id}"),
            Subject::Staff(_) => "/admin/staff".to_owned(),
            Subject::Lexicon => "/admin/lexicon".to_owned(),
        }
    }
}
