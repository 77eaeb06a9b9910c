//! "The policy finds the person": subscriptions, the outbox of publishing events, matching
//! events to subscriptions through the inverted index, and the personal-center feed.
//!
//! The feed is a table, not a channel: delivery writes `feed_items`, and live streams are
//! views of it (everything after the last id a browser has seen), so nothing is lost when a
//! connection drops and nothing is sent twice.

pub mod live;

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use domain::DomainError;
use domain::account::SessionUser;
use domain::feed::{
    FEED_PAGE, FeedItemView, FeedKind, FeedPage, MAX_SUBSCRIPTIONS, SUBSCRIBABLE, SubscriptionSpec,
    SubscriptionView,
};
use domain::library::{DocType, Facet};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use crate::clock::city_time;
use crate::entity::{
    consultation, document, document_facet, feed_item, organization, outbox, qa_entry,
    subscription, subscription_term,
};
use crate::error::{Result, ServiceError};
use crate::library::{self, PUBLISHED};
use crate::outbox::{self as queue, Subject, subject_of};

/// How far the header counts a user's unread items (it shows "99+" beyond 99): the count
/// reads this many index entries at most.
pub const UNREAD_COUNTED: u64 = 100;

/// The `facet` of a keyword in the inverted index.
const KEYWORD: &str = "keyword";

/// Checks that every value a subscription names exists in the library.
async fn check_values(db: &impl ConnectionTrait, spec: &SubscriptionSpec) -> Result<()> {
    for (facet, value) in &spec.terms {
        let known = match facet {
            Facet::Type => DocType::ALL.iter().any(|t| t.as_str() == value),
            Facet::Issuer => {
                organization::Entity::find()
                    .filter(organization::Column::Name.eq(value.as_str()))
                    .count(db)
                    .await?
                    > 0
            }
            _ => {
                document_facet::Entity::find()
                    .filter(document_facet::Column::Facet.eq(facet.param()))
                    .filter(document_facet::Column::Value.eq(value.as_str()))
                    .count(db)
                    .await?
                    > 0
            }
        };
        if !known {
            return Err(DomainError::new(
                facet.param(),
                format!("没有“{value}”这个{}，请从列表中选择", facet.label()),
            )
            .into());
        }
    }
    Ok(())
}

