//! The audit log as pages and the JSON API show it: who did what, when, from where, to
//! which document, consultation or Q&A entry ("可追溯、可倒查").

use serde::{Deserialize, Serialize};

use crate::DomainError;

label_enum! {
    /// What was done.
    AuditAction {
        Submit => "提交审核",
        Approve => "审核通过",
        Return => "退回修改",
        Publish => "发布文件",
        Revise => "发布修订",
        ChangeValidity => "变更效力",
        Withdraw => "撤回文件",
        PublishInterpretation => "发布补充解读",
        Grant => "授予审核级别",
        Revoke => "撤销审核级别",
        EditLexicon => "修改错敏词库",
        Answer => "答复咨询",
        Reject => "不予受理",
        Transfer => "转办咨询",
        PublishAnswer => "答复发布到政策问答",
        SaveQa => "编写政策问答",
        EditQa => "修改政策问答",
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub id: i64,
    /// `YYYY-MM-DD HH:MM:SS`, city time.
    pub at: String,
    pub actor: String,
    pub unit: Option<String>,
    pub action: AuditAction,
    /// The page of what it was done to.
    pub href: String,
    pub detail: Option<String>,
    pub address: Option<String>,
}

/// Entries per page of `/admin/audit`.
pub const AUDIT_PAGE: u64 = 50;

/// The filters of `/admin/audit`: unit, person (name or login contains), action, page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub unit: Option<String>,
    pub person: Option<String>,
    pub action: Option<AuditAction>,
    pub page: u64,
}

impl AuditQuery {
    pub fn parse_query_string(qs: &str) -> Result<Self, DomainError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(qs.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<AuditQuery, DomainError> {
        let mut q = AuditQuery {
            page: 1,
            ..Default::default()
        };
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k {
                "unit" => q.unit = Some(v.to_owned()),
                "person" => q.person = Some(v.chars().take(50).collect()),
                "action" => {
                    q.action = Some(
                        AuditAction::ALL
                            .iter()
                            .copied()
                            .find(|a| a.as_str() == v)
                            .ok_or_else(|| {
                                DomainError::new(
                                    "action",
                                    format!("没有“{v}”这种操作，请从列表中选择"),
                                )
                            })?,
                    );
                }
                "page" => {
                    q.page = v
                        .parse::<u64>()
                        .ok()
                        .filter(|p| (1..=10_000).contains(p))
                        .ok_or_else(|| DomainError::new("page", "页码应为 1 到 10000 的整数"))?;
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

/// A page of the log, newest first, with what the filters can choose from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntryView>,
    pub total: u64,
    pub page: u64,
    pub units: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_filters_parse_and_a_bad_one_says_what_to_fix() {
        let q = AuditQuery::parse([
            ("unit", "芜湖市民政局"),
            ("action", "发布文件"),
            ("page", "2"),
        ])
        .expect("query");
        assert_eq!(q.action, Some(AuditAction::Publish));
        assert_eq!(q.page, 2);
        let e = AuditQuery::parse([("action", "删库")]).expect_err("bad action");
        assert_eq!(e.field, "action");
        assert!(AuditQuery::parse([("page", "0")]).is_err());
    }
}
