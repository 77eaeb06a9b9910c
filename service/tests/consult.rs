//! Consultations and the Q&A knowledge base on a real database (SQLite, or PostgreSQL when
//! ZHENGCE_TEST_DATABASE_URL is set): routing, the working-day clock, state changes, who
//! may do what, checks on bad input, the asker's feed and the knowledge-base search.

mod common;

use common::{account_of, citizen, org};

use std::io::Cursor;

use domain::account::{Role, SessionUser};
use domain::consult::{
    AnswerForm, AskForm, ConsultFilter, ConsultStatus, SettingsForm, WorkCalendar,
};
use domain::feed::FeedKind;
use domain::qa::{QaForm, QaQuery};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use service::consult;
use service::entity::{consultation, qa_entry};
use service::library::import;
use service::qa;
use service::{Indexes, ServiceError, feed};

const LIBRARY: &str = r#"{"id":"d-1","title":"芜湖市高校毕业生就业见习管理办法","issuer":"芜湖市人力资源和社会保障局","published_date":"2024-03-01","doc_type":"行政规范性文件","topic_auto":"就业创业","audiences":["高校毕业生"],"validity":"有效","body":"就业见习补贴按月发放。"}
{"id":"d-2","title":"芜湖市养老服务补贴办法","issuer":"芜湖市民政局","published_date":"2024-04-01","doc_type":"行政规范性文件","topic_auto":"社会保障","audiences":["老年人"],"validity":"有效","body":"养老服务补贴。"}
"#;

const QA: &str = r#"{"id":"qa-1","question":"灵活就业人员如何参加职工养老保险？","answer":"灵活就业人员可持身份证到户籍所在地社保经办机构办理参保登记，按月或按季缴费。","department":"芜湖市人力资源和社会保障局","phone":"0553-12333","topic":"社会保障"}
{"id":"qa-2","question":"高龄津贴怎么申领？","answer":"年满80周岁的老年人可向户籍所在地社区申请高龄津贴。","department":"芜湖市民政局","phone":"0553-3832100","topic":"社会保障"}
"#;

struct World {
    db: DatabaseConnection,
    url: String,
    indexes: Indexes,
    /// Staff of 人社局 (the issuer of d-1) and of 民政局.
    hr: SessionUser,
    civil: SessionUser,
    admin: SessionUser,
    asker: SessionUser,
}

async fn world() -> World {
    let url = service::db::scratch_database_url("consult")
        .await
        .expect("scratch");
    let db = service::db::connect(&url).await.expect("connect");
    let indexes = common::indexes();
    import::import_documents(&db, &indexes, Cursor::new(LIBRARY))
        .await
        .expect("library");
    import::import_qa(&db, &indexes, Cursor::new(QA))
        .await
        .expect("qa");
    feed::dispatch_pending(&db, 1000).await.expect("dispatch");
    let hr_org = org(&db, "芜湖市人力资源和社会保障局").await;
    let civil_org = org(&db, "芜湖市民政局").await;
    World {
        hr: account_of(&db, "hr@wuhu.gov.cn", Role::Staff, Some(hr_org)).await,
        civil: account_of(&db, "mz@wuhu.gov.cn", Role::Staff, Some(civil_org)).await,
        admin: account_of(&db, "admin@wuhu.gov.cn", Role::Admin, None).await,
        asker: citizen(&db, "13800000001").await,
        indexes,
        db,
        url,
    }
}

impl World {
    /// The asker's question about d-1 (issued by 人社局).
    async fn ask_about_d1(&self, public: bool) -> i64 {
        consult::ask(
            &self.db,
            Some(&self.asker),
            &question("就业见习补贴怎么申请", "d-1", "", public),
        )
        .await
        .expect("ask")
    }

    /// `by` answers consultation `id`, with the section and phone of [`answer`].
    async fn answer_as(
        &self,
        by: &SessionUser,
        id: i64,
        text: &str,
        publish: bool,
    ) -> Result<(), ServiceError> {
        consult::answer(&self.db, Some(by), id, &answer(text, publish)).await
    }

