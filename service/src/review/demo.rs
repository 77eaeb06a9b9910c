//! The demo's review desks: units know their level, the city government's 终审 sits with
//! the openness office, 人社局 and the city government's office have a drafter and three
//! reviewers (sign-in `…@demo.wuhu.gov.cn`, password [`DEMO_PASSWORD`]), and a few drafts
//! wait at each stage. Everything goes through the real use-cases, so the audit log tells
//! how it came about.

use domain::account::{Login, Password, Role, SessionUser};
use domain::interpretation::{InterpretationDraft, InterpretationInput};
use domain::review::{ChangeForm, Decision, Draft, DraftForm, DraftKind, GrantForm, ReviewLevel};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};

use crate::entity::{organization, user};
use crate::error::{Result, ServiceError};

/// The demo staff's password (demo data only; documented in the README).
pub const DEMO_PASSWORD: &str = "demo12345";

/// The office that holds the city government's 终审.
pub const OPENNESS_OFFICE: &str = "芜湖市政务公开办公室";

/// Units of the city government whose 终审 the openness office holds.
const CITY_GOVERNMENT: &[&str] = &["芜湖市人民政府", "芜湖市人民政府办公室"];

struct DeskSpec {
    unit: &'static str,
    tag: &'static str,
    /// Drafter, 初审, 复审, 终审 (the last in the openness office for the city government).
    people: [&'static str; 4],
}

const DESKS: &[DeskSpec] = &[
    DeskSpec {
        unit: "芜湖市人力资源和社会保障局",
        tag: "rsj",
        people: ["张晓雯", "李建国", "王海燕", "陈志强"],
    },
    DeskSpec {
        unit: "芜湖市人民政府办公室",
        tag: "szfb",
        people: ["刘思远", "赵文静", "孙卫东", "周敏"],
    },
];

/// Drafts by stage: (unit tag, title, how far it gets).
enum Reach {
    Editing,
    Level(usize),
    Returned,
}

const DRAFTS: &[(&str, &str, Reach, &str)] = &[
    (
        "rsj",
        "芜湖市就业见习补贴实施细则（征求意见稿）",
        Reach::Editing,
        "第一条 为规范就业见习补贴发放，根据国家和省有关规定，结合本市实际，制定本细则。\n第二条 见习单位吸纳离校两年内未就业高校毕业生参加就业见习的，按当地最低工资标准的百分之六十给予见习补贴。",
    ),
    (
        "rsj",
        "芜湖市技能人才评价补贴管理办法",
        Reach::Level(0),
        "第一条 为加快技能人才队伍建设，制定本办法。\n第二条 取得职业技能等级证书的，按等级给予一次性评价补贴。\n第三条 本办法由市人力资源和社会保障局负责解释。",
    ),
    (
        "rsj",
        "芜湖市零工市场建设运营指引",
        Reach::Level(1),
        "第一条 为规范零工市场建设运营，促进灵活就业，制定本指引。\n第二条 县市区应至少建设一个综合性零工市场，提供免费求职招聘服务。",
    ),
    (
        "rsj",
        "芜湖市创业担保贷款贴息资金管理办法",
        Reach::Level(2),
        "第一条 为规范创业担保贷款贴息资金管理，制定本办法。\n第二条 个人创业担保贷款最高额度为30万元，贷款期限最长不超过3年。",
    ),
    (
        "rsj",
        "芜湖市高校毕业生基层就业补贴办法",
        Reach::Returned,
        "第一条 为鼓励高校毕业生到基层就业，制定本办法。\n第二条 到乡镇（街道）工作的高校毕业生，给予每人每年一定数额的基层就业补贴。",
    ),
    (
        "szfb",
        "芜湖市人民政府办公室关于进一步优化营商环境的若干措施",
        Reach::Level(2),
        "一、深化“一网通办”改革，企业开办全程网上办理，一个工作日内办结。\n二、推行惠企政策“免申即享”，符合条件的企业无需申请即可享受。",
    ),
];

async fn account(
    db: &DatabaseConnection,
    login: &str,
    name: &str,
    role: Role,
    org: Option<i32>,
) -> Result<SessionUser> {
    crate::account::create_account(
        db,
        &Login::parse("login", login)?,
        &Password::parse("password", DEMO_PASSWORD)?,
        name,
        role,
        org,
    )
    .await
}

async fn unit(db: &DatabaseConnection, name: &str) -> Result<organization::Model> {
    organization::Entity::find()
        .filter(organization::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Internal(format!("demo unit {name} missing")))
}

/// Sets up the desks and drafts; does nothing when the demo staff exist already.
pub async fn desks(db: &DatabaseConnection, levels: &[(&str, &str)]) -> Result<()> {
    let marker = format!("{}-drafter@demo.wuhu.gov.cn", DESKS[0].tag);
    if user::Entity::find()
        .filter(user::Column::Login.eq(marker))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(());
    }
    for (name, level) in levels {
        let mut org = unit(db, name).await?.into_active_model();
        org.level = Set(Some((*level).to_owned()));
        org.update(db).await?;
    }
    let office = match organization::Entity::find()
        .filter(organization::Column::Name.eq(OPENNESS_OFFICE))
        .one(db)
        .await?
    {
        Some(o) => o,
        None => {
            organization::ActiveModel {
                name: Set(OPENNESS_OFFICE.to_owned()),
                kind: Set("department".to_owned()),
                level: Set(Some("市本级".to_owned())),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    for name in CITY_GOVERNMENT {
        let mut org = unit(db, name).await?.into_active_model();
        org.final_review_org_id = Set(Some(office.id));
        org.update(db).await?;
    }
    let admin = account(
        db,
        "review-admin@demo.wuhu.gov.cn",
        "演示管理员",
        Role::Admin,
        None,
    )
    .await?;
    let mut teams: Vec<(&str, SessionUser, Vec<SessionUser>)> = Vec::new();
    for desk in DESKS {
        let org = unit(db, desk.unit).await?;
        let drafter_login = format!("{}-drafter@demo.wuhu.gov.cn", desk.tag);
        let drafter = account(
            db,
            &drafter_login,
            desk.people[0],
            Role::Staff,
            Some(org.id),
        )
        .await?;
        let mut reviewers = Vec::new();
        for (n, level) in ReviewLevel::ALL.iter().enumerate() {
            let home = match level {
                ReviewLevel::Final => org.final_review_org_id.unwrap_or(org.id),
                _ => org.id,
            };
            let login = format!("{}-l{}@demo.wuhu.gov.cn", desk.tag, n + 1);
            reviewers.push(account(db, &login, desk.people[n + 1], Role::Staff, Some(home)).await?);
            super::grants::grant(
                db,
                Some(&admin),
                &GrantForm {
                    login,
                    unit: desk.unit.to_owned(),
                    level: level.as_str().to_owned(),
                },
            )
            .await?;
        }
        teams.push((desk.tag, drafter, reviewers));
    }
    let approve = Decision::Approve {
        comment: None,
        acknowledged: true,
    };
    for (tag, title, reach, body) in DRAFTS {
        let Some((_, drafter, reviewers)) = teams.iter().find(|(t, ..)| t == tag) else {
            continue;
        };
        let draft = Draft::parse(&DraftForm {
            title: (*title).to_owned(),
            doc_type: "行政规范性文件".to_owned(),
            topic: "就业创业".to_owned(),
            body: (*body).to_owned(),
            ..Default::default()
        })?;
        let id = super::create(db, Some(drafter), &draft).await?;
        if *tag == "szfb" {
            // A city-level normative document goes out with two forms of interpretation.
            for input in [
                InterpretationInput {
                    form: "文字解读".to_owned(),
                    title: format!("《{title}》政策解读"),
                    body: "一、出台背景：为持续优化营商环境，激发市场主体活力，制定本措施。\n二、主要内容：围绕“一网通办”和惠企政策“免申即享”提出具体举措。".to_owned(),
                    ..Default::default()
                },
                InterpretationInput {
                    form: "简明问答".to_owned(),
                    title: "一问一答看营商环境新举措".to_owned(),
                    pairs: "问：企业开办需要多长时间？\n答：企业开办全程网上办理，一个工作日内办结。\n问：什么是“免申即享”？\n答：符合条件的企业无需申请，即可直接享受惠企政策。".to_owned(),
                    ..Default::default()
                },
            ] {
                let parsed = InterpretationDraft::parse(&input)?;
                super::interpretations::add(db, Some(drafter), &id, &parsed).await?;
            }
        }
        let approvals = match reach {
            Reach::Editing => continue,
            Reach::Level(n) => *n,
            Reach::Returned => 1,
        };
        super::submit(db, Some(drafter), &id).await?;
        for (reviewer, level) in reviewers.iter().zip(ReviewLevel::ALL).take(approvals) {
            super::decide(db, Some(reviewer), &id, *level, &approve).await?;
        }
        if let Reach::Returned = reach {
            super::decide(
                db,
                Some(&reviewers[1]),
                &id,
                ReviewLevel::Second,
                &Decision::Return {
                    comment: "第二条请写明补贴的具体标准和发放方式".to_owned(),
                },
            )
            .await?;
        }
    }
    // One of 人社局's documents revised through review, so the library shows a real
    // revision history.
    if let Some((_, drafter, reviewers)) = teams.iter().find(|(t, ..)| *t == "rsj") {
        revise_one(db, drafter, reviewers, &approve).await?;
    }
    Ok(())
}

/// Revises the newest current document of the drafter's unit: an added article, a note.
async fn revise_one(
    db: &DatabaseConnection,
    drafter: &SessionUser,
    reviewers: &[SessionUser],
    approve: &Decision,
) -> Result<()> {
    use crate::entity::document;
    use sea_orm::QueryOrder;
    let org = drafter.org_id.and_then(|o| i32::try_from(o).ok());
    let Some(doc) = document::Entity::find()
        .filter(document::Column::IssuerId.eq(org))
        .filter(document::Column::Validity.eq("现行有效"))
        .filter(document::Column::Status.eq(crate::library::PUBLISHED))
        .order_by_desc(document::Column::PublishedOn)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let id = super::lifecycle::start(db, Some(drafter), &doc.id, DraftKind::Revision).await?;
    let mut form = super::view(db, Some(drafter), &id).await?.form;
    form.body
        .push_str("\n\n补充条款：申请人可通过“皖事通”办理相关事项，实现“一次都不跑”。");
    super::update(db, Some(drafter), &id, &Draft::parse(&form)?).await?;
    super::lifecycle::save_change(
        db,
        Some(drafter),
        &id,
        &ChangeForm {
            reason: "增加网上办理渠道的规定".to_owned(),
            ..Default::default()
        },
    )
    .await?;
    super::submit(db, Some(drafter), &id).await?;
    for (reviewer, level) in reviewers.iter().zip(ReviewLevel::ALL) {
        super::decide(db, Some(reviewer), &id, *level, approve).await?;
    }
    Ok(())
}
