//! `bench_feed`: how fast a publish reaches subscribers. Prints figures; asserts nothing.
//!
//! 1. Fan-out: one document matching N subscriptions (default 1,000,000, a tenth of them
//!    keyword subscriptions over 10,000 distinct keywords the document contains) delivered
//!    by the dispatcher, on SQLite and (with `--pg URL`) on PostgreSQL.
//! 2. Live latency: the release server with C concurrent SSE connections (default 5,000);
//!    documents are published and the time from publish to arrival at every client is
//!    recorded (p50/p99).
//!
//! Usage: `bench_feed --server target/release/server [--subscribers N] [--connections C]
//! [--pg postgres://…]`; `scripts/bench` runs it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::feed::FeedKind;
use domain::review::{Draft, DraftForm};
use futures_util::StreamExt;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, TransactionTrait};
use service::{feed, outbox, review};

use server::measure::{Fallible, arg, percentile, run_main};

const TOPIC: &str = "就业创业";

fn main() -> std::process::ExitCode {
    run_main("bench_feed", run)
}

async fn run() -> Fallible<()> {
    let subscribers: i64 = arg("--subscribers")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let connections: usize = arg("--connections")
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let work = std::env::temp_dir().join(format!("zhengce-bench-feed-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;

    println!("== fan-out: one document matching {subscribers} subscriptions");
    let sqlite = format!("sqlite://{}/fanout.db?mode=rwc", work.display());
    fan_out("SQLite", &sqlite, subscribers).await?;
    if let Some(admin) = arg("--pg") {
        let db = service::db::connect(&admin).await?;
        let name = format!("zhengce_bench_{}", std::process::id());
        db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
            .await?;
        db.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        fan_out("PostgreSQL", &format!("{base}/{name}"), subscribers).await?;
    }

    if let Some(bin) = arg("--server") {
        println!("\n== live: publish → SSE arrival with {connections} connected subscribers");
        live(Path::new(&bin), &work, connections).await?;
    }
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// Every tenth subscriber follows a keyword instead of TOPIC: this many distinct keywords,
/// all of which the published document contains.
const KEYWORDS: i64 = 10_000;

fn keyword(i: i64) -> String {
    format!("zk{:05}", (i / 10) % KEYWORDS)
}

/// Users, one subscription each (to TOPIC, or every tenth to a keyword), written in bulk
/// straight into the tables.
async fn seed_subscribers(db: &DatabaseConnection, n: i64) -> Fallible<()> {
    let chunk = 2_000;
    let txn = db.begin().await?;
    let mut start = 1;
    while start <= n {
        let end = (start + chunk - 1).min(n);
        let ids = start..=end;
        let users: Vec<String> = ids
            .clone()
            .map(|i| format!("({i}, 'bench{i}@example.com', 'x', '订阅者{i}', 'citizen', '2000-01-01T00:00:00+00:00')"))
            .collect();
        txn.execute_unprepared(&format!(
            "INSERT INTO users (id, login, password_hash, display_name, role, created_at) VALUES {}",
            users.join(",")
        ))
        .await?;
        let subs: Vec<String> = ids
            .clone()
            .map(|i| match i % 10 {
                0 => format!(
                    "({i}, {i}, '关键词', '{}', 1, false, 0, '2000-01-01T00:00:00+00:00')",
                    keyword(i)
                ),
                _ => {
                    format!("({i}, {i}, '{TOPIC}', NULL, 1, false, 0, '2000-01-01T00:00:00+00:00')")
                }
            })
            .collect();
        txn.execute_unprepared(&format!(
            "INSERT INTO subscriptions (id, user_id, label, keyword, term_count, paused, delivered, created_at) VALUES {}",
            subs.join(",")
        ))
        .await?;
        let terms: Vec<String> = ids
            .map(|i| match i % 10 {
                0 => format!("({i}, 'keyword', '{}')", keyword(i)),
                _ => format!("({i}, 'topic', '{TOPIC}')"),
            })
            .collect();
        txn.execute_unprepared(&format!(
            "INSERT INTO subscription_terms (subscription_id, facet, value) VALUES {}",
            terms.join(",")
        ))
        .await?;
        start = end + 1;
    }
    txn.commit().await?;
    // Fresh statistics, as the autovacuum daemon would have them after such a load.
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

fn draft(title: &str) -> Fallible<Draft> {
    Ok(Draft::parse(&DraftForm {
        title: title.to_owned(),
        doc_type: "行政规范性文件".into(),
        topic: TOPIC.into(),
        audience: "高校毕业生".into(),
        body: format!("{title}。第一条 为促进高校毕业生就业创业，制定本办法。"),
        ..Default::default()
    })?)
}

async fn fan_out(label: &str, url: &str, n: i64) -> Fallible<()> {
    let db = service::db::connect(url).await?;
    let t = Instant::now();
    seed_subscribers(&db, n).await?;
    println!(
        "{label}: {n} subscribers written in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let publisher = unit(&db).await?;
    let txn = db.begin().await?;
    // The document names every keyword: a tenth of the fan-out comes through the automaton.
    let mut with_keywords = draft("压测文件：高校毕业生就业创业补贴办法")?;
    with_keywords.body = (0..KEYWORDS)
        .map(|k| format!("zk{k:05}"))
        .collect::<Vec<_>>()
        .join("，");
    let id = review::store(&txn, &publisher, &with_keywords).await?;
    outbox::record(
        &txn,
        &[outbox::Event::document(FeedKind::NewDocument, id, None)],
    )
    .await?;
    txn.commit().await?;
    let t = Instant::now();
    let done = feed::dispatch_pending(&db, 10).await?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: fan-out of one document to {} feeds ({} of them through {KEYWORDS} keywords) in {secs:.2} s ({:.0} items/s; goal: 1,000,000 in under 5 s)",
        done.items,
        n / 10,
        done.items as f64 / secs
    );
    Ok(())
}

async fn live(bin: &Path, work: &Path, connections: usize) -> Fallible<()> {
    let dir = work.join("live");
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}/live.db?mode=rwc", dir.display());
    // Subscribers and their sessions, and the documents waiting for 终审, written before
    // the server starts.
    let (tokens, drafts) = {
        let db = service::db::connect(&url).await?;
        seed_subscribers(&db, connections as i64).await?;
        let mut tokens = Vec::with_capacity(connections);
        for user in 1..=connections as i64 {
            tokens.push(service::account::open_session(&db, user, None).await?);
        }
        unit(&db).await?;
        let titles: Vec<Draft> = (0..=ROUNDS)
            .map(|round| draft(&round_title(round)))
            .collect::<Fallible<_>>()?;
        let ids = server::measure::drafts_at_final(&db, UNIT, &titles).await?;
        (tokens, ids)
    };
    let addr = "127.0.0.1:3918";
    let mut child = std::process::Command::new(bin)
        .env("DATABASE_URL", &url)
        .env("ZHENGCE_INDEX_DIR", dir.join("index"))
        .env("ZHENGCE_ADMIN_LOGIN", "admin@wuhu.gov.cn")
        .env("ZHENGCE_ADMIN_PASSWORD", "admin12345")
        .env("LEPTOS_SITE_ADDR", addr)
        .env("RUST_LOG", "warn")
        .env("ZHENGCE_DEMO_DATA", "0")
        .spawn()?;
    let outcome = measure(&format!("http://{addr}"), &tokens, &drafts).await;
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

/// Rounds of the live measurement; round 0 warms the server up and is not counted.
const ROUNDS: usize = 20;
/// The unit whose documents the benchmark publishes.
const UNIT: &str = "芜湖市压测局";

fn round_title(round: usize) -> String {
    format!("压测推送文件第{round}号")
}

async fn unit(db: &DatabaseConnection) -> Fallible<service::entity::organization::Model> {
    Ok(service::entity::organization::ActiveModel {
        name: sea_orm::Set(UNIT.into()),
        kind: sea_orm::Set("department".into()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

async fn measure(base: &str, tokens: &[String], drafts: &[String]) -> Fallible<()> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    let mut up = false;
    for _ in 0..240 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if !up {
        return Err("server did not start".into());
    }
    // title → publish start; arrivals per title.
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let latencies: Arc<Mutex<Vec<(String, Duration)>>> = Arc::default();
    let connected = Arc::new(tokio::sync::Semaphore::new(0));
    let t = Instant::now();
    let mut tasks = Vec::with_capacity(tokens.len());
    for token in tokens {
        let client = reqwest::Client::builder().build()?;
        let url = format!("{base}/api/v1/feed/stream");
        let cookie = format!("zc_session={token}");
        let (sent, latencies, connected) = (sent.clone(), latencies.clone(), connected.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(res) = client.get(url).header("cookie", cookie).send().await else {
                connected.add_permits(1);
                return;
            };
            let mut body = res.bytes_stream();
            let mut buffer = String::new();
            let mut ready = false;
            while let Some(Ok(chunk)) = body.next().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let frame: String = buffer.drain(..end + 2).collect();
                    if !ready && frame.starts_with(": ready") {
                        ready = true;
                        connected.add_permits(1);
                    }
                    let arrived = Instant::now();
                    if let Some(title) = frame
                        .lines()
                        .find_map(|l| l.strip_prefix("data:"))
                        .and_then(|d| serde_json::from_str::<serde_json::Value>(d.trim()).ok())
                        .and_then(|v| v["title"].as_str().map(str::to_owned))
                    {
                        let start = sent.lock().ok().and_then(|s| s.get(&title).copied());
                        if let (Some(start), Ok(mut l)) = (start, latencies.lock()) {
                            l.push((title, arrived.duration_since(start)));
                        }
                    }
                }
            }
        }));
    }
    let _ = connected.acquire_many(tokens.len() as u32).await?;
    println!(
        "{} SSE connections open and live in {:.1} s",
        tokens.len(),
        t.elapsed().as_secs_f64()
    );

    // The 终审 reviewer approves one waiting document a second: each approval publishes.
    let reviewer = reqwest::Client::builder().cookie_store(true).build()?;
    reviewer
        .post(format!("{base}/api/account/sign-in"))
        .header("origin", base)
        .form(&[
            ("login", "final@wuhu.gov.cn"),
            ("password", "staff12345"),
            ("next", "/"),
        ])
        .send()
        .await?;
    for (round, id) in drafts.iter().enumerate() {
        let title = round_title(round);
        if round > 0
            && let Ok(mut s) = sent.lock()
        {
            s.insert(title.clone(), Instant::now());
        }
        let res = reviewer
            .post(format!("{base}/api/review/decide"))
            .header("origin", base)
            .form(&[
                ("id", id.as_str()),
                ("form[level]", "终审"),
                ("form[decision]", "approve"),
                ("form[acknowledged]", "on"),
            ])
            .send()
            .await?;
        if !res.status().is_success() {
            return Err(format!("final approval failed: {}", res.status()).into());
        }
        tokio::time::sleep(Duration::from_millis(1000)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let samples = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    let mut by_round: HashMap<String, Vec<Duration>> = HashMap::new();
    for (title, d) in &samples {
        by_round.entry(title.clone()).or_default().push(*d);
    }
    let mut rounds_seen: Vec<_> = by_round.into_iter().collect();
    rounds_seen.sort();
    let per_round: Vec<String> = rounds_seen
        .iter_mut()
        .map(|(_, ds)| {
            ds.sort();
            format!(
                "{:.0}/{:.0}",
                percentile(ds, 0.5).as_secs_f64() * 1000.0,
                ds.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
            )
        })
        .collect();
    println!("  per publish, median/max ms: {}", per_round.join(" "));
    let mut all: Vec<Duration> = samples.into_iter().map(|(_, d)| d).collect();
    all.sort();
    let expected = tokens.len() * ROUNDS;
    println!(
        "publish → SSE arrival ({} of {expected} deliveries, {ROUNDS} publishes × {} clients): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (goal: p99 under 100 ms)",
        all.len(),
        tokens.len(),
        percentile(&all, 0.5).as_secs_f64() * 1000.0,
        percentile(&all, 0.99).as_secs_f64() * 1000.0,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
    for t in tasks {
        t.abort();
    }
    Ok(())
}
