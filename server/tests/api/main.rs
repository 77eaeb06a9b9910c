//! Integration tests: the whole app on port 0 over real HTTP, on SQLite by default or on
//! the PostgreSQL server named by ZHENGCE_TEST_DATABASE_URL.

mod consult;
mod feed;
mod helpers;
mod library;
mod review;
mod security;
