//! Drafting and the three-level review over real HTTP: who may call each endpoint, and the
//! review pages.

use crate::helpers::{Desk, TestApp, Visitor, desk, spawn_app};

const HR: &str = "芜湖市人力资源和社会保障局";

fn form(title: &str) -> Vec<(&str, &str)> {
    vec![
        ("form[title]", title),
        ("form[doc_type]", "行政规范性文件"),
        ("form[topic]", "就业创业"),
        ("form[audience]", "高校毕业生"),
        (
            "form[body]",
            "第一条 为促进高校毕业生就业创业，制定本办法。\n第二条 本办法自发布之日起施行。",
        ),
    ]
}

/// 人社局's desk with a draft submitted to 初审; 民政局's desk; a citizen; the admin.
struct World<'a> {
    hr: Desk<'a>,
    civil: Desk<'a>,
    citizen: Visitor<'a>,
    admin: Visitor<'a>,
    anon: Visitor<'a>,
    draft: String,
}

async fn world(app: &TestApp) -> World<'_> {
    let hr = desk(app, HR, "hr").await;
    let civil = desk(app, "芜湖市民政局", "civil").await;
    let citizen = Visitor::new(app);
    citizen.register("13900006001").await;
    let admin = Visitor::new(app);
    assert_eq!(admin.sign_in("admin@wuhu.gov.cn", "admin12345").await, 200);
    let (status, id) = hr.create(&form("角色矩阵草稿")).await;
    assert_eq!(status, 200, "{id}");
    let draft: String = serde_json::from_str(&id).expect("id");
    let (status, body) = hr.drafter.call("review/submit", &[("id", &draft)]).await;
    assert_eq!(status, 200, "{body}");
    World {
        hr,
        civil,
        citizen,
        admin,
        anon: Visitor::new(app),
        draft,
    }
}

