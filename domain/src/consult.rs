//! Policy consultations (政策咨询): their states and the working-day clock they run on.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::screening;

pub const TITLE_MIN_CHARS: usize = 5;
pub const TITLE_MAX_CHARS: usize = 50;
pub const BODY_MIN_CHARS: usize = 10;
pub const BODY_MAX_CHARS: usize = 1000;
pub const ANSWER_MAX_CHARS: usize = 5000;
pub const REASON_MAX_CHARS: usize = 500;
/// Working days to answer, unless an admin sets another figure.
pub const DEFAULT_DUE_DAYS: u32 = 5;
pub const MAX_DUE_DAYS: u32 = 60;
/// Consultations per page of a list.
pub const LIST_PAGE: u32 = 20;

/// Which days the city's offices work: Monday to Friday, except public holidays, plus the
/// weekend days made working days in exchange (调休). Admins keep both lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub makeup_workdays: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.makeup_workdays.contains(&day) {
            return true;
        }
        if self.holidays.contains(&day) {
            return false;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The `n`th working day after `from` (`from` itself does not count): the due date of
    /// something received on `from` with `n` working days to answer.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is
    /// earlier. A due date minus today: how many working days are left.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let count = a
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| self.is_working_day(*d))
            .count() as i64;
        sign * count
    }
}

label_enum! {
    /// Where a consultation is.
    ConsultStatus {
        Submitted => "待分办",
        Assigned => "办理中",
        Answered => "已答复",
        Closed => "已办结",
        Rejected => "不予受理",
    }
}

impl ConsultStatus {
    /// Routed (or re-routed) to an organization.
    pub fn assign(self) -> Result<ConsultStatus, DomainError> {
        match self {
            ConsultStatus::Submitted | ConsultStatus::Assigned => Ok(ConsultStatus::Assigned),
            other => Err(Self::refused(other, "转办")),
        }
    }

    /// Answered by the responsible organization; only once.
    pub fn answer(self) -> Result<ConsultStatus, DomainError> {
        match self {
            ConsultStatus::Submitted | ConsultStatus::Assigned => Ok(ConsultStatus::Answered),
            other => Err(Self::refused(other, "答复")),
        }
    }

    /// Rejected with a reason; not after an answer.
    pub fn reject(self) -> Result<ConsultStatus, DomainError> {
        match self {
            ConsultStatus::Submitted | ConsultStatus::Assigned => Ok(ConsultStatus::Rejected),
            other => Err(Self::refused(other, "不予受理")),
        }
    }

    /// Closed after the answer.
    pub fn close(self) -> Result<ConsultStatus, DomainError> {
        match self {
            ConsultStatus::Answered => Ok(ConsultStatus::Closed),
            other => Err(Self::refused(other, "办结")),
        }
    }

    /// Whether the working-day clock still runs.
    pub fn is_open(self) -> bool {
        matches!(self, ConsultStatus::Submitted | ConsultStatus::Assigned)
    }

    /// Parses a stored or URL value (the Chinese label).
    pub fn parse(s: &str) -> Option<ConsultStatus> {
        ConsultStatus::ALL.iter().copied().find(|x| x.as_str() == s)
    }

    fn refused(current: ConsultStatus, action: &str) -> DomainError {
        DomainError::new(
            "status",
            format!("该咨询当前为“{}”，不能再{action}", current.as_str()),
        )
    }
}

/// The ask form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskForm {
    pub title: String,
    pub body: String,
    /// Id of the document asked about.
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub topic: String,
    /// A checkbox: present ("on") when the asker agrees to publish.
    #[serde(default)]
    pub public: Option<String>,
}

/// A checked question, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub title: String,
    pub body: String,
    pub document_id: Option<String>,
    pub topic: Option<String>,
    pub public: bool,
}

