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

/// Search indexes in memory, as a process has them.
pub fn indexes() -> service::Indexes {
    service::Indexes::new(
        std::sync::Arc::new(service::library::SearchIndex::in_memory().expect("index")),
        std::sync::Arc::new(service::qa::QaIndex::in_memory().expect("qa index")),
    )
}

/// Makes the database refuse inserts into `table` whose new row meets `when` (SQL over
/// `NEW`), as a failing disk or a bug would: a real failure in the middle of real code.
pub async fn refuse_inserts(db: &DatabaseConnection, table: &str, when: &str) {
    use sea_orm::ConnectionTrait;
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => format!(
            "CREATE FUNCTION refuse_{table}() RETURNS trigger AS $$
             BEGIN IF {when} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END
             $$ LANGUAGE plpgsql;
             CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table}
             FOR EACH ROW EXECUTE FUNCTION refuse_{table}();"
        ),
        _ => format!(
            "CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} WHEN {when}
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
        ),
    };
    db.execute_unprepared(&sql).await.expect("trigger");
}

/// Undoes [`refuse_inserts`].
pub async fn allow_inserts(db: &DatabaseConnection, table: &str) {
    use sea_orm::ConnectionTrait;
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            format!("DROP TRIGGER refuse_{table} ON {table}; DROP FUNCTION refuse_{table}();")
        }
        _ => format!("DROP TRIGGER refuse_{table};"),
    };
    db.execute_unprepared(&sql).await.expect("drop trigger");
}