    /// This process's indexes take in what the outbox holds, as its dispatcher does.
    async fn catch_up(&self) {
        service::index_sync::catch_up(&self.db, &self.indexes)
            .await
            .expect("catch up");
    }
}

fn question(title: &str, document: &str, topic: &str, public: bool) -> AskForm {
    AskForm {
        title: title.into(),
        body: format!("{title}，请问具体怎么办理？需要哪些材料？"),
        document: document.into(),
        topic: topic.into(),
        public: public.then(|| "on".to_owned()),
    }
}

fn answer(text: &str, publish: bool) -> AnswerForm {
    AnswerForm {
        answer: text.into(),
        publish: publish.then(|| "on".to_owned()),
        section: "就业促进科".into(),
        phone: "0553-3835212".into(),
        ..Default::default()
    }
}

fn settings(routes: &str, holidays: &str, due_days: &str, words: &str) -> SettingsForm {
    SettingsForm {
        routes: routes.into(),
        holidays: holidays.into(),
        makeup_workdays: String::new(),
        due_days: due_days.into(),
        sensitive_words: words.into(),
    }
}

#[tokio::test]
async fn questions_go_to_the_documents_issuer_or_follow_the_topic_routing_table() {
    let w = world().await;
    let about_doc = w.ask_about_d1(true).await;
    let d = consult::detail(&w.db, Some(&w.asker), about_doc)
        .await
        .expect("detail");
    assert_eq!(
        d.summary.department.as_deref(),
        Some("芜湖市人力资源和社会保障局")
    );
    assert_eq!(d.summary.status, ConsultStatus::Assigned);
    assert_eq!(
        d.topic.as_deref(),
        Some("就业创业"),
        "the document's topic is kept"
    );

    let unrouted = consult::ask(
        &w.db,
        Some(&w.asker),
        &question("养老服务有哪些补贴", "", "社会保障", false),
    )
    .await
    .expect("ask");
    let d = consult::detail(&w.db, Some(&w.asker), unrouted)
        .await
        .expect("detail");
    assert_eq!(d.summary.status, ConsultStatus::Submitted);
    assert_eq!(d.summary.department, None);

    consult::save_settings(
        &w.db,
        Some(&w.admin),
        &settings("社会保障=芜湖市民政局", "", "5", ""),
    )
    .await
    .expect("routes");
    let routed = consult::ask(
        &w.db,
        Some(&w.asker),
        &question("高龄津贴标准是多少", "", "社会保障", false),
    )
    .await
    .expect("ask");
    let d = consult::detail(&w.db, Some(&w.asker), routed)
        .await
        .expect("detail");
    assert_eq!(d.summary.department.as_deref(), Some("芜湖市民政局"));
    assert!(
        d.log
            .iter()
            .any(|l| l.text.contains("交由芜湖市民政局办理"))
    );

    // The admin routes the unrouted one by hand.
    consult::assign(&w.db, Some(&w.admin), unrouted, "芜湖市民政局")
        .await
        .expect("assign");
    let inbox = consult::inbox(&w.db, Some(&w.civil), &ConsultFilter::default())
        .await
        .expect("inbox");
    assert_eq!(inbox.total, 2);
    let overview = consult::load(&w.db).await.expect("load");
    assert!(
        overview
            .iter()
            .any(|l| l.department.as_deref() == Some("芜湖市民政局") && l.open == 2)
    );
}

