//! Drafting and the three-level review (三级审核): what staff write, the stages a draft
//! passes, who may decide it, and the shapes the review pages show. "先审核后公开": nothing
//! reaches the library except through the last approval.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::library::{DocNumber, DocType, Validity};
use crate::screening::Warning;

label_enum! {
    /// The three levels, in order: 初审 by the section head, 复审 by the unit leader in
    /// charge, 终审 by the unit principal (for the city government and its office, by the
    /// city's openness office).
    ReviewLevel {
        First => "初审",
        Second => "复审",
        Final => "终审",
    }
}

impl ReviewLevel {
    /// The level after this one; none after 终审, whose approval publishes.
    pub fn next(self) -> Option<ReviewLevel> {
        match self {
            Self::First => Some(Self::Second),
            Self::Second => Some(Self::Final),
            Self::Final => None,
        }
    }

    /// Who holds the level, as grants and pages name it.
    pub fn duty(self) -> &'static str {
        match self {
            Self::First => "科室负责人",
            Self::Second => "分管负责人",
            Self::Final => "主要负责人",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == s.trim())
            .ok_or_else(|| DomainError::new(field, "审核级别应为初审、复审或终审"))
    }
}

label_enum! {
    /// Where a draft is: being written, waiting at a level, returned to its drafter, or
    /// published.
    Stage {
        Editing => "草稿",
        First => "待初审",
        Second => "待复审",
        Final => "待终审",
        Returned => "退回修改",
        Published => "已发布",
    }
}

impl Stage {
    pub fn parse(s: &str) -> Option<Stage> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }

    /// The stage of waiting for `level`.
    pub fn awaiting(level: ReviewLevel) -> Stage {
        match level {
            ReviewLevel::First => Self::First,
            ReviewLevel::Second => Self::Second,
            ReviewLevel::Final => Self::Final,
        }
    }

    /// The level the draft waits for, if it is in review.
    pub fn pending(self) -> Option<ReviewLevel> {
        match self {
            Self::First => Some(ReviewLevel::First),
            Self::Second => Some(ReviewLevel::Second),
            Self::Final => Some(ReviewLevel::Final),
            _ => None,
        }
    }

    /// The drafter may change and submit the draft.
    pub fn editable(self) -> bool {
        matches!(self, Self::Editing | Self::Returned)
    }
}

label_enum! {
    /// What a draft does when its last approval publishes it: a new document, or a change
    /// to a published one. Every change passes the same three levels as a new document.
    DraftKind {
        New => "新发布",
        Revision => "修订",
        Validity => "效力变更",
        Withdrawal => "撤回",
        Addendum => "补充解读",
    }
}

impl DraftKind {
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| DomainError::new(field, "变更类型应为修订、效力变更、撤回或补充解读"))
    }

    /// Changes of a published document, as the form on a document offers them.
    pub const CHANGES: [DraftKind; 4] = [
        Self::Revision,
        Self::Validity,
        Self::Withdrawal,
        Self::Addendum,
    ];

    /// The drafter edits the document's text and metadata (a new document or a revision);
    /// the other changes keep them as published.
    pub fn edits_content(self) -> bool {
        matches!(self, Self::New | Self::Revision)
    }

    /// What the change form asks for, as its heading says.
    pub fn explain(self) -> &'static str {
        match self {
            Self::New => "起草新文件，经三级审核后发布",
            Self::Revision => {
                "修改已发布文件的正文或信息，审核通过后发布为新版本，历史版本保留可查"
            }
            Self::Validity => {
                "将文件标为已修改、废止或失效，写明日期、原因和替代文件，审核通过后推送给订阅用户"
            }
            Self::Withdrawal => "撤回误发布的文件：正文不再公开，原网址显示撤回公告",
            Self::Addendum => "为已发布的文件补充解读，解读单独经三级审核后发布",
        }
    }
}

/// Shortest and longest reason for a change, in characters.
pub const MIN_REASON_CHARS: usize = 4;
pub const MAX_REASON_CHARS: usize = 500;

/// The change fields as typed: `validity`, `date` and `replaced_by` for a validity change;
/// `reason` is the revision note, the validity change's reason or the withdrawal notice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    pub validity: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub reason: String,
    /// The replacing document: its id or its page's address.
    #[serde(default)]
    pub replaced_by: String,
}