#[tokio::test]
async fn every_review_endpoint_checks_the_callers_role_and_unit_itself() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = w.draft.as_str();
    let who: [(&str, &Visitor); 9] = [
        ("anonymous", &w.anon),
        ("citizen", &w.citizen),
        ("drafter", &w.hr.drafter),
        ("初审", &w.hr.reviewers[0]),
        ("复审", &w.hr.reviewers[1]),
        ("终审", &w.hr.reviewers[2]),
        ("another unit's staff", &w.civil.drafter),
        ("another unit's 初审", &w.civil.reviewers[0]),
        ("admin", &w.admin),
    ];
    let decide_first = [
        ("id", id),
        ("form[level]", "初审"),
        ("form[decision]", "approve"),
        ("form[comment]", ""),
    ];
    let update = {
        let mut f = form("改过的标题");
        f.push(("id", id));
        f
    };
    let grant = [
        ("form[login]", "civil-drafter@wuhu.gov.cn"),
        ("form[unit]", "芜湖市民政局"),
        ("form[level]", "初审"),
    ];
    // (endpoint, form, expected status for each caller in `who`'s order); calls that
    // change something come last for the one caller allowed.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, [u16; 9]);
    let cases: Vec<Case> = vec![
        (
            "review/drafts",
            vec![],
            [401, 403, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "review/queue",
            vec![],
            [401, 403, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "review/draft",
            vec![("id", id)],
            [401, 404, 200, 200, 200, 200, 404, 404, 200],
        ),
        (
            "review/update",
            update.clone(),
            [401, 403, 409, 403, 403, 403, 404, 404, 403],
        ),
        (
            "review/submit",
            vec![("id", id)],
            [401, 403, 409, 403, 403, 403, 404, 404, 403],
        ),
        (
            "review/decide",
            decide_first.to_vec(),
            [401, 403, 403, 200, 403, 403, 404, 404, 403],
        ),
        (
            "review/create",
            form("另一份草稿"),
            [401, 403, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "review/grants",
            vec![],
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "review/grant",
            grant.to_vec(),
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "review/revoke",
            vec![("id", "999999")],
            [401, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
    ];
    for (endpoint, form, expected) in cases {
        for ((name, visitor), status) in who.iter().zip(expected) {
            let (got, body) = visitor.call(endpoint, &form).await;
            assert_eq!(got, status, "{endpoint} as {name}: {body}");
        }
    }
    // Another unit's staff learn nothing: the answer is the same as for a missing id.
    let (_, theirs) = w.civil.drafter.call("review/draft", &[("id", id)]).await;
    let (status, missing) = w
        .civil
        .drafter
        .call("review/draft", &[("id", "df-missing")])
        .await;
    assert_eq!((status, theirs), (404, missing));
    // Their own lists do not show it either.
    for v in [&w.civil.drafter, &w.civil.reviewers[0]] {
        for endpoint in ["review/drafts", "review/queue"] {
            let (_, body) = v.call(endpoint, &[]).await;
            assert!(!body.contains("角色矩阵草稿"), "{endpoint}: {body}");
        }
    }
}

/// The header's count of drafts waiting for `v`.
async fn to_review(v: &Visitor<'_>) -> u64 {
    let (_, body) = v.call("account/me", &[]).await;
    let me: serde_json::Value = serde_json::from_str(&body).expect("me");
    me["to_review"].as_u64().expect("count")
}

#[tokio::test]
async fn a_draft_is_returned_revised_and_published_over_http_with_the_counts_in_the_header() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = w.draft.as_str();
    // The header counts what the queue holds: the new draft for 初审, not for 复审.
    for (n, holds) in [(0, true), (1, false)] {
        let (_, queue) = w.hr.reviewers[n].call("review/queue", &[]).await;
        let queue: Vec<domain::review::DraftSummary> = serde_json::from_str(&queue).expect("queue");
        assert_eq!(queue.iter().any(|d| d.id == id), holds);
        assert_eq!(to_review(&w.hr.reviewers[n]).await, queue.len() as u64);
    }
    let final_before = to_review(&w.hr.reviewers[2]).await;
    // The reviewer's page offers the decision; another unit's staff get a 404 page.
    let (status, page) = w.hr.reviewers[0].get(&format!("/staff/drafts/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("初审（科室负责人）") && page.contains("提交审核结论"),
        "{page}"
    );
    let (status, page) = w.civil.drafter.get(&format!("/staff/drafts/{id}")).await;
    assert_eq!(status, 404, "{page}");
    let (status, queue) = w.hr.reviewers[0].get("/staff/review").await;
    assert_eq!(status, 200);
    assert!(queue.contains("角色矩阵草稿"), "{queue}");

    // 初审 returns it with a comment; the drafter sees it, revises and resubmits.
    let (status, body) = w.hr.reviewers[0]
        .call(
            "review/decide",
            &[
                ("id", id),
                ("form[level]", "初审"),
                ("form[decision]", "return"),
                ("form[comment]", "请写明施行日期"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = w.hr.drafter.get(&format!("/staff/drafts/{id}")).await;
    assert!(
        page.contains("退回修改") && page.contains("请写明施行日期"),
        "{page}"
    );
    let mut revised = form("角色矩阵草稿");
    revised.retain(|(k, _)| *k != "form[body]");
    revised.push((
        "form[body]",
        "第一条 为促进高校毕业生就业创业，制定本办法。\n第二条 本办法自2027年1月1日起施行。",
    ));
    revised.push(("id", id));
    assert_eq!(w.hr.drafter.call("review/update", &revised).await.0, 200);
    assert_eq!(
        w.hr.drafter.call("review/submit", &[("id", id)]).await.0,
        200
    );
    // 初审 sees what changed.
    let (_, page) = w.hr.reviewers[0].get(&format!("/staff/drafts/{id}")).await;
    assert!(
        page.contains("与上次提交相比") && page.contains("2027年1月1日"),
        "{page}"
    );
    // A stale page (it showed 复审) is told to refresh, not refused.
    let (status, body) = w.hr.reviewers[1]
        .call(
            "review/decide",
            &[
                ("id", id),
                ("form[level]", "复审"),
                ("form[decision]", "approve"),
                ("form[comment]", ""),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    for reviewer in 0..3 {
        let (status, body) = w.hr.approve(reviewer, id).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, page) = w.hr.drafter.get(&format!("/staff/drafts/{id}")).await;
    assert!(
        page.contains("已发布") && page.contains("published-link"),
        "{page}"
    );
    assert_eq!(to_review(&w.hr.reviewers[2]).await, final_before);
}
