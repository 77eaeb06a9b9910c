//! Consultations and the Q&A knowledge base over real HTTP: who may call what, bad input,
//! the JSON API and the pages.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use service::entity::{consultation, document, organization};

use crate::helpers::{TestApp, Visitor, spawn_app, staff_of};

/// A demo document with an issuer, and that issuer's id.
async fn document_with_issuer(app: &TestApp) -> (String, i32) {
    let doc = document::Entity::find()
        .filter(document::Column::IssuerId.is_not_null())
        .filter(document::Column::Validity.eq("现行有效"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a document with an issuer");
    (doc.id, doc.issuer_id.expect("issuer"))
}

async fn other_org(app: &TestApp, not: i32) -> i32 {
    organization::Entity::find()
        .filter(organization::Column::Id.ne(not))
        .one(&app.db)
        .await
        .expect("query")
        .expect("another organization")
        .id
}

fn ask_form(document: &str) -> Vec<(&str, &str)> {
    vec![
        ("form[title]", "高校毕业生见习补贴怎么申请"),
        (
            "form[body]",
            "我是今年的毕业生，想了解见习补贴的申请条件和材料。",
        ),
        ("form[document]", document),
        ("form[topic]", ""),
        ("form[public]", "on"),
    ]
}

const ANSWER: [(&str, &str); 4] = [
    (
        "form[answer]",
        "毕业两年内的高校毕业生可向见习单位所在地人社部门申请。",
    ),
    ("form[publish]", ""),
    ("form[section]", "就业促进科"),
    ("form[phone]", "0553-3835212"),
];

fn with_id<'a>(id: &'a str, form: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut v = vec![("id", id)];
    v.extend_from_slice(form);
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_consultation_endpoint_checks_the_callers_role() {
    let app = spawn_app().await;
    let (doc, org) = document_with_issuer(&app).await;
    let anon = Visitor::new(&app);
    let asker = Visitor::new(&app);
    asker.register("13900000011").await;
    let stranger = Visitor::new(&app);
    stranger.register("13900000012").await;
    let responsible = staff_of(&app, "hr-staff@wuhu.gov.cn", Some(org)).await;
    let other = staff_of(
        &app,
        "other-staff@wuhu.gov.cn",
        Some(other_org(&app, org).await),
    )
    .await;
    let admin = Visitor::new(&app);
    assert_eq!(admin.sign_in("admin@wuhu.gov.cn", "admin12345").await, 200);

    let form = ask_form(&doc);
    assert_eq!(anon.call("consult/ask", &form).await.0, 401);
    let (status, id) = asker.call("consult/ask", &form).await;
    assert_eq!(status, 200, "{id}");
    let id = id.trim().to_owned();

    // A private question is not anybody's business but the asker's and the department's.
    let mut private_form = form.clone();
    private_form.retain(|(k, _)| *k != "form[public]");
    let (_, private) = asker.call("consult/ask", &private_form).await;
    let private = private.trim().to_owned();
    for (who, v, expected) in [
        ("anonymous", &anon, 404),
        ("a stranger", &stranger, 404),
        ("the asker", &asker, 200),
        ("the department", &responsible, 200),
    ] {
        let (status, body) = v.call("consult/detail", &[("id", private.as_str())]).await;
        assert_eq!(status, expected, "private detail as {who}: {body}");
    }

    // (endpoint, form, [(visitor, status)]) — in this order, so each call finds the
    // consultation in the state the next expects.
    let answer = with_id(&id, &ANSWER);
    let assign_form = [("id", id.as_str()), ("department", "芜湖市民政局")];
    let reject_form = [("id", id.as_str()), ("reason", "不属于本部门职责范围")];
    let close_form = [("id", id.as_str())];
    let publish = with_id(&id, &ANSWER);
    type Check<'a> = (
        &'a str,
        &'a [(&'a str, &'a str)],
        Vec<(&'a str, &'a Visitor<'a>, u16)>,
    );
    let checks: Vec<Check> = vec![
        (
            "consult/assign",
            &assign_form,
            vec![
                ("anonymous", &anon, 401),
                // Not yet answered and public: to them, it does not exist.
                ("a citizen", &stranger, 404),
                ("another department", &other, 404),
            ],
        ),
        (
            "consult/reject",
            &reject_form,
            vec![
                ("anonymous", &anon, 401),
                ("the asker", &asker, 403),
                ("another department", &other, 404),
            ],
        ),
        (
            "consult/answer",
            &answer,
            vec![
                ("anonymous", &anon, 401),
                ("a citizen", &stranger, 404),
                ("the asker", &asker, 403),
                ("another department", &other, 404),
                ("admin", &admin, 403),
                ("the department", &responsible, 200),
                ("the department again", &responsible, 400),
            ],
        ),
        (
            "consult/publish",
            &publish,
            vec![
                ("anonymous", &anon, 401),
                ("a citizen", &stranger, 403),
                ("another department", &other, 403),
                ("the department", &responsible, 200),
                ("the department again", &responsible, 409),
            ],
        ),
        (
            "consult/close",
            &close_form,
            vec![
                ("anonymous", &anon, 401),
                ("a stranger", &stranger, 403),
                ("the department", &responsible, 403),
                ("the asker", &asker, 200),
            ],
        ),
    ];
    for (endpoint, form, callers) in checks {
        for (who, v, expected) in callers {
            let (status, body) = v.call(endpoint, form).await;
            assert_eq!(status, expected, "{endpoint} as {who}: {body}");
        }
    }

    let settings = [
        ("form[routes]", ""),
        ("form[holidays]", "2027-01-01"),
        ("form[makeup_workdays]", ""),
        ("form[due_days]", "5"),
        ("form[sensitive_words]", "代开发票"),
    ];
    for (who, v, expected) in [
        ("anonymous", &anon, 401),
        ("a citizen", &stranger, 403),
        ("staff", &responsible, 403),
        ("admin", &admin, 200),
    ] {
        let (status, body) = v.call("consult/save-settings", &settings).await;
        assert_eq!(status, expected, "save-settings as {who}: {body}");
    }
    let qa = [
        ("form[question]", "见习补贴什么时候发放？"),
        ("form[answer]", "见习补贴按月发放。"),
        ("form[document]", doc.as_str()),
        ("form[topic]", ""),
        ("form[section]", "就业促进科"),
        ("form[phone]", "0553-3835212"),
        ("form[department]", ""),
    ];
    let mut saved = String::new();
    for (who, v, expected) in [
        ("anonymous", &anon, 401),
        ("a citizen", &stranger, 403),
        ("staff", &responsible, 200),
    ] {
        let (status, body) = v.call("qa/save", &qa).await;
        assert_eq!(status, expected, "qa/save as {who}: {body}");
        saved = body;
    }
    // The edit form of the entry the department just wrote: its own staff only.
    let entry: String = serde_json::from_str(&saved).expect("the saved entry's id");
    for (who, v, expected) in [
        ("anonymous", &anon, 401),
        ("a citizen", &stranger, 403),
        ("another department", &other, 403),
        ("staff", &responsible, 200),
    ] {
        let (status, body) = v.call("qa/form", &[("id", entry.as_str())]).await;
        assert_eq!(status, expected, "qa/form as {who}: {body}");
    }
    for (who, v, expected) in [
        ("a citizen", &stranger, 403),
        ("staff", &responsible, 200),
        ("admin", &admin, 200),
    ] {
        let (status, body) = v.call("consult/inbox", &[("query", "")]).await;
        assert_eq!(status, expected, "inbox as {who}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_with_personal_data_gets_400_naming_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let asker = Visitor::new(&app);
    asker.register("13900000013").await;
    let mut form = ask_form("");
    form[1] = (
        "form[body]",
        "请回电13812345678，我想问见习补贴的申请条件。",
    );
    let (status, body) = asker.call("consult/ask", &form).await;
    assert_eq!(status, 400, "{body}");
    let error: serde_json::Value = serde_json::from_str(&body).expect("json error");
    let text = error.to_string();
    assert!(text.contains("body"), "{text}");
    assert!(
        text.contains("第 4 个字起有疑似手机号（138****5678）"),
        "{text}"
    );
    form[1] = ("form[body]", "短");
    let (status, body) = asker.call("consult/ask", &form).await;
    assert_eq!(status, 400);
    assert!(body.contains("至少 10 个字"), "{body}");
    assert_eq!(
        consultation::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_qa_api_is_shaped_like_search_and_filters_by_department() {
    let app = spawn_app().await;
    let (status, all) = app.get_json("/api/v1/qa").await;
    assert_eq!(status, 200);
    let total = all["total"].as_u64().expect("total");
    assert!(total >= 30, "{all}");
    let department = all["facets"]["department"][0]["value"]
        .as_str()
        .expect("a department")
        .to_owned();
    let (status, one) = app
        .get_json(&format!(
            "/api/v1/qa?department={}",
            domain::text::url_encode(&department)
        ))
        .await;
    assert_eq!(status, 200);
    let hits = one["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["department"] == department.as_str()));
    assert!(
        hits.iter()
            .all(|h| h["phone"].is_string() && h["section"].is_string()),
        "{one}"
    );
    let (status, found) = app.get_json("/api/v1/qa?q=%E8%A1%A5%E8%B4%B4").await;
    assert_eq!(status, 200);
    assert!(
        found["hits"][0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>")),
        "{found}"
    );
    let (status, bad) = app.get_json("/api/v1/qa?page=0").await;
    assert_eq!(status, 400);
    assert_eq!(bad["field"], "page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn knowledge_base_and_consultation_pages_render_on_the_server() {
    let app = spawn_app().await;
    let (_, all) = app.get_json("/api/v1/qa").await;
    let id = all["hits"][0]["id"].as_str().expect("an entry").to_owned();
    let res = app.get(&format!("/qa/{id}")).await;
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("答复部门") && html.contains("咨询电话"),
        "entry page"
    );
    for path in ["/qa", "/qa?q=%E8%A1%A5%E8%B4%B4", "/consultations"] {
        assert_eq!(app.get(path).await.status().as_u16(), 200, "{path}");
    }
    assert_eq!(app.get("/qa/no-such-entry").await.status().as_u16(), 404);
    assert_eq!(
        app.get("/consultations/999999").await.status().as_u16(),
        404
    );
    for path in [
        "/consult/new?document=x",
        "/staff/inbox",
        "/me/consultations",
    ] {
        let res = app
            .client
            .get(app.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("page");
        assert_eq!(res.status().as_u16(), 303, "{path}");
        let to = res.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(to.starts_with("/login?next="), "{path} → {to}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_answers_transfers_refusals_settings_and_entries_get_400_in_chinese_and_change_nothing()
{
    let app = spawn_app().await;
    let (doc, org) = document_with_issuer(&app).await;
    let asker = Visitor::new(&app);
    asker.register("13900000014").await;
    let staff = staff_of(&app, "bad-input@wuhu.gov.cn", Some(org)).await;
    let admin = Visitor::new(&app);
    assert_eq!(admin.sign_in("admin@wuhu.gov.cn", "admin12345").await, 200);
    let (_, id) = asker.call("consult/ask", &ask_form(&doc)).await;
    let id = id.trim().to_owned();

    let no_section = [
        ("form[answer]", "可以申请。"),
        ("form[publish]", "on"),
        ("form[section]", ""),
        ("form[phone]", "0553-3835212"),
    ];
    type Case<'a> = (&'a Visitor<'a>, &'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            &staff,
            "consult/answer",
            with_id(
                &id,
                &[
                    ("form[answer]", ""),
                    ("form[publish]", ""),
                    ("form[section]", "就业促进科"),
                    ("form[phone]", "0553-3835212"),
                ],
            ),
            "请填写答复内容",
        ),
        (
            &staff,
            "consult/answer",
            with_id(&id, &no_section),
            "请填写答复处室",
        ),
        (
            &staff,
            "consult/assign",
            vec![("id", id.as_str()), ("department", "不存在的局")],
            "请从列表中选择要转交的部门",
        ),
        (
            &staff,
            "consult/reject",
            vec![("id", id.as_str()), ("reason", "不")],
            "不予受理的理由至少 5 个字",
        ),
        (
            &admin,
            "consult/save-settings",
            vec![
                ("form[routes]", ""),
                ("form[holidays]", "十月一日"),
                ("form[makeup_workdays]", ""),
                ("form[due_days]", "5"),
                ("form[sensitive_words]", ""),
            ],
            "“十月一日”不是有效日期",
        ),
        (
            &staff,
            "qa/save",
            vec![
                ("form[question]", "见习补贴什么时候发放？"),
                ("form[answer]", "请拨打13812345678咨询。"),
                ("form[document]", ""),
                ("form[topic]", ""),
                ("form[section]", "就业促进科"),
                ("form[phone]", "0553-3835212"),
                ("form[department]", ""),
            ],
            "疑似手机号",
        ),
    ];
    for (v, endpoint, form, message) in cases {
        let (status, body) = v.call(endpoint, &form).await;
        assert_eq!(status, 400, "{endpoint}: {body}");
        assert!(body.contains(message), "{endpoint}: {body}");
    }
    // The consultation is still open with its department, and no entry was written.
    let (_, detail) = asker.call("consult/detail", &[("id", id.as_str())]).await;
    let detail: serde_json::Value = serde_json::from_str(&detail).expect("detail");
    assert_eq!(detail["summary"]["status"], "Assigned", "{detail}");
    let (_, found) = app.get_json("/api/v1/qa?q=%E8%A7%81%E4%B9%A0%E8%A1%A5%E8%B4%B4%E4%BB%80%E4%B9%88%E6%97%B6%E5%80%99%E5%8F%91%E6%94%BE").await;
    assert!(!found.to_string().contains("请拨打"), "{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_private_consultation_answers_404_exactly_as_an_unknown_id() {
    let app = spawn_app().await;
    let (doc, org) = document_with_issuer(&app).await;
    let asker = Visitor::new(&app);
    asker.register("13900000021").await;
    let mut private = ask_form(&doc);
    private.retain(|(k, _)| *k != "form[public]");
    let (status, id) = asker.call("consult/ask", &private).await;
    assert_eq!(status, 200, "{id}");
    let id = id.trim().to_owned();
    let other = Visitor::new(&app);
    other.register("13900000022").await;
    let outsider = staff_of(
        &app,
        "outsider@wuhu.gov.cn",
        Some(other_org(&app, org).await),
    )
    .await;
    let unknown = "999999";
    for who in [&other, &outsider] {
        for (endpoint, form) in [
            ("consult/close", vec![]),
            ("consult/answer", ANSWER.to_vec()),
            ("consult/assign", vec![("department", "芜湖市民政局")]),
            ("consult/reject", vec![("reason", "不属于本部门职责范围")]),
            ("consult/publish", ANSWER.to_vec()),
            ("consult/detail", vec![]),
        ] {
            let mut hidden_form = form.clone();
            hidden_form.push(("id", id.as_str()));
            let mut missing_form = form.clone();
            missing_form.push(("id", unknown));
            let hidden = who.call(endpoint, &hidden_form).await;
            let missing = who.call(endpoint, &missing_form).await;
            assert_eq!(hidden.0, 404, "{endpoint}: {}", hidden.1);
            assert_eq!(hidden, missing, "{endpoint}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_a_private_question_to_qa_needs_a_question_written_by_staff() {
    let app = spawn_app().await;
    let (doc, org) = document_with_issuer(&app).await;
    let asker = Visitor::new(&app);
    asker.register("13900000023").await;
    let mut private = ask_form(&doc);
    private.retain(|(k, _)| *k != "form[public]");
    let (_, id) = asker.call("consult/ask", &private).await;
    let id = id.trim().to_owned();
    let staff = staff_of(&app, "private-qa@wuhu.gov.cn", Some(org)).await;
    let mut publish = ANSWER.to_vec();
    publish.retain(|(k, _)| *k != "form[publish]");
    publish.push(("form[publish]", "on"));
    publish.push(("id", &id));
    let (status, body) = staff.call("consult/answer", &publish).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("提问人选择了不公开"), "{body}");
    // Nothing was half-written: the answer was not stored either.
    let (_, detail) = asker.call("consult/detail", &[("id", &id)]).await;
    assert!(!detail.contains("毕业两年内"), "{detail}");
    publish.push(("form[question]", "见习补贴的申请条件是什么？"));
    let (status, body) = staff.call("consult/answer", &publish).await;
    assert_eq!(status, 200, "{body}");
    let (_, qa) = app
        .get_json("/api/v1/qa?q=%E8%A7%81%E4%B9%A0%E8%A1%A5%E8%B4%B4")
        .await;
    let questions: Vec<&str> = qa["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["question"].as_str())
        .collect();
    assert!(
        !questions.contains(&"高校毕业生见习补贴怎么申请"),
        "{questions:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_asks_at_most_ten_questions_a_day() {
    let app = spawn_app().await;
    let asker = Visitor::new(&app);
    asker.register("13900000024").await;
    for i in 0..10 {
        let title = format!("见习补贴第{i}个问题怎么办");
        let mut form = ask_form("");
        form[0] = ("form[title]", &title);
        let (status, body) = asker.call("consult/ask", &form).await;
        assert_eq!(status, 200, "question {i}: {body}");
    }
    let (status, body) = asker.call("consult/ask", &ask_form("")).await;
    assert_eq!(status, 429, "{body}");
    let refusal: app::error::AppError = serde_json::from_str(&body).expect("typed error");
    assert!(refusal.to_string().contains("秒后再试"), "{refusal}");
    // Another account is not held back.
    let other = Visitor::new(&app);
    other.register("13900000025").await;
    assert_eq!(other.call("consult/ask", &ask_form("")).await.0, 200);
}
