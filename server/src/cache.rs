//! Public pages kept in memory for anonymous visitors: the day a subsidy policy is announced
//! a crowd asks for the same few pages, and each should cost a lookup, not a render.
//!
//! - Only GETs of public pages without a session or notice cookie are kept; personal pages
//!   never are.
//! - A page is kept as rendered with a strong `ETag` (so a browser revalidates with a `304`),
//!   and compressed once per encoding.
//! - Its inline scripts are allowed by their hashes in its CSP, not by the nonce it was
//!   rendered with: the same bytes go to everyone, so no nonce could stay secret.
//! - Every outbox event this process applies to its search indexes (a publish, a revision,
//!   an interpretation, a validity change, a withdrawal, a Q&A entry) is a new generation:
//!   pages of an older one are rendered again. A page rendered while the generation moved
//!   is not kept. Nothing is kept longer than [`MAX_AGE`] (documents come into force by
//!   date).
//! - Memory is bounded: at most [`MAX_BYTES`] of pages, oldest out first, whatever the
//!   number of distinct addresses asked for.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use service::kept::Kept;
use sha2::{Digest, Sha256};

use crate::security::InlineScripts;

/// The longest a page is served from memory.
pub const MAX_AGE: Duration = Duration::from_secs(300);
/// All kept pages together, in every encoding.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The largest page read whole (the longest document's page is a few hundred KB).
const MAX_PAGE: usize = 8 * 1024 * 1024;
/// How long a request for a page another request is rendering waits for it.
const WAIT_FOR_RENDER: Duration = Duration::from_secs(5);

/// The pages kept: path (with query) → page.
#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    pages: Mutex<Pages>,
    /// Counts the outbox events applied to this process's indexes.
    generation: service::index_sync::Generation,
}

struct Pages {
    kept: Kept<Arc<Page>>,
    /// Pages being rendered, with who waits for them.
    rendering: HashMap<String, Arc<tokio::sync::Notify>>,
}

struct Page {
    generation: u64,
    etag: HeaderValue,
    scripts: InlineScripts,
    html: Bytes,
    br: Bytes,
    gzip: Bytes,
}

impl PageCache {
    pub fn new(generation: service::index_sync::Generation) -> Self {
        PageCache(Arc::new(Inner {
            pages: Mutex::new(Pages {
                kept: Kept::new(MAX_BYTES),
                rendering: HashMap::new(),
            }),
            generation,
        }))
    }

    /// The page kept for `key`, or the turn to render it, or (another request is rendering
    /// it) what to wait on before looking again.
    fn claim(&self, key: &str) -> Claim {
        let now = self.0.generation.current();
        let mut pages = self.0.pages.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((page, _)) = pages
            .kept
            .get(key)
            .filter(|(p, stored)| p.generation == now && stored.elapsed() < MAX_AGE)
        {
            return Claim::Kept(Arc::clone(page));
        }
        match pages.rendering.get(key) {
            Some(notify) => Claim::Wait(Arc::clone(notify)),
            None => {
                pages
                    .rendering
                    .insert(key.to_owned(), Arc::new(tokio::sync::Notify::new()));
                Claim::Render(Turn {
                    cache: self.clone(),
                    key: Some(key.to_owned()),
                })
            }
        }
    }

    /// Ends a render of `key`: keeps the page (if any) and wakes who waited.
    fn finish(&self, key: &str, page: Option<Arc<Page>>) {
        let mut pages = self.0.pages.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(page) = page {
            let size = page.size();
            pages.kept.insert(key.to_owned(), page, size);
        }
        if let Some(notify) = pages.rendering.remove(key) {
            notify.notify_waiters();
        }
    }
}

enum Claim {
    Kept(Arc<Page>),
    Render(Turn),
    Wait(Arc<tokio::sync::Notify>),
}

/// A request's turn to render a page; ends (waking who waits) even when the request is
/// dropped half-way, so a visitor who goes away never leaves the page unrenderable.
struct Turn {
    cache: PageCache,
    key: Option<String>,
}

impl Turn {
    fn end(mut self, page: Option<Arc<Page>>) {
        if let Some(key) = self.key.take() {
            self.cache.finish(&key, page);
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.cache.finish(&key, None);
        }
    }
}