/// A checked change to a published document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// A new version; `note` says what changed (修订说明).
    Revision { note: String },
    /// 已修改, 废止 or 失效 from `date` (`YYYY-MM-DD`), for `reason`, replaced by a
    /// document id.
    Validity {
        validity: Validity,
        date: String,
        reason: String,
        replaced_by: Option<String>,
    },
    /// 撤回, with the public notice's reason.
    Withdrawal { reason: String },
    /// Interpretations added; they say everything themselves.
    Addendum,
}

fn reason(field: &str, label: &str, raw: &str) -> Result<String, DomainError> {
    let r = raw.trim();
    let n = r.chars().count();
    if n < MIN_REASON_CHARS {
        return Err(DomainError::new(
            field,
            format!("请写明{label}（至少 {MIN_REASON_CHARS} 个字）"),
        ));
    }
    if n > MAX_REASON_CHARS {
        return Err(DomainError::new(
            field,
            format!("{label}最长 {MAX_REASON_CHARS} 个字"),
        ));
    }
    Ok(r.to_owned())
}

/// A document id from what was typed: the id itself or an address ending in
/// `/documents/{id}`.
pub fn document_ref(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('/');
    let id = raw.rsplit_once("/documents/").map_or(raw, |(_, id)| id);
    let id = id.split(['?', '#', '/']).next().unwrap_or_default();
    (!id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| id.to_owned())
}

impl Change {
    pub fn parse(kind: DraftKind, form: &ChangeForm) -> Result<Option<Change>, DomainError> {
        Ok(Some(match kind {
            DraftKind::New => return Ok(None),
            DraftKind::Revision => Change::Revision {
                note: reason("reason", "修订说明", &form.reason)?,
            },
            DraftKind::Withdrawal => Change::Withdrawal {
                reason: reason("reason", "撤回原因", &form.reason)?,
            },
            DraftKind::Addendum => Change::Addendum,
            DraftKind::Validity => {
                let validity = match form.validity.trim() {
                    "" => return Err(DomainError::new("validity", "请选择变更后的有效性")),
                    v => Validity::parse("validity", v)?,
                };
                if validity == Validity::InForce {
                    return Err(DomainError::new(
                        "validity",
                        "效力变更应为已修改、废止或失效；恢复效力请发布新文件",
                    ));
                }
                let date = chrono::NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
                    .map_err(|_| DomainError::new("date", "请填写生效日期，格式如 2026-12-31"))?
                    .to_string();
                let replaced_by = match form.replaced_by.trim() {
                    "" => None,
                    raw => Some(document_ref(raw).ok_or_else(|| {
                        DomainError::new(
                            "replaced_by",
                            "替代文件请填写文件编号或文件页面的网址，如 /documents/zc-…",
                        )
                    })?),
                };
                Change::Validity {
                    validity,
                    date,
                    reason: reason("reason", "变更原因", &form.reason)?,
                    replaced_by,
                }
            }
        }))
    }

    /// The form that shows this change for editing.
    pub fn to_form(&self) -> ChangeForm {
        match self {
            Change::Revision { note } => ChangeForm {
                reason: note.clone(),
                ..Default::default()
            },
            Change::Withdrawal { reason } => ChangeForm {
                reason: reason.clone(),
                ..Default::default()
            },
            Change::Addendum => ChangeForm::default(),
            Change::Validity {
                validity,
                date,
                reason,
                replaced_by,
            } => ChangeForm {
                validity: validity.as_str().to_owned(),
                date: date.clone(),
                reason: reason.clone(),
                replaced_by: replaced_by.clone().unwrap_or_default(),
            },
        }
    }

    /// The text reviewers and screening read: what the public will see of the change.
    pub fn public_text(&self) -> Option<&str> {
        match self {
            Change::Revision { note } => Some(note),
            Change::Withdrawal { reason } | Change::Validity { reason, .. } => Some(reason),
            Change::Addendum => None,
        }
    }
}

