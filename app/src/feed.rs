//! The personal center (个人中心): the feed of policies that found the visitor, live, and
//! the subscriptions that bring them.

use domain::feed::{
    FeedItemView, FeedKind, FeedPage, MAX_DELIVERY_ATTEMPTS, OutboxOverview, SubscriptionView,
};
use domain::library::Facet;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::account::FormError;
use crate::components::{ErrorNotice, Loading};
use crate::error::AppError;

/// Signed-out callers of a personal-center function are sent to sign in, then back.
#[cfg(feature = "ssr")]
pub(crate) async fn signed_in(back_to: &str) -> Result<domain::account::SessionUser, AppError> {
    match crate::account::caller().await? {
        Some(user) => Ok(user),
        None => {
            // The redirect's 302 is the answer; the error only stops the page.
            leptos_axum::redirect(&format!(
                "/login?next={}",
                domain::text::url_encode(back_to)
            ));
            Err(AppError::Unauthorized)
        }
    }
}

#[server(endpoint = "feed/page")]
pub async fn get_feed(before: Option<i64>) -> Result<FeedPage, AppError> {
    let state = crate::state::AppState::current()?;
    let user = signed_in("/me").await?;
    Ok(service::feed::page(&state.db, &user, before).await?)
}

/// Marks one item, or all items when `id` is absent, as read.
#[server(endpoint = "feed/read")]
pub async fn mark_read(id: Option<i64>) -> Result<u64, AppError> {
    let state = crate::state::AppState::current()?;
    let user = crate::account::caller()
        .await?
        .ok_or_else(|| crate::error::respond(AppError::Unauthorized))?;
    Ok(service::feed::mark_read(&state.db, &user, id).await?)
}

#[server(endpoint = "feed/subscriptions")]
pub async fn my_subscriptions()
-> Result<(Vec<SubscriptionView>, Vec<(Facet, Vec<String>)>), AppError> {
    let state = crate::state::AppState::current()?;
    let user = signed_in("/me/subscriptions").await?;
    let mine = service::feed::subscriptions(&state.db, &user).await?;
    let choices = service::feed::choices(&state.db, &state.index).await?;
    Ok((mine, choices))
}

/// "订阅此搜索": subscribes to a library view given as its query string.
#[server(endpoint = "feed/subscribe")]
pub async fn subscribe(query: String) -> Result<SubscriptionView, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = crate::account::caller()
        .await?
        .ok_or_else(|| respond(AppError::Unauthorized))?;
    let q = domain::library::LibraryQuery::parse_query_string(&query).map_err(respond)?;
    let spec = domain::feed::SubscriptionSpec::from_query(&q).map_err(respond)?;
    service::feed::subscribe(&state.db, &user, &spec)
        .await
        .map_err(respond)
}

/// The personal center's own form: topic, service object and keyword.
#[server(endpoint = "feed/add")]
pub async fn add_subscription(
    topic: String,
    audience: String,
    q: String,
) -> Result<SubscriptionView, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = crate::account::caller()
        .await?
        .ok_or_else(|| respond(AppError::Unauthorized))?;
    let terms = [(Facet::Topic, topic), (Facet::Audience, audience)]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let spec = domain::feed::SubscriptionSpec::new(terms, Some(q.as_str())).map_err(respond)?;
    service::feed::subscribe(&state.db, &user, &spec)
        .await
        .map_err(respond)
}

#[server(endpoint = "feed/pause")]
pub async fn pause_subscription(id: i64, paused: bool) -> Result<(), AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = crate::account::caller()
        .await?
        .ok_or_else(|| respond(AppError::Unauthorized))?;
    service::feed::set_paused(&state.db, &user, id, paused)
        .await
        .map_err(respond)
}

#[server(endpoint = "feed/unsubscribe")]
pub async fn unsubscribe(id: i64) -> Result<(), AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = crate::account::caller()
        .await?
        .ok_or_else(|| respond(AppError::Unauthorized))?;
    service::feed::unsubscribe(&state.db, &user, id)
        .await
        .map_err(respond)
}

