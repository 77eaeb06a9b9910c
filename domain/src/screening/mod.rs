//! Automatic checks on text people submit (consultations, Q&A entries, drafts): personal
//! data that must not be published — ID-card numbers (with their check character), mobile
//! numbers, bank-card numbers (Luhn), e-mail addresses, street addresses with house numbers
//! — and the sensitive words an admin lists, which block; and error-prone terms (错敏词:
//! former names of organizations, outdated policy terms, common miswritings) from a
//! lexicon, which are warnings with a suggested replacement. Each finding says where it
//! is, so the writer can fix it before submitting.

mod lexicon;

pub use lexicon::{Lexicon, Warning};

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::text::fold_width;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FindingKind {
    IdCard,
    Mobile,
    BankCard,
    Email,
    Address,
    SensitiveWord,
}

impl FindingKind {
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::IdCard => "身份证号",
            FindingKind::Mobile => "手机号",
            FindingKind::BankCard => "银行卡号",
            FindingKind::Email => "电子邮箱",
            FindingKind::Address => "详细住址",
            FindingKind::SensitiveWord => "敏感词",
        }
    }
}

/// One thing to remove: its kind and where it is, in characters from the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// Character offset of the first character (0-based).
    pub start: usize,
    /// Character offset just past the last character.
    pub end: usize,
    /// The text found (masked for personal data).
    pub excerpt: String,
}

impl Finding {
    /// "第 12 个字起有疑似手机号（138****1234），请删除后再提交"
    pub fn message(&self) -> String {
        match self.kind {
            FindingKind::SensitiveWord => format!(
                "第 {} 个字起有不宜公开的用语“{}”，请修改后再提交",
                self.start + 1,
                self.excerpt
            ),
            kind => format!(
                "第 {} 个字起有疑似{}（{}），为保护个人信息，请删除后再提交",
                self.start + 1,
                kind.label(),
                self.excerpt
            ),
        }
    }
}

fn mask(digits: &str) -> String {
    let n = digits.chars().count();
    if n <= 7 {
        return "*".repeat(n);
    }
    let head: String = digits.chars().take(3).collect();
    let tail: String = digits.chars().skip(n - 4).collect();
    format!("{head}{}{tail}", "*".repeat(n - 7))
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// An 18-character resident ID number: plausible birth date and correct check character.
fn is_id_card(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    b[17].to_ascii_uppercase() == ID_CHECK[(sum % 11) as usize]
}

fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

fn luhn(s: &str) -> bool {
    let mut sum = 0;
    for (i, d) in s.bytes().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Issuer prefixes of the cards people in China carry (UnionPay 62/60, Visa 4,
/// Mastercard 5, JCB 35, American Express 37): without one, a long number that happens to
/// pass Luhn (one in ten do) is a contract or project number, not a card.
const CARD_PREFIXES: [&str; 6] = ["62", "60", "4", "5", "35", "37"];

fn is_bank_card(s: &str) -> bool {
    (16..=19).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_digit())
        && CARD_PREFIXES.iter().any(|p| s.starts_with(p))
        && luhn(s)
}

/// Personal data in `text`, in order.
pub fn personal_data(text: &str) -> Vec<Finding> {
    let chars: Vec<char> = fold_width(text).chars().collect();
    let mut out = numbers(&chars);
    out.extend(emails(&chars));
    out.extend(addresses(&chars));
    out.sort_by_key(|f| f.start);
    out
}

/// ID-card, mobile and bank-card numbers among the digit runs of `chars`.
fn numbers(chars: &[char]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A run of digits, allowing single spaces or hyphens between groups (card numbers
        // are often written 6222 0212 …) and a final X (ID cards).
        let start = i;
        let mut digits = String::new();
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j];
            if c.is_ascii_digit() {
                digits.push(c);
                j += 1;
                end = j;
            } else if (c == 'X' || c == 'x') && digits.len() == 17 {
                digits.push('X');
                j += 1;
                end = j;
                break;
            } else if (c == ' ' || c == '-') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        let kind = if is_id_card(&digits) {
            Some(FindingKind::IdCard)
        } else if is_mobile(&digits) {
            Some(FindingKind::Mobile)
        } else if is_bank_card(&digits) {
            Some(FindingKind::BankCard)
        } else {
            None
        };
        if let Some(kind) = kind {
            out.push(Finding {
                kind,
                start,
                end,
                excerpt: mask(&digits),
            });
        }
        i = end.max(start + 1);
    }
    out
}

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_email_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// E-mail addresses: `local@domain.tld`, the excerpt keeping two characters of the name.
fn emails(chars: &[char]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        let start = (0..at)
            .rev()
            .take_while(|i| is_email_local(chars[*i]))
            .last()
            .unwrap_or(at);
        let mut end = at + 1;
        while end < chars.len() && is_email_domain(chars[end]) {
            end += 1;
        }
        // The domain ends in a dot and at least two letters.
        while end > at + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        let domain: String = chars[at + 1..end].iter().collect();
        let tld_ok = domain.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        });
        if start < at && tld_ok {
            let local: String = chars[start..at].iter().collect();
            let shown: String = local.chars().take(2).collect();
            out.push(Finding {
                kind: FindingKind::Email,
                start,
                end,
                excerpt: format!("{shown}***@{domain}"),
            });
        }
    }
    out
}

