//! The schema, one migration per step; run at start-up with `Migrator::up(&db, None)`.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_library;
mod m20261126_000002_feed;
mod m20261126_000003_consult;
mod m20261201_000004_outbox;
mod m20261201_000005_limits;
mod m20261201_000006_audit;
mod m20261202_000007_review;
mod m20261202_000008_lexicon;
mod m20261202_000009_lifecycle;
mod m20261203_000010_lookups;
mod m20261203_000011_feed_reads;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_library::Migration),
            Box::new(m20261126_000002_feed::Migration),
            Box::new(m20261126_000003_consult::Migration),
            Box::new(m20261201_000004_outbox::Migration),
            Box::new(m20261201_000005_limits::Migration),
            Box::new(m20261201_000006_audit::Migration),
            Box::new(m20261202_000007_review::Migration),
            Box::new(m20261202_000008_lexicon::Migration),
            Box::new(m20261202_000009_lifecycle::Migration),
            Box::new(m20261203_000010_lookups::Migration),
            Box::new(m20261203_000011_feed_reads::Migration),
        ]
    }
}
