//! Use-cases of zhengce over sea-orm, the tantivy search index and (later) push delivery.
//! Native only: the app crate reaches it under its `ssr` feature.

pub mod account;
pub mod clock;
pub mod consult;
pub mod db;
pub mod entity;
pub mod error;
pub mod feed;
pub mod library;
pub mod qa;
pub mod review;

pub use error::ServiceError;

/// The search indexes of one process: the library's and the knowledge base's.
#[derive(Clone)]
pub struct Indexes {
    pub library: std::sync::Arc<library::SearchIndex>,
    pub qa: std::sync::Arc<qa::QaIndex>,
}
