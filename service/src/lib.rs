//! Use-cases of zhengce over sea-orm, the tantivy search index and (later) push delivery.
//! Native only: the app crate reaches it under its `ssr` feature.

pub mod account;
pub mod clock;
pub mod db;
pub mod entity;
pub mod error;
pub mod feed;
pub mod library;
pub mod review;

pub use error::ServiceError;
