//! Forms posted the plain HTML way (no script): each server function sends the browser back
//! to its page, with the error or the one-time confirmation shown there.

use crate::helpers::{Visitor, spawn_app};

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

impl Visitor<'_> {
    /// Posts `form` to `endpoint` as a browser without script does: it accepts HTML and
    /// names the page it came from.
    async fn post_form(
        &self,
        endpoint: &str,
        from: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.http
            .post(self.app.url(&format!("/api/{endpoint}")))
            .header("origin", self.app.url(""))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", self.app.url(from))
            .form(form)
            .send()
            .await
            .expect("request")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_plain_form_goes_back_to_its_page_which_says_what_to_fix() {
    let app = spawn_app().await;
    let visitor = Visitor::new(&app);
    let res = visitor
        .post_form(
            "account/register",
            "/register?next=%2Fme",
            &[
                ("form[kind]", "citizen"),
                ("form[login]", "12345"),
                ("form[password]", "abc12345"),
                ("next", "/me"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let back = location(&res);
    assert!(back.contains("/register?next=%2Fme"), "{back}");
    assert!(back.contains("__err="), "{back}");
    let (status, html) = visitor.get(back.trim_start_matches(&app.url(""))).await;
    assert_eq!(status, 200);
    let alert = html
        .split("role=\"alert\"")
        .nth(1)
        .expect("an alert on the page");
    assert!(alert.contains("11 位手机号"), "{alert}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_plain_form_goes_where_the_server_sends_it() {
    let app = spawn_app().await;
    let visitor = Visitor::new(&app);
    let res = visitor
        .post_form(
            "account/register",
            "/register?next=%2Fme%2Fsubscriptions",
            &[
                ("form[kind]", "citizen"),
                ("form[login]", "13700000042"),
                ("form[password]", "abc12345"),
                ("next", "/me/subscriptions"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(location(&res), "/me/subscriptions");
    let (status, html) = visitor.get("/me/subscriptions").await;
    assert_eq!(status, 200);
    assert!(html.contains("新增订阅"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_shows_once_beside_its_form_and_its_page_is_never_kept() {
    let app = spawn_app().await;
    let admin = Visitor::new(&app);
    assert_eq!(admin.sign_in("admin@wuhu.gov.cn", "admin12345").await, 200);
    let res = admin
        .post_form(
            "account/add-staff",
            "/admin/staff",
            &[
                ("form[name]", "李科员"),
                ("form[organization]", "芜湖市人力资源和社会保障局"),
                ("form[login]", "13600000077"),
                ("form[password]", "staff12345"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 302);
    let back = location(&res);
    assert!(
        back.trim_end_matches('?').ends_with("/admin/staff"),
        "{back}"
    );
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(app::notice::COOKIE))
        .expect("the confirmation's cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Max-Age=60"),
        "{cookie}"
    );

    let (status, html) = admin.get("/admin/staff").await;
    assert_eq!(status, 200);
    let status_line = html
        .split("role=\"status\"")
        .nth(1)
        .expect("a status on the page");
    assert!(status_line.contains("已添加：李科员"), "{status_line}");
    // Shown once: the page cleared it.
    let (_, again) = admin.get("/admin/staff").await;
    assert!(!again.contains("已添加：李科员"));

    // A public page asked for with a confirmation pending is rendered for that visitor,
    // not kept nor served from what was kept.
    let anonymous = app.get("/login").await;
    assert_eq!(anonymous.status().as_u16(), 200);
    let with_notice = app
        .client
        .get(app.url("/login"))
        .header("cookie", format!("{}=00", app::notice::COOKIE))
        .send()
        .await
        .expect("request");
    assert_eq!(with_notice.status().as_u16(), 200);
    assert!(with_notice.headers().get("x-cache").is_none());
}