fn to_view(s: &subscription::Model, spec_href: String, delivered: i64) -> SubscriptionView {
    SubscriptionView {
        id: s.id,
        label: s.label.clone(),
        paused: s.paused,
        delivered,
        href: spec_href,
        created_on: city_time(&s.created_at)
            .get(..10)
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Subscribes the caller; the same subscription twice is refused.
pub async fn subscribe(
    db: &DatabaseConnection,
    user: &SessionUser,
    spec: &SubscriptionSpec,
) -> Result<SubscriptionView> {
    check_values(db, spec).await?;
    let label = spec.label();
    let txn = crate::db::write(db).await?;
    let mine = subscription::Entity::find()
        .filter(subscription::Column::UserId.eq(user.id))
        .all(&txn)
        .await?;
    if mine.iter().any(|s| s.label == label) {
        return Err(ServiceError::Conflict(format!("您已订阅过：{label}")));
    }
    if mine.len() >= MAX_SUBSCRIPTIONS {
        return Err(DomainError::new(
            "subscription",
            format!("最多可订阅 {MAX_SUBSCRIPTIONS} 项，请先删除不再需要的订阅"),
        )
        .into());
    }
    let mut terms: Vec<(String, String)> = spec
        .terms
        .iter()
        .map(|(f, v)| (f.param().to_owned(), v.clone()))
        .collect();
    if let Some(k) = &spec.keyword {
        terms.push((KEYWORD.to_owned(), k.clone()));
    }
    let saved = subscription::ActiveModel {
        user_id: Set(user.id),
        label: Set(label),
        keyword: Set(spec.keyword.clone()),
        term_count: Set(terms.len() as i32),
        paused: Set(false),
        delivered: Set(0),
        created_at: Set(chrono::Utc::now().to_rfc3339()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    subscription_term::Entity::insert_many(terms.into_iter().map(|(facet, value)| {
        subscription_term::ActiveModel {
            facet: Set(facet),
            value: Set(value),
            subscription_id: Set(saved.id),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(to_view(&saved, spec.library_query().href(), 0))
}

async fn spec_of(db: &impl ConnectionTrait, s: &subscription::Model) -> Result<SubscriptionSpec> {
    let terms: Vec<(Facet, String)> = subscription_term::Entity::find()
        .filter(subscription_term::Column::SubscriptionId.eq(s.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|t| Facet::from_param(&t.facet).map(|f| (f, t.value)))
        .collect();
    Ok(SubscriptionSpec {
        terms,
        keyword: s.keyword.clone(),
    })
}

/// The caller's subscriptions, newest first, each with how many items it delivered.
pub async fn subscriptions(
    db: &impl ConnectionTrait,
    user: &SessionUser,
) -> Result<Vec<SubscriptionView>> {
    let subs = subscription::Entity::find()
        .filter(subscription::Column::UserId.eq(user.id))
        .order_by_desc(subscription::Column::Id)
        .all(db)
        .await?;
    // Counted from the feed, where each item names the subscription that brought it.
    let counts: HashMap<i64, i64> = feed_item::Entity::find()
        .select_only()
        .column(feed_item::Column::SubscriptionId)
        .column_as(feed_item::Column::Id.count(), "n")
        .filter(feed_item::Column::UserId.eq(user.id))
        .group_by(feed_item::Column::SubscriptionId)
        .into_tuple::<(Option<i64>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(s, n)| s.map(|s| (s, n)))
        .collect();
    let mut out = Vec::with_capacity(subs.len());
    for s in &subs {
        let href = spec_of(db, s).await?.library_query().href();
        out.push(to_view(s, href, counts.get(&s.id).copied().unwrap_or(0)));
    }
    Ok(out)
}

async fn own_subscription(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    id: i64,
) -> Result<subscription::Model> {
    subscription::Entity::find_by_id(id)
        .filter(subscription::Column::UserId.eq(user.id))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound("该订阅".to_owned()))
}

/// Pauses or resumes one of the caller's subscriptions.
pub async fn set_paused(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    id: i64,
    paused: bool,
) -> Result<()> {
    let s = own_subscription(db, user, id).await?;
    let mut active: subscription::ActiveModel = s.into();
    active.paused = Set(paused);
    active.update(db).await?;
    Ok(())
}

/// Deletes one of the caller's subscriptions (items it delivered stay in the feed).
pub async fn unsubscribe(db: &impl ConnectionTrait, user: &SessionUser, id: i64) -> Result<()> {
    let s = own_subscription(db, user, id).await?;
    subscription::Entity::delete_by_id(s.id).exec(db).await?;
    Ok(())
}

/// What the personal center shows for feed rows: each joined with its event, the event's
/// document title and the label of the subscription that brought it.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<feed_item::Model>,
) -> Result<Vec<FeedItemView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let events: HashMap<i64, outbox::Model> = outbox::Entity::find()
        .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.outbox_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let titles = titles_of(db, events.values()).await?;
    let labels: HashMap<i64, String> = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::Id)
        .column(subscription::Column::Label)
        .filter(subscription::Column::Id.is_in(rows.iter().filter_map(|r| r.subscription_id)))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let e = events.get(&r.outbox_id)?;
            let label = r
                .subscription_id
                .and_then(|s| labels.get(&s))
                .map(String::as_str);
            Some(view_of(r.id, e, &titles, label, r.read_at.is_some()))
        })
        .collect())
}

/// The newest feed item id of a user, or with `None` of anyone (0 when there is none).
pub async fn last_item(db: &impl ConnectionTrait, user_id: Option<i64>) -> Result<i64> {
    let mut q = feed_item::Entity::find();
    if let Some(user_id) = user_id {
        q = q.filter(feed_item::Column::UserId.eq(user_id));
    }
    Ok(q.select_only()
        .column(feed_item::Column::Id)
        .order_by_desc(feed_item::Column::Id)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or(0))
}

/// The facet values a subscription can choose from, with how many documents have each.
pub async fn choices(
    db: &impl ConnectionTrait,
    index: &std::sync::Arc<crate::library::SearchIndex>,
) -> Result<Vec<(Facet, Vec<String>)>> {
    let page = library::search(db, index, &domain::library::LibraryQuery::default()).await?;
    Ok(SUBSCRIBABLE
        .iter()
        .map(|f| {
            let values = page
                .facets
                .get(f.param())
                .map(|v| v.iter().map(|c| c.value.clone()).collect())
                .unwrap_or_default();
            (*f, values)
        })
        .collect())
}

/// Every item delivered with an id in `(from, to]` to one of `users`, oldest first, with
/// its user: a few reads for a whole batch of live deliveries, whatever its size.
pub(crate) async fn delivered_between(
    db: &impl ConnectionTrait,
    from: i64,
    to: i64,
    users: &std::collections::HashSet<i64>,
) -> Result<Vec<(i64, FeedItemView)>> {
    let backend = db.get_database_backend();
    let sql = numbered(
        backend,
        "SELECT f.id, f.user_id, f.outbox_id, f.read_at, s.label
         FROM feed_items f LEFT JOIN subscriptions s ON s.id = f.subscription_id
         WHERE f.id > ? AND f.id <= ? ORDER BY f.id LIMIT 50000",
    );
    let mut rows: Vec<(i64, i64, i64, bool, Option<String>)> = Vec::new();
    let mut after = from;
    while after < to && !users.is_empty() {
        let page = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                &sql,
                [after.into(), to.into()],
            ))
            .await?;
        let Some(last) = page.last() else { break };
        after = last.try_get::<i64>("", "id")?;
        for r in &page {
            let user: i64 = r.try_get("", "user_id")?;
            if users.contains(&user) {
                rows.push((
                    r.try_get("", "id")?,
                    user,
                    r.try_get("", "outbox_id")?,
                    r.try_get::<Option<String>>("", "read_at")?.is_some(),
                    r.try_get("", "label")?,
                ));
            }
        }
    }
    let mut outbox_ids: Vec<i64> = rows.iter().map(|r| r.2).collect();
    outbox_ids.sort_unstable();
    outbox_ids.dedup();
    let mut events: HashMap<i64, outbox::Model> = HashMap::new();
    for chunk in outbox_ids.chunks(500) {
        for e in outbox::Entity::find()
            .filter(outbox::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            events.insert(e.id, e);
        }
    }
    let titles = titles_of(db, events.values()).await?;
    // What the items of one event share is worked out once per event, not per item.
    let shared: HashMap<i64, FeedItemView> = events
        .values()
        .map(|e| (e.id, view_of(0, e, &titles, None, false)))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(id, user, outbox_id, read, label)| {
            let mut view = shared.get(&outbox_id)?.clone();
            view.id = id;
            view.read = read;
            if let Some(label) = label {
                view.why = format!("因为您订阅了：{label}");
            }
            Some((user, view))
        })
        .collect())
}