/// Trims `raw` and checks its length in characters, naming the field in the message.
pub fn text_field(
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, DomainError> {
    let v = raw.trim();
    let n = v.chars().count();
    if n == 0 {
        return Err(DomainError::new(field, format!("请填写{label}")));
    }
    if n < min {
        return Err(DomainError::new(
            field,
            format!("{label}至少 {min} 个字，请写清楚一些"),
        ));
    }
    if n > max {
        return Err(DomainError::new(
            field,
            format!("{label}最长 {max} 个字，现在有 {n} 个字，请精简"),
        ));
    }
    Ok(v.to_owned())
}

/// An optional short value (a topic, a document id): trimmed, empty is `None`.
pub fn optional_field(field: &str, label: &str, raw: &str) -> Result<Option<String>, DomainError> {
    let v = raw.trim();
    if v.chars().count() > 60 || v.chars().any(char::is_control) {
        return Err(DomainError::new(
            field,
            format!("{label}无效，请从列表中选择"),
        ));
    }
    Ok((!v.is_empty()).then(|| v.to_owned()))
}

impl Question {
    /// Checks lengths, then personal data and `words` (the sensitive words) in title and text.
    pub fn parse(form: &AskForm, words: &[String]) -> Result<Question, DomainError> {
        let title = text_field(
            "title",
            "标题",
            &form.title,
            TITLE_MIN_CHARS,
            TITLE_MAX_CHARS,
        )?;
        let body = text_field(
            "body",
            "问题描述",
            &form.body,
            BODY_MIN_CHARS,
            BODY_MAX_CHARS,
        )?;
        screening::check("title", "标题", &title, words)?;
        screening::check("body", "问题描述", &body, words)?;
        Ok(Question {
            title,
            body,
            document_id: optional_field("document", "相关文件", &form.document)?,
            topic: optional_field("topic", "主题", &form.topic)?,
            public: form
                .public
                .as_deref()
                .is_some_and(|v| !v.is_empty() && v != "false"),
        })
    }
}

/// The answer form: the reply, and optionally the Q&A entry made from it in the same step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerForm {
    pub answer: String,
    /// A checkbox: also publish into the knowledge base.
    #[serde(default)]
    pub publish: Option<String>,
    /// The question as the knowledge base shows it (defaults to the consultation's title).
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub phone: String,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub text: String,
    /// Section and phone for the Q&A entry, when it is to be published.
    pub publish: Option<crate::qa::Contact>,
    pub question: Option<String>,
}

impl Answer {
    pub fn parse(form: &AnswerForm, words: &[String]) -> Result<Answer, DomainError> {
        let text = text_field("answer", "答复内容", &form.answer, 2, ANSWER_MAX_CHARS)?;
        screening::check("answer", "答复内容", &text, words)?;
        let publish = form
            .publish
            .as_deref()
            .is_some_and(|v| !v.is_empty() && v != "false");
        let question = match form.question.trim() {
            "" => None,
            q => {
                let q = text_field(
                    "question",
                    "问题",
                    q,
                    TITLE_MIN_CHARS,
                    crate::qa::QUESTION_MAX_CHARS,
                )?;
                screening::check("question", "问题", &q, words)?;
                Some(q)
            }
        };
        Ok(Answer {
            text,
            publish: if publish {
                Some(crate::qa::Contact::parse(&form.section, &form.phone)?)
            } else {
                None
            },
            question,
        })
    }
}

/// A reason for not accepting a consultation; the asker reads it.
pub fn parse_reason(raw: &str) -> Result<String, DomainError> {
    text_field("reason", "不予受理的理由", raw, 5, REASON_MAX_CHARS)
}

/// A consultation's place on the working-day clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// Working days from today to the due date; negative when overdue.
    pub days_left: i64,
    /// Still open after its due date.
    pub overdue: bool,
}

impl Deadline {
    pub fn of(calendar: &WorkCalendar, due: NaiveDate, today: NaiveDate, open: bool) -> Deadline {
        let days_left = calendar.working_days_between(today, due);
        Deadline {
            due_on: due.to_string(),
            days_left,
            overdue: open && today > due,
        }
    }

    /// "还剩 3 个工作日" / "今天到期" / "已超期 2 个工作日".
    pub fn describe(&self) -> String {
        match self.days_left {
            _ if self.overdue => format!("已超期 {} 个工作日", (-self.days_left).max(1)),
            0 => "今天到期".to_owned(),
            n if n > 0 => format!("还剩 {n} 个工作日"),
            _ => String::new(),
        }
    }
}

/// A consultation in a list (public list, personal center, staff inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultSummary {
    pub id: i64,
    pub title: String,
    pub status: ConsultStatus,
    pub department: Option<String>,
    /// `YYYY-MM-DD HH:MM`, city time.
    pub asked_at: String,
    pub deadline: Deadline,
    pub public: bool,
    pub document_title: Option<String>,
}

/// One line of a consultation's record (受理、转办、答复…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub at: String,
    pub text: String,
}

/// What the viewer of a consultation may do with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowed {
    pub answer: bool,
    pub assign: bool,
    pub publish: bool,
    pub close: bool,
}

