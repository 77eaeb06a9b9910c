//! sea-orm entities, one per table; use-cases turn them into domain types.

pub mod attachment;
pub mod audit_event;
pub mod calendar_day;
pub mod consult_route;
pub mod consultation;
pub mod consultation_log;
pub mod document;
pub mod document_facet;
pub mod draft;
pub mod draft_file;
pub mod draft_interpretation;
pub mod draft_review;
pub mod draft_version;
pub mod feed_item;
pub mod interpretation;
pub mod lexicon_term;
pub mod organization;
pub mod outbox;
pub mod qa_entry;
pub mod review_grant;
pub mod sensitive_word;
pub mod session;
pub mod setting;
pub mod subscription;
pub mod subscription_term;
pub mod user;
