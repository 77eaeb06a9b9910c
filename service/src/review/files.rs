//! A draft's files: attachments, one of which may be the official text (正式文本), and the
//! images and videos of its interpretations. Uploaded by the drafter while the draft is
//! editable, told by their content, named without personal data or sensitive words, kept
//! in the file store, and published with the document.

use domain::DomainError;
use domain::account::SessionUser;
use domain::file::{FileKind, FileView, MAX_FILE_BYTES, clean_name, sniff};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::{require_drafter, visible};
use crate::entity::{attachment, draft_file};
use crate::error::{Result, ServiceError};
use crate::files::FileStore;

/// Most files one draft holds.
pub const MAX_FILES_PER_DRAFT: u64 = 20;

fn view(draft_id: &str, f: draft_file::Model) -> FileView {
    FileView {
        href: format!("/api/review/drafts/{draft_id}/files/{}", f.id),
        id: f.id,
        name: f.name,
        media_type: f.media_type,
        size: u64::try_from(f.size).unwrap_or(0),
        official: f.official,
    }
}

/// The draft's files, in the order they came.
pub async fn of_draft(db: &impl ConnectionTrait, draft_id: &str) -> Result<Vec<FileView>> {
    Ok(draft_file::Entity::find()
        .filter(draft_file::Column::DraftId.eq(draft_id))
        .order_by_asc(draft_file::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|f| view(draft_id, f))
        .collect())
}

/// The drafter uploads `bytes` as `name`; `official` marks it the official text (a
/// document format only), replacing any earlier one.
pub async fn attach(
    db: &DatabaseConnection,
    store: &FileStore,
    caller: Option<&SessionUser>,
    draft_id: &str,
    name: &str,
    bytes: &[u8],
    official: bool,
) -> Result<FileView> {
    let (user, _) = require_drafter(caller)?;
    super::editable(db, user, draft_id).await?;
    let name = clean_name(name)?;
    let words = crate::screening::sensitive_words(db).await?;
    domain::screening::check("file", "文件名", &name, &words)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ServiceError::TooLarge(format!(
            "文件超过 {} MB，请压缩或拆分后再上传",
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    let kind = sniff(bytes, &name)?;
    if official && (kind.is_image() || matches!(kind, FileKind::Mp4 | FileKind::Vtt)) {
        return Err(ServiceError::Invalid(DomainError::new(
            "official",
            "正式文本应为 PDF、OFD、Word 或 WPS 文件",
        )));
    }
    let held = draft_file::Entity::find()
        .filter(draft_file::Column::DraftId.eq(draft_id))
        .count(db)
        .await?;
    if held >= MAX_FILES_PER_DRAFT {
        return Err(ServiceError::Invalid(DomainError::new(
            "file",
            format!("一份草稿最多 {MAX_FILES_PER_DRAFT} 个附件"),
        )));
    }
    let sha = store.put(bytes).await?;
    let txn = crate::db::write(db).await?;
    if official {
        draft_file::Entity::update_many()
            .col_expr(draft_file::Column::Official, Expr::value(false))
            .filter(draft_file::Column::DraftId.eq(draft_id))
            .exec(&txn)
            .await?;
    }
    let row = draft_file::ActiveModel {
        draft_id: Set(draft_id.to_owned()),
        name: Set(name),
        sha256: Set(sha),
        media_type: Set(kind.media_type().to_owned()),
        size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        official: Set(official),
        created_at: Set(chrono::Utc::now().to_rfc3339()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(view(draft_id, row))
}

/// The drafter removes a file from an editable draft.
pub async fn detach(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    draft_id: &str,
    file_id: i64,
) -> Result<()> {
    let (user, _) = require_drafter(caller)?;
    super::editable(db, user, draft_id).await?;
    let gone = draft_file::Entity::delete_many()
        .filter(draft_file::Column::Id.eq(file_id))
        .filter(draft_file::Column::DraftId.eq(draft_id))
        .exec(db)
        .await?;
    if gone.rows_affected == 0 {
        return Err(ServiceError::NotFound("该附件".to_owned()));
    }
    Ok(())
}

/// A draft's file, for whoever may see the draft: (name, media type, hash).
pub async fn file(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
    draft_id: &str,
    file_id: i64,
) -> Result<draft_file::Model> {
    let user = crate::account::require_user(caller)?;
    visible(db, user, draft_id).await?;
    draft_file::Entity::find_by_id(file_id)
        .filter(draft_file::Column::DraftId.eq(draft_id))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound("该附件".to_owned()))
}

/// Copies the draft's files to the published document (inside the publishing transaction).
pub(crate) async fn publish(
    txn: &impl ConnectionTrait,
    draft_id: &str,
    document_id: &str,
) -> Result<()> {
    let rows = draft_file::Entity::find()
        .filter(draft_file::Column::DraftId.eq(draft_id))
        .order_by_asc(draft_file::Column::Id)
        .all(txn)
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    // A revision's new official text replaces the one before.
    if rows.iter().any(|f| f.official) {
        attachment::Entity::update_many()
            .col_expr(attachment::Column::Official, Expr::value(false))
            .filter(attachment::Column::DocumentId.eq(document_id))
            .exec(txn)
            .await?;
    }
    let models = rows.into_iter().map(|f| attachment::ActiveModel {
        document_id: Set(document_id.to_owned()),
        url: Set(format!(
            "/files/{}/{}",
            f.sha256,
            domain::text::url_encode(&f.name)
        )),
        name: Set(f.name),
        media_type: Set(Some(f.media_type)),
        size: Set(Some(f.size)),
        sha256: Set(Some(f.sha256)),
        official: Set(f.official),
        ..Default::default()
    });
    attachment::Entity::insert_many(models)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}
