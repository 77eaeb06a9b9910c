use std::net::SocketAddr;

use domain::account::{Login, Password, Role};
use leptos::config::LeptosOptions;
use service::library::SearchIndex;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    /// The app's database, for setting up what has no page yet (staff accounts).
    pub db: sea_orm::DatabaseConnection,
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
    let index = SearchIndex::in_memory().expect("index");
    let qa = service::qa::QaIndex::in_memory().expect("qa index");
    let state = server::prepare(&settings, index, qa)
        .await
        .expect("app state");
    let db = state.db.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(
            listener,
            server::router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    TestApp {
        addr,
        client: client(),
        db,
    }
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