/// The words a street or compound name ends in, before a house or building number.
const STREET_ENDS: [char; 5] = ['路', '街', '巷', '弄', '道'];
const COMPOUND_ENDS: [&[char]; 8] = [
    &['小', '区'],
    &['花', '园'],
    &['公', '寓'],
    &['家', '园'],
    &['新', '村'],
    &['苑'],
    &['园'],
    &['村'],
];
/// What may follow a house number: building, unit, floor, room.
const BUILDING_PARTS: [&[char]; 7] = [
    &['号', '楼'],
    &['栋'],
    &['幢'],
    &['单', '元'],
    &['层'],
    &['室'],
    &['号'],
];
const HOUSE_NUMBER: [&[char]; 1] = [&['号']];

fn digits_at(chars: &[char], i: usize) -> usize {
    chars[i..].iter().take_while(|c| c.is_ascii_digit()).count()
}

fn word_at(chars: &[char], i: usize, words: &[&[char]]) -> Option<usize> {
    words
        .iter()
        .find(|w| chars.get(i..i + w.len()) == Some(**w))
        .map(|w| w.len())
}

/// Street addresses with a house number ("北京中路12号", "镜湖路8号3栋2单元501室") and
/// homes in a compound ("阳光小区3栋502室"): the name before, the numbers after.
fn addresses(chars: &[char]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // Where a street or compound name ends and a number begins.
        let after_name = if STREET_ENDS.contains(&chars[i]) {
            Some((i + 1, true))
        } else {
            word_at(chars, i, &COMPOUND_ENDS).map(|n| (i + n, false))
        };
        let Some((number_at, street)) = after_name else {
            i += 1;
            continue;
        };
        let n = if number_at < chars.len() {
            digits_at(chars, number_at)
        } else {
            0
        };
        let name_len = (0..i)
            .rev()
            .take_while(|k| crate::text::is_cjk(chars[*k]))
            .take(8)
            .count();
        // A street needs "号" after its number; a compound needs a building word.
        let first_part = (n > 0)
            .then(|| {
                word_at(
                    chars,
                    number_at + n,
                    if street {
                        &HOUSE_NUMBER
                    } else {
                        &BUILDING_PARTS[..3]
                    },
                )
            })
            .flatten();
        let (Some(part), true) = (first_part, name_len > 0) else {
            i += 1;
            continue;
        };
        let start = i - name_len;
        let mut end = number_at + n + part;
        // Further parts: 3栋 2单元 501室.
        let mut parts = 1;
        loop {
            let d = if end < chars.len() {
                digits_at(chars, end)
            } else {
                0
            };
            match (d > 0)
                .then(|| word_at(chars, end + d, &BUILDING_PARTS))
                .flatten()
            {
                Some(p) => {
                    end += d + p;
                    parts += 1;
                }
                None => break,
            }
        }
        // In a compound, a building alone may be an office park's ("产业园3栋"); a home
        // has its unit or room too.
        if !street && parts < 2 {
            i += 1;
            continue;
        }
        let excerpt: String = chars[start..end]
            .iter()
            .map(|c| if c.is_ascii_digit() { '*' } else { *c })
            .collect();
        out.push(Finding {
            kind: FindingKind::Address,
            start,
            end,
            excerpt,
        });
        i = end;
    }
    out
}

