//! Service tests on a real database (SQLite file, or PostgreSQL when
//! ZHENGCE_TEST_DATABASE_URL names a server) and a real search index.

use std::io::{BufRead, BufReader, Cursor};
use std::path::PathBuf;

use domain::library::{Facet, LibraryQuery, Section};
use sea_orm::DatabaseConnection;
use service::index_sync;
use service::library::{self, import};

mod common;

async fn fresh_db() -> DatabaseConnection {
    let url = service::db::scratch_database_url("svc")
        .await
        .expect("scratch database");
    service::db::connect(&url).await.expect("connect")
}

fn query(qs: &str) -> LibraryQuery {
    LibraryQuery::parse_query_string(qs).expect("valid query")
}

const LINES: &str = r#"{"id":"t-1","title":"芜湖市就业见习管理办法","doc_number":"芜人社〔2022〕3号","issuer":"芜湖市人力资源和社会保障局","published_date":"2022-03-01","doc_type":"行政规范性文件","topic_auto":"劳动、人事、监察","validity":"有效","body":"就业见习补贴按月发放。"}
not json at all
{"id":"t-2","title":"","body":"x"}
{"id":"t-3","title":"旧的见习办法","issuer":"芜湖市人力资源和社会保障局","published_date":"2019-01-01","doc_type":"行政规范性文件","validity":"失效","superseded_by":"t-1","body":"旧办法。"}
{"id":"t-4","title":"日期有误","published_date":"2022/03/01"}
"#;

#[tokio::test]
async fn importer_loads_good_lines_and_reports_bad_ones_by_line_number() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let index = indexes.library.clone();
    let report = import::import_documents(&db, &indexes, Cursor::new(LINES))
        .await
        .expect("import");
    assert_eq!(report.loaded, 2);
    let bad: Vec<(usize, bool)> = report
        .bad
        .iter()
        .map(|b| (b.line, b.reason.chars().any(|c| c > '\u{4e00}')))
        .collect();
    assert_eq!(bad, vec![(2, true), (3, true), (5, true)]);
    assert!(report.bad[1].reason.contains("title"));
    assert!(report.bad[2].reason.contains("published_date"));

    let page = library::search(&db, &index, &query("q=见习"))
        .await
        .expect("search");
    assert_eq!(page.total, 2);
    let old = library::document(&db, &index, "t-3").await.expect("doc");
    assert_eq!(old.validity, "失效");
    assert_eq!(old.replaced_by.map(|r| r.id), Some("t-1".to_owned()));
}

#[tokio::test]
async fn importing_the_same_file_twice_changes_nothing() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let index = indexes.library.clone();
    import::import_documents(&db, &indexes, Cursor::new(LINES))
        .await
        .expect("first");
    let before = library::search(&db, &index, &LibraryQuery::default())
        .await
        .expect("search");
    import::import_documents(&db, &indexes, Cursor::new(LINES))
        .await
        .expect("second");
    let after = library::search(&db, &index, &LibraryQuery::default())
        .await
        .expect("search");
    assert_eq!(before.total, after.total);
    assert_eq!(before.facets, after.facets);
    assert_eq!(index.num_docs(), 2);
}

#[tokio::test]
async fn an_index_that_cannot_tell_where_it_stands_is_rebuilt_from_the_database_once() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    import::import_documents(&db, &indexes, Cursor::new(LINES))
        .await
        .expect("import");
    let fresh = common::indexes();
    let done = index_sync::catch_up(&db, &fresh).await.expect("rebuild");
    assert_eq!(done.rebuilt, vec!["library", "qa"]);
    assert_eq!(fresh.library.num_docs(), 2);
    let again = index_sync::catch_up(&db, &fresh).await.expect("no-op");
    assert_eq!(again, index_sync::CaughtUp::default());
}

