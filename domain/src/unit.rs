//! The city's units (单位) as the portal fronts them: one back end, a front page per unit
//! (前台网址拆分至各单位) with its documents, interpretations, Q&A, answered consultations and
//! contact.

use serde::{Deserialize, Serialize};

use crate::consult::ConsultSummary;
use crate::library::Hit;
use crate::qa::QaHit;

/// A unit with what it has published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub id: i32,
    pub name: String,
    /// 市本级, 市直部门 or 县市区.
    pub level: Option<String>,
    pub phone: Option<String>,
    /// Published documents it issued.
    pub documents: u64,
    pub interpretations: u64,
    /// Normative documents in force without any interpretation yet (解读待发布).
    pub awaiting_interpretation: u64,
    pub qa: u64,
    /// Public consultations it answered.
    pub answered: u64,
}

impl UnitSummary {
    pub fn href(&self) -> String {
        format!("/units/{}", self.id)
    }
}

/// `/units`: the units by level, in the city's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitGroup {
    pub level: String,
    pub units: Vec<UnitSummary>,
}

/// An interpretation in a list, with the document it explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterpretationLink {
    pub id: String,
    pub title: String,
    pub form: String,
    pub published_date: Option<String>,
    pub document_id: String,
    pub href: String,
}

/// `/units/{id}`: a unit's own section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDetail {
    pub unit: UnitSummary,
    /// Its newest documents.
    pub documents: Vec<Hit>,
    pub interpretations: Vec<InterpretationLink>,
    pub qa: Vec<QaHit>,
    pub consultations: Vec<ConsultSummary>,
}

/// The levels `/units` groups by, in order; units of another level come last.
pub const LEVELS: &[&str] = &["市本级", "市直部门", "县市区"];
