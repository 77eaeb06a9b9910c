//! Opening the database: SQLite (WAL, busy timeout, foreign keys) or PostgreSQL, then migrate.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::error::Result;

/// How much of a SQLite file is read through memory mapping (SQLite's own ceiling).
const MMAP_BYTES: u64 = 0x7fff_0000;

/// Connects to `url` and brings the schema up to date.
///
/// For a SQLite file the parent folder is created, and every pooled connection gets WAL
/// journaling, a 5 s busy timeout, foreign keys and memory-mapped reads, so readers never
/// block the writer.
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    if let Some(path) = sqlite_file_path(url)
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                // Pages read through one shared mapping of the file instead of copied into
                // each connection's cache: search results read ten documents' texts.
                .pragma("mmap_size", MMAP_BYTES.to_string())
                .create_if_missing(true)
        });
    if url.contains(":memory:") {
        // Each in-memory connection would be a separate database.
        opts.max_connections(1).min_connections(1);
    }
    let db = Database::connect(opts).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a transaction that first reads and then writes would otherwise be
/// refused with "database is locked", without waiting, whenever another writer is busy.
pub async fn write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?)
}

/// Makes writers of one kind take turns until the end of the caller's transaction: on
/// PostgreSQL a transaction-scoped advisory lock on `key`; SQLite's write transactions
/// already run one at a time.
pub async fn take_turn(txn: &impl sea_orm::ConnectionTrait, key: i64) -> Result<()> {
    use sea_orm::{DatabaseBackend, Statement};
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// A new, empty database for a test or a benchmark run: a fresh database on the
/// PostgreSQL server named by `ZHENGCE_TEST_DATABASE_URL` when set, else a new SQLite file
/// in the temp folder. A run that asked for PostgreSQL (`ZHENGCE_TEST_BACKEND=postgres`)
/// without naming a server fails here rather than quietly testing SQLite.
pub async fn scratch_database_url(label: &str) -> Result<String> {
    use sea_orm::ConnectionTrait;
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    match std::env::var("ZHENGCE_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let db = Database::connect(&admin).await?;
            let name = format!("zhengce_{label}_{n}");
            db.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            Ok(format!("{base}/{name}"))
        }
        _ if std::env::var("ZHENGCE_TEST_BACKEND").is_ok_and(|b| b == "postgres") => {
            Err(crate::ServiceError::Internal(
                "ZHENGCE_TEST_BACKEND=postgres but ZHENGCE_TEST_DATABASE_URL is empty".into(),
            ))
        }
        _ => {
            let dir = std::env::temp_dir().join("zhengce-scratch");
            std::fs::create_dir_all(&dir)?;
            Ok(format!(
                "sqlite://{}/{label}-{n}.db?mode=rwc",
                dir.display()
            ))
        }
    }
}

fn sqlite_file_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file_path("sqlite://data/zhengce.db?mode=rwc"),
            Some("data/zhengce.db")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://localhost/x"), None);
    }
}
