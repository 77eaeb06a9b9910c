//! Policy Q&A (政策问答) entries as pages show them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaView {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub department: Option<String>,
    pub section: Option<String>,
    pub phone: Option<String>,
    pub document_id: Option<String>,
    pub document_title: Option<String>,
}
