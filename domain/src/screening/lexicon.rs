//! The error-prone terms lexicon (错敏词): lines of `错误写法=建议写法`, found in a text in
//! one pass of an Aho–Corasick automaton (leftmost-longest, so "卫生计生委" is one finding,
//! not two), whatever the lexicon's size.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::text::fold_width;

/// The lexicon the portal starts with; admins edit their own copy.
const STARTER: &str = include_str!("lexicon.txt");
/// Longest term, in characters.
const MAX_TERM_CHARS: usize = 40;
/// Most entries a lexicon holds.
pub const MAX_ENTRIES: usize = 20_000;

/// An error-prone term found, with the suggested replacement: a warning the writer and the
/// reviewer acknowledge, not a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Character offset of the first character (0-based).
    pub start: usize,
    /// Character offset just past the last character.
    pub end: usize,
    pub found: String,
    pub suggestion: String,
}

impl Warning {
    /// "第 12 个字起“国土资源局”疑为错敏词，建议改为“自然资源和规划局”"
    pub fn message(&self) -> String {
        format!(
            "第 {} 个字起“{}”疑为错敏词，建议改为“{}”",
            self.start + 1,
            self.found,
            self.suggestion
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// (term, suggestion), in the order of the lines.
    entries: Vec<(String, String)>,
    automaton: Option<AhoCorasick>,
}

impl Lexicon {
    /// Reads `错误写法=建议写法` lines; blank lines and lines starting with `#` are skipped.
    /// A bad line is refused by its number, with what to fix.
    pub fn parse(text: &str) -> Result<Lexicon, DomainError> {
        let bad =
            |n: usize, what: &str| DomainError::new("lexicon", format!("错敏词第 {n} 行：{what}"));
        let mut entries: Vec<(String, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let n = i + 1;
            let Some((term, suggestion)) = line.split_once('=') else {
                return Err(bad(n, "缺少“=”，格式为“错误写法=建议写法”"));
            };
            let term = fold_width(term.trim());
            let suggestion = suggestion.trim().to_owned();
            if term.is_empty() || suggestion.is_empty() {
                return Err(bad(n, "“=”两边都要填写，格式为“错误写法=建议写法”"));
            }
            if term.chars().count() > MAX_TERM_CHARS {
                return Err(bad(n, &format!("错误写法最长 {MAX_TERM_CHARS} 个字")));
            }
            if term == fold_width(&suggestion) {
                return Err(bad(n, "建议写法与错误写法相同"));
            }
            if suggestion.contains(&term) {
                return Err(bad(
                    n,
                    &format!("建议写法“{suggestion}”里含有“{term}”，正确的写法也会被提示"),
                ));
            }
            if !seen.insert(term.clone()) {
                return Err(bad(n, &format!("“{term}”重复")));
            }
            if entries.len() == MAX_ENTRIES {
                return Err(bad(n, &format!("错敏词最多 {MAX_ENTRIES} 条")));
            }
            entries.push((term, suggestion));
        }
        Self::from_entries(entries)
    }

    /// A lexicon of entries checked when they were stored.
    pub fn from_entries(entries: Vec<(String, String)>) -> Result<Lexicon, DomainError> {
        let automaton = if entries.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(entries.iter().map(|(t, _)| t))
                    .map_err(|e| DomainError::new("lexicon", format!("错敏词表过大：{e}")))?,
            )
        };
        Ok(Lexicon { entries, automaton })
    }

    /// The lexicon shipped with the portal (more than 700 entries).
    pub fn starter() -> Lexicon {
        Self::parse(STARTER).unwrap_or_default()
    }

    /// The starter lexicon's text, to seed the admin's editable copy.
    pub fn starter_text() -> &'static str {
        STARTER
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// The lexicon as the admin edits it: one `错误写法=建议写法` line per entry.
    pub fn to_text(&self) -> String {
        self.entries
            .iter()
            .map(|(t, s)| format!("{t}={s}\n"))
            .collect()
    }

    /// Every error-prone term in `text` (compared in half-width), in order.
    pub fn warnings(&self, text: &str) -> Vec<Warning> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let folded = fold_width(text);
        let mut out = Vec::new();
        // Byte offsets to character offsets, walking forward once.
        let (mut byte, mut chars) = (0usize, 0usize);
        let mut char_at = |target: usize| {
            chars += folded[byte..target].chars().count();
            byte = target;
            chars
        };
        for m in automaton.find_iter(&folded) {
            let start = char_at(m.start());
            let end = char_at(m.end());
            let (term, suggestion) = &self.entries[m.pattern().as_usize()];
            out.push(Warning {
                start,
                end,
                found: term.clone(),
                suggestion: suggestion.clone(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_lexicon_parses_and_holds_more_than_500_entries() {
        let lexicon = Lexicon::parse(STARTER).expect("the starter lexicon parses");
        assert!(lexicon.len() > 500, "{}", lexicon.len());
    }

    #[test]
    fn a_warning_names_the_term_its_position_and_the_suggestion() {
        let lexicon = Lexicon::starter();
        let found = lexicon.warnings("请向市国土资源局和卫生计生委申请。");
        let terms: Vec<(&str, usize)> = found.iter().map(|w| (w.found.as_str(), w.start)).collect();
        assert_eq!(terms, vec![("国土资源局", 3), ("卫生计生委", 9)]);
        assert_eq!(
            found[0].message(),
            "第 4 个字起“国土资源局”疑为错敏词，建议改为“自然资源和规划局”"
        );
    }

    #[test]
    fn bad_lexicon_lines_are_refused_by_line_number() {
        for (text, says) in [
            ("# 注释\n帐户=账户\n没有等号", "第 3 行：缺少“=”"),
            ("帐户=", "第 1 行：“=”两边都要填写"),
            ("帐户=账户\n帐户=账户", "第 2 行：“帐户”重复"),
            (
                "规划局=自然资源和规划局",
                "第 1 行：建议写法“自然资源和规划局”里含有“规划局”",
            ),
            ("账户=账户", "第 1 行：建议写法与错误写法相同"),
        ] {
            let e = Lexicon::parse(text).expect_err(text);
            assert!(e.message.contains(says), "{text}: {}", e.message);
        }
    }
}
