//! "The policy finds the person": subscriptions and the personal-center feed.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::library::{Facet, LibraryQuery};
use crate::text::{fold_width, has_searchable_chars};

/// Facets a subscription may name. 公开年份 and 有效性 describe the past, not what will be
/// published, so they cannot be subscribed to.
pub const SUBSCRIBABLE: [Facet; 5] = [
    Facet::Topic,
    Facet::Audience,
    Facet::Issuer,
    Facet::Type,
    Facet::Category,
];
/// Subscriptions one account may hold.
pub const MAX_SUBSCRIPTIONS: usize = 30;
/// A subscription keyword's length in characters: one character matches nearly every
/// document, and longer ones would never match.
pub const MIN_KEYWORD_CHARS: usize = 2;
pub const MAX_KEYWORD_CHARS: usize = 20;
/// Failed delivery attempts after which an event is set aside as a dead letter.
pub const MAX_DELIVERY_ATTEMPTS: i32 = 5;
/// Feed items per page of the personal center.
pub const FEED_PAGE: u32 = 30;

/// What a subscription asks for: every named facet value and, if given, the keyword,
/// all at once ("就业创业 AND 高校毕业生").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SubscriptionSpec {
    /// Sorted by facet, at most one value per facet.
    pub terms: Vec<(Facet, String)>,
    /// Folded to half-width and lower case.
    pub keyword: Option<String>,
}

impl SubscriptionSpec {
    /// "订阅此搜索": a library view's filters and search text as a subscription.
    pub fn from_query(q: &LibraryQuery) -> Result<SubscriptionSpec, DomainError> {
        let mut terms = Vec::new();
        for (facet, value) in &q.filters {
            if !SUBSCRIBABLE.contains(facet) {
                return Err(DomainError::new(
                    facet.param(),
                    format!(
                        "“{}”不能订阅：订阅只推送今后发布的文件，请去掉这个条件",
                        facet.label()
                    ),
                ));
            }
            terms.push((*facet, value.clone()));
        }
        Self::new(terms, q.q.as_deref())
    }

    pub fn new(
        mut terms: Vec<(Facet, String)>,
        keyword: Option<&str>,
    ) -> Result<SubscriptionSpec, DomainError> {
        for (facet, value) in &mut terms {
            if !SUBSCRIBABLE.contains(facet) {
                return Err(DomainError::new(
                    facet.param(),
                    format!("“{}”不能订阅", facet.label()),
                ));
            }
            *value = value.trim().to_owned();
            if value.is_empty() {
                return Err(DomainError::new(
                    facet.param(),
                    format!("请选择{}", facet.label()),
                ));
            }
        }
        terms.sort();
        terms.dedup_by(|a, b| a.0 == b.0);
        let keyword = match keyword.map(|k| fold_width(k.trim()).to_lowercase()) {
            Some(k) if k.is_empty() => None,
            Some(k) if !has_searchable_chars(&k) => {
                return Err(DomainError::new(
                    "q",
                    "关键词里没有可检索的文字，请换一个词",
                ));
            }
            Some(k) if k.chars().count() < MIN_KEYWORD_CHARS => {
                return Err(DomainError::new(
                    "q",
                    format!("订阅关键词至少 {MIN_KEYWORD_CHARS} 个字，请换一个更具体的词"),
                ));
            }
            Some(k) if k.chars().count() > MAX_KEYWORD_CHARS => {
                return Err(DomainError::new(
                    "q",
                    format!("订阅关键词最长 {MAX_KEYWORD_CHARS} 个字，请换一个更短的词"),
                ));
            }
            other => other,
        };
        if terms.is_empty() && keyword.is_none() {
            return Err(DomainError::new(
                "subscription",
                "请至少选择一个订阅条件：文件主题、服务对象、发布机构、文件类型或关键词",
            ));
        }
        Ok(SubscriptionSpec { terms, keyword })
    }

    /// How the subscription reads to its owner: "就业创业 · 高校毕业生 · 关键词“补贴”".
    pub fn label(&self) -> String {
        let mut parts: Vec<String> = self.terms.iter().map(|(_, v)| v.clone()).collect();
        if let Some(k) = &self.keyword {
            parts.push(format!("关键词“{k}”"));
        }
        parts.join(" · ")
    }

    /// The library view showing what this subscription covers.
    pub fn library_query(&self) -> LibraryQuery {
        let mut q = LibraryQuery {
            q: self.keyword.clone(),
            page: 1,
            ..Default::default()
        };
        for (facet, value) in &self.terms {
            q.filters.insert(*facet, value.clone());
        }
        q
    }
}

