//! Accounts, subscriptions, the outbox and feed delivery on a real database (SQLite, or
//! PostgreSQL when ZHENGCE_TEST_DATABASE_URL is set).

mod common;

use common::{ReviewTeam, account_of, citizen};

use std::io::Cursor;

use domain::account::{RegisterForm, Registration, Role, SessionUser};
use domain::feed::{FeedKind, SubscriptionSpec};
use domain::library::Facet;
use domain::review::{Draft, DraftForm};
use sea_orm::{DatabaseConnection, EntityTrait};
use service::entity::{document, outbox as event};
use service::library::import;
use service::outbox::{self, Event};
use service::{Indexes, ServiceError, account, feed, review};

async fn fresh_db() -> DatabaseConnection {
    let url = service::db::scratch_database_url("feed")
        .await
        .expect("scratch database");
    service::db::connect(&url).await.expect("connect")
}

/// Two documents that give the facet values subscriptions may name.
const LIBRARY: &str = r#"{"id":"d-1","title":"芜湖市高校毕业生就业见习管理办法","issuer":"芜湖市人力资源和社会保障局","published_date":"2024-03-01","doc_type":"行政规范性文件","topic_auto":"就业创业","audiences":["高校毕业生"],"validity":"有效","body":"就业见习补贴按月发放。"}
{"id":"d-2","title":"芜湖市养老服务补贴办法","issuer":"芜湖市民政局","published_date":"2024-04-01","doc_type":"行政规范性文件","topic_auto":"社会保障","audiences":["老年人"],"validity":"有效","body":"养老服务补贴。"}
"#;

struct World {
    db: DatabaseConnection,
    indexes: Indexes,
    /// 人社局's drafter and reviewers: documents enter the library through them.
    team: ReviewTeam,
    /// The team's drafter.
    staff: SessionUser,
}

async fn world() -> World {
    let db = fresh_db().await;
    let indexes = common::indexes();
    import::import_documents(&db, &indexes, Cursor::new(LIBRARY))
        .await
        .expect("library");
    // The import's own events concern nobody yet.
    feed::dispatch_pending(&db, 1000).await.expect("dispatch");
    let hr = common::org(&db, "芜湖市人力资源和社会保障局").await;
    let team = ReviewTeam::new(&db, hr, "hr").await;
    let staff = team.drafter.clone();
    World {
        db,
        indexes,
        team,
        staff,
    }
}

fn spec(terms: &[(Facet, &str)], keyword: Option<&str>) -> SubscriptionSpec {
    SubscriptionSpec::new(
        terms.iter().map(|(f, v)| (*f, (*v).to_owned())).collect(),
        keyword,
    )
    .expect("spec")
}

fn draft(title: &str, topic: &str, audience: &str) -> Draft {
    Draft::parse(&DraftForm {
        title: title.into(),
        doc_type: "行政规范性文件".into(),
        topic: topic.into(),
        audience: audience.into(),
        body: format!("{title}。第一条 为做好相关工作，制定本办法。"),
        ..Default::default()
    })
    .expect("draft")
}

/// Publishes through the three-level review, as 人社局 does.
async fn publish(w: &World, title: &str, topic: &str, audience: &str) {
    w.team.publish(&w.db, &draft(title, topic, audience)).await;
}

/// The title of the first hit for `q` in these indexes as they stand.
async fn top_title(db: &DatabaseConnection, indexes: &Indexes, q: &str) -> Option<String> {
    let query = domain::library::LibraryQuery::parse_query_string(&format!(
        "q={}",
        domain::text::url_encode(q)
    ))
    .expect("query");
    service::library::search(db, &indexes.library, &query)
        .await
        .expect("search")
        .hits
        .first()
        .map(|h| h.title.clone())
}

