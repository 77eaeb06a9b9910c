//! Accounts, subscriptions, publishing and the live feed over real HTTP.

use std::time::Duration;

use futures_util::StreamExt;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{Desk, TestApp, Visitor, spawn_app, staff_of};

/// 人社局's drafter and reviewers: documents enter the library through them.
async fn desk(app: &TestApp) -> Desk<'_> {
    crate::helpers::desk(app, "芜湖市人力资源和社会保障局", "hr").await
}

const TOPIC: &str = "就业创业";

fn publish_form(title: &str) -> Vec<(&str, &str)> {
    vec![
        ("form[title]", title),
        ("form[doc_type]", "行政规范性文件"),
        ("form[topic]", TOPIC),
        ("form[audience]", "高校毕业生"),
        (
            "form[body]",
            "第一条 为促进高校毕业生就业创业，制定本办法。",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_endpoints_answer_401_without_a_session() {
    let app = spawn_app().await;
    let anon = Visitor::new(&app);
    for path in ["/api/v1/feed", "/api/v1/feed/stream"] {
        let (status, body) = anon.get(path).await;
        assert_eq!(status, 401, "{path}");
        assert!(body.contains("请先登录"), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_signs_in_with_an_http_only_cookie_and_sign_out_ends_the_session() {
    let app = spawn_app().await;
    let v = Visitor::new(&app);
    let res = v
        .http
        .post(app.url("/api/account/register"))
        .header("origin", app.url(""))
        .form(&[
            ("form[kind]", "citizen"),
            ("form[login]", "13900000001"),
            ("form[password]", "abc12345"),
            ("next", "/me"),
        ])
        .send()
        .await
        .expect("register");
    assert_eq!(res.status().as_u16(), 200);
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("zc_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(v.get("/api/v1/feed").await.0, 200);
    let (status, page) = v.get("/me").await;
    assert_eq!(status, 200);
    assert!(page.contains("个人中心"));

    assert_eq!(v.call("account/sign-out", &[]).await.0, 200);
    assert_eq!(v.get("/api/v1/feed").await.0, 401);
    // The personal center sends a signed-out visitor to sign in, and back afterwards.
    let res = v
        .http
        .get(app.url("/me"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("me");
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        res.headers().get("location").and_then(|l| l.to_str().ok()),
        Some("/login?next=%2Fme")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_registrations_and_sign_ins_get_4xx_with_a_chinese_message() {
    let app = spawn_app().await;
    let v = Visitor::new(&app);
    let (status, body) = v
        .call(
            "account/register",
            &[
                ("form[kind]", "enterprise"),
                ("form[login]", "hr@example.com"),
                ("form[password]", "abc12345"),
                ("form[enterprise_name]", "芜湖示例科技有限公司"),
                ("form[credit_code]", "91340200MA2N1234A0"),
                ("next", "/me"),
            ],
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("校验位"), "{body}");
    v.register("13900000002").await;
    let (status, body) = v
        .call(
            "account/register",
            &[
                ("form[kind]", "citizen"),
                ("form[login]", "13900000002"),
                ("form[password]", "abc12345"),
                ("next", "/me"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("已注册"), "{body}");
    assert_eq!(v.sign_in("13900000002", "wrong12345").await, 400);
    // Guessing is slowed down: after ten tries per login, a clear refusal.
    let mut last = 0;
    for _ in 0..10 {
        last = v.sign_in("13900000002", "wrong12345").await;
    }
    assert_eq!(last, 429);
    let (_, body) = v
        .call(
            "account/sign-in",
            &[
                ("login", "13900000002"),
                ("password", "abc12345"),
                ("next", "/me"),
            ],
        )
        .await;
    let refusal: app::error::AppError = serde_json::from_str(&body).expect("typed error");
    assert!(refusal.to_string().contains("秒后再试"), "{refusal}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mutating_endpoint_checks_the_callers_role() {
    let app = spawn_app().await;
    let anon = Visitor::new(&app);
    let citizen = Visitor::new(&app);
    citizen.register("13900000003").await;
    let desk = desk(&app).await;
    let staff = &desk.drafter;
    let publish = publish_form("角色矩阵测试文件");
    let subscribe = [("query", "topic=%E5%B0%B1%E4%B8%9A%E5%88%9B%E4%B8%9A")];
    let add = [("topic", TOPIC), ("audience", ""), ("q", "补贴")];
    // Someone else's real subscription: theirs to pause or delete, nobody else's.
    let owner = Visitor::new(&app);
    owner.register("13900000004").await;
    let (status, theirs) = owner
        .call("feed/add", &[("topic", TOPIC), ("audience", ""), ("q", "")])
        .await;
    assert_eq!(status, 200, "{theirs}");
    let theirs: serde_json::Value = serde_json::from_str(&theirs).expect("subscription");
    let theirs = theirs["id"].as_i64().expect("id").to_string();

    // (endpoint, form, anonymous, citizen, staff)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16, u16, u16);
    let cases: Vec<Case> = vec![
        ("review/create", publish.clone(), 401, 403, 200),
        ("feed/subscribe", subscribe.to_vec(), 401, 200, 200),
        ("feed/add", add.to_vec(), 401, 200, 200),
        ("feed/read", vec![], 401, 200, 200),
        (
            "feed/pause",
            vec![("id", theirs.as_str()), ("paused", "true")],
            401,
            404,
            404,
        ),
        (
            "feed/unsubscribe",
            vec![("id", theirs.as_str())],
            401,
            404,
            404,
        ),
        (
            "account/add-staff",
            vec![
                ("form[name]", "王科员"),
                ("form[organization]", "芜湖市人力资源和社会保障局"),
                ("form[login]", "13600000001"),
                ("form[password]", "staff12345"),
            ],
            401,
            403,
            403,
        ),
        ("account/sign-out", vec![], 200, 200, 200),
    ];
    for (endpoint, form, a, c, s) in cases {
        for (who, visitor, expected) in [
            ("anonymous", &anon, a),
            ("citizen", &citizen, c),
            ("staff", staff, s),
        ] {
            let (status, body) = visitor.call(endpoint, &form).await;
            assert_eq!(status, expected, "{endpoint} as {who}: {body}");
        }
    }
    // The id was real: its owner pauses it.
    let (status, body) = owner
        .call("feed/pause", &[("id", theirs.as_str()), ("paused", "true")])
        .await;
    assert_eq!(status, 200, "{body}");
}

/// Reads SSE frames until one carries `data`, or the time runs out.
async fn next_item(
    body: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buffer: &mut String,
) -> Option<(i64, String)> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            let id = frame
                .lines()
                .find_map(|l| l.strip_prefix("id:"))
                .and_then(|v| v.trim().parse().ok());
            let data = frame.lines().find_map(|l| l.strip_prefix("data:"));
            if let (Some(id), Some(data)) = (id, data) {
                return Some((id, data.trim().to_owned()));
            }
            continue;
        }
        let chunk = tokio::time::timeout_at(deadline, body.next())
            .await
            .ok()??
            .ok()?;
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_item_arrives_on_the_stream_and_a_reconnect_resumes_after_the_last_id() {
    let app = spawn_app().await;
    let reader = Visitor::new(&app);
    reader.register("13900000004").await;
    let (status, body) = reader
        .call(
            "feed/subscribe",
            &[("query", "topic=%E5%B0%B1%E4%B8%9A%E5%88%9B%E4%B8%9A")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let desk = desk(&app).await;

    let res = reader
        .http
        .get(app.url("/api/v1/feed/stream"))
        .send()
        .await
        .expect("stream");
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"))
    );
    let mut body = res.bytes_stream();
    let mut buffer = String::new();
    desk.publish(&publish_form("第一份推送文件")).await;
    let (first_id, data) = next_item(&mut body, &mut buffer).await.expect("first item");
    assert!(
        data.contains("第一份推送文件") && data.contains("因为您订阅了"),
        "{data}"
    );
    drop(body);

    // While disconnected, two more are published; the reconnect gets exactly those.
    for title in ["第二份推送文件", "第三份推送文件"] {
        desk.publish(&publish_form(title)).await;
    }
    // Both are delivered (in the feed) before the reconnect.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !reader
        .get("/api/v1/feed")
        .await
        .1
        .contains("第三份推送文件")
    {
        assert!(std::time::Instant::now() < deadline, "not delivered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let res = reader
        .http
        .get(app.url("/api/v1/feed/stream"))
        .header("last-event-id", first_id.to_string())
        .send()
        .await
        .expect("stream");
    let mut body = res.bytes_stream();
    let mut buffer = String::new();
    let (_, second) = next_item(&mut body, &mut buffer).await.expect("second");
    let (_, third) = next_item(&mut body, &mut buffer).await.expect("third");
    assert!(second.contains("第二份推送文件"), "{second}");
    assert!(third.contains("第三份推送文件"), "{third}");
    assert!(
        tokio::time::timeout(
            Duration::from_millis(1500),
            next_item(&mut body, &mut buffer)
        )
        .await
        .ok()
        .flatten()
        .is_none(),
        "nothing more, nothing twice"
    );
    let (status, feed) = reader.get("/api/v1/feed").await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&feed).expect("json");
    assert_eq!(v["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["unread"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_staff_who_then_publish_for_their_organization() {
    let app = spawn_app().await;
    let admin = Visitor::new(&app);
    assert_eq!(admin.sign_in("admin@wuhu.gov.cn", "admin12345").await, 200);
    let (status, body) = admin
        .call(
            "account/add-staff",
            &[
                ("form[name]", "王科员"),
                ("form[organization]", "不存在的单位"),
                ("form[login]", "13600000002"),
                ("form[password]", "staff12345"),
            ],
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("不存在的单位"), "{body}");
    let (status, body) = admin
        .call(
            "account/add-staff",
            &[
                ("form[name]", "王科员"),
                ("form[organization]", "芜湖市人力资源和社会保障局"),
                ("form[login]", "13600000002"),
                ("form[password]", "staff12345"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let staff = Visitor::new(&app);
    assert_eq!(staff.sign_in("13600000002", "staff12345").await, 200);
    // The new staff member drafts for their own unit.
    let (status, id) = staff
        .call("review/create", &publish_form("人社局工作人员起草的文件"))
        .await;
    assert_eq!(status, 200, "{id}");
    let id: String = serde_json::from_str(&id).expect("draft id");
    let (status, view) = staff.call("review/draft", &[("id", &id)]).await;
    assert_eq!(status, 200, "{view}");
    let view: domain::review::DraftView = serde_json::from_str(&view).expect("draft");
    assert_eq!(view.summary.unit, "芜湖市人力资源和社会保障局");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_shows_who_i_am_and_signing_out_everywhere_ends_every_session() {
    let app = spawn_app().await;
    let phone = Visitor::new(&app);
    phone.register("13900000009").await;
    let laptop = Visitor::new(&app);
    assert_eq!(laptop.sign_in("13900000009", "abc12345").await, 200);
    let (status, body) = laptop.call("account/details", &[]).await;
    assert_eq!(status, 200, "{body}");
    let details: domain::account::AccountDetails = serde_json::from_str(&body).expect("details");
    assert_eq!(details.login, "139****0009");
    assert_eq!(details.sessions, 2);
    assert_eq!(
        Visitor::new(&app)
            .call("account/sign-out-everywhere", &[])
            .await
            .0,
        401
    );
    assert_eq!(laptop.call("account/sign-out-everywhere", &[]).await.0, 200);
    assert_eq!(phone.get("/api/v1/feed").await.0, 401);
    assert_eq!(laptop.get("/api/v1/feed").await.0, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_draft_form_gets_400_with_a_chinese_message_and_stores_nothing() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let staff = &desk.drafter;
    let mut form = publish_form("正文太短的文件");
    form.retain(|(k, _)| *k != "form[body]");
    form.push(("form[body]", "太短"));
    let (status, body) = desk.create(&form).await;
    assert_eq!(status, 400);
    let error: app::error::AppError = serde_json::from_str(&body).expect("typed error");
    assert!(error.to_string().contains("正文至少"), "{error}");
    // A good publish after it: once that is searchable, this process's index has taken
    // in everything recorded before it, so a half-published bad form would show.
    desk.publish(&publish_form("正文完整的对照文件")).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (_, found) = staff
            .get(&format!(
                "/api/v1/search?q={}",
                domain::text::url_encode("正文")
            ))
            .await;
        if found.contains("正文完整的对照文件") {
            assert!(!found.contains("正文太短的文件"), "{found}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the marker was never indexed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stored = service::entity::document::Entity::find()
        .filter(service::entity::document::Column::Title.eq("正文太短的文件"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(stored, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_keyword_subscriptions_do_not_stop_the_next_publish_from_being_delivered_and_found()
 {
    use domain::account::{RegisterForm, Registration};
    use domain::feed::SubscriptionSpec;
    let app = spawn_app().await;
    // 34 accounts × 30 keywords (written through the service: registration over HTTP is
    // limited per address).
    let mut keywords = Vec::new();
    for a in 0..34 {
        let reg = Registration::parse(&RegisterForm {
            kind: "citizen".into(),
            login: format!("1390000{a:04}"),
            password: "abc12345".into(),
            ..Default::default()
        })
        .expect("registration");
        let user = service::account::register(&app.db, &reg)
            .await
            .expect("register");
        for k in 0..30 {
            let word = format!("zk{:04}", a * 30 + k + 1);
            let spec = SubscriptionSpec::new(Vec::new(), Some(&word)).expect("spec");
            service::feed::subscribe(&app.db, &user, &spec)
                .await
                .expect("subscribe");
            keywords.push(word);
        }
    }
    let reader = Visitor::new(&app);
    reader.register("13900008888").await;
    let (status, body) = reader
        .call("feed/add", &[("topic", TOPIC), ("audience", ""), ("q", "")])
        .await;
    assert_eq!(status, 200, "{body}");

    let desk = desk(&app).await;
    let body = keywords.join("，");
    let mut every_keyword = publish_form("关键词全覆盖的文件");
    every_keyword.retain(|(k, _)| *k != "form[body]");
    every_keyword.push(("form[body]", &body));
    desk.publish(&every_keyword).await;
    desk.publish(&publish_form("关键词之后的普通文件")).await;

    // Both reach the reader and the second is searchable, within two seconds.
    let search = format!(
        "/api/v1/search?q={}",
        domain::text::url_encode("关键词之后的普通文件")
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    loop {
        let (_, feed) = reader.get("/api/v1/feed").await;
        let (_, found) = reader.get(&search).await;
        if feed.contains("关键词之后的普通文件")
            && feed.contains("关键词全覆盖的文件")
            && found.contains("关键词之后的普通文件")
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not delivered and found in 2 s: feed {feed}, search {found}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_see_the_outbox_and_send_a_dead_letter_again() {
    let app = spawn_app().await;
    let anon = Visitor::new(&app);
    assert_eq!(anon.call("feed/outbox", &[]).await.0, 401);
    assert_eq!(anon.call("feed/retry", &[("id", "1")]).await.0, 401);
    let citizen = Visitor::new(&app);
    citizen.register("13900007777").await;
    assert_eq!(citizen.call("feed/outbox", &[]).await.0, 403);
    assert_eq!(citizen.call("feed/retry", &[("id", "1")]).await.0, 403);
    let s = staff_of(&app, "staff@wuhu.gov.cn", None).await;
    assert_eq!(s.call("feed/outbox", &[]).await.0, 403);
    let admin = Visitor::new(&app);
    assert_eq!(admin.sign_in("admin@wuhu.gov.cn", "admin12345").await, 200);
    let (status, body) = admin.call("feed/outbox", &[]).await;
    assert_eq!(status, 200, "{body}");
    let overview: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(overview["dead"], serde_json::json!([]));
    // Event 1 was delivered long ago: it is no dead letter to send again.
    let (status, body) = admin.call("feed/retry", &[("id", "1")]).await;
    assert_eq!(status, 404, "{body}");
    let (status, page) = admin.get("/admin/outbox").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("推送队列") && page.contains("待投递"),
        "{page}"
    );
}

/// Opens the caller's live stream and reads it until the backlog is sent.
async fn open_stream(
    v: &Visitor<'_>,
) -> impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin + use<> {
    let res = v
        .http
        .get(v.app.url("/api/v1/feed/stream"))
        .send()
        .await
        .expect("stream");
    assert_eq!(res.status().as_u16(), 200);
    let mut body = Box::pin(res.bytes_stream());
    let mut seen = String::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        while !seen.contains(": ready") {
            let chunk = body.next().await.expect("open").expect("chunk");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("ready in time");
    body
}

/// Whether the stream ends (the server closes it) within `within`; items before the end
/// are read past.
async fn ends_within(
    body: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    within: Duration,
) -> bool {
    tokio::time::timeout(within, async {
        while let Some(Ok(_)) = body.next().await {}
    })
    .await
    .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_ends_within_seconds_of_its_session_ending_here_or_in_another_process() {
    let app = spawn_app().await;
    let phone = Visitor::new(&app);
    phone.register("13900006601").await;
    let laptop = Visitor::new(&app);
    assert_eq!(laptop.sign_in("13900006601", "abc12345").await, 200);
    let mut on_phone = open_stream(&phone).await;
    let mut on_laptop = open_stream(&laptop).await;

    // "退出所有设备" on the laptop ends the phone's stream too, at once.
    assert_eq!(laptop.call("account/sign-out-everywhere", &[]).await.0, 200);
    assert!(
        ends_within(&mut on_phone, Duration::from_secs(3)).await,
        "phone stream still open"
    );
    assert!(
        ends_within(&mut on_laptop, Duration::from_secs(3)).await,
        "laptop stream still open"
    );
    assert_eq!(phone.get("/api/v1/feed/stream").await.0, 401);

    // A session ended behind this process's back (another process, the database) ends
    // its stream at the next check.
    let tablet = Visitor::new(&app);
    assert_eq!(tablet.sign_in("13900006601", "abc12345").await, 200);
    let mut on_tablet = open_stream(&tablet).await;
    let user = service::entity::user::Entity::find()
        .filter(service::entity::user::Column::Login.eq("13900006601"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("user");
    service::account::sign_out_everywhere(&app.db, user.id)
        .await
        .expect("sign out");
    assert!(
        ends_within(
            &mut on_tablet,
            service::feed::live::SESSION_CHECK + Duration::from_secs(3)
        )
        .await,
        "tablet stream still open"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_holds_at_most_five_streams_and_a_sixth_closes_the_oldest() {
    let app = spawn_app().await;
    let v = Visitor::new(&app);
    v.register("13900006602").await;
    let mut streams = Vec::new();
    for _ in 0..service::feed::live::MAX_STREAMS_PER_ACCOUNT {
        streams.push(open_stream(&v).await);
    }
    let _sixth = open_stream(&v).await;
    assert!(
        ends_within(&mut streams[0], Duration::from_secs(3)).await,
        "the oldest stream is still open"
    );
    for (i, s) in streams.iter_mut().enumerate().skip(1) {
        assert!(
            !ends_within(s, Duration::from_millis(300)).await,
            "stream {i} was closed"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_rotates_the_session_and_sign_out_clears_the_browsers_cookies() {
    let app = spawn_app().await;
    let v = Visitor::new(&app);
    v.register("13900006603").await;
    let token_of = |res: &reqwest::Response| {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|c| c.to_str().ok())
            .find_map(|c| c.strip_prefix("zc_session="))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
            .expect("a session cookie")
    };
    let sign_in = |cookie: Option<String>| {
        let req = crate::helpers::client()
            .post(app.url("/api/account/sign-in"))
            .header("origin", app.url(""))
            .form(&[
                ("login", "13900006603"),
                ("password", "abc12345"),
                ("next", "/me"),
            ]);
        match cookie {
            Some(c) => req.header("cookie", format!("zc_session={c}")),
            None => req,
        }
        .send()
    };
    let first = token_of(&sign_in(None).await.expect("sign in"));
    let second = token_of(&sign_in(Some(first.clone())).await.expect("sign in again"));
    assert_ne!(first, second);
    let feed_with = |token: String| {
        crate::helpers::client()
            .get(app.url("/api/v1/feed"))
            .header("cookie", format!("zc_session={token}"))
            .send()
    };
    assert_eq!(feed_with(first).await.expect("feed").status().as_u16(), 401);
    let ok = feed_with(second.clone()).await.expect("feed");
    assert_eq!(ok.status().as_u16(), 200);
    assert_eq!(ok.headers()["cache-control"], "no-store");

    let out = crate::helpers::client()
        .post(app.url("/api/account/sign-out"))
        .header("origin", app.url(""))
        .header("cookie", format!("zc_session={second}"))
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.headers()["clear-site-data"], "\"cookies\"");
    assert_eq!(
        feed_with(second).await.expect("feed").status().as_u16(),
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_cookie_is_host_prefixed_and_secure_and_hsts_is_sent() {
    let app = crate::helpers::spawn_app_with(|s| s.secure_cookies = true).await;
    let res = crate::helpers::client()
        .post(app.url("/api/account/register"))
        .header("origin", app.url(""))
        .form(&[
            ("form[kind]", "citizen"),
            ("form[login]", "13900006604"),
            ("form[password]", "abc12345"),
            ("next", "/me"),
        ])
        .send()
        .await
        .expect("register");
    assert_eq!(res.status().as_u16(), 200);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("__Host-zc_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain="), "{cookie}");
    let token = cookie
        .strip_prefix("__Host-zc_session=")
        .and_then(|c| c.split(';').next())
        .expect("token")
        .to_owned();
    let page = app.get("/").await;
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    // Only the prefixed cookie opens the session: a plain one (a sibling site could set
    // it) does not.
    let with = |name: &str| {
        crate::helpers::client()
            .get(app.url("/api/v1/feed"))
            .header("cookie", format!("{name}={token}"))
            .send()
    };
    assert_eq!(
        with("__Host-zc_session")
            .await
            .expect("feed")
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        with("zc_session").await.expect("feed").status().as_u16(),
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_read_the_audit_log_which_names_who_published_what_from_where() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let s = &desk.drafter;
    desk.publish(&publish_form("审计日志测试文件")).await;
    let anon = Visitor::new(&app);
    assert_eq!(anon.call("review/audit", &[("query", "")]).await.0, 401);
    let citizen = Visitor::new(&app);
    citizen.register("13900007778").await;
    assert_eq!(citizen.call("review/audit", &[("query", "")]).await.0, 403);
    assert_eq!(s.call("review/audit", &[("query", "")]).await.0, 403);
    let admin = Visitor::new(&app);
    assert_eq!(admin.sign_in("admin@wuhu.gov.cn", "admin12345").await, 200);
    let (status, body) = admin
        .call(
            "review/audit",
            &[("query", "action=%E5%8F%91%E5%B8%83%E6%96%87%E4%BB%B6")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).expect("json");
    let entry = &page["entries"][0];
    assert_eq!(entry["detail"], "审计日志测试文件");
    // The publication is the 终审 reviewer's act.
    assert_eq!(entry["actor"], "部门工作人员");
    assert_eq!(entry["action"], "Publish");
    assert_eq!(entry["address"], "127.0.0.1");
    let (status, bad) = admin
        .call("review/audit", &[("query", "action=%E5%88%A0%E5%BA%93")])
        .await;
    assert_eq!(status, 400, "{bad}");
    let (status, html) = admin.get("/admin/audit").await;
    assert_eq!(status, 200);
    assert!(html.contains("审计日志测试文件"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_with_personal_data_is_refused_with_its_position_and_nothing_moves() {
    let app = spawn_app().await;
    let desk = desk(&app).await;
    let mut form = publish_form("含个人信息的文件");
    form.retain(|(k, _)| *k != "form[body]");
    form.push((
        "form[body]",
        "第一条 联系人王某，手机13812345678，住镜湖路8号3栋501室。",
    ));
    let (status, id) = desk.create(&form).await;
    assert_eq!(status, 200, "a draft may hold anything while written: {id}");
    let id: String = serde_json::from_str(&id).expect("draft id");
    let (status, body) = desk.drafter.call("review/submit", &[("id", &id)]).await;
    assert_eq!(status, 400, "{body}");
    let error: app::error::AppError = serde_json::from_str(&body).expect("typed error");
    let message = error.to_string();
    assert!(
        message.contains("正文：第 13 个字起有疑似手机号（138****5678）"),
        "{message}"
    );
    assert!(
        message.contains("疑似详细住址（") && message.contains("镜湖路*号*栋***室）"),
        "{message}"
    );
    let stored = service::entity::document::Entity::find()
        .filter(service::entity::document::Column::Title.eq("含个人信息的文件"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(stored, 0);
    let (_, view) = desk.drafter.call("review/draft", &[("id", &id)]).await;
    let view: domain::review::DraftView = serde_json::from_str(&view).expect("draft");
    assert_eq!(view.summary.stage, domain::review::Stage::Editing);
    // It does not wait for 初审.
    let (_, queue) = desk.reviewers[0].call("review/queue", &[]).await;
    assert!(!queue.contains("含个人信息的文件"), "{queue}");
    // A citizen learns nothing from the checks: the role is refused first.
    let citizen = Visitor::new(&app);
    citizen.register("13900007779").await;
    assert_eq!(citizen.call("review/create", &form).await.0, 403);
}