/// Why `reviewer` may not decide a draft by `author` at a level, given who approved the
/// other levels of this round: each level is a different person from the drafter and from
/// the other levels ("谁审核谁负责" means one person cannot be two checks).
pub fn refuse_reviewer(author: i64, approvers: &[i64], reviewer: i64) -> Option<&'static str> {
    if reviewer == author {
        Some("不能审核自己起草的文件")
    } else if approvers.contains(&reviewer) {
        Some("同一份文件的各级审核须由不同的人完成，您已审核过本轮的其他级别")
    } else {
        None
    }
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MIN_BODY_CHARS: usize = 10;
pub const MAX_BODY_CHARS: usize = 200_000;
pub const MAX_FACET_CHARS: usize = 50;

/// The draft form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftForm {
    pub title: String,
    #[serde(default)]
    pub doc_number: String,
    pub doc_type: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub category: String,
    /// 索引号, as the unit numbers its disclosures.
    #[serde(default)]
    pub index_no: String,
    pub body: String,
}

/// A checked document, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub doc_number: Option<DocNumber>,
    pub doc_type: DocType,
    pub topic: Option<String>,
    pub audience: Option<String>,
    pub category: Option<String>,
    pub index_no: Option<String>,
    pub body: String,
}

fn optional(field: &str, label: &str, raw: &str) -> Result<Option<String>, DomainError> {
    let v = raw.trim();
    if v.chars().count() > MAX_FACET_CHARS {
        return Err(DomainError::new(
            field,
            format!("{label}最长 {MAX_FACET_CHARS} 个字"),
        ));
    }
    Ok((!v.is_empty()).then(|| v.to_owned()))
}

impl Draft {
    pub fn parse(form: &DraftForm) -> Result<Draft, DomainError> {
        let title = form.title.trim();
        if title.is_empty() {
            return Err(DomainError::new("title", "请填写文件标题"));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(DomainError::new(
                "title",
                format!("标题最长 {MAX_TITLE_CHARS} 个字"),
            ));
        }
        let doc_number = match form.doc_number.trim() {
            "" => None,
            n => Some(DocNumber::parse(n).ok_or_else(|| {
                DomainError::new("doc_number", "发文字号格式应如“芜政〔2024〕12号”")
            })?),
        };
        let doc_type = DocType::parse("doc_type", &form.doc_type)?;
        let body = form.body.trim();
        let n = body.chars().count();
        if n < MIN_BODY_CHARS {
            return Err(DomainError::new(
                "body",
                format!("正文至少 {MIN_BODY_CHARS} 个字"),
            ));
        }
        if n > MAX_BODY_CHARS {
            return Err(DomainError::new(
                "body",
                format!("正文最长 {MAX_BODY_CHARS} 个字，请把附件单独上传"),
            ));
        }
        Ok(Draft {
            title: title.to_owned(),
            doc_number,
            doc_type,
            topic: optional("topic", "文件主题", &form.topic)?,
            audience: optional("audience", "服务对象", &form.audience)?,
            category: optional("category", "特色分类", &form.category)?,
            index_no: optional("index_no", "索引号", &form.index_no)?,
            body: body.to_owned(),
        })
    }
}

impl Draft {
    /// The form that shows this draft for editing.
    pub fn to_form(&self) -> DraftForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        DraftForm {
            title: self.title.clone(),
            doc_number: self
                .doc_number
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
            doc_type: self.doc_type.as_str().to_owned(),
            topic: text(&self.topic),
            audience: text(&self.audience),
            category: text(&self.category),
            index_no: text(&self.index_no),
            body: self.body.clone(),
        }
    }
}

/// Longest review comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// A reviewer's decision as typed: `decision` is `approve` or `return`; `level` is the
/// level the page showed the draft waiting for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionForm {
    pub level: String,
    pub decision: String,
    #[serde(default)]
    pub comment: String,
    /// The reviewer has checked the error-prone term warnings (a checkbox: present or not).
    #[serde(default)]
    pub acknowledged: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve {
        comment: Option<String>,
        acknowledged: bool,
    },
    /// 退回修改: back to the drafter, with what to change.
    Return { comment: String },
}

