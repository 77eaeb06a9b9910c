//! Text normalisation shared by search, document numbers and input checks.

/// Folds full-width ASCII (Ａ-Ｚ, ０-９, ［, （ …) and the ideographic space to half-width.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// True for CJK unified ideographs (the characters Chinese text is made of).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// True when the text holds at least one letter, digit or ideograph worth searching for.
pub fn has_searchable_chars(s: &str) -> bool {
    s.chars().any(|c| c.is_alphanumeric())
}

/// Percent-encodes `s` for use as one URL query value.
pub fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Cuts `s` to at most `max` characters, appending an ellipsis when something was cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// `s` safe to place in HTML text or a quoted attribute.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_brackets_fold_to_ascii() {
        assert_eq!(fold_width("［２０２２］１２"), "[2022]12");
        assert_eq!(fold_width("（一）"), "(一)");
    }

    #[test]
    fn punctuation_only_text_is_not_searchable() {
        assert!(!has_searchable_chars("？？！。 ，"));
        assert!(has_searchable_chars("租房"));
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_chars("一二三四", 2), "一二…");
        assert_eq!(truncate_chars("一二", 2), "一二");
    }
}
