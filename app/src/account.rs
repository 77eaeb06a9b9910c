//! Accounts: registration, sign-in and sign-out, and who is calling. Every server function
//! that needs a caller asks [`caller`] and checks the role itself.

use domain::account::{RegisterForm, SessionUser};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::field_class;
use crate::error::AppError;

/// The session cookie: HttpOnly, SameSite=Lax, its token's hash stored server-side.
pub const SESSION_COOKIE: &str = "zc_session";
/// Its name over HTTPS: the `__Host-` prefix makes the browser refuse it unless `Secure`,
/// for path `/` and this host only, so no sibling site can plant a session.
pub const SECURE_SESSION_COOKIE: &str = "__Host-zc_session";

/// The session cookie's name with or without HTTPS.
pub fn session_cookie(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// Where to go after signing in: only a path on this site (no open redirects), with
/// non-ASCII characters percent-encoded so it can travel in a `Location` header.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if !ok {
        return "/me".to_owned();
    }
    let mut out = String::with_capacity(next.len());
    for c in next.chars() {
        if c.is_ascii() && !c.is_ascii_control() && c != ' ' {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site_and_is_header_safe() {
        assert_eq!(safe_next("https://evil.example/"), "/me");
        assert_eq!(safe_next("//evil.example/"), "/me");
        assert_eq!(
            safe_next("/library?topic=就业"),
            "/library?topic=%E5%B0%B1%E4%B8%9A"
        );
    }
}

#[cfg(feature = "ssr")]
pub mod server {
    //! Reading the session from a request, for server functions and plain routes alike.

    use domain::account::SessionUser;
    use http::HeaderMap;

    use super::session_cookie;
    use crate::error::AppError;
    use crate::state::AppState;

    /// The session token from the `Cookie` header, if any (under the cookie name the
    /// portal uses with or without HTTPS).
    pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<String> {
        cookie_value(headers, session_cookie(secure))
    }

    /// The value of the cookie `name` in the `Cookie` header, if any.
    pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.to_owned())
    }

    /// The signed-in account behind these headers.
    pub async fn user_from_headers(
        state: &AppState,
        headers: &HeaderMap,
    ) -> Result<Option<SessionUser>, AppError> {
        match session_token(headers, state.secure_cookies) {
            Some(token) => {
                Ok(service::account::session_user(&state.db, &token, state.session_idle).await?)
            }
            None => Ok(None),
        }
    }

    /// `Set-Cookie` value opening (or, with `None`, ending) a session.
    pub fn cookie(token: Option<&str>, secure: bool) -> String {
        let name = session_cookie(secure);
        let secure = if secure { "; Secure" } else { "" };
        match token {
            Some(t) => format!(
                "{name}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                service::account::SESSION_DAYS * 24 * 3600
            ),
            None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
        }
    }

    /// After a sign-out: the browser drops this site's cookies, and this process's live
    /// streams of the ended session close now (other processes' within seconds).
    pub fn signed_out(state: &AppState) {
        set_header(
            http::header::SET_COOKIE,
            &cookie(None, state.secure_cookies),
        );
        set_header(
            http::HeaderName::from_static("clear-site-data"),
            "\"cookies\"",
        );
        state.hub.session_ended();
    }

    /// Sets a response header on the current server-function response.
    pub fn set_header(name: http::HeaderName, value: &str) {
        if let (Some(res), Ok(v)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(value),
        ) {
            res.append_header(name, v);
        }
    }

    /// The client's address: the connection's peer, or behind a trusted proxy the
    /// nearest address it names.
    pub async fn client_ip(state: &AppState) -> Option<std::net::IpAddr> {
        let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .await
            .ok()?;
        let headers: http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
        let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        Some(state.trusted_proxies.client(peer.0.ip(), forwarded))
    }

    /// The client's address as a per-address limit counts it (an IPv6 client by its /64).
    pub async fn client_key(state: &AppState) -> String {
        client_ip(state)
            .await
            .map_or_else(|| "unknown".to_owned(), domain::net::client_key)
    }
}

/// The caller of the current server function, if signed in.
#[cfg(feature = "ssr")]
pub async fn caller() -> Result<Option<SessionUser>, AppError> {
    let state = crate::state::AppState::current()?;
    // Held by `state`, the render's owners stay while the context is looked up.
    match use_context::<CallerOnce>() {
        Some(once) => once
            .0
            .get_or_try_init(|| look_up_caller(&state))
            .await
            .cloned(),
        None => look_up_caller(&state).await,
    }
}