#[tokio::test]
async fn due_dates_count_working_days_on_the_admins_calendar_and_overdue_items_are_flagged() {
    let w = world().await;
    let today = service::clock::city_today();
    // Every weekday of the next two weeks is a holiday but one: the clock skips them all.
    let cal = WorkCalendar::default();
    let holidays: Vec<String> = (1..=14)
        .map(|n| today + chrono::Days::new(n))
        .filter(|d| cal.is_working_day(*d))
        .skip(1)
        .map(|d| d.to_string())
        .collect();
    consult::save_settings(
        &w.db,
        Some(&w.admin),
        &settings("", &holidays.join("\n"), "2", ""),
    )
    .await
    .expect("settings");
    let id = w.ask_about_d1(false).await;
    let expected_cal = WorkCalendar {
        holidays: holidays.iter().map(|d| d.parse().expect("date")).collect(),
        ..Default::default()
    };
    let d = consult::detail(&w.db, Some(&w.hr), id)
        .await
        .expect("detail");
    // Counted from the day it arrived, as stored (the test may run across midnight).
    let received: chrono::NaiveDate = consultation::Entity::find_by_id(id)
        .one(&w.db)
        .await
        .expect("query")
        .expect("consultation")
        .received_on
        .parse()
        .expect("date");
    let due = expected_cal.add_working_days(received, 2);
    assert_eq!(d.summary.deadline.due_on, due.to_string());
    assert!(!d.summary.deadline.overdue);
    assert_eq!(
        d.summary.deadline.days_left,
        expected_cal.working_days_between(service::clock::city_today(), due)
    );

    // Past its due date it is flagged in the inbox and counted in the overview.
    consultation::Entity::update_many()
        .col_expr(
            consultation::Column::DueOn,
            sea_orm::sea_query::Expr::value("2020-01-06"),
        )
        .filter(consultation::Column::Id.eq(id))
        .exec(&w.db)
        .await
        .expect("backdate");
    let overdue = consult::inbox(
        &w.db,
        Some(&w.hr),
        &ConsultFilter {
            overdue: true,
            ..Default::default()
        },
    )
    .await
    .expect("inbox");
    assert_eq!(overdue.total, 1);
    assert_eq!(overdue.overdue, 1);
    assert!(overdue.items[0].deadline.overdue);
    assert!(overdue.items[0].deadline.describe().starts_with("已超期"));
    let load = consult::load(&w.db).await.expect("load");
    assert!(load.iter().any(|l| l.overdue == 1));
    // Answered, it is no longer overdue.
    w.answer_as(&w.hr, id, "可向人社局申请。", false)
        .await
        .expect("answer");
    let none = consult::inbox(
        &w.db,
        Some(&w.hr),
        &ConsultFilter {
            overdue: true,
            ..Default::default()
        },
    )
    .await
    .expect("inbox");
    assert_eq!(none.total, 0);
}