#[tokio::test]
async fn void_section_and_facet_filters_narrow_the_results() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let index = indexes.library.clone();
    import::import_document_records(&db, &indexes, library::demo::documents())
        .await
        .expect("demo");
    let void = LibraryQuery {
        section: Section::Void,
        ..Default::default()
    };
    let page = library::search(&db, &index, &void).await.expect("search");
    assert!(page.total > 0);
    assert!(
        page.hits
            .iter()
            .all(|h| h.validity == "废止" || h.validity == "失效")
    );
    let by_year = library::search(&db, &index, &query("year=2022&type=行政规范性文件"))
        .await
        .expect("search");
    assert!(by_year.total > 0);
    assert!(by_year.hits.iter().all(|h| {
        h.published_date
            .as_deref()
            .is_some_and(|d| d.starts_with("2022"))
    }));
    let years = &by_year.facets[Facet::Year.param()];
    assert_eq!(years.len(), 1);
}

const SAME_SUBJECT: &str = r#"{"id":"r-1","title":"山东省劳动合同条例","issuer":"山东省人民代表大会常务委员会","published_date":"2013-08-01","doc_type":"地方性法规","validity":"有效","body":"用人单位与劳动者订立劳动合同，应当遵循合法、公平的原则。"}
{"id":"r-2","title":"中华人民共和国劳动合同法","issuer":"全国人民代表大会常务委员会","published_date":"2012-12-28","doc_type":"法律","validity":"有效","body":"用人单位与劳动者订立劳动合同，应当遵循合法、公平的原则。"}
{"id":"r-3","title":"中华人民共和国居民身份证法","issuer":"全国人民代表大会常务委员会","published_date":"2011-10-29","doc_type":"法律","validity":"有效","body":"居民身份证损坏或者遗失的，公民应当向常住户口所在地的公安机关申请换领、补领。"}
{"id":"r-4","title":"居住证暂行条例","issuer":"国务院","published_date":"2015-11-26","doc_type":"行政法规","validity":"有效","body":"申领居住证，应当向居住地公安派出所提交本人居民身份证、本人相片。"}
"#;

#[test]
fn facet_counts_follow_documents_added_changed_and_removed_over_many_commits() {
    use service::library::{IndexedDoc, SearchIndex};
    let index = SearchIndex::in_memory().expect("index");
    let doc = |id: &str, topic: &str| IndexedDoc {
        id: id.to_owned(),
        title: format!("关于{topic}补贴的通知"),
        doc_number: None,
        issuer: None,
        body: "补贴标准和申领办法。".to_owned(),
        explained: String::new(),
        asked: String::new(),
        facets: vec![
            (Facet::Topic, topic.to_owned()),
            (Facet::Validity, "现行有效".to_owned()),
        ],
        published_day: 19_000,
    };
    // Each call is a commit, so the documents lie in several segments.
    let apply =
        |docs: &[IndexedDoc], gone: &[String]| index.apply(docs, gone, None).expect("apply");
    apply(
        &[
            doc("d1", "就业创业"),
            doc("d2", "就业创业"),
            doc("d3", "就业创业"),
        ],
        &[],
    );
    apply(&[doc("d4", "教育"), doc("d5", "教育")], &[]);
    apply(&[doc("d2", "教育")], &[]);
    apply(&[], &["d5".to_owned()]);
    for q in ["", "q=补贴"] {
        let answer = index.search(&query(q)).expect("search");
        assert_eq!(answer.total, 4, "{q}");
        let topics: Vec<(String, u64)> = answer.facets["topic"]
            .iter()
            .map(|c| (c.value.clone(), c.count))
            .collect();
        assert_eq!(
            topics,
            [("就业创业".to_owned(), 2), ("教育".to_owned(), 2)],
            "{q}"
        );
        assert_eq!(answer.facets["validity"][0].count, 4, "{q}");
    }
}

#[tokio::test]
async fn national_law_outranks_a_local_rule_on_the_same_subject() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let index = indexes.library.clone();
    import::import_documents(&db, &indexes, Cursor::new(SAME_SUBJECT))
        .await
        .expect("import");
    let page = library::search(
        &db,
        &index,
        &query("q=%E5%8A%B3%E5%8A%A8%E5%90%88%E5%90%8C"),
    )
    .await
    .expect("search");
    // 劳动合同: same body, both titles match; the national law, despite its longer title,
    // comes first.
    assert_eq!(page.hits.first().map(|h| h.id.as_str()), Some("r-2"));
}

