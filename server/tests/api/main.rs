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

/// The build links jemalloc whenever `libjemalloc-dev` is installed (`scripts/bootstrap`
/// installs it, and `scripts/test` says so with `ZHENGCE_EXPECT_JEMALLOC`); the server's
/// allocations then really go through it: asked for its statistics, jemalloc prints them
/// as the process ends, which it does only if it served the process's allocations.
#[test]
fn the_server_allocates_through_the_allocator_the_build_linked() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("no-such-command")
        .env("MALLOC_CONF", "stats_print:true")
        .output()
        .expect("the server binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("未知命令"), "{stderr}");
    let through_jemalloc = stderr.contains("jemalloc statistics");
    assert_eq!(
        through_jemalloc,
        cfg!(jemalloc),
        "{}",
        stderr.chars().take(300).collect::<String>()
    );
    let expected = std::env::var_os("ZHENGCE_EXPECT_JEMALLOC").is_some();
    assert!(
        through_jemalloc || !expected,
        "libjemalloc-dev is installed but the build did not link it"
    );
}