#[tokio::test]
async fn a_consultation_is_answered_once_and_a_rejected_one_not_at_all() {
    let w = world().await;
    let id = w.ask_about_d1(true).await;
    w.answer_as(&w.hr, id, "可向人社局申请。", false)
        .await
        .expect("answer");
    let twice = w.answer_as(&w.hr, id, "再答一次。", false).await;
    match twice {
        Err(ServiceError::Invalid(e)) => assert!(e.message.contains("已答复"), "{}", e.message),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(
        consult::reject(&w.db, Some(&w.hr), id, "不属于本部门职责")
            .await
            .is_err()
    );
    consult::close(&w.db, Some(&w.asker), id)
        .await
        .expect("close");

    let other = consult::ask(
        &w.db,
        Some(&w.asker),
        &question("见习期间能否同时领失业金", "d-1", "", false),
    )
    .await
    .expect("ask");
    consult::reject(
        &w.db,
        Some(&w.hr),
        other,
        "该问题属于个人待遇核定，请到窗口办理",
    )
    .await
    .expect("reject");
    let refused = w.answer_as(&w.hr, other, "可以。", false).await;
    assert!(matches!(refused, Err(ServiceError::Invalid(_))));
    let d = consult::detail(&w.db, Some(&w.asker), other)
        .await
        .expect("detail");
    assert_eq!(d.summary.status, ConsultStatus::Rejected);
    assert_eq!(
        d.reject_reason.as_deref(),
        Some("该问题属于个人待遇核定，请到窗口办理")
    );
}

#[tokio::test]
async fn only_the_responsible_departments_staff_may_answer_and_private_questions_stay_private() {
    let w = world().await;
    let id = w.ask_about_d1(false).await;
    let stranger = citizen(&w.db, "13800000002").await;
    let a = answer("可以申请。", false);
    // The asker may see it but not answer it; to everyone else it does not exist.
    let r = consult::answer(&w.db, Some(&w.asker), id, &a).await;
    assert!(
        matches!(r, Err(ServiceError::Forbidden(_))),
        "the asker answered: {r:?}"
    );
    for (who, caller) in [("another department", &w.civil), ("a citizen", &stranger)] {
        let r = consult::answer(&w.db, Some(caller), id, &a).await;
        assert!(
            matches!(r, Err(ServiceError::NotFound(_))),
            "{who} answered: {r:?}"
        );
    }
    assert!(matches!(
        consult::assign(&w.db, Some(&w.civil), id, "芜湖市民政局").await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        consult::answer(&w.db, None, id, &a).await,
        Err(ServiceError::Unauthorized)
    ));
    assert!(matches!(
        consult::ask(&w.db, None, &question("就业见习补贴", "", "", true)).await,
        Err(ServiceError::Unauthorized)
    ));
    assert!(matches!(
        consult::inbox(&w.db, Some(&stranger), &ConsultFilter::default()).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        consult::settings(&w.db, Some(&w.hr)).await,
        Err(ServiceError::Forbidden(_))
    ));
    // Private: the asker and the department see it; a stranger and the public do not.
    assert!(consult::detail(&w.db, Some(&w.hr), id).await.is_ok());
    assert!(matches!(
        consult::detail(&w.db, Some(&stranger), id).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        consult::detail(&w.db, None, id).await,
        Err(ServiceError::NotFound(_))
    ));
    // Transferred, the new department answers; to the old one a private question is
    // gone.
    consult::assign(&w.db, Some(&w.hr), id, "芜湖市民政局")
        .await
        .expect("transfer");
    let r = consult::answer(&w.db, Some(&w.hr), id, &a).await;
    assert!(matches!(r, Err(ServiceError::NotFound(_))), "{r:?}");
    consult::answer(&w.db, Some(&w.civil), id, &a)
        .await
        .expect("answer");
    assert!(
        consult::public_list(&w.db, 1)
            .await
            .expect("list")
            .items
            .is_empty(),
        "private stays off the public list"
    );
}

#[tokio::test]
async fn bad_questions_are_refused_in_chinese_and_nothing_is_stored() {
    let w = world().await;
    consult::save_settings(&w.db, Some(&w.admin), &settings("", "", "5", "代开发票"))
        .await
        .expect("words");
    let cases = [
        (question("补贴", "", "", true), "title", "至少 5 个字"),
        (
            AskForm {
                body: "我的身份证号是11010519491231002X，电话13800012345".into(),
                ..question("就业见习补贴怎么申请", "", "", true)
            },
            "body",
            "身份证号",
        ),
        (
            AskForm {
                body: "哪里可以代开发票，急用急用".into(),
                ..question("就业见习补贴怎么申请", "", "", true)
            },
            "body",
            "不宜公开的用语“代开发票”",
        ),
        (
            question("就业见习补贴怎么申请", "no-such-doc", "", true),
            "document",
            "没有找到",
        ),
    ];
    for (form, field, message) in cases {
        match consult::ask(&w.db, Some(&w.asker), &form).await {
            Err(ServiceError::Invalid(e)) => {
                assert_eq!(e.field, field);
                assert!(e.message.contains(message), "{}", e.message);
            }
            other => panic!("expected a refusal for {field}, got {other:?}"),
        }
    }
    assert_eq!(
        consultation::Entity::find()
            .count(&w.db)
            .await
            .expect("count"),
        0
    );
    // A bad settings line changes nothing either.
    let bad = consult::save_settings(
        &w.db,
        Some(&w.admin),
        &settings("就业创业=不存在的局", "", "5", ""),
    )
    .await;
    match bad {
        Err(ServiceError::Invalid(e)) => assert!(e.message.contains("第 1 行")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        consult::settings(&w.db, Some(&w.admin))
            .await
            .expect("settings")
            .sensitive_words,
        vec!["代开发票"]
    );
}

#[tokio::test]
async fn asking_is_limited_per_account_per_day() {
    let w = world().await;
    for n in 0..consult::MAX_ASKS_PER_DAY {
        consult::ask(
            &w.db,
            Some(&w.asker),
            &question(&format!("就业见习补贴问题{n}"), "", "", false),
        )
        .await
        .expect("ask");
    }
    let over = consult::ask(
        &w.db,
        Some(&w.asker),
        &question("就业见习补贴再问一次", "", "", false),
    )
    .await;
    assert!(matches!(over, Err(ServiceError::RateLimited(s)) if s > 0));
}

#[tokio::test]
async fn the_answer_reaches_the_askers_feed_and_becomes_a_searchable_qa_entry() {
    let w = world().await;
    let id = w.ask_about_d1(true).await;
    w.answer_as(
        &w.hr,
        id,
        "毕业两年内的高校毕业生可向见习单位所在地人社部门申请见习补贴。",
        true,
    )
    .await
    .expect("answer");
    feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    let page = feed::page(&w.db, &w.asker, None).await.expect("feed");
    assert_eq!(page.items.len(), 1);
    let item = &page.items[0];
    assert_eq!(item.kind, FeedKind::Answered);
    assert_eq!(item.href, format!("/consultations/{id}"));
    assert_eq!(item.title, "就业见习补贴怎么申请");
    assert_eq!(item.why, "您提交的咨询");

    let d = consult::detail(&w.db, None, id)
        .await
        .expect("public once answered");
    let qa_id = d.qa_id.expect("published to Q&A");
    assert!(d.log.is_empty(), "the record is not public");
    assert_eq!(consult::public_list(&w.db, 1).await.expect("list").total, 1);

    w.catch_up().await;
    let found = qa::search(
        &w.db,
        &w.indexes.qa,
        &QaQuery::parse([("q", "见习补贴")]).expect("query"),
    )
    .await
    .expect("search");
    let hit = found
        .hits
        .iter()
        .find(|h| h.id == qa_id)
        .expect("found by search");
    assert_eq!(hit.section.as_deref(), Some("就业促进科"));
    assert_eq!(hit.phone.as_deref(), Some("0553-3835212"));
    assert_eq!(
        hit.document_title.as_deref(),
        Some("芜湖市高校毕业生就业见习管理办法")
    );
    let by_dept = qa::search(
        &w.db,
        &w.indexes.qa,
        &QaQuery::parse([("department", "芜湖市人力资源和社会保障局")]).expect("query"),
    )
    .await
    .expect("search");
    assert!(by_dept.hits.iter().any(|h| h.id == qa_id));
    let entry = qa::entry(&w.db, None, &qa_id).await.expect("entry");
    assert_eq!(entry.consultation_id, Some(id));
    assert!(!entry.editable);
}

#[tokio::test]
async fn the_knowledge_base_searches_imported_entries_by_text_department_and_topic() {
    let w = world().await;
    assert_eq!(w.indexes.qa.num_docs(), 2);
    let q = |pairs: &[(&str, &str)]| QaQuery::parse(pairs.iter().copied()).expect("query");
    let page = qa::search(&w.db, &w.indexes.qa, &q(&[("q", "灵活就业 养老保险")]))
        .await
        .expect("search");
    assert_eq!(page.hits.first().map(|h| h.id.as_str()), Some("qa-1"));
    assert!(page.hits[0].snippet.contains("<mark>"));
    let civil = qa::search(&w.db, &w.indexes.qa, &q(&[("department", "芜湖市民政局")]))
        .await
        .expect("search");
    assert_eq!(civil.total, 1);
    assert_eq!(civil.hits[0].phone.as_deref(), Some("0553-3832100"));
    let topic = qa::search(&w.db, &w.indexes.qa, &q(&[("topic", "社会保障")]))
        .await
        .expect("search");
    assert_eq!(topic.total, 2);
    let departments: Vec<&str> = topic.facets["department"]
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(departments.len(), 2);
    let none = qa::search(&w.db, &w.indexes.qa, &q(&[("q", "？？")]))
        .await
        .expect("search");
    assert_eq!(none.total, 0);
    assert!(none.notice.is_some());
}

#[tokio::test]
async fn staff_write_and_edit_entries_of_their_own_department_only() {
    let w = world().await;
    let form = QaForm {
        question: "就业见习补贴多久发放一次？".into(),
        answer: "就业见习补贴按月发放。".into(),
        document: "d-1".into(),
        topic: "就业创业".into(),
        section: "就业促进科".into(),
        phone: "0553-3835212".into(),
        department: String::new(),
    };
    let id = qa::save(&w.db, Some(&w.hr), None, &form)
        .await
        .expect("save");
    assert!(
        qa::entry(&w.db, Some(&w.hr), &id)
            .await
            .expect("entry")
            .editable
    );
    let edited = QaForm {
        answer: "就业见习补贴按月发放，次月15日前到账。".into(),
        ..form.clone()
    };
    qa::save(&w.db, Some(&w.hr), Some(&id), &edited)
        .await
        .expect("edit");
    let r = qa::save(&w.db, Some(&w.civil), Some(&id), &edited).await;
    assert!(matches!(r, Err(ServiceError::Forbidden(_))));
    let r = qa::save(&w.db, Some(&w.asker), None, &form).await;
    assert!(matches!(r, Err(ServiceError::Forbidden(_))));
    let bad = QaForm {
        phone: "打电话".into(),
        ..form
    };
    assert!(matches!(
        qa::save(&w.db, Some(&w.hr), None, &bad).await,
        Err(ServiceError::Invalid(_))
    ));
    assert_eq!(
        qa_entry::Entity::find().count(&w.db).await.expect("count"),
        3
    );
    w.catch_up().await;
    let found = qa::search(
        &w.db,
        &w.indexes.qa,
        &QaQuery::parse([("q", "次月到账")]).expect("query"),
    )
    .await
    .expect("search");
    assert_eq!(found.hits.first().map(|h| h.id.as_str()), Some(id.as_str()));
    // On its document's page.
    let on_doc = qa::of_document(&w.db, "d-1").await.expect("of document");
    assert!(on_doc.iter().any(|v| v.id == id));
}

#[tokio::test]
async fn of_two_staff_answering_and_declining_at_once_exactly_one_wins() {
    let w = world().await;
    let hr2 = account_of(
        &w.db,
        "hr2@wuhu.gov.cn",
        Role::Staff,
        Some(org(&w.db, "芜湖市人力资源和社会保障局").await),
    )
    .await;
    let id = w.ask_about_d1(true).await;
    let a = answer("可向人社局申请。", false);
    let (answered, declined) = common::overlapping(
        &w.url,
        &w.db,
        "consultations",
        consult::answer(&w.db, Some(&w.hr), id, &a),
        consult::reject(&w.db, Some(&hr2), id, "不属于本部门职责范围"),
    )
    .await;
    assert_eq!(
        u8::from(answered.is_ok()) + u8::from(declined.is_ok()),
        1,
        "{answered:?} / {declined:?}"
    );
    let d = consult::detail(&w.db, Some(&w.asker), id)
        .await
        .expect("detail");
    match (answered.is_ok(), d.summary.status) {
        (true, ConsultStatus::Answered) | (false, ConsultStatus::Rejected) => {}
        other => panic!("the stored status disagrees with the winner: {other:?}"),
    }
    feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert_eq!(
        feed::page(&w.db, &w.asker, None)
            .await
            .expect("feed")
            .items
            .len(),
        1
    );
}

impl World {
    /// A second staff member of 人社局.
    async fn hr2(&self) -> SessionUser {
        account_of(
            &self.db,
            "hr2@wuhu.gov.cn",
            Role::Staff,
            Some(org(&self.db, "芜湖市人力资源和社会保障局").await),
        )
        .await
    }
}

/// The loser of a forced race is told someone else was first.
fn lost(r: &Result<(), ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Conflict(m)) if m.contains("刚刚"))
}

