//! Policy interpretations (政策解读) and their forms.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The forms a city publishes interpretations in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InterpretationForm {
    Text,
    Graphic,
    Video,
    BriefQa,
}

impl InterpretationForm {
    pub const ALL: &'static [InterpretationForm] =
        &[Self::Text, Self::Graphic, Self::Video, Self::BriefQa];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "文字解读",
            Self::Graphic => "图解",
            Self::Video => "视频解读",
            Self::BriefQa => "简明问答",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        match s.trim() {
            "文字" | "文字解读" => Ok(Self::Text),
            "图解" | "图片解读" => Ok(Self::Graphic),
            "视频" | "视频解读" | "动漫视频解读" | "动漫" => Ok(Self::Video),
            "简明问答" | "简明问答解读" => Ok(Self::BriefQa),
            other => Err(DomainError::new(
                field,
                format!("解读形式“{other}”不存在，可选：文字解读、图解、视频解读、简明问答"),
            )),
        }
    }
}

/// An interpretation as a document page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterpretationView {
    pub id: String,
    pub title: String,
    pub form: String,
    pub org: Option<String>,
    pub published_date: Option<String>,
    /// Paragraphs (plain text).
    pub body: Vec<String>,
    pub media_url: Option<String>,
    /// The image's text alternative.
    pub alt: Option<String>,
    /// The video's caption track.
    pub caption_url: Option<String>,
    /// Its own page: `/interpretations/{id}`.
    pub href: String,
}

/// `/interpretations/{id}`: an interpretation with the document it explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterpretationPage {
    pub interpretation: InterpretationView,
    pub document_id: String,
    pub document_title: String,
}

/// Longest interpretation title, body and alt text, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 50_000;
pub const MAX_ALT_CHARS: usize = 500;
/// Most question–answer pairs of one 简明问答.
pub const MAX_PAIRS: usize = 30;
/// Most interpretations one draft carries.
pub const MAX_PER_DRAFT: usize = 8;

/// An interpretation as the drafter types it on the draft page. `file` names one of the
/// draft's files (the image of a 图解, the video of a 视频解读); `caption` a WEBVTT file;
/// `link` a video elsewhere; `pairs` the 简明问答 as "问：…" / "答：…" lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterpretationInput {
    pub form: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub alt: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub pairs: String,
}

/// A checked interpretation of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterpretationDraft {
    pub form: InterpretationForm,
    pub title: String,
    pub body: String,
    /// The image's text alternative (图解).
    pub alt: Option<String>,
    /// The draft file shown (图解's image, 视频解读's video).
    pub file: Option<i64>,
    /// The video's caption track (a draft file).
    pub caption: Option<i64>,
    /// A video elsewhere (https).
    pub link: Option<String>,
    /// 简明问答's questions and answers; each also becomes a Q&A entry.
    pub pairs: Vec<(String, String)>,
}

/// A text field of `min` to `max` characters; with `min` 0 it may be left empty.
fn text(
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, DomainError> {
    if min == 0 && raw.trim().is_empty() {
        return Ok(String::new());
    }
    crate::consult::text_field(field, label, raw, min.max(1), max)
}

fn file_id(field: &str, raw: &str) -> Result<Option<i64>, DomainError> {
    match raw.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| DomainError::new(field, "请从本草稿的附件中选择文件")),
    }
}

/// "问：…" / "答：…" lines (or Q:/A:) into pairs; an answer may run over several lines.
pub fn parse_pairs(raw: &str) -> Result<Vec<(String, String)>, DomainError> {
    let bad = |m: String| DomainError::new("pairs", m);
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut question: Option<String> = None;
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let strip = |prefixes: &[&str]| {
            prefixes
                .iter()
                .find_map(|p| line.strip_prefix(p))
                .map(|rest| rest.trim().to_owned())
        };
        if let Some(q) = strip(&["问：", "问:", "Q：", "Q:"]) {
            if question.is_some() {
                return Err(bad(format!("问题“{q}”之前的问题还没有答案")));
            }
            question = Some(q);
        } else if let Some(a) = strip(&["答：", "答:", "A：", "A:"]) {
            let Some(q) = question.take() else {
                return Err(bad("每个“答：”之前要有一个“问：”".to_owned()));
            };
            pairs.push((q, a));
        } else if let (None, Some(last)) = (&question, pairs.last_mut()) {
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            return Err(bad(format!("“{line}”：每行以“问：”或“答：”开头")));
        }
    }
    if question.is_some() {
        return Err(bad("最后一个问题还没有答案".to_owned()));
    }
    if pairs.is_empty() {
        return Err(bad("请至少写一组“问：…”“答：…”".to_owned()));
    }
    if pairs.len() > MAX_PAIRS {
        return Err(bad(format!("简明问答最多 {MAX_PAIRS} 组")));
    }
    for (q, a) in &pairs {
        if q.chars().count() < 5 || q.chars().count() > 200 {
            return Err(bad(format!("问题“{q}”应为 5 至 200 个字")));
        }
        if a.chars().count() < 5 || a.chars().count() > 2000 {
            return Err(bad(format!("问题“{q}”的答案应为 5 至 2000 个字")));
        }
    }
    Ok(pairs)
}

