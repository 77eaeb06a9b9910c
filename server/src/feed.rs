//! The feed over plain HTTP: `GET /api/v1/feed` (JSON) and `GET /api/v1/feed/stream`
//! (Server-Sent Events). The stream is a view of the caller's feed items: it sends every
//! item after the last one the browser saw (`Last-Event-ID`, or `?after=` on the first
//! connection) from the database, then takes new ones from the hub's batches, which cover
//! every id in order; after a gap it reads the database again. Nothing is lost on a
//! dropped connection and nothing is sent twice. A stream belongs to its session: it ends
//! within seconds of a sign-out anywhere, an expiry or an idle timeout, and an account
//! holds at most five (a sixth closes the oldest).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use app::account::server::{session_token, user_from_headers};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use domain::account::SessionUser;
use domain::feed::FeedItemView;
use serde::Deserialize;
use service::feed::live::{Batch, Connection};
use tokio::sync::broadcast::error::RecvError;

use crate::api::error;

/// Items sent per database read.
const BATCH: u64 = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feed", get(page))
        .route("/feed/stream", get(stream))
}

async fn caller(state: &AppState, headers: &HeaderMap) -> Result<SessionUser, Response> {
    match user_from_headers(state, headers).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(error(AppError::Unauthorized)),
        Err(e) => Err(error(e)),
    }
}

#[derive(Deserialize)]
struct PageParams {
    before: Option<i64>,
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<PageParams>,
) -> Response {
    let user = match caller(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match service::feed::page(&state.db, &user, params.before).await {
        Ok(p) => Json(p).into_response(),
        Err(e) => error(e.into()),
    }
}

#[derive(Deserialize)]
struct StreamParams {
    after: Option<i64>,
}

struct Cursor {
    state: AppState,
    user_id: i64,
    /// Last item sent.
    last: i64,
    /// Everything up to this feed item id is known to this stream (read or received).
    synced: i64,
    queue: VecDeque<FeedItemView>,
    batches: tokio::sync::broadcast::Receiver<std::sync::Arc<Batch>>,
    /// Says when the stream must end: its session ended, or the account opened more.
    connection: Connection,
    /// Read the database before waiting (at the start, and after a missed batch).
    look: bool,
    /// Whether the `: ready` comment (caught up, now live) went out.
    ready: bool,
}

async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<StreamParams>,
) -> Response {
    let user = match caller(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    // A reconnecting browser says what it saw last; a first connection says what the page
    // showed; otherwise start from now.
    let resumed = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let last = match resumed.or(params.after) {
        Some(id) => id,
        None => match service::feed::last_item(&state.db, Some(user.id)).await {
            Ok(id) => id,
            Err(e) => return error(e.into()),
        },
    };
    // `caller` found a session, so the cookie is there.
    let session = session_token(&headers, state.secure_cookies)
        .map(|t| service::account::token_hash(&t))
        .unwrap_or_default();
    let (batches, connection) = state.hub.connect(user.id, &session);
    let cursor = Cursor {
        batches,
        connection,
        state,
        user_id: user.id,
        last,
        synced: 0,
        queue: VecDeque::new(),
        look: true,
        ready: false,
    };
    let events = futures_util::stream::unfold(cursor, |mut c| async move {
        loop {
            if let Some(item) = c.queue.pop_front() {
                if item.id <= c.last {
                    continue;
                }
                c.last = item.id;
                let event = Event::default()
                    .id(item.id.to_string())
                    .event("item")
                    .json_data(&item)
                    .unwrap_or_else(|_| Event::default().comment("unencodable item"));
                return Some((Ok::<_, Infallible>(event), c));
            }
            if c.look {
                // What the hub has announced so far is in the database now.
                let seen = c.state.hub.seen();
                match service::feed::items_after(&c.state.db, c.user_id, c.last, BATCH).await {
                    Ok(items) => {
                        // A full page may have more behind it.
                        c.look = items.len() as u64 == BATCH;
                        if !c.look {
                            c.synced = seen;
                        }
                        c.queue.extend(items);
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "feed stream read failed");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                }
            }
            if !c.ready {
                // Tells clients (and load tests) the backlog is sent and the stream is live.
                c.ready = true;
                return Some((Ok(Event::default().comment("ready")), c));
            }
            let next = tokio::select! {
                // The session ended (or the account has too many streams): the stream
                // ends, and the browser's reconnect meets a 401.
                () = c.connection.closed() => return None,
                next = c.batches.recv() => next,
            };
            match next {
                // The next batch in the chain: take this user's items from it.
                Ok(batch) if batch.from <= c.synced => {
                    c.synced = c.synced.max(batch.to);
                    if let Some(items) = batch.items.get(&c.user_id) {
                        c.queue.extend(items.iter().cloned());
                    }
                }
                // A gap (a batch missed): the database knows what was in it.
                Ok(_) | Err(RecvError::Lagged(_)) => c.look = true,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// After a write that succeeded (any state-changing request not refused), the dispatcher
/// looks at the outbox now rather than at its next tick: whatever the request recorded is
/// delivered and indexed at once, without each use-case having to remember to say so.
pub async fn wake_after_writes(
    State(hub): State<std::sync::Arc<service::feed::live::Hub>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let writes = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let res = next.run(req).await;
    if writes && !(res.status().is_client_error() || res.status().is_server_error()) {
        hub.poke();
    }
    res
}
