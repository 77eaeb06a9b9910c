//! Drafting and the three-level review (三级审核): what staff write, the stages a draft
//! passes, who may decide it, and the shapes the review pages show. "先审核后公开": nothing
//! reaches the library except through the last approval.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::library::{DocNumber, DocType};
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
    /// Once published: the library's document.
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
