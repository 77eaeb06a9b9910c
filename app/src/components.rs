//! Page frame and small shared components.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::account::SignOutButton;
use crate::error::AppError;
use crate::feed::LiveBadge;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Pages render on the server only (islands), so where the visitor is never changes
    // under a rendered page: read once, not tracked.
    let here = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    // A print version is the document alone: no header, navigation or footer.
    let bare = here.ends_with("/print");
    let me = Resource::new(|| (), |()| crate::account::me());
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2">"跳到主要内容"</a>
        <header class="border-b-4 border-red-800 bg-white print:hidden" class:hidden=bare>
            // One wait for who is signed in, for the shortcut and the menu alike.
            <Transition fallback=|| ()>
                {move || {
                    let here = here.clone();
                    Suspend::new(async move { header_row(&here, me.await.ok().flatten()) })
                }}
            </Transition>
        </header>
        <main id="main" class="mx-auto min-h-[60vh] max-w-6xl px-4 py-6 print:max-w-none print:p-0">{children()}</main>
        <footer class="mt-10 border-t border-stone-200 bg-white print:hidden" class:hidden=bare>
            <div class="mx-auto max-w-6xl px-4 py-6 text-sm text-stone-700">
                <p>"芜湖市人民政府办公室 主办 · 政务服务便民热线 12345"</p>
            </div>
        </footer>
    }
}

/// The header's one row at every width: on phones the sections fold into a menu that opens
/// without script; from the desktop breakpoint the menu's content shows inline.
fn header_row(here: &str, me: Option<crate::account::MeSummary>) -> impl IntoView + use<> {
    // The home and library pages have their own search box.
    let searches = matches!(here, "/" | "/library" | "/library/abolished");
    let link = |href: &'static str, label: &'static str| nav_link(here, href, label);
    let shortcut = match &me {
        Some(m) => view! {
            <a href="/me" class="inline-flex items-center gap-1 font-medium hover:underline">
                "个人中心"
                <LiveBadge unread=m.unread after=m.last_item />
            </a>
        }
        .into_any(),
        None => {
            view! { <a href="/login" class="font-medium hover:underline">"登录"</a> }.into_any()
        }
    };
    let sections = (
        link("/library", "政策文件"),
        link("/library/abolished", "废止失效文件"),
        link("/units", "部门和区县"),
        link("/qa", "政策问答"),
        link("/consultations", "政策咨询"),
    );
    let desks = match &me {
        Some(m) => {
            let staff = m.user.role == domain::account::Role::Staff;
            let admin = m.user.role == domain::account::Role::Admin;
            let to_review = m.to_review;
            view! {
                {staff.then(|| view! {
                    {link("/staff/drafts", "起草文件")}
                    <li>
                        <a href="/staff/review" class="inline-flex items-center gap-1 hover:underline"
                            aria-current=is_here(here, "/staff/review").then_some("page")>
                            "待审文件"
                            {(to_review > 0).then(|| view! {
                                <span id="review-badge" class="min-w-5 rounded-full bg-red-800 px-1.5 text-center text-xs leading-5 text-white">
                                    {to_review}
                                    <span class="sr-only">"份待审"</span>
                                </span>
                            })}
                        </a>
                    </li>
                })}
                {(staff || admin).then(|| link("/staff/inbox", "待办咨询"))}
                {admin.then(|| view! {
                    {link("/admin/staff", "人员与审核")}
                    {link("/admin/consult", "咨询设置")}
                    {link("/admin/outbox", "推送队列")}
                    {link("/admin/lexicon", "错敏词库")}
                    {link("/admin/audit", "审计日志")}
                })}
                <li><SignOutButton /></li>
            }
            .into_any()
        }
        None => link("/register", "注册").into_any(),
    };
    view! {
        <div class="relative mx-auto flex max-w-6xl items-center gap-3 px-4 py-3">
            <a href="/" class="mr-auto shrink-0 text-lg font-bold text-red-800">"芜湖市政策文件库"</a>
            <div class="shrink-0 text-sm lg:order-last">{shortcut}</div>
            <details class="site-menu lg:flex-1">
                <summary class="flex cursor-pointer list-none items-center gap-1 rounded-md px-2 py-1 text-sm font-medium ring-1 ring-stone-300 lg:hidden">
                    <span aria-hidden="true">"☰"</span>"菜单"
                </summary>
                <div class="absolute inset-x-0 top-full z-20 space-y-3 border-b-4 border-red-800 bg-white px-4 py-3 shadow-lg lg:static lg:flex lg:items-center lg:justify-end lg:gap-4 lg:space-y-0 lg:border-0 lg:p-0 lg:shadow-none">
                    {(!searches).then(|| view! {
                        <form action="/library" method="get" role="search" class="flex gap-2 lg:order-last">
                            <label for="site-search-q" class="sr-only">"搜索政策文件"</label>
                            <input id="site-search-q" name="q" type="search" maxlength="100" placeholder="搜索政策文件"
                                class="min-w-0 flex-1 rounded-md border border-stone-400 bg-white px-2 py-1 text-base focus:outline-none focus:ring-2 focus:ring-red-800 lg:w-40 lg:text-sm" />
                            <button type="submit" class="rounded-md bg-red-800 px-3 py-1 text-sm text-white">"搜索"</button>
                        </form>
                    })}
                    <nav aria-label="主导航">
                        <ul class="grid grid-cols-2 gap-x-4 gap-y-2 text-sm lg:flex lg:flex-wrap lg:items-center lg:gap-4">
                            {sections}
                            {desks}
                        </ul>
                    </nav>
                </div>
            </details>
        </div>
    }
}

/// Whether the visitor is on the page `href` names or below it.
fn is_here(here: &str, href: &str) -> bool {
    here.strip_prefix(href)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A menu link, marked as the current page where the visitor is on it or below it.
fn nav_link(here: &str, href: &'static str, label: &'static str) -> impl IntoView + use<> {
    let current = is_here(here, href);
    view! {
        <li><a href=href class="hover:underline" aria-current=current.then_some("page")>{label}</a></li>
    }
}

/// What `resource` loads, shown by `show`, or what went wrong; while a new value loads the
/// previous one stays (no flash of "正在加载…" on a filter change).
///
/// A resource, not a bare future in a `Suspend`: the renderer polls every wait of a page
/// once before it renders them in order, so a later wait (a database read) was left
/// holding its pooled connection until the earlier ones finished, and under a crowd the
/// earlier ones waited for the connections such left waits held: the pool locked up
/// (tried for the header and the document page). A resource's load runs as a task of its
/// own, to its end.
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
