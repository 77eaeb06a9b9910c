//! Security layers: strict headers with a per-response CSP nonce, and an Origin check on
//! every state-changing request.

use app::CspNonce;
use app::error::AppError;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

/// Adds the security headers; HTML gets a CSP whose nonce the page's inline bootstrap uses.
pub async fn headers(mut req: Request, next: Next) -> Response {
    let nonce = format!("{:032x}", rand::random::<u128>());
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    res
}

/// Rejects a state-changing request whose Origin is not this site (CSRF defence in depth
/// beside SameSite cookies). Requests without Origin come from non-browser clients.
pub async fn origin_check(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || same_origin(&req) {
        return next.run(req).await;
    }
    tracing::warn!(origin = ?req.headers().get(header::ORIGIN), "cross-origin request refused");
    let mut res = crate::api::error(AppError::BadRequest {
        field: "origin".to_owned(),
        message: "跨站请求已被拒绝：请在本站页面内提交".to_owned(),
    });
    *res.status_mut() = axum::http::StatusCode::FORBIDDEN;
    res
}

fn same_origin(req: &Request) -> bool {
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_none_or(|site| site == "same-origin" || site == "none"),
        Some(Ok(origin)) => {
            let origin_host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            origin_host.is_some() && origin_host == host
        }
        Some(Err(_)) => false,
    }
}
