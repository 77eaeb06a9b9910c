//! The one place where an error becomes an HTTP status. A server function's error is the
//! app's `AppError`, serialised; whatever path it took (`?` included), its status is the
//! one `AppError::status` names, never a blanket 500.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Largest error body read back to find its status; errors are a few hundred bytes.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Gives a server function's failed response the status of the error it carries; a plain
/// form's (no script) goes back to its page instead, which shows the error.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let is_server_fn =
        req.uri().path().starts_with("/api/") && !req.uri().path().starts_with("/api/v1/");
    let plain_form = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let mut res = next.run(req).await;
    if !is_server_fn {
        return res;
    }
    // The framework names the page with the error in its address (`__err`) but keeps the
    // error's status, which a browser does not follow.
    if plain_form
        && (res.status().is_client_error() || res.status().is_server_error())
        && res.headers().contains_key(header::LOCATION)
    {
        *res.status_mut() = StatusCode::SEE_OTHER;
        return res;
    }
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, ERROR_BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(e.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