#[cfg(feature = "ssr")]
async fn look_up_caller(state: &crate::state::AppState) -> Result<Option<SessionUser>, AppError> {
    let headers: http::HeaderMap = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let mut user = server::user_from_headers(state, &headers).await?;
    // What the caller does may be audited: with where they are.
    if let Some(u) = user.as_mut() {
        u.address = server::client_ip(state).await.map(|ip| ip.to_string());
    }
    Ok(user)
}

/// The caller of one request, looked up once: a page's header, its parts and the server
/// functions they call all ask, and each asking read the session again.
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct CallerOnce(std::sync::Arc<tokio::sync::OnceCell<Option<SessionUser>>>);

/// The server's state and the caller: what nearly every server function starts from.
#[cfg(feature = "ssr")]
pub async fn context() -> Result<(crate::state::Current, Option<SessionUser>), AppError> {
    Ok((crate::state::AppState::current()?, caller().await?))
}

/// Who is signed in (for the header), with their unread feed count.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MeSummary {
    pub user: SessionUser,
    pub unread: u64,
    /// Newest feed item id, so a live stream starts after it.
    pub last_item: i64,
    /// Drafts waiting for the caller's review levels.
    pub to_review: u64,
}

#[server(endpoint = "account/me")]
pub async fn me() -> Result<Option<MeSummary>, AppError> {
    let state = crate::state::AppState::current()?;
    let Some(user) = caller().await? else {
        return Ok(None);
    };
    let (unread, last_item) = service::feed::badge(&state.db, user.id).await?;
    let to_review = service::review::queue_count(&state.db, Some(&user)).await?;
    Ok(Some(MeSummary {
        user,
        unread,
        last_item,
        to_review,
    }))
}

#[server(endpoint = "account/sign-in")]
pub async fn sign_in(login: String, password: String, next: String) -> Result<(), AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let client = server::client_key(&state).await;
    service::limits::check(&state.db, service::limits::SIGN_IN_PER_CLIENT, &client)
        .await
        .map_err(respond)?;
    // However the login is written (+86, dashes, full-width digits), it is one login.
    let key = domain::account::login_key(&login);
    service::limits::check(&state.db, service::limits::SIGN_IN_PER_LOGIN, &key)
        .await
        .map_err(respond)?;
    let user_agent: Option<String> = leptos_axum::extract::<http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| {
            h.get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
    let session = service::account::sign_in(&state.db, &login, &password, user_agent.as_deref())
        .await
        .map_err(respond)?;
    // A new session each sign-in; one the browser brought along (perhaps planted) ends.
    let headers: http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    if let Some(old) = server::session_token(&headers, state.secure_cookies) {
        service::account::sign_out(&state.db, &old)
            .await
            .map_err(respond)?;
        state.hub.session_ended();
    }
    server::set_header(
        http::header::SET_COOKIE,
        &server::cookie(Some(&session.token), state.secure_cookies),
    );
    leptos_axum::redirect(&safe_next(&next));
    Ok(())
}

#[server(endpoint = "account/register")]
pub async fn register(form: RegisterForm, next: String) -> Result<(), AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let client = server::client_key(&state).await;
    service::limits::check(&state.db, service::limits::REGISTER_PER_CLIENT, &client)
        .await
        .map_err(respond)?;
    let reg = domain::account::Registration::parse(&form).map_err(respond)?;
    let user = service::account::register(&state.db, &reg)
        .await
        .map_err(respond)?;
    let token = service::account::open_session(&state.db, user.id, None)
        .await
        .map_err(respond)?;
    server::set_header(
        http::header::SET_COOKIE,
        &server::cookie(Some(&token), state.secure_cookies),
    );
    leptos_axum::redirect(&safe_next(&next));
    Ok(())
}

#[server(endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = crate::state::AppState::current()?;
    let headers: http::HeaderMap = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    if let Some(token) = server::session_token(&headers, state.secure_cookies) {
        service::account::sign_out(&state.db, &token).await?;
    }
    server::signed_out(&state);
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "account/add-staff")]
pub async fn add_staff(form: domain::account::StaffForm) -> Result<String, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let caller = caller().await?;
    let staff = service::account::add_staff(&state.db, caller.as_ref(), &form)
        .await
        .map_err(respond)?;
    crate::notice::set(
        "account/add-staff",
        &format!("已添加：{}", staff.display_name),
    );
    Ok(staff.display_name)
}