const TWO_VERSIONS: &str = r#"{"id":"v-old","title":"芜湖市公共租赁住房管理办法","issuer":"芜湖市住房和城乡建设局","published_date":"2016-05-01","doc_type":"行政规范性文件","validity":"废止","body":"公共租赁住房租金按市场租金的一定比例确定。"}
{"id":"v-new","title":"芜湖市公共租赁住房管理办法","issuer":"芜湖市住房和城乡建设局","published_date":"2016-05-01","doc_type":"行政规范性文件","validity":"有效","body":"公共租赁住房租金按市场租金的一定比例确定。"}
"#;

#[tokio::test]
async fn a_text_in_force_outranks_its_abolished_version_with_the_same_words() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    import::import_documents(&db, &indexes, Cursor::new(TWO_VERSIONS))
        .await
        .expect("import");
    let q = domain::text::url_encode("公共租赁住房租金");
    let page = library::search(&db, &indexes.library, &query(&format!("q={q}")))
        .await
        .expect("search");
    let ids: Vec<&str> = page.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["v-new", "v-old"]);
}

#[tokio::test]
async fn a_snippet_shows_the_passage_around_the_first_match_with_every_match_marked() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    // The first match early in one body, and past the opening a result list reads of
    // the other (whose whole body is read for it).
    let lines: String = [("s-early", 40), ("s-late", 150)]
        .iter()
        .map(|(id, repeats)| {
            let opening = "本办法适用于本市行政区域。".repeat(*repeats);
            let line = serde_json::json!({
                "id": id,
                "title": "芜湖市见习管理办法",
                "issuer": "芜湖市人力资源和社会保障局",
                "published_date": "2022-03-01",
                "doc_type": "行政规范性文件",
                "validity": "有效",
                "body": format!("{opening}\n见习补贴按月发放，见习补贴标准为每人每月<1500>元。\n附则。"),
            });
            format!("{line}\n")
        })
        .collect();
    import::import_documents(&db, &indexes, Cursor::new(lines))
        .await
        .expect("import");
    let q = domain::text::url_encode("见习补贴");
    let page = library::search(&db, &indexes.library, &query(&format!("q={q}")))
        .await
        .expect("search");
    assert_eq!(page.hits.len(), 2, "both documents are found");
    for hit in &page.hits {
        let snippet = &hit.snippet;
        assert!(snippet.starts_with('…'), "{}: {snippet}", hit.id);
        assert_eq!(
            snippet.matches("<mark>见习补贴</mark>").count(),
            2,
            "{}: {snippet}",
            hit.id
        );
        assert!(snippet.contains("&lt;1500&gt;"), "{}: {snippet}", hit.id);
        assert!(snippet.chars().count() <= 200, "{}: {snippet}", hit.id);
    }
}

#[tokio::test]
async fn related_documents_share_the_subject_of_a_title_not_the_words_most_titles_share() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let record = |id: String, title: String| {
        serde_json::json!({
            "id": id,
            "title": title,
            "issuer": "芜湖市人民政府办公室",
            "published_date": "2022-03-01",
            "doc_type": "行政规范性文件",
            "validity": "有效",
            "body": "本办法自发布之日起施行。",
        })
        .to_string()
    };
    // Sixty notices of the usual form on other subjects, the notice asked about, and one
    // document on its subject in another form.
    let mut lines: Vec<String> = (0..60)
        .map(|i| {
            record(
                format!("f-{i}"),
                format!("关于印发芜湖市第{i}项管理办法的通知"),
            )
        })
        .collect();
    lines.push(record(
        "jx-1".into(),
        "关于印发芜湖市就业见习管理办法的通知".into(),
    ));
    lines.push(record("jx-2".into(), "就业见习补贴实施细则".into()));
    import::import_documents(&db, &indexes, Cursor::new(lines.join("\n")))
        .await
        .expect("import");
    let page = library::document(&db, &indexes.library, "jx-1")
        .await
        .expect("document");
    let related: Vec<&str> = page.related.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(related, ["jx-2"]);
}

