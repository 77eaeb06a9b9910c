//! Chinese tokenisation for the search index: jieba in search mode (whole words plus the
//! shorter words inside them), width-folded and lower-cased, punctuation dropped.

use std::sync::{Arc, LazyLock};

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name the tokenizer is registered under in the index.
pub const ZH: &str = "zh";

/// Loading the dictionary takes ~100 ms; one copy serves the whole process.
static JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| Arc::new(Jieba::new()));

/// Function words and question phrasing that carry no meaning for retrieval.
const STOP_WORDS: &[&str] = &[
    "的",
    "了",
    "和",
    "与",
    "及",
    "或",
    "是",
    "在",
    "对",
    "为",
    "把",
    "被",
    "有",
    "就",
    "都",
    "也",
    "我",
    "我们",
    "你",
    "您",
    "他",
    "她",
    "它",
    "自己",
    "这",
    "那",
    "这个",
    "那个",
    "哪",
    "哪里",
    "哪些",
    "什么",
    "怎么",
    "怎么办",
    "怎样",
    "如何",
    "为什么",
    "吗",
    "呢",
    "吧",
    "啊",
    "么",
    "该",
    "应该",
    "可以",
    "能",
    "能否",
    "能不能",
    "是否",
    "要",
    "需要",
    "想",
    "请问",
    "请",
    "谁",
    "找",
    "一下",
    "一个",
    "时候",
    "多少",
    "多久",
    "办",
    "去",
    "到",
    "从",
    "给",
    "让",
    "跟",
    "向",
    "家里",
    "这里",
    "那里",
    "有没有",
    "可不可以",
    "算不算",
    "算",
    "属于",
    "违法",
    "现在",
    "已经",
    "还",
    "又",
    "会",
    "得",
    "着",
    "过",
    "呀",
    "哪个",
    "咋",
    "咋办",
    "怎么样",
];

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Byte ranges of the words of `text` in search mode: jieba's words and the 2- and
/// 3-character dictionary words inside them, plus every 4-character dictionary word,
/// which jieba leaves out when it splits differently: 劳动合同法 is cut 劳动/合同法, yet
/// must hold 劳动合同 as 山东省劳动合同条例 does.
fn search_words(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = JIEBA
        .cut_for_search(text, false)
        .into_iter()
        .map(|t| (t.byte_start, t.byte_end))
        .collect();
    let known: std::collections::HashSet<(usize, usize)> = out.iter().copied().collect();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, w) in chars.windows(4).enumerate() {
        if w.iter().all(|(_, c)| !c.is_ascii() && c.is_alphanumeric()) {
            let end = chars.get(i + 4).map_or(text.len(), |(b, _)| *b);
            let range = (w[0].0, end);
            if !known.contains(&range) && JIEBA.has_word(&text[range.0..range.1]) {
                out.push(range);
            }
        }
    }
    out
}

/// Splits text into normalised search terms with byte offsets into the original text.
pub fn terms(text: &str) -> Vec<Token> {
    let folded = fold_for_index(text);
    let mut out: Vec<Token> = search_words(&folded.text)
        .into_iter()
        .map(|(start, end)| (start, end, &folded.text[start..end]))
        .filter(|(_, _, word)| word.chars().any(char::is_alphanumeric))
        .map(|(start, end, word)| Token {
            offset_from: folded.original_offset(start),
            offset_to: folded.original_offset(end),
            position: 0,
            text: word.to_owned(),
            position_length: 1,
        })
        .collect();
    // Search mode emits a compound after its parts; snippet generation needs tokens in
    // text order, so sort by offset (positions are not used for phrase queries here).
    out.sort_by_key(|t| (t.offset_from, t.offset_to));
    for (position, t) in out.iter_mut().enumerate() {
        t.position = position;
    }
    out
}

/// Terms of a visitor's query: as [`terms`], without stop words, deduplicated.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for t in terms(text) {
        if !is_stop_word(&t.text) && !seen.contains(&t.text) {
            seen.push(t.text);
        }
    }
    seen
}

