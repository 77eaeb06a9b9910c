//! A document's body as staff write it: structured text that needs no script to edit and
//! reads the same on the page, in print and in feeds. One block per line:
//!
//! - `# 标题` a heading, `## 标题` a subheading;
//! - `1. 内容` (or `1、内容`) a numbered item, `- 内容` an item of a list;
//! - `| 项目 | 标准 |` a table row (the first row of a table is its header; `|---|---|`
//!   rows are skipped);
//! - any other line a paragraph; blank lines separate nothing more.
//!
//! Text is escaped here; the server sanitizes the result once more before storing it.

use crate::text::escape_html;

/// One block of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Subheading(String),
    Numbered(Vec<String>),
    Bulleted(Vec<String>),
    /// Rows of cells; the first is the header.
    Table(Vec<Vec<String>>),
    Paragraph(String),
}

/// The numbered item a line starts, if it does: `1. ` or `1、` (digits in any width).
fn numbered(line: &str) -> Option<&str> {
    let digits = line
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || ('０'..='９').contains(c))
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let rest = &line[digits..];
    rest.strip_prefix(". ")
        .or_else(|| rest.strip_prefix('、'))
        .or_else(|| rest.strip_prefix('．'))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .split('|')
        .map(|c| c.trim().to_owned())
        .collect()
}

fn is_rule(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The blocks of `src`, in order.
pub fn parse(src: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for line in src.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(t) = line.strip_prefix("## ") {
            out.push(Block::Subheading(t.trim().to_owned()));
        } else if let Some(t) = line.strip_prefix("# ") {
            out.push(Block::Heading(t.trim().to_owned()));
        } else if line.starts_with('|') {
            if is_rule(line) {
                continue;
            }
            match out.last_mut() {
                Some(Block::Table(rows)) => rows.push(cells(line)),
                _ => out.push(Block::Table(vec![cells(line)])),
            }
        } else if let Some(t) = numbered(line) {
            match out.last_mut() {
                Some(Block::Numbered(items)) => items.push(t.to_owned()),
                _ => out.push(Block::Numbered(vec![t.to_owned()])),
            }
        } else if let Some(t) = line.strip_prefix("- ").map(str::trim) {
            match out.last_mut() {
                Some(Block::Bulleted(items)) => items.push(t.to_owned()),
                _ => out.push(Block::Bulleted(vec![t.to_owned()])),
            }
        } else {
            out.push(Block::Paragraph(line.to_owned()));
        }
    }
    out
}

/// The body as HTML (headings, paragraphs, lists, tables; every text escaped).
pub fn to_html(src: &str) -> String {
    let mut h = String::new();
    let items = |h: &mut String, tag: &str, items: &[String]| {
        h.push_str(&format!("<{tag}>"));
        for i in items {
            h.push_str(&format!("<li>{}</li>", escape_html(i)));
        }
        h.push_str(&format!("</{tag}>"));
    };
    for block in parse(src) {
        match block {
            Block::Heading(t) => h.push_str(&format!("<h2>{}</h2>", escape_html(&t))),
            Block::Subheading(t) => h.push_str(&format!("<h3>{}</h3>", escape_html(&t))),
            Block::Paragraph(t) => h.push_str(&format!("<p>{}</p>", escape_html(&t))),
            Block::Numbered(list) => items(&mut h, "ol", &list),
            Block::Bulleted(list) => items(&mut h, "ul", &list),
            Block::Table(rows) => {
                h.push_str("<table>");
                for (n, row) in rows.iter().enumerate() {
                    let cell = if n == 0 { "th" } else { "td" };
                    if n == 0 {
                        h.push_str("<thead>");
                    } else if n == 1 {
                        h.push_str("<tbody>");
                    }
                    h.push_str("<tr>");
                    for c in row {
                        h.push_str(&format!("<{cell}>{}</{cell}>", escape_html(c)));
                    }
                    h.push_str("</tr>");
                    if n == 0 {
                        h.push_str("</thead>");
                    }
                }
                if rows.len() > 1 {
                    h.push_str("</tbody>");
                }
                h.push_str("</table>");
            }
        }
    }
    h
}

/// The body as plain text, one line per paragraph, heading, item or table row (cells
/// joined by spaces): what search, snippets and feeds read.
pub fn to_plain(src: &str) -> String {
    let mut lines = Vec::new();
    for block in parse(src) {
        match block {
            Block::Heading(t) | Block::Subheading(t) | Block::Paragraph(t) => lines.push(t),
            Block::Numbered(list) => lines.extend(
                list.into_iter()
                    .enumerate()
                    .map(|(n, t)| format!("{}. {t}", n + 1)),
            ),
            Block::Bulleted(list) => lines.extend(list),
            Block::Table(rows) => lines.extend(rows.into_iter().map(|r| r.join(" "))),
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_is_a_block_and_markers_make_headings_lists_and_tables() {
        let src = "# 第一章 总则\n第一条 为规范补贴发放，制定本办法。\n第二条 补贴对象：\n1. 高校毕业生\n2、就业困难人员\n- 按月发放\n- 直达个人账户\n## 补贴标准\n| 对象 | 标准 |\n|---|---|\n| 高校毕业生 | 1000元 |\n| 就业困难人员 | 800元 |";
        assert_eq!(
            to_html(src),
            "<h2>第一章 总则</h2><p>第一条 为规范补贴发放，制定本办法。</p><p>第二条 补贴对象：</p>\
             <ol><li>高校毕业生</li><li>就业困难人员</li></ol><ul><li>按月发放</li><li>直达个人账户</li></ul>\
             <h3>补贴标准</h3><table><thead><tr><th>对象</th><th>标准</th></tr></thead>\
             <tbody><tr><td>高校毕业生</td><td>1000元</td></tr><tr><td>就业困难人员</td><td>800元</td></tr></tbody></table>"
        );
        assert_eq!(
            to_plain(src).lines().collect::<Vec<_>>(),
            [
                "第一章 总则",
                "第一条 为规范补贴发放，制定本办法。",
                "第二条 补贴对象：",
                "1. 高校毕业生",
                "2. 就业困难人员",
                "按月发放",
                "直达个人账户",
                "补贴标准",
                "对象 标准",
                "高校毕业生 1000元",
                "就业困难人员 800元"
            ]
        );
    }

    #[test]
    fn markup_typed_into_a_body_stays_text() {
        let html = to_html("<script>alert(1)</script>\n| <img src=x onerror=alert(1)> |");
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn a_year_or_an_amount_at_the_start_of_a_line_is_not_a_list() {
        assert_eq!(
            parse("2026年起施行。\n100元以下免收。"),
            [
                Block::Paragraph("2026年起施行。".into()),
                Block::Paragraph("100元以下免收。".into())
            ]
        );
    }
}