/// The titles of what `events` are about, a few reads for any number of events.
async fn titles_of<'a>(
    db: &impl ConnectionTrait,
    events: impl Iterator<Item = &'a outbox::Model>,
) -> Result<HashMap<Subject, String>> {
    let (mut docs, mut consults, mut qas) = (Vec::new(), Vec::new(), Vec::new());
    for e in events {
        match subject_of(e) {
            Subject::Document(id) => docs.push(id),
            Subject::Consultation(id) => consults.extend(id.parse::<i64>().ok()),
            Subject::Qa(id) => qas.push(id),
            // Events are never about drafts or accounts.
            Subject::Draft(_) | Subject::Staff(_) | Subject::Lexicon => {}
        }
    }
    let mut out: HashMap<Subject, String> = crate::lookup::document_titles(db, docs)
        .await?
        .into_iter()
        .map(|(id, t)| (Subject::Document(id), t))
        .collect();
    for chunk in consults.chunks(500) {
        let rows = consultation::Entity::find()
            .select_only()
            .column(consultation::Column::Id)
            .column(consultation::Column::Title)
            .filter(consultation::Column::Id.is_in(chunk.to_vec()))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?;
        out.extend(
            rows.into_iter()
                .map(|(id, t)| (Subject::Consultation(id.to_string()), t)),
        );
    }
    for chunk in qas.chunks(500) {
        let rows = qa_entry::Entity::find()
            .select_only()
            .column(qa_entry::Column::Id)
            .column(qa_entry::Column::Question)
            .filter(qa_entry::Column::Id.is_in(chunk.to_vec()))
            .into_tuple::<(String, String)>()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(id, t)| (Subject::Qa(id), t)));
    }
    Ok(out)
}

