use crate::helpers::spawn_app;

#[tokio::test]
async fn pages_carry_a_strict_csp_whose_nonce_the_inline_script_uses() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    let csp = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap_or_default()
        .to_owned();
    let html = res.text().await.unwrap_or_default();
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap_or_default();
        if !tag.contains("src=") {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "inline script without nonce: {tag}"
            );
        }
    }
}

#[tokio::test]
async fn cross_origin_posts_are_refused_and_same_origin_ones_pass() {
    let app = spawn_app().await;
    let post = |origin: Option<String>| {
        let mut req = app
            .client
            .post(app.url("/api/library/search"))
            .form(&[("query", ""), ("section", "All")]);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        req.send()
    };
    let evil = post(Some("https://evil.example".into()))
        .await
        .expect("request");
    assert_eq!(evil.status().as_u16(), 403);
    assert!(evil.text().await.unwrap_or_default().contains("跨站请求"));
    let same = post(Some(format!("http://{}", app.addr)))
        .await
        .expect("request");
    assert_eq!(same.status().as_u16(), 200);
}
