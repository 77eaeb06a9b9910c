//! Interpretations written with a draft (解读与文件"三同步"): drafted with it, screened and
//! reviewed with it at every level, and published with it in the same transaction. A
//! 简明问答's pairs also become Q&A entries of the unit, linked to the document.

use std::collections::HashSet;

use domain::DomainError;
use domain::account::SessionUser;
use domain::file::FileKind;
use domain::interpretation::{
    DraftInterpretation, InterpretationDraft, InterpretationForm, MAX_PER_DRAFT,
};
use domain::qa::{Contact, QaDraft};
use domain::review::DraftWarning;
use domain::screening::Lexicon;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::require_drafter;
use crate::entity::{draft, draft_file, draft_interpretation, interpretation, organization};
use crate::error::{Result, ServiceError};

fn form_of(row: &draft_interpretation::Model) -> Result<InterpretationForm> {
    Ok(InterpretationForm::parse("form", &row.form)?)
}

fn pairs_of(row: &draft_interpretation::Model) -> Result<Vec<(String, String)>> {
    serde_json::from_str(&row.pairs)
        .map_err(|e| ServiceError::Internal(format!("interpretation {} pairs: {e}", row.id)))
}

async fn rows(
    db: &impl ConnectionTrait,
    draft_id: &str,
) -> Result<Vec<draft_interpretation::Model>> {
    Ok(draft_interpretation::Entity::find()
        .filter(draft_interpretation::Column::DraftId.eq(draft_id))
        .order_by_asc(draft_interpretation::Column::Id)
        .all(db)
        .await?)
}

/// The draft's interpretations, as its page shows them.
pub async fn of_draft(
    db: &impl ConnectionTrait,
    draft_id: &str,
) -> Result<Vec<DraftInterpretation>> {
    rows(db, draft_id)
        .await?
        .into_iter()
        .map(|r| {
            Ok(DraftInterpretation {
                form: form_of(&r)?,
                media: r
                    .file_id
                    .map(|f| format!("/api/review/drafts/{}/files/{f}", r.draft_id)),
                id: r.id,
                title: r.title,
                body: r.body,
                alt: r.alt,
                link: r.link,
            })
        })
        .collect()
}

/// The distinct forms a draft's interpretations take.
pub(crate) async fn forms(
    db: &impl ConnectionTrait,
    draft_id: &str,
) -> Result<HashSet<InterpretationForm>> {
    rows(db, draft_id).await?.iter().map(form_of).collect()
}

