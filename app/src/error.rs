//! The app layer's one error type: what a server function can answer, with its HTTP status.

use serde::{Deserialize, Serialize};
use server_fn_error::{FromServerFnError, ServerFnErrorErr};

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error as server_fn_error;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A parameter or field to fix; the message says how, in Chinese.
    #[error("{message}")]
    BadRequest { field: String, message: String },
    #[error("{0}")]
    NotFound(String),
    /// Not signed in, or the session ended.
    #[error("请先登录")]
    Unauthorized,
    /// Signed in without the role this needs; the message says which.
    #[error("{0}")]
    Forbidden(String),
    /// Already exists (an account, a subscription).
    #[error("{0}")]
    Conflict(String),
    /// Withdrawn for good; the message is the public notice.
    #[error("{0}")]
    Gone(String),
    /// The body or file is over its limit; the message says the limit.
    #[error("{0}")]
    TooLarge(String),
    #[error("操作过于频繁，请 {0} 秒后再试")]
    TooManyRequests(u64),
    /// Details are in the server log, never in the response.
    #[error("服务暂时不可用，请稍后再试")]
    Internal,
    /// The call itself failed (network, encoding).
    #[error("请求未能完成：{0}")]
    Transport(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest { .. } => 400,
            AppError::NotFound(_) => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::Conflict(_) => 409,
            AppError::Gone(_) => 410,
            AppError::TooLarge(_) => 413,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request itself could not be read as this function's arguments: the
            // caller's mistake, said without the decoder's English.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest {
                field: "request".to_owned(),
                message: "提交的内容格式不正确，请从页面重新提交".to_owned(),
            },
            other => AppError::Transport(other.to_string()),
        }
    }
}

impl From<domain::DomainError> for AppError {
    fn from(e: domain::DomainError) -> Self {
        AppError::BadRequest {
            field: e.field,
            message: e.message,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<service::ServiceError> for AppError {
    fn from(e: service::ServiceError) -> Self {
        use service::ServiceError as S;
        match e {
            S::Invalid(d) => d.into(),
            S::NotFound(what) => {
                AppError::NotFound(format!("未找到{what}，它可能已被撤回或链接有误"))
            }
            S::Unauthorized => AppError::Unauthorized,
            S::Forbidden(m) => AppError::Forbidden(m),
            S::Conflict(m) => AppError::Conflict(m),
            S::TooLarge(m) => AppError::TooLarge(m),
            S::Gone(m) => AppError::Gone(m),
            S::RateLimited(s) => AppError::TooManyRequests(s),
            other => {
                tracing::error!(error = %other, "request failed");
                AppError::Internal
            }
        }
    }
}

/// Sets the response status for an error (page render or server-function call alike).
#[cfg(feature = "ssr")]
pub fn respond(e: impl Into<AppError>) -> AppError {
    let e = e.into();
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(e.status())
    {
        res.set_status(status);
    }
    e
}

/// A JSON API answer for an error: `{"error": "…"}` (plus `field` for a bad parameter)
/// with the error's status, so a handler's `?` answers with the right status.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let body = match &self {
            AppError::BadRequest { field, message } => {
                serde_json::json!({ "error": message, "field": field })
            }
            other => serde_json::json!({ "error": other.to_string() }),
        };
        (status, axum::Json(body)).into_response()
    }
}
