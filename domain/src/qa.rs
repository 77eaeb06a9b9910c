//! The policy Q&A knowledge base (政策问答): entries, the query over them and what staff
//! fill in to write one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::consult::{optional_field, text_field};
use crate::library::{FacetCount, parse_page, parse_search_text};
use crate::screening;

pub const QUESTION_MAX_CHARS: usize = 200;
pub const ANSWER_MAX_CHARS: usize = 10_000;
pub const SECTION_MAX_CHARS: usize = 50;
/// Entries per page of the knowledge base.
pub const QA_PAGE: u32 = 20;
/// The filters a Q&A list offers, by URL parameter.
pub const QA_FACETS: [(&str, &str); 2] = [("department", "答复部门"), ("topic", "主题")];

/// An entry in a document's list of Q&A.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaView {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub department: Option<String>,
    pub section: Option<String>,
    pub phone: Option<String>,
    pub document_id: Option<String>,
    pub document_title: Option<String>,
}

/// Who to call about an answer: the section (处室/科室) and its phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub section: String,
    pub phone: String,
}

impl Contact {
    pub fn parse(section: &str, phone: &str) -> Result<Contact, DomainError> {
        let section = text_field("section", "答复处室", section, 2, SECTION_MAX_CHARS)?;
        let phone = phone.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed =
            |c: char| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '（' | '）' | '转');
        if phone.is_empty() {
            return Err(DomainError::new("phone", "请填写咨询电话，方便群众来电"));
        }
        if !(3..=20).contains(&digits) || !phone.chars().all(allowed) {
            return Err(DomainError::new(
                "phone",
                "咨询电话格式不对，请填写如 0553-1234567 或 12345 的号码",
            ));
        }
        Ok(Contact {
            section,
            phone: phone.to_owned(),
        })
    }
}

/// The form staff fill in to write or edit an entry directly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaForm {
    pub question: String,
    pub answer: String,
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub phone: String,
    /// The answering department; staff answer for their own, admins name one.
    #[serde(default)]
    pub department: String,
}

/// A checked entry, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QaDraft {
    pub question: String,
    pub answer: String,
    pub document_id: Option<String>,
    pub topic: Option<String>,
    pub contact: Contact,
    pub department: Option<String>,
}

impl QaDraft {
    /// The same checks as a consultation: lengths, personal data, sensitive words.
    pub fn parse(form: &QaForm, words: &[String]) -> Result<QaDraft, DomainError> {
        let question = text_field(
            "question",
            "问题",
            &form.question,
            crate::consult::TITLE_MIN_CHARS,
            QUESTION_MAX_CHARS,
        )?;
        let answer = text_field("answer", "答复内容", &form.answer, 2, ANSWER_MAX_CHARS)?;
        screening::check("question", "问题", &question, words)?;
        screening::check("answer", "答复内容", &answer, words)?;
        Ok(QaDraft {
            question,
            answer,
            document_id: optional_field("document", "相关文件", &form.document)?,
            topic: optional_field("topic", "主题", &form.topic)?,
            contact: Contact::parse(&form.section, &form.phone)?,
            department: optional_field("department", "答复部门", &form.department)?,
        })
    }
}

/// A parsed knowledge-base request: search text, department, topic and page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QaQuery {
    pub q: Option<String>,
    pub department: Option<String>,
    pub topic: Option<String>,
    pub page: u32,
}

impl QaQuery {
    /// Parses URL query pairs; unknown parameters are ignored, bad values are errors
    /// naming the parameter.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DomainError> {
        let mut query = QaQuery {
            page: 1,
            ..Default::default()
        };
        for (key, raw) in pairs {
            let value = raw.trim();
            match key {
                "q" => query.q = parse_search_text(value)?,
                "department" => {
                    query.department = optional_field("department", "参数 department", value)?
                }
                "topic" => query.topic = optional_field("topic", "参数 topic", value)?,
                "page" if !value.is_empty() => query.page = parse_page(value)?,
                _ => {}
            }
        }
        Ok(query)
    }

    /// The first page of everything, newest first.
    pub fn default_page() -> QaQuery {
        QaQuery {
            page: 1,
            ..Default::default()
        }
    }

    pub fn parse_query_string(qs: &str) -> Result<Self, DomainError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(qs.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    pub fn filter(&self, param: &str) -> Option<&str> {
        match param {
            "department" => self.department.as_deref(),
            "topic" => self.topic.as_deref(),
            _ => None,
        }
    }

    /// The same query with one filter set or cleared, back on page 1.
    pub fn with_filter(&self, param: &str, value: Option<&str>) -> QaQuery {
        let mut next = self.clone();
        let value = value.map(str::to_owned);
        match param {
            "department" => next.department = value,
            "topic" => next.topic = value,
            _ => {}
        }
        next.page = 1;
        next
    }

    pub fn with_page(&self, page: u32) -> QaQuery {
        QaQuery {
            page,
            ..self.clone()
        }
    }

    pub fn href(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = &self.q {
            s.append_pair("q", q);
        }
        if let Some(d) = &self.department {
            s.append_pair("department", d);
        }
        if let Some(t) = &self.topic {
            s.append_pair("topic", t);
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
        }
        let qs = s.finish();
        if qs.is_empty() {
            "/qa".to_owned()
        } else {
            format!("/qa?{qs}")
        }
    }
}