/// The title of the first hit for `q` once this process's indexes took in the outbox, as
/// its dispatcher has them do.
async fn top_title_after_catch_up(w: &World, q: &str) -> Option<String> {
    service::index_sync::catch_up(&w.db, &w.indexes)
        .await
        .expect("catch up");
    top_title(&w.db, &w.indexes, q).await
}

async fn feed_titles(db: &DatabaseConnection, user: &SessionUser) -> Vec<(String, String)> {
    feed::page(db, user, None)
        .await
        .expect("feed")
        .items
        .into_iter()
        .map(|i| (i.title, i.why))
        .collect()
}

#[tokio::test]
async fn an_event_reaches_exactly_the_subscriptions_whose_every_term_it_meets() {
    let w = world().await;
    let both = citizen(&w.db, "13800000001").await;
    let topic_only = citizen(&w.db, "13800000002").await;
    let other = citizen(&w.db, "13800000003").await;
    feed::subscribe(
        &w.db,
        &both,
        &spec(
            &[(Facet::Topic, "就业创业"), (Facet::Audience, "高校毕业生")],
            None,
        ),
    )
    .await
    .expect("subscribe");
    feed::subscribe(
        &w.db,
        &topic_only,
        &spec(&[(Facet::Topic, "就业创业")], None),
    )
    .await
    .expect("subscribe");
    feed::subscribe(&w.db, &other, &spec(&[(Facet::Topic, "社会保障")], None))
        .await
        .expect("subscribe");

    publish(
        &w,
        "高校毕业生求职创业补贴实施细则",
        "就业创业",
        "高校毕业生",
    )
    .await;
    publish(&w, "农民工返乡创业扶持办法", "就业创业", "农民工").await;
    let done = feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert_eq!(done.items, 3);

    let mine = feed_titles(&w.db, &both).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].0, "高校毕业生求职创业补贴实施细则");
    assert_eq!(mine[0].1, "因为您订阅了：就业创业 · 高校毕业生");
    assert_eq!(feed_titles(&w.db, &topic_only).await.len(), 2);
    assert!(feed_titles(&w.db, &other).await.is_empty());
    // The published document is searchable once this process's index follows the outbox.
    assert_eq!(
        top_title_after_catch_up(&w, "求职创业补贴")
            .await
            .as_deref(),
        Some("高校毕业生求职创业补贴实施细则")
    );
}

