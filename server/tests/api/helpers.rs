use std::net::SocketAddr;

use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, Database};
use service::library::SearchIndex;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
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

/// A fresh database: a new SQLite file, or a new PostgreSQL database on the test server.
async fn fresh_database_url() -> String {
    let n: u64 = rand_suffix();
    match std::env::var("ZHENGCE_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let db = Database::connect(&admin)
                .await
                .expect("connect to test PostgreSQL");
            let name = format!("zhengce_test_{n}");
            db.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            format!("{base}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join("zhengce-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}/test-{n}.db?mode=rwc", dir.display())
        }
    }
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.finish()
}

/// Starts the real app with the demo data set on a free port.
pub async fn spawn_app() -> TestApp {
    let leptos = LeptosOptions::builder()
        .output_name("zhengce")
        .site_root(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"))
        .build();
    let settings = server::Settings {
        database_url: fresh_database_url().await,
        index_dir: std::env::temp_dir().join("unused"),
        demo_data: true,
        leptos,
    };
    let index = SearchIndex::in_memory().expect("index");
    let state = server::prepare(&settings, index).await.expect("app state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, server::router(state))
            .await
            .expect("serve");
    });
    TestApp {
        addr,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    }
}
