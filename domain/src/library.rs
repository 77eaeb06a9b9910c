//! The policy library: document facets, document numbers, the library query and the
//! shapes of search results and document pages.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::interpretation::InterpretationView;
use crate::qa::QaView;
use crate::text::fold_width;

/// Results per page, for pages and the JSON API alike.
pub const PAGE_SIZE: u32 = 20;
/// Deepest page served; beyond it a narrower query is the better answer.
pub const MAX_PAGE: u32 = 500;
/// Longest accepted search text, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

label_enum! {
    /// 文件类型: the city's three kinds, plus the kinds national texts keep when imported.
    DocType {
        Rule => "政府规章",
        Normative => "行政规范性文件",
        Other => "其他文件",
        Law => "法律",
        AdministrativeRegulation => "行政法规",
        JudicialInterpretation => "司法解释",
        DepartmentalRule => "部门规章",
        LocalRegulation => "地方性法规",
        Constitution => "宪法",
    }
}

impl DocType {
    /// Reads a stored, typed or imported value; the short forms people type are accepted.
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if let Some(t) = Self::ALL.iter().find(|t| t.as_str() == s) {
            return Ok(*t);
        }
        match s {
            "规章" => Ok(Self::Rule),
            "规范性文件" => Ok(Self::Normative),
            "其他" => Ok(Self::Other),
            "民法典" => Ok(Self::Law),
            _ => Err(DomainError::new(
                field,
                format!("文件类型“{s}”不存在，请从列表中选择，例如“行政规范性文件”"),
            )),
        }
    }
}

label_enum! {
    /// 有效性 of a document.
    Validity {
        InForce => "现行有效",
        Amended => "已修改",
        Abolished => "废止",
        Expired => "失效",
    }
}

impl Validity {
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        match s.trim() {
            "现行有效" | "有效" => Ok(Self::InForce),
            "已修改" | "已被修改" => Ok(Self::Amended),
            "废止" | "已废止" => Ok(Self::Abolished),
            "失效" | "已失效" => Ok(Self::Expired),
            other => Err(DomainError::new(
                field,
                format!("有效性“{other}”不存在，可选：现行有效、已修改、废止、失效"),
            )),
        }
    }

    /// Abolished and expired documents are no longer to be applied; pages warn about them.
    pub fn is_void(self) -> bool {
        matches!(self, Self::Abolished | Self::Expired)
    }
}

label_enum! {
    /// 层级: who in the city issued the document.
    Level {
        City => "市本级",
        County => "县市区",
        Department => "市直部门",
    }
}

impl Level {
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == s.trim())
            .ok_or_else(|| {
                DomainError::new(
                    field,
                    format!("层级“{s}”不存在，可选：市本级、县市区、市直部门"),
                )
            })
    }
}

/// The facets a visitor can filter the library by; the names are the URL parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Facet {
    Type,
    Issuer,
    Year,
    Topic,
    Audience,
    Category,
    Validity,
}

impl Facet {
    pub const ALL: &'static [Facet] = &[
        Facet::Type,
        Facet::Issuer,
        Facet::Year,
        Facet::Topic,
        Facet::Audience,
        Facet::Category,
        Facet::Validity,
    ];

    /// URL parameter and JSON key.
    pub fn param(self) -> &'static str {
        match self {
            Facet::Type => "type",
            Facet::Issuer => "issuer",
            Facet::Year => "year",
            Facet::Topic => "topic",
            Facet::Audience => "audience",
            Facet::Category => "category",
            Facet::Validity => "validity",
        }
    }

    /// Heading shown above the facet's values.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Type => "文件类型",
            Facet::Issuer => "发布机构",
            Facet::Year => "公开年份",
            Facet::Topic => "文件主题",
            Facet::Audience => "服务对象",
            Facet::Category => "特色分类",
            Facet::Validity => "有效性",
        }
    }

    pub fn from_param(p: &str) -> Option<Facet> {
        Facet::ALL.iter().copied().find(|f| f.param() == p)
    }
}

/// 发文字号 in its canonical written form, e.g. `芜政〔2022〕12号`.
///
/// Variants people type — `[]`, `()`, `（）`, `［］`, `【】`, full-width digits, spaces and a
/// missing trailing 号 — all parse to the same value, so a lookup by number always matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocNumber(String);

