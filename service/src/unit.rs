//! The city's units on one back end, each with a front page of its own: counts for
//! `/units` (a few grouped reads, whatever the number of units) and a unit's section.

use std::collections::HashMap;
use std::sync::Arc;

use domain::library::{DocType, Facet, LibraryQuery, Validity};
use domain::qa::QaQuery;
use domain::unit::{InterpretationLink, LEVELS, UnitDetail, UnitGroup, UnitSummary};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{consultation, document, interpretation, organization, qa_entry};
use crate::error::{Result, ServiceError};
use crate::library::{PUBLISHED, SearchIndex};
use crate::qa::QaIndex;

/// Most entries of each kind a unit's page shows.
pub const SECTION_ITEMS: usize = 10;

/// Counts per organization id from `(org, n)` rows.
fn counts(rows: Vec<(Option<i32>, i64)>) -> HashMap<i32, u64> {
    rows.into_iter()
        .filter_map(|(org, n)| Some((org?, u64::try_from(n).unwrap_or(0))))
        .collect()
}

/// Every unit of the city (those of a known level), with what it published.
async fn summaries(db: &impl ConnectionTrait) -> Result<Vec<UnitSummary>> {
    let orgs = organization::Entity::find()
        .order_by_asc(organization::Column::Id)
        .all(db)
        .await?;
    // Documents by issuer and level: the counts, and a level for units that have none.
    let by_level: Vec<(Option<i32>, Option<String>, i64)> = document::Entity::find()
        .select_only()
        .column(document::Column::IssuerId)
        .column(document::Column::Level)
        .column_as(Expr::col(document::Column::Id).count(), "n")
        .filter(document::Column::Status.eq(PUBLISHED))
        .group_by(document::Column::IssuerId)
        .group_by(document::Column::Level)
        .into_tuple()
        .all(db)
        .await?;
    let mut documents: HashMap<i32, u64> = HashMap::new();
    let mut usual_level: HashMap<i32, (String, i64)> = HashMap::new();
    for (org, level, n) in by_level {
        let Some(org) = org else { continue };
        *documents.entry(org).or_default() += u64::try_from(n).unwrap_or(0);
        if let Some(level) = level {
            let best = usual_level.entry(org).or_insert((level.clone(), 0));
            if n > best.1 {
                *best = (level, n);
            }
        }
    }
    let interpretations = counts(
        interpretation::Entity::find()
            .select_only()
            .column(interpretation::Column::OrgId)
            .column_as(Expr::col(interpretation::Column::Id).count(), "n")
            .group_by(interpretation::Column::OrgId)
            .into_tuple()
            .all(db)
            .await?,
    );
    let awaiting = counts(
        document::Entity::find()
            .select_only()
            .column(document::Column::IssuerId)
            .column_as(Expr::col(document::Column::Id).count(), "n")
            .filter(document::Column::Status.eq(PUBLISHED))
            .filter(document::Column::DocType.eq(DocType::Normative.as_str()))
            .filter(
                document::Column::Validity
                    .is_not_in([Validity::Abolished.as_str(), Validity::Expired.as_str()]),
            )
            .filter(
                document::Column::Id.not_in_subquery(
                    Query::select()
                        .column(interpretation::Column::DocumentId)
                        .from(interpretation::Entity)
                        .to_owned(),
                ),
            )
            .group_by(document::Column::IssuerId)
            .into_tuple()
            .all(db)
            .await?,
    );
    let qa = counts(
        qa_entry::Entity::find()
            .select_only()
            .column(qa_entry::Column::OrgId)
            .column_as(Expr::col(qa_entry::Column::Id).count(), "n")
            .group_by(qa_entry::Column::OrgId)
            .into_tuple()
            .all(db)
            .await?,
    );
    let answered = counts(
        consultation::Entity::find()
            .select_only()
            .column(consultation::Column::OrgId)
            .column_as(Expr::col(consultation::Column::Id).count(), "n")
            .filter(consultation::Column::Public.eq(true))
            .filter(consultation::Column::Status.is_in(crate::consult::answered_statuses()))
            .group_by(consultation::Column::OrgId)
            .into_tuple()
            .all(db)
            .await?,
    );
    Ok(orgs
        .into_iter()
        .filter_map(|o| {
            let level = o
                .level
                .clone()
                .or_else(|| usual_level.get(&o.id).map(|(l, _)| l.clone()))?;
            LEVELS.contains(&level.as_str()).then(|| UnitSummary {
                documents: documents.get(&o.id).copied().unwrap_or(0),
                interpretations: interpretations.get(&o.id).copied().unwrap_or(0),
                awaiting_interpretation: awaiting.get(&o.id).copied().unwrap_or(0),
                qa: qa.get(&o.id).copied().unwrap_or(0),
                answered: answered.get(&o.id).copied().unwrap_or(0),
                id: o.id,
                name: o.name,
                level: Some(level),
                phone: o.phone,
            })
        })
        .collect())
}

/// `/units`: the city's units by level (市本级, 市直部门, 县市区).
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<UnitGroup>> {
    let units = summaries(db).await?;
    Ok(LEVELS
        .iter()
        .map(|level| UnitGroup {
            level: (*level).to_owned(),
            units: units
                .iter()
                .filter(|u| u.level.as_deref() == Some(level))
                .cloned()
                .collect(),
        })
        .filter(|g| !g.units.is_empty())
        .collect())
}

/// `/units/{id}`: the unit, its newest documents and interpretations, its Q&A and the
/// consultations it answered publicly.
pub async fn detail(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
    qa_index: &Arc<QaIndex>,
    id: i32,
) -> Result<UnitDetail> {
    let unit = summaries(db)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| ServiceError::NotFound("该单位".to_owned()))?;
    let query = LibraryQuery::parse([
        (Facet::Issuer.param(), unit.name.as_str()),
        ("sort", "date"),
    ])?;
    let mut documents = crate::library::search(db, index, &query).await?.hits;
    documents.truncate(SECTION_ITEMS);
    let rows = interpretation::Entity::find()
        .filter(interpretation::Column::OrgId.eq(id))
        .order_by_desc(interpretation::Column::PublishedOn)
        .limit(SECTION_ITEMS as u64)
        .all(db)
        .await?;
    let interpretations = rows
        .into_iter()
        .map(|r| InterpretationLink {
            href: format!("/interpretations/{}", r.id),
            id: r.id,
            title: r.title,
            form: r.form,
            published_date: r.published_on,
            document_id: r.document_id,
        })
        .collect();
    let qa_query = QaQuery::parse([("department", unit.name.as_str())])?;
    let mut qa = crate::qa::search(db, qa_index, &qa_query).await?.hits;
    qa.truncate(SECTION_ITEMS);
    let consultations = crate::consult::public_of_unit(db, id, SECTION_ITEMS as u64).await?;
    Ok(UnitDetail {
        unit,
        documents,
        interpretations,
        qa,
        consultations,
    })
}