/// Occurrences of `words` in `text` (width and case folded), in order: one pass of an
/// Aho–Corasick automaton, however many words the admin lists.
pub fn sensitive_words(text: &str, words: &[String]) -> Vec<Finding> {
    let folded_words: Vec<(String, &str)> = words
        .iter()
        .map(|w| (fold_width(w.trim()).to_lowercase(), w.trim()))
        .filter(|(f, _)| !f.is_empty())
        .collect();
    let Ok(automaton) = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(folded_words.iter().map(|(f, _)| f))
    else {
        return Vec::new();
    };
    let folded = fold_width(text).to_lowercase();
    // Byte offsets to character offsets: one table for the whole text.
    let mut char_of_byte = vec![0usize; folded.len() + 1];
    for (n, (b, c)) in folded.char_indices().enumerate() {
        for k in 0..c.len_utf8() {
            char_of_byte[b + k] = n;
        }
    }
    char_of_byte[folded.len()] = folded.chars().count();
    let mut out: Vec<Finding> = automaton
        .find_overlapping_iter(&folded)
        .map(|m| Finding {
            kind: FindingKind::SensitiveWord,
            start: char_of_byte[m.start()],
            end: char_of_byte[m.end()],
            excerpt: folded_words[m.pattern().as_usize()].1.to_owned(),
        })
        .collect();
    out.sort_by_key(|f| f.start);
    out
}

/// Everything to remove from `text`: personal data and sensitive words, in order.
pub fn findings(text: &str, words: &[String]) -> Vec<Finding> {
    let mut out = personal_data(text);
    out.extend(sensitive_words(text, words));
    out.sort_by_key(|f| f.start);
    out
}

/// Refuses `text` (the form field `field`, shown as `label`) when it holds anything to
/// remove, listing every finding with its position.
pub fn check(field: &str, label: &str, text: &str, words: &[String]) -> Result<(), DomainError> {
    let found = findings(text, words);
    if found.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = found.iter().map(Finding::message).collect();
    Err(DomainError::new(
        field,
        format!("{label}：{}", list.join("；")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ID number with a correct check character, as the standard computes it.
    fn id_with_check(first17: &str) -> String {
        let sum: u32 = first17
            .bytes()
            .zip(ID_WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        format!("{first17}{}", ID_CHECK[(sum % 11) as usize] as char)
    }

    #[test]
    fn id_card_numbers_are_found_only_with_a_valid_check_character() {
        let id = id_with_check("34020219900101123");
        let found = personal_data(&format!("我的身份证是{id}，请查询"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::IdCard);
        assert_eq!(found[0].start, 6);
        assert!(found[0].message().contains("第 7 个字"));
        let mut wrong = id.clone();
        let last = wrong.pop().unwrap_or('0');
        wrong.push(if last == '1' { '2' } else { '1' });
        assert!(
            personal_data(&wrong)
                .iter()
                .all(|f| f.kind != FindingKind::IdCard)
        );
    }

    #[test]
    fn mobile_numbers_and_bank_cards_are_found_and_masked() {
        let found = personal_data("电话１３８０００１２３４5，卡号 6222 0212 3456 7890 128。");
        let kinds: Vec<FindingKind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, vec![FindingKind::Mobile, FindingKind::BankCard]);
        assert_eq!(found[0].excerpt, "138****2345");
        assert!(found[1].message().contains("银行卡号"));
    }

    #[test]
    fn ordinary_numbers_are_left_alone() {
        assert!(personal_data("芜政〔2022〕12号，补贴1500元，电话0553-12345").is_empty());
    }

    #[test]
    fn sensitive_words_are_found_in_any_width_or_case() {
        let words = vec!["赌博".to_owned(), "VPN".to_owned()];
        let found = sensitive_words("网上赌博和ｖｐｎ都不行", &words);
        let at: Vec<usize> = found.iter().map(|f| f.start).collect();
        assert_eq!(at, vec![2, 5]);
        assert!(found[0].message().contains("赌博"));
        let refused = check("body", "问题描述", "我在网上赌博，电话13800012345", &words)
            .expect_err("refused");
        assert_eq!(refused.field, "body");
        assert!(refused.message.starts_with("问题描述：第 5 个字起"));
        assert!(refused.message.contains("手机号（138****2345）"));
    }
}