impl Decision {
    pub fn parse(form: &DecisionForm) -> Result<Decision, DomainError> {
        let comment = form.comment.trim();
        if comment.chars().count() > MAX_COMMENT_CHARS {
            return Err(DomainError::new(
                "comment",
                format!("审核意见最长 {MAX_COMMENT_CHARS} 个字"),
            ));
        }
        match form.decision.as_str() {
            "approve" => Ok(Decision::Approve {
                comment: (!comment.is_empty()).then(|| comment.to_owned()),
                acknowledged: form.acknowledged.is_some(),
            }),
            "return" if comment.chars().count() < 2 => {
                Err(DomainError::new("comment", "退回修改请写明需要修改的地方"))
            }
            "return" => Ok(Decision::Return {
                comment: comment.to_owned(),
            }),
            _ => Err(DomainError::new("decision", "请选择“通过”或“退回修改”")),
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Decision::Approve { .. } => "通过",
            Decision::Return { .. } => "退回修改",
        }
    }
}

/// An error-prone term in a draft's title or body, as the pages list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftWarning {
    /// `标题` or `正文`.
    pub field: String,
    pub warning: Warning,
}

impl DraftWarning {
    pub fn message(&self) -> String {
        format!("{}{}", self.field, self.warning.message())
    }
}

/// A line of the difference between two submitted versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

/// A draft in a list (`/staff/drafts`, `/staff/review`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub id: String,
    pub kind: DraftKind,
    pub title: String,
    pub stage: Stage,
    pub unit: String,
    pub author: String,
    /// How many times it has been submitted.
    pub round: i32,
    /// `YYYY-MM-DD HH:MM`, city time.
    pub updated_at: String,
}

/// One decision in a draft's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEntry {
    pub round: i32,
    pub level: ReviewLevel,
    pub reviewer: String,
    /// `通过` or `退回修改`.
    pub decision: String,
    pub comment: Option<String>,
    pub at: String,
}

/// A draft as its drafter and reviewers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub summary: DraftSummary,
    pub form: DraftForm,
    /// The body as the library will show it (sanitized HTML), for the reviewers.
    pub body_html: String,
    /// The change it makes to its published document, as typed so far.
    pub change: ChangeForm,
    /// Attachments (one may be the official text) and interpretation media.
    pub files: Vec<crate::file::FileView>,
    pub interpretations: Vec<crate::interpretation::DraftInterpretation>,
    /// Error-prone terms found at the last submission; reviewers acknowledge them.
    pub warnings: Vec<DraftWarning>,
    pub reviews: Vec<ReviewEntry>,
    /// What changed since the previous submission (empty on the first).
    pub changes: Vec<DiffLine>,
    /// The caller may edit and submit it.
    pub may_edit: bool,
    /// The level the caller may decide now, if any.
    pub may_review: Option<ReviewLevel>,
    /// The library's document it changes, or once published the one it made.
    pub document_id: Option<String>,
}

/// Grant form on `/admin/staff`: a staff member's login, the organization, the level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantForm {
    pub login: String,
    pub unit: String,
    pub level: String,
}

