//! The JSON API (`/api/v1`): the same parsing and use-cases as the pages, stable shapes.

use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, RawQuery, State};
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

async fn search(
    State(state): State<AppState>,
    RawQuery(qs): RawQuery,
) -> Result<Json<domain::library::SearchPage>, AppError> {
    let query = LibraryQuery::parse_query_string(qs.as_deref().unwrap_or(""))?;
    Ok(Json(
        library::search(&state.db, &state.index, &query).await?,
    ))
}

async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<domain::library::DocumentDetail>, AppError> {
    Ok(Json(library::document(&state.db, &state.index, &id).await?))
}

/// The knowledge base, with the parameters of `/qa` (`q`, `department`, `topic`, `page`).
async fn qa(
    State(state): State<AppState>,
    RawQuery(qs): RawQuery,
) -> Result<Json<domain::qa::QaPage>, AppError> {
    let query = QaQuery::parse_query_string(qs.as_deref().unwrap_or(""))?;
    Ok(Json(
        service::qa::search(&state.db, &state.qa, &query).await?,
    ))
}

/// The JSON answer for an error (see `AppError`'s `IntoResponse`).
pub fn error(e: AppError) -> Response {
    e.into_response()
}