/// Items that arrived live since the page was rendered, newest first, and the unread
/// count; fed by the live stream, read by the header's badge and the feed on `/me`.
#[derive(Clone, Copy)]
pub struct Live {
    pub items: RwSignal<Vec<FeedItemView>>,
    pub unread: RwSignal<Option<u64>>,
}

/// The page's [`Live`]. In the browser the islands of one page share it (each island is its
/// own reactive root, so it is kept here rather than in context); on the server every call
/// is a fresh one.
pub fn live() -> Live {
    let fresh = || Live {
        items: RwSignal::new(Vec::new()),
        unread: RwSignal::new(None),
    };
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            static LIVE: std::cell::OnceCell<Live> = const { std::cell::OnceCell::new() };
        }
        // Owned by a root of its own, never dropped, rather than by the island that asks
        // first: it lives as long as the page. (Making a root makes it the current owner,
        // so the island's is put back.)
        LIVE.with(|l| {
            *l.get_or_init(|| {
                let island = Owner::current();
                let root = Owner::new_root(None);
                let live = root.with(fresh);
                std::mem::forget(root);
                if let Some(island) = island {
                    island.set();
                }
                live
            })
        })
    }
    #[cfg(not(feature = "hydrate"))]
    fresh()
}

/// Opens the signed-in person's live stream after item `after`, once per page, and feeds
/// [`live`] with it. Signing out or in loads a new page, which closes the stream.
#[cfg(feature = "hydrate")]
fn open_live(after: i64) {
    use futures_util::StreamExt;
    thread_local! {
        static SOURCE: std::cell::RefCell<Option<gloo_net::eventsource::futures::EventSource>> =
            const { std::cell::RefCell::new(None) };
    }
    if SOURCE.with(|s| s.borrow().is_some()) {
        return;
    }
    let Ok(mut source) = gloo_net::eventsource::futures::EventSource::new(&format!(
        "/api/v1/feed/stream?after={after}"
    )) else {
        return;
    };
    let Ok(mut items) = source.subscribe("item") else {
        return;
    };
    let live = live();
    leptos::task::spawn_local(async move {
        // The browser reconnects by itself meanwhile, with Last-Event-ID.
        while let Some(Ok((_, message))) = items.next().await {
            let Some(data) = message.data().as_string() else {
                continue;
            };
            if let Ok(item) = serde_json::from_str::<FeedItemView>(&data) {
                live.items.update(|items| {
                    if !items.iter().any(|i| i.id == item.id) {
                        items.insert(0, item);
                    }
                });
                live.unread.update(|n| *n = Some(n.unwrap_or(0) + 1));
            }
        }
    });
    SOURCE.with(|s| *s.borrow_mut() = Some(source));
}

/// The header's unread badge for who is signed in, counting up as items arrive live.
#[island]
pub fn LiveBadge(unread: u64, after: i64) -> impl IntoView {
    let live = live();
    live.unread.set(Some(unread));
    #[cfg(feature = "hydrate")]
    open_live(after);
    #[cfg(not(feature = "hydrate"))]
    let _ = after;
    let count = move || live.unread.get().unwrap_or(unread);
    view! {
        <span
            id="unread-badge"
            class="min-w-5 rounded-full bg-red-800 px-1.5 text-center text-xs leading-5 text-white"
            class:hidden=move || count() == 0
        >
            // The server counts to 100 at most: beyond 99 the badge says so.
            {move || match count() {
                n if n > 99 => "99+".to_owned(),
                n => n.to_string(),
            }}
            <span class="sr-only">"条未读"</span>
        </span>
    }
}

/// The personal center's sections; `current` is `feed`, `subscriptions`, `consultations` or `account`.
#[component]
pub fn CenterNav(current: &'static str) -> impl IntoView {
    let link = move |key: &'static str, href: &'static str, label: &'static str| {
        let here = key == current;
        view! {
            <A
                href=href
                attr:aria-current=here.then_some("page")
                attr:class=if here { "font-medium text-red-900" } else { "text-red-800 underline" }
            >
                {label}
            </A>
        }
    };
    view! {
        <nav aria-label="个人中心" class="flex flex-wrap gap-x-4 gap-y-1">
            {link("feed", "/me", "我的推送")}
            {link("subscriptions", "/me/subscriptions", "我的订阅")}
            {link("consultations", "/me/consultations", "我的咨询")}
            {link("account", "/me/account", "我的账号")}
        </nav>
    }
}

