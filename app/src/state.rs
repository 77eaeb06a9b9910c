//! Server-side state handed to server functions as Leptos context.

use std::sync::Arc;

use leptos::prelude::*;
use sea_orm::DatabaseConnection;
use service::feed::live::Hub;
use service::library::SearchIndex;
use service::qa::QaIndex;

#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub index: Arc<SearchIndex>,
    /// The Q&A knowledge base's index.
    pub qa: Arc<QaIndex>,
    /// Moves on whenever the indexes take in what was published (see `server::cache`).
    pub generation: service::index_sync::Generation,
    /// Wakes live feed streams; poked after a publish.
    pub hub: Arc<Hub>,
    /// Uploaded files, by content.
    pub files: service::files::FileStore,
    /// The proxies whose `X-Forwarded-For` names the client (`ZHENGCE_TRUSTED_PROXIES`).
    pub trusted_proxies: domain::net::TrustedProxies,
    /// Mark the session cookie `Secure` and `__Host-` (behind HTTPS).
    pub secure_cookies: bool,
    /// How long a session may go unused before it ends.
    pub session_idle: std::time::Duration,
    pub leptos_options: LeptosOptions,
}

impl AppState {
    /// The state provided by the server for this request.
    pub fn current() -> Result<AppState, crate::error::AppError> {
        use_context::<AppState>().ok_or(crate::error::AppError::Internal)
    }
}
