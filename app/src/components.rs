//! Page frame and small shared components.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::account::SignOutButton;
use crate::error::AppError;
use crate::feed::LiveBadge;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // A print version is the document alone: no header, navigation or footer.
    let location = leptos_router::hooks::use_location();
    let bare = move || location.pathname.with(|p| p.ends_with("/print"));
    // The home and library pages have their own search box.
    let searches = move || {
        location
            .pathname
            .with(|p| matches!(p.as_str(), "/" | "/library" | "/library/abolished"))
    };
    let account = Account::new();
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2">"跳到主要内容"</a>
        <header class="border-b-4 border-red-800 bg-white print:hidden" class:hidden=bare>
            // One row at every width: on phones the sections fold into a menu that opens
            // without script; from the desktop breakpoint the menu's content shows inline.
            <div class="relative mx-auto flex max-w-6xl items-center gap-3 px-4 py-3">
                <A href="/" attr:class="mr-auto shrink-0 text-lg font-bold text-red-800">"芜湖市政策文件库"</A>
                <div class="shrink-0 text-sm lg:order-last"><AccountShortcut account /></div>
                <details class="site-menu lg:flex-1">
                    <summary class="flex cursor-pointer list-none items-center gap-1 rounded-md px-2 py-1 text-sm font-medium ring-1 ring-stone-300 lg:hidden">
                        <span aria-hidden="true">"☰"</span>"菜单"
                    </summary>
                    <div class="absolute inset-x-0 top-full z-20 space-y-3 border-b-4 border-red-800 bg-white px-4 py-3 shadow-lg lg:static lg:flex lg:items-center lg:justify-end lg:gap-4 lg:space-y-0 lg:border-0 lg:p-0 lg:shadow-none">
                        <Show when=move || !searches()>
                            <form action="/library" method="get" role="search" class="flex gap-2 lg:order-last">
                                <label for="site-search-q" class="sr-only">"搜索政策文件"</label>
                                <input id="site-search-q" name="q" type="search" maxlength="100" placeholder="搜索政策文件"
                                    class="min-w-0 flex-1 rounded-md border border-stone-400 bg-white px-2 py-1 text-base focus:outline-none focus:ring-2 focus:ring-red-800 lg:w-40 lg:text-sm" />
                                <button type="submit" class="rounded-md bg-red-800 px-3 py-1 text-sm text-white">"搜索"</button>
                            </form>
                        </Show>
                        <nav aria-label="主导航">
                            <ul class="grid grid-cols-2 gap-x-4 gap-y-2 text-sm lg:flex lg:flex-wrap lg:items-center lg:gap-4">
                                <li><A href="/library" attr:class="hover:underline">"政策文件"</A></li>
                                <li><A href="/library/abolished" attr:class="hover:underline">"废止失效文件"</A></li>
                                <li><A href="/units" attr:class="hover:underline">"部门和区县"</A></li>
                                <li><A href="/qa" attr:class="hover:underline">"政策问答"</A></li>
                                <li><A href="/consultations" attr:class="hover:underline">"政策咨询"</A></li>
                                <AccountLinks account />
                            </ul>
                        </nav>
                    </div>
                </details>
            </div>
        </header>
        <main id="main" class="mx-auto min-h-[60vh] max-w-6xl px-4 py-6 print:max-w-none print:p-0">{children()}</main>
        <footer class="mt-10 border-t border-stone-200 bg-white print:hidden" class:hidden=bare>
            <div class="mx-auto max-w-6xl px-4 py-6 text-sm text-stone-700">
                <p>"芜湖市人民政府办公室 主办 · 政务服务便民热线 12345"</p>
            </div>
        </footer>
    }
}

/// Who is signed in, shared by the header's shortcut and its menu.
#[derive(Clone, Copy)]
struct Account {
    me: Resource<Result<Option<crate::account::MeSummary>, AppError>>,
}

