//! Small helpers the benchmark binaries share: running one, its options, percentiles,
//! millisecond figures, RSS.

use std::future::Future;
use std::process::ExitCode;
use std::time::Duration;

/// The city and its districts: synthetic expansions of the corpora prefix titles and
/// departments with them, so large data sets stay varied.
pub const PLACES: &[&str] = &[
    "",
    "芜湖市",
    "无为市",
    "繁昌区",
    "南陵县",
    "镜湖区",
    "弋江区",
    "鸠江区",
    "湾沚区",
];

pub type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

/// Runs a benchmark's body on a Tokio runtime; a failure is printed under its `name`.
pub fn run_main<F: Future<Output = Fallible<()>>>(
    name: &str,
    body: impl FnOnce() -> F,
) -> ExitCode {
    let outcome = tokio::runtime::Runtime::new()
        .map_err(Into::into)
        .and_then(|rt| rt.block_on(body()));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name} failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The value given after `--name` on the command line.
pub fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// Whether `--name` was given.
pub fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

/// The `p` quantile (0.0–1.0) of already sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// "12.34 ms".
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Resident and peak memory of a process (`self` or a pid), as "80 MiB (peak 95 MiB)".
pub fn rss(pid: &str) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or("?".to_owned(), |kb| format!("{:.0} MiB", kb / 1024.0))
    };
    format!("{} (peak {})", field("VmRSS:"), field("VmHWM:"))
}