impl DocNumber {
    pub fn parse(s: &str) -> Option<DocNumber> {
        let folded = fold_width(s);
        let mut out = String::with_capacity(folded.len());
        for c in folded.chars() {
            match c {
                c if c.is_whitespace() => {}
                '[' | '(' | '【' | '〔' | '﹝' | '〖' => out.push('〔'),
                ']' | ')' | '】' | '〕' | '﹞' | '〗' => out.push('〕'),
                c => out.push(c),
            }
        }
        if out.ends_with(|c: char| c.is_ascii_digit()) {
            out.push('号');
        }
        // Decrees are cited with and without the country name: 国务院令第706号.
        if let Some(short) = out.strip_prefix("中华人民共和国")
            && Self::looks_like(short)
        {
            out = short.to_owned();
        }
        Self::looks_like(&out).then_some(DocNumber(out))
    }

    /// A number has an issuer code and a sequence: `X〔YYYY〕N号` or `…令第N号`.
    fn looks_like(s: &str) -> bool {
        let Some(body) = s.strip_suffix('号') else {
            return false;
        };
        if let Some((head, rest)) = body.split_once('〔') {
            if let Some((year, seq)) = rest.split_once('〕') {
                return !head.is_empty()
                    && year.len() == 4
                    && year.chars().all(|c| c.is_ascii_digit())
                    && !seq.is_empty()
                    && seq.chars().all(|c| c.is_ascii_digit());
            }
            return false;
        }
        match body.rsplit_once('第') {
            Some((head, seq)) => {
                !head.is_empty() && !seq.is_empty() && seq.chars().all(|c| c.is_ascii_digit())
            }
            None => false,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Sort {
    /// Best match first; with no search text the library falls back to date.
    #[default]
    Relevance,
    /// Newest publication first.
    Date,
}

impl Sort {
    pub fn param(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Date => "date",
        }
    }
}

/// Which part of the library a query looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Section {
    /// The whole library.
    #[default]
    All,
    /// 废止失效的规范性文件: abolished and expired documents only.
    Void,
}

/// A parsed library request: search text, one value per facet, order and page.
///
/// Built only by [`LibraryQuery::parse`], so every value in it is already valid.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LibraryQuery {
    pub q: Option<String>,
    pub filters: BTreeMap<Facet, String>,
    pub sort: Sort,
    pub page: u32,
    pub section: Section,
}

impl LibraryQuery {
    /// Parses URL query pairs. Unknown parameters are ignored (tracking tags, old links);
    /// a known parameter with a bad value is an error naming that parameter.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DomainError> {
        let mut query = LibraryQuery {
            page: 1,
            ..Default::default()
        };
        let mut sort = None;
        for (key, raw) in pairs {
            let value = raw.trim();
            match key {
                "q" => query.q = parse_search_text(value)?,
                "sort" => {
                    sort = match value {
                        "" => None,
                        "relevance" => Some(Sort::Relevance),
                        "date" => Some(Sort::Date),
                        _ => {
                            return Err(DomainError::new(
                                "sort",
                                "参数 sort 只能是 relevance（按相关度）或 date（按发布日期）",
                            ));
                        }
                    }
                }
                "page" if !value.is_empty() => query.page = parse_page(value)?,
                other => {
                    let Some(facet) = Facet::from_param(other) else {
                        continue;
                    };
                    if value.is_empty() {
                        continue;
                    }
                    let value = Self::parse_facet_value(facet, value)?;
                    query.filters.insert(facet, value);
                }
            }
        }
        query.sort = sort.unwrap_or(if query.q.is_some() {
            Sort::Relevance
        } else {
            Sort::Date
        });
        Ok(query)
    }

    fn parse_facet_value(facet: Facet, value: &str) -> Result<String, DomainError> {
        let field = facet.param();
        match facet {
            Facet::Year => value
                .parse::<u16>()
                .ok()
                .filter(|y| (1949..=2100).contains(y))
                .map(|y| y.to_string())
                .ok_or_else(|| DomainError::new(field, "参数 year 应为四位年份，例如 2022")),
            Facet::Validity => Validity::parse(field, value).map(|v| v.as_str().to_owned()),
            Facet::Type => DocType::parse(field, value).map(|t| t.as_str().to_owned()),
            _ if value.chars().count() > 60 || value.chars().any(char::is_control) => Err(
                DomainError::new(field, format!("参数 {field} 的取值无效，请从列表中选择")),
            ),
            _ => Ok(value.to_owned()),
        }
    }

    pub fn filter(&self, facet: Facet) -> Option<&str> {
        self.filters.get(&facet).map(String::as_str)
    }

    /// The same query with one facet set (or cleared with `None`), back on page 1.
    pub fn with_filter(&self, facet: Facet, value: Option<&str>) -> LibraryQuery {
        let mut next = self.clone();
        match value {
            Some(v) => next.filters.insert(facet, v.to_owned()),
            None => next.filters.remove(&facet),
        };
        next.page = 1;
        next
    }

    pub fn with_page(&self, page: u32) -> LibraryQuery {
        LibraryQuery {
            page,
            ..self.clone()
        }
    }

    pub fn with_sort(&self, sort: Sort) -> LibraryQuery {
        LibraryQuery {
            sort,
            page: 1,
            ..self.clone()
        }
    }

    /// The URL query string (without `?`) that parses back to this query; defaults are left out.
    pub fn to_query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = &self.q {
            s.append_pair("q", q);
        }
        for (facet, value) in &self.filters {
            s.append_pair(facet.param(), value);
        }
        let default_sort = if self.q.is_some() {
            Sort::Relevance
        } else {
            Sort::Date
        };
        if self.sort != default_sort {
            s.append_pair("sort", self.sort.param());
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
        }
        s.finish()
    }

    /// Page path plus query string, for links.
    pub fn href(&self) -> String {
        let path = match self.section {
            Section::All => "/library",
            Section::Void => "/library/abolished",
        };
        let qs = self.to_query_string();
        if qs.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{qs}")
        }
    }

    /// Parses a raw query string such as `q=就业&type=政府规章`.
    pub fn parse_query_string(qs: &str) -> Result<Self, DomainError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(qs.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// One value of a facet with how many documents carry it under the current query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    /// `YYYY-MM-DD`.
    pub published_date: Option<String>,
    pub validity: String,
    pub doc_type: String,
    /// Escaped HTML: a passage of the body with the matched words in `<mark>`.
    pub snippet: String,
}

