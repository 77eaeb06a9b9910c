//! Use-cases of zhengce over sea-orm, the tantivy search indexes and live delivery.
//! Native only: the app crate reaches it under its `ssr` feature.

pub mod account;
pub mod clock;
pub mod consult;
pub mod db;
pub mod entity;
pub mod error;
pub mod feed;
pub mod index_sync;
pub mod library;
pub mod limits;
pub mod outbox;
pub mod qa;
pub mod review;

pub use error::ServiceError;
pub use index_sync::Indexes;