#[tokio::test]
async fn of_two_staff_answering_at_once_one_answer_is_stored_and_the_other_is_told() {
    let w = world().await;
    let hr2 = w.hr2().await;
    let id = w.ask_about_d1(true).await;
    let (first, second) = common::overlapping(
        &w.url,
        &w.db,
        "consultations",
        consult::answer(&w.db, Some(&w.hr), id, &answer("第一位的答复。", false)),
        consult::answer(&w.db, Some(&hr2), id, &answer("第二位的答复。", false)),
    )
    .await;
    assert!(
        (first.is_ok() && lost(&second)) || (second.is_ok() && lost(&first)),
        "{first:?} / {second:?}"
    );
    let d = consult::detail(&w.db, Some(&w.asker), id)
        .await
        .expect("detail");
    let winner = if first.is_ok() {
        "第一位的答复。"
    } else {
        "第二位的答复。"
    };
    assert_eq!(d.answer.as_deref(), Some(winner));
    feed::dispatch_pending(&w.db, 100).await.expect("dispatch");
    assert_eq!(
        feed::page(&w.db, &w.asker, None)
            .await
            .expect("feed")
            .items
            .len(),
        1
    );
}

#[tokio::test]
async fn a_transfer_and_an_answer_at_once_leave_one_consistent_outcome() {
    let w = world().await;
    let hr2 = w.hr2().await;
    let id = w.ask_about_d1(true).await;
    let (moved, answered) = common::overlapping(
        &w.url,
        &w.db,
        "consultations",
        consult::assign(&w.db, Some(&w.hr), id, "芜湖市民政局"),
        consult::answer(&w.db, Some(&hr2), id, &answer("可向人社局申请。", false)),
    )
    .await;
    assert!(
        (moved.is_ok() && lost(&answered)) || (answered.is_ok() && lost(&moved)),
        "{moved:?} / {answered:?}"
    );
    let d = consult::detail(&w.db, Some(&w.asker), id)
        .await
        .expect("detail");
    if moved.is_ok() {
        assert_eq!(d.summary.status, ConsultStatus::Assigned);
        assert_eq!(d.answer, None);
        assert_eq!(d.summary.department.as_deref(), Some("芜湖市民政局"));
    } else {
        assert_eq!(d.summary.status, ConsultStatus::Answered);
        assert_eq!(
            d.summary.department.as_deref(),
            Some("芜湖市人力资源和社会保障局")
        );
    }
}

