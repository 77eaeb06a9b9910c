use std::net::SocketAddr;

use domain::account::{Login, Password, Role};
use leptos::config::LeptosOptions;
use service::library::SearchIndex;

pub struct TestApp {
    pub addr: SocketAddr,
    /// Where its database is, for a second app over the same one.
    pub database_url: String,
    pub client: reqwest::Client,
    /// The app's database, for setting up what has no page yet (staff accounts).
    pub db: sea_orm::DatabaseConnection,
    /// What its router was built from.
    pub state: app::state::AppState,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.json().await.expect("json body"))
    }
}

/// Numbers each app's file store.
static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Starts the real app with the demo data set on a free port.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the real app with settings changed by `change` (HTTPS cookies, say).
pub async fn spawn_app_with(change: impl FnOnce(&mut server::Settings)) -> TestApp {
    let leptos = LeptosOptions::builder()
        .output_name("zhengce")
        .site_root(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"))
        .build();
    let settings = server::Settings {
        database_url: service::db::scratch_database_url("api")
            .await
            .expect("scratch database"),
        index_dir: std::env::temp_dir().join("unused"),
        qa_index_dir: std::env::temp_dir().join("unused-qa"),
        files_dir: std::env::temp_dir().join(format!(
            "zhengce-files-{}-{}",
            std::process::id(),
            FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        )),
        demo_data: true,
        admin: Some(("admin@wuhu.gov.cn".into(), "admin12345".into())),
        secure_cookies: false,
        tick: Some(service::feed::live::TICK),
        session_idle: service::account::DEFAULT_IDLE,
        // The tests' client stands in for a proxy on loopback: a test may name the
        // client behind it in X-Forwarded-For (without the header, the peer is the client).
        trusted_proxies: domain::net::TrustedProxies::parse("127.0.0.1").expect("proxies"),
        leptos,
    };
    let mut settings = settings;
    change(&mut settings);
    let database_url = settings.database_url.clone();
    let index = SearchIndex::in_memory().expect("index");
    let qa = service::qa::QaIndex::in_memory().expect("qa index");
    let state = server::prepare(&settings, index, qa)
        .await
        .expect("app state");
    let db = state.db.clone();
    let served = state.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(
            listener,
            server::router(served).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    TestApp {
        addr,
        database_url,
        client: client(),
        db,
        state,
    }
}

/// Starts a second app over `first`'s database, as another process of the same site:
/// its own indexes, page cache and outbox dispatcher.
pub async fn spawn_beside(first: &TestApp) -> TestApp {
    let url = first.database_url.clone();
    spawn_app_with(move |s| {
        s.database_url = url;
        s.demo_data = false;
        s.admin = None;
    })
    .await
}

/// An HTTP client with its own cookie jar (one signed-in visitor), not following
/// redirects, and giving up on a hung request instead of hanging the suite.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client")
}

/// A visitor with their own cookie jar, talking to the app.
pub struct Visitor<'a> {
    pub app: &'a TestApp,
    pub http: reqwest::Client,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            http: client(),
        }
    }

    /// Calls a server function the way the browser does after hydration.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (u16, String) {
        let res = self
            .http
            .post(self.app.url(&format!("/api/{endpoint}")))
            .header("origin", self.app.url(""))
            .form(form)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.text().await.unwrap_or_default())
    }

    pub async fn register(&self, mobile: &str) {
        let (status, body) = self
            .call(
                "account/register",
                &[
                    ("form[kind]", "citizen"),
                    ("form[login]", mobile),
                    ("form[password]", "abc12345"),
                    ("next", "/me"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> u16 {
        self.call(
            "account/sign-in",
            &[("login", login), ("password", password), ("next", "/me")],
        )
        .await
        .0
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let res = self
            .http
            .get(self.app.url(path))
            .send()
            .await
            .expect("request");
        (res.status().as_u16(), res.text().await.unwrap_or_default())
    }
}

/// A staff account of organization `org` (or none), signed in.
pub async fn staff_of<'a>(app: &'a TestApp, login: &str, org: Option<i32>) -> Visitor<'a> {
    service::account::create_account(
        &app.db,
        &Login::parse("login", login).expect("login"),
        &Password::parse("password", "staff12345").expect("password"),
        "部门工作人员",
        Role::Staff,
        org,
    )
    .await
    .expect("staff account");
    let v = Visitor::new(app);
    assert_eq!(v.sign_in(login, "staff12345").await, 200);
    v
}

/// The id of the organization named `name`.
pub async fn org_id(app: &TestApp, name: &str) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    service::entity::organization::Entity::find()
        .filter(service::entity::organization::Column::Name.eq(name))
        .one(&app.db)
        .await
        .expect("query")
        .expect("organization")
        .id
}