#[server(endpoint = "account/details")]
pub async fn account_details() -> Result<domain::account::AccountDetails, AppError> {
    let state = crate::state::AppState::current()?;
    let Some(user) = caller().await? else {
        leptos_axum::redirect("/login?next=%2Fme%2Faccount");
        return Err(AppError::Unauthorized);
    };
    Ok(service::account::details(&state.db, &user).await?)
}

/// Signs the caller out on every device.
#[server(endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = caller()
        .await?
        .ok_or_else(|| respond(AppError::Unauthorized))?;
    service::account::sign_out_everywhere(&state.db, user.id).await?;
    server::signed_out(&state);
    leptos_axum::redirect("/");
    Ok(())
}

/// The look of a form's error.
pub const ERROR_CLASS: &str = "mt-3 rounded bg-red-50 p-3 text-red-900 ring-1 ring-red-700";

/// A form's error slot: the error its last submission got, if any. (A form sent in the
/// background writes its error here too, see [`crate::forms`].)
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div data-form-error="">
            {move || error.get().map(|e| view! { <p role="alert" class=ERROR_CLASS>{e.to_string()}</p> })}
        </div>
    }
}

fn next_param() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| safe_next(&query.with(|q| q.get("next").unwrap_or_default())))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let next = next_param();
    view! {
        <Title text="登录" />
        <Meta name="description" content="登录芜湖市政策文件库，订阅关心的政策，新政策发布即推送到个人中心。" />
        <section class="mx-auto max-w-md rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h1 class="text-2xl font-bold">"登录"</h1>
            <p class="mt-1 text-stone-700">"登录后可订阅政策，新政策发布时会出现在您的个人中心。"</p>
            <ActionForm action attr:class="mt-4 space-y-4">
                <input type="hidden" name="next" value=move || next.get() />
                <div>
                    <label for="login" class="font-medium">"手机号或电子邮箱"</label>
                    <input id="login" name="login" required autocomplete="username" inputmode="email" class=field_class() />
                </div>
                <div>
                    <label for="password" class="font-medium">"密码"</label>
                    <input id="password" name="password" type="password" required autocomplete="current-password" class=field_class() />
                </div>
                <FormError error />
                <button type="submit" class="w-full rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"登录"</button>
            </ActionForm>
            <p class="mt-4 text-sm">
                "还没有账号？"
                <A href=move || format!("/register?next={}", domain::text::url_encode(&next.get())) attr:class="text-red-800 underline">"注册"</A>
            </p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let next = next_param();
    view! {
        <Title text="注册" />
        <Meta name="description" content="注册芜湖市政策文件库账号：订阅政策主题和服务对象，在线咨询政策问题。" />
        <section class="mx-auto max-w-md rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h1 class="text-2xl font-bold">"注册账号"</h1>
            <ActionForm action attr:class="mt-4 space-y-4">
                <input type="hidden" name="next" value=move || next.get() />
                <fieldset>
                    <legend class="font-medium">"注册类型"</legend>
                    <div class="mt-1 flex gap-6">
                        <label class="flex items-center gap-2"><input type="radio" name="form[kind]" value="citizen" checked />"个人"</label>
                        <label class="flex items-center gap-2"><input type="radio" name="form[kind]" value="enterprise" />"企业"</label>
                    </div>
                </fieldset>
                <div>
                    <label for="reg-login" class="font-medium">"手机号或电子邮箱"</label>
                    <input id="reg-login" name="form[login]" required autocomplete="username" class=field_class() />
                </div>
                <div>
                    <label for="reg-password" class="font-medium">"密码"</label>
                    <input id="reg-password" name="form[password]" type="password" required minlength="8" autocomplete="new-password" aria-describedby="password-hint" class=field_class() />
                    <p id="password-hint" class="mt-1 text-sm text-stone-700">"至少 8 位，包含字母和数字。"</p>
                </div>
                <div>
                    <label for="reg-name" class="font-medium">"称呼（选填）"</label>
                    <input id="reg-name" name="form[name]" maxlength="30" autocomplete="nickname" class=field_class() />
                </div>
                <fieldset class="rounded border border-stone-300 p-3">
                    <legend class="px-1 font-medium">"企业注册时填写"</legend>
                    <label for="reg-ename" class="block">"企业名称"</label>
                    <input id="reg-ename" name="form[enterprise_name]" maxlength="100" autocomplete="organization" class=field_class() />
                    <label for="reg-code" class="mt-3 block">"统一社会信用代码"</label>
                    <input id="reg-code" name="form[credit_code]" maxlength="18" autocapitalize="characters" class=field_class() />
                </fieldset>
                <FormError error />
                <button type="submit" class="w-full rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"注册并登录"</button>
            </ActionForm>
            <p class="mt-4 text-sm">
                "已有账号？"
                <A href=move || format!("/login?next={}", domain::text::url_encode(&next.get())) attr:class="text-red-800 underline">"登录"</A>
            </p>
        </section>
    }
}

