//! The zhengce server: settings, start-up (migrate, index, demo data), the router with its
//! security layers, the JSON API and the import command.

pub mod api;
pub mod cache;
pub mod errors;
pub mod feed;
pub mod files;
pub mod guard;
pub mod measure;
pub mod security;

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;

use app::state::AppState;
use app::{App, shell};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use service::feed::live::{self, Hub};
use service::index_sync::{self, Indexes};
use service::library::{SearchIndex, demo, import};
use service::qa::QaIndex;
use tower_http::compression::CompressionLayer;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Service(#[from] service::ServiceError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// `server audit verify` found the chain broken.
    #[error("{0}")]
    AuditBroken(String),
}

/// Configuration from environment variables (see README).
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub index_dir: PathBuf,
    /// The Q&A index: `ZHENGCE_QA_INDEX_DIR`, else next to the library's (`data/index-qa`).
    pub qa_index_dir: PathBuf,
    /// Uploaded files, stored by content: `ZHENGCE_FILES_DIR`, else next to the index
    /// (`data/files`).
    pub files_dir: PathBuf,
    /// Load the demo data set when the library is empty.
    pub demo_data: bool,
    /// The first admin account, created on start when missing: (login, password).
    pub admin: Option<(String, String)>,
    /// Mark the session cookie `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// How often the dispatcher looks at the outbox unwoken: `ZHENGCE_DISPATCH_TICK_MS`
    /// (default 1000); `0` only on a wake-up or a PostgreSQL notification.
    pub tick: Option<std::time::Duration>,
    /// A session unused this long ends: `ZHENGCE_SESSION_IDLE_MINUTES` (default 120).
    pub session_idle: std::time::Duration,
    /// The proxies whose `X-Forwarded-For` names the client: `ZHENGCE_TRUSTED_PROXIES`.
    pub trusted_proxies: domain::net::TrustedProxies,
    pub leptos: LeptosOptions,
}

impl Settings {
    pub fn from_env() -> Result<Self, Error> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut leptos = get_configuration(None)
            .map_err(|e| Error::Config(format!("读取 Leptos 配置失败：{e}")))?
            .leptos_options;
        // The build names the site's assets by their content's hash and writes the hashes
        // beside this binary; unless the environment says otherwise, that file tells.
        if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
            leptos.hash_files = std::env::current_exe()
                .ok()
                .and_then(|exe| Some(exe.parent()?.join(leptos.hash_file.as_ref()).is_file()))
                .unwrap_or(false);
        }
        let index_dir =
            var("ZHENGCE_INDEX_DIR").map_or_else(|| PathBuf::from("data/index"), PathBuf::from);
        let qa_index_dir = var("ZHENGCE_QA_INDEX_DIR").map_or_else(
            || {
                let name = index_dir
                    .file_name()
                    .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
                index_dir.with_file_name(format!("{name}-qa"))
            },
            PathBuf::from,
        );
        let files_dir = var("ZHENGCE_FILES_DIR")
            .map_or_else(|| index_dir.with_file_name("files"), PathBuf::from);
        Ok(Settings {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/zhengce.db?mode=rwc".to_owned()),
            index_dir,
            files_dir,
            qa_index_dir,
            demo_data: var("ZHENGCE_DEMO_DATA").is_none_or(|v| v != "0" && v != "false"),
            admin: var("ZHENGCE_ADMIN_LOGIN").zip(var("ZHENGCE_ADMIN_PASSWORD")),
            secure_cookies: var("ZHENGCE_SECURE_COOKIES").is_some_and(|v| v == "1" || v == "true"),
            tick: match var("ZHENGCE_DISPATCH_TICK_MS") {
                None => Some(live::TICK),
                Some(ms) => match ms.parse::<u64>() {
                    Ok(0) => None,
                    Ok(ms) => Some(std::time::Duration::from_millis(ms)),
                    Err(_) => {
                        return Err(Error::Config(format!(
                            "ZHENGCE_DISPATCH_TICK_MS 应为毫秒数（如 1000），而不是“{ms}”"
                        )));
                    }
                },
            },
            session_idle: match var("ZHENGCE_SESSION_IDLE_MINUTES") {
                None => service::account::DEFAULT_IDLE,
                Some(m) => match m.parse::<u64>() {
                    Ok(m) if m > 0 => std::time::Duration::from_secs(m * 60),
                    _ => {
                        return Err(Error::Config(format!(
                            "ZHENGCE_SESSION_IDLE_MINUTES 应为正整数分钟数（如 120），而不是“{m}”"
                        )));
                    }
                },
            },
            trusted_proxies: domain::net::TrustedProxies::parse(
                &var("ZHENGCE_TRUSTED_PROXIES").unwrap_or_default(),
            )
            .map_err(|e| Error::Config(e.message))?,
            leptos,
        })
    }
}

/// The allocator the build linked (see `build.rs`; a test proves the process uses it).
pub fn allocator() -> &'static str {
    if cfg!(jemalloc) {
        "jemalloc"
    } else {
        "C library malloc"
    }
}

pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn,sqlx=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