/// The draft file `id` of this draft, which must be of a kind `fits` accepts.
async fn own_file(
    db: &impl ConnectionTrait,
    draft_id: &str,
    id: i64,
    field: &str,
    fits: impl Fn(FileKind) -> bool,
    what: &str,
) -> Result<()> {
    let file = draft_file::Entity::find_by_id(id)
        .filter(draft_file::Column::DraftId.eq(draft_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::new(field, "请从本草稿的附件中选择文件"))?;
    if FileKind::from_media_type(&file.media_type).is_some_and(fits) {
        Ok(())
    } else {
        Err(DomainError::new(field, format!("“{}”不是{what}", file.name)).into())
    }
}

/// The drafter adds an interpretation to their editable draft; returns its id.
pub async fn add(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    draft_id: &str,
    input: &InterpretationDraft,
) -> Result<i64> {
    let (user, _) = require_drafter(caller)?;
    super::editable(db, user, draft_id).await?;
    let held = draft_interpretation::Entity::find()
        .filter(draft_interpretation::Column::DraftId.eq(draft_id))
        .count(db)
        .await?;
    if held >= MAX_PER_DRAFT as u64 {
        return Err(
            DomainError::new("form", format!("一份文件最多 {MAX_PER_DRAFT} 篇解读")).into(),
        );
    }
    if let Some(f) = input.file {
        match input.form {
            InterpretationForm::Graphic => {
                own_file(db, draft_id, f, "file", FileKind::is_image, "图片").await?;
            }
            _ => {
                own_file(db, draft_id, f, "file", |k| k == FileKind::Mp4, "MP4 视频").await?;
            }
        }
    }
    if let Some(c) = input.caption {
        own_file(
            db,
            draft_id,
            c,
            "caption",
            |k| k == FileKind::Vtt,
            "WEBVTT 字幕",
        )
        .await?;
    }
    let pairs = serde_json::to_string(&input.pairs)
        .map_err(|e| ServiceError::Internal(format!("pairs: {e}")))?;
    let row = draft_interpretation::ActiveModel {
        draft_id: Set(draft_id.to_owned()),
        form: Set(input.form.as_str().to_owned()),
        title: Set(input.title.clone()),
        body: Set(input.body.clone()),
        alt: Set(input.alt.clone()),
        file_id: Set(input.file),
        caption_id: Set(input.caption),
        link: Set(input.link.clone()),
        pairs: Set(pairs),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// The drafter removes an interpretation from their editable draft.
pub async fn remove(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    draft_id: &str,
    id: i64,
) -> Result<()> {
    let (user, _) = require_drafter(caller)?;
    super::editable(db, user, draft_id).await?;
    let gone = draft_interpretation::Entity::delete_many()
        .filter(draft_interpretation::Column::Id.eq(id))
        .filter(draft_interpretation::Column::DraftId.eq(draft_id))
        .exec(db)
        .await?;
    if gone.rows_affected == 0 {
        return Err(ServiceError::NotFound("该解读".to_owned()));
    }
    Ok(())
}

/// Screens every interpretation of the draft: personal data and sensitive words refuse
/// (naming the interpretation), error-prone terms warn.
pub(crate) async fn screen(
    db: &impl ConnectionTrait,
    draft_id: &str,
    words: &[String],
    lexicon: &Lexicon,
) -> Result<Vec<DraftWarning>> {
    let mut warnings = Vec::new();
    for row in rows(db, draft_id).await? {
        let pairs = pairs_of(&row)?;
        let mut texts: Vec<(&str, &str)> = vec![("解读标题", &row.title), ("解读正文", &row.body)];
        if let Some(alt) = &row.alt {
            texts.push(("图片的文字说明", alt));
        }
        for (q, a) in &pairs {
            texts.push(("问答", q));
            texts.push(("问答", a));
        }
        for (label, text) in texts {
            let named = format!("解读《{}》的{label}", row.title);
            domain::screening::check("interpretations", &named, text, words)?;
            warnings.extend(
                lexicon
                    .warnings(text)
                    .into_iter()
                    .map(|warning| DraftWarning {
                        field: named.clone(),
                        warning,
                    }),
            );
        }
    }
    Ok(warnings)
}

/// Publishes the draft's interpretations with its document (inside the publishing
/// transaction): each gets its page, its media the published files' links, and a
/// 简明问答's pairs become the unit's Q&A entries linked to the document.
pub(crate) async fn publish(
    txn: &impl ConnectionTrait,
    reviewer: &SessionUser,
    row: &draft::Model,
    document_id: &str,
) -> Result<()> {
    let items = rows(txn, &row.id).await?;
    if items.is_empty() {
        return Ok(());
    }
    let files: std::collections::HashMap<i64, draft_file::Model> = draft_file::Entity::find()
        .filter(draft_file::Column::DraftId.eq(row.id.as_str()))
        .all(txn)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let url = |id: Option<i64>| {
        id.and_then(|id| files.get(&id))
            .map(|f| format!("/files/{}/{}", f.sha256, domain::text::url_encode(&f.name)))
    };
    let unit = organization::Entity::find_by_id(row.org_id)
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::Internal(format!("draft {}: no unit", row.id)))?;
    let today = crate::clock::city_date(chrono::Utc::now());
    // Q&A entries belong to the drafting unit, whoever gave the last approval.
    let as_unit = SessionUser {
        org_id: Some(i64::from(row.org_id)),
        ..reviewer.clone()
    };
    // One base id, numbered in the draft's order (at most nine), so they list in that order.
    let base = crate::lookup::new_id("jd");
    for (n, item) in items.into_iter().enumerate() {
        let form = form_of(&item)?;
        interpretation::ActiveModel {
            id: Set(format!("{base}-{}", n + 1)),
            document_id: Set(document_id.to_owned()),
            title: Set(item.title.clone()),
            form: Set(form.as_str().to_owned()),
            org_id: Set(Some(row.org_id)),
            published_on: Set(Some(today.clone())),
            body: Set(item.body.clone()),
            media_url: Set(url(item.file_id).or_else(|| item.link.clone())),
            alt: Set(item.alt.clone()),
            caption_url: Set(url(item.caption_id)),
        }
        .insert(txn)
        .await?;
        for (question, answer) in pairs_of(&item)? {
            let entry = QaDraft {
                question,
                answer,
                document_id: Some(document_id.to_owned()),
                topic: row.topic.clone(),
                contact: Contact {
                    section: unit.name.clone(),
                    phone: unit.phone.clone().unwrap_or_else(|| "12345".to_owned()),
                },
                department: None,
            };
            crate::qa::store(txn, &as_unit, &entry, crate::qa::Stored::Proactive).await?;
        }
    }
    Ok(())
}