impl Page {
    fn size(&self) -> usize {
        self.html.len() + self.br.len() + self.gzip.len()
    }
}

/// The pages kept: everything anyone may see, the same for every anonymous visitor.
fn public(path: &str) -> bool {
    let one = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
    };
    matches!(
        path,
        "/" | "/library" | "/library/abolished" | "/qa" | "/units" | "/login" | "/register"
    ) || one("/documents/")
        || one("/interpretations/")
        || one("/qa/")
        || one("/units/")
        || path
            .strip_prefix("/documents/")
            .and_then(|rest| rest.strip_suffix("/print"))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// A request whose page is someone's own: signed in, or carrying a form's one-time notice.
fn personal(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.contains("zc_session=") || c.contains(app::notice::COOKIE))
}

/// Serves kept pages and keeps the public pages rendered for anonymous visitors.
pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let get = matches!(*req.method(), Method::GET | Method::HEAD);
    if !get || !public(req.uri().path()) || personal(req.headers()) {
        return next.run(req).await;
    }
    let key = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_owned(), |pq| pq.as_str().to_owned());
    let encoding = Encoding::accepted(req.headers());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut waited = false;
    let turn = loop {
        match cache.claim(&key) {
            Claim::Kept(page) => {
                return respond(&page, encoding, if_none_match.as_ref(), "hit");
            }
            Claim::Render(turn) => break turn,
            Claim::Wait(notify) if !waited => {
                waited = true;
                let _ = tokio::time::timeout(WAIT_FOR_RENDER, notify.notified()).await;
            }
            // Still rendering after the wait: render too, without keeping.
            Claim::Wait(_) => return next.run(req).await,
        }
    };
    let generation = cache.0.generation.current();
    let res = next.run(req).await;
    let (res, page) = keep(res, generation).await;
    // A page rendered while the generation moved may show the state before it: sent,
    // not kept.
    let current = cache.0.generation.current() == generation;
    turn.end(page.clone().filter(|_| current));
    match (res, page) {
        (_, Some(page)) => respond(&page, encoding, if_none_match.as_ref(), "miss"),
        (Some(res), None) => res,
        (None, None) => {
            let mut res = Response::new(Body::from("页面暂时无法显示，请稍后再试"));
            *res.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            res
        }
    }
}

/// A whole successful HTML page becomes a kept page; anything else goes on as it is.
async fn keep(res: Response, generation: u64) -> (Option<Response>, Option<Arc<Page>>) {
    let html = res.status() == StatusCode::OK
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING);
    if !html {
        return (Some(res), None);
    }
    let Ok(body) = axum::body::to_bytes(res.into_body(), MAX_PAGE).await else {
        return (None, None);
    };
    // Hashing and compressing once per render take milliseconds: off the request threads.
    let page = tokio::task::spawn_blocking(move || {
        let digest = Sha256::digest(&body);
        let etag = format!("\"{}\"", hex(&digest[..12]));
        Page {
            generation,
            etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"page\"")),
            scripts: InlineScripts::of(&String::from_utf8_lossy(&body)),
            br: Bytes::from(brotli(&body)),
            gzip: Bytes::from(gzip(&body)),
            html: body,
        }
    })
    .await;
    match page {
        Ok(page) => (None, Some(Arc::new(page))),
        Err(_) => (None, None),
    }
}

