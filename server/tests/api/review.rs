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

impl World<'_> {
    /// Everyone a matrix asks, in its columns' order.
    fn callers(&self) -> [(&str, &Visitor<'_>); 9] {
        [
            ("anonymous", &self.anon),
            ("citizen", &self.citizen),
            ("drafter", &self.hr.drafter),
            ("初审", &self.hr.reviewers[0]),
            ("复审", &self.hr.reviewers[1]),
            ("终审", &self.hr.reviewers[2]),
            ("another unit's staff", &self.civil.drafter),
            ("another unit's 初审", &self.civil.reviewers[0]),
            ("admin", &self.admin),
        ]
    }
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_review_endpoint_checks_the_callers_role_and_unit_itself() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = w.draft.as_str();
    let who = w.callers();
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
    let interpretation = vec![
        ("id", id),
        ("form[form]", "文字解读"),
        ("form[title]", "角色矩阵解读"),
        (
            "form[body]",
            "本办法明确了见习补贴的对象、标准和申领程序，现解读如下。",
        ),
    ];
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
            "review/detach",
            vec![("id", id), ("file", "999999")],
            [401, 403, 409, 403, 403, 403, 404, 404, 403],
        ),
        (
            "review/add-interpretation",
            interpretation.clone(),
            [401, 403, 409, 403, 403, 403, 404, 404, 403],
        ),
        (
            "review/remove-interpretation",
            vec![("id", id), ("interpretation", "999999")],
            [401, 403, 409, 403, 403, 403, 404, 404, 403],
        ),
        (
            "review/lexicon",
            vec![],
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "review/save-lexicon",
            vec![("text", "见习补帖=见习补贴\n")],
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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

/// Uploads `bytes` as `name` to draft `id` the way a script does (JSON answer).
async fn upload(
    v: &Visitor<'_>,
    id: &str,
    name: &str,
    bytes: Vec<u8>,
    official: bool,
) -> (u16, String) {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    if official {
        form = form.text("official", "on");
    }
    let res = v
        .http
        .post(v.app.url(&format!("/api/review/drafts/{id}/files")))
        .header("origin", v.app.url(""))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_told_by_content_kept_to_the_draft_and_published_with_the_official_text() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // A fresh draft the drafter may still change.
    let (_, id) = w.hr.create(&form("附件测试草稿")).await;
    let id: String = serde_json::from_str(&id).expect("id");

    // Who may upload: the drafter only; the role is checked before the file.
    for (who, v, status) in [
        ("anonymous", &w.anon, 401),
        ("citizen", &w.citizen, 403),
        ("admin", &w.admin, 403),
        ("初审", &w.hr.reviewers[0], 403),
        ("another unit's staff", &w.civil.drafter, 404),
    ] {
        let (got, body) = upload(v, &id, "正式文本.pdf", PDF.to_vec(), true).await;
        assert_eq!(got, status, "{who}: {body}");
    }
    // Content decides: a page named .pdf is refused; so is personal data in a name.
    let (status, body) = upload(
        &w.hr.drafter,
        &id,
        "正式文本.pdf",
        b"<html><script>alert(1)</script>".to_vec(),
        true,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("只能上传"), "{body}");
    let (status, body) = upload(
        &w.hr.drafter,
        &id,
        "联系人13812345678.pdf",
        PDF.to_vec(),
        false,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("文件名") && body.contains("手机号"), "{body}");
    // An image is no official text.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let (status, body) = upload(&w.hr.drafter, &id, "图解.png", png.clone(), true).await;
    assert_eq!(status, 400, "{body}");
    // Over 50 MB: 413, before anything is read into the draft.
    let (status, body) = upload(
        &w.hr.drafter,
        &id,
        "大文件.pdf",
        vec![b'%'; 52 * 1024 * 1024],
        false,
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("MB"), "{body}");

    let (status, body) = upload(&w.hr.drafter, &id, "正式文本.pdf", PDF.to_vec(), true).await;
    assert_eq!(status, 200, "{body}");
    let pdf: domain::file::FileView = serde_json::from_str(&body).expect("file");
    assert_eq!(
        (pdf.media_type.as_str(), pdf.official),
        ("application/pdf", true)
    );
    let (status, body) = upload(&w.hr.drafter, &id, "图解.png", png, false).await;
    assert_eq!(status, 200, "{body}");

    // A browser's form without script comes back to the draft, or to a page saying why.
    let res =
        w.hr.drafter
            .http
            .post(app.url(&format!("/api/review/drafts/{id}/files")))
            .header("origin", app.url(""))
            .header("accept", "text/html")
            .multipart(reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(b"MZ\x90\0".to_vec()).file_name("setup.pdf"),
            ))
            .send()
            .await
            .expect("form upload");
    assert_eq!(res.status().as_u16(), 400);
    let page = res.text().await.expect("page");
    assert!(
        page.contains("上传未成功") && page.contains("返回草稿"),
        "{page}"
    );

    // The draft's files are the draft's: another unit gets 404.
    let (status, bytes) = w.hr.reviewers[0].get(&pdf.href).await;
    assert_eq!((status, bytes.as_bytes()), (200, PDF));
    assert_eq!(w.civil.drafter.get(&pdf.href).await.0, 404);
    assert_eq!(w.anon.get(&pdf.href).await.0, 401);

    // Published through the three levels, the document offers the official text.
    assert_eq!(
        w.hr.drafter.call("review/submit", &[("id", &id)]).await.0,
        200
    );
    for reviewer in 0..3 {
        let (status, body) = w.hr.approve(reviewer, &id).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, view) = w.hr.drafter.call("review/draft", &[("id", &id)]).await;
    let view: domain::review::DraftView = serde_json::from_str(&view).expect("draft");
    let doc = view.document_id.expect("published");
    let (status, detail) = app.get_json(&format!("/api/v1/documents/{doc}")).await;
    assert_eq!(status, 200);
    let files = detail["attachments"].as_array().expect("attachments");
    assert_eq!(files.len(), 2);
    let official = files
        .iter()
        .find(|a| a["official"] == true)
        .expect("official text");
    assert_eq!(official["name"], "正式文本.pdf");
    assert_eq!(official["media_type"], "application/pdf");
    assert_eq!(official["size"], PDF.len());
    let href = official["href"].as_str().expect("href");
    let res = app.get(href).await;
    assert_eq!(res.status().as_u16(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert!(
        h["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("inline; filename*=UTF-8''")
    );
    assert!(
        h["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);
    // The same content under another name, or a hash no document published, is not found.
    let wrong = href
        .rsplit_once('/')
        .map(|(base, _)| format!("{base}/other.pdf"))
        .expect("href");
    assert_eq!(app.get(&wrong).await.status().as_u16(), 404);
    let sha = "0".repeat(64);
    assert_eq!(
        app.get(&format!("/files/{sha}/x.pdf"))
            .await
            .status()
            .as_u16(),
        404
    );
    // The page links the download version and the print version.
    let html = app
        .get(&format!("/documents/{doc}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        html.contains("id=\"official-text\"") && html.contains("/print"),
        "{html}"
    );
    let print = app.get(&format!("/documents/{doc}/print")).await;
    assert_eq!(print.status().as_u16(), 200);
    let print = print.text().await.expect("print");
    assert!(
        print.contains("附件测试草稿") && print.contains("返回网页版"),
        "{print}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_review_input_gets_400_in_chinese_and_changes_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (_, fresh) = w.hr.create(&form("输入检查草稿")).await;
    let fresh: String = serde_json::from_str(&fresh).expect("id");
    let id = w.draft.as_str();
    let mut short = form("输入检查草稿");
    short.retain(|(k, _)| *k != "form[body]");
    short.push(("form[body]", "太短"));
    short.push(("id", fresh.as_str()));
    // (who, endpoint, form, what the message says)
    type Case<'a> = (&'a Visitor<'a>, &'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (&w.hr.drafter, "review/update", short, "正文至少"),
        (
            &w.hr.reviewers[0],
            "review/decide",
            vec![
                ("id", id),
                ("form[level]", "初审"),
                ("form[decision]", "return"),
                ("form[comment]", ""),
            ],
            "退回修改请写明",
        ),
        (
            &w.hr.reviewers[0],
            "review/decide",
            vec![
                ("id", id),
                ("form[level]", "四审"),
                ("form[decision]", "approve"),
                ("form[comment]", ""),
            ],
            "审核级别",
        ),
        (
            &w.hr.drafter,
            "review/add-interpretation",
            vec![
                ("id", fresh.as_str()),
                ("form[form]", "简明问答"),
                ("form[title]", "问答"),
                ("form[pairs]", "答：没有问题"),
            ],
            "问：",
        ),
        (
            &w.admin,
            "review/grant",
            vec![
                ("form[login]", "hr-l1@wuhu.gov.cn"),
                ("form[unit]", HR),
                ("form[level]", "四审"),
            ],
            "审核级别",
        ),
        (
            &w.admin,
            "review/save-lexicon",
            vec![("text", "见习补帖=见习补贴\n没有等号\n")],
            "第 2 行",
        ),
        (
            &w.hr.drafter,
            "review/start-change",
            vec![("document", "zc-any"), ("kind", "删除")],
            "变更类型",
        ),
        (
            &w.hr.drafter,
            "review/save-change",
            vec![("id", fresh.as_str()), ("form[reason]", "新文件不适用")],
            "新文件草稿没有变更信息",
        ),
    ];
    for (v, endpoint, f, says) in cases {
        let (status, body) = v.call(endpoint, &f).await;
        assert_eq!(status, 400, "{endpoint}: {body}");
        assert!(body.contains(says), "{endpoint}: {body}");
    }
    // Nothing moved: the draft still waits for 初审, the fresh one keeps its body and has
    // no interpretation, and the lexicon is the one it was.
    let (_, view) = w.hr.drafter.call("review/draft", &[("id", id)]).await;
    let view: domain::review::DraftView = serde_json::from_str(&view).expect("draft");
    assert_eq!(view.summary.stage, domain::review::Stage::First);
    assert!(view.reviews.is_empty());
    let (_, fresh_view) = w.hr.drafter.call("review/draft", &[("id", &fresh)]).await;
    let fresh_view: domain::review::DraftView = serde_json::from_str(&fresh_view).expect("draft");
    assert!(fresh_view.form.body.starts_with("第一条"));
    assert!(fresh_view.interpretations.is_empty());
    let (_, lexicon) = w.admin.call("review/lexicon", &[]).await;
    assert!(!lexicon.contains("见习补帖"), "{lexicon}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_a_published_document_is_for_its_units_staff_and_reaches_the_page_and_the_api() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let doc = w.hr.publish(&form("经审核发布的见习办法")).await;
    let who = w.callers();
    // Only the issuing unit's staff are offered changes; everyone may ask.
    for (n, (name, v)) in who.iter().enumerate() {
        let (status, body) = v.call("review/changeable", &[("document", &doc)]).await;
        assert_eq!(status, 200, "changeable as {name}: {body}");
        let kinds: Vec<domain::review::DraftKind> = serde_json::from_str(&body).expect("kinds");
        assert_eq!(
            kinds.len(),
            if (2..6).contains(&n) { 4 } else { 0 },
            "{name}"
        );
    }
    let start = [("document", doc.as_str()), ("kind", "效力变更")];
    let mut started = None;
    for ((name, v), status) in who
        .iter()
        .zip([401, 403, 200, 409, 409, 409, 403, 403, 403])
    {
        let (got, body) = v.call("review/start-change", &start).await;
        assert_eq!(got, status, "start-change as {name}: {body}");
        if got == 200 {
            started = Some(serde_json::from_str::<String>(&body).expect("id"));
        }
    }
    let id = started.expect("the drafter started the change");
    let change = [
        ("id", id.as_str()),
        ("form[validity]", "废止"),
        ("form[date]", "2026-12-31"),
        ("form[reason]", "已被新的见习管理办法替代"),
        ("form[replaced_by]", ""),
    ];
    // (the new draft in review cannot carry a change: 400 for its drafter)
    let on_new = [("id", w.draft.as_str()), ("form[reason]", "不适用的变更")];
    for ((name, v), (on_change, on_new_draft)) in who.iter().zip([
        (401, 401),
        (403, 403),
        (200, 400),
        (403, 403),
        (403, 403),
        (403, 403),
        (404, 404),
        (404, 404),
        (403, 403),
    ]) {
        let (got, body) = v.call("review/save-change", &on_new).await;
        assert_eq!(
            got, on_new_draft,
            "save-change on a new draft as {name}: {body}"
        );
        let (got, body) = v.call("review/save-change", &change).await;
        assert_eq!(got, on_change, "save-change as {name}: {body}");
    }
    for ((name, v), status) in who
        .iter()
        .zip([401, 403, 200, 200, 200, 200, 200, 200, 200])
    {
        let (got, body) = v.call("qa/flagged", &[]).await;
        assert_eq!(got, status, "qa/flagged as {name}: {body}");
    }
    // A date that is not one is refused in Chinese and nothing changes.
    let mut bad = change.to_vec();
    bad[2] = ("form[date]", "明年");
    let (status, body) = w.hr.drafter.call("review/save-change", &bad).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("生效日期"), "{body}");

    let (status, body) = w.hr.drafter.call("review/submit", &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    for reviewer in 0..3 {
        let (status, body) = w.hr.approve(reviewer, &id).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, api) = app.get_json(&format!("/api/v1/documents/{doc}")).await;
    assert_eq!(status, 200, "{api}");
    assert_eq!(api["validity"], "废止");
    assert_eq!(
        api["validity_history"],
        serde_json::json!([{
            "validity": "废止",
            "date": "2026-12-31",
            "reason": "已被新的见习管理办法替代",
            "replaced_by": null
        }])
    );
    let (status, page) = w.anon.get(&format!("/documents/{doc}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("修订与效力记录") && page.contains("原因：已被新的见习管理办法替代"),
        "{page}"
    );

    // Withdrawn, its address answers 410 with the notice, on the page and in the API.
    let (status, body) =
        w.hr.drafter
            .call(
                "review/start-change",
                &[("document", doc.as_str()), ("kind", "撤回")],
            )
            .await;
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).expect("id");
    let (status, body) =
        w.hr.drafter
            .call(
                "review/save-change",
                &[
                    ("id", id.as_str()),
                    ("form[reason]", "误将征求意见稿作为正式文件发布"),
                ],
            )
            .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        w.hr.drafter.call("review/submit", &[("id", &id)]).await.0,
        200
    );
    for reviewer in 0..3 {
        assert_eq!(w.hr.approve(reviewer, &id).await.0, 200);
    }
    // Pages kept for anonymous visitors change once the dispatcher has taken the change
    // in (it is woken by the approval): milliseconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let (status, page) = loop {
        let (status, page) = w.anon.get(&format!("/documents/{doc}")).await;
        if status != 200 || std::time::Instant::now() > deadline {
            break (status, page);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(status, 410, "{page}");
    assert!(
        page.contains("文件已撤回") && page.contains("误将征求意见稿作为正式文件发布"),
        "{page}"
    );
    let (status, api) = app.get_json(&format!("/api/v1/documents/{doc}")).await;
    assert_eq!(status, 410, "{api}");
}
