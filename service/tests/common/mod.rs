//! What the service test files share: accounts to act as.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use domain::account::{Login, Password, RegisterForm, Registration, Role, SessionUser};
use sea_orm::DatabaseConnection;
use service::account;

/// A citizen who registered with this mobile number.
pub async fn citizen(db: &DatabaseConnection, mobile: &str) -> SessionUser {
    let reg = Registration::parse(&RegisterForm {
        kind: "citizen".into(),
        login: mobile.into(),
        password: "abc12345".into(),
        ..Default::default()
    })
    .expect("registration");
    account::register(db, &reg).await.expect("register")
}

/// A staff or admin account (password `staff12345`), of organization `org` if given.
pub async fn account_of(
    db: &DatabaseConnection,
    login: &str,
    role: Role,
    org: Option<i32>,
) -> SessionUser {
    account::create_account(
        db,
        &Login::parse("login", login).expect("login"),
        &Password::parse("password", "staff12345").expect("password"),
        login,
        role,
        org,
    )
    .await
    .expect("account")
}
