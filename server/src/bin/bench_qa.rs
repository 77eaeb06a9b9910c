//! `bench_qa`: the Q&A knowledge base on the shared corpus of real answers
//! (`../shared/data/policy_qa.jsonl`): how well an entry is found by its own question, and
//! search latency over a 100,000-entry expansion of it. Prints figures; asserts nothing.
//! Run through `scripts/bench` (release build). Options: `--entries N`, `--corpus FILE`.

use std::io::{BufRead, BufReader, Cursor};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use domain::qa::QaQuery;
use sea_orm::DatabaseConnection;
use server::measure::{Fallible, PLACES, arg, ms, percentile, rss, run_main};
use service::Indexes;
use service::library::{SearchIndex, import};
use service::qa::{self, QaIndex};
use std::sync::Arc;

/// Topics spread over the expansion (the real file has none), for the topic filter.
const TOPICS: &[&str] = &[
    "劳动、人事、监察",
    "城乡建设、环境保护",
    "财政、金融、审计",
    "综合政务",
    "民政、扶贫、救灾",
    "交通",
    "卫生、体育",
    "公安、安全、司法",
];

fn main() -> std::process::ExitCode {
    run_main("bench_qa", run)
}

async fn run() -> Fallible<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = arg("--corpus").map_or_else(
        || root.join("../shared/data/policy_qa.jsonl"),
        PathBuf::from,
    );
    let entries: usize = arg("--entries")
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    if !corpus.exists() {
        println!(
            "Q&A corpus {} not found: nothing to measure",
            corpus.display()
        );
        return Ok(());
    }
    let lines: Vec<String> = BufReader::new(std::fs::File::open(&corpus)?)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let work = std::env::temp_dir().join(format!("zhengce-bench-qa-{}", std::process::id()));

    println!("== Q&A knowledge base: {} real entries", lines.len());
    let (db, index) = load(&work.join("real"), &lines).await?;
    self_retrieval(&db, &index, &lines).await?;

    println!("\n== Q&A scale: {entries} entries (the real file expanded synthetically)");
    let expanded = expand(&lines, entries);
    let started = Instant::now();
    let (db, index) = load(&work.join("scale"), &expanded).await?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "import: {} entries in {secs:.1} s = {:.0} entries/s (parse, SQLite, index)",
        expanded.len(),
        expanded.len() as f64 / secs
    );
    latency(&db, &index, &lines).await?;
    println!("bench process RSS: {}", rss("self"));
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

async fn load(
    dir: &std::path::Path,
    lines: &[String],
) -> Fallible<(DatabaseConnection, Arc<QaIndex>)> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let db = service::db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display())).await?;
    let (index, _) = QaIndex::open_in_dir(&dir.join("qa-index"))?;
    let (library, _) = SearchIndex::open_in_dir(&dir.join("index"))?;
    let indexes = Indexes::new(Arc::new(library), Arc::new(index));
    let report = import::import_qa(&db, &indexes, Cursor::new(lines.join("\n"))).await?;
    if !report.bad.is_empty() {
        println!("  ({} lines not loaded)", report.bad.len());
    }
    Ok((db, indexes.qa))
}

fn field(line: &str, name: &str) -> String {
    serde_json::from_str::<serde_json::Value>(line)
        .ok()
        .and_then(|v| v[name].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Every `step`th entry searched by its own question: is it (or an entry with the very
/// same question) in the top 10, and at which rank.
async fn self_retrieval(
    db: &DatabaseConnection,
    index: &Arc<QaIndex>,
    lines: &[String],
) -> Fallible<()> {
    let step = (lines.len() / 200).max(1);
    let (mut found, mut first, mut rr, mut n) = (0, 0, 0.0, 0);
    for line in lines.iter().step_by(step) {
        let (id, question) = (field(line, "id"), field(line, "question"));
        let Ok(q) = QaQuery::parse([("q", question.as_str())]) else {
            continue;
        };
        n += 1;
        let page = qa::search(db, index, &q).await?;
        if let Some(rank) = page
            .hits
            .iter()
            .position(|h| h.id == id || h.question == question.trim())
        {
            found += 1;
            first += usize::from(rank == 0);
            rr += 1.0 / (rank as f64 + 1.0);
        }
    }
    println!(
        "an entry searched by its own question ({n} entries): top-1 {:.3}, recall@{} {:.3}, MRR {:.3}",
        first as f64 / n as f64,
        domain::qa::QA_PAGE,
        found as f64 / n as f64,
        rr / n as f64
    );
    Ok(())
}

/// The real entries again and again, each copy answered by a place's own department and
/// given a topic, until there are `n`.
fn expand(lines: &[String], n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    'outer: for copy in 0.. {
        for (i, l) in lines.iter().enumerate() {
            if out.len() == n {
                break 'outer;
            }
            let Ok(mut v) = serde_json::from_str::<serde_json::Value>(l) else {
                continue;
            };
            let place = PLACES[copy % PLACES.len()];
            if copy > 0 {
                v["id"] = format!("{}-x{copy}", v["id"].as_str().unwrap_or_default()).into();
                v["question"] =
                    format!("{place}{}", v["question"].as_str().unwrap_or_default()).into();
                v["department"] =
                    format!("{place}{}", v["department"].as_str().unwrap_or_default()).into();
            }
            v["topic"] = TOPICS[(i + copy) % TOPICS.len()].into();
            out.push(v.to_string());
        }
    }
    out
}

async fn latency(db: &DatabaseConnection, index: &Arc<QaIndex>, lines: &[String]) -> Fallible<()> {
    let mut set: Vec<QaQuery> = Vec::new();
    let step = (lines.len() / 100).max(1);
    for line in lines.iter().step_by(step) {
        let question = field(line, "question");
        let department = field(line, "department");
        if let Ok(q) = QaQuery::parse([("q", question.as_str())]) {
            set.push(q);
        }
        if let Ok(q) = QaQuery::parse([
            ("q", question.as_str()),
            ("department", department.as_str()),
        ]) {
            set.push(q);
        }
    }
    for words in [
        "社保",
        "公积金 提取",
        "驾驶证换证",
        "居住证办理",
        "养老保险 补缴",
        "地震 避险",
        "医保报销比例",
        "创业补贴",
    ] {
        set.push(QaQuery::parse([("q", words)])?);
    }
    set.push(QaQuery::default_page());
    for topic in TOPICS.iter().take(3) {
        set.push(QaQuery::parse([("topic", *topic)])?);
    }
    for q in &set {
        qa::search(db, index, q).await?;
    }
    let rounds = 10;
    let (mut full, mut index_only): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        for q in &set {
            let t = Instant::now();
            qa::search(db, index, q).await?;
            full.push(t.elapsed());
            let t = Instant::now();
            index.search(q)?;
            index_only.push(t.elapsed());
        }
    }
    full.sort();
    index_only.sort();
    println!(
        "Q&A search (hits + department and topic counts + snippets, {} queries × {rounds}): p50 {}  p99 {}",
        set.len(),
        ms(percentile(&full, 0.5)),
        ms(percentile(&full, 0.99))
    );
    println!(
        "  of which the index: p50 {}  p99 {}",
        ms(percentile(&index_only, 0.5)),
        ms(percentile(&index_only, 0.99))
    );
    Ok(())
}