#[tokio::test]
async fn a_user_matched_by_several_subscriptions_gets_one_item_and_paused_ones_deliver_nothing() {
    let w = world().await;
    let user = citizen(&w.db, "13800000011").await;
    let first = feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect("subscribe");
    feed::subscribe(
        &w.db,
        &user,
        &spec(&[(Facet::Audience, "高校毕业生")], None),
    )
    .await
    .expect("subscribe");
    feed::subscribe(&w.db, &user, &spec(&[], Some("补贴")))
        .await
        .expect("subscribe");
    publish(&w, "高校毕业生就业补贴办法", "就业创业", "高校毕业生").await;
    feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert_eq!(feed_titles(&w.db, &user).await.len(), 1);

    let paused = citizen(&w.db, "13800000012").await;
    let s = feed::subscribe(&w.db, &paused, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect("subscribe");
    feed::set_paused(&w.db, &paused, s.id, true)
        .await
        .expect("pause");
    publish(&w, "就业困难人员认定办法", "就业创业", "就业困难人员").await;
    feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert!(feed_titles(&w.db, &paused).await.is_empty());
    assert_eq!(feed_titles(&w.db, &user).await.len(), 2);
    // Delivered counts follow the subscription each item names.
    let subs = feed::subscriptions(&w.db, &user).await.expect("list");
    let delivered: i64 = subs.iter().map(|s| s.delivered).sum();
    assert_eq!(delivered, 2);
    assert_eq!(
        subs.iter().find(|s| s.id == first.id).map(|s| s.delivered),
        Some(2)
    );
}

#[tokio::test]
async fn the_outbox_event_commits_with_the_document_or_not_at_all_and_redelivery_adds_nothing() {
    let w = world().await;
    let user = citizen(&w.db, "13800000021").await;
    feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect("subscribe");
    let events_before = event::Entity::find()
        .all(&w.db)
        .await
        .expect("outbox")
        .len();
    let docs_before = document::Entity::find()
        .all(&w.db)
        .await
        .expect("docs")
        .len();

    // A final approval whose event cannot be written, after its document row was, leaves
    // neither document nor event, and the draft waiting for 终审.
    let waiting = w
        .team
        .to_final(&w.db, &draft("回滚的文件", "就业创业", "高校毕业生"))
        .await;
    common::refuse_inserts(&w.db, "outbox", "NEW.kind = 'document'").await;
    let failed = w.team.approve_final(&w.db, &waiting).await;
    common::allow_inserts(&w.db, "outbox").await;
    assert_eq!(
        review::view(&w.db, Some(&w.staff), &waiting)
            .await
            .expect("view")
            .summary
            .stage,
        domain::review::Stage::Final
    );
    assert!(
        matches!(&failed, Err(ServiceError::Db(e)) if e.to_string().contains("injected failure")),
        "{failed:?}"
    );
    assert_eq!(
        event::Entity::find()
            .all(&w.db)
            .await
            .expect("outbox")
            .len(),
        events_before
    );
    assert_eq!(
        document::Entity::find()
            .all(&w.db)
            .await
            .expect("docs")
            .len(),
        docs_before
    );

    publish(&w, "创业担保贷款办法", "就业创业", "创业者").await;
    // Two processes dispatching the same event write one item.
    let (a, b) = tokio::join!(
        feed::dispatch_pending(&w.db, 100),
        feed::dispatch_pending(&w.db, 100)
    );
    a.expect("first");
    b.expect("second");
    assert_eq!(feed_titles(&w.db, &user).await.len(), 1);
}

#[tokio::test]
async fn a_stream_resumes_exactly_after_the_last_item_it_saw() {
    let w = world().await;
    let user = citizen(&w.db, "13800000031").await;
    feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect("subscribe");
    for title in ["第一份文件", "第二份文件", "第三份文件"] {
        publish(&w, title, "就业创业", "").await;
    }
    feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    let all = feed::items_after(&w.db, user.id, 0, 100)
        .await
        .expect("items");
    assert_eq!(all.len(), 3);
    let rest = feed::items_after(&w.db, user.id, all[0].id, 100)
        .await
        .expect("items");
    let titles: Vec<&str> = rest.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["第二份文件", "第三份文件"]);

    assert_eq!(feed::unread(&w.db, user.id).await.expect("unread"), 3);
    feed::mark_read(&w.db, &user, Some(all[0].id))
        .await
        .expect("read");
    assert_eq!(feed::unread(&w.db, user.id).await.expect("unread"), 2);
    feed::mark_read(&w.db, &user, None).await.expect("read all");
    assert_eq!(feed::unread(&w.db, user.id).await.expect("unread"), 0);
}

#[tokio::test]
async fn bad_subscriptions_are_refused_with_a_chinese_message() {
    let w = world().await;
    let user = citizen(&w.db, "13800000041").await;
    let unknown = feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "不存在的主题")], None))
        .await
        .expect_err("unknown value");
    assert!(
        matches!(&unknown, ServiceError::Invalid(e) if e.field == "topic" && e.message.contains("不存在的主题"))
    );
    feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect("subscribe");
    let twice = feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect_err("duplicate");
    assert!(matches!(twice, ServiceError::Conflict(m) if m.contains("已订阅")));
    for i in 1..domain::feed::MAX_SUBSCRIPTIONS {
        feed::subscribe(&w.db, &user, &spec(&[], Some(&format!("关键词{i}"))))
            .await
            .expect("subscribe");
    }
    let too_many = feed::subscribe(&w.db, &user, &spec(&[], Some("再来一个")))
        .await
        .expect_err("too many");
    assert!(matches!(too_many, ServiceError::Invalid(e) if e.message.contains("最多")));
    // Someone else's subscription is not there for this user.
    let other = citizen(&w.db, "13800000042").await;
    let theirs = feed::subscriptions(&w.db, &user).await.expect("list")[0].id;
    assert!(matches!(
        feed::unsubscribe(&w.db, &other, theirs).await,
        Err(ServiceError::NotFound(_))
    ));
}