/// A review level held by a staff member for an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: i64,
    pub user: String,
    pub login: String,
    pub unit: String,
    pub level: ReviewLevel,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_goes_through_three_levels_in_order() {
        let mut seen = vec![];
        let mut stage = Stage::awaiting(ReviewLevel::First);
        while let Some(level) = stage.pending() {
            seen.push(level);
            stage = level.next().map_or(Stage::Published, Stage::awaiting);
        }
        assert_eq!(seen, ReviewLevel::ALL);
        assert!(Stage::Returned.editable() && Stage::Editing.editable());
        assert!(!Stage::First.editable() && !Stage::Published.editable());
    }

    #[test]
    fn nobody_reviews_their_own_draft_or_two_levels_of_one() {
        assert!(refuse_reviewer(1, &[], 1).is_some());
        assert!(refuse_reviewer(1, &[2], 2).is_some());
        assert_eq!(refuse_reviewer(1, &[2], 3), None);
    }

    #[test]
    fn returning_a_draft_needs_a_comment() {
        let mut form = DecisionForm {
            decision: "return".into(),
            ..Default::default()
        };
        assert_eq!(
            Decision::parse(&form).expect_err("no comment").field,
            "comment"
        );
        form.comment = "第三条补助标准请写明金额".into();
        assert!(matches!(
            Decision::parse(&form),
            Ok(Decision::Return { .. })
        ));
        form.decision = "approve".into();
        form.acknowledged = Some("on".into());
        assert!(matches!(
            Decision::parse(&form),
            Ok(Decision::Approve {
                acknowledged: true,
                ..
            })
        ));
        form.decision = "publish".into();
        assert_eq!(
            Decision::parse(&form).expect_err("unknown").field,
            "decision"
        );
    }

    #[test]
    fn a_validity_change_needs_a_date_a_reason_and_a_real_validity() {
        let mut form = ChangeForm {
            validity: "废止".into(),
            date: "2026-12-31".into(),
            reason: "已被新办法替代".into(),
            replaced_by: "https://zc.wuhu.gov.cn/documents/zc-abc123?x=1".into(),
        };
        assert_eq!(
            Change::parse(DraftKind::Validity, &form),
            Ok(Some(Change::Validity {
                validity: Validity::Abolished,
                date: "2026-12-31".into(),
                reason: "已被新办法替代".into(),
                replaced_by: Some("zc-abc123".into()),
            }))
        );
        for (field, bad) in [
            (
                "validity",
                ChangeForm {
                    validity: "现行有效".into(),
                    ..form.clone()
                },
            ),
            (
                "validity",
                ChangeForm {
                    validity: "作废".into(),
                    ..form.clone()
                },
            ),
            (
                "date",
                ChangeForm {
                    date: "2026-13-01".into(),
                    ..form.clone()
                },
            ),
            (
                "reason",
                ChangeForm {
                    reason: "过时".into(),
                    ..form.clone()
                },
            ),
            (
                "replaced_by",
                ChangeForm {
                    replaced_by: "《新办法》".into(),
                    ..form.clone()
                },
            ),
        ] {
            assert_eq!(
                Change::parse(DraftKind::Validity, &bad)
                    .expect_err(field)
                    .field,
                field
            );
        }
        form.replaced_by = String::new();
        assert!(matches!(
            Change::parse(DraftKind::Validity, &form),
            Ok(Some(Change::Validity {
                replaced_by: None,
                ..
            }))
        ));
    }

    #[test]
    fn a_revision_and_a_withdrawal_say_why_and_a_new_draft_changes_nothing() {
        let empty = ChangeForm::default();
        assert_eq!(Change::parse(DraftKind::New, &empty), Ok(None));
        assert_eq!(
            Change::parse(DraftKind::Addendum, &empty),
            Ok(Some(Change::Addendum))
        );
        assert_eq!(
            Change::parse(DraftKind::Revision, &empty)
                .expect_err("no note")
                .field,
            "reason"
        );
        let withdrawal = Change::parse(
            DraftKind::Withdrawal,
            &ChangeForm {
                reason: "  文号有误，更正后重新发布  ".into(),
                ..Default::default()
            },
        )
        .expect("valid")
        .expect("a change");
        assert_eq!(withdrawal.public_text(), Some("文号有误，更正后重新发布"));
        assert_eq!(
            Change::parse(DraftKind::Withdrawal, &withdrawal.to_form()),
            Ok(Some(withdrawal))
        );
    }

    #[test]
    fn a_draft_form_needs_title_type_and_a_real_body() {
        let mut form = DraftForm {
            title: "芜湖市高校毕业生就业补贴办法".into(),
            doc_number: "芜人社[2026]5号".into(),
            doc_type: "行政规范性文件".into(),
            topic: "就业创业".into(),
            audience: "高校毕业生".into(),
            body: "第一条 为促进高校毕业生就业，制定本办法。".into(),
            ..Default::default()
        };
        let draft = Draft::parse(&form).expect("valid");
        assert_eq!(
            draft.doc_number.map(|n| n.as_str().to_owned()),
            Some("芜人社〔2026〕5号".into())
        );
        form.body = "太短".into();
        assert_eq!(Draft::parse(&form).expect_err("invalid").field, "body");
        form.body = "第一条 为促进高校毕业生就业，制定本办法。".into();
        form.doc_type = "通知".into();
        assert_eq!(Draft::parse(&form).expect_err("invalid").field, "doc_type");
    }
}