#[tokio::test]
async fn an_everyday_question_finds_the_text_written_in_official_words() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let index = indexes.library.clone();
    import::import_documents(&db, &indexes, Cursor::new(SAME_SUBJECT))
        .await
        .expect("import");
    // 身份证丢了怎么补办: the law says 遗失 and 补领, never 丢 or 补办.
    let q = domain::text::url_encode("身份证丢了怎么补办");
    let page = library::search(&db, &index, &query(&format!("q={q}")))
        .await
        .expect("search");
    assert_eq!(page.hits.first().map(|h| h.id.as_str()), Some("r-3"));
}

#[tokio::test]
async fn a_question_answered_about_a_document_finds_it_for_the_next_person_asking_so() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    import::import_documents(&db, &indexes, Cursor::new(LINES))
        .await
        .expect("import");
    // Nothing in the document says 实习 or 生活费.
    let asked = "刚毕业去单位实习有没有生活费";
    let before = common::hit_ids(&db, &indexes.library, asked).await;
    assert!(!before.contains(&"t-1".to_owned()));

    let org = common::org(&db, "芜湖市人力资源和社会保障局").await;
    let staff = common::account_of(
        &db,
        "asked@wuhu.gov.cn",
        domain::account::Role::Staff,
        Some(org),
    )
    .await;
    service::qa::save(
        &db,
        Some(&staff),
        None,
        &domain::qa::QaForm {
            question: "刚毕业去单位实习有没有生活费？".into(),
            answer: "见习期间按月发放就业见习补贴。".into(),
            document: "t-1".into(),
            section: "就业促进科".into(),
            phone: "0553-12345".into(),
            ..Default::default()
        },
    )
    .await
    .expect("entry");
    index_sync::catch_up(&db, &indexes).await.expect("catch up");
    let after = common::hit_ids(&db, &indexes.library, asked).await;
    assert_eq!(after.first().map(String::as_str), Some("t-1"));
}

/// The shared corpus beside the repository. CI always has it, so there its absence fails
/// the test; elsewhere the test is skipped, saying so on standard error.
fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/policy_docs.jsonl");
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var("CI").is_err(),
        "the shared corpus {} is missing",
        p.display()
    );
    None
}

#[tokio::test]
async fn real_corpus_sample_imports_and_is_found_by_document_number() {
    let Some(path) = corpus() else {
        eprintln!("SKIPPED: the shared corpus is absent");
        return;
    };
    let db = fresh_db().await;
    let indexes = common::indexes();
    let index = indexes.library.clone();
    // Every fifth record: a sample across all document kinds, fast enough for a test.
    let sample: String = BufReader::new(std::fs::File::open(&path).expect("open"))
        .lines()
        .map_while(Result::ok)
        .step_by(5)
        .map(|l| l + "\n")
        .collect();
    let report = import::import_documents(&db, &indexes, Cursor::new(sample.clone()))
        .await
        .expect("import");
    assert!(report.bad.is_empty(), "{:?}", report.bad.first());
    assert_eq!(report.loaded, sample.lines().count());

    let page = library::search(&db, &index, &LibraryQuery::default())
        .await
        .expect("search");
    let types: Vec<&str> = page.facets["type"]
        .iter()
        .map(|f| f.value.as_str())
        .collect();
    assert!(
        types.contains(&"法律") && types.contains(&"行政法规"),
        "{types:?}"
    );
    assert!(!page.facets["topic"].is_empty() && !page.facets["year"].is_empty());

    let numbered = sample
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["doc_number"].as_str().is_some_and(|n| n.contains('〔')))
        .expect("a record with a bracketed number");
    let typed = numbered["doc_number"]
        .as_str()
        .unwrap_or_default()
        .replace('〔', "[")
        .replace('〕', "]");
    let found = library::search(
        &db,
        &index,
        &query(&format!("q={}", domain::text::url_encode(&typed))),
    )
    .await
    .expect("search");
    assert_eq!(
        found.exact.map(|h| h.id),
        numbered["id"].as_str().map(str::to_owned)
    );
}