/// Opens the database and brings the indexes up to its outbox (rebuilding one that cannot
/// tell where it stands), loads demo data into an empty library and creates the first
/// admin; starts the feed dispatcher.
pub async fn prepare(
    settings: &Settings,
    index: SearchIndex,
    qa: QaIndex,
) -> Result<AppState, Error> {
    let db = service::db::connect(&settings.database_url).await?;
    let indexes = Indexes::new(Arc::new(index), Arc::new(qa));
    index_sync::catch_up(&db, &indexes).await?;
    if settings.demo_data && indexes.library.num_docs() == 0 {
        load_demo(&db, &indexes).await?;
    }
    if let Some((login, password)) = &settings.admin {
        service::account::ensure_admin(&db, login, password).await?;
    }
    let hub = Hub::new();
    tokio::spawn(live::run(
        db.clone(),
        indexes.clone(),
        hub.clone(),
        settings.tick,
    ));
    tokio::spawn(live::watch_sessions(
        db.clone(),
        hub.clone(),
        settings.session_idle,
    ));
    Ok(AppState::new(app::state::Shared {
        db,
        generation: indexes.generation.clone(),
        documents: service::library::KeptDocuments::new(indexes.generation.clone()),
        articles: app::library::articles::Articles::within(service::library::kept::MAX_BYTES),
        index: indexes.library,
        qa: indexes.qa,
        hub,
        files: service::files::FileStore::new(&settings.files_dir),
        trusted_proxies: settings.trusted_proxies.clone(),
        session_idle: settings.session_idle,
        secure_cookies: settings.secure_cookies,
        leptos_options: settings.leptos.clone(),
    }))
}

/// Loads the demo data set (idempotent: records are keyed by id), with the consultation
/// settings a fresh portal starts from.
pub async fn load_demo(db: &sea_orm::DatabaseConnection, indexes: &Indexes) -> Result<(), Error> {
    let docs = demo::documents();
    let qa = demo::qa(&docs);
    let n = import::import_document_records(db, indexes, docs).await?;
    let m = import::import_qa_records(db, indexes, qa).await?;
    demo::consult_settings(db).await?;
    service::review::demo::desks(db, &demo::unit_levels()).await?;
    tracing::info!(documents = n, qa = m, "demo data loaded");
    Ok(())
}

/// The app's routes, listed once per process. Listing them runs the app with resource
/// loading suspended by a process-wide switch, so a page rendering meanwhile in another
/// router of the same process (tests run many) would wait forever on its data.
static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();

/// The whole application: pages, server functions, JSON API and static files.
pub fn router(state: AppState) -> Router {
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .nest("/api/v1", api::routes().merge(feed::routes()))
        .merge(files::routes())
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                provide_context(app::account::CallerOnce::default());
            },
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::protected_pages,
        ))
        .layer(axum::middleware::from_fn(errors::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(
            state.hub.clone(),
            feed::wake_after_writes,
        ))
        .layer(axum::middleware::from_fn(security::origin_check))
        .layer(axum::middleware::from_fn(security::body_limit))
        .layer(axum::middleware::from_fn_with_state(
            cache::PageCache::new(state.generation.clone()),
            cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.leptos_options.hash_files,
            cache::hashed_assets,
        ))
        .layer(axum::middleware::from_fn_with_state(
            security::Transport {
                https: state.secure_cookies,
            },
            security::headers,
        ))
        .layer(CompressionLayer::new())
        // A bug must cost one request a 500, never the connection or the process.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .with_state(state)
}

/// Runs the portal until Ctrl-C.
pub async fn run(settings: Settings) -> Result<(), Error> {
    let (index, _) = SearchIndex::open_in_dir(&settings.index_dir)?;
    let (qa, _) = QaIndex::open_in_dir(&settings.qa_index_dir)?;
    let state = prepare(&settings, index, qa).await?;
    let addr = settings.leptos.site_addr;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(
        allocator = allocator(),
        "芜湖市政策文件库 listening on http://{addr}"
    );
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// `server import FILE.jsonl`: documents, or Q&A entries when the records have a `question`.
pub async fn import_file(settings: &Settings, file: &str) -> Result<(), Error> {
    let (index, _) = SearchIndex::open_in_dir(&settings.index_dir)?;
    let (qa, _) = QaIndex::open_in_dir(&settings.qa_index_dir)?;
    let db = service::db::connect(&settings.database_url).await?;
    let indexes = Indexes::new(Arc::new(index), Arc::new(qa));
    index_sync::catch_up(&db, &indexes).await?;
    let open = || std::fs::File::open(file).map(std::io::BufReader::new);
    let first = open()?
        .lines()
        .map_while(Result::ok)
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let is_qa = serde_json::from_str::<serde_json::Value>(&first)
        .is_ok_and(|v| v.get("question").is_some());
    let started = std::time::Instant::now();
    let report = if is_qa {
        import::import_qa(&db, &indexes, open()?).await?
    } else {
        import::import_documents(&db, &indexes, open()?).await?
    };
    for bad in &report.bad {
        eprintln!("第 {} 行未导入：{}", bad.line, bad.reason);
    }
    println!(
        "已导入 {} 条{}，{} 行有误，用时 {:.1} 秒",
        report.loaded,
        if is_qa { "政策问答" } else { "文件" },
        report.bad.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `server audit verify`: walks the audit log's hash chain; says so and succeeds when it
/// is intact, fails naming the first row changed or deleted.
pub async fn audit_verify(settings: &Settings) -> Result<(), Error> {
    let db = service::db::connect(&settings.database_url).await?;
    match service::audit::verify(&db).await? {
        service::audit::Verified::Intact(n) => {
            println!("审计日志完整：共 {n} 条记录，哈希链无断裂");
            Ok(())
        }
        service::audit::Verified::Broken { id, reason } => Err(Error::AuditBroken(format!(
            "审计日志第 {id} 条记录不可信：{reason}"
        ))),
    }
}