/// Everything a consultation's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultDetail {
    pub summary: ConsultSummary,
    pub body: String,
    pub document_id: Option<String>,
    pub topic: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    pub reject_reason: Option<String>,
    /// The knowledge-base entry made from the answer.
    pub qa_id: Option<String>,
    /// Shown to the asker and staff, not to the public.
    pub log: Vec<LogEntry>,
    pub allowed: Allowed,
    /// Departments it can be transferred to, for staff.
    pub departments: Vec<String>,
    /// The viewer's own department's phone, to prefill the Q&A form.
    pub phone: Option<String>,
}

/// Which part of an inbox or list to show: parsed from the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultFilter {
    pub status: Option<ConsultStatus>,
    pub overdue: bool,
    /// Admins may look at one department's inbox.
    pub department: Option<String>,
    pub page: u32,
}

impl ConsultFilter {
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DomainError> {
        let mut f = ConsultFilter {
            page: 1,
            ..Default::default()
        };
        for (key, raw) in pairs {
            let value = raw.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "status" => {
                    f.status = Some(ConsultStatus::parse(value).ok_or_else(|| {
                        DomainError::new("status", "参数 status 无效，请从列表中选择办理状态")
                    })?);
                }
                "overdue" => f.overdue = value == "1" || value == "true",
                "department" => f.department = optional_field("department", "部门", value)?,
                "page" => f.page = crate::library::parse_page(value)?,
                _ => {}
            }
        }
        Ok(f)
    }

    pub fn parse_query_string(qs: &str) -> Result<Self, DomainError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(qs.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    pub fn to_query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(status) = self.status {
            s.append_pair("status", status.as_str());
        }
        if self.overdue {
            s.append_pair("overdue", "1");
        }
        if let Some(d) = &self.department {
            s.append_pair("department", d);
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
        }
        s.finish()
    }
}

/// A page of consultations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultList {
    pub items: Vec<ConsultSummary>,
    pub total: u64,
    pub page: u32,
    /// Open items past their due date under the same department scope (staff inbox).
    pub overdue: u64,
}

/// One department's line in the admin overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentLoad {
    /// `None`: not yet routed (待分办).
    pub department: Option<String>,
    pub open: u64,
    pub overdue: u64,
    pub answered: u64,
}

/// The admin's settings page: the routing table, the calendar, the clock, the word list
/// and how each department is doing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultSettings {
    /// Topic → department.
    pub routes: Vec<(String, String)>,
    pub holidays: Vec<String>,
    pub makeup_workdays: Vec<String>,
    pub due_days: u32,
    pub sensitive_words: Vec<String>,
    pub load: Vec<DepartmentLoad>,
    pub departments: Vec<String>,
    pub topics: Vec<String>,
}

/// The admin's settings form as typed: one text area per list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    /// One `主题=部门` per line.
    pub routes: String,
    pub holidays: String,
    pub makeup_workdays: String,
    pub due_days: String,
    /// One word per line.
    pub sensitive_words: String,
}

/// Dates typed one per line (or separated by commas or spaces), as `YYYY-MM-DD`.
pub fn parse_dates(field: &str, raw: &str) -> Result<BTreeSet<NaiveDate>, DomainError> {
    raw.split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
        .filter(|s| !s.is_empty())
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                DomainError::new(
                    field,
                    format!("“{s}”不是有效日期，请按 2026-10-01 的格式填写"),
                )
            })
        })
        .collect()
}

