//! The screening corpus: for every category, at least 100 texts that must be caught and
//! 100 that must pass, written as people and documents write them — full-width digits,
//! numbers split by spaces or dashes, numbers that only look like personal data.

use domain::screening::{FindingKind, Lexicon, personal_data, sensitive_words};

/// A small deterministic generator, so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() as usize) % from.len()]
    }
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Writes a number as people do: plain, full-width, or in groups split by spaces/dashes.
fn written(rng: &mut Rng, digits: &str, groups: &[usize]) -> String {
    match rng.next() % 4 {
        0 => digits.to_owned(),
        1 => full_width(digits),
        style => {
            let sep = if style == 2 { " " } else { "-" };
            let mut out = Vec::new();
            let mut at = 0;
            for g in groups {
                if at >= digits.len() {
                    break;
                }
                let end = (at + g).min(digits.len());
                out.push(&digits[at..end]);
                at = end;
            }
            if at < digits.len() {
                out.push(&digits[at..]);
            }
            out.join(sep)
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

fn id_check(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    char::from(b"10X98765432"[(sum % 11) as usize])
}

fn id_number(rng: &mut Rng) -> String {
    let region = rng.pick(&["340202", "340203", "340207", "340221", "110101", "320102"]);
    let year = 1940 + rng.next() % 80;
    let month = 1 + rng.next() % 12;
    let day = 1 + rng.next() % 28;
    let first17 = format!("{region}{year}{month:02}{day:02}{}", rng.digits(3));
    format!("{first17}{}", id_check(&first17))
}

fn luhn_complete(partial: &str) -> String {
    let sum: u32 = partial
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d - b'0');
            if i % 2 == 0 {
                let d2 = v * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                v
            }
        })
        .sum();
    format!("{partial}{}", (10 - sum % 10) % 10)
}

const LEADS: [&str; 6] = ["请联系", "本人", "申请人", "我的信息：", "经办人 ", "家属"];
const TAILS: [&str; 4] = ["，谢谢。", "。", "，请核实", "（已登记）"];

fn sentence(rng: &mut Rng, middle: &str) -> String {
    format!("{}{}{}", rng.pick(&LEADS), middle, rng.pick(&TAILS))
}

fn kinds(text: &str) -> Vec<FindingKind> {
    personal_data(text).into_iter().map(|f| f.kind).collect()
}

/// Asserts every positive is caught as `kind` and no negative is caught at all.
fn check(kind: FindingKind, positives: &[String], negatives: &[String]) {
    assert!(positives.len() >= 100 && negatives.len() >= 100);
    for p in positives {
        assert!(kinds(p).contains(&kind), "missed {kind:?}: {p}");
    }
    for n in negatives {
        assert!(kinds(n).is_empty(), "flagged {:?}: {n}", personal_data(n));
    }
}

/// Text from policy documents that carries numbers but no personal data.
fn ordinary(rng: &mut Rng) -> String {
    let n = rng.next() % 10_000;
    match rng.next() % 10 {
        0 => format!("芜政〔{}〕{}号", 2000 + n % 26, n % 200),
        1 => format!("补贴标准为每人每月{n}元，按季度发放"),
        2 => format!("咨询电话：0553-{}", rng.digits(7)),
        3 => format!(
            "自{}年{}月{}日起施行",
            2000 + n % 26,
            1 + n % 12,
            1 + n % 28
        ),
        4 => format!("全市共有{n}户{}人享受最低生活保障", n * 3),
        5 => format!("政务服务热线12345，邮编2410{:02}", n % 100),
        6 => format!("项目编号 ZC{}，投资{}万元", rng.digits(10), n),
        7 => format!(
            "第{}条 本办法所称高校毕业生，是指毕业{}年内的学生",
            n % 50,
            n % 3 + 1
        ),
        8 => format!("统一社会信用代码 91340200{}", rng.digits(10)),
        _ => format!("国道{}线和{}号线地铁站附近设置服务点", n % 400, n % 9),
    }
}

#[test]
fn id_card_numbers_are_caught_however_written_and_look_alikes_pass() {
    let mut rng = Rng(1);
    let positives: Vec<String> = (0..120)
        .map(|_| {
            let id = id_number(&mut rng);
            let w = written(&mut rng, &id, &[6, 8, 4]);
            sentence(&mut rng, &format!("身份证{w}"))
        })
        .collect();
    let negatives: Vec<String> = (0..120)
        .map(|i| {
            let id = id_number(&mut rng);
            // A wrong check character, or an impossible birth date.
            let wrong = if i % 2 == 0 {
                let last = id.chars().last().unwrap_or('0');
                format!("{}{}", &id[..17], if last == '1' { '2' } else { '1' })
            } else {
                format!("{}{}13{}", &id[..6], &id[6..10], &id[12..])
            };
            let wrong = if kinds(&wrong).is_empty() {
                wrong
            } else {
                ordinary(&mut rng)
            };
            format!("编号{wrong}，{}", ordinary(&mut rng))
        })
        .collect();
    check(FindingKind::IdCard, &positives, &negatives);
}