#[tokio::test]
async fn accounts_sign_in_sign_out_and_refuse_a_second_registration() {
    let db = fresh_db().await;
    let user = citizen(&db, "13800000061").await;
    let again = Registration::parse(&RegisterForm {
        kind: "citizen".into(),
        login: "138 0000 0061".into(),
        password: "abc12345".into(),
        ..Default::default()
    })
    .expect("registration");
    assert!(matches!(
        account::register(&db, &again).await,
        Err(ServiceError::Conflict(m)) if m.contains("已注册")
    ));
    let wrong = account::sign_in(&db, "13800000061", "wrong1234", None).await;
    assert!(matches!(wrong, Err(ServiceError::Invalid(e)) if e.field == "password"));
    let session = account::sign_in(&db, "13800000061", "abc12345", Some("test"))
        .await
        .expect("sign in");
    assert_eq!(session.user.id, user.id);
    assert_eq!(
        account::session_user(&db, &session.token, account::DEFAULT_IDLE)
            .await
            .expect("lookup")
            .map(|u| u.id),
        Some(user.id)
    );
    account::sign_out(&db, &session.token)
        .await
        .expect("sign out");
    assert_eq!(
        account::session_user(&db, &session.token, account::DEFAULT_IDLE)
            .await
            .expect("lookup"),
        None
    );
}

#[tokio::test]
async fn an_import_that_abolishes_a_document_tells_its_subscribers() {
    let w = world().await;
    let user = citizen(&w.db, "13800000071").await;
    feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect("subscribe");
    let changed = LIBRARY
        .lines()
        .next()
        .expect("line")
        .replace(r#""validity":"有效""#, r#""validity":"废止""#);
    import::import_documents(&w.db, &w.indexes, Cursor::new(changed))
        .await
        .expect("import");
    feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    let items = feed::page(&w.db, &user, None).await.expect("feed").items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].kind, FeedKind::ValidityChange);
    assert_eq!(items[0].detail.as_deref(), Some("已废止"));
}

#[tokio::test]
async fn an_import_that_adds_an_interpretation_tells_the_documents_subscribers() {
    let w = world().await;
    let user = citizen(&w.db, "13800000081").await;
    feed::subscribe(
        &w.db,
        &user,
        &spec(&[(Facet::Audience, "高校毕业生")], None),
    )
    .await
    .expect("subscribe");
    let with_interpretation = LIBRARY.lines().next().expect("line").replace(
        r#""body":"就业见习补贴按月发放。"}"#,
        r#""body":"就业见习补贴按月发放。","interpretations":[{"id":"i-1","title":"《就业见习管理办法》政策解读","form":"文字","body":"一图读懂见习补贴。"}]}"#,
    );
    import::import_documents(&w.db, &w.indexes, Cursor::new(with_interpretation))
        .await
        .expect("import");
    feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    let items = feed::page(&w.db, &user, None).await.expect("feed").items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].kind, FeedKind::NewInterpretation);
    assert!(
        items[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("政策解读"))
    );
}