fn view_of(
    id: i64,
    e: &outbox::Model,
    titles: &HashMap<Subject, String>,
    label: Option<&str>,
    read: bool,
) -> FeedItemView {
    let kind = FeedKind::from_code(&e.kind).unwrap_or(FeedKind::NewDocument);
    let subject = subject_of(e);
    FeedItemView {
        id,
        kind,
        document_id: e.document_id.clone(),
        href: subject.href(),
        title: titles.get(&subject).cloned().unwrap_or_default(),
        detail: e.detail.clone(),
        why: match (e.user_id, label) {
            (Some(_), _) => "您提交的咨询".to_owned(),
            (None, Some(label)) => format!("因为您订阅了：{label}"),
            (None, None) => "因为您的订阅（已删除）".to_owned(),
        },
        created_at: city_time(&e.created_at),
        read,
    }
}

/// Unread items of a user, counted no further than [`UNREAD_COUNTED`].
pub async fn unread(db: &impl ConnectionTrait, user_id: i64) -> Result<u64> {
    Ok(badge(db, user_id).await?.0)
}

/// A user's unread count, counted no further than [`UNREAD_COUNTED`], and newest item id
/// (0 when none), as the header shows them on every signed-in page: one read of two index
/// lookups, the same size however many items the user ever received.
pub async fn badge(db: &impl ConnectionTrait, user_id: i64) -> Result<(u64, i64)> {
    let backend = db.get_database_backend();
    let p = |n: usize| match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    };
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM feed_items \
         WHERE user_id = {} AND read_at IS NULL LIMIT {UNREAD_COUNTED}) AS u) AS unread, \
         (SELECT MAX(id) FROM feed_items WHERE user_id = {}) AS newest",
        p(1),
        p(2)
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [user_id.into(), user_id.into()],
        ))
        .await?;
    let (unread, newest) = match row {
        Some(row) => (
            row.try_get::<i64>("", "unread")?,
            row.try_get::<Option<i64>>("", "newest")?,
        ),
        None => (0, None),
    };
    Ok((u64::try_from(unread).unwrap_or(0), newest.unwrap_or(0)))
}