#[test]
fn mobile_numbers_are_caught_however_written_and_landlines_pass() {
    let mut rng = Rng(2);
    let positives: Vec<String> = (0..120)
        .map(|_| {
            let second = rng.pick(&["3", "5", "7", "8", "9"]);
            let m = format!("1{second}{}", rng.digits(9));
            let w = written(&mut rng, &m, &[3, 4, 4]);
            sentence(&mut rng, &format!("手机{w}"))
        })
        .collect();
    let negatives: Vec<String> = (0..120)
        .map(|i| match i % 3 {
            // Eleven digits that no mobile number starts with.
            0 => format!("流水号1{}{}", rng.pick(&["0", "1", "2"]), rng.digits(9)),
            1 => format!("办公电话0553-{}，传真0553-{}", rng.digits(7), rng.digits(7)),
            _ => ordinary(&mut rng),
        })
        .collect();
    check(FindingKind::Mobile, &positives, &negatives);
}

#[test]
fn bank_cards_are_caught_by_their_check_digit_and_other_long_numbers_pass() {
    let mut rng = Rng(3);
    let positives: Vec<String> = (0..120)
        .map(|i| {
            let len = [16, 17, 18, 19][i % 4];
            let bin = rng.pick(&["622202", "621700", "622848", "436742"]);
            let card = luhn_complete(&format!("{bin}{}", rng.digits(len - 7)));
            let w = written(&mut rng, &card, &[4, 4, 4, 4]);
            sentence(&mut rng, &format!("收款卡号{w}"))
        })
        .collect();
    let negatives: Vec<String> = (0..120)
        .map(|i| {
            let len = [16, 17, 19][i % 3];
            let card = luhn_complete(&format!("622202{}", rng.digits(len - 7)));
            // Off by one in the last digit: no longer a card number.
            let last = card.as_bytes()[card.len() - 1] - b'0';
            let wrong = format!("{}{}", &card[..card.len() - 1], (last + 1) % 10);
            let wrong = if kinds(&wrong).is_empty() {
                wrong
            } else {
                ordinary(&mut rng)
            };
            format!("合同编号{wrong}，{}", ordinary(&mut rng))
        })
        .collect();
    check(FindingKind::BankCard, &positives, &negatives);
}

#[test]
fn email_addresses_are_caught_and_at_signs_elsewhere_pass() {
    let mut rng = Rng(4);
    let names = [
        "zhang.san",
        "li_si88",
        "wanghong",
        "chen-yu",
        "liu+policy",
        "13812345",
    ];
    let domains = [
        "qq.com",
        "163.com",
        "126.com",
        "gmail.com",
        "sina.com.cn",
        "whu.edu.cn",
    ];
    let positives: Vec<String> = (0..120)
        .map(|i| {
            let mail = format!("{}{}@{}", rng.pick(&names), i, rng.pick(&domains));
            let mail = if i % 3 == 0 { full_width(&mail) } else { mail };
            sentence(&mut rng, &format!("邮箱{mail}"))
        })
        .collect();
    let negatives: Vec<String> = (0..120)
        .map(|i| match i % 4 {
            0 => format!("请@相关部门关注，{}", ordinary(&mut rng)),
            1 => format!("格式为 name@，{}", ordinary(&mut rng)),
            2 => format!("用户名@芜湖发布，{}", ordinary(&mut rng)),
            _ => ordinary(&mut rng),
        })
        .collect();
    check(FindingKind::Email, &positives, &negatives);
}

