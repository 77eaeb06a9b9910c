//! Attempt limits kept in the database, so every server process counts the same attempts:
//! a fixed window per key (a login, a client address), counted by one statement that
//! both opens a window and counts in it, so two attempts at once are both counted.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::error::{Result, ServiceError};

/// At most `max` attempts per `window_secs` for each key of a `scope`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub scope: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

/// Sign-in attempts per login (in its canonical form: however the number is written).
pub const SIGN_IN_PER_LOGIN: Limit = Limit {
    scope: "sign-in/login",
    max: 10,
    window_secs: 15 * 60,
};
/// Sign-in attempts per client address (an IPv6 client by its /64).
pub const SIGN_IN_PER_CLIENT: Limit = Limit {
    scope: "sign-in/client",
    max: 30,
    window_secs: 15 * 60,
};
/// Registrations per client address.
pub const REGISTER_PER_CLIENT: Limit = Limit {
    scope: "register/client",
    max: 10,
    window_secs: 60 * 60,
};

/// Windows older than this are deleted now and then.
const KEEP_SECS: i64 = 24 * 60 * 60;

/// Counts an attempt for `key`; refuses it with the seconds to wait when over the limit.
pub async fn check(db: &impl ConnectionTrait, limit: Limit, key: &str) -> Result<()> {
    let now = chrono::Utc::now().timestamp();
    let expired_before = now - limit.window_secs;
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (key) DO UPDATE SET
               hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
               window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
             RETURNING hits, window_start"
        }
        _ => {
            "INSERT INTO rate_limits (key, window_start, hits) VALUES (?1, ?2, 1)
             ON CONFLICT (key) DO UPDATE SET
               hits = CASE WHEN rate_limits.window_start <= ?3 THEN 1 ELSE rate_limits.hits + 1 END,
               window_start = CASE WHEN rate_limits.window_start <= ?3 THEN ?2 ELSE rate_limits.window_start END
             RETURNING hits, window_start"
        }
    };
    let full_key = format!("{}:{key}", limit.scope);
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [full_key.into(), now.into(), expired_before.into()],
        ))
        .await?
        .ok_or_else(|| ServiceError::Internal("rate limit: no row returned".into()))?;
    let hits: i64 = row
        .try_get_by_index::<i32>(0)
        .map(i64::from)
        .or_else(|_| row.try_get_by_index::<i64>(0))?;
    let started: i64 = row.try_get_by_index(1)?;
    if now % 97 == 0 {
        // Now and then, forget windows nobody has used for a day.
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                DatabaseBackend::Postgres => "DELETE FROM rate_limits WHERE window_start < $1",
                _ => "DELETE FROM rate_limits WHERE window_start < ?1",
            },
            [(now - KEEP_SECS).into()],
        ))
        .await?;
    }
    if hits > limit.max {
        let wait = (started + limit.window_secs - now).max(1);
        return Err(ServiceError::RateLimited(wait as u64));
    }
    Ok(())
}
