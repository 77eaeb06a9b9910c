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
        .route("/units", get(units))
        .route("/units/{id}", get(unit))
}

/// The city's units by level, with counts.
async fn units(
    State(state): State<AppState>,
) -> Result<Json<Vec<domain::unit::UnitGroup>>, AppError> {
    Ok(Json(service::unit::list(&state.db).await?))
}

/// One unit's section; an id that is not a unit's is 404 like any missing one.
async fn unit(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<domain::unit::UnitDetail>, AppError> {
    let id = id
        .parse()
        .map_err(|_| AppError::from(service::ServiceError::NotFound("该单位".to_owned())))?;
    Ok(Json(
        service::unit::detail(&state.db, &state.index, &state.qa, id).await?,
    ))
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
) -> Result<Json<std::sync::Arc<domain::library::DocumentDetail>>, AppError> {
    Ok(Json(
        state
            .documents
            .document(&state.db, &state.index, &id)
            .await?,
    ))
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
