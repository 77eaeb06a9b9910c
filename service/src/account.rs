//! Accounts and sessions: registration, sign-in with argon2id password hashes, server-side
//! sessions (so signing out really ends them), role checks and rate limits.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use domain::DomainError;
use domain::account::{AccountDetails, Login, Registration, Role, SessionUser};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use crate::entity::{session, user};
use crate::error::{Result, ServiceError};
use crate::{Heavy, off_the_workers};

/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 30;

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

async fn hash_password_blocking(password: &str) -> Result<String> {
    let password = password.to_owned();
    off_the_workers(Heavy::Password, move || hash_password(&password)).await?
}

async fn password_matches_blocking(password: &str, stored: &str) -> Result<bool> {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    off_the_workers(Heavy::Password, move || {
        password_matches(&password, &stored)
    })
    .await
}

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| ServiceError::Internal(format!("password salt: {e}")))?;
    // Argon2id with the crate's defaults (19 MiB, 2 passes), as OWASP recommends.
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hash: {e}")))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn to_session_user(u: &user::Model) -> SessionUser {
    SessionUser {
        id: u.id,
        display_name: u.display_name.clone(),
        role: Role::from_code(&u.role).unwrap_or(Role::Citizen),
        org_id: u.org_id.map(i64::from),
        address: None,
    }
}

async fn find_by_login(db: &impl ConnectionTrait, login: &Login) -> Result<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Login.eq(login.as_str()))
        .one(db)
        .await?)
}