fn kind_class(kind: FeedKind) -> &'static str {
    match kind {
        FeedKind::NewDocument => "bg-red-50 text-red-900 ring-red-700",
        FeedKind::NewInterpretation => "bg-sky-50 text-sky-900 ring-sky-700",
        FeedKind::ValidityChange | FeedKind::Withdrawn => {
            "bg-amber-50 text-amber-950 ring-amber-600"
        }
        FeedKind::Revised => "bg-stone-50 text-stone-900 ring-stone-600",
        FeedKind::Answered => "bg-emerald-50 text-emerald-900 ring-emerald-700",
        FeedKind::NewQa | FeedKind::QaChanged => "bg-violet-50 text-violet-900 ring-violet-700",
    }
}

#[component]
fn FeedItem(item: FeedItemView, read: RwSignal<bool>) -> impl IntoView {
    let action = ServerAction::<MarkRead>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            read.set(true);
            live()
                .unread
                .update(|n| *n = n.map(|n| n.saturating_sub(1)));
        }
    });
    let id = item.id;
    view! {
        <li
            class="rounded-xl bg-white p-4 ring-1"
            class:ring-red-700=move || !read.get()
            class:ring-stone-200=move || read.get()
            data-feed-item=id
            data-read=move || read.get().to_string()
        >
            <p class="flex flex-wrap items-center gap-2 text-sm">
                <span class=format!("rounded px-1.5 ring-1 {}", kind_class(item.kind))>{item.kind.as_str()}</span>
                {move || (!read.get()).then(|| view! { <span class="font-medium text-red-800">"未读"</span> })}
                <span class="text-stone-700">{item.created_at.clone()}</span>
            </p>
            <h2 class="mt-1 text-lg font-medium">
                <a href=item.href.clone() class="text-red-900 underline">{item.title.clone()}</a>
            </h2>
            {item.detail.clone().map(|d| view! { <p class="text-stone-800">{d}</p> })}
            <p class="mt-1 text-sm text-stone-700">{item.why.clone()}</p>
            {move || (!read.get()).then(|| view! {
                <ActionForm action attr:class="mt-2">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="text-sm text-red-800 underline">"标为已读"</button>
                </ActionForm>
            })}
        </li>
    }
}

/// The feed: items that arrive live on top, then the page's items, each marked read in
/// place.
#[island]
fn FeedList(items: Vec<FeedItemView>) -> impl IntoView {
    let live = live();
    let all_read = ServerAction::<MarkRead>::new();
    let known: Vec<i64> = items.iter().map(|i| i.id).collect();
    let reads: Vec<RwSignal<bool>> = items.iter().map(|i| RwSignal::new(i.read)).collect();
    let live_reads = RwSignal::new(Vec::<(i64, RwSignal<bool>)>::new());
    let live_read = move |id: i64| {
        live_reads
            .try_update_untracked(|all| {
                all.iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, r)| *r)
                    .unwrap_or_else(|| {
                        let r = RwSignal::new(false);
                        all.push((id, r));
                        r
                    })
            })
            .unwrap_or_else(|| RwSignal::new(false))
    };
    let marks = reads.clone();
    Effect::new(move |_| {
        if matches!(all_read.value().get(), Some(Ok(_))) {
            live.unread.set(Some(0));
            for r in &marks {
                r.set(true);
            }
            live_reads.with_untracked(|all| all.iter().for_each(|(_, r)| r.set(true)));
        }
    });
    let arrived = move || {
        live.items
            .get()
            .into_iter()
            .filter(|i| !known.contains(&i.id))
            .collect::<Vec<_>>()
    };
    view! {
        <div class="mt-4 flex items-center justify-between">
            <p class="text-stone-800">"新政策发布时，符合您订阅的会出现在这里。"</p>
            <ActionForm action=all_read>
                <button type="submit" class="text-sm text-red-800 underline">"全部标为已读"</button>
            </ActionForm>
        </div>
        <ul class="mt-4 space-y-3" aria-live="polite" id="feed">
            <For each=arrived key=|i| i.id let:item>
                <FeedItem read=live_read(item.id) item />
            </For>
            {items.into_iter().zip(reads).map(|(item, read)| view! { <FeedItem item read /> }).collect_view()}
        </ul>
    }
}

