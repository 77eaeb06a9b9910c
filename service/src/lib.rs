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
use tokio::sync::Semaphore;

/// CPU-heavy work of one kind, each kind in its own lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Heavy {
    /// A search with every facet counted: a few milliseconds each.
    Search,
    /// An argon2 hash or check: tens of milliseconds and megabytes each, by design.
    Password,
}

/// The machine's cores: how many of one kind of heavy work run at once.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs CPU-heavy work on the blocking pool, at most a core's worth of each kind at once;
/// the rest wait their turn in order. Unbounded, a crowd's sixteen searches ran as sixteen
/// threads sharing two cores: every search took as long as the slowest and the async
/// workers that render pages and hold live streams got a sliver of the CPU. In separate
/// lanes, a burst of sign-ins never queues a search, nor the other way round.
pub(crate) async fn off_the_workers<T: Send + 'static>(
    kind: Heavy,
    f: impl FnOnce() -> T + Send + 'static,
) -> error::Result<T> {
    type Lane = std::sync::Arc<tokio::sync::Semaphore>;
    static LANES: std::sync::OnceLock<[Lane; 2]> = std::sync::OnceLock::new();
    let lanes = LANES.get_or_init(|| [(); 2].map(|()| Lane::new(Semaphore::new(cores()))));
    let turn = lanes[kind as usize]
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ServiceError::Internal(format!("lane closed: {e}")))?;
    // The turn ends with the work, not with the caller: a visitor who leaves cannot free
    // a place while their search still runs.
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        f()
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("blocking task: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, mpsc};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_of_heavy_work_runs_a_core_at_a_time_and_in_turn() {
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let burst: Vec<_> = (0..40)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(off_the_workers(Heavy::Search, move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for work in burst {
            work.await.expect("task").expect("lane");
        }
        let most = most.load(Ordering::SeqCst);
        assert!(most >= 1 && most <= cores(), "{most} ran at once");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lane_full_of_password_checks_lets_a_search_through_and_a_leaving_caller_keeps_its_turn()
     {
        // Fill the password lane with checks that run until released, their callers gone.
        let (release, held) = mpsc::channel::<()>();
        let held = Arc::new(std::sync::Mutex::new(held));
        let started = Arc::new(AtomicUsize::new(0));
        for n in 1..=cores() {
            let (held, starts) = (held.clone(), started.clone());
            let caller = tokio::spawn(off_the_workers(Heavy::Password, move || {
                starts.fetch_add(1, Ordering::SeqCst);
                let _ = held.lock().map(|h| h.recv());
            }));
            while started.load(Ordering::SeqCst) < n {
                tokio::task::yield_now().await;
            }
            caller.abort();
        }
        let search = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            off_the_workers(Heavy::Search, || 7),
        )
        .await;
        assert_eq!(
            search.expect("a search waited on passwords").expect("lane"),
            7
        );
        let next = tokio::spawn(off_the_workers(Heavy::Password, || ()));
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(
            !next.is_finished(),
            "a left caller's place was taken while its work ran"
        );
        for _ in 0..cores() {
            release.send(()).expect("a held check");
        }
        tokio::time::timeout(std::time::Duration::from_secs(5), next)
            .await
            .expect("the next check ran once the lane freed")
            .expect("task")
            .expect("lane");
    }
}
