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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_from_its_own_label() {
        for form in InterpretationForm::ALL {
            assert_eq!(InterpretationForm::parse("form", form.as_str()), Ok(*form));
        }
        assert!(InterpretationForm::parse("form", "小品").is_err());
    }
}