/// A page of results with facet counts for the whole result set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub total: u64,
    /// Keyed by facet parameter (`type`, `issuer`, …), values by count, largest first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    pub hits: Vec<Hit>,
    pub page: u32,
    pub per_page: u32,
    /// Set when the search text was a document number that names exactly this document.
    pub exact: Option<Hit>,
    /// A hint for the visitor, e.g. when the search text held nothing searchable.
    pub notice: Option<String>,
}

impl SearchPage {
    pub fn pages(&self) -> u32 {
        page_count(self.total, self.per_page)
    }
}

/// The `q` parameter: trimmed search text, `None` when empty, refused when too long.
pub fn parse_search_text(value: &str) -> Result<Option<String>, DomainError> {
    let value = value.trim();
    if value.chars().count() > MAX_QUERY_CHARS {
        return Err(DomainError::new(
            "q",
            format!("搜索词过长，请控制在{MAX_QUERY_CHARS}个字以内"),
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// The `page` parameter: 1 to [`MAX_PAGE`].
pub fn parse_page(value: &str) -> Result<u32, DomainError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|p| (1..=MAX_PAGE).contains(p))
        .ok_or_else(|| {
            DomainError::new("page", format!("参数 page 应为 1 到 {MAX_PAGE} 之间的页码"))
        })
}

/// How many pages of `per_page` hold `total` results (at most [`MAX_PAGE`]).
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let pages = total.div_ceil(u64::from(per_page.max(1)));
    u32::try_from(pages).unwrap_or(MAX_PAGE).min(MAX_PAGE)
}

/// A link to another document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLink {
    pub id: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub published_date: Option<String>,
}

/// A published version of a document (the first is the original publication).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub version: u32,
    pub published_at: Option<String>,
    pub note: Option<String>,
}

/// A change of a document's validity: to what, when, why, and the document replacing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidityChange {
    pub validity: String,
    pub date: Option<String>,
    pub reason: Option<String>,
    /// The replacing document's id.
    pub replaced_by: Option<String>,
}

/// A document's attachment: an uploaded file (with its type and size) or an imported link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub href: String,
    pub media_type: Option<String>,
    pub size: Option<u64>,
    /// The official text (正式文本): the document's download version.
    pub official: bool,
}

/// Everything a document page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetail {
    pub id: String,
    pub index_no: Option<String>,
    pub title: String,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    pub written_date: Option<String>,
    pub published_date: Option<String>,
    pub effective_date: Option<String>,
    pub doc_type: String,
    pub level: Option<String>,
    pub topics: Vec<String>,
    pub audiences: Vec<String>,
    pub categories: Vec<String>,
    pub validity: String,
    pub validity_changed_date: Option<String>,
    pub replaced_by: Option<DocumentLink>,
    /// Paragraphs of the body, in order (plain text).
    pub body: Vec<String>,
    /// A drafted document's structured body (headings, lists, tables) as sanitized HTML;
    /// pages show it instead of the paragraphs.
    pub body_html: Option<String>,
    pub attachments: Vec<Attachment>,
    /// Its published versions, oldest first.
    pub versions: Vec<VersionView>,
    /// Its validity changes, oldest first (none while it has always been in force).
    pub validity_history: Vec<ValidityChange>,
    pub interpretations: Vec<InterpretationView>,
    pub qa: Vec<QaView>,
    pub related: Vec<DocumentLink>,
    pub source_url: Option<String>,
}

