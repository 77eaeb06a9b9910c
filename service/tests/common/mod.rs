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

/// The id of the organization named `name`.
pub async fn org(db: &DatabaseConnection, name: &str) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use service::entity::organization;
    organization::Entity::find()
        .filter(organization::Column::Name.eq(name))
        .one(db)
        .await
        .expect("query")
        .expect("organization")
        .id
}

/// The ids of the library's results for the words `q`, best first.
pub async fn hit_ids(
    db: &DatabaseConnection,
    index: &std::sync::Arc<service::library::SearchIndex>,
    q: &str,
) -> Vec<String> {
    let query = domain::library::LibraryQuery::parse_query_string(&format!(
        "q={}",
        domain::text::url_encode(q)
    ))
    .expect("query");
    service::library::search(db, index, &query)
        .await
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
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

/// Runs `a` and `b` so that both have read what they act on before either writes to
/// `table`: a separate connection holds every writer of the database off until both wait
/// to write, then lets them go together. The race is forced, not hoped for.
pub async fn overlapping<A, B>(
    url: &str,
    db: &DatabaseConnection,
    table: &str,
    a: A,
    b: B,
) -> (A::Output, B::Output)
where
    A: std::future::Future,
    B: std::future::Future,
    A::Output: std::fmt::Debug,
    B::Output: std::fmt::Debug,
{
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let backend = db.get_database_backend();
    let mut opts = sea_orm::ConnectOptions::new(url.to_owned());
    opts.max_connections(1).sqlx_logging(false);
    let holder = sea_orm::Database::connect(opts).await.expect("holder");
    match backend {
        DatabaseBackend::Postgres => {
            holder.execute_unprepared("BEGIN").await.expect("begin");
            holder
                .execute_unprepared(&format!("LOCK TABLE {table} IN EXCLUSIVE MODE"))
                .await
                .expect("lock");
        }
        _ => {
            holder
                .execute_unprepared("BEGIN IMMEDIATE")
                .await
                .expect("lock");
        }
    }
    let release = async {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(4);
        let mut steady = 0;
        let forced = loop {
            // Both writers are waiting: on PostgreSQL the lock table says so (on the table,
            // or behind the first on the outbox's writer lock); on SQLite
            // the pool is taken by open transactions, seen steadily (for 100 ms), not in
            // passing.
            let both = match backend {
                DatabaseBackend::Postgres => {
                    holder
                        .query_one_raw(Statement::from_sql_and_values(
                            backend,
                            "SELECT count(*) AS n FROM pg_locks l
                             JOIN pg_database d ON d.oid = l.database
                             WHERE NOT l.granted AND d.datname = current_database()",
                            [],
                        ))
                        .await
                        .expect("pg_locks")
                        .map(|r| r.try_get::<i64>("", "n").expect("n"))
                        .unwrap_or(0)
                        >= 2
                }
                _ => {
                    // With a one-connection pool, the first writer holds it, blocked, while
                    // the second waits for it, having read (its read came first in line).
                    let pool = db.get_sqlite_connection_pool();
                    let in_use = pool.size() as usize - pool.num_idle();
                    let room = (pool.options().get_max_connections() as usize).min(2);
                    steady = if in_use >= room { steady + 1 } else { 0 };
                    steady >= 25
                }
            };
            if both || std::time::Instant::now() > deadline {
                break both;
            }
            tokio::time::sleep(std::time::Duration::from_millis(4)).await;
        };
        holder.execute_unprepared("COMMIT").await.expect("release");
        forced
    };
    let (ra, rb, forced) = tokio::join!(a, b, release);
    assert!(forced, "the two writers never both waited: {ra:?} / {rb:?}");
    (ra, rb)
}

/// An organization's drafter and its three reviewers, each holding one level, granted by
/// an admin the way `/admin/staff` grants them.
pub struct ReviewTeam {
    pub drafter: SessionUser,
    pub reviewers: [SessionUser; 3],
}

impl ReviewTeam {
    /// Accounts `{tag}-drafter@…` and `{tag}-l1/l2/l3@…` for organization `org`.
    pub async fn new(db: &DatabaseConnection, org: i32, tag: &str) -> ReviewTeam {
        let admin = account_of(db, &format!("{tag}-admin@wuhu.gov.cn"), Role::Admin, None).await;
        let drafter = account_of(
            db,
            &format!("{tag}-drafter@wuhu.gov.cn"),
            Role::Staff,
            Some(org),
        )
        .await;
        let unit = service::lookup::org_names(db, vec![org])
            .await
            .expect("names")
            .remove(&org)
            .expect("organization");
        let mut reviewers = Vec::new();
        for (n, level) in domain::review::ReviewLevel::ALL.iter().enumerate() {
            let login = format!("{tag}-l{}@wuhu.gov.cn", n + 1);
            let staff = account_of(db, &login, Role::Staff, Some(org)).await;
            service::review::grants::grant(
                db,
                Some(&admin),
                &domain::review::GrantForm {
                    login,
                    unit: unit.clone(),
                    level: level.as_str().to_owned(),
                },
            )
            .await
            .expect("grant");
            reviewers.push(staff);
        }
        ReviewTeam {
            drafter,
            reviewers: reviewers.try_into().expect("three reviewers"),
        }
    }

    /// Drafts and submits `draft` and has 初审 and 复审 approve it; returns the draft id,
    /// waiting for 终审.
    pub async fn to_final(&self, db: &DatabaseConnection, draft: &domain::review::Draft) -> String {
        use domain::review::{ReviewLevel, Stage};
        use service::review;
        let id = review::create(db, Some(&self.drafter), draft)
            .await
            .expect("create");
        review::submit(db, Some(&self.drafter), &id)
            .await
            .expect("submit");
        for (r, level) in self
            .reviewers
            .iter()
            .zip([ReviewLevel::First, ReviewLevel::Second])
        {
            review::decide(db, Some(r), &id, level, &approve())
                .await
                .expect("approve");
        }
        assert_eq!(
            review::view(db, Some(&self.drafter), &id)
                .await
                .expect("view")
                .summary
                .stage,
            Stage::Final
        );
        id
    }

    /// 终审 approves the draft `id` as [`ReviewTeam::to_final`] left it.
    pub async fn approve_final(
        &self,
        db: &DatabaseConnection,
        id: &str,
    ) -> Result<domain::review::Stage, service::ServiceError> {
        service::review::decide(
            db,
            Some(&self.reviewers[2]),
            id,
            domain::review::ReviewLevel::Final,
            &approve(),
        )
        .await
    }

    /// Drafts, submits and has the three levels approve `draft`; returns the document id.
    pub async fn publish(&self, db: &DatabaseConnection, draft: &domain::review::Draft) -> String {
        use domain::review::Stage;
        let id = self.to_final(db, draft).await;
        let stage = self.approve_final(db, &id).await.expect("终审");
        assert_eq!(stage, Stage::Published);
        service::review::view(db, Some(&self.drafter), &id)
            .await
            .expect("view")
            .document_id
            .expect("published document")
    }
}

/// An approval with the warnings checked.
pub fn approve() -> domain::review::Decision {
    domain::review::Decision::Approve {
        comment: None,
        acknowledged: true,
    }
}
