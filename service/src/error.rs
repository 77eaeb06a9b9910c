//! The service layer's one error enum.

use domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(#[from] DomainError),
    #[error("未找到{0}")]
    NotFound(String),
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("search index: {0}")]
    Search(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl From<tantivy::TantivyError> for ServiceError {
    fn from(e: tantivy::TantivyError) -> Self {
        ServiceError::Search(e.to_string())
    }
}

impl From<tantivy::query::QueryParserError> for ServiceError {
    fn from(e: tantivy::query::QueryParserError) -> Self {
        ServiceError::Search(e.to_string())
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
