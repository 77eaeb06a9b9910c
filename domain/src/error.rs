//! The domain layer's one error type: a field that failed to parse, and why (in Chinese).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct DomainError {
    /// The parameter or form field at fault, as the caller named it (`year`, `page`, …).
    pub field: String,
    /// What to fix, in Chinese, ready to show to a visitor.
    pub message: String,
}

impl DomainError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
