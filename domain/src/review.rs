//! Publishing: what staff fill in to publish a document. (The three-level review workflow
//! will grow here; for now a checked form publishes at once.)

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::library::{DocNumber, DocType};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MIN_BODY_CHARS: usize = 10;
pub const MAX_BODY_CHARS: usize = 200_000;
pub const MAX_FACET_CHARS: usize = 50;

/// The publish form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishForm {
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
    /// The issuing organization's name; staff publish for their own organization.
    #[serde(default)]
    pub issuer: String,
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
    pub issuer: Option<String>,
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
    pub fn parse(form: &PublishForm) -> Result<Draft, DomainError> {
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
            issuer: optional("issuer", "发布机构", &form.issuer)?,
            body: body.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publish_form_needs_title_type_and_a_real_body() {
        let mut form = PublishForm {
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