/// The sign-out button.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action>
            <button type="submit" class="hover:underline">"退出"</button>
        </ActionForm>
    }
}

/// Admins add staff accounts for the city's organizations.
#[component]
pub fn StaffPage() -> impl IntoView {
    let action = ServerAction::<AddStaff>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text="添加部门工作人员" />
        <section class="mx-auto max-w-md rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h1 class="text-2xl font-bold">"添加部门工作人员"</h1>
            <p class="mt-1 text-stone-700">"工作人员可起草本单位文件、办理本单位的政策咨询；审核级别在下方授予。仅管理员可添加。"</p>
            <ActionForm action attr:class="mt-4 space-y-4">
                <div>
                    <label for="staff-name" class="font-medium">"姓名"</label>
                    <input id="staff-name" name="form[name]" required maxlength="30" class=field_class() />
                </div>
                <div>
                    <label for="staff-org" class="font-medium">"所属单位"</label>
                    <input id="staff-org" name="form[organization]" required placeholder="芜湖市人力资源和社会保障局" class=field_class() />
                </div>
                <div>
                    <label for="staff-login" class="font-medium">"手机号或电子邮箱"</label>
                    <input id="staff-login" name="form[login]" required autocomplete="off" class=field_class() />
                </div>
                <div>
                    <label for="staff-password" class="font-medium">"初始密码"</label>
                    <input id="staff-password" name="form[password]" type="password" required minlength="8" autocomplete="new-password" class=field_class() />
                </div>
                <FormError error />
                <crate::notice::Notice key="account/add-staff" />
                <button type="submit" class="w-full rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"添加"</button>
            </ActionForm>
        </section>
        <crate::review::GrantsPanel />
    }
}

/// 我的账号: who the portal knows the visitor as, and their signed-in devices.
#[component]
pub fn AccountPage() -> impl IntoView {
    let details = Resource::new(|| (), |()| account_details());
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    view! {
        <Title text="我的账号" />
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-2xl font-bold">"个人中心"</h1>
            <crate::feed::CenterNav current="account" />
        </div>
        <Transition fallback=crate::components::Loading>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(d) => {
                        let rows: Vec<(&str, String)> = [
                            Some(("称呼", d.display_name.clone())),
                            Some(("账号类型", d.role.as_str().to_owned())),
                            Some(("登录账号", d.login.clone())),
                            d.enterprise_name.clone().map(|v| ("企业名称", v)),
                            d.credit_code.clone().map(|v| ("统一社会信用代码", v)),
                            d.organization.clone().map(|v| ("所属单位", v)),
                            Some(("注册日期", d.since.clone())),
                            Some(("已登录设备", format!("{} 台", d.sessions))),
                        ]
                        .into_iter()
                        .flatten()
                        .collect();
                        view! {
                            <section class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
                                <h2 class="text-lg font-medium">"我的账号"</h2>
                                <dl class="mt-2 grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2">
                                    {rows.into_iter().map(|(k, v)| view! {
                                        <dt class="text-stone-700">{k}</dt>
                                        <dd>{v}</dd>
                                    }).collect_view()}
                                </dl>
                                <ActionForm action=everywhere attr:class="mt-4">
                                    <button type="submit" class="rounded bg-white px-3 py-1.5 text-sm font-medium text-red-900 ring-1 ring-red-800 hover:bg-red-50">
                                        "退出所有设备"
                                    </button>
                                </ActionForm>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <crate::components::ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