/// A unit's drafter and its three reviewers (初审, 复审, 终审), signed in; the levels are
/// granted the way an admin grants them. Accounts are `{tag}-drafter@…`, `{tag}-l1@…` ….
pub struct Desk<'a> {
    pub drafter: Visitor<'a>,
    pub reviewers: Vec<Visitor<'a>>,
}

pub async fn desk<'a>(app: &'a TestApp, unit: &str, tag: &str) -> Desk<'a> {
    let org = org_id(app, unit).await;
    let drafter = staff_of(app, &format!("{tag}-drafter@wuhu.gov.cn"), Some(org)).await;
    let admin = service::account::create_account(
        &app.db,
        &Login::parse("login", &format!("{tag}-admin@wuhu.gov.cn")).expect("login"),
        &Password::parse("password", "staff12345").expect("password"),
        "管理员",
        Role::Admin,
        None,
    )
    .await
    .expect("admin");
    let mut reviewers = Vec::new();
    for (n, level) in domain::review::ReviewLevel::ALL.iter().enumerate() {
        let login = format!("{tag}-l{}@wuhu.gov.cn", n + 1);
        reviewers.push(staff_of(app, &login, Some(org)).await);
        service::review::grants::grant(
            &app.db,
            Some(&admin),
            &domain::review::GrantForm {
                login,
                unit: unit.to_owned(),
                level: level.as_str().to_owned(),
            },
        )
        .await
        .expect("grant");
    }
    Desk { drafter, reviewers }
}

impl Desk<'_> {
    /// Saves a draft from `form` (the draft form's fields); the status and the body (the
    /// draft's id as JSON, or the error).
    pub async fn create(&self, form: &[(&str, &str)]) -> (u16, String) {
        self.drafter.call("review/create", form).await
    }

    /// `reviewer` (0 = 初审 …) approves draft `id` at their level.
    pub async fn approve(&self, reviewer: usize, id: &str) -> (u16, String) {
        let level = domain::review::ReviewLevel::ALL[reviewer].as_str();
        self.reviewers[reviewer]
            .call(
                "review/decide",
                &[
                    ("id", id),
                    ("form[level]", level),
                    ("form[decision]", "approve"),
                    ("form[comment]", ""),
                    ("form[acknowledged]", "on"),
                ],
            )
            .await
    }

    /// Drafts, submits and has the three levels approve `form`, over HTTP; returns the
    /// published document's id.
    pub async fn publish(&self, form: &[(&str, &str)]) -> String {
        let (status, id) = self.create(form).await;
        assert_eq!(status, 200, "{id}");
        let id: String = serde_json::from_str(&id).expect("draft id");
        let (status, body) = self.drafter.call("review/submit", &[("id", &id)]).await;
        assert_eq!(status, 200, "{body}");
        for reviewer in 0..3 {
            let (status, body) = self.approve(reviewer, &id).await;
            assert_eq!(status, 200, "{body}");
        }
        let (status, view) = self.drafter.call("review/draft", &[("id", &id)]).await;
        assert_eq!(status, 200, "{view}");
        let view: domain::review::DraftView = serde_json::from_str(&view).expect("draft");
        view.document_id.expect("published")
    }
}