impl DocumentDetail {
    pub fn is_void(&self) -> bool {
        Validity::parse("validity", &self.validity).is_ok_and(Validity::is_void)
    }
}

/// A headline number on the home page with the link it leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryPoint {
    pub label: String,
    pub count: u64,
    pub href: String,
}

/// What the home page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeOverview {
    pub documents: u64,
    pub in_force: u64,
    pub interpretations: u64,
    pub qa_entries: u64,
    pub topics: Vec<EntryPoint>,
    pub audiences: Vec<EntryPoint>,
    pub latest: Vec<Hit>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(qs: &str) -> Result<LibraryQuery, DomainError> {
        LibraryQuery::parse_query_string(qs)
    }

    #[test]
    fn bracket_and_width_variants_are_the_same_document_number() {
        let canonical = DocNumber::parse("芜政〔2022〕12号");
        assert!(canonical.is_some());
        for variant in [
            "芜政[2022]12号",
            "芜政(2022)12号",
            "芜政（2022）12号",
            "芜政［２０２２］１２号",
            "芜政【2022】12",
            " 芜政 〔2022〕 12 号",
        ] {
            assert_eq!(DocNumber::parse(variant), canonical, "{variant}");
        }
    }

    #[test]
    fn decree_numbers_are_document_numbers_and_words_are_not() {
        assert_eq!(
            DocNumber::parse("国务院令第706号").map(|d| d.to_string()),
            Some("国务院令第706号".to_owned())
        );
        assert_eq!(
            DocNumber::parse("中华人民共和国国务院令第706号"),
            DocNumber::parse("国务院令第７０６号")
        );
        assert!(DocNumber::parse("就业创业补贴").is_none());
        assert!(DocNumber::parse("2022").is_none());
        assert!(DocNumber::parse("〔2022〕12号").is_none());
    }

    #[test]
    fn query_string_round_trips_through_parse() {
        let q =
            parse("q=就业&type=行政规范性文件&year=2022&page=3&utm_source=x").unwrap_or_default();
        assert_eq!(q.q.as_deref(), Some("就业"));
        assert_eq!(q.filter(Facet::Type), Some("行政规范性文件"));
        assert_eq!(q.page, 3);
        assert_eq!(q.sort, Sort::Relevance);
        assert_eq!(parse(&q.to_query_string()), Ok(q));
    }

    #[test]
    fn sort_defaults_to_date_without_search_text() {
        let q = parse("topic=科技、教育").unwrap_or_default();
        assert_eq!(q.sort, Sort::Date);
        assert_eq!(
            q.to_query_string(),
            "topic=%E7%A7%91%E6%8A%80%E3%80%81%E6%95%99%E8%82%B2"
        );
    }

    #[test]
    fn bad_parameters_are_named_in_the_error() {
        for (qs, field) in [
            ("year=abc", "year"),
            ("year=1800", "year"),
            ("page=0", "page"),
            ("page=x", "page"),
            ("sort=best", "sort"),
            ("validity=永久", "validity"),
            ("type=小说", "type"),
        ] {
            let err = parse(qs).err();
            assert_eq!(err.map(|e| e.field), Some(field.to_owned()), "{qs}");
        }
        let long = format!("q={}", "字".repeat(MAX_QUERY_CHARS + 1));
        assert!(parse(&long).is_err());
    }

    #[test]
    fn short_type_names_parse_to_the_full_label() {
        assert_eq!(DocType::parse("type", "规范性文件"), Ok(DocType::Normative));
        assert_eq!(Validity::parse("validity", "有效"), Ok(Validity::InForce));
        assert!(Validity::Abolished.is_void() && !Validity::Amended.is_void());
    }

    #[test]
    fn changing_a_filter_returns_to_the_first_page() {
        let q = parse("q=补贴&page=4").unwrap_or_default();
        let next = q.with_filter(Facet::Audience, Some("高校毕业生"));
        assert_eq!(next.page, 1);
        assert!(next.href().starts_with("/library?q="));
        assert_eq!(
            next.with_filter(Facet::Audience, None)
                .filter(Facet::Audience),
            None
        );
    }
}
