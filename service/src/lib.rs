//! Use-cases of zhengce over sea-orm, the tantivy search indexes and live delivery.
//! Native only: the app crate reaches it under its `ssr` feature.

pub mod account;
pub mod audit;
pub mod clock;
pub mod consult;
pub mod db;
pub mod entity;
pub mod error;
pub mod feed;
pub mod files;
pub mod index_sync;
pub mod kept;
pub mod library;
pub mod limits;
pub mod lookup;
pub mod outbox;
pub mod qa;
pub mod review;
pub mod screening;
pub mod unit;

pub use error::ServiceError;
pub use index_sync::Indexes;

/// Runs CPU-heavy work (an argon2 hash takes tens of milliseconds by design, a search with
/// every facet counted a few) on the blocking pool, so a burst of it cannot stall the
/// async workers that render pages and hold live streams.
pub(crate) async fn off_the_workers<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> error::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServiceError::Internal(format!("blocking task: {e}")))
}
