//! Drafting and the three-level review on a real database (SQLite, or PostgreSQL when
//! ZHENGCE_TEST_DATABASE_URL is set).

mod common;

use common::{ReviewTeam, account_of, approve, citizen, org};

use std::io::Cursor;

use domain::account::{Role, SessionUser};
use domain::audit::{AuditAction, AuditQuery};
use domain::feed::FeedKind;
use domain::review::{
    ChangeForm, Decision, DiffLine, Draft, DraftForm, DraftKind, GrantForm, ReviewLevel, Stage,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use service::entity::{document, draft_version, organization, outbox as event};
use service::library::import;
use service::review::{self, grants, lifecycle};
use service::{ServiceError, audit};

const LIBRARY: &str = r#"{"id":"d-1","title":"芜湖市高校毕业生就业见习管理办法","issuer":"芜湖市人力资源和社会保障局","published_date":"2024-03-01","doc_type":"行政规范性文件","topic_auto":"就业创业","audiences":["高校毕业生"],"validity":"有效","body":"就业见习补贴按月发放。"}
{"id":"d-2","title":"芜湖市养老服务补贴办法","issuer":"芜湖市民政局","published_date":"2024-04-01","doc_type":"行政规范性文件","topic_auto":"社会保障","audiences":["老年人"],"validity":"有效","body":"养老服务补贴。"}
"#;

struct World {
    db: DatabaseConnection,
    url: String,
    /// 人社局's drafter and reviewers.
    hr: ReviewTeam,
    hr_org: i32,
    civil_org: i32,
    admin: SessionUser,
}

async fn world() -> World {
    let url = service::db::scratch_database_url("review")
        .await
        .expect("scratch");
    let db = service::db::connect(&url).await.expect("connect");
    import::import_documents(&db, &common::indexes(), Cursor::new(LIBRARY))
        .await
        .expect("library");
    let hr_org = org(&db, "芜湖市人力资源和社会保障局").await;
    let civil_org = org(&db, "芜湖市民政局").await;
    let hr = ReviewTeam::new(&db, hr_org, "hr").await;
    let admin = account_of(&db, "admin@wuhu.gov.cn", Role::Admin, None).await;
    World {
        db,
        url,
        hr,
        hr_org,
        civil_org,
        admin,
    }
}

fn form(title: &str, body: &str) -> DraftForm {
    DraftForm {
        title: title.into(),
        doc_number: "芜人社〔2026〕9号".into(),
        doc_type: "行政规范性文件".into(),
        topic: "就业创业".into(),
        audience: "高校毕业生".into(),
        body: body.into(),
        ..Default::default()
    }
}

fn draft(title: &str, body: &str) -> Draft {
    Draft::parse(&form(title, body)).expect("draft")
}

const BODY: &str = "第一条 为促进高校毕业生就业，制定本办法。\n第二条 补贴标准为每人每月1000元。\n第三条 本办法自发布之日起施行。";

/// Writes `d` as `drafter` and submits it to 初审; the draft's id.
async fn submitted(db: &DatabaseConnection, drafter: &SessionUser, d: &Draft) -> String {
    let id = review::create(db, Some(drafter), d).await.expect("create");
    review::submit(db, Some(drafter), &id)
        .await
        .expect("submit");
    id
}

async fn documents_titled(db: &DatabaseConnection, title: &str) -> u64 {
    document::Entity::find()
        .filter(document::Column::Title.eq(title))
        .count(db)
        .await
        .expect("count")
}

async fn actions(db: &DatabaseConnection) -> Vec<AuditAction> {
    let mut q = AuditQuery::parse([]).expect("query");
    q.page = 1;
    let admin = SessionUser {
        id: 0,
        display_name: "审计".into(),
        role: Role::Admin,
        org_id: None,
        address: None,
    };
    let mut out: Vec<AuditAction> = audit::list(db, Some(&admin), &q)
        .await
        .expect("audit")
        .entries
        .into_iter()
        .map(|e| e.action)
        .collect();
    out.reverse();
    out
}

#[tokio::test]
async fn a_draft_passes_three_different_reviewers_and_only_the_last_approval_publishes() {
    let w = world().await;
    let title = "芜湖市高校毕业生就业补贴办法";
    let id = submitted(&w.db, &w.hr.drafter, &draft(title, BODY)).await;
    let expected = [Stage::Second, Stage::Final, Stage::Published];
    for ((reviewer, stage), level) in w.hr.reviewers.iter().zip(expected).zip(ReviewLevel::ALL) {
        assert_eq!(
            documents_titled(&w.db, title).await,
            0,
            "published before {stage}"
        );
        assert_eq!(
            review::decide(&w.db, Some(reviewer), &id, *level, &approve())
                .await
                .expect("approve"),
            stage
        );
    }
    let view = review::view(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("view");
    let doc_id = view.document_id.expect("document");
    let doc = document::Entity::find_by_id(doc_id.clone())
        .one(&w.db)
        .await
        .expect("read")
        .expect("document stored");
    assert_eq!((doc.title.as_str(), doc.issuer_id), (title, Some(w.hr_org)));
    assert_eq!(doc.doc_number.as_deref(), Some("芜人社〔2026〕9号"));
    // Its event is in the outbox, so subscribers hear of it and the indexes take it in.
    let events = event::Entity::find()
        .filter(event::Column::DocumentId.eq(doc_id))
        .count(&w.db)
        .await
        .expect("events");
    assert_eq!(events, 1);
    let levels: Vec<ReviewLevel> = view.reviews.iter().map(|r| r.level).collect();
    assert_eq!(levels, ReviewLevel::ALL);
    let reviewers: std::collections::HashSet<&str> =
        view.reviews.iter().map(|r| r.reviewer.as_str()).collect();
    assert_eq!(reviewers.len(), 3);
    let log = actions(&w.db).await;
    assert!(
        log.ends_with(&[
            AuditAction::Submit,
            AuditAction::Approve,
            AuditAction::Approve,
            AuditAction::Approve,
            AuditAction::Publish
        ]),
        "{log:?}"
    );
    assert!(matches!(
        audit::verify(&w.db).await.expect("verify"),
        audit::Verified::Intact(_)
    ));
}

#[tokio::test]
async fn nobody_approves_their_own_draft_or_two_levels_of_one() {
    let w = world().await;
    // One person holding all three levels, and a drafter who also holds 初审.
    let all = account_of(&w.db, "all@wuhu.gov.cn", Role::Staff, Some(w.hr_org)).await;
    for level in ReviewLevel::ALL {
        grants::grant(
            &w.db,
            Some(&w.admin),
            &GrantForm {
                login: "all@wuhu.gov.cn".into(),
                unit: "芜湖市人力资源和社会保障局".into(),
                level: level.as_str().into(),
            },
        )
        .await
        .expect("grant");
    }
    let own = submitted(&w.db, &w.hr.reviewers[0], &draft("自己起草的文件", BODY)).await;
    let refused = review::decide(
        &w.db,
        Some(&w.hr.reviewers[0]),
        &own,
        ReviewLevel::First,
        &approve(),
    )
    .await;
    assert!(
        matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("自己起草")),
        "{refused:?}"
    );

    let id = submitted(&w.db, &w.hr.drafter, &draft("一人两级的文件", BODY)).await;
    assert_eq!(
        review::decide(&w.db, Some(&all), &id, ReviewLevel::First, &approve())
            .await
            .expect("初审"),
        Stage::Second
    );
    let second = review::decide(&w.db, Some(&all), &id, ReviewLevel::Second, &approve()).await;
    assert!(
        matches!(&second, Err(ServiceError::Forbidden(m)) if m.contains("不同的人")),
        "{second:?}"
    );
    // The queue does not offer it to them either, and the page offers no decision.
    let queue = review::queue(&w.db, Some(&all)).await.expect("queue");
    assert!(queue.iter().all(|d| d.id != id), "{queue:?}");
    let view = review::view(&w.db, Some(&all), &id).await.expect("view");
    assert_eq!(view.may_review, None);
    // Someone else holding 复审 may.
    assert_eq!(
        review::decide(
            &w.db,
            Some(&w.hr.reviewers[1]),
            &id,
            ReviewLevel::Second,
            &approve()
        )
        .await
        .expect("复审"),
        Stage::Final
    );
}

#[tokio::test]
async fn a_returned_draft_goes_back_to_its_drafter_and_reviewers_see_what_changed() {
    let w = world().await;
    let id = submitted(&w.db, &w.hr.drafter, &draft("退回修改的文件", BODY)).await;
    review::decide(
        &w.db,
        Some(&w.hr.reviewers[0]),
        &id,
        ReviewLevel::First,
        &approve(),
    )
    .await
    .expect("初审");
    let returned = review::decide(
        &w.db,
        Some(&w.hr.reviewers[1]),
        &id,
        ReviewLevel::Second,
        &Decision::Return {
            comment: "第二条请写明补贴的发放时间".into(),
        },
    )
    .await
    .expect("return");
    assert_eq!(returned, Stage::Returned);
    // Nobody can decide it now, and only its drafter may change it.
    assert!(matches!(
        review::decide(
            &w.db,
            Some(&w.hr.reviewers[2]),
            &id,
            ReviewLevel::Final,
            &approve()
        )
        .await,
        Err(ServiceError::Conflict(_))
    ));
    // The second article changes and a fourth follows the last, unchanged one.
    let revised = format!(
        "{}\n第四条 补贴资金由就业补助资金列支。",
        BODY.replace("每月1000元。", "每月1000元，按季度发放。")
    );
    assert!(matches!(
        review::update(
            &w.db,
            Some(&w.hr.reviewers[0]),
            &id,
            &draft("退回修改的文件", &revised)
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));
    let mine = review::view(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("view");
    assert!(mine.may_edit);
    assert_eq!(
        mine.reviews.last().and_then(|r| r.comment.as_deref()),
        Some("第二条请写明补贴的发放时间")
    );
    review::update(
        &w.db,
        Some(&w.hr.drafter),
        &id,
        &draft("退回修改的文件", &revised),
    )
    .await
    .expect("revise");
    review::submit(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("resubmit");
    // A new round starts at 初审: the first round's approval does not count.
    let view = review::view(&w.db, Some(&w.hr.reviewers[0]), &id)
        .await
        .expect("view");
    assert_eq!((view.summary.stage, view.summary.round), (Stage::First, 2));
    assert_eq!(view.may_review, Some(ReviewLevel::First));
    assert!(view.changes.contains(&DiffLine::Removed(
        "第二条 补贴标准为每人每月1000元。".into()
    )));
    assert!(view.changes.contains(&DiffLine::Added(
        "第二条 补贴标准为每人每月1000元，按季度发放。".into()
    )));
    assert!(view.changes.contains(&DiffLine::Same(
        "第一条 为促进高校毕业生就业，制定本办法。".into()
    )));
    // The unchanged last line is not reported as changed.
    assert!(
        view.changes
            .contains(&DiffLine::Same("第三条 本办法自发布之日起施行。".into()))
    );
    assert_eq!(
        view.changes
            .iter()
            .filter(|l| !matches!(l, DiffLine::Same(_)))
            .count(),
        3,
        "{:?}",
        view.changes
    );
    // While in review, the drafter cannot change it.
    assert!(matches!(
        review::update(
            &w.db,
            Some(&w.hr.drafter),
            &id,
            &draft("退回修改的文件", BODY)
        )
        .await,
        Err(ServiceError::Conflict(_))
    ));
}

#[tokio::test]
async fn personal_data_and_sensitive_words_block_submission_with_their_positions() {
    let w = world().await;
    let body = format!("{BODY}\n联系人电话：138 0013 8000。");
    let id = review::create(
        &w.db,
        Some(&w.hr.drafter),
        &draft("含有手机号的文件", &body),
    )
    .await
    .expect("a draft may hold anything while written");
    let refused = review::submit(&w.db, Some(&w.hr.drafter), &id).await;
    let Err(ServiceError::Invalid(e)) = &refused else {
        panic!("{refused:?}")
    };
    let at = body[..body.find("138").expect("number")].chars().count() + 1;
    assert_eq!(e.field, "body");
    assert!(e.message.contains(&format!("第 {at} 个字起")), "{e:?}");
    assert!(e.message.contains("手机号"), "{e:?}");
    // Nothing moved: still a draft, no submitted version, nothing in the audit log.
    let view = review::view(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("view");
    assert_eq!(
        (view.summary.stage, view.summary.round),
        (Stage::Editing, 0)
    );
    assert_eq!(
        draft_version::Entity::find()
            .filter(draft_version::Column::DraftId.eq(id.as_str()))
            .count(&w.db)
            .await
            .expect("versions"),
        0
    );
    assert!(!actions(&w.db).await.contains(&AuditAction::Submit));
}

#[tokio::test]
async fn error_prone_terms_warn_and_each_reviewer_must_acknowledge_them() {
    let w = world().await;
    let (wrong, suggested) = domain::screening::Lexicon::starter().entries()[0].clone();
    let body = format!("{BODY}\n本办法由{wrong}负责解释。");
    let id = review::create(
        &w.db,
        Some(&w.hr.drafter),
        &draft("含有错敏词的文件", &body),
    )
    .await
    .expect("create");
    let warnings = review::submit(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("warnings do not block");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        (
            warnings[0].warning.found.as_str(),
            warnings[0].warning.suggestion.as_str()
        ),
        (wrong.as_str(), suggested.as_str())
    );
    let unacknowledged = review::decide(
        &w.db,
        Some(&w.hr.reviewers[0]),
        &id,
        ReviewLevel::First,
        &Decision::Approve {
            comment: None,
            acknowledged: false,
        },
    )
    .await;
    assert!(
        matches!(&unacknowledged, Err(ServiceError::Invalid(e)) if e.field == "acknowledged"),
        "{unacknowledged:?}"
    );
    let view = review::view(&w.db, Some(&w.hr.reviewers[0]), &id)
        .await
        .expect("view");
    assert_eq!(view.warnings, warnings);
    assert_eq!(
        review::decide(
            &w.db,
            Some(&w.hr.reviewers[0]),
            &id,
            ReviewLevel::First,
            &approve()
        )
        .await
        .expect("acknowledged"),
        Stage::Second
    );
}

#[tokio::test]
async fn only_staff_draft_and_a_draft_is_hidden_alike_from_everyone_outside_its_unit() {
    let w = world().await;
    let d = draft("角色检查的文件", BODY);
    let resident = citizen(&w.db, "13900000001").await;
    assert!(matches!(
        review::create(&w.db, None, &d).await,
        Err(ServiceError::Unauthorized)
    ));
    for who in [&resident, &w.admin] {
        assert!(matches!(
            review::create(&w.db, Some(who), &d).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    let id = submitted(&w.db, &w.hr.drafter, &d).await;
    // Another unit's staff and reviewers: the same answer as for an id that does not exist.
    let civil = ReviewTeam::new(&w.db, w.civil_org, "civil").await;
    let missing = review::view(&w.db, Some(&civil.drafter), "df-missing").await;
    let ServiceError::NotFound(missing) = missing.expect_err("missing") else {
        panic!("not a 404")
    };
    for who in [&civil.drafter, &civil.reviewers[0]] {
        match review::view(&w.db, Some(who), &id).await {
            Err(ServiceError::NotFound(m)) => assert_eq!(m, missing),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            review::decide(&w.db, Some(who), &id, ReviewLevel::First, &approve()).await,
            Err(ServiceError::NotFound(_))
        ));
        assert!(matches!(
            review::update(&w.db, Some(who), &id, &d).await,
            Err(ServiceError::NotFound(_))
        ));
    }
    assert!(matches!(
        review::view(&w.db, Some(&resident), &id).await,
        Err(ServiceError::NotFound(_))
    ));
    // A colleague without a level sees it but cannot decide; a wrong level cannot either.
    let colleague = account_of(&w.db, "colleague@wuhu.gov.cn", Role::Staff, Some(w.hr_org)).await;
    assert!(review::view(&w.db, Some(&colleague), &id).await.is_ok());
    for who in [&colleague, &w.hr.reviewers[1]] {
        assert!(matches!(
            review::decide(&w.db, Some(who), &id, ReviewLevel::First, &approve()).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    assert!(matches!(
        review::decide(&w.db, Some(&w.admin), &id, ReviewLevel::First, &approve()).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        review::queue(&w.db, Some(&resident)).await,
        Err(ServiceError::Forbidden(_))
    ));
    // Admins read every draft.
    assert!(review::view(&w.db, Some(&w.admin), &id).await.is_ok());
}

#[tokio::test]
async fn a_reviewers_queue_and_count_hold_what_waits_for_their_level_in_their_unit() {
    let w = world().await;
    let civil = ReviewTeam::new(&w.db, w.civil_org, "civil").await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let id = submitted(&w.db, &w.hr.drafter, &draft(&format!("排队文件{n}"), BODY)).await;
        ids.push(id);
    }
    let other = submitted(&w.db, &civil.drafter, &draft("民政局的文件", BODY)).await;
    review::decide(
        &w.db,
        Some(&w.hr.reviewers[0]),
        &ids[0],
        ReviewLevel::First,
        &approve(),
    )
    .await
    .expect("初审");
    let first = review::queue(&w.db, Some(&w.hr.reviewers[0]))
        .await
        .expect("queue");
    let mut got: Vec<&str> = first.iter().map(|d| d.id.as_str()).collect();
    got.sort_unstable();
    let mut want = vec![ids[1].as_str(), ids[2].as_str()];
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(
        review::queue_count(&w.db, Some(&w.hr.reviewers[0]))
            .await
            .expect("count"),
        2
    );
    let second = review::queue(&w.db, Some(&w.hr.reviewers[1]))
        .await
        .expect("queue");
    assert_eq!(
        second.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        [ids[0].as_str()]
    );
    assert_eq!(
        review::queue_count(&w.db, Some(&w.hr.drafter))
            .await
            .expect("count"),
        0
    );
    assert_eq!(review::queue_count(&w.db, None).await.expect("count"), 0);
    // The unit's drafts page lists its own drafts only.
    let listed = review::drafts(&w.db, Some(&civil.drafter))
        .await
        .expect("drafts");
    assert_eq!(
        listed.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        [other.as_str()]
    );
}

#[tokio::test]
async fn levels_go_to_the_units_own_staff_and_the_city_governments_final_to_the_openness_office() {
    let w = world().await;
    let office = organization::ActiveModel {
        name: Set("芜湖市政务公开办公室".into()),
        kind: Set("department".into()),
        ..Default::default()
    }
    .insert(&w.db)
    .await
    .expect("office");
    organization::ActiveModel {
        name: Set("芜湖市人民政府".into()),
        kind: Set("city".into()),
        level: Set(Some("市本级".into())),
        final_review_org_id: Set(Some(office.id)),
        ..Default::default()
    }
    .insert(&w.db)
    .await
    .expect("city");
    let clerk = account_of(&w.db, "clerk@wuhu.gov.cn", Role::Staff, Some(office.id)).await;
    let grant = |login: &str, unit: &str, level: &str| GrantForm {
        login: login.into(),
        unit: unit.into(),
        level: level.into(),
    };
    // Only admins grant.
    let by_staff = grants::grant(
        &w.db,
        Some(&w.hr.drafter),
        &grant("clerk@wuhu.gov.cn", "芜湖市人民政府", "终审"),
    )
    .await;
    assert!(
        matches!(by_staff, Err(ServiceError::Forbidden(_))),
        "{by_staff:?}"
    );
    // Another unit's staff cannot hold 人社局's levels.
    let foreign = grants::grant(
        &w.db,
        Some(&w.admin),
        &grant("clerk@wuhu.gov.cn", "芜湖市人力资源和社会保障局", "初审"),
    )
    .await;
    assert!(
        matches!(&foreign, Err(ServiceError::Invalid(e)) if e.field == "login"),
        "{foreign:?}"
    );
    // The city government's 终审 goes to the openness office, and not to 人社局's staff.
    grants::grant(
        &w.db,
        Some(&w.admin),
        &grant("clerk@wuhu.gov.cn", "芜湖市人民政府", "终审"),
    )
    .await
    .expect("office holds the city's final review");
    let wrong = grants::grant(
        &w.db,
        Some(&w.admin),
        &grant("hr-l1@wuhu.gov.cn", "芜湖市人民政府", "终审"),
    )
    .await;
    assert!(
        matches!(&wrong, Err(ServiceError::Invalid(e)) if e.message.contains("芜湖市政务公开办公室")),
        "{wrong:?}"
    );
    // Twice is a conflict; a citizen or an unknown unit or level is refused by field.
    let twice = grants::grant(
        &w.db,
        Some(&w.admin),
        &grant("clerk@wuhu.gov.cn", "芜湖市人民政府", "终审"),
    )
    .await;
    assert!(matches!(twice, Err(ServiceError::Conflict(_))), "{twice:?}");
    citizen(&w.db, "13900000002").await;
    for (form, field) in [
        (grant("13900000002", "芜湖市人民政府", "终审"), "login"),
        (grant("clerk@wuhu.gov.cn", "不存在的局", "终审"), "unit"),
        (
            grant("clerk@wuhu.gov.cn", "芜湖市人民政府", "四审"),
            "level",
        ),
    ] {
        let refused = grants::grant(&w.db, Some(&w.admin), &form).await;
        assert!(
            matches!(&refused, Err(ServiceError::Invalid(e)) if e.field == field),
            "{field}: {refused:?}"
        );
    }
    let listed = grants::list(&w.db, Some(&w.admin)).await.expect("list");
    let clerk_grant = listed
        .iter()
        .find(|g| g.login == "clerk@wuhu.gov.cn")
        .expect("listed");
    assert_eq!(
        (clerk_grant.unit.as_str(), clerk_grant.level),
        ("芜湖市人民政府", ReviewLevel::Final)
    );
    assert!(matches!(
        grants::list(&w.db, Some(&clerk)).await,
        Err(ServiceError::Forbidden(_))
    ));
    grants::revoke(&w.db, Some(&w.admin), clerk_grant.id)
        .await
        .expect("revoke");
    assert!(
        grants::held(&w.db, clerk.id)
            .await
            .expect("held")
            .is_empty()
    );
    let log = actions(&w.db).await;
    assert_eq!(log.last(), Some(&AuditAction::Revoke));
    assert!(log.contains(&AuditAction::Grant));
}

#[tokio::test]
async fn of_two_reviewers_deciding_one_level_at_once_exactly_one_wins() {
    let w = world().await;
    let second = account_of(&w.db, "hr-l1b@wuhu.gov.cn", Role::Staff, Some(w.hr_org)).await;
    grants::grant(
        &w.db,
        Some(&w.admin),
        &GrantForm {
            login: "hr-l1b@wuhu.gov.cn".into(),
            unit: "芜湖市人力资源和社会保障局".into(),
            level: "初审".into(),
        },
    )
    .await
    .expect("grant");
    let id = submitted(&w.db, &w.hr.drafter, &draft("两人同时初审的文件", BODY)).await;
    let (approved, returned) = common::overlapping(
        &w.url,
        &w.db,
        "draft_reviews",
        review::decide(
            &w.db,
            Some(&w.hr.reviewers[0]),
            &id,
            ReviewLevel::First,
            &approve(),
        ),
        review::decide(
            &w.db,
            Some(&second),
            &id,
            ReviewLevel::First,
            &Decision::Return {
                comment: "请补充政策依据".into(),
            },
        ),
    )
    .await;
    assert_eq!(
        u8::from(approved.is_ok()) + u8::from(returned.is_ok()),
        1,
        "{approved:?} / {returned:?}"
    );
    let loser = if approved.is_ok() {
        &returned
    } else {
        &approved
    };
    assert!(matches!(loser, Err(ServiceError::Conflict(_))), "{loser:?}");
    let view = review::view(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("view");
    assert_eq!(view.reviews.len(), 1);
    let expected = if approved.is_ok() {
        Stage::Second
    } else {
        Stage::Returned
    };
    assert_eq!(view.summary.stage, expected);
}

#[tokio::test]
async fn publishing_through_review_reaches_subscribers_of_its_topic() {
    let w = world().await;
    let reader = subscriber(&w, "13900000003").await;
    let doc =
        w.hr.publish(&w.db, &draft("经三级审核发布的就业文件", BODY))
            .await;
    let items = feed_of(&w, &reader).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].href, format!("/documents/{doc}"));
}

#[tokio::test]
async fn admins_edit_the_lexicon_and_submissions_are_checked_against_their_copy() {
    let w = world().await;
    let starter = service::screening::lexicon_text(&w.db, Some(&w.admin))
        .await
        .expect("text");
    assert_eq!(
        starter.lines().count(),
        domain::screening::Lexicon::starter().len(),
        "a fresh database holds the starter lexicon"
    );
    for who in [&w.hr.drafter, &w.hr.reviewers[2]] {
        assert!(matches!(
            service::screening::save_lexicon(&w.db, Some(who), "见习补帖=见习补贴\n").await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    // A bad line is refused by its number, and the lexicon is unchanged.
    let refused =
        service::screening::save_lexicon(&w.db, Some(&w.admin), "见习补帖=见习补贴\n没有等号\n")
            .await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(e)) if e.message.contains("第 2 行")),
        "{refused:?}"
    );
    assert_eq!(
        service::screening::lexicon(&w.db)
            .await
            .expect("lexicon")
            .len(),
        domain::screening::Lexicon::starter().len()
    );
    let saved = service::screening::save_lexicon(
        &w.db,
        Some(&w.admin),
        &format!("# 本市常见笔误\n见习补帖=见习补贴\n{starter}"),
    )
    .await
    .expect("save");
    assert_eq!(saved, domain::screening::Lexicon::starter().len() + 1);
    let id = review::create(
        &w.db,
        Some(&w.hr.drafter),
        &draft(
            "见习补贴发放办法",
            &format!("{BODY}\n第四条 见习补帖按月发放。"),
        ),
    )
    .await
    .expect("create");
    let warnings = review::submit(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("submit");
    assert_eq!(
        warnings
            .iter()
            .map(|w| (w.warning.found.as_str(), w.warning.suggestion.as_str()))
            .collect::<Vec<_>>(),
        [("见习补帖", "见习补贴")]
    );
    assert_eq!(actions(&w.db).await.last(), Some(&AuditAction::Submit));
    assert!(actions(&w.db).await.contains(&AuditAction::EditLexicon));
}

fn interpretation(form: &str, title: &str) -> domain::interpretation::InterpretationInput {
    domain::interpretation::InterpretationInput {
        form: form.into(),
        title: title.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_city_level_normative_document_goes_out_with_two_forms_of_interpretation_together() {
    use domain::interpretation::InterpretationDraft;
    use service::review::interpretations;
    let w = world().await;
    let office = organization::ActiveModel {
        name: Set("芜湖市人民政府办公室".into()),
        kind: Set("city".into()),
        level: Set(Some("市本级".into())),
        ..Default::default()
    }
    .insert(&w.db)
    .await
    .expect("office");
    let city = ReviewTeam::new(&w.db, office.id, "city").await;
    let id = review::create(
        &w.db,
        Some(&city.drafter),
        &draft("芜湖市促进就业若干措施", BODY),
    )
    .await
    .expect("create");
    let text = InterpretationDraft::parse(&domain::interpretation::InterpretationInput {
        body: "《措施》从补贴、培训、服务三个方面提出了十条具体举措，现解读如下。".into(),
        ..interpretation("文字解读", "《芜湖市促进就业若干措施》解读")
    })
    .expect("text");
    let qa = InterpretationDraft::parse(&domain::interpretation::InterpretationInput {
        pairs: "问：见习补贴标准是多少？\n答：每人每月1000元，按月发放。\n问：谁可以申请创业担保贷款？\n答：符合条件的个人和小微企业均可申请。".into(),
        ..interpretation("简明问答", "一问一答看就业措施")
    })
    .expect("qa");
    // One form is not enough for a city-level normative document.
    interpretations::add(&w.db, Some(&city.drafter), &id, &text)
        .await
        .expect("text");
    let refused = review::submit(&w.db, Some(&city.drafter), &id).await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(e)) if e.field == "interpretations" && e.message.contains("现有 1 种")),
        "{refused:?}"
    );
    // Two of one form are still one form.
    interpretations::add(&w.db, Some(&city.drafter), &id, &text)
        .await
        .expect("second text");
    assert!(
        review::submit(&w.db, Some(&city.drafter), &id)
            .await
            .is_err()
    );
    let view = review::view(&w.db, Some(&city.drafter), &id)
        .await
        .expect("view");
    interpretations::remove(&w.db, Some(&city.drafter), &id, view.interpretations[1].id)
        .await
        .expect("remove");
    // Personal data in an interpretation blocks the submission and says where.
    let leaky = InterpretationDraft::parse(&domain::interpretation::InterpretationInput {
        pairs: "问：有问题找谁？\n答：请拨打经办人手机13812345678咨询。".into(),
        ..interpretation("简明问答", "含手机号的问答")
    })
    .expect("parses");
    interpretations::add(&w.db, Some(&city.drafter), &id, &leaky)
        .await
        .expect("added while editing");
    let refused = review::submit(&w.db, Some(&city.drafter), &id).await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(e)) if e.message.contains("解读《含手机号的问答》")),
        "{refused:?}"
    );
    let view = review::view(&w.db, Some(&city.drafter), &id)
        .await
        .expect("view");
    let leak = view
        .interpretations
        .iter()
        .find(|i| i.title == "含手机号的问答")
        .expect("leak");
    interpretations::remove(&w.db, Some(&city.drafter), &id, leak.id)
        .await
        .expect("remove");
    interpretations::add(&w.db, Some(&city.drafter), &id, &qa)
        .await
        .expect("qa");
    // Only the drafter, only while editable.
    assert!(matches!(
        interpretations::add(&w.db, Some(&city.reviewers[0]), &id, &qa).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        interpretations::add(&w.db, Some(&w.hr.drafter), &id, &qa).await,
        Err(ServiceError::NotFound(_))
    ));
    review::submit(&w.db, Some(&city.drafter), &id)
        .await
        .expect("two forms");
    assert!(matches!(
        interpretations::add(&w.db, Some(&city.drafter), &id, &qa).await,
        Err(ServiceError::Conflict(_))
    ));
    for (r, level) in city.reviewers.iter().zip(ReviewLevel::ALL) {
        review::decide(&w.db, Some(r), &id, *level, &approve())
            .await
            .expect("approve");
    }
    let doc = review::view(&w.db, Some(&city.drafter), &id)
        .await
        .expect("view")
        .document_id
        .expect("published");
    let detail = service::library::document(&w.db, &common::indexes().library, &doc)
        .await
        .expect("document");
    let forms: Vec<&str> = detail
        .interpretations
        .iter()
        .map(|i| i.form.as_str())
        .collect();
    assert_eq!(forms, ["文字解读", "简明问答"]);
    let page = service::library::interpretation(&w.db, &detail.interpretations[0].id)
        .await
        .expect("page");
    assert_eq!(page.document_id, doc);
    assert_eq!(
        detail.interpretations[0].href,
        format!("/interpretations/{}", detail.interpretations[0].id)
    );
    // The pairs are the unit's Q&A entries, linked to the document.
    let questions: Vec<String> = detail.qa.iter().map(|q| q.question.clone()).collect();
    assert!(
        questions.contains(&"见习补贴标准是多少？".to_owned()),
        "{questions:?}"
    );
    assert!(
        detail
            .qa
            .iter()
            .all(|q| q.department.as_deref() == Some("芜湖市人民政府办公室"))
    );
}

#[tokio::test]
async fn a_unit_counts_its_normative_documents_still_awaiting_interpretation() {
    let w = world().await;
    let mut unit: organization::ActiveModel = organization::Entity::find_by_id(w.hr_org)
        .one(&w.db)
        .await
        .expect("read")
        .expect("人社局")
        .into();
    unit.level = Set(Some("市直部门".into()));
    unit.update(&w.db).await.expect("level");
    let hr = |groups: Vec<domain::unit::UnitGroup>| {
        groups
            .into_iter()
            .flat_map(|g| g.units)
            .find(|u| u.id == w.hr_org)
            .expect("人社局 listed")
    };
    let before = hr(service::unit::list(&w.db).await.expect("units"));
    w.hr.publish(&w.db, &draft("尚无解读的规范性文件", BODY))
        .await;
    let after = hr(service::unit::list(&w.db).await.expect("units"));
    assert_eq!(after.documents, before.documents + 1);
    assert_eq!(
        after.awaiting_interpretation,
        before.awaiting_interpretation + 1
    );
}

#[tokio::test]
async fn drafts_per_person_are_bounded_and_a_crowded_queue_stays_one_bounded_page() {
    let w = world().await;
    let more = [
        account_of(&w.db, "hr-d2@wuhu.gov.cn", Role::Staff, Some(w.hr_org)).await,
        account_of(&w.db, "hr-d3@wuhu.gov.cn", Role::Staff, Some(w.hr_org)).await,
    ];
    let drafters = [&w.hr.drafter, &more[0], &more[1]];
    // Each keeps at most MAX_OPEN_DRAFTS unpublished drafts; all of them wait for 初审.
    for (d, who) in drafters.iter().enumerate() {
        for n in 0..review::MAX_OPEN_DRAFTS {
            submitted(&w.db, who, &draft(&format!("批量草稿{d}-{n}"), BODY)).await;
        }
    }
    let refused =
        review::create(&w.db, Some(&w.hr.drafter), &draft("第一百零一份草稿", BODY)).await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(e)) if e.message.contains("未发布的草稿")),
        "{refused:?}"
    );
    // 300 drafts wait for 初审: the queue is one page of LIST_LIMIT, and the header agrees.
    let queue = review::queue(&w.db, Some(&w.hr.reviewers[0]))
        .await
        .expect("queue");
    assert_eq!(queue.len() as u64, review::LIST_LIMIT);
    assert_eq!(
        review::queue_count(&w.db, Some(&w.hr.reviewers[0]))
            .await
            .expect("count"),
        review::LIST_LIMIT
    );
}

/// Has the team's three levels approve the submitted change `id`.
async fn approve_all(w: &World, id: &str) -> Stage {
    let mut stage = Stage::First;
    for (r, level) in w.hr.reviewers.iter().zip(ReviewLevel::ALL.iter().copied()) {
        stage = review::decide(&w.db, Some(r), id, level, &approve())
            .await
            .expect("approve");
    }
    stage
}

/// Starts a change of `doc` of `kind` with `form` saved, and submits it.
async fn change_submitted(w: &World, doc: &str, kind: DraftKind, form: ChangeForm) -> String {
    let id = lifecycle::start(&w.db, Some(&w.hr.drafter), doc, kind)
        .await
        .expect("start");
    lifecycle::save_change(&w.db, Some(&w.hr.drafter), &id, &form)
        .await
        .expect("save change");
    review::submit(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("submit");
    id
}

/// 废止 from 2026-12-31 for `reason`, replaced by `by`.
fn abolition(reason: &str, by: &str) -> ChangeForm {
    ChangeForm {
        validity: "废止".into(),
        date: "2026-12-31".into(),
        reason: reason.into(),
        replaced_by: by.into(),
    }
}

async fn subscriber(w: &World, mobile: &str) -> SessionUser {
    let reader = citizen(&w.db, mobile).await;
    service::feed::subscribe(
        &w.db,
        &reader,
        &domain::feed::SubscriptionSpec::new(
            vec![(domain::library::Facet::Topic, "就业创业".to_owned())],
            None,
        )
        .expect("spec"),
    )
    .await
    .expect("subscribe");
    reader
}

async fn feed_of(w: &World, reader: &SessionUser) -> Vec<domain::feed::FeedItemView> {
    service::feed::dispatch_pending(&w.db, 100)
        .await
        .expect("dispatch");
    service::feed::page(&w.db, reader, None)
        .await
        .expect("feed")
        .items
}

#[tokio::test]
async fn a_revision_passes_three_levels_and_the_document_keeps_every_version_with_its_note() {
    let w = world().await;
    let doc =
        w.hr.publish(&w.db, &draft("芜湖市见习补贴办法", BODY))
            .await;
    let id = lifecycle::start(&w.db, Some(&w.hr.drafter), &doc, DraftKind::Revision)
        .await
        .expect("start");
    // One change of a document at a time.
    let again = lifecycle::start(&w.db, Some(&w.hr.drafter), &doc, DraftKind::Withdrawal).await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");
    let view = review::view(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("view");
    assert_eq!(
        view.form.body, BODY,
        "a revision starts from the current text"
    );
    assert_eq!(view.document_id.as_deref(), Some(doc.as_str()));
    lifecycle::save_change(
        &w.db,
        Some(&w.hr.drafter),
        &id,
        &ChangeForm {
            reason: "补贴标准由每月1000元提高到1200元".into(),
            ..Default::default()
        },
    )
    .await
    .expect("note");
    // The same text is not a revision.
    let same = review::submit(&w.db, Some(&w.hr.drafter), &id).await;
    assert!(
        matches!(&same, Err(ServiceError::Invalid(e)) if e.field == "body"),
        "{same:?}"
    );
    let revised = BODY.replace("1000元", "1200元");
    review::update(
        &w.db,
        Some(&w.hr.drafter),
        &id,
        &draft("芜湖市见习补贴办法", &revised),
    )
    .await
    .expect("update");
    review::submit(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("submit");
    // Until the last approval the library shows the published text.
    for (r, level) in
        w.hr.reviewers
            .iter()
            .zip(ReviewLevel::ALL.iter().copied())
            .take(2)
    {
        review::decide(&w.db, Some(r), &id, level, &approve())
            .await
            .expect("approve");
    }
    let before = document::Entity::find_by_id(doc.clone())
        .one(&w.db)
        .await
        .expect("read")
        .expect("document");
    assert_eq!(before.body, BODY);
    assert_eq!(
        w.hr.approve_final(&w.db, &id).await.expect("终审"),
        Stage::Published
    );

    let detail = service::library::document(&w.db, &common::indexes().library, &doc)
        .await
        .expect("document");
    assert!(
        detail.body.iter().any(|p| p.contains("1200元")),
        "{:?}",
        detail.body
    );
    let versions: Vec<(u32, Option<String>)> = detail
        .versions
        .iter()
        .map(|v| (v.version, v.note.clone()))
        .collect();
    assert_eq!(
        versions,
        [
            (1, None),
            (2, Some("补贴标准由每月1000元提高到1200元".to_owned()))
        ]
    );
    let kept = service::entity::document_version::Entity::find()
        .filter(service::entity::document_version::Column::DocumentId.eq(doc.as_str()))
        .filter(service::entity::document_version::Column::Version.eq(1))
        .one(&w.db)
        .await
        .expect("read")
        .expect("version 1");
    assert_eq!(kept.body, BODY, "the first version keeps the original text");
    let revision = event::Entity::find()
        .filter(event::Column::Kind.eq(FeedKind::Revised.code()))
        .one(&w.db)
        .await
        .expect("read")
        .expect("an outbox event for the revision");
    assert_eq!(revision.document_id.as_deref(), Some(doc.as_str()));
    assert!(actions(&w.db).await.contains(&AuditAction::Revise));
    // The change is done: another may start.
    lifecycle::start(&w.db, Some(&w.hr.drafter), &doc, DraftKind::Validity)
        .await
        .expect("a new change after the last one published");
}

#[tokio::test]
async fn an_abolition_through_review_tells_subscribers_why_and_flags_the_linked_qa() {
    let w = world().await;
    let reader = subscriber(&w, "13900000011").await;
    let old =
        w.hr.publish(&w.db, &draft("芜湖市旧就业补贴办法", BODY))
            .await;
    let new =
        w.hr.publish(&w.db, &draft("芜湖市新就业补贴办法", BODY))
            .await;
    let qa = service::qa::save(
        &w.db,
        Some(&w.hr.drafter),
        None,
        &domain::qa::QaForm {
            question: "旧办法的补贴怎么申请？".into(),
            answer: "向所在县区人社部门提交申请材料。".into(),
            document: old.clone(),
            section: "就业促进科".into(),
            phone: "0553-1234567".into(),
            ..Default::default()
        },
    )
    .await
    .expect("qa");
    assert_eq!(feed_of(&w, &reader).await.len(), 2, "both publications");

    let bad = lifecycle::start(&w.db, Some(&w.hr.drafter), &old, DraftKind::Validity)
        .await
        .expect("start");
    // The replacing document must be published, and not the document itself.
    for by in [old.as_str(), "zc-none"] {
        let refused = lifecycle::save_change(
            &w.db,
            Some(&w.hr.drafter),
            &bad,
            &abolition("已被新办法替代", by),
        )
        .await;
        assert!(
            matches!(&refused, Err(ServiceError::Invalid(e)) if e.field == "replaced_by"),
            "{refused:?}"
        );
    }
    // A reason with a mobile number is refused at submission, with where it is.
    lifecycle::save_change(
        &w.db,
        Some(&w.hr.drafter),
        &bad,
        &abolition("详询经办人13905531234", &format!("/documents/{new}")),
    )
    .await
    .expect("saved");
    let refused = review::submit(&w.db, Some(&w.hr.drafter), &bad).await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(e)) if e.field == "reason"),
        "{refused:?}"
    );
    lifecycle::save_change(
        &w.db,
        Some(&w.hr.drafter),
        &bad,
        &abolition(
            "已被《芜湖市新就业补贴办法》替代",
            &format!("/documents/{new}"),
        ),
    )
    .await
    .expect("saved");
    review::submit(&w.db, Some(&w.hr.drafter), &bad)
        .await
        .expect("submit");
    assert_eq!(approve_all(&w, &bad).await, Stage::Published);

    let detail = service::library::document(&w.db, &common::indexes().library, &old)
        .await
        .expect("document");
    assert_eq!(detail.validity, "废止");
    assert_eq!(detail.replaced_by.map(|r| r.id), Some(new.clone()));
    assert_eq!(detail.validity_history.len(), 1);
    let change = &detail.validity_history[0];
    assert_eq!(change.date.as_deref(), Some("2026-12-31"));
    assert_eq!(
        change.reason.as_deref(),
        Some("已被《芜湖市新就业补贴办法》替代")
    );

    let items = feed_of(&w, &reader).await;
    let told = items
        .iter()
        .find(|i| i.kind == FeedKind::ValidityChange)
        .expect("the subscriber hears of the abolition");
    let said = told.detail.clone().unwrap_or_default();
    assert!(
        said.contains("废止") && said.contains("已被《芜湖市新就业补贴办法》替代"),
        "{said}"
    );
    assert!(said.contains("2026-12-31"), "{said}");

    let flagged = service::qa::flagged(&w.db, Some(&w.hr.drafter))
        .await
        .expect("flagged");
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].id, qa);
    assert!(flagged[0].flag.contains("废止"), "{}", flagged[0].flag);
    // Another department does not see it; checking it again (saving) clears it.
    let civil = account_of(
        &w.db,
        "civil-staff@wuhu.gov.cn",
        Role::Staff,
        Some(w.civil_org),
    )
    .await;
    assert!(
        service::qa::flagged(&w.db, Some(&civil))
            .await
            .expect("flagged")
            .is_empty()
    );
    let form = service::qa::form_of(&w.db, Some(&w.hr.drafter), &qa)
        .await
        .expect("form");
    service::qa::save(&w.db, Some(&w.hr.drafter), Some(&qa), &form)
        .await
        .expect("re-save");
    assert!(
        service::qa::flagged(&w.db, Some(&w.hr.drafter))
            .await
            .expect("flagged")
            .is_empty()
    );
    assert!(actions(&w.db).await.contains(&AuditAction::ChangeValidity));
}

