//! Who may open a page, decided before any rendering: a signed-out visitor asking for a
//! personal, staff or admin page gets `303 See Other` to the sign-in page (and back
//! afterwards), so a browser without JavaScript, a crawler or a phone before hydration
//! lands on the right page; a signed-in visitor without the role gets the page with
//! status 403 and the page's own explanation.

use app::account::server::user_from_headers;
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::account::{Role, SessionUser};

/// The role a page needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    SignedIn,
    Publisher,
    /// Staff of a unit: drafting and reviewing are theirs (admins read drafts, no more).
    Staff,
    Admin,
}

fn needs(path: &str) -> Option<Needs> {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/admin") {
        Some(Needs::Admin)
    } else if matches!(
        path,
        "/staff/drafts" | "/staff/drafts/new" | "/staff/review"
    ) {
        Some(Needs::Staff)
    } else if under("/staff") {
        Some(Needs::Publisher)
    } else if under("/me") || under("/consult/new") {
        Some(Needs::SignedIn)
    } else {
        None
    }
}

fn allowed(user: &SessionUser, needs: Needs) -> bool {
    match needs {
        Needs::SignedIn => true,
        Needs::Publisher => user.role.may_publish(),
        Needs::Staff => user.role == Role::Staff,
        Needs::Admin => user.role == Role::Admin,
    }
}

pub async fn protected_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let page = matches!(*req.method(), Method::GET | Method::HEAD);
    let Some(needs) = needs(req.uri().path()).filter(|_| page) else {
        return next.run(req).await;
    };
    let user = match user_from_headers(&state, req.headers()).await {
        Ok(user) => user,
        Err(e) => return crate::api::error(e),
    };
    match user {
        None => {
            let back = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            let to = format!("/login?next={}", domain::text::url_encode(&back));
            let mut res = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        Some(user) if allowed(&user, needs) => next.run(req).await,
        Some(_) => forbidden(needs, &app::stylesheet_href(&state.leptos_options)),
    }
}

/// The 403 page: plain HTML in the portal's style, needing no script.
fn forbidden(needs: Needs, stylesheet: &str) -> Response {
    let who = match needs {
        Needs::Admin => "管理员",
        Needs::Staff => "部门工作人员",
        Needs::Publisher | Needs::SignedIn => "部门工作人员或管理员",
    };
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>无权访问 - 芜湖市政策文件库</title><link rel="stylesheet" href="{stylesheet}"></head>
<body class="bg-stone-50 text-stone-900 antialiased">
<header class="bg-red-800 text-white"><div class="mx-auto max-w-5xl px-4 py-3"><a href="/" class="font-bold">芜湖市政策文件库</a></div></header>
<main class="mx-auto max-w-5xl px-4 py-8"><h1 class="text-2xl font-bold">无权访问</h1>
<p class="mt-2">此页面仅限{who}使用。如需办理，请联系本单位管理员开通权限。</p>
<p class="mt-4"><a href="/" class="text-red-800 underline">返回首页</a> · <a href="/me" class="text-red-800 underline">个人中心</a></p></main>
</body></html>"#
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_guarded_by_their_path_and_nothing_else_is() {
        assert_eq!(needs("/me"), Some(Needs::SignedIn));
        assert_eq!(needs("/me/subscriptions"), Some(Needs::SignedIn));
        assert_eq!(needs("/consult/new"), Some(Needs::SignedIn));
        assert_eq!(needs("/staff/qa/x/edit"), Some(Needs::Publisher));
        assert_eq!(needs("/staff/drafts/df-1"), Some(Needs::Publisher));
        assert_eq!(needs("/staff/drafts/new"), Some(Needs::Staff));
        assert_eq!(needs("/staff/review"), Some(Needs::Staff));
        assert_eq!(needs("/admin/outbox"), Some(Needs::Admin));
        for open in [
            "/",
            "/media",
            "/consultations",
            "/consultations/1",
            "/library",
            "/qa/1",
            "/api/v1/feed",
        ] {
            assert_eq!(needs(open), None, "{open}");
        }
    }
}
