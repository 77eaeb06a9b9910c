//! Two real server processes on one database: a document published through one reaches a
//! subscriber connected to the other, and renews the pages the other keeps. On PostgreSQL the processes' polling tick is off, so
//! only LISTEN/NOTIFY can carry it; on SQLite (no notifications) the tick does.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// PostgreSQL is under test (the run named a server).
fn on_postgres() -> bool {
    std::env::var("ZHENGCE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

async fn start(database_url: &str, name: &str) -> Server {
    let port = free_port();
    let index =
        std::env::temp_dir().join(format!("zhengce-proc-{name}-{}-{port}", std::process::id()));
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", database_url)
        .env("ZHENGCE_INDEX_DIR", &index)
        .env("ZHENGCE_ADMIN_LOGIN", "admin@wuhu.gov.cn")
        .env("ZHENGCE_ADMIN_PASSWORD", "admin12345")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "LEPTOS_SITE_ROOT",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"),
        )
        .env("RUST_LOG", "warn")
        .env(
            "ZHENGCE_DISPATCH_TICK_MS",
            if on_postgres() { "0" } else { "1000" },
        )
        .stdout(Stdio::null())
        .spawn()
        .expect("server process");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if http
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("server {name} did not start");
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

async fn call(http: &reqwest::Client, base: &str, endpoint: &str, form: &[(&str, &str)]) -> u16 {
    http.post(format!("{base}/api/{endpoint}"))
        .header("origin", base)
        .form(form)
        .send()
        .await
        .expect("call")
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_item_published_through_one_process_reaches_a_subscriber_and_the_kept_pages_of_another()
{
    let url = service::db::scratch_database_url("procs")
        .await
        .expect("scratch database");
    let a = start(&url, "a").await;
    let b = start(&url, "b").await;

    // The subscriber lives on B.
    let reader = client();
    assert_eq!(
        call(
            &reader,
            &b.base,
            "account/register",
            &[
                ("form[kind]", "citizen"),
                ("form[login]", "13700000001"),
                ("form[password]", "abc12345"),
                ("next", "/me"),
            ],
        )
        .await,
        200
    );
    assert_eq!(
        call(
            &reader,
            &b.base,
            "feed/add",
            &[("topic", "就业创业"), ("audience", ""), ("q", "")],
        )
        .await,
        200
    );
    let stream = reader
        .get(format!("{}/api/v1/feed/stream", b.base))
        .send()
        .await
        .expect("stream");
    assert_eq!(stream.status().as_u16(), 200);
    let mut body = stream.bytes_stream();

    // B keeps its home page for anonymous visitors.
    let home = format!("{}/", b.base);
    let anonymous = reqwest::Client::new();
    let cache_status = |res: &reqwest::Response| {
        res.headers()
            .get("x-cache")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let _ = anonymous.get(&home).send().await.expect("home");
    let kept = anonymous.get(&home).send().await.expect("home");
    assert_eq!(cache_status(&kept), "hit");

    // 人社局's draft has passed 初审 and 复审; its 终审 reviewer works on A.
    let db = service::db::connect(&url).await.expect("connect");
    let draft = domain::review::Draft::parse(&domain::review::DraftForm {
        title: "跨进程推送测试文件".into(),
        doc_type: "行政规范性文件".into(),
        topic: "就业创业".into(),
        body: "第一条 跨进程推送测试，制定本办法。".into(),
        ..Default::default()
    })
    .expect("draft");
    let id = server::measure::drafts_at_final(&db, "芜湖市人力资源和社会保障局", &[draft])
        .await
        .expect("drafts")
        .remove(0);
    let reviewer = client();
    assert_eq!(
        call(
            &reviewer,
            &a.base,
            "account/sign-in",
            &[
                ("login", "final@wuhu.gov.cn"),
                ("password", "staff12345"),
                ("next", "/"),
            ],
        )
        .await,
        200
    );
    let sent = Instant::now();
    assert_eq!(
        call(
            &reviewer,
            &a.base,
            "review/decide",
            &[
                ("id", id.as_str()),
                ("form[level]", "终审"),
                ("form[decision]", "approve"),
                ("form[comment]", ""),
                ("form[acknowledged]", "on"),
            ],
        )
        .await,
        200
    );

    let mut seen = String::new();
    // Without a tick, a notification is the only way across: it takes milliseconds.
    let within = if on_postgres() {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(10)
    };
    let arrived = tokio::time::timeout(within, async {
        while let Some(Ok(chunk)) = body.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("跨进程推送测试文件") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(arrived, "B's stream saw: {seen}");
    eprintln!("published on A, received on B after {:?}", sent.elapsed());
    // B's own search index has it too, fed from the outbox right after delivery.
    let search = format!(
        "{}/api/v1/search?q=%E8%B7%A8%E8%BF%9B%E7%A8%8B%E6%8E%A8%E9%80%81",
        b.base
    );
    let mut found = String::new();
    for _ in 0..50 {
        found = reqwest::get(&search)
            .await
            .expect("search")
            .text()
            .await
            .unwrap_or_default();
        if found.contains("跨进程推送测试文件") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(found.contains("跨进程推送测试文件"), "{found}");
    // And B's kept home page, which lists the newest documents, is rendered anew.
    let mut latest = String::new();
    for _ in 0..50 {
        let res = anonymous.get(&home).send().await.expect("home");
        let status = cache_status(&res);
        latest = res.text().await.unwrap_or_default();
        if latest.contains("跨进程推送测试文件") {
            assert_eq!(
                status, "miss",
                "rendered after the change, not kept from before"
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        latest.contains("跨进程推送测试文件"),
        "B's home page was not renewed"
    );
}

#[tokio::test]
async fn audit_verify_says_the_chain_is_intact_and_names_the_first_row_altered() {
    use sea_orm::ConnectionTrait;
    let url = service::db::scratch_database_url("audit")
        .await
        .expect("scratch database");
    let db = service::db::connect(&url).await.expect("connect");
    // Three rows: an admin granting three review levels.
    let admin = service::account::create_account(
        &db,
        &domain::account::Login::parse("login", "audit@wuhu.gov.cn").expect("login"),
        &domain::account::Password::parse("password", "staff12345").expect("password"),
        "审计测试员",
        domain::account::Role::Admin,
        None,
    )
    .await
    .expect("account");
    let unit = sea_orm::ActiveModelTrait::insert(
        service::entity::organization::ActiveModel {
            name: sea_orm::Set("芜湖市审计测试局".into()),
            kind: sea_orm::Set("department".into()),
            ..Default::default()
        },
        &db,
    )
    .await
    .expect("unit");
    service::account::create_account(
        &db,
        &domain::account::Login::parse("login", "reviewer@wuhu.gov.cn").expect("login"),
        &domain::account::Password::parse("password", "staff12345").expect("password"),
        "审核员",
        domain::account::Role::Staff,
        Some(unit.id),
    )
    .await
    .expect("reviewer");
    for level in domain::review::ReviewLevel::ALL {
        service::review::grants::grant(
            &db,
            Some(&admin),
            &domain::review::GrantForm {
                login: "reviewer@wuhu.gov.cn".into(),
                unit: "芜湖市审计测试局".into(),
                level: level.as_str().into(),
            },
        )
        .await
        .expect("grant");
    }
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["audit", "verify"])
            .env("DATABASE_URL", &url)
            .env(
                "LEPTOS_SITE_ROOT",
                concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"),
            )
            .env("RUST_LOG", "error")
            .output()
            .expect("server audit verify")
    };
    let intact = verify();
    let said = String::from_utf8_lossy(&intact.stdout).into_owned();
    assert!(
        intact.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&intact.stderr)
    );
    assert!(said.contains("审计日志完整：共 3 条记录"), "{said}");

    db.execute_unprepared("UPDATE audit_events SET actor_name = '他人' WHERE id = 2")
        .await
        .expect("tamper");
    let broken = verify();
    let said = String::from_utf8_lossy(&broken.stderr).into_owned();
    assert!(!broken.status.success());
    assert!(said.contains("第 2 条记录不可信"), "{said}");
}