#[tokio::test]
async fn the_test_database_is_the_backend_the_run_asked_for() {
    use sea_orm::DatabaseBackend;
    let expected = match std::env::var("ZHENGCE_TEST_BACKEND").as_deref() {
        Ok("postgres") => DatabaseBackend::Postgres,
        _ => DatabaseBackend::Sqlite,
    };
    assert_eq!(fresh_db().await.get_database_backend(), expected);
}

#[tokio::test]
async fn importer_reports_a_record_with_personal_data_by_line_and_does_not_load_it() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let lines = r#"{"id":"p-1","title":"芜湖市就业见习管理办法","published_date":"2022-03-01","doc_type":"行政规范性文件","body":"就业见习补贴按月发放。"}
{"id":"p-2","title":"误含个人信息的通知","published_date":"2022-03-02","doc_type":"其他文件","body":"联系人手机13812345678，请于本周内报送。"}
{"id":"p-3","title":"解读含个人信息的文件","published_date":"2022-03-03","doc_type":"其他文件","body":"本办法自发布之日起施行。","interpretations":[{"id":"i-3","title":"政策解读","form":"文字解读","body":"经办人邮箱 zhangsan@example.com"}]}
{"id":"p-4","title":"附件名含个人信息的文件","published_date":"2022-03-04","doc_type":"其他文件","body":"本办法自发布之日起施行。","attachments":[{"name":"申请人张三13912345678.pdf","url":"https://example.com/a.pdf"}]}
"#;
    let report = import::import_documents(&db, &indexes, Cursor::new(lines))
        .await
        .expect("import");
    assert_eq!(report.loaded, 1);
    assert_eq!(
        report.bad.iter().map(|b| b.line).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    assert!(
        report.bad[1].reason.contains("解读《政策解读》"),
        "{}",
        report.bad[1].reason
    );
    assert!(
        report.bad[2].reason.contains("附件名称"),
        "{}",
        report.bad[2].reason
    );
    assert!(
        report.bad[0].reason.contains("疑似手机号（138****5678）"),
        "{}",
        report.bad[0].reason
    );
    assert!(matches!(
        library::document(&db, &indexes.library, "p-2").await,
        Err(service::ServiceError::NotFound(_))
    ));
}

#[tokio::test]
async fn q_and_a_import_reports_an_entry_with_personal_data_by_line_and_does_not_load_it() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let lines = r#"{"id":"q-1","question":"见习补贴怎么申领？","answer":"由见习单位向人社部门申报。","department":"芜湖市人力资源和社会保障局"}
{"id":"q-2","question":"见习补贴找谁咨询？","answer":"请联系经办人，手机13812345678。","department":"芜湖市人力资源和社会保障局"}
"#;
    let report = import::import_qa(&db, &indexes, Cursor::new(lines))
        .await
        .expect("import");
    assert_eq!(report.loaded, 1);
    assert_eq!(report.bad.len(), 1);
    assert_eq!(report.bad[0].line, 2);
    assert!(
        report.bad[0].reason.contains("疑似手机号"),
        "{}",
        report.bad[0].reason
    );
}

#[tokio::test]
async fn an_imported_change_of_validity_keeps_its_reason_once_and_a_reason_with_personal_data_is_refused()
 {
    let db = fresh_db().await;
    let indexes = common::indexes();
    let lines = r#"{"id":"r-1","title":"芜湖市新见习办法","issuer":"芜湖市人力资源和社会保障局","published_date":"2024-03-01","doc_type":"行政规范性文件","validity":"有效","body":"新办法。"}
{"id":"r-2","title":"芜湖市旧见习办法","issuer":"芜湖市人力资源和社会保障局","published_date":"2019-01-01","doc_type":"行政规范性文件","validity":"废止","validity_changed_date":"2024-03-01","validity_reason":"已由《芜湖市新见习办法》替代","superseded_by":"r-1","body":"旧办法。"}
{"id":"r-3","title":"芜湖市另一旧办法","published_date":"2019-01-01","validity":"失效","validity_changed_date":"2024-03-01","validity_reason":"详询13905531234","body":"旧办法。"}
"#;
    for _ in 0..2 {
        let report = import::import_documents(&db, &indexes, Cursor::new(lines))
            .await
            .expect("import");
        assert_eq!(report.loaded, 2);
        assert_eq!(report.bad.len(), 1, "{:?}", report.bad);
        assert_eq!(report.bad[0].line, 3);
    }
    let doc = library::document(&db, &indexes.library, "r-2")
        .await
        .expect("document");
    assert_eq!(doc.validity_history.len(), 1, "{:?}", doc.validity_history);
    let change = &doc.validity_history[0];
    assert_eq!(
        change.reason.as_deref(),
        Some("已由《芜湖市新见习办法》替代")
    );
    assert_eq!(change.date.as_deref(), Some("2024-03-01"));
    assert_eq!(change.replaced_by.as_deref(), Some("r-1"));
}