impl InterpretationDraft {
    pub fn parse(input: &InterpretationInput) -> Result<InterpretationDraft, DomainError> {
        let form = InterpretationForm::parse("form", &input.form)?;
        let title = text("title", "解读标题", &input.title, 1, MAX_TITLE_CHARS)?;
        let mut out = InterpretationDraft {
            form,
            title,
            body: String::new(),
            alt: None,
            file: None,
            caption: None,
            link: None,
            pairs: Vec::new(),
        };
        match form {
            InterpretationForm::Text => {
                out.body = text("body", "解读正文", &input.body, 20, MAX_BODY_CHARS)?;
            }
            InterpretationForm::Graphic => {
                out.file = file_id("file", &input.file)?;
                if out.file.is_none() {
                    return Err(DomainError::new("file", "图解请先上传图片，再从附件中选择"));
                }
                out.alt = Some(text("alt", "图片的文字说明", &input.alt, 5, MAX_ALT_CHARS)?);
                out.body = text("body", "解读正文", &input.body, 0, MAX_BODY_CHARS)?;
            }
            InterpretationForm::Video => {
                out.file = file_id("file", &input.file)?;
                out.caption = file_id("caption", &input.caption)?;
                let link = input.link.trim();
                if !link.is_empty() {
                    if !link.starts_with("https://")
                        || link.chars().count() > 500
                        || link.contains(char::is_whitespace)
                    {
                        return Err(DomainError::new("link", "视频链接应为 https:// 开头的网址"));
                    }
                    out.link = Some(link.to_owned());
                }
                if out.file.is_none() && out.link.is_none() {
                    return Err(DomainError::new(
                        "file",
                        "视频解读请上传 MP4 视频并从附件中选择，或填写视频链接",
                    ));
                }
                out.body = text("body", "视频简介", &input.body, 0, MAX_BODY_CHARS)?;
            }
            InterpretationForm::BriefQa => {
                out.pairs = parse_pairs(&input.pairs)?;
                out.body = out
                    .pairs
                    .iter()
                    .map(|(q, a)| format!("问：{q}\n答：{a}"))
                    .collect::<Vec<_>>()
                    .join("\n");
            }
        }
        Ok(out)
    }

    /// Every text a reader will see, with the label the checks name it by.
    pub fn texts(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![
            ("解读标题", self.title.as_str()),
            ("解读正文", self.body.as_str()),
        ];
        if let Some(alt) = &self.alt {
            out.push(("图片的文字说明", alt.as_str()));
        }
        out
    }
}

/// An interpretation on its draft's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftInterpretation {
    pub id: i64,
    pub form: InterpretationForm,
    pub title: String,
    pub body: String,
    pub alt: Option<String>,
    /// The image or video, as the draft's file link.
    pub media: Option<String>,
    pub link: Option<String>,
}

/// Whether a document of this type and level needs two forms of interpretation before it
/// may be submitted (市本级规范性文件确保做到至少两种以上形式的解读).
pub fn needs_two_forms(level: Option<&str>, doc_type: &str) -> bool {
    level == Some("市本级") && doc_type == "行政规范性文件"
}

#[cfg(test)]
mod tests {
    #[test]
    fn brief_qa_reads_question_and_answer_lines() {
        let pairs = parse_pairs("问：见习补贴发给谁？\n答：发给见习单位。\n按月发放。\nQ: 见习期限多长？\nA：最长十二个月。")
            .expect("pairs");
        assert_eq!(
            pairs,
            [
                (
                    "见习补贴发给谁？".to_owned(),
                    "发给见习单位。\n按月发放。".to_owned()
                ),
                ("见习期限多长？".to_owned(), "最长十二个月。".to_owned()),
            ]
        );
        assert!(parse_pairs("答：没有问题的答案").is_err());
        assert!(parse_pairs("问：只有问题没有答案吗").is_err());
        assert!(parse_pairs("").is_err());
    }

    #[test]
    fn each_form_asks_for_what_it_shows() {
        let base = InterpretationInput {
            title: "一图读懂".into(),
            ..Default::default()
        };
        let graphic = InterpretationInput {
            form: "图片解读".into(),
            file: "7".into(),
            alt: "见习补贴申领流程图".into(),
            ..base.clone()
        };
        let g = InterpretationDraft::parse(&graphic).expect("graphic");
        assert_eq!((g.form, g.file), (InterpretationForm::Graphic, Some(7)));
        let no_alt = InterpretationInput {
            alt: String::new(),
            ..graphic
        };
        assert_eq!(
            InterpretationDraft::parse(&no_alt).expect_err("alt").field,
            "alt"
        );
        let video = InterpretationInput {
            form: "动漫视频解读".into(),
            link: "http://example.com/v.mp4".into(),
            ..base.clone()
        };
        assert_eq!(
            InterpretationDraft::parse(&video).expect_err("https").field,
            "link"
        );
        let text = InterpretationInput {
            form: "文字解读".into(),
            body: "太短".into(),
            ..base
        };
        assert_eq!(
            InterpretationDraft::parse(&text).expect_err("short").field,
            "body"
        );
        assert!(needs_two_forms(Some("市本级"), "行政规范性文件"));
        assert!(!needs_two_forms(Some("市直部门"), "行政规范性文件"));
    }

    use super::*;

    #[test]
    fn every_form_parses_from_its_own_label() {
        for form in InterpretationForm::ALL {
            assert_eq!(InterpretationForm::parse("form", form.as_str()), Ok(*form));
        }
        assert!(InterpretationForm::parse("form", "小品").is_err());
    }
}