/// A page of the caller's feed, newest first; `before` continues from an older page.
pub async fn page(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    before: Option<i64>,
) -> Result<FeedPage> {
    let mut q = feed_item::Entity::find().filter(feed_item::Column::UserId.eq(user.id));
    if let Some(b) = before {
        q = q.filter(feed_item::Column::Id.lt(b));
    }
    let mut rows = q
        .order_by_desc(feed_item::Column::Id)
        .limit(u64::from(FEED_PAGE) + 1)
        .all(db)
        .await?;
    let older = if rows.len() > FEED_PAGE as usize {
        rows.truncate(FEED_PAGE as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok(FeedPage {
        items: views(db, rows).await?,
        unread: unread(db, user.id).await?,
        older,
    })
}

/// Items of a user after `after` (oldest first): what a live stream has not sent yet.
pub async fn items_after(
    db: &impl ConnectionTrait,
    user_id: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<FeedItemView>> {
    let rows = feed_item::Entity::find()
        .filter(feed_item::Column::UserId.eq(user_id))
        .filter(feed_item::Column::Id.gt(after))
        .order_by_asc(feed_item::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    views(db, rows).await
}

/// Marks one item (or, with `None`, every item) of the caller's as read.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    id: Option<i64>,
) -> Result<u64> {
    let mut q = feed_item::Entity::update_many()
        .col_expr(
            feed_item::Column::ReadAt,
            Expr::value(chrono::Utc::now().to_rfc3339()),
        )
        .filter(feed_item::Column::UserId.eq(user.id))
        .filter(feed_item::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(feed_item::Column::Id.eq(id));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// What one dispatch pass did.
#[derive(Debug, Default)]
pub struct Dispatched {
    /// Outbox ids delivered.
    pub events: Vec<i64>,
    /// Feed items written.
    pub items: u64,
    /// Outbox ids whose delivery failed this time (retried later, or set aside).
    pub failed: Vec<i64>,
}

/// Delivers pending outbox events to the feeds of matching subscribers, oldest first, each
/// in its own transaction: an event that fails is counted and retried on a later pass
/// (and set aside after [`queue::MAX_ATTEMPTS`]), and the events behind it go on.
/// Safe to run in several processes at once: an item exists once per user and event.
pub async fn dispatch_pending(db: &DatabaseConnection, limit: u64) -> Result<Dispatched> {
    let pending = queue::pending(db, limit).await?;
    let mut done = Dispatched::default();
    let Some(last) = pending.last().map(|e| e.id) else {
        return Ok(done);
    };
    let anyone_subscribed = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::Id)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .is_some();
    if !anyone_subscribed {
        // Nobody subscribed (a first import): personal events are still delivered, the
        // rest are closed in one statement.
        let none = Keywords::default();
        for event in pending.iter().filter(|e| e.user_id.is_some()) {
            deliver_one(db, event, &none, &mut done).await?;
        }
        queue::mark_dispatched(db, queue::Dispatched::UpTo(last)).await?;
        done.events
            .extend(pending.iter().filter(|e| e.user_id.is_none()).map(|e| e.id));
        return Ok(done);
    }
    let keywords = Keywords::load(db).await?;
    for event in &pending {
        deliver_one(db, event, &keywords, &mut done).await?;
    }
    Ok(done)
}

/// Delivers one event in its own transaction, or counts its failure. Only a failure to
/// record the failure (the database is gone) stops the pass.
async fn deliver_one(
    db: &DatabaseConnection,
    event: &outbox::Model,
    keywords: &Keywords,
    done: &mut Dispatched,
) -> Result<()> {
    let attempt = async {
        let txn = crate::db::write(db).await?;
        let items = deliver(&txn, event, keywords).await?;
        queue::mark_dispatched(&txn, queue::Dispatched::One(event.id)).await?;
        txn.commit().await?;
        Ok::<u64, ServiceError>(items)
    };
    match attempt.await {
        Ok(items) => {
            done.items += items;
            done.events.push(event.id);
        }
        Err(e) => {
            let dead = queue::mark_failed(db, event, &e.to_string()).await?;
            tracing::warn!(event = event.id, dead, error = %e, "feed delivery failed");
            done.failed.push(event.id);
        }
    }
    Ok(())
}

/// Every subscribed keyword, and an automaton that finds them all in one pass over a text:
/// the cost of matching grows with the text and the matches, not with how many keywords
/// people chose.
#[derive(Default)]
struct Keywords {
    words: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl Keywords {
    async fn load(db: &impl ConnectionTrait) -> Result<Keywords> {
        let words: Vec<String> = subscription_term::Entity::find()
            .select_only()
            .column(subscription_term::Column::Value)
            .filter(subscription_term::Column::Facet.eq(KEYWORD))
            .distinct()
            .into_tuple::<String>()
            .all(db)
            .await?;
        if words.is_empty() {
            return Ok(Keywords::default());
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&words)
            .map_err(|e| ServiceError::Internal(format!("keyword automaton: {e}")))?;
        Ok(Keywords {
            words,
            automaton: Some(automaton),
        })
    }

    /// The keywords that occur in `text` (compared as subscriptions store them: folded
    /// width, lower case), each once.
    fn found_in(&self, text: &str) -> Vec<String> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let text = domain::text::fold_width(text).to_lowercase();
        let mut seen = vec![false; self.words.len()];
        for m in automaton.find_overlapping_iter(&text) {
            seen[m.pattern().as_usize()] = true;
        }
        self.words
            .iter()
            .zip(seen)
            .filter(|(_, hit)| *hit)
            .map(|(w, _)| w.clone())
            .collect()
    }
}

/// Writes the feed items of one event in one statement inside the database: the
/// subscriptions it meets (every term they name is among the event's terms: the document's
/// facet values and the keywords found in its text) are found through the inverted index
/// and inserted; a user matched twice keeps the first row (the unique index on user and
/// event), explained by one of the subscriptions that matched. The terms travel as one
/// JSON array bound as one value, so the statement is the same whatever their number, and
/// a million matches never travel to this process.
async fn deliver(
    txn: &impl ConnectionTrait,
    event: &outbox::Model,
    keywords: &Keywords,
) -> Result<u64> {
    let backend = txn.get_database_backend();
    if let Some(user) = event.user_id {
        let sql = numbered(
            backend,
            "INSERT INTO feed_items (user_id, outbox_id) VALUES (?, ?)
             ON CONFLICT (user_id, outbox_id) DO NOTHING",
        );
        let stmt = Statement::from_sql_and_values(backend, sql, [user.into(), event.id.into()]);
        return Ok(txn.execute_raw(stmt).await?.rows_affected());
    }
    let (mut terms, text) = match (FeedKind::from_code(&event.kind), &event.document_id) {
        (Some(FeedKind::NewQa), _) => match qa_terms(txn, event).await? {
            Some(found) => found,
            None => return Ok(0),
        },
        (Some(FeedKind::QaChanged | FeedKind::Answered), _) | (_, None) => return Ok(0),
        (kind, Some(id)) => match document_terms(txn, id, kind == Some(FeedKind::Withdrawn)).await?
        {
            Some(found) => found,
            None => return Ok(0),
        },
    };
    terms.extend(
        keywords
            .found_in(&text)
            .into_iter()
            .map(|k| (KEYWORD.to_owned(), k)),
    );
    terms.sort();
    terms.dedup();
    if terms.is_empty() {
        return Ok(0);
    }
    let terms_json =
        serde_json::to_string(&terms).map_err(|e| ServiceError::Internal(format!("terms: {e}")))?;
    // The event's terms as a table, from the one bound JSON value.
    let terms_table = match backend {
        DatabaseBackend::Postgres => {
            "SELECT t->>0 AS facet, t->>1 AS value FROM jsonb_array_elements(CAST(? AS jsonb)) t"
        }
        _ => {
            "SELECT json_extract(j.value, '$[0]') AS facet, json_extract(j.value, '$[1]') AS value
             FROM json_each(?) j"
        }
    };
    // CROSS JOIN keeps the event's few terms as the outer loop on SQLite, so each looks
    // up its subscriptions in the primary key (facet, value, subscription).
    let sql = format!(
        "WITH terms AS ({terms_table}),
        met AS (
            SELECT st.subscription_id, COUNT(*) AS n
            FROM terms t CROSS JOIN subscription_terms st
            WHERE st.facet = t.facet AND st.value = t.value
            GROUP BY st.subscription_id
        ),
        matched AS (
            SELECT s.id, s.user_id FROM subscriptions s
            JOIN met ON met.subscription_id = s.id
            WHERE s.paused = ? AND met.n = s.term_count AND s.created_at <= ?
        )
        INSERT INTO feed_items (user_id, outbox_id, subscription_id)
        SELECT user_id, ?, id
        FROM matched
        WHERE true
        ON CONFLICT (user_id, outbox_id) DO NOTHING"
    );
    let values: Vec<sea_orm::Value> = vec![
        terms_json.into(),
        false.into(),
        event.created_at.clone().into(),
        event.id.into(),
    ];
    let stmt = Statement::from_sql_and_values(backend, numbered(backend, &sql), values);
    Ok(txn.execute_raw(stmt).await?.rows_affected())
}

/// A published document's subscribable facet values and its text (for keywords).
async fn document_terms(
    txn: &impl ConnectionTrait,
    id: &str,
    withdrawn: bool,
) -> Result<Option<(Vec<(String, String)>, String)>> {
    // A withdrawal is told to the subscribers its document reached.
    let status = if withdrawn {
        crate::review::lifecycle::WITHDRAWN
    } else {
        PUBLISHED
    };
    let Some(doc) = document::Entity::find_by_id(id.to_owned())
        .filter(document::Column::Status.eq(status))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let indexed = library::indexed_docs(txn, std::slice::from_ref(&doc)).await?;
    let terms = indexed
        .iter()
        .flat_map(|d| d.facets.iter())
        .filter(|(f, _)| SUBSCRIBABLE.contains(f))
        .map(|(f, v)| (f.param().to_owned(), v.clone()))
        .collect();
    Ok(Some((terms, format!("{}\n{}", doc.title, doc.body))))
}

/// A Q&A entry's topic and department as the subscription facets 文件主题 and 发布机构.
async fn qa_terms(
    txn: &impl ConnectionTrait,
    event: &outbox::Model,
) -> Result<Option<(Vec<(String, String)>, String)>> {
    let Some(entry) = qa_entry::Entity::find_by_id(event.subject_id.clone().unwrap_or_default())
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let mut terms = Vec::new();
    if let Some(topic) = entry.topic {
        terms.push((Facet::Topic.param().to_owned(), topic));
    }
    if let Some(org) = entry.org_id
        && let Some(o) = organization::Entity::find_by_id(org).one(txn).await?
    {
        terms.push((Facet::Issuer.param().to_owned(), o.name));
    }
    Ok(Some((
        terms,
        format!("{}\n{}", entry.question, entry.answer),
    )))
}

/// `?` placeholders as the backend wants them (`$1, $2, …` on PostgreSQL).
fn numbered(backend: DatabaseBackend, sql: &str) -> String {
    if backend != DatabaseBackend::Postgres {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}
