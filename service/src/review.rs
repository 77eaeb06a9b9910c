//! Publishing documents. The document, its facets and the outbox event commit in one
//! transaction: a crash loses neither, and a rolled-back publish tells nobody.

use domain::account::SessionUser;
use domain::feed::FeedKind;
use domain::library::{Facet, Validity};
use domain::review::Draft;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::account::require_publisher;
use crate::audit;
use crate::entity::{document, document_facet, organization};
use crate::error::{Result, ServiceError};
use crate::library::PUBLISHED;
use crate::lookup::new_id;
use crate::outbox::{self, Event};
use domain::audit::AuditAction;

/// Publishes a checked draft as the caller (staff for their organization, or an admin
/// naming the issuer) once its title and body pass screening (personal data, sensitive
/// words); returns the new document's id. Every process's dispatcher delivers
/// it to subscribers and indexes it from its outbox event.
pub async fn publish(
    db: &DatabaseConnection,
    caller: Option<&SessionUser>,
    draft: &Draft,
) -> Result<String> {
    let user = require_publisher(caller)?;
    // Nothing with personal data or a sensitive word is published: refused with where.
    let words = crate::screening::sensitive_words(db).await?;
    domain::screening::check("title", "标题", &draft.title, &words)?;
    domain::screening::check("body", "正文", &draft.body, &words)?;
    let txn = crate::db::write(db).await?;
    let id = store(&txn, user, draft).await?;
    audit::record(
        &txn,
        user,
        AuditAction::Publish,
        audit::Subject::Document(id.clone()),
        Some(draft.title.clone()),
    )
    .await?;
    outbox::record(
        &txn,
        &[Event::document(FeedKind::NewDocument, id.clone(), None)],
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Writes the document and its facets (inside the caller's transaction).
pub async fn store(
    txn: &impl ConnectionTrait,
    user: &SessionUser,
    draft: &Draft,
) -> Result<String> {
    let issuer_id = match (user.org_id, &draft.issuer) {
        (Some(org), _) => Some(org as i32),
        (None, Some(name)) => Some(
            organization::Entity::find()
                .filter(organization::Column::Name.eq(name.as_str()))
                .one(txn)
                .await?
                .ok_or_else(|| {
                    ServiceError::Invalid(domain::DomainError::new(
                        "issuer",
                        format!("没有“{name}”这个发布机构，请从列表中选择"),
                    ))
                })?
                .id,
        ),
        (None, None) => None,
    };
    let now = chrono::Utc::now();
    let id = new_id("zc");
    let today = crate::clock::city_date(now);
    document::ActiveModel {
        id: Set(id.clone()),
        index_no: Set(None),
        title: Set(draft.title.clone()),
        doc_number: Set(draft.doc_number.as_ref().map(|n| n.as_str().to_owned())),
        doc_number_key: Set(draft.doc_number.as_ref().map(|n| n.as_str().to_owned())),
        issuer_id: Set(issuer_id),
        level: Set(None),
        doc_type: Set(draft.doc_type.as_str().to_owned()),
        written_on: Set(Some(today.clone())),
        published_on: Set(Some(today)),
        effective_on: Set(None),
        validity: Set(Validity::InForce.as_str().to_owned()),
        validity_changed_on: Set(None),
        replaced_by: Set(None),
        body: Set(draft.body.clone()),
        source_url: Set(None),
        status: Set(PUBLISHED.to_owned()),
        created_at: Set(now.to_rfc3339()),
        updated_at: Set(now.to_rfc3339()),
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
