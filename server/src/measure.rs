//! Small helpers the benchmark binaries (and the multi-process tests) share: running one,
//! its options, percentiles, millisecond figures, RSS, and drafts brought to 终审.

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
    // Pages of files mapped for reading (SQLite's, the index's) count in RSS but are the
    // kernel's page cache, given back under pressure: the process's own memory is apart.
    format!(
        "{} (peak {}; of it the process's own memory {}, the rest mapped files)",
        field("VmRSS:"),
        field("VmHWM:"),
        field("RssAnon:")
    )
}

/// Staff of `unit` with one review level each (`first@`, `second@`, `final@wuhu.gov.cn`,
/// password `staff12345`) and a drafter; each of `drafts` written, submitted and approved
/// by 初审 and 复审. Returns the drafts' ids, waiting for `final@` to approve them.
pub async fn drafts_at_final(
    db: &sea_orm::DatabaseConnection,
    unit: &str,
    drafts: &[domain::review::Draft],
) -> Fallible<Vec<String>> {
    use domain::account::{Login, Password, Role};
    use domain::review::{Decision, GrantForm, ReviewLevel};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let org = service::entity::organization::Entity::find()
        .filter(service::entity::organization::Column::Name.eq(unit))
        .one(db)
        .await?
        .ok_or("no such unit")?
        .id;
    let account = |login: &'static str, role: Role, org: Option<i32>| async move {
        service::account::create_account(
            db,
            &Login::parse("login", login)?,
            &Password::parse("password", "staff12345")?,
            login,
            role,
            org,
        )
        .await
    };
    let admin = account("grants@wuhu.gov.cn", Role::Admin, None).await?;
    let drafter = account("drafter@wuhu.gov.cn", Role::Staff, Some(org)).await?;
    let mut reviewers = Vec::new();
    for (login, level) in [
        ("first@wuhu.gov.cn", ReviewLevel::First),
        ("second@wuhu.gov.cn", ReviewLevel::Second),
        ("final@wuhu.gov.cn", ReviewLevel::Final),
    ] {
        reviewers.push((account(login, Role::Staff, Some(org)).await?, level));
        let form = GrantForm {
            login: login.into(),
            unit: unit.into(),
            level: level.as_str().into(),
        };
        service::review::grants::grant(db, Some(&admin), &form).await?;
    }
    let approve = Decision::Approve {
        comment: None,
        acknowledged: true,
    };
    let mut ids = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let id = service::review::create(db, Some(&drafter), draft).await?;
        service::review::submit(db, Some(&drafter), &id).await?;
        for (reviewer, level) in &reviewers[..2] {
            service::review::decide(db, Some(reviewer), &id, *level, &approve).await?;
        }
        ids.push(id);
    }
    Ok(ids)
}
