//! The JSON API (`/api/v1`): the same parsing and use-cases as the pages, stable shapes.

use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use domain::library::LibraryQuery;
use domain::qa::QaQuery;
use service::library;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .route("/documents/{id}", get(document))
        .route("/qa", get(qa))
}

async fn search(State(state): State<AppState>, RawQuery(qs): RawQuery) -> Response {
    let query = match LibraryQuery::parse_query_string(qs.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return error(AppError::from(e)),
    };
    match library::search(&state.db, &state.index, &query).await {
        Ok(page) => Json(page).into_response(),
        Err(e) => error(e.into()),
    }
}

async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match library::document(&state.db, &state.index, &id).await {
        Ok(d) => Json(d).into_response(),
        Err(e) => error(e.into()),
    }
}

/// The knowledge base, with the parameters of `/qa` (`q`, `department`, `topic`, `page`).
async fn qa(State(state): State<AppState>, RawQuery(qs): RawQuery) -> Response {
    let query = match QaQuery::parse_query_string(qs.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return error(AppError::from(e)),
    };
    match service::qa::search(&state.db, &state.qa, &query).await {
        Ok(page) => Json(page).into_response(),
        Err(e) => error(e.into()),
    }
}

/// `{"error": "…"}` (plus `field` for a bad parameter) with the error's status.
pub fn error(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = match &e {
        AppError::BadRequest { field, message } => {
            serde_json::json!({ "error": message, "field": field })
        }
        other => serde_json::json!({ "error": other.to_string() }),
    };
    (status, Json(body)).into_response()
}
