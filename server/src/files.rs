//! Files over HTTP: uploading to a draft (multipart, up to 50 MB, told by content), a
//! draft's files for those who may see the draft, and published documents' files for
//! everyone, each with its type and `Content-Disposition`.

use app::error::AppError;
use app::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::file::{FileKind, FileView};

use crate::security::MAX_UPLOAD;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/review/drafts/{id}/files",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/api/review/drafts/{id}/files/{file}", get(draft_file))
        .route("/files/{sha}/{name}", get(published_file))
}

fn bad(field: &str, message: &str) -> AppError {
    AppError::BadRequest {
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

/// `multipart/form-data` with `file` and, optionally, `official`. A browser's form is sent
/// back to the draft (303), or shown what to fix on a page with the error's status; a
/// script gets the file, or the error, as JSON.
async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let wants_page = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    match receive(&state, &id, &headers, form).await {
        Ok(_) if wants_page => Redirect::to(&format!("/staff/drafts/{id}")).into_response(),
        Ok(saved) => axum::Json(saved).into_response(),
        Err(e) if wants_page => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let page = format!(
                "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                 <title>上传未成功 - 芜湖市政策文件库</title></head><body><main>\
                 <h1>上传未成功</h1><p role=\"alert\">{}</p>\
                 <p><a href=\"/staff/drafts/{}\">返回草稿</a></p></main></body></html>",
                domain::text::escape_html(&e.to_string()),
                domain::text::url_encode(&id)
            );
            (status, axum::response::Html(page)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

async fn receive(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    mut form: Multipart,
) -> Result<FileView, AppError> {
    let caller = app::account::server::user_from_headers(state, headers).await?;
    // The role first: a citizen learns nothing from the form's errors.
    service::review::require_drafter(caller.as_ref())?;
    let (mut file, mut official) = (None, false);
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| bad("file", "上传的内容格式不正确，请从页面重新上传"))?
    {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|_| {
                    AppError::TooLarge(format!(
                        "文件超过 {} MB，请压缩或拆分后再上传",
                        domain::file::MAX_FILE_BYTES / 1024 / 1024
                    ))
                })?;
                file = Some((name, bytes));
            }
            Some("official") => official = true,
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| bad("file", "请选择要上传的文件"))?;
    Ok(service::review::files::attach(
        &state.db,
        &state.files,
        caller.as_ref(),
        id,
        &name,
        &bytes,
        official,
    )
    .await?)
}

/// The bytes of a stored file, typed, named and (for content never rewritten) cached.
async fn serve(
    state: &AppState,
    sha: &str,
    name: &str,
    media_type: &str,
    public: bool,
) -> Result<Response, AppError> {
    let bytes = state.files.read(sha).await?;
    let kind = FileKind::from_media_type(media_type);
    let disposition = if kind.is_some_and(FileKind::inline) {
        "inline"
    } else {
        "attachment"
    };
    let value = format!(
        "{disposition}; filename*=UTF-8''{}",
        domain::text::url_encode(name)
    );
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if public {
            "public, max-age=31536000, immutable"
        } else {
            "private, no-store"
        }),
    );
    Ok(res)
}

async fn draft_file(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let caller = app::account::server::user_from_headers(&state, &headers).await?;
    let file = file
        .parse()
        .map_err(|_| AppError::from(service::ServiceError::NotFound("该附件".to_owned())))?;
    let f = service::review::files::file(&state.db, caller.as_ref(), &id, file).await?;
    serve(&state, &f.sha256, &f.name, &f.media_type, false).await
}

async fn published_file(
    State(state): State<AppState>,
    Path((sha, name)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let a = service::library::published_file(&state.db, &sha).await?;
    // The name in the link is the one it was published under; any other is not found.
    if a.name != name {
        return Err(service::ServiceError::NotFound("该附件".to_owned()).into());
    }
    let media_type = a.media_type.unwrap_or_default();
    serve(&state, &sha, &a.name, &media_type, true).await
}
