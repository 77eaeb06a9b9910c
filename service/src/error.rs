//! The service layer's one error enum.

use domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(#[from] DomainError),
    #[error("未找到{0}")]
    NotFound(String),
    /// No session, or it has ended.
    #[error("请先登录")]
    Unauthorized,
    /// Signed in, but the role does not allow it; the message says what is needed.
    #[error("{0}")]
    Forbidden(String),
    /// Already there (an account for this login, the same subscription).
    #[error("{0}")]
    Conflict(String),
    /// It was there and is no longer (a withdrawn document); the message is its notice.
    #[error("{0}")]
    Gone(String),
    /// Over a size limit (an upload); the message says which.
    #[error("{0}")]
    TooLarge(String),
    /// Too many attempts; try again after this many seconds.
    #[error("操作过于频繁，请 {0} 秒后再试")]
    RateLimited(u64),
    #[error("database: {0}")]
    Db(sea_orm::DbErr),
    #[error("search index: {0}")]
    Search(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// Anything else that is not the caller's doing; the details go to the log.
    #[error("internal: {0}")]
    Internal(String),
}

/// A unique key met twice (a double-tapped form, two requests racing) is a conflict the
/// caller can act on, not a server failure.
impl From<sea_orm::DbErr> for ServiceError {
    fn from(e: sea_orm::DbErr) -> Self {
        match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                ServiceError::Conflict("该记录已存在，请勿重复提交".to_owned())
            }
            _ => ServiceError::Db(e),
        }
    }
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