fn respond(
    page: &Page,
    encoding: Encoding,
    if_none_match: Option<&HeaderValue>,
    status: &'static str,
) -> Response {
    let unchanged = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == page.etag || t.trim() == "*")
        });
    let mut res = if unchanged {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        res
    } else {
        let body = match encoding {
            Encoding::Brotli => page.br.clone(),
            Encoding::Gzip => page.gzip.clone(),
            Encoding::Identity => page.html.clone(),
        };
        let mut res = Response::new(Body::from(body));
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        if let Some(name) = encoding.name() {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        res
    };
    let h = res.headers_mut();
    h.insert(header::ETAG, page.etag.clone());
    h.insert(
        header::VARY,
        HeaderValue::from_static("accept-encoding, cookie"),
    );
    // Browsers keep it but ask each time (a 304 costs a few bytes).
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-cache", HeaderValue::from_static(status));
    res.extensions_mut().insert(page.scripts.clone());
    res
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn accepted(headers: &HeaderMap) -> Encoding {
        let accepts = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|part| {
                    let mut it = part.split(';');
                    it.next().is_some_and(|n| n.trim() == name)
                        && it.all(|p| p.trim().replace(' ', "") != "q=0")
                })
        };
        if accepts("br") {
            Encoding::Brotli
        } else if accepts("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    fn name(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 4);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
        // Writing to a Vec cannot fail.
        let _ = w.write_all(data);
    }
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = w.write_all(data);
    w.finish().unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The site's assets (`/pkg/…`): when their names carry their content's hash (the release
/// build's file hashing), a browser keeps them for a year without asking again.
pub async fn hashed_assets(State(hashed): State<bool>, req: Request, next: Next) -> Response {
    let asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    if hashed && asset && res.status() == StatusCode::OK {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_pages_are_the_library_qa_units_and_sign_in_pages_only() {
        for p in [
            "/",
            "/library",
            "/library/abolished",
            "/documents/abc",
            "/documents/abc/print",
            "/interpretations/x",
            "/qa",
            "/qa/12",
            "/units",
            "/units/rsj",
            "/login",
            "/register",
        ] {
            assert!(public(p), "{p}");
        }
        for p in [
            "/me",
            "/me/subscriptions",
            "/staff/drafts",
            "/admin/audit",
            "/consult/new",
            "/consultations",
            "/documents/",
            "/documents/a/b",
            "/api/v1/search",
            "/pkg/zhengce.css",
        ] {
            assert!(!public(p), "{p}");
        }
    }

    fn page(generation: u64, size: usize) -> Arc<Page> {
        Arc::new(Page {
            generation,
            etag: HeaderValue::from_static("\"t\""),
            scripts: InlineScripts::of(""),
            html: Bytes::from(vec![b'x'; size]),
            br: Bytes::new(),
            gzip: Bytes::new(),
        })
    }

    fn store(cache: &PageCache, key: &str, page: Arc<Page>) {
        match cache.claim(key) {
            Claim::Render(turn) => turn.end(Some(page)),
            _ => panic!("{key} was not free to render"),
        }
    }

    #[test]
    fn ten_thousand_addresses_stay_within_the_memory_bound_and_re_renders_never_grow_the_queue() {
        let generation = service::index_sync::Generation::default();
        let cache = PageCache::new(generation);
        // 10,000 distinct addresses of 16 KiB each: 156 MiB asked, 64 MiB kept.
        for n in 0..10_000 {
            store(&cache, &format!("/library?q={n}"), page(0, 16 * 1024));
        }
        let kept = cache.0.pages.lock().expect("lock").kept.bytes();
        assert!(kept <= MAX_BYTES, "{kept} bytes kept");
        let pages = cache.0.pages.lock().expect("lock").kept.len();
        assert!(pages > 1000 && pages < 10_000, "{pages} pages kept");
        // The same page rendered again 10,000 times, each copy out of date at once (as
        // after a publish each time).
        let cache = PageCache::new(service::index_sync::Generation::default());
        for _ in 0..10_000 {
            store(&cache, "/", page(1, 1024));
        }
        let inner = cache.0.pages.lock().expect("lock");
        assert_eq!(inner.kept.len(), 1);
        assert!(
            inner.kept.queued() <= 2 + 64,
            "queue of {}",
            inner.kept.queued()
        );
        assert_eq!(inner.kept.bytes(), 1024);
        assert!(inner.rendering.is_empty());
    }

    #[test]
    fn a_render_dropped_half_way_frees_the_page_for_the_next_request() {
        let cache = PageCache::new(service::index_sync::Generation::default());
        match cache.claim("/qa") {
            Claim::Render(turn) => drop(turn),
            _ => panic!("first claim renders"),
        }
        assert!(matches!(cache.claim("/qa"), Claim::Render(_)));
    }

    #[test]
    fn brotli_is_preferred_and_a_refused_encoding_is_not_chosen() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(v).expect("header value"),
            );
            Encoding::accepted(&h)
        };
        assert_eq!(with("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(with("identity"), Encoding::Identity);
    }
}