/// The due-days setting.
pub fn parse_due_days(raw: &str) -> Result<u32, DomainError> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_DUE_DAYS).contains(n))
        .ok_or_else(|| {
            DomainError::new(
                "due_days",
                format!("办理时限应为 1 到 {MAX_DUE_DAYS} 个工作日"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn due_dates_skip_weekends() {
        let cal = WorkCalendar::default();
        // Friday + 1 working day = Monday; + 5 = the next Friday.
        assert_eq!(cal.add_working_days(d("2026-11-27"), 1), d("2026-11-30"));
        assert_eq!(cal.add_working_days(d("2026-11-27"), 5), d("2026-12-04"));
        assert_eq!(
            cal.working_days_between(d("2026-11-27"), d("2026-12-04")),
            5
        );
        assert_eq!(
            cal.working_days_between(d("2026-12-04"), d("2026-11-27")),
            -5
        );
    }

    #[test]
    fn holidays_stop_the_clock_and_makeup_days_run_it() {
        // National Day week 2026: 1–7 October off, Saturday 10 October worked instead.
        let cal = WorkCalendar {
            holidays: (1..=7).map(|day| d(&format!("2026-10-0{day}"))).collect(),
            makeup_workdays: [d("2026-10-10")].into_iter().collect(),
        };
        // Received Wednesday 30 September with 3 working days: 8, 9, 10 October.
        assert_eq!(cal.add_working_days(d("2026-09-30"), 3), d("2026-10-10"));
        assert!(cal.is_working_day(d("2026-10-10")));
        assert!(!cal.is_working_day(d("2026-10-05")));
    }

    #[test]
    fn a_rejected_or_answered_consultation_cannot_be_answered_again() {
        let answered = ConsultStatus::Submitted
            .assign()
            .and_then(ConsultStatus::answer)
            .expect("answer");
        assert_eq!(answered, ConsultStatus::Answered);
        let twice = answered.answer().expect_err("second answer");
        assert!(twice.message.contains("已答复"));
        let rejected = ConsultStatus::Assigned.reject().expect("reject");
        assert!(rejected.answer().is_err());
        assert!(!rejected.is_open());
        assert_eq!(answered.close(), Ok(ConsultStatus::Closed));
    }

    fn ask(title: &str, body: &str) -> AskForm {
        AskForm {
            title: title.into(),
            body: body.into(),
            document: "whgov-1".into(),
            public: Some("on".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_question_is_checked_for_length_and_personal_data_in_chinese() {
        let words = vec!["赌博".to_owned()];
        let q = Question::parse(
            &ask("高校毕业生就业补贴", "刚毕业的学生如何申请一次性就业补贴？"),
            &words,
        )
        .expect("valid");
        assert!(q.public);
        assert_eq!(q.document_id.as_deref(), Some("whgov-1"));
        let short =
            Question::parse(&ask("补贴", "刚毕业的学生如何申请？"), &words).expect_err("short");
        assert_eq!(short.field, "title");
        assert!(short.message.contains("至少 5 个字"));
        let empty = Question::parse(&ask("高校毕业生就业补贴", "   "), &words).expect_err("empty");
        assert_eq!(empty.message, "请填写问题描述");
        let long = Question::parse(&ask("高校毕业生就业补贴", &"问".repeat(1001)), &words)
            .expect_err("long");
        assert!(long.message.contains("最长 1000 个字"));
        let id = Question::parse(
            &ask(
                "高校毕业生就业补贴",
                "我的身份证号是11010519491231002X，能申请吗？",
            ),
            &words,
        )
        .expect_err("id card");
        assert_eq!(id.field, "body");
        assert!(id.message.contains("第 8 个字起有疑似身份证号"));
    }

    #[test]
    fn an_answer_published_to_the_knowledge_base_needs_section_and_phone() {
        let form = AnswerForm {
            answer: "可在毕业两年内向户籍地人社部门申请。".into(),
            publish: Some("on".into()),
            ..Default::default()
        };
        assert_eq!(
            Answer::parse(&form, &[]).expect_err("no section").field,
            "section"
        );
        let ok = AnswerForm {
            section: "就业促进科".into(),
            phone: "0553-3835212".into(),
            ..form
        };
        assert!(Answer::parse(&ok, &[]).expect("valid").publish.is_some());
        assert_eq!(parse_reason("不").expect_err("short").field, "reason");
    }

    #[test]
    fn deadlines_say_how_many_working_days_are_left() {
        let cal = WorkCalendar::default();
        let due = cal.add_working_days(d("2026-11-26"), 5);
        assert_eq!(due, d("2026-12-03"));
        let open = Deadline::of(&cal, due, d("2026-11-27"), true);
        assert_eq!(open.describe(), "还剩 4 个工作日");
        let late = Deadline::of(&cal, due, d("2026-12-07"), true);
        assert!(late.overdue);
        assert_eq!(late.describe(), "已超期 2 个工作日");
        assert!(!Deadline::of(&cal, due, d("2026-12-07"), false).overdue);
    }

    #[test]
    fn filters_and_settings_parse_from_what_people_type() {
        let f = ConsultFilter::parse([("status", "办理中"), ("overdue", "1"), ("x", "y")])
            .expect("valid");
        assert_eq!(f.status, Some(ConsultStatus::Assigned));
        assert!(f.overdue);
        assert_eq!(
            ConsultFilter::parse([("status", "x")])
                .expect_err("bad")
                .field,
            "status"
        );
        let days = parse_dates("holidays", "2026-10-01\n2026-10-02，2026-10-03").expect("dates");
        assert_eq!(days.len(), 3);
        assert!(
            parse_dates("holidays", "10月1日")
                .expect_err("bad")
                .message
                .contains("10月1日")
        );
        assert_eq!(parse_due_days("0").expect_err("bad").field, "due_days");
    }
}
