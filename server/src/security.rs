//! Security layers: strict headers with a per-response CSP nonce, and an Origin check on
//! every state-changing request.

use app::CspNonce;
use app::error::AppError;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Paths whose answers are about the caller: never stored by a browser or proxy cache.
/// (`/me/` also covers `/me` itself.)
const PERSONAL: [&str; 5] = ["/me/", "/staff/", "/admin/", "/consult/", "/api/"];

/// What the security layer needs to know of the settings.
#[derive(Clone, Copy)]
pub struct Transport {
    /// Served over HTTPS (`ZHENGCE_SECURE_COOKIES`): browsers are told to keep to it.
    pub https: bool,
}

/// Adds the security headers; HTML gets a CSP whose nonce the page's inline bootstrap uses.
/// Personal answers (the personal center, staff and admin pages, server functions, the
/// feed, and any page or JSON rendered for a signed-in caller) get `no-store`.
pub async fn headers(
    axum::extract::State(transport): axum::extract::State<Transport>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = format!("{:032x}", rand::random::<u128>());
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = req.uri().path();
    let personal_path = PERSONAL
        .iter()
        .any(|p| path == p.trim_end_matches('/') || path.starts_with(p));
    let signed_in = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.contains("zc_session="));
    let mut res = next.run(req).await;
    let rendered = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    if personal_path || (signed_in && rendered) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if transport.https {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // A page sent to everyone alike allows its inline scripts by hash, any other by nonce.
    let scripts = res
        .extensions()
        .get::<InlineScripts>()
        .map_or_else(|| format!("'nonce-{nonce}'"), |s| s.0.clone());
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; \
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

/// The script sources a response's CSP allows instead of a nonce: the hashes of the inline
/// scripts of a page that is sent, byte for byte, to everyone (a kept page).
#[derive(Clone, Debug)]
pub struct InlineScripts(String);

impl InlineScripts {
    /// The `'sha256-…'` source of each inline `<script>` in `html` (those without `src`).
    pub fn of(html: &str) -> InlineScripts {
        let mut sources = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find("<script") {
            let after = &rest[start..];
            let Some(open_end) = after.find('>') else {
                break;
            };
            let tag = &after[..open_end];
            let body = &after[open_end + 1..];
            let Some(close) = body.find("</script>") else {
                break;
            };
            if !tag.contains(" src=") {
                let digest = Sha256::digest(&body.as_bytes()[..close]);
                let hash = base64::engine::general_purpose::STANDARD.encode(digest);
                let source = format!("'sha256-{hash}'");
                if !sources.contains(&source) {
                    sources.push(source);
                }
            }
            rest = &body[close..];
        }
        InlineScripts(sources.join(" "))
    }
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

/// The largest request body accepted: a form with a long document is a few hundred KB.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// A declared body larger than its limit is read and discarded up to this size before the
/// 413, so the client gets the answer; beyond it the connection is simply closed.
const DRAIN_LIMIT: usize = 128 * 1024 * 1024;

/// The most a file upload carries: the largest file and its form around it.
pub const MAX_UPLOAD: usize = domain::file::MAX_FILE_BYTES + 1024 * 1024;

/// Uploads to a draft may carry a file; everything else is a form.
fn limit_for(method: &Method, path: &str) -> usize {
    let upload = *method == Method::POST
        && path.starts_with("/api/review/drafts/")
        && path.ends_with("/files");
    if upload { MAX_UPLOAD } else { MAX_BODY }
}

/// Refuses a body over its limit ([`MAX_BODY`], [`MAX_UPLOAD`] for an upload) with 413 and a Chinese message, before any handler
/// reads it (declared too long, or found too long while reading a chunked one).
pub async fn body_limit(req: Request, next: Next) -> Response {
    let limit = limit_for(req.method(), req.uri().path());
    let too_large = || {
        crate::api::error(AppError::TooLarge(format!(
            "提交的内容超过 {} MB，请删减后再提交",
            limit / 1024 / 1024
        )))
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    match declared {
        Some(n) if n > limit => {
            // Read the rest (and throw it away) before answering, up to a bound: a client
            // still sending when the connection closes sees a broken pipe, not the 413.
            if n <= DRAIN_LIMIT {
                use futures_util::StreamExt;
                let mut rest = req.into_body().into_data_stream();
                while let Some(Ok(_)) = rest.next().await {}
            }
            too_large()
        }
        Some(_) => next.run(req).await,
        None if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) => {
            next.run(req).await
        }
        None => {
            use futures_util::StreamExt;
            let (parts, body) = req.into_parts();
            let mut stream = body.into_data_stream();
            let mut bytes = Vec::new();
            let mut read = 0usize;
            while let Some(chunk) = stream.next().await {
                let Ok(chunk) = chunk else {
                    return crate::api::error(AppError::BadRequest {
                        field: "body".to_owned(),
                        message: "提交的内容没有完整送达，请重新提交".to_owned(),
                    });
                };
                read += chunk.len();
                if read <= limit {
                    bytes.extend_from_slice(&chunk);
                } else if read > DRAIN_LIMIT {
                    break;
                }
            }
            if read > limit {
                return too_large();
            }
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
    }
}
