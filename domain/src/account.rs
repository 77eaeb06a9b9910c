//! Accounts: who signs in, as what, and the values people type when they register.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::text::fold_width;

label_enum! {
    /// What an account may do. Citizens and enterprises register themselves; staff belong
    /// to an organization and are created by an admin; the first admin comes from settings.
    Role {
        Citizen => "市民",
        Enterprise => "企业",
        Staff => "部门工作人员",
        Admin => "管理员",
    }
}

impl Role {
    /// The stored value (stable, ASCII).
    pub fn code(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Enterprise => "enterprise",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// Staff and admins publish; everyone signed in reads and subscribes.
    pub fn may_publish(self) -> bool {
        matches!(self, Role::Staff | Role::Admin)
    }
}

/// The name an account signs in with: a mainland mobile number or an email address,
/// normalised (half-width, no spaces or `+86`, email lower-cased).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Login {
    Mobile(String),
    Email(String),
}

/// The key a per-login limit counts on: the login as stored when it parses, so
/// "+86 139-1234-0009" and full-width digits are the same login as 13912340009.
pub fn login_key(raw: &str) -> String {
    match Login::parse("login", raw) {
        Ok(login) => login.as_str().to_owned(),
        Err(_) => fold_width(raw)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase(),
    }
}

impl Login {
    pub fn parse(field: &str, raw: &str) -> Result<Login, DomainError> {
        let folded: String = fold_width(raw)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if folded.is_empty() {
            return Err(DomainError::new(field, "请填写手机号或电子邮箱"));
        }
        if folded.contains('@') {
            let email = folded.to_lowercase();
            let (local, domain) = email.split_once('@').unwrap_or_default();
            let valid = !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && email.len() <= 254
                && email.is_ascii();
            return if valid {
                Ok(Login::Email(email))
            } else {
                Err(DomainError::new(
                    field,
                    "电子邮箱格式不正确，例如 name@example.com",
                ))
            };
        }
        let digits = folded
            .strip_prefix("+86")
            .or_else(|| folded.strip_prefix("0086"))
            .unwrap_or(&folded)
            .replace('-', "");
        let valid = digits.len() == 11
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.starts_with('1')
            && matches!(digits.as_bytes()[1], b'3'..=b'9');
        if valid {
            Ok(Login::Mobile(digits))
        } else {
            Err(DomainError::new(
                field,
                "请填写 11 位手机号（例如 13800000000）或电子邮箱",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Login::Mobile(s) | Login::Email(s) => s,
        }
    }

    /// For showing to others: 138****0000, n***@example.com.
    pub fn masked(&self) -> String {
        match self {
            Login::Mobile(m) => format!("{}****{}", &m[..3], &m[7..]),
            Login::Email(e) => match e.split_once('@') {
                Some((local, domain)) => {
                    let first: String = local.chars().take(1).collect();
                    format!("{first}***@{domain}")
                }
                None => e.clone(),
            },
        }
    }
}

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 64;

/// A password good enough to keep: 8 to 64 characters with letters and digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(field: &str, raw: &str) -> Result<Password, DomainError> {
        let n = raw.chars().count();
        if n < MIN_PASSWORD_CHARS {
            return Err(DomainError::new(
                field,
                format!("密码至少 {MIN_PASSWORD_CHARS} 位，请包含字母和数字"),
            ));
        }
        if n > MAX_PASSWORD_CHARS {
            return Err(DomainError::new(
                field,
                format!("密码最长 {MAX_PASSWORD_CHARS} 位"),
            ));
        }
        let letters = raw.chars().any(|c| c.is_alphabetic());
        let digits = raw.chars().any(|c| c.is_ascii_digit());
        if !(letters && digits) {
            return Err(DomainError::new(field, "密码需同时包含字母和数字"));
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet, the last
/// a check character computed from the first 17.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CreditCode(String);

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

impl CreditCode {
    pub fn parse(field: &str, raw: &str) -> Result<CreditCode, DomainError> {
        let code: String = fold_width(raw)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let n = code.chars().count();
        if n != 18 {
            return Err(DomainError::new(
                field,
                format!("统一社会信用代码应为 18 位，您填写了 {n} 位"),
            ));
        }
        let mut values = Vec::with_capacity(18);
        for c in code.chars() {
            match CREDIT_ALPHABET.find(c) {
                Some(v) => values.push(v as u32),
                None => {
                    return Err(DomainError::new(
                        field,
                        format!("统一社会信用代码中不应有“{c}”（代码不使用 I、O、Z、S、V）"),
                    ));
                }
            }
        }
        let sum: u32 = values[..17]
            .iter()
            .zip(CREDIT_WEIGHTS)
            .map(|(v, w)| v * w)
            .sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(DomainError::new(
                field,
                "统一社会信用代码校验位不符，请对照营业执照核对",
            ));
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the registration form sends; every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterForm {
    /// `citizen` or `enterprise`.
    pub kind: String,
    pub login: String,
    pub password: String,
    /// How the portal addresses the person (optional for citizens).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub enterprise_name: String,
    #[serde(default)]
    pub credit_code: String,
}

/// An enterprise's identity as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enterprise {
    pub name: String,
    pub credit_code: CreditCode,
}

/// A registration that passed every check.
#[derive(Debug, Clone)]
pub struct Registration {
    pub login: Login,
    pub password: Password,
    pub display_name: String,
    pub role: Role,
    pub enterprise: Option<Enterprise>,
}

pub const MAX_NAME_CHARS: usize = 30;
pub const MAX_ENTERPRISE_NAME_CHARS: usize = 100;

impl Registration {
    pub fn parse(form: &RegisterForm) -> Result<Registration, DomainError> {
        let role = match form.kind.trim() {
            "" | "citizen" => Role::Citizen,
            "enterprise" => Role::Enterprise,
            _ => return Err(DomainError::new("kind", "请选择注册类型：个人或企业")),
        };
        let login = Login::parse("login", &form.login)?;
        let password = Password::parse("password", &form.password)?;
        let name = form.name.trim();
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(DomainError::new(
                "name",
                format!("称呼最长 {MAX_NAME_CHARS} 个字"),
            ));
        }
        let enterprise = if role == Role::Enterprise {
            let ename = form.enterprise_name.trim();
            if ename.is_empty() {
                return Err(DomainError::new(
                    "enterprise_name",
                    "请填写企业名称（与营业执照一致）",
                ));
            }
            if ename.chars().count() > MAX_ENTERPRISE_NAME_CHARS {
                return Err(DomainError::new(
                    "enterprise_name",
                    format!("企业名称最长 {MAX_ENTERPRISE_NAME_CHARS} 个字"),
                ));
            }
            Some(Enterprise {
                name: ename.to_owned(),
                credit_code: CreditCode::parse("credit_code", &form.credit_code)?,
            })
        } else {
            None
        };
        let display_name = match (&enterprise, name) {
            (_, n) if !n.is_empty() => n.to_owned(),
            (Some(e), _) => e.name.clone(),
            (None, _) => login.masked(),
        };
        Ok(Registration {
            login,
            password,
            display_name,
            role,
            enterprise,
        })
    }
}

/// What an admin types to add a staff account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffForm {
    pub login: String,
    pub password: String,
    pub name: String,
    /// The organization's name, as the library lists it.
    pub organization: String,
}

/// A checked staff account.
#[derive(Debug, Clone)]
pub struct Staff {
    pub login: Login,
    pub password: Password,
    pub name: String,
    pub organization: String,
}

impl Staff {
    pub fn parse(form: &StaffForm) -> Result<Staff, DomainError> {
        let login = Login::parse("login", &form.login)?;
        let password = Password::parse("password", &form.password)?;
        let name = form.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(DomainError::new(
                "name",
                format!("请填写姓名（最长 {MAX_NAME_CHARS} 个字）"),
            ));
        }
        let organization = form.organization.trim();
        if organization.is_empty() {
            return Err(DomainError::new("organization", "请选择所属单位"));
        }
        Ok(Staff {
            login,
            password,
            name: name.to_owned(),
            organization: organization.to_owned(),
        })
    }
}

/// An account as its owner sees it in the personal center.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub display_name: String,
    pub role: Role,
    /// Masked: 138****1234.
    pub login: String,
    pub enterprise_name: Option<String>,
    pub credit_code: Option<String>,
    /// A staff member's organization.
    pub organization: Option<String>,
    /// Devices signed in.
    pub sessions: u64,
    /// Registration date, `YYYY-MM-DD`.
    pub since: String,
}

