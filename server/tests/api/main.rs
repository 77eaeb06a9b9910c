//! Integration tests: the whole app on port 0 over real HTTP, on SQLite by default or on
//! the PostgreSQL server named by ZHENGCE_TEST_DATABASE_URL. Each test runs the app on a
//! multi-threaded runtime, as the server binary does: work that holds one worker (an
//! index commit, a page render) never stalls the test's own requests.

mod cache;
mod consult;
mod feed;
mod forms;
mod helpers;
mod library;
mod review;
mod security;