#[tokio::test]
async fn upgrading_the_schema_keeps_pending_events_and_their_ids() {
    use migration::MigratorTrait;
    use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

    let url = service::db::scratch_database_url("upgrade")
        .await
        .expect("scratch database");
    // The schema as the second migration left it, with two events in its outbox.
    let db = sea_orm::Database::connect(url.as_str())
        .await
        .expect("connect");
    migration::Migrator::up(&db, Some(2))
        .await
        .expect("first two migrations");
    for sql in [
        "INSERT INTO documents (id, title, doc_type, validity, body, status, created_at, updated_at)
         VALUES ('d-1', '旧文件', '其他文件', '现行有效', '正文', 'published', '2026-01-01', '2026-01-01')",
        "INSERT INTO outbox (kind, document_id, created_at) VALUES ('document', 'd-1', '2026-01-01T00:00:00+00:00')",
        "INSERT INTO outbox (kind, document_id, created_at) VALUES ('validity', 'd-1', '2026-01-02T00:00:00+00:00')",
    ] {
        db.execute_unprepared(sql).await.expect("old rows");
    }
    let before: Vec<i64> = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM outbox ORDER BY id",
        ))
        .await
        .expect("ids")
        .iter()
        .map(|r| r.try_get::<i64>("", "id").expect("id"))
        .collect();
    db.close().await.expect("close");

    let db = service::db::connect(&url).await.expect("upgrade");
    let events = event::Entity::find()
        .order_by_asc(event::Column::Id)
        .all(&db)
        .await
        .expect("events");
    let kept: Vec<(i64, Option<String>)> = events
        .iter()
        .map(|e| (e.id, e.document_id.clone()))
        .collect();
    assert_eq!(
        kept,
        before
            .iter()
            .map(|id| (*id, Some("d-1".to_owned())))
            .collect::<Vec<_>>()
    );
    // New events continue after the old ids, so no process's position is reused.
    outbox::record(&db, &[Event::qa("qa-1", false)])
        .await
        .expect("record");
    let last = event::Entity::find()
        .order_by_desc(event::Column::Id)
        .one(&db)
        .await
        .expect("query")
        .expect("an event");
    assert!(
        before.iter().all(|id| last.id > *id),
        "{} after {before:?}",
        last.id
    );
    assert_eq!(last.document_id, None);
}

/// The newest outbox event's id.
async fn last_event(db: &DatabaseConnection) -> i64 {
    outbox::last_id(db).await.expect("last id")
}

#[tokio::test]
async fn a_thousand_keywords_from_34_accounts_neither_jam_delivery_nor_the_index() {
    let w = world().await;
    let mut keywords = Vec::new();
    let mut accounts = Vec::new();
    for a in 0..34 {
        let user = citizen(&w.db, &format!("1390000{a:04}")).await;
        for k in 0..30 {
            let word = format!("zk{:04}", a * 30 + k + 1);
            feed::subscribe(&w.db, &user, &spec(&[], Some(&word)))
                .await
                .expect("keyword subscription");
            keywords.push(word);
        }
        accounts.push(user);
    }
    assert_eq!(keywords.len(), 1020);
    let topic_reader = citizen(&w.db, "13900009999").await;
    feed::subscribe(
        &w.db,
        &topic_reader,
        &spec(&[(Facet::Topic, "社会保障")], None),
    )
    .await
    .expect("subscribe");

    let every_keyword = Draft::parse(&DraftForm {
        title: "关键词全覆盖的文件".into(),
        doc_type: "行政规范性文件".into(),
        topic: "就业创业".into(),
        body: keywords.join("，"),
        ..Default::default()
    })
    .expect("draft");
    w.team.publish(&w.db, &every_keyword).await;
    publish(&w, "城乡居民养老保险缴费办法", "社会保障", "").await;

    let done = feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert_eq!(done.failed, Vec::<i64>::new());
    assert_eq!(done.events.len(), 2);
    // One item per account for the keyword document, however many of its keywords met.
    assert_eq!(done.items, 34 + 1);
    for user in &accounts {
        let items = feed_titles(&w.db, user).await;
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].0, "关键词全覆盖的文件");
    }
    assert_eq!(
        feed_titles(&w.db, &topic_reader).await,
        vec![(
            "城乡居民养老保险缴费办法".to_owned(),
            "因为您订阅了：社会保障".to_owned()
        )]
    );
    assert_eq!(
        top_title_after_catch_up(&w, "城乡居民养老保险缴费")
            .await
            .as_deref(),
        Some("城乡居民养老保险缴费办法")
    );
}

