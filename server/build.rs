//! Links jemalloc (Debian's `libjemalloc-dev`, installed by `scripts/bootstrap`) ahead of
//! the C library, so every allocation of the process, SQLite's and tantivy's included, goes
//! through it. Rendering a page allocates and frees thousands of small objects across
//! threads; under glibc's malloc that was a third of a page's CPU time, arena locks
//! included (side by side: rendered document pages +50% requests per second).
//! Without the package the server still builds, on the C library's allocator, and says so.

use std::process::Command;

fn main() {
    println!("cargo:rustc-check-cfg=cfg(jemalloc)");
    println!("cargo:rerun-if-env-changed=ZHENGCE_ALLOCATOR");
    // Installing or removing the package changes these directories.
    for dir in pkg_config(&["--variable", "pc_path", "pkg-config"])
        .unwrap_or_default()
        .split(':')
        .filter(|d| std::path::Path::new(d).is_dir())
    {
        println!("cargo:rerun-if-changed={dir}");
    }
    if std::env::var("ZHENGCE_ALLOCATOR").as_deref() == Ok("system") {
        return;
    }
    match pkg_config(&["--libs-only-L", "jemalloc"]) {
        Some(dirs) => {
            for dir in dirs.split_whitespace().filter_map(|d| d.strip_prefix("-L")) {
                println!("cargo:rustc-link-search=native={dir}");
            }
            println!("cargo:rustc-link-lib=dylib=jemalloc");
            println!("cargo:rustc-cfg=jemalloc");
        }
        None => println!(
            "cargo:warning=libjemalloc-dev is not installed: the server uses the C library's \
             allocator, about a third slower under load (scripts/bootstrap installs it)"
        ),
    }
}

/// pkg-config's answer, or `None` when it or the package is missing.
fn pkg_config(args: &[&str]) -> Option<String> {
    let out = Command::new("pkg-config").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
