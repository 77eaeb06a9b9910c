//! `bench_screening`: how long the checks on a submitted text take. Prints figures;
//! asserts nothing.
//!
//! A 100 KB body (real documents from ../shared's corpus when present, else generated)
//! screened against a 10,000-term error-prone lexicon (the starter lexicon plus generated
//! terms): the lexicon pass alone, and every check a draft meets (personal data, 100
//! sensitive words, the lexicon). Goal: under 5 ms.

use std::time::{Duration, Instant};

use domain::screening::{self, Lexicon};
use server::measure::{Fallible, ms, percentile, run_main};

const BODY_BYTES: usize = 100 * 1024;
const TERMS: usize = 10_000;
const ROUNDS: usize = 200;

fn main() -> std::process::ExitCode {
    run_main("bench_screening", run)
}

/// A few thousand common characters to build terms from.
fn cjk(i: u64) -> char {
    char::from_u32(0x4E00 + (i % 0x2000) as u32).unwrap_or('政')
}

fn body() -> String {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/policy_docs.jsonl");
    let mut body = String::with_capacity(BODY_BYTES + 4096);
    if let Ok(text) = std::fs::read_to_string(&corpus) {
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                body.push_str(v["body"].as_str().unwrap_or_default());
            }
            if body.len() >= BODY_BYTES {
                break;
            }
        }
    }
    let mut seed = 7u64;
    while body.len() < BODY_BYTES {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        body.push(cjk(seed >> 33));
    }
    // Cut at a character boundary at 100 KB.
    let mut cut = BODY_BYTES;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    body.truncate(cut);
    body
}

fn lexicon() -> Fallible<Lexicon> {
    let mut text = Lexicon::starter_text().to_owned();
    let have = Lexicon::starter().len();
    let mut seed = 11u64;
    let mut added = std::collections::HashSet::new();
    while have + added.len() < TERMS {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        // Four characters from four different parts of the seed: 8,192⁴ possible terms.
        let term: String = (0..4).map(|k| cjk(seed >> (11 + 13 * k))).collect();
        if added.insert(term.clone()) {
            text.push_str(&format!("\n{term}=建议写法"));
        }
    }
    Ok(Lexicon::parse(&text)?)
}

fn time(mut f: impl FnMut()) -> (Duration, Duration) {
    let mut runs = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        f();
        runs.push(t.elapsed());
    }
    runs.sort();
    (percentile(&runs, 0.5), percentile(&runs, 0.99))
}

async fn run() -> Fallible<()> {
    let body = body();
    let t = Instant::now();
    let lexicon = lexicon()?;
    println!(
        "== screening a {} KB body ({} characters) against {} error-prone terms (automaton built in {})",
        body.len() / 1024,
        body.chars().count(),
        lexicon.len(),
        ms(t.elapsed())
    );
    let words: Vec<String> = (0..100u64)
        .map(|i| (0..3).map(|k| cjk(i * 131 + k * 7)).collect())
        .collect();
    let mut warnings = 0;
    let (p50, p99) = time(|| warnings = lexicon.warnings(&body).len());
    println!(
        "error-prone terms: p50 {}  p99 {}  ({warnings} warnings; goal: under 5 ms)",
        ms(p50),
        ms(p99)
    );
    let mut findings = 0;
    let (p50, p99) = time(|| {
        findings = screening::findings(&body, &words).len() + lexicon.warnings(&body).len();
    });
    println!(
        "every check (personal data, 100 sensitive words, the lexicon): p50 {}  p99 {}  ({findings} findings)",
        ms(p50),
        ms(p99)
    );
    Ok(())
}
