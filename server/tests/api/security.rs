use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_strict_csp_whose_nonce_the_inline_script_uses() {
    let app = spawn_app().await;
    // A page rendered for each request (kept pages are in cache.rs).
    let res = app.get("/consultations").await;
    assert_eq!(res.status().as_u16(), 200);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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

/// Calls a server function as a browser behind the trusted proxy (the tests' loopback),
/// which names the client in `X-Forwarded-For`.
async fn call_from(
    app: &crate::helpers::TestApp,
    client: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> u16 {
    crate::helpers::client()
        .post(app.url(&format!("/api/{endpoint}")))
        .header("origin", app.url(""))
        .header("x-forwarded-for", client)
        .form(form)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_login_written_differently_shares_one_sign_in_counter() {
    let app = spawn_app().await;
    for i in 0..10 {
        let client = format!("198.51.100.{i}");
        let status = call_from(
            &app,
            &client,
            "account/sign-in",
            &[
                ("login", "13912340009"),
                ("password", "wrong12345"),
                ("next", "/"),
            ],
        )
        .await;
        assert_eq!(status, 400, "attempt {i}");
    }
    for login in [
        "13912340009",
        "+8613912340009",
        "139-1234-0009",
        "１３９１２３４０００９",
        "0086 139 1234 0009",
    ] {
        let status = call_from(
            &app,
            "198.51.100.200",
            "account/sign-in",
            &[("login", login), ("password", "wrong12345"), ("next", "/")],
        )
        .await;
        assert_eq!(status, 429, "{login}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_address_limits_count_an_ipv6_client_by_its_64_and_hold_across_logins() {
    let app = spawn_app().await;
    // Thirty sign-ins from one /64, each with another address and login, then a refusal.
    for i in 0..30 {
        let status = call_from(
            &app,
            &format!("2001:db8:5:6::{i:x}"),
            "account/sign-in",
            &[
                ("login", &format!("1390000{i:04}")),
                ("password", "wrong12345"),
                ("next", "/"),
            ],
        )
        .await;
        assert_eq!(status, 400, "attempt {i}");
    }
    let refused = call_from(
        &app,
        "2001:db8:5:6:ffff::1",
        "account/sign-in",
        &[
            ("login", "13900009999"),
            ("password", "wrong12345"),
            ("next", "/"),
        ],
    )
    .await;
    assert_eq!(refused, 429);
    // Another /64 is another client.
    let other = call_from(
        &app,
        "2001:db8:5:7::1",
        "account/sign-in",
        &[
            ("login", "13900009999"),
            ("password", "wrong12345"),
            ("next", "/"),
        ],
    )
    .await;
    assert_eq!(other, 400);

    // Ten registrations per address an hour.
    for i in 0..10 {
        let status = call_from(
            &app,
            "203.0.113.50",
            "account/register",
            &[
                ("form[kind]", "citizen"),
                ("form[login]", &format!("1370000{i:04}")),
                ("form[password]", "abc12345"),
                ("next", "/me"),
            ],
        )
        .await;
        assert_eq!(status, 200, "registration {i}");
    }
    let eleventh = call_from(
        &app,
        "203.0.113.50",
        "account/register",
        &[
            ("form[kind]", "citizen"),
            ("form[login]", "13700009999"),
            ("form[password]", "abc12345"),
            ("next", "/me"),
        ],
    )
    .await;
    assert_eq!(eleventh, 429);
}

const PROTECTED: [&str; 15] = [
    "/me",
    "/me/subscriptions",
    "/me/account",
    "/me/consultations",
    "/consult/new?document=x",
    "/staff/drafts",
    "/staff/drafts/new",
    "/staff/drafts/df-any",
    "/staff/review",
    "/staff/inbox",
    "/staff/qa/new",
    "/admin/staff",
    "/admin/consult",
    "/admin/outbox",
    "/admin/lexicon",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protected_pages_answer_a_signed_out_get_with_303_before_rendering() {
    let app = spawn_app().await;
    for path in PROTECTED {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 303, "{path}");
        let to = res.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert_eq!(
            to,
            format!("/login?next={}", domain::text::url_encode(path)),
            "{path}"
        );
        assert_eq!(
            res.text().await.expect("body"),
            "",
            "{path} rendered a page"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_role_gets_a_real_403_page_in_chinese() {
    let app = spawn_app().await;
    let citizen = crate::helpers::Visitor::new(&app);
    citizen.register("13900005501").await;
    for path in PROTECTED {
        let (status, page) = citizen.get(path).await;
        match path {
            p if p.starts_with("/staff") || p.starts_with("/admin") => {
                assert_eq!(status, 403, "{path}");
                assert!(
                    page.contains("无权访问") && page.contains("<h1"),
                    "{path}: {page}"
                );
            }
            _ => assert_eq!(status, 200, "{path}"),
        }
    }
    let staff = crate::helpers::staff_of(&app, "guard@wuhu.gov.cn", None).await;
    assert_eq!(staff.get("/staff/drafts/new").await.0, 200);
    let (status, page) = staff.get("/admin/outbox").await;
    assert_eq!(status, 403);
    assert!(page.contains("仅限管理员"), "{page}");
    // Drafting and reviewing are staff's: an admin gets the 403 page there.
    let admin = crate::helpers::Visitor::new(&app);
    assert_eq!(admin.sign_in("admin@wuhu.gov.cn", "admin12345").await, 200);
    for path in ["/staff/drafts", "/staff/drafts/new", "/staff/review"] {
        let (status, page) = admin.get(path).await;
        assert_eq!(status, 403, "{path}");
        assert!(page.contains("仅限部门工作人员使用"), "{path}: {page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_body_gets_413_and_a_malformed_one_400_in_chinese() {
    let app = spawn_app().await;
    let v = crate::helpers::Visitor::new(&app);
    v.register("13900005502").await;
    let big = "字".repeat(1024 * 1024);
    let (status, body) = v
        .call("feed/add", &[("topic", ""), ("audience", ""), ("q", &big)])
        .await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("超过 2 MB"), "{body}");
    // Chunked, without a declared length: found too long while reading.
    let chunks = futures_util::stream::iter(
        (0..40).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 100 * 1024])),
    );
    let res = v
        .http
        .post(app.url("/api/feed/add"))
        .header("origin", app.url(""))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .expect("chunked");
    assert_eq!(res.status().as_u16(), 413);

    let res = v
        .http
        .post(app.url("/api/feed/read"))
        .header("origin", app.url(""))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("id=%%%not-a-number&&=")
        .send()
        .await
        .expect("malformed");
    assert_eq!(res.status().as_u16(), 400);
    let text = res.text().await.expect("body");
    assert!(text.contains("格式不正确"), "{text}");
}