#[component]
pub fn MePage() -> impl IntoView {
    let page = Resource::new(|| (), |()| get_feed(None));
    view! {
        <Title text="个人中心" />
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-2xl font-bold">"个人中心"</h1>
            <CenterNav current="feed" />
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let empty = p.items.is_empty();
                        view! {
                            <FeedList items=p.items />
                            {empty.then(|| view! {
                                <p class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
                                    "还没有推送。去"
                                    <A href="/me/subscriptions" attr:class="text-red-800 underline">"订阅"</A>
                                    "您关心的主题或服务对象，或在"
                                    <A href="/library" attr:class="text-red-800 underline">"政策文件库"</A>
                                    "筛选后点“订阅此搜索”。"
                                </p>
                            })}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SubscriptionRow(s: SubscriptionView) -> impl IntoView {
    let pause = ServerAction::<PauseSubscription>::new();
    let delete = ServerAction::<Unsubscribe>::new();
    let (id, href, label, paused) = (s.id, s.href, s.label, s.paused);
    let meta = format!("{} 订阅 · 已推送 {} 条", s.created_on, s.delivered);
    view! {
        <li class="rounded-xl bg-white p-4 ring-1 ring-stone-200">
                <p class="font-medium">
                    <A href=href attr:class="text-red-900 underline">{label}</A>
                    {paused.then(|| view! { <span class="ml-2 text-sm text-amber-900">"（已暂停）"</span> })}
                </p>
                <p class="text-sm text-stone-700">{meta}</p>
                <div class="mt-2 flex gap-4 text-sm">
                    <ActionForm action=pause>
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="paused" value=(!paused).to_string() />
                        <button type="submit" class="text-red-800 underline">{if paused { "恢复推送" } else { "暂停推送" }}</button>
                    </ActionForm>
                    <ActionForm action=delete>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="text-red-800 underline">"删除"</button>
                    </ActionForm>
                </div>
        </li>
    }
}

#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    let add = ServerAction::<AddSubscription>::new();
    let data = Resource::new(|| (), |()| my_subscriptions());
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    view! {
        <Title text="我的订阅" />
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-2xl font-bold">"我的订阅"</h1>
            <CenterNav current="subscriptions" />
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((mine, choices)) => {
                        let options = |facet: Facet| {
                            choices
                                .iter()
                                .find(|(f, _)| *f == facet)
                                .map(|(_, v)| v.clone())
                                .unwrap_or_default()
                        };
                        let topics = options(Facet::Topic);
                        let audiences = options(Facet::Audience);
                        let empty = mine.is_empty();
                        view! {
                            <section class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
                                <h2 class="text-lg font-medium">"新增订阅"</h2>
                                <p class="text-sm text-stone-700">"所选条件需同时满足；也可以在政策文件库筛选后点“订阅此搜索”。"</p>
                                <ActionForm action=add attr:class="mt-3 grid gap-3 sm:grid-cols-3">
                                    <div>
                                        <label for="sub-topic" class="block font-medium">"文件主题"</label>
                                        <select id="sub-topic" name="topic" class="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-2">
                                            <option value="">"不限"</option>
                                            {topics.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="sub-audience" class="block font-medium">"服务对象"</label>
                                        <select id="sub-audience" name="audience" class="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-2">
                                            <option value="">"不限"</option>
                                            {audiences.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="sub-q" class="block font-medium">"关键词（选填）"</label>
                                        <input id="sub-q" name="q" maxlength="20" class="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-2" />
                                    </div>
                                    <div class="sm:col-span-3">
                                        <FormError error />
                                        <button type="submit" class="mt-2 rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"订阅"</button>
                                    </div>
                                </ActionForm>
                            </section>
                            <ul class="mt-4 space-y-3">
                                {mine.into_iter().map(|s| view! { <SubscriptionRow s /> }).collect_view()}
                            </ul>
                            {empty.then(|| view! { <p class="mt-4 text-stone-800">"您还没有订阅。"</p> })}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// "订阅此搜索" on a library view: one click turns its filters into a subscription, said
/// in place.
#[island]
pub fn SubscribeThisSearch(query: String) -> impl IntoView {
    let action = ServerAction::<Subscribe>::new();
    let done = move || matches!(action.value().get(), Some(Ok(_)));
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(AppError::Unauthorized)) => None,
        Some(Err(e)) => Some(e),
        _ => None,
    });
    let needs_login = move || matches!(action.value().get(), Some(Err(AppError::Unauthorized)));
    let back = format!("/library?{query}");
    view! {
        <div class="mt-3">
            <ActionForm action>
                <input type="hidden" name="query" value=query.clone() />
                <button type="submit" class="rounded bg-white px-3 py-1.5 text-sm font-medium text-red-900 ring-1 ring-red-800 hover:bg-red-50">
                    {move || if done() { "已订阅 ✓" } else { "订阅此搜索" }}
                </button>
            </ActionForm>
            <FormError error />
            {move || needs_login().then(|| view! {
                <p role="alert" class="mt-2 text-sm">
                    "订阅需要先"
                    <a href=format!("/login?next={}", domain::text::url_encode(&back)) class="text-red-800 underline">"登录"</a>
                    "。"
                </p>
            })}
        </div>
    }
}

/// The delivery pipeline for admins: waiting events and dead letters.
#[server(endpoint = "feed/outbox")]
pub async fn get_outbox() -> Result<OutboxOverview, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = signed_in("/admin/outbox").await?;
    service::outbox::overview(&state.db, Some(&user))
        .await
        .map_err(respond)
}

/// An admin sends a dead letter again.
#[server(endpoint = "feed/retry")]
pub async fn retry_event(id: i64) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::outbox::retry(&state.db, user.as_ref(), id)
        .await
        .map_err(respond)
}

/// `/admin/outbox`: what waits to be delivered, and each event set aside after failing
/// too often, with its error and a button to send it again.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let retry = ServerAction::<RetryEvent>::new();
    let overview = Resource::new(|| (), |()| get_outbox());
    let error = Signal::derive(move || retry.value().get().and_then(Result::err));
    view! {
        <Title text="推送队列" />
        <h1 class="text-2xl font-bold">"推送队列"</h1>
        <p class="mt-1 text-stone-700">
            {format!("一条推送连续失败 {} 次后暂停投递，不影响其后的推送；排除故障后可重新推送。", MAX_DELIVERY_ATTEMPTS)}
        </p>
        <FormError error />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <p class="mt-4" role="status">{format!("待投递 {} 条，投递失败 {} 条", o.pending, o.dead_total)}</p>
                        {(!o.dead.is_empty()).then(|| view! {
                            <ul class="mt-4 space-y-3">
                                {o.dead.into_iter().map(|d| view! {
                                    <li class="rounded-xl bg-white p-4 ring-1 ring-stone-200">
                                        <p class="font-medium">
                                            {format!("#{} {}", d.id, d.kind.as_str())} " · "
                                            <A href=d.href.clone() attr:class="text-red-800 underline">{d.href.clone()}</A>
                                        </p>
                                        <p class="mt-1 text-sm text-stone-700">
                                            {format!("产生于 {}，已尝试 {} 次，{} 暂停投递", d.created_at, d.attempts, d.failed_at)}
                                        </p>
                                        <p class="mt-1 break-all text-sm text-red-900">{format!("错误：{}", d.error)}</p>
                                        <ActionForm action=retry attr:class="mt-2">
                                            <input type="hidden" name="id" value=d.id />
                                            <button type="submit" class="rounded bg-red-800 px-3 py-1 text-white hover:bg-red-900">"重新推送"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