#[tokio::test]
async fn a_poison_event_is_set_aside_after_its_attempts_while_the_next_is_delivered() {
    let w = world().await;
    let admin = account_of(&w.db, "admin@wuhu.gov.cn", Role::Admin, None).await;
    let user = citizen(&w.db, "13800000091").await;
    feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect("subscribe");
    publish(&w, "无法投递的文件", "就业创业", "").await;
    let poison = last_event(&w.db).await;
    common::refuse_inserts(&w.db, "feed_items", &format!("NEW.outbox_id = {poison}")).await;
    publish(&w, "排在后面的文件", "就业创业", "").await;

    let first = feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert_eq!(first.failed, vec![poison]);
    assert_eq!(first.events, vec![poison + 1]);
    assert_eq!(
        feed_titles(&w.db, &user).await,
        vec![(
            "排在后面的文件".to_owned(),
            "因为您订阅了：就业创业".to_owned()
        )]
    );
    for _ in 1..outbox::MAX_ATTEMPTS {
        let again = feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
        assert_eq!(again.failed, vec![poison]);
    }
    // Set aside: later passes leave it alone, and the admin sees why.
    let after = feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert!(after.failed.is_empty() && after.events.is_empty());
    let seen = outbox::overview(&w.db, Some(&admin))
        .await
        .expect("overview");
    assert_eq!(seen.pending, 0);
    assert_eq!(seen.dead.len(), 1);
    assert_eq!(seen.dead[0].id, poison);
    assert_eq!(seen.dead[0].attempts, outbox::MAX_ATTEMPTS);
    assert!(
        seen.dead[0].error.contains("injected failure"),
        "{}",
        seen.dead[0].error
    );
    assert_eq!(outbox::dead_count(&w.db).await.expect("count"), 1);

    // Only an admin sees it or sends it again; once the fault is gone it is delivered.
    assert!(matches!(
        outbox::overview(&w.db, Some(&w.staff)).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        outbox::retry(&w.db, Some(&user), poison).await,
        Err(ServiceError::Forbidden(_))
    ));
    common::allow_inserts(&w.db, "feed_items").await;
    outbox::retry(&w.db, Some(&admin), poison)
        .await
        .expect("retry");
    assert!(matches!(
        outbox::retry(&w.db, Some(&admin), poison).await,
        Err(ServiceError::NotFound(_))
    ));
    let retried = feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert_eq!(retried.events, vec![poison]);
    assert_eq!(feed_titles(&w.db, &user).await.len(), 2);
    assert_eq!(outbox::dead_count(&w.db).await.expect("count"), 0);
}

#[tokio::test]
async fn indexing_follows_the_outbox_while_delivery_keeps_failing() {
    let w = world().await;
    let user = citizen(&w.db, "13800000092").await;
    feed::subscribe(&w.db, &user, &spec(&[(Facet::Topic, "就业创业")], None))
        .await
        .expect("subscribe");
    common::refuse_inserts(&w.db, "feed_items", "1 = 1").await;
    publish(&w, "投递失败也能检索的文件", "就业创业", "").await;
    let done = feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert_eq!(done.failed.len(), 1);
    assert_eq!(
        top_title_after_catch_up(&w, "投递失败也能检索")
            .await
            .as_deref(),
        Some("投递失败也能检索的文件")
    );
    common::allow_inserts(&w.db, "feed_items").await;
}

