//! sea-orm entities, one per table; use-cases turn them into domain types.

pub mod attachment;
pub mod document;
pub mod document_facet;
pub mod interpretation;
pub mod organization;
pub mod qa_entry;