label_enum! {
    /// What happened to put an item in someone's feed.
    FeedKind {
        NewDocument => "新发布",
        NewInterpretation => "新解读",
        ValidityChange => "效力变化",
        Revised => "文件修订",
        Withdrawn => "文件撤回",
        Answered => "咨询答复",
        NewQa => "新问答",
        QaChanged => "问答更新",
    }
}

impl FeedKind {
    /// Stored value.
    pub fn code(self) -> &'static str {
        match self {
            FeedKind::NewDocument => "document",
            FeedKind::NewInterpretation => "interpretation",
            FeedKind::ValidityChange => "validity",
            FeedKind::Revised => "revision",
            FeedKind::Withdrawn => "withdrawal",
            FeedKind::Answered => "answer",
            FeedKind::NewQa => "qa",
            FeedKind::QaChanged => "qa-changed",
        }
    }

    pub fn from_code(code: &str) -> Option<FeedKind> {
        FeedKind::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// An outbox event set aside after failing delivery too often, as an admin sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadLetterView {
    pub id: i64,
    pub kind: FeedKind,
    /// What it is about: a document, consultation or Q&A entry page.
    pub href: String,
    pub created_at: String,
    pub failed_at: String,
    pub attempts: i32,
    /// The error of the last attempt, as the database or index reported it.
    pub error: String,
}

/// The delivery pipeline as an admin sees it: what waits, and what was set aside.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutboxOverview {
    /// Events not yet delivered (and not set aside).
    pub pending: u64,
    /// Dead letters in all; the newest of them are listed in `dead`.
    pub dead_total: u64,
    pub dead: Vec<DeadLetterView>,
}

/// One item in a personal center's feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedItemView {
    pub id: i64,
    pub kind: FeedKind,
    /// The document it is about, if it is about one.
    pub document_id: Option<String>,
    /// Where the item links to: a document, a consultation or a Q&A entry.
    pub href: String,
    pub title: String,
    /// What changed, for validity changes: "已废止，由《…》替代".
    pub detail: Option<String>,
    /// "因为您订阅了：就业创业 · 高校毕业生".
    pub why: String,
    /// `YYYY-MM-DD HH:MM`, local time of the city.
    pub created_at: String,
    pub read: bool,
}

/// A page of the feed, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<FeedItemView>,
    pub unread: u64,
    /// Id to pass as `before` for the next (older) page, if there is one.
    pub older: Option<i64>,
}

/// A subscription as its owner manages it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionView {
    pub id: i64,
    pub label: String,
    pub paused: bool,
    pub delivered: i64,
    /// Link to the library view it covers.
    pub href: String,
    pub created_on: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(qs: &str) -> LibraryQuery {
        LibraryQuery::parse_query_string(qs).expect("valid")
    }

    #[test]
    fn a_filtered_view_becomes_a_subscription() {
        let q = query(
            "topic=%E5%B0%B1%E4%B8%9A%E5%88%9B%E4%B8%9A&audience=%E9%AB%98%E6%A0%A1%E6%AF%95%E4%B8%9A%E7%94%9F&q=%E8%A1%A5%E8%B4%B4",
        );
        let spec = SubscriptionSpec::from_query(&q).expect("valid");
        assert_eq!(spec.terms.len(), 2);
        assert_eq!(spec.keyword.as_deref(), Some("补贴"));
        assert_eq!(spec.label(), "就业创业 · 高校毕业生 · 关键词“补贴”");
        assert_eq!(spec.library_query().filters, q.filters);
    }

    #[test]
    fn an_empty_or_past_looking_subscription_is_refused_in_chinese() {
        let empty = SubscriptionSpec::from_query(&query("")).expect_err("invalid");
        assert!(empty.message.contains("至少选择一个"));
        let year = SubscriptionSpec::from_query(&query("year=2022")).expect_err("invalid");
        assert_eq!(year.field, "year");
        assert!(year.message.contains("不能订阅"));
        let junk = SubscriptionSpec::new(vec![], Some("？？")).expect_err("invalid");
        assert_eq!(junk.field, "q");
    }

    #[test]
    fn feed_kinds_round_trip_through_their_codes() {
        for k in FeedKind::ALL {
            assert_eq!(FeedKind::from_code(k.code()), Some(*k));
        }
    }
}