/// Creates a citizen or enterprise account. A login already taken, found first or by the
/// unique index when two registrations race (a double tap), is "已注册".
pub async fn register(db: &impl ConnectionTrait, reg: &Registration) -> Result<SessionUser> {
    let taken = || {
        ServiceError::Conflict(match reg.login {
            Login::Mobile(_) => "该手机号已注册，请直接登录".to_owned(),
            Login::Email(_) => "该邮箱已注册，请直接登录".to_owned(),
        })
    };
    if find_by_login(db, &reg.login).await?.is_some() {
        return Err(taken());
    }
    let model = user::ActiveModel {
        login: Set(reg.login.as_str().to_owned()),
        password_hash: Set(hash_password_blocking(reg.password.expose()).await?),
        display_name: Set(reg.display_name.clone()),
        role: Set(reg.role.code().to_owned()),
        enterprise_name: Set(reg.enterprise.as_ref().map(|e| e.name.clone())),
        credit_code: Set(reg
            .enterprise
            .as_ref()
            .map(|e| e.credit_code.as_str().to_owned())),
        org_id: Set(None),
        created_at: Set(now().to_rfc3339()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match ServiceError::from(e) {
        ServiceError::Conflict(_) => taken(),
        other => other,
    })?;
    Ok(to_session_user(&model))
}

/// Creates an account with a given role (the seeded admin, staff an admin adds).
pub async fn create_account(
    db: &impl ConnectionTrait,
    login: &Login,
    password: &domain::account::Password,
    display_name: &str,
    role: Role,
    org_id: Option<i32>,
) -> Result<SessionUser> {
    if find_by_login(db, login).await?.is_some() {
        return Err(ServiceError::Conflict("该账号已存在".to_owned()));
    }
    let model = user::ActiveModel {
        login: Set(login.as_str().to_owned()),
        password_hash: Set(hash_password_blocking(password.expose()).await?),
        display_name: Set(display_name.to_owned()),
        role: Set(role.code().to_owned()),
        org_id: Set(org_id),
        created_at: Set(now().to_rfc3339()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(to_session_user(&model))
}

/// An admin adds a staff account for an organization (matched by name).
pub async fn add_staff(
    db: &impl ConnectionTrait,
    caller: Option<&SessionUser>,
    form: &domain::account::StaffForm,
) -> Result<SessionUser> {
    require_admin(caller, "添加部门工作人员")?;
    let staff = domain::account::Staff::parse(form)?;
    let org = crate::entity::organization::Entity::find()
        .filter(crate::entity::organization::Column::Name.eq(staff.organization.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| {
            ServiceError::Invalid(DomainError::new(
                "organization",
                format!("没有“{}”这个单位，请从列表中选择", staff.organization),
            ))
        })?;
    create_account(
        db,
        &staff.login,
        &staff.password,
        &staff.name,
        Role::Staff,
        Some(org.id),
    )
    .await
}

/// The first admin, from settings, created when no account has that login yet.
pub async fn ensure_admin(db: &impl ConnectionTrait, login: &str, password: &str) -> Result<()> {
    let login = Login::parse("ZHENGCE_ADMIN_LOGIN", login)?;
    if find_by_login(db, &login).await?.is_some() {
        return Ok(());
    }
    let password = domain::account::Password::parse("ZHENGCE_ADMIN_PASSWORD", password)?;
    create_account(db, &login, &password, "管理员", Role::Admin, None).await?;
    Ok(())
}

/// A new session's cookie token (only its hash is stored).
pub struct NewSession {
    pub token: String,
    pub user: SessionUser,
}

/// What the sessions table stores of a cookie token: its SHA-256, in hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks login and password and opens a session.
pub async fn sign_in(
    db: &impl ConnectionTrait,
    login: &str,
    password: &str,
    user_agent: Option<&str>,
) -> Result<NewSession> {
    let wrong = || {
        ServiceError::Invalid(DomainError::new(
            "password",
            "手机号/邮箱或密码不正确，请重新输入",
        ))
    };
    let login = Login::parse("login", login)?;
    let Some(u) = find_by_login(db, &login).await? else {
        // Spend the same time as a real check, so timing does not reveal who is registered.
        let _ = password_matches_blocking(password, DUMMY_HASH).await?;
        return Err(wrong());
    };
    if !password_matches_blocking(password, &u.password_hash).await? {
        return Err(wrong());
    }
    Ok(NewSession {
        token: open_session(db, u.id, user_agent).await?,
        user: to_session_user(&u),
    })
}

/// Opens a session for an account whose identity is already established (just
/// registered, or checked by the caller); returns the cookie token.
pub async fn open_session(
    db: &impl ConnectionTrait,
    user_id: i64,
    user_agent: Option<&str>,
) -> Result<String> {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let token: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let started = now();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        created_at: Set(started.to_rfc3339()),
        expires_at: Set((started + chrono::Duration::days(SESSION_DAYS)).to_rfc3339()),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(200).collect())),
        last_seen_at: Set(Some(started.to_rfc3339())),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// An argon2id hash of a random password, for failed look-ups to verify against.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Xa1cG5C7ddrcZ3nJm2Ew6R0nX+bXq2zLgk4cO9tYQ8k";

/// How long a session may go unused before it ends, unless set otherwise.
pub const DEFAULT_IDLE: std::time::Duration = std::time::Duration::from_secs(2 * 60 * 60);
/// A session's last use is written at most this often (not on every request).
const SEEN_EVERY_SECS: i64 = 60;

/// Whether a session is over: past its expiry, or unused for longer than `idle`.
fn ended(s: &session::Model, at: chrono::DateTime<chrono::Utc>, idle: std::time::Duration) -> bool {
    let idle = chrono::Duration::from_std(idle).unwrap_or(chrono::Duration::MAX);
    let last = s.last_seen_at.as_deref().unwrap_or(&s.created_at);
    s.expires_at < at.to_rfc3339()
        || chrono::DateTime::parse_from_rfc3339(last)
            .is_ok_and(|last| at.signed_duration_since(last) > idle)
}

/// The account behind a session token, if the session exists, has not expired and was
/// used within `idle`; the use is recorded (at most once a minute).
pub async fn session_user(
    db: &impl ConnectionTrait,
    token: &str,
    idle: std::time::Duration,
) -> Result<Option<SessionUser>> {
    if token.len() != 64 {
        return Ok(None);
    }
    // The session with its account in one read: every signed-in page asks.
    let Some((s, account)) = session::Entity::find_by_id(token_hash(token))
        .find_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let at = now();
    if ended(&s, at, idle) {
        session::Entity::delete_by_id(s.token_hash).exec(db).await?;
        return Ok(None);
    }
    let stale = s
        .last_seen_at
        .as_deref()
        .and_then(|l| chrono::DateTime::parse_from_rfc3339(l).ok())
        .is_none_or(|l| at.signed_duration_since(l).num_seconds() >= SEEN_EVERY_SECS);
    if stale {
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(at.to_rfc3339()),
            )
            .filter(session::Column::TokenHash.eq(s.token_hash.clone()))
            .exec(db)
            .await?;
    }
    Ok(account.as_ref().map(to_session_user))
}

/// Of these stored sessions (token hashes), the ones still open: not signed out, expired
/// or idle. A few reads for any number.
pub async fn live_sessions(
    db: &impl ConnectionTrait,
    hashes: &[String],
    idle: std::time::Duration,
) -> Result<std::collections::HashSet<String>> {
    let at = now();
    let mut live = std::collections::HashSet::new();
    for chunk in hashes.chunks(500) {
        for s in session::Entity::find()
            .filter(session::Column::TokenHash.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if !ended(&s, at, idle) {
                live.insert(s.token_hash);
            }
        }
    }
    Ok(live)
}

/// Ends a session: the token stops working at once, on every server process.
pub async fn sign_out(db: &impl ConnectionTrait, token: &str) -> Result<()> {
    session::Entity::delete_by_id(token_hash(token))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of an account (all its signed-in devices).
pub async fn sign_out_everywhere(db: &impl ConnectionTrait, user_id: i64) -> Result<u64> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// What "我的账号" shows.
pub async fn details(db: &impl ConnectionTrait, user: &SessionUser) -> Result<AccountDetails> {
    let u = user::Entity::find_by_id(user.id)
        .one(db)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    let login = Login::parse("login", &u.login).map_or(u.login.clone(), |l| l.masked());
    let organization = match u.org_id {
        Some(org) => crate::entity::organization::Entity::find_by_id(org)
            .one(db)
            .await?
            .map(|o| o.name),
        None => None,
    };
    Ok(AccountDetails {
        display_name: u.display_name,
        role: Role::from_code(&u.role).unwrap_or(Role::Citizen),
        login,
        enterprise_name: u.enterprise_name,
        credit_code: u.credit_code,
        organization,
        sessions: session_count(db, u.id).await?,
        since: u.created_at.get(..10).unwrap_or_default().to_owned(),
    })
}

/// How many sessions an account has open (its signed-in devices).
pub async fn session_count(db: &impl ConnectionTrait, user_id: i64) -> Result<u64> {
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .count(db)
        .await?)
}

/// The caller must be signed in.
pub fn require_user(user: Option<&SessionUser>) -> Result<&SessionUser> {
    user.ok_or(ServiceError::Unauthorized)
}

/// The caller must be an admin; `what` names the action in the refusal.
pub fn require_admin<'a>(user: Option<&'a SessionUser>, what: &str) -> Result<&'a SessionUser> {
    let u = require_user(user)?;
    if u.role == Role::Admin {
        Ok(u)
    } else {
        Err(ServiceError::Forbidden(format!("只有管理员可以{what}")))
    }
}

/// The caller must be staff or an admin.
pub fn require_publisher(user: Option<&SessionUser>) -> Result<&SessionUser> {
    let u = require_user(user)?;
    if u.role.may_publish() {
        Ok(u)
    } else {
        Err(ServiceError::Forbidden(
            "只有部门工作人员或管理员可以发布文件".to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_a_valid_argon2id_hash() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn passwords_verify_against_their_own_hash_only() {
        let h = hash_password("abc12345").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(password_matches("abc12345", &h));
        assert!(!password_matches("abc12346", &h));
    }
}