/// One published document per line, with a body of `chars` characters.
fn documents(ids: std::ops::Range<usize>, title: &str, chars: usize) -> String {
    ids.map(|i| {
        format!(
            r#"{{"id":"k-{i}","title":"{title}{i}","issuer":"芜湖市人力资源和社会保障局","published_date":"2024-03-01","doc_type":"行政规范性文件","validity":"有效","body":"{}"}}"#,
            "见习补贴按月发放。".repeat(chars / 9 + 1)
        ) + "\n"
    })
    .collect()
}

async fn set_title_unannounced(db: &DatabaseConnection, id: &str, title: &str) {
    use sea_orm::ConnectionTrait;
    db.execute_unprepared(&format!(
        "UPDATE documents SET title = '{title}' WHERE id = '{id}'"
    ))
    .await
    .expect("update");
}

#[tokio::test]
async fn a_kept_document_is_read_again_as_soon_as_another_process_publishes_a_change() {
    let db = fresh_db().await;
    let here = common::indexes();
    let there = common::indexes();
    import::import_documents(&db, &there, Cursor::new(documents(1..3, "见习办法", 100)))
        .await
        .expect("import");
    index_sync::catch_up(&db, &here).await.expect("catch up");
    let kept = library::KeptDocuments::new(here.generation.clone());
    let first = kept
        .document(&db, &here.library, "k-1")
        .await
        .expect("read");
    assert_eq!(first.title, "见习办法1");

    // A change that records no event is not seen: the document was answered from memory.
    set_title_unannounced(&db, "k-1", "未发布的标题").await;
    let again = kept
        .document(&db, &here.library, "k-1")
        .await
        .expect("read");
    assert_eq!(again, first);

    // Another process publishes a revision: seen at once, before this process's indexes
    // take it in.
    let generation = here.generation.current();
    import::import_documents(
        &db,
        &there,
        Cursor::new(documents(1..2, "修订的见习办法", 100)),
    )
    .await
    .expect("revise");
    let revised = kept
        .document(&db, &here.library, "k-1")
        .await
        .expect("read");
    assert_eq!(revised.title, "修订的见习办法1");
    assert_eq!(here.generation.current(), generation);
}

#[tokio::test]
async fn kept_documents_stay_within_their_bound_and_the_oldest_go_first() {
    let db = fresh_db().await;
    let indexes = common::indexes();
    import::import_documents(
        &db,
        &indexes,
        Cursor::new(documents(0..40, "见习办法", 2000)),
    )
    .await
    .expect("import");
    let bound = 64 * 1024;
    let kept = library::KeptDocuments::within(indexes.generation.clone(), bound);
    for i in 0..40 {
        let id = format!("k-{i}");
        kept.document(&db, &indexes.library, &id)
            .await
            .expect("read");
        assert!(
            kept.bytes() <= bound,
            "{} bytes kept after {id}",
            kept.bytes()
        );
    }
    assert!(kept.bytes() > bound / 2, "{} bytes kept", kept.bytes());
    set_title_unannounced(&db, "k-0", "第一份改了").await;
    set_title_unannounced(&db, "k-39", "最后一份改了").await;
    let first = kept
        .document(&db, &indexes.library, "k-0")
        .await
        .expect("read");
    let last = kept
        .document(&db, &indexes.library, "k-39")
        .await
        .expect("read");
    assert_eq!(
        first.title, "第一份改了",
        "the oldest was let go and read again"
    );
    assert_eq!(last.title, "见习办法39", "the newest is still kept");
}
