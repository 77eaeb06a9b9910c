//! Public pages kept in memory for anonymous visitors.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, Visitor, spawn_app};

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The `'sha256-…'` source of each inline script of `html`, as a browser computes it.
fn script_hashes(html: &str) -> Vec<String> {
    html.split("<script")
        .skip(1)
        .filter_map(|s| {
            let (tag, rest) = s.split_once('>')?;
            let body = rest.split("</script>").next()?;
            (!tag.contains("src=")).then(|| {
                let hash = base64::engine::general_purpose::STANDARD
                    .encode(Sha256::digest(body.as_bytes()));
                format!("'sha256-{hash}'")
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_page_is_rendered_once_then_served_kept_with_its_scripts_allowed_by_hash() {
    let app = spawn_app().await;
    let first = app.get("/library?q=%E8%A1%A5%E8%B4%B4").await;
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(header(&first, "x-cache"), "miss");
    let etag = header(&first, "etag");
    let first_html = first.text().await.expect("body");

    let second = app.get("/library?q=%E8%A1%A5%E8%B4%B4").await;
    assert_eq!(header(&second, "x-cache"), "hit");
    assert_eq!(header(&second, "etag"), etag);
    let csp = header(&second, "content-security-policy");
    let html = second.text().await.expect("body");
    assert_eq!(html, first_html, "the kept page is the page rendered");

    // The same bytes go to everyone, so no nonce is trusted: each inline script is
    // allowed by its hash, and nothing else inline is.
    assert!(!csp.contains("'nonce-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let hashes = script_hashes(&html);
    assert!(!hashes.is_empty(), "the page has its bootstrap script");
    for hash in &hashes {
        assert!(csp.contains(hash.as_str()), "{hash} missing from {csp}");
    }
    assert_eq!(csp.matches("'sha256-").count(), {
        let mut distinct = hashes.clone();
        distinct.sort();
        distinct.dedup();
        distinct.len()
    });

    // A browser holding it asks again with its ETag and gets 304, no body.
    let again = app
        .client
        .get(app.url("/library?q=%E8%A1%A5%E8%B4%B4"))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(header(&again, "etag"), etag);
    assert!(again.bytes().await.expect("body").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_page_is_sent_compressed_as_the_browser_accepts() {
    let app = spawn_app().await;
    let plain = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .expect("client");
    let get = |encoding: &'static str| {
        plain
            .get(app.url("/units"))
            .header("accept-encoding", encoding)
            .send()
    };
    let identity = get("identity").await.expect("request");
    let html = identity.bytes().await.expect("body");
    for (accept, expected) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
        let res = get(accept).await.expect("request");
        assert_eq!(header(&res, "x-cache"), "hit");
        assert_eq!(header(&res, "content-encoding"), expected);
        let body = res.bytes().await.expect("body");
        assert!(
            body.len() * 3 < html.len(),
            "{expected}: {} of {}",
            body.len(),
            html.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_visitor_and_personal_pages_are_never_served_a_kept_page() {
    let app = spawn_app().await;
    // The home page is kept for anonymous visitors.
    assert_eq!(header(&app.get("/").await, "x-cache"), "miss");
    assert_eq!(header(&app.get("/").await, "x-cache"), "hit");

    let citizen = Visitor::new(&app);
    citizen.register("13600000077").await;
    for path in ["/", "/me", "/me/subscriptions", "/library"] {
        let res = citizen
            .http
            .get(app.url(path))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), 200, "{path}");
        assert_eq!(
            header(&res, "x-cache"),
            "",
            "{path} came from the kept pages"
        );
        assert_eq!(header(&res, "cache-control"), "no-store", "{path}");
        let csp = header(&res, "content-security-policy");
        assert!(csp.contains("'nonce-"), "{path}: {csp}");
        let html = res.text().await.expect("body");
        assert!(
            html.contains("个人中心"),
            "{path} is not rendered for the citizen"
        );
    }
    // And the anonymous copy never shows the citizen.
    let anonymous = app.get("/").await.text().await.expect("body");
    assert!(!anonymous.contains("个人中心"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_page_is_rendered_again_after_a_publish_changes_it() {
    let app = spawn_app().await;
    // The dispatcher takes the publish into the index, which moves the generation.
    kept_page_renewed_by_a_publish(&app, &app, "缓存更新").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_kept_by_one_process_is_rendered_again_after_another_publishes_a_change() {
    let here = spawn_app().await;
    let there = crate::helpers::spawn_beside(&here).await;
    // This process's dispatcher reads the other's event from the outbox and takes the
    // document into its own index, which moves the generation its kept pages carry.
    kept_page_renewed_by_a_publish(&here, &there, "两个进程").await;
}

/// `reader` keeps its search page for `subject`; `publisher` publishes a document on it
/// through the three-level review; `reader` then renders the page afresh with the
/// document (within seconds) and keeps it again.
async fn kept_page_renewed_by_a_publish(reader: &TestApp, publisher: &TestApp, subject: &str) {
    let path = format!("/library?q={}", domain::text::url_encode(subject));
    let title = format!("芜湖市{subject}测试办法");
    let before = reader.get(&path).await;
    assert_eq!(header(&before, "x-cache"), "miss");
    assert!(!before.text().await.expect("body").contains(&title));
    assert_eq!(header(&reader.get(&path).await, "x-cache"), "hit");

    let desk = crate::helpers::desk(publisher, "芜湖市人力资源和社会保障局", "cache").await;
    let body = format!("第一条 为测试{subject}，制定本办法。");
    desk.publish(&[
        ("form[title]", &title),
        ("form[doc_type]", "行政规范性文件"),
        ("form[topic]", "就业创业"),
        ("form[audience]", ""),
        ("form[body]", &body),
    ])
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let res = reader.get(&path).await;
        let status = header(&res, "x-cache");
        let html = res.text().await.expect("body");
        if html.contains(&title) {
            assert_eq!(
                status, "miss",
                "the new page was rendered, not kept from before"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the kept page still lacks the published document"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(header(&reader.get(&path).await, "x-cache"), "hit");
}

/// A site of one stylesheet, `pkg/zhengce.0a1b2c3d.css`, with its brotli version beside it.
fn site_with_hashed_stylesheet() -> (std::path::PathBuf, Vec<u8>) {
    let site = std::env::temp_dir().join(format!(
        "zhengce-site-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(site.join("pkg")).expect("site dir");
    let css = "body{color:#1c1917}".repeat(50);
    std::fs::write(site.join("pkg/zhengce.0a1b2c3d.css"), &css).expect("css");
    let mut br = Vec::new();
    brotli::BrotliCompress(&mut css.as_bytes(), &mut br, &Default::default()).expect("brotli");
    std::fs::write(site.join("pkg/zhengce.0a1b2c3d.css.br"), &br).expect("css.br");
    (site, br)
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashed_assets_are_kept_a_year_and_sent_as_compressed_at_build_time() {
    let (site, br) = site_with_hashed_stylesheet();
    let root = site.to_string_lossy().into_owned();
    let app = crate::helpers::spawn_app_with(|s| {
        s.leptos.site_root = root.clone().into();
        s.leptos.hash_files = true;
    })
    .await;
    let res = app
        .client
        .get(app.url("/pkg/zhengce.0a1b2c3d.css"))
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&res, "content-encoding"), "br");
    assert_eq!(res.bytes().await.expect("body").as_ref(), br.as_slice());
    // A missing asset is not kept.
    let missing = app.get("/pkg/zhengce.ffffffff.css").await;
    assert_eq!(missing.status().as_u16(), 404);
    assert_ne!(
        header(&missing, "cache-control"),
        "public, max-age=31536000, immutable"
    );

    // Names without hashes (file hashing off) may change content: browsers ask again.
    let plain = crate::helpers::spawn_app_with(|s| s.leptos.site_root = root.clone().into()).await;
    let res = plain.get("/pkg/zhengce.0a1b2c3d.css").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(!header(&res, "cache-control").contains("immutable"));
    let _ = std::fs::remove_dir_all(site);
}
