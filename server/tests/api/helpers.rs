use std::net::SocketAddr;

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
        leptos,
    };
    let index = SearchIndex::in_memory().expect("index");
    let qa = service::qa::QaIndex::in_memory().expect("qa index");
    let state = server::prepare(&settings, index, qa).await.expect("app state");
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