#[test]
fn street_and_home_addresses_are_caught_and_document_numbers_pass() {
    let mut rng = Rng(5);
    let streets = [
        "北京中路",
        "镜湖路",
        "中山北路",
        "赭山东路",
        "长江中路",
        "九华南路",
        "新芜街",
        "儒林街",
        "萧家巷",
        "十里长街",
    ];
    let compounds = [
        "阳光小区",
        "金色花园",
        "江城公寓",
        "幸福家园",
        "弋江新村",
        "澜园",
        "王家村",
    ];
    let positives: Vec<String> = (0..140)
        .map(|i| {
            let n = 1 + rng.next() % 300;
            let place = if i % 2 == 0 {
                let mut a = format!("{}{n}号", rng.pick(&streets));
                if i % 4 == 0 {
                    a.push_str(&format!(
                        "{}栋{}单元{}室",
                        1 + n % 20,
                        1 + n % 4,
                        101 + n % 900
                    ));
                }
                a
            } else {
                format!(
                    "{}{}栋{}室",
                    rng.pick(&compounds),
                    1 + n % 30,
                    101 + n % 900
                )
            };
            let place = if i % 5 == 0 {
                full_width(&place)
            } else {
                place
            };
            sentence(&mut rng, &format!("家住{place}"))
        })
        .collect();
    let negatives: Vec<String> = (0..120)
        .map(|i| match i % 5 {
            // An office park's building is a workplace, not a home.
            4 => format!(
                "企业入驻高新区产业园{}栋，{}",
                1 + i % 9,
                ordinary(&mut rng)
            ),
            0 => format!("{}道路全长{}公里", rng.pick(&streets), 1 + i),
            1 => format!("依据皖政办〔2022〕{}号文件精神", 1 + i),
            2 => format!(
                "{}街道办事处负责第{}号公告的落实",
                rng.pick(&["镜湖", "弋江", "鸠江"]),
                i
            ),
            _ => ordinary(&mut rng),
        })
        .collect();
    check(FindingKind::Address, &positives, &negatives);
}

#[test]
fn sensitive_words_are_caught_in_any_width_or_case_and_ordinary_text_passes() {
    let mut rng = Rng(6);
    let words: Vec<String> = ["代开发票", "网络赌博", "VPN翻墙", "办假证", "套取补贴"]
        .iter()
        .map(|w| (*w).to_owned())
        .collect();
    let positives: Vec<String> = (0..120)
        .map(|i| {
            let w = &words[i % words.len()];
            let w = if i % 3 == 0 {
                w.chars()
                    .map(|c| {
                        if c.is_ascii() {
                            char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect()
            } else if i % 3 == 1 {
                w.to_lowercase()
            } else {
                w.clone()
            };
            sentence(&mut rng, &format!("有人{w}"))
        })
        .collect();
    for p in &positives {
        assert!(!sensitive_words(p, &words).is_empty(), "missed: {p}");
    }
    let negatives: Vec<String> = (0..120).map(|_| ordinary(&mut rng)).collect();
    for n in &negatives {
        assert!(sensitive_words(n, &words).is_empty(), "flagged: {n}");
    }
}

#[test]
fn every_error_prone_term_is_caught_and_every_suggestion_passes() {
    let lexicon = Lexicon::starter();
    assert!(lexicon.len() > 500);
    let mut rng = Rng(7);
    for (term, suggestion) in lexicon.entries() {
        let with_term = format!("{}{term}{}", rng.pick(&LEADS), rng.pick(&TAILS));
        let found = lexicon.warnings(&with_term);
        assert!(
            found
                .iter()
                .any(|w| &w.found == term && &w.suggestion == suggestion),
            "missed {term}: {found:?}"
        );
        // The suggested wording itself never draws a warning (a placeholder in brackets
        // is an instruction, not wording).
        if !suggestion.starts_with('（') {
            let fixed = format!("{}{suggestion}{}", rng.pick(&LEADS), rng.pick(&TAILS));
            assert!(
                lexicon.warnings(&fixed).is_empty(),
                "{suggestion}: {:?}",
                lexicon.warnings(&fixed)
            );
        }
    }
    let mut negatives: Vec<String> = (0..200).map(|_| ordinary(&mut rng)).collect();
    // Official wording where a term's characters meet across two words.
    negatives.extend(
        [
            "加强政府管理采购活动",
            "占全部份额的三成",
            "恢复盖章服务",
            "重申清楚政策口径",
            "相关健康证明",
            "可申请贴息贷款",
            "不得借签订合同之机",
            "补充份额由财政承担",
            "加快推进行政审批制度改革",
            "预防犯罪工作",
            "一贯切实执行",
            "按排名先后录取",
            "确定单位名单",
            "一周之内办结",
            "承担误工费用",
            "全部暑期实践",
            "最低保证金额",
            "一份内部资料",
            "进一步加强化肥管理",
            "不断提高升学率",
            "准备加强监管",
        ]
        .map(str::to_owned),
    );
    for n in &negatives {
        assert!(
            lexicon.warnings(n).is_empty(),
            "{n}: {:?}",
            lexicon.warnings(n)
        );
    }
}