impl Account {
    fn new() -> Self {
        Account {
            me: Resource::new(|| (), |()| crate::account::me()),
        }
    }
}

/// Always in the header row: the personal center with its unread badge, or 登录.
#[component]
fn AccountShortcut(account: Account) -> impl IntoView {
    let Account { me } = account;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(m)) => {
                        view! {
                            <A href="/me" attr:class="inline-flex items-center gap-1 font-medium hover:underline">
                                "个人中心"
                                <LiveBadge unread=m.unread after=m.last_item />
                            </A>
                        }
                        .into_any()
                    }
                    _ => view! { <A href="/login" attr:class="font-medium hover:underline">"登录"</A> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The menu's links for who is signed in: their desks and 退出, or 注册.
#[component]
fn AccountLinks(account: Account) -> impl IntoView {
    let Account { me } = account;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(m)) => {
                        let staff = m.user.role == domain::account::Role::Staff;
                        let admin = m.user.role == domain::account::Role::Admin;
                        let to_review = m.to_review;
                        view! {
                            {staff.then(|| view! {
                                <li><A href="/staff/drafts" attr:class="hover:underline">"起草文件"</A></li>
                                <li>
                                    <A href="/staff/review" attr:class="inline-flex items-center gap-1 hover:underline">
                                        "待审文件"
                                        {(to_review > 0).then(|| view! {
                                            <span id="review-badge" class="min-w-5 rounded-full bg-red-800 px-1.5 text-center text-xs leading-5 text-white">
                                                {to_review}
                                                <span class="sr-only">"份待审"</span>
                                            </span>
                                        })}
                                    </A>
                                </li>
                            })}
                            {(staff || admin).then(|| view! {
                                <li><A href="/staff/inbox" attr:class="hover:underline">"待办咨询"</A></li>
                            })}
                            {admin.then(|| view! {
                                <li><A href="/admin/staff" attr:class="hover:underline">"人员与审核"</A></li>
                                <li><A href="/admin/consult" attr:class="hover:underline">"咨询设置"</A></li>
                                <li><A href="/admin/outbox" attr:class="hover:underline">"推送队列"</A></li>
                                <li><A href="/admin/lexicon" attr:class="hover:underline">"错敏词库"</A></li>
                                <li><A href="/admin/audit" attr:class="hover:underline">"审计日志"</A></li>
                            })}
                            <li><SignOutButton /></li>
                        }
                        .into_any()
                    }
                    _ => view! { <li><A href="/register" attr:class="hover:underline">"注册"</A></li> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What `resource` loads, shown by `show`, or what went wrong; while a new value loads the
/// previous one stays (no flash of "正在加载…" on a filter change).
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=Loading>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => show(value).into_any(),
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// The filter panel: folded behind "筛选" on phones, a sidebar on wide screens.
#[component]
pub fn FacetAside(children: Children) -> impl IntoView {
    view! {
        <aside aria-labelledby="facets-heading">
            <h2 id="facets-heading" class="sr-only">"筛选条件"</h2>
            <details class="facet-panel rounded-xl bg-white ring-1 ring-stone-200">
                <summary class="cursor-pointer list-none px-4 py-3 font-medium lg:hidden">"筛选"</summary>
                <div class="space-y-4 px-4 pb-4 lg:pt-4">{children()}</div>
            </details>
        </aside>
    }
}

/// One filter's values with their counts, each a link that sets it (or clears it when it
/// is the one chosen); `href` gives the link for a value, or for none.
#[component]
pub fn FacetSection(
    param: &'static str,
    label: &'static str,
    values: Vec<domain::library::FacetCount>,
    selected: Option<String>,
    href: impl Fn(Option<&str>) -> String,
) -> impl IntoView {
    let id = format!("facet-{param}");
    let heading = id.clone();
    view! {
        <section aria-labelledby=id data-facet=param>
            <h3 id=heading class="text-sm font-bold text-stone-800">{label}</h3>
            {values.is_empty().then(|| view! { <p class="text-sm text-stone-600">"无"</p> })}
            <ul class="mt-1 max-h-60 space-y-0.5 overflow-y-auto text-sm">
                {values
                    .into_iter()
                    .map(|v| {
                        let on = selected.as_deref() == Some(v.value.as_str());
                        let link = href((!on).then_some(v.value.as_str()));
                        view! {
                            <li>
                                <A
                                    href=link
                                    attr:aria-current=on.then_some("true")
                                    attr:class=if on { "flex justify-between gap-2 rounded px-2 py-1 bg-red-800 text-white" } else { "flex justify-between gap-2 rounded px-2 py-1 hover:bg-stone-100" }
                                >
                                    <span>{v.value}</span>
                                    <span class=if on { "" } else { "text-stone-600" }>{v.count}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The chosen filters as chips; each is `(text, link without it)`.
#[component]
pub fn ActiveFilters(chips: Vec<(String, String)>) -> impl IntoView {
    (!chips.is_empty()).then(|| {
        view! {
            <ul aria-label="已选条件" class="mt-2 flex flex-wrap gap-2">
                {chips
                    .into_iter()
                    .map(|(text, href)| view! {
                        <li>
                            <A href=href attr:class="inline-flex items-center gap-1 rounded-full bg-red-50 px-3 py-1 text-sm text-red-900 ring-1 ring-red-200">
                                {text}
                                <span aria-hidden="true">"×"</span>
                                <span class="sr-only">"（取消）"</span>
                            </A>
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// The look of every form field.
pub fn field_class() -> &'static str {
    "mt-1 block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base focus:outline-2 focus:outline-red-800"
}

/// Previous / next links around "第 2 / 9 页"; `href` gives a page's link.
#[component]
pub fn Pager(page: u32, pages: u32, href: impl Fn(u32) -> String) -> impl IntoView {
    (pages > 1).then(|| {
        let link = |target: u32, label: &'static str| {
            view! {
                <A href=href(target) attr:class="rounded px-3 py-1 ring-1 ring-stone-300 hover:bg-stone-100">{label}</A>
            }
        };
        view! {
            <nav aria-label="分页" class="mt-4 flex items-center justify-center gap-2 text-sm">
                {(page > 1).then(|| link(page - 1, "上一页"))}
                <span aria-current="page" class="px-2">{format!("第 {page} / {pages} 页")}</span>
                {(page < pages).then(|| link(page + 1, "下一页"))}
            </nav>
        }
    })
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="mt-6 text-stone-700" role="status">"正在加载…"</p> }
}

#[component]
pub fn ValidityBadge(validity: String) -> impl IntoView {
    let class = match validity.as_str() {
        "现行有效" => "rounded bg-green-50 px-1.5 text-green-900 ring-1 ring-green-700",
        "已修改" => "rounded bg-amber-50 px-1.5 text-amber-950 ring-1 ring-amber-600",
        _ => "rounded bg-red-50 px-1.5 text-red-900 ring-1 ring-red-700",
    };
    view! { <span class=class>{validity}</span> }
}

/// Shows an error in words a visitor can act on.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let (title, detail) = match &error {
        AppError::NotFound(msg) => ("页面不存在", msg.clone()),
        AppError::Gone(notice) => ("文件已撤回", notice.clone()),
        AppError::BadRequest { message, .. } => ("请求有误", message.clone()),
        other => ("出错了", other.to_string()),
    };
    view! {
        <Title text=title />
        <section role="alert" class="mt-6 rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h1 class="text-xl font-bold">{title}</h1>
            <p class="mt-2 text-stone-800">{detail}</p>
            <p class="mt-4">
                <A href="/library" attr:class="text-red-800 underline">"返回政策文件库"</A>
            </p>
        </section>
    }
}

/// The page for unknown paths, with a real 404 status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! { <ErrorNotice error=AppError::NotFound("您访问的页面不存在，可能链接有误或已被移除。".to_owned()) /> }
}