/// The text without the country's full name. It opens the title of every national law, so
/// it tells nothing about relevance, and indexed it makes those titles longer than local
/// rules on the same subject, which ranks the national law below them.
pub fn without_state_name(text: &str) -> std::borrow::Cow<'_, str> {
    const STATE: &str = "中华人民共和国";
    if text.contains(STATE) && text.trim() != STATE {
        std::borrow::Cow::Owned(text.replace(STATE, ""))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A visitor's query as groups of alternatives: one group per word (the word and the
/// shorter words inside it, as the index holds them), stop words dropped. A document
/// matches a group when it has any of its terms.
pub fn query_groups(text: &str) -> Vec<Vec<String>> {
    let folded = fold_for_index(text);
    let mut groups: Vec<Vec<String>> = Vec::new();
    for word in JIEBA.cut(&folded.text, false) {
        let word = word.word;
        if is_stop_word(word) || !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        let mut group: Vec<String> = search_words(word)
            .into_iter()
            .map(|(start, end)| word[start..end].to_owned())
            .filter(|t| t.chars().any(char::is_alphanumeric))
            .collect();
        group.sort();
        group.dedup();
        if !group.is_empty() && !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

/// Text folded to half-width lower case, with a map back to byte offsets of the original
/// (folding changes byte lengths, and snippets must cut the original text).
pub(crate) struct Folded {
    pub(crate) text: String,
    /// For each byte offset of a char start in `text`, the byte offset in the original.
    starts: Vec<(usize, usize)>,
    original_len: usize,
}

impl Folded {
    pub(crate) fn original_offset(&self, folded: usize) -> usize {
        match self.starts.binary_search_by_key(&folded, |(f, _)| *f) {
            Ok(i) => self.starts[i].1,
            Err(i) => self.starts.get(i).map_or(self.original_len, |(_, o)| *o),
        }
    }
}

pub(crate) fn fold_for_index(text: &str) -> Folded {
    let mut out = String::with_capacity(text.len());
    let mut starts = Vec::with_capacity(text.len() / 2);
    for (offset, c) in text.char_indices() {
        starts.push((out.len(), offset));
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        };
        for lower in c.to_lowercase() {
            out.push(lower);
        }
    }
    Folded {
        text: out,
        starts,
        original_len: text.len(),
    }
}

/// The tantivy side of [`terms`].
#[derive(Clone, Default)]
pub struct ZhTokenizer;

pub struct ZhTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        ZhTokenStream {
            tokens: terms(text),
            index: 0,
        }
    }
}

impl TokenStream for ZhTokenStream {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_mode_keeps_compounds_and_their_parts() {
        let words: Vec<String> = terms("高校毕业生就业创业补贴")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(words.contains(&"毕业生".to_owned()), "{words:?}");
        assert!(words.contains(&"就业".to_owned()), "{words:?}");
        assert!(words.contains(&"补贴".to_owned()), "{words:?}");
    }

    #[test]
    fn offsets_point_into_the_original_text_after_width_folding() {
        let text = "ＡＢＣ租房押金";
        for t in terms(text) {
            assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
        }
        let deposit = terms(text).into_iter().find(|t| t.text == "押金");
        assert_eq!(
            deposit.map(|t| &text[t.offset_from..t.offset_to]),
            Some("押金")
        );
    }

    #[test]
    fn tokens_come_in_text_order() {
        let tokens = terms("中华人民共和国专利代理条例");
        assert!(
            tokens
                .windows(2)
                .all(|w| w[0].offset_from <= w[1].offset_from)
        );
    }

    #[test]
    fn a_compound_and_its_parts_form_one_group() {
        let groups = query_groups("高校毕业生 创业补贴");
        assert!(
            groups
                .iter()
                .any(|g| g.contains(&"毕业生".to_owned()) && g.contains(&"毕业".to_owned())),
            "{groups:?}"
        );
        assert!(groups.len() >= 2, "{groups:?}");
    }

    #[test]
    fn four_character_words_inside_longer_ones_are_terms_too() {
        let words: Vec<String> = terms("劳动合同法").into_iter().map(|t| t.text).collect();
        assert!(words.contains(&"劳动合同".to_owned()), "{words:?}");
    }

    #[test]
    fn the_state_name_is_dropped_unless_it_is_all_there_is() {
        assert_eq!(without_state_name("中华人民共和国劳动合同法"), "劳动合同法");
        assert_eq!(without_state_name("中华人民共和国"), "中华人民共和国");
        assert_eq!(without_state_name("物业管理条例"), "物业管理条例");
    }

    #[test]
    fn question_words_are_dropped_from_queries() {
        let q = query_terms("租房押金不退该找谁？");
        assert!(q.contains(&"押金".to_owned()), "{q:?}");
        assert!(
            !q.iter().any(|w| w == "谁" || w == "该" || w == "找"),
            "{q:?}"
        );
    }
}