/// The signed-in account as pages see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
    /// The organization a staff member belongs to.
    pub org_id: Option<i64>,
    /// Where the request came from (the client address, as limits count it): recorded in
    /// the audit log with what the caller did. Never sent to the browser.
    #[serde(default, skip_serializing)]
    pub address: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalised_and_checked() {
        assert_eq!(
            Login::parse("login", " +86 138-0000-1234 ").expect("valid"),
            Login::Mobile("13800001234".into())
        );
        assert_eq!(
            Login::parse("login", "１３８００００１２３４").expect("valid"),
            Login::Mobile("13800001234".into())
        );
        for bad in ["1380000123", "12800001234", "abc", ""] {
            let e = Login::parse("login", bad).expect_err("invalid");
            assert_eq!(e.field, "login");
            assert!(e.message.chars().any(|c| c > '\u{4e00}'));
        }
    }

    #[test]
    fn emails_are_lower_cased_and_need_a_domain() {
        assert_eq!(
            Login::parse("login", "Li.Ming@Example.COM").expect("valid"),
            Login::Email("li.ming@example.com".into())
        );
        assert!(Login::parse("login", "li@localhost").is_err());
        assert!(Login::parse("login", "@example.com").is_err());
    }

    #[test]
    fn masked_logins_hide_the_middle() {
        assert_eq!(Login::Mobile("13800001234".into()).masked(), "138****1234");
        assert_eq!(
            Login::Email("liming@example.com".into()).masked(),
            "l***@example.com"
        );
    }

    #[test]
    fn passwords_need_length_letters_and_digits() {
        assert!(Password::parse("password", "abc12345").is_ok());
        assert!(Password::parse("password", "abc1234").is_err());
        assert!(Password::parse("password", "abcdefgh").is_err());
        assert!(Password::parse("password", "12345678").is_err());
        assert_eq!(
            format!("{:?}", Password::parse("p", "abc12345").expect("valid")),
            "Password(***)"
        );
    }

    /// A code with a correct check character, built the way the standard says.
    fn valid_code(body: &str) -> String {
        let sum: u32 = body
            .chars()
            .zip(CREDIT_WEIGHTS)
            .map(|(c, w)| CREDIT_ALPHABET.find(c).expect("valid") as u32 * w)
            .sum();
        let check = (31 - sum % 31) % 31;
        format!(
            "{body}{}",
            CREDIT_ALPHABET.chars().nth(check as usize).expect("valid")
        )
    }

    #[test]
    fn credit_codes_are_checked_by_their_check_character() {
        // Published codes of well-known companies.
        for real in ["91110000802100433B", "9144030071526726XG"] {
            assert!(CreditCode::parse("credit_code", real).is_ok(), "{real}");
        }
        let code = valid_code("91340200MA2N1234A");
        assert_eq!(
            CreditCode::parse("credit_code", &code.to_lowercase())
                .expect("valid")
                .as_str(),
            code
        );
        let mut wrong = code.clone();
        wrong.pop();
        wrong.push(if code.ends_with('0') { '1' } else { '0' });
        let e = CreditCode::parse("credit_code", &wrong).expect_err("invalid");
        assert!(e.message.contains("校验位"));
        assert!(
            CreditCode::parse("credit_code", "91340200MA2N1234")
                .expect_err("invalid")
                .message
                .contains("18 位")
        );
        assert!(
            CreditCode::parse("credit_code", "91340200MA2N1234IO")
                .expect_err("invalid")
                .message
                .contains("I")
        );
    }

    #[test]
    fn enterprises_must_give_name_and_code_citizens_need_neither() {
        let citizen = Registration::parse(&RegisterForm {
            kind: "citizen".into(),
            login: "13800001234".into(),
            password: "abc12345".into(),
            ..Default::default()
        })
        .expect("valid");
        assert_eq!(citizen.role, Role::Citizen);
        assert_eq!(citizen.display_name, "138****1234");
        let missing = Registration::parse(&RegisterForm {
            kind: "enterprise".into(),
            login: "hr@example.com".into(),
            password: "abc12345".into(),
            ..Default::default()
        })
        .expect_err("invalid");
        assert_eq!(missing.field, "enterprise_name");
        let firm = Registration::parse(&RegisterForm {
            kind: "enterprise".into(),
            login: "hr@example.com".into(),
            password: "abc12345".into(),
            enterprise_name: "芜湖示例科技有限公司".into(),
            credit_code: valid_code("91340200MA2N1234A"),
            ..Default::default()
        })
        .expect("valid");
        assert_eq!(firm.role, Role::Enterprise);
        assert_eq!(firm.display_name, "芜湖示例科技有限公司");
    }
}
