use crate::helpers::spawn_app;

use domain::text::url_encode as enc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_api_returns_hits_with_facet_counts() {
    let app = spawn_app().await;
    let (status, body) = app
        .get_json(&format!("/api/v1/search?q={}", enc("高校毕业生 就业")))
        .await;
    assert_eq!(status, 200);
    assert!(body["total"].as_u64().unwrap_or(0) > 0);
    let hits = body["hits"].as_array().expect("hits");
    assert!(!hits.is_empty() && hits.len() <= 20);
    for key in [
        "id",
        "title",
        "doc_number",
        "issuer",
        "published_date",
        "validity",
        "snippet",
    ] {
        assert!(hits[0].get(key).is_some(), "hit has {key}");
    }
    for facet in [
        "type", "issuer", "year", "topic", "audience", "category", "validity",
    ] {
        assert!(body["facets"][facet].is_array(), "facet {facet}");
    }
    let first_title = hits[0]["title"].as_str().unwrap_or_default();
    assert!(
        first_title.contains("毕业生") || first_title.contains("就业"),
        "{first_title}"
    );
    assert!(
        hits[0]["snippet"]
            .as_str()
            .unwrap_or_default()
            .contains("<mark>")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_facets_combine_and_counts_follow_the_filter() {
    let app = spawn_app().await;
    let (_, all) = app.get_json("/api/v1/search").await;
    let (status, filtered) = app
        .get_json(&format!(
            "/api/v1/search?audience={}&validity={}",
            enc("高校毕业生"),
            enc("现行有效")
        ))
        .await;
    assert_eq!(status, 200);
    let n = filtered["total"].as_u64().unwrap_or(0);
    assert!(n > 0 && n < all["total"].as_u64().unwrap_or(0));
    let validity = filtered["facets"]["validity"]
        .as_array()
        .expect("validity facet");
    assert_eq!(
        validity.len(),
        1,
        "only the chosen validity remains: {validity:?}"
    );
    assert_eq!(validity[0]["count"].as_u64(), Some(n));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_parameters_get_400_naming_the_parameter_in_chinese() {
    let app = spawn_app().await;
    for (qs, field) in [
        ("year=abc", "year"),
        ("page=0", "page"),
        ("sort=best", "sort"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/search?{qs}")).await;
        assert_eq!(status, 400, "{qs}");
        assert_eq!(body["field"], field);
        let msg = body["error"].as_str().unwrap_or_default();
        assert!(
            msg.contains(field) && msg.chars().any(|c| c > '\u{4e00}'),
            "{msg}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_document_is_404_json_and_a_404_page() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/v1/documents/nope").await;
    assert_eq!(status, 404);
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("未找到")
    );
    let page = app.get("/documents/nope").await;
    assert_eq!(page.status().as_u16(), 404);
    assert!(page.text().await.unwrap_or_default().contains("页面不存在"));
    assert_eq!(app.get("/no/such/page").await.status().as_u16(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_number_in_any_bracket_style_finds_the_document() {
    let app = spawn_app().await;
    let (_, list) = app
        .get_json(&format!("/api/v1/search?type={}", enc("政府规章")))
        .await;
    let hit = &list["hits"][0];
    let number = hit["doc_number"].as_str().expect("number").to_owned();
    for typed in [
        number.replace('〔', "[").replace('〕', "]"),
        number
            .replace('〔', "（")
            .replace('〕', "）")
            .trim_end_matches('号')
            .to_owned(),
    ] {
        let (status, body) = app
            .get_json(&format!("/api/v1/search?q={}", enc(&typed)))
            .await;
        assert_eq!(status, 200);
        assert_eq!(body["exact"]["id"], hit["id"], "{typed}");
        assert_eq!(body["hits"][0]["id"], hit["id"], "{typed}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junk_query_gets_a_notice_not_an_error() {
    let app = spawn_app().await;
    let (status, body) = app
        .get_json(&format!("/api/v1/search?q={}", enc("？？！")))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 0);
    assert!(
        body["notice"]
            .as_str()
            .unwrap_or_default()
            .contains("没有可检索的文字")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_api_carries_interpretations_and_qa() {
    let app = spawn_app().await;
    let (status, doc) = app.get_json("/api/v1/documents/wh-2026-0315").await;
    assert_eq!(status, 200);
    assert!(
        !doc["interpretations"]
            .as_array()
            .expect("interpretations")
            .is_empty()
    );
    assert!(doc["doc_number"].as_str().is_some());
    let interpretation = &doc["interpretations"][0];
    for field in ["id", "form", "title", "href"] {
        assert!(
            interpretation[field].is_string(),
            "{field}: {interpretation}"
        );
    }
    // One version so far; no validity change while in force.
    assert_eq!(doc["versions"][0]["version"], 1);
    assert_eq!(doc["versions"][0]["published_at"], doc["published_date"]);
    // An abolished document tells when, and what replaced it.
    let (_, void) = app
        .get_json(&format!("/api/v1/search?validity={}", enc("废止")))
        .await;
    let void_id = void["hits"][0]["id"]
        .as_str()
        .expect("an abolished document");
    let (_, abolished) = app.get_json(&format!("/api/v1/documents/{void_id}")).await;
    let change = &abolished["validity_history"][0];
    assert_eq!(change["validity"], "废止");
    assert_eq!(change["date"], abolished["validity_changed_date"]);
    assert_eq!(change["replaced_by"], abolished["replaced_by"]["id"]);
    assert!(
        change["reason"]
            .as_str()
            .is_some_and(|r| r.contains("替代")),
        "{change}"
    );
    // A document that was always in force has no change.
    let (_, current) = app
        .get_json(&format!("/api/v1/search?validity={}", enc("现行有效")))
        .await;
    let current_id = current["hits"][0]["id"]
        .as_str()
        .expect("a document in force");
    let (_, in_force) = app
        .get_json(&format!("/api/v1/documents/{current_id}"))
        .await;
    assert_eq!(in_force["validity"], "现行有效");
    assert_eq!(in_force["validity_history"], serde_json::json!([]));
    // A document the knowledge base links to carries those entries.
    let (_, qa) = app.get_json("/api/v1/qa").await;
    let entry = qa["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["document_id"].is_string())
        .expect("an entry linked to a document")
        .clone();
    let linked = entry["document_id"].as_str().expect("document id");
    let (status, doc) = app.get_json(&format!("/api/v1/documents/{linked}")).await;
    assert_eq!(status, 200);
    let questions: Vec<&str> = doc["qa"]
        .as_array()
        .expect("qa")
        .iter()
        .filter_map(|q| q["question"].as_str())
        .collect();
    assert!(
        questions.contains(&entry["question"].as_str().expect("question")),
        "{questions:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abolished_document_page_shows_the_banner_and_its_replacement() {
    let app = spawn_app().await;
    let (_, list) = app
        .get_json(&format!("/api/v1/search?validity={}", enc("废止")))
        .await;
    let id = list["hits"][0]["id"]
        .as_str()
        .expect("an abolished document")
        .to_owned();
    let (_, doc) = app.get_json(&format!("/api/v1/documents/{id}")).await;
    let replacement = doc["replaced_by"]["title"]
        .as_str()
        .expect("replacement")
        .to_owned();
    let html = app
        .get(&format!("/documents/{id}"))
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains("本文件已废止，不再执行"));
    assert!(html.contains(&replacement));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn library_page_is_rendered_on_the_server_with_results() {
    let app = spawn_app().await;
    let res = app.get(&format!("/library?q={}", enc("养老服务"))).await;
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap_or_default();
    assert!(html.contains("养老服务"));
    assert!(html.contains("result-total"));
    assert!(html.contains("/pkg/zhengce.js"));
    let bad = app.get("/library?year=abc").await;
    assert_eq!(bad.status().as_u16(), 400);
    assert!(bad.text().await.unwrap_or_default().contains("四位年份"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abolished_section_lists_only_void_documents() {
    let app = spawn_app().await;
    let html = app
        .get("/library/abolished")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains("废止失效的规范性文件"));
    assert!(!html.contains(">现行有效</span>"));
    // It does list them: a known abolished document, with its badge.
    let (_, list) = app
        .get_json(&format!("/api/v1/search?validity={}", enc("废止")))
        .await;
    let title = list["hits"][0]["title"]
        .as_str()
        .expect("an abolished document");
    assert!(html.contains(title), "{title} not listed");
    assert!(html.contains(">废止</span>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_snippets_show_markup_in_a_document_as_text() {
    let app = spawn_app().await;
    let desk = crate::helpers::desk(&app, "芜湖市人力资源和社会保障局", "escape").await;
    desk.publish(&[
        ("form[title]", "转义测试文件"),
        ("form[doc_type]", "行政规范性文件"),
        ("form[topic]", ""),
        ("form[audience]", ""),
        (
            "form[body]",
            "第一条 转义测试<img src=x onerror=alert(1)>补贴<script>alert(2)</script>办法。",
        ),
    ])
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let snippet = loop {
        let (_, found) = app
            .get_json(&format!("/api/v1/search?q={}", enc("转义测试")))
            .await;
        if let Some(s) = found["hits"][0]["snippet"].as_str() {
            break s.to_owned();
        }
        assert!(std::time::Instant::now() < deadline, "never indexed");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(snippet.contains("<mark>"), "{snippet}");
    assert!(snippet.contains("&lt;img"), "{snippet}");
    assert!(
        !snippet.contains("<img") && !snippet.contains("<script"),
        "{snippet}"
    );
    let html = app
        .get(&format!("/library?q={}", enc("转义测试")))
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("转义测试文件"));
    assert!(
        !html.contains("<img src=x") && !html.contains("<script>alert"),
        "markup rendered"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_function_rejects_bad_input_with_400_and_a_chinese_message() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/library/search"))
        .form(&[("query", "page=-1"), ("section", "All")])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 400);
    let body = res.text().await.unwrap_or_default();
    assert!(body.contains("页码"), "{body}");
    let ok = app
        .client
        .post(app.url("/api/library/search"))
        .form(&[("query", "q=就业"), ("section", "All")])
        .send()
        .await
        .expect("request");
    assert_eq!(ok.status().as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn units_list_the_city_by_level_and_each_has_its_own_section() {
    let app = spawn_app().await;
    let (status, groups) = app.get_json("/api/v1/units").await;
    assert_eq!(status, 200);
    let levels: Vec<&str> = groups
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["level"].as_str().expect("level"))
        .collect();
    assert_eq!(levels, ["市本级", "市直部门", "县市区"]);
    let hr = groups[1]["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["name"] == "芜湖市人力资源和社会保障局")
        .expect("人社局 listed")
        .clone();
    let documents = hr["documents"].as_u64().expect("count");
    assert!(documents > 0);
    // The counts are the library's: the issuer facet agrees.
    let (_, search) = app
        .get_json(&format!(
            "/api/v1/search?issuer={}",
            domain::text::url_encode("芜湖市人力资源和社会保障局")
        ))
        .await;
    assert_eq!(search["total"].as_u64(), Some(documents));

    let (status, unit) = app.get_json(&format!("/api/v1/units/{}", hr["id"])).await;
    assert_eq!(status, 200);
    assert_eq!(unit["unit"]["name"], "芜湖市人力资源和社会保障局");
    let docs = unit["documents"].as_array().expect("documents");
    assert!(!docs.is_empty() && docs.len() <= 10);
    assert!(unit["qa"].as_array().is_some_and(|q| !q.is_empty()));
    let page = app.get(&format!("/units/{}", hr["id"])).await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("page");
    assert!(
        html.contains("政策文件（") && html.contains(docs[0]["title"].as_str().expect("title"))
    );

    // A missing unit, however written, is the same 404.
    let (status, missing) = app.get_json("/api/v1/units/999999").await;
    assert_eq!(status, 404);
    let (status, word) = app.get_json("/api/v1/units/abc").await;
    assert_eq!((status, word), (404, missing));
    assert_eq!(app.get("/units/999999").await.status().as_u16(), 404);
}

/// Listing a router's routes runs the app with data loading switched off process-wide;
/// were the list made again for every router, a page rendering meanwhile in another would
/// wait for its data forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_routers_are_built_in_the_same_process() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    /// Stops the builds however the test ends: the runtime waits for them on the way out.
    struct Stop(Arc<AtomicBool>);
    impl Drop for Stop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let app = spawn_app().await;
    let stop = Stop(Arc::new(AtomicBool::new(false)));
    let building = {
        let (stop, state) = (stop.0.clone(), app.state.clone());
        tokio::task::spawn_blocking(move || {
            let mut built = 0;
            while !stop.load(Ordering::Relaxed) {
                drop(server::router(state.clone()));
                built += 1;
            }
            built
        })
    };
    for n in 0..20 {
        // A new address each time: rendered, not answered from the page cache.
        let path = format!("/library?q={}&n={n}", enc("养老"));
        let res = tokio::time::timeout(std::time::Duration::from_secs(10), app.get(&path))
            .await
            .unwrap_or_else(|_| panic!("{path} did not answer within 10 s"));
        assert_eq!(res.status().as_u16(), 200, "{path}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("result-total"), "{path}: {html}");
    }
    drop(stop);
    let built = building.await.expect("router builds");
    assert!(built > 1, "routers built meanwhile: {built}");
}
