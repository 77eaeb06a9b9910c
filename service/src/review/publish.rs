//! Publishing an approved draft: the document, its facets and the outbox event commit in
//! the transaction of the last approval, so a crash loses none of them and a rolled-back
//! approval tells nobody.

use domain::account::SessionUser;
use domain::audit::AuditAction;
use domain::feed::FeedKind;
use domain::library::{Facet, Validity};
use domain::review::{Draft, DraftKind};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::audit::{self, Subject};
use crate::entity::{document, document_facet, draft, organization};
use crate::error::{Result, ServiceError};
use crate::library::PUBLISHED;
use crate::lookup::new_id;
use crate::outbox::{self, Event};

/// Publishes an approved draft (inside the last approval's transaction): a new document
/// with its files and interpretations, or its change to a published one; returns the
/// document's id.
pub(super) async fn publish(
    txn: &impl ConnectionTrait,
    reviewer: &SessionUser,
    row: &draft::Model,
) -> Result<String> {
    if super::kind_of(row)? != DraftKind::New {
        return super::lifecycle::apply(txn, reviewer, row).await;
    }
    let issuer = organization::Entity::find_by_id(row.org_id)
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::Internal(format!("draft {}: no organization", row.id)))?;
    let doc = store(txn, &issuer, &super::content(row)?).await?;
    super::files::publish(txn, &row.id, &doc).await?;
    super::interpretations::publish(txn, reviewer, row, &doc).await?;
    audit::record(
        txn,
        reviewer,
        AuditAction::Publish,
        Subject::Document(doc.clone()),
        Some(row.title.clone()),
    )
    .await?;
    outbox::record(
        txn,
        &[Event::document(FeedKind::NewDocument, doc.clone(), None)],
    )
    .await?;
    Ok(doc)
}

/// A drafted body as the library keeps it: plain text (for search, snippets and feeds) and
/// the structured HTML, sanitized once more, for the page and print.
pub fn render(source: &str) -> (String, String) {
    let tags = [
        "h2", "h3", "p", "ol", "ul", "li", "table", "thead", "tbody", "tr", "th", "td",
    ];
    let html = ammonia::Builder::default()
        .tags(tags.into_iter().collect())
        .clean(&domain::body::to_html(source))
        .to_string();
    (domain::body::to_plain(source), html)
}

/// Writes the document and its facets for `issuer` (inside the caller's transaction);
/// returns the new document's id.
pub async fn store(
    txn: &impl ConnectionTrait,
    issuer: &organization::Model,
    draft: &Draft,
) -> Result<String> {
    let now = chrono::Utc::now();
    let id = new_id("zc");
    let today = crate::clock::city_date(now);
    let (body, body_html) = render(&draft.body);
    document::ActiveModel {
        id: Set(id.clone()),
        index_no: Set(draft.index_no.clone()),
        title: Set(draft.title.clone()),
        doc_number: Set(draft.doc_number.as_ref().map(|n| n.as_str().to_owned())),
        doc_number_key: Set(draft.doc_number.as_ref().map(|n| n.as_str().to_owned())),
        issuer_id: Set(Some(issuer.id)),
        level: Set(issuer.level.clone()),
        doc_type: Set(draft.doc_type.as_str().to_owned()),
        written_on: Set(Some(today.clone())),
        published_on: Set(Some(today)),
        effective_on: Set(None),
        validity: Set(Validity::InForce.as_str().to_owned()),
        validity_changed_on: Set(None),
        replaced_by: Set(None),
        body: Set(body),
        body_html: Set(Some(body_html)),
        source_url: Set(None),
        status: Set(PUBLISHED.to_owned()),
        created_at: Set(now.to_rfc3339()),
        updated_at: Set(now.to_rfc3339()),
        withdrawn_on: Set(None),
        withdrawal_reason: Set(None),
    }
    .insert(txn)
    .await?;
    let facets: Vec<document_facet::ActiveModel> = [
        (Facet::Topic, &draft.topic),
        (Facet::Audience, &draft.audience),
        (Facet::Category, &draft.category),
    ]
    .into_iter()
    .filter_map(|(f, v)| {
        v.as_ref().map(|v| document_facet::ActiveModel {
            document_id: Set(id.clone()),
            facet: Set(f.param().to_owned()),
            value: Set(v.clone()),
        })
    })
    .collect();
    if !facets.is_empty() {
        document_facet::Entity::insert_many(facets)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(id)
}