#[tokio::test]
async fn of_two_staff_publishing_one_answer_to_qa_at_once_one_entry_is_made() {
    let w = world().await;
    let hr2 = w.hr2().await;
    let id = w.ask_about_d1(true).await;
    w.answer_as(&w.hr, id, "可向人社局申请。", false)
        .await
        .expect("answer");
    let before = qa_entry::Entity::find().count(&w.db).await.expect("count");
    let publish = answer("可向人社局申请。", true);
    let (first, second) = common::overlapping(
        &w.url,
        &w.db,
        "consultations",
        consult::publish_answer(&w.db, Some(&w.hr), id, &publish),
        consult::publish_answer(&w.db, Some(&hr2), id, &publish),
    )
    .await;
    let refused = |r: &Result<String, ServiceError>| matches!(r, Err(ServiceError::Conflict(_)));
    assert!(
        (first.is_ok() && refused(&second)) || (second.is_ok() && refused(&first)),
        "{first:?} / {second:?}"
    );
    assert_eq!(
        qa_entry::Entity::find().count(&w.db).await.expect("count"),
        before + 1
    );
}

#[tokio::test]
async fn a_public_question_answered_about_a_document_finds_it_and_a_private_one_does_not() {
    let w = world().await;
    let search = |q: &'static str| common::hit_ids(&w.db, &w.indexes.library, q);
    // Neither the document nor anything about it says 校门, 实习 or 生活费 yet.
    let asked = "刚走出校门去单位实习有没有生活费";
    assert!(!search(asked).await.contains(&"d-1".to_owned()));
    for public in [false, true] {
        let id = consult::ask(&w.db, Some(&w.asker), &question(asked, "d-1", "", public))
            .await
            .expect("ask");
        w.answer_as(&w.hr, id, "见习期间按月发放就业见习补贴。", false)
            .await
            .expect("answer");
        w.catch_up().await;
        let found = search(asked).await;
        if public {
            assert_eq!(found.first().map(String::as_str), Some("d-1"), "{found:?}");
        } else {
            assert!(
                !found.contains(&"d-1".to_owned()),
                "a private question is not shown: {found:?}"
            );
        }
    }
}