#[tokio::test]
async fn a_restart_after_a_crash_between_commit_and_indexing_leaves_the_index_complete() {
    let w = world().await;
    let dir = std::env::temp_dir().join(format!(
        "zhengce-crash-{}-{}",
        std::process::id(),
        last_event(&w.db).await
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let open = || {
        let (library, _) =
            service::library::SearchIndex::open_in_dir(&dir.join("index")).expect("index");
        let (qa, _) = service::qa::QaIndex::open_in_dir(&dir.join("index-qa")).expect("qa");
        Indexes::new(std::sync::Arc::new(library), std::sync::Arc::new(qa))
    };
    let before = open();
    let first = service::index_sync::catch_up(&w.db, &before)
        .await
        .expect("first start");
    assert_eq!(first.rebuilt, vec!["library", "qa"]);
    let cursor = before.library.cursor().expect("a cursor");
    assert_eq!(cursor, last_event(&w.db).await);
    // The publish commits; the process dies before its dispatcher runs.
    publish(&w, "崩溃前刚发布的文件", "就业创业", "").await;
    drop(before);

    let after = open();
    assert_eq!(after.library.cursor(), Some(cursor), "the cursor survives");
    let caught = service::index_sync::catch_up(&w.db, &after)
        .await
        .expect("restart");
    assert!(caught.rebuilt.is_empty(), "no rebuild: {caught:?}");
    assert_eq!(caught.events, 1);
    assert_eq!(
        top_title(&w.db, &after, "崩溃前刚发布").await.as_deref(),
        Some("崩溃前刚发布的文件")
    );
    drop(after);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_double_tapped_registration_makes_one_account_and_says_already_registered() {
    let db = fresh_db().await;
    let reg = Registration::parse(&RegisterForm {
        kind: "citizen".into(),
        login: "13800000099".into(),
        password: "abc12345".into(),
        ..Default::default()
    })
    .expect("registration");
    // Both look for the login before either has written it (hashing takes a while).
    let (a, b) = tokio::join!(account::register(&db, &reg), account::register(&db, &reg));
    let (ok, refused): (Vec<_>, Vec<_>) = [a, b].into_iter().partition(Result::is_ok);
    assert_eq!(ok.len(), 1);
    match refused.into_iter().next() {
        Some(Err(ServiceError::Conflict(m))) => assert!(m.contains("已注册"), "{m}"),
        other => panic!("expected 已注册, got {other:?}"),
    }
}

#[tokio::test]
async fn two_processes_share_one_attempt_counter() {
    let url = service::db::scratch_database_url("limits")
        .await
        .expect("scratch database");
    let a = service::db::connect(&url).await.expect("first process");
    let b = service::db::connect(&url).await.expect("second process");
    let limit = service::limits::SIGN_IN_PER_LOGIN;
    for _ in 0..limit.max / 2 {
        service::limits::check(&a, limit, "13800000098")
            .await
            .expect("a");
        service::limits::check(&b, limit, "13800000098")
            .await
            .expect("b");
    }
    assert!(matches!(
        service::limits::check(&a, limit, "13800000098").await,
        Err(ServiceError::RateLimited(s)) if s > 0 && s <= 15 * 60
    ));
    service::limits::check(&b, limit, "13800000097")
        .await
        .expect("another login has its own counter");
}

/// Runs one statement of SQL as someone with database access would.
async fn tamper(db: &DatabaseConnection, sql: &str) {
    use sea_orm::ConnectionTrait;
    db.execute_unprepared(sql).await.expect("tamper");
}

#[tokio::test]
async fn the_audit_log_records_each_publication_and_verify_names_the_first_row_changed_or_deleted()
{
    use service::audit::{self, Verified};
    let mut w = world().await;
    w.team.reviewers[2].address = Some("198.51.100.7".to_owned());
    // The team's three grants are in the log already; each publication adds its
    // submission, three approvals and the publication: five rows.
    let Verified::Intact(base) = audit::verify(&w.db).await.expect("verify") else {
        panic!("broken before any publication")
    };
    let base = base as i64;
    let publication = |n: i64| base + 5 * n;
    for title in [
        "第一份审计文件",
        "第二份审计文件",
        "第三份审计文件",
        "第四份审计文件",
    ] {
        w.team.publish(&w.db, &draft(title, "就业创业", "")).await;
    }
    assert_eq!(
        audit::verify(&w.db).await.expect("verify"),
        Verified::Intact(publication(4) as u64)
    );
    let admin = account_of(&w.db, "audit-admin@wuhu.gov.cn", Role::Admin, None).await;
    let page = audit::list(&w.db, Some(&admin), &domain::audit::AuditQuery::default())
        .await
        .expect("list");
    assert_eq!(page.total, publication(4) as u64);
    let newest = &page.entries[0];
    assert_eq!(newest.detail.as_deref(), Some("第四份审计文件"));
    assert_eq!(newest.address.as_deref(), Some("198.51.100.7"));
    assert_eq!(newest.action, domain::audit::AuditAction::Publish);
    assert!(newest.href.starts_with("/documents/"));
    assert!(matches!(
        audit::list(&w.db, Some(&w.staff), &domain::audit::AuditQuery::default()).await,
        Err(ServiceError::Forbidden(_))
    ));

    // A changed row is named; so is a deleted one, and a deleted last one.
    let (second, third, last) = (publication(2), publication(3), publication(4));
    tamper(
        &w.db,
        &format!("UPDATE audit_events SET detail = '改过的标题' WHERE id = {second}"),
    )
    .await;
    assert!(matches!(
        audit::verify(&w.db).await.expect("verify"),
        Verified::Broken { id, .. } if id == second
    ));
    tamper(
        &w.db,
        &format!("UPDATE audit_events SET detail = '第二份审计文件' WHERE id = {second}"),
    )
    .await;
    assert_eq!(
        audit::verify(&w.db).await.expect("verify"),
        Verified::Intact(last as u64)
    );
    tamper(
        &w.db,
        &format!("DELETE FROM audit_events WHERE id = {third}"),
    )
    .await;
    assert!(matches!(
        audit::verify(&w.db).await.expect("verify"),
        Verified::Broken { id, .. } if id == third
    ));
    tamper(
        &w.db,
        &format!("DELETE FROM audit_events WHERE id = {last}"),
    )
    .await;
    assert!(matches!(
        audit::verify(&w.db).await.expect("verify"),
        Verified::Broken { id, .. } if id == third
    ));
}

#[tokio::test]
async fn a_subscriber_with_thousands_of_items_gets_a_badge_counted_only_to_its_cap() {
    use sea_orm::ConnectionTrait;
    let db = fresh_db().await;
    let long_time = citizen(&db, "13900000001").await;
    let other = citizen(&db, "13900000002").await;
    // 5,000 items, the first 4,000 read, and one unread item of someone else's.
    let rows: Vec<String> = (1..=5000)
        .map(|i| {
            let read = if i <= 4000 { "'2024-01-01'" } else { "NULL" };
            format!("({}, {i}, {read})", long_time.id)
        })
        .chain([format!("({}, 1, NULL)", other.id)])
        .collect();
    for chunk in rows.chunks(500) {
        db.execute_unprepared(&format!(
            "INSERT INTO feed_items (user_id, outbox_id, read_at) VALUES {}",
            chunk.join(", ")
        ))
        .await
        .expect("insert items");
    }
    let newest: i64 = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT MAX(id) AS newest FROM feed_items WHERE user_id = {}",
                long_time.id
            ),
        ))
        .await
        .expect("newest")
        .expect("a row")
        .try_get::<i64>("", "newest")
        .expect("an id");
    assert_eq!(
        feed::badge(&db, long_time.id).await.expect("badge"),
        (feed::UNREAD_COUNTED, newest)
    );
    assert_eq!(feed::badge(&db, other.id).await.expect("badge").0, 1);
    let newcomer = citizen(&db, "13900000003").await;
    assert_eq!(feed::badge(&db, newcomer.id).await.expect("badge"), (0, 0));
}