#[tokio::test]
async fn a_withdrawn_document_leaves_the_library_its_address_gives_the_notice_and_subscribers_hear()
{
    let w = world().await;
    let reader = subscriber(&w, "13900000012").await;
    let doc = w.hr.publish(&w.db, &draft("误发布的就业文件", BODY)).await;
    let id = change_submitted(
        &w,
        &doc,
        DraftKind::Withdrawal,
        ChangeForm {
            reason: "文号有误，更正后重新发布".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(approve_all(&w, &id).await, Stage::Published);
    let gone = service::library::document(&w.db, &common::indexes().library, &doc).await;
    match gone {
        Err(ServiceError::Gone(notice)) => {
            assert!(
                notice.contains("误发布的就业文件") && notice.contains("文号有误"),
                "{notice}"
            )
        }
        other => panic!("expected the withdrawal notice, got {other:?}"),
    }
    let items = feed_of(&w, &reader).await;
    let told = items
        .iter()
        .find(|i| i.kind == FeedKind::Withdrawn)
        .expect("the subscriber hears of the withdrawal");
    assert!(told.detail.clone().unwrap_or_default().contains("文号有误"));
    // Nothing more can be changed on it, and a missing document is the same 404.
    for target in [doc.as_str(), "zc-none"] {
        let refused =
            lifecycle::start(&w.db, Some(&w.hr.drafter), target, DraftKind::Revision).await;
        assert!(
            matches!(refused, Err(ServiceError::NotFound(_))),
            "{refused:?}"
        );
    }
    assert!(actions(&w.db).await.contains(&AuditAction::Withdraw));
}

#[tokio::test]
async fn an_interpretation_added_later_is_reviewed_on_its_own_and_joins_its_document() {
    use domain::interpretation::{InterpretationDraft, InterpretationInput};
    let w = world().await;
    let doc =
        w.hr.publish(&w.db, &draft("待补充解读的就业文件", BODY))
            .await;
    // Words only its interpretation will hold do not find it yet.
    let found = |indexes: service::Indexes| {
        let db = w.db.clone();
        async move {
            service::index_sync::catch_up(&db, &indexes)
                .await
                .expect("index");
            common::hit_ids(&db, &indexes.library, "申领流程").await
        }
    };
    assert!(!found(common::indexes()).await.contains(&doc));
    let id = lifecycle::start(&w.db, Some(&w.hr.drafter), &doc, DraftKind::Addendum)
        .await
        .expect("start");
    lifecycle::save_change(&w.db, Some(&w.hr.drafter), &id, &ChangeForm::default())
        .await
        .expect("save");
    let empty = review::submit(&w.db, Some(&w.hr.drafter), &id).await;
    assert!(
        matches!(&empty, Err(ServiceError::Invalid(e)) if e.field == "interpretations"),
        "{empty:?}"
    );
    // Its text and metadata are the document's: an addendum cannot change them.
    let edit = review::update(&w.db, Some(&w.hr.drafter), &id, &draft("改标题", BODY)).await;
    assert!(matches!(edit, Err(ServiceError::Invalid(_))), "{edit:?}");
    let text = InterpretationDraft::parse(&InterpretationInput {
        body: "本文件明确了见习补贴的标准、对象和申领流程，现解读如下。".into(),
        ..interpretation("文字解读", "一图读懂见习补贴")
    })
    .expect("text");
    service::review::interpretations::add(&w.db, Some(&w.hr.drafter), &id, &text)
        .await
        .expect("add");
    review::submit(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("submit");
    assert_eq!(approve_all(&w, &id).await, Stage::Published);
    let detail = service::library::document(&w.db, &common::indexes().library, &doc)
        .await
        .expect("document");
    assert_eq!(detail.interpretations.len(), 1);
    assert_eq!(detail.title, "待补充解读的就业文件");
    assert!(
        found(common::indexes()).await.contains(&doc),
        "a question its interpretation answers finds the document"
    );
    let told = event::Entity::find()
        .filter(event::Column::Kind.eq(FeedKind::NewInterpretation.code()))
        .one(&w.db)
        .await
        .expect("read")
        .expect("an event");
    assert!(told.detail.unwrap_or_default().contains("一图读懂见习补贴"));
}

#[tokio::test]
async fn only_staff_of_the_issuing_unit_change_a_published_document() {
    let w = world().await;
    let doc = w.hr.publish(&w.db, &draft("人社局的就业文件", BODY)).await;
    let civil = account_of(
        &w.db,
        "civil-drafter@wuhu.gov.cn",
        Role::Staff,
        Some(w.civil_org),
    )
    .await;
    let reader = citizen(&w.db, "13900000013").await;
    for (who, expect) in [
        (None, "401"),
        (Some(&reader), "403"),
        (Some(&w.admin), "403"),
        (Some(&civil), "403"),
    ] {
        let r = lifecycle::start(&w.db, who, &doc, DraftKind::Revision).await;
        let got = match r {
            Err(ServiceError::Unauthorized) => "401",
            Err(ServiceError::Forbidden(_)) => "403",
            other => panic!("{other:?}"),
        };
        assert_eq!(got, expect);
        assert!(
            lifecycle::changeable(&w.db, who, &doc)
                .await
                .expect("changeable")
                .is_empty()
        );
    }
    assert_eq!(
        lifecycle::changeable(&w.db, Some(&w.hr.drafter), &doc)
            .await
            .expect("changeable"),
        DraftKind::CHANGES
    );
    // Nor can a new document's draft carry a change, nor a change be started as "new".
    let new = lifecycle::start(&w.db, Some(&w.hr.drafter), &doc, DraftKind::New).await;
    assert!(matches!(new, Err(ServiceError::Invalid(_))), "{new:?}");
}

#[tokio::test]
async fn of_two_people_starting_a_change_of_one_document_at_once_exactly_one_gets_it() {
    let w = world().await;
    let doc =
        w.hr.publish(&w.db, &draft("两人同时修订的文件", BODY))
            .await;
    let colleague = account_of(
        &w.db,
        "hr-drafter2@wuhu.gov.cn",
        Role::Staff,
        Some(w.hr_org),
    )
    .await;
    let (a, b) = common::overlapping(
        &w.url,
        &w.db,
        "drafts",
        lifecycle::start(&w.db, Some(&w.hr.drafter), &doc, DraftKind::Revision),
        lifecycle::start(&w.db, Some(&colleague), &doc, DraftKind::Withdrawal),
    )
    .await;
    assert_eq!(
        u8::from(a.is_ok()) + u8::from(b.is_ok()),
        1,
        "{a:?} / {b:?}"
    );
    let loser = if a.is_ok() { &b } else { &a };
    assert!(matches!(loser, Err(ServiceError::Conflict(_))), "{loser:?}");
}

#[tokio::test]
async fn a_structured_body_is_published_as_sanitized_html_and_a_revision_starts_from_its_source() {
    let w = world().await;
    let source = "# 第一章 总则\n第一条 为规范见习补贴发放，制定本办法。\n| 对象 | 标准 |\n|---|---|\n| 高校毕业生 | 每月1000元 |\n<script>alert(1)</script>";
    let doc =
        w.hr.publish(&w.db, &draft("结构化正文的见习办法", source))
            .await;
    let detail = service::library::document(&w.db, &common::indexes().library, &doc)
        .await
        .expect("document");
    let html = detail.body_html.expect("a drafted document keeps its html");
    assert!(
        html.contains("<h2>第一章 总则</h2>") && html.contains("<td>每月1000元</td>"),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    // Search and feeds read plain text, without the markers.
    assert!(
        detail.body.iter().any(|p| p == "高校毕业生 每月1000元"),
        "{:?}",
        detail.body
    );
    assert!(
        detail.body.iter().all(|p| !p.contains('|')),
        "{:?}",
        detail.body
    );
    let id = lifecycle::start(&w.db, Some(&w.hr.drafter), &doc, DraftKind::Revision)
        .await
        .expect("start");
    let view = review::view(&w.db, Some(&w.hr.drafter), &id)
        .await
        .expect("view");
    assert_eq!(view.form.body, source.trim());
}