/// One entry in a knowledge-base result list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaHit {
    pub id: String,
    pub question: String,
    /// Escaped HTML: a passage of the answer with the matched words in `<mark>`.
    pub snippet: String,
    pub department: Option<String>,
    pub section: Option<String>,
    pub phone: Option<String>,
    pub topic: Option<String>,
    pub document_id: Option<String>,
    pub document_title: Option<String>,
    pub published_date: Option<String>,
}

/// A page of Q&A results, shaped like the library's: total, facet counts, hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaPage {
    pub total: u64,
    /// Keyed by `department` and `topic`, values by count, largest first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    pub hits: Vec<QaHit>,
    pub page: u32,
    pub per_page: u32,
    pub notice: Option<String>,
}

impl QaPage {
    pub fn pages(&self) -> u32 {
        crate::library::page_count(self.total, self.per_page)
    }
}

/// Everything a Q&A page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaDetail {
    pub entry: QaView,
    pub topic: Option<String>,
    pub published_date: Option<String>,
    /// The consultation it answered, when it came from one (and that one is public).
    pub consultation_id: Option<i64>,
    /// Whether the viewer may edit it.
    pub editable: bool,
    /// Other entries on the same document.
    pub related: Vec<QaView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_must_look_like_a_phone_number() {
        assert!(Contact::parse("就业促进科", "0553-3835212").is_ok());
        assert!(Contact::parse("就业促进科", "12345").is_ok());
        let bad = Contact::parse("就业促进科", "请打电话").expect_err("invalid");
        assert_eq!(bad.field, "phone");
        let missing = Contact::parse("", "12345").expect_err("invalid");
        assert_eq!(missing.field, "section");
        assert!(missing.message.contains("答复处室"));
    }

    #[test]
    fn a_staff_entry_is_checked_like_a_consultation() {
        let words = vec!["赌博".to_owned()];
        let form = QaForm {
            question: "灵活就业人员怎么参保？".into(),
            answer: "可到社保窗口办理，或拨打 13800012345 咨询。".into(),
            section: "社保科".into(),
            phone: "12333".into(),
            ..Default::default()
        };
        let refused = QaDraft::parse(&form, &words).expect_err("mobile in answer");
        assert_eq!(refused.field, "answer");
        assert!(refused.message.contains("手机号"));
        let ok = QaForm {
            answer: "可到社保窗口办理。".into(),
            ..form
        };
        assert_eq!(
            QaDraft::parse(&ok, &words).expect("valid").contact.phone,
            "12333"
        );
    }

    #[test]
    fn a_knowledge_base_query_round_trips_through_its_link() {
        let q = QaQuery::parse_query_string(
            "q=%E7%A4%BE%E4%BF%9D&department=%E4%BA%BA%E7%A4%BE%E5%B1%80&page=2&utm=x",
        )
        .expect("valid");
        assert_eq!(q.q.as_deref(), Some("社保"));
        assert_eq!(q.department.as_deref(), Some("人社局"));
        assert_eq!(
            QaQuery::parse_query_string(q.href().trim_start_matches("/qa?")),
            Ok(q.clone())
        );
        assert_eq!(
            q.with_filter("department", None).href(),
            "/qa?q=%E7%A4%BE%E4%BF%9D"
        );
        let bad = QaQuery::parse_query_string("page=0").expect_err("invalid");
        assert_eq!(bad.field, "page");
    }
}

/// A Q&A entry whose document changed (revised, amended, abolished, withdrawn), waiting for
/// its department to check it again; saving the entry clears it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedQa {
    pub id: String,
    pub question: String,
    /// What changed, as the document's change said it.
    pub flag: String,
}
