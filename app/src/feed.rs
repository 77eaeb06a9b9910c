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
/// count the header shows; provided by the layout, fed by the live stream.
#[derive(Clone, Copy)]
pub struct Live {
    pub items: RwSignal<Vec<FeedItemView>>,
    pub unread: RwSignal<Option<u64>>,
}

/// The signed-in person's live stream. It belongs to them: dropping it closes the
/// EventSource, which the layout does the moment they sign out or someone else signs in on
/// this tab, so nobody's items reach another person's page.
#[cfg(feature = "hydrate")]
pub struct LiveStream {
    pub user_id: i64,
    _source: gloo_net::eventsource::futures::EventSource,
}

/// Opens `user_id`'s live stream after item `after` and feeds [`Live`] with it.
#[cfg(feature = "hydrate")]
pub fn open_live(live: Live, user_id: i64, after: i64) -> Option<LiveStream> {
    use futures_util::StreamExt;
    let mut source = gloo_net::eventsource::futures::EventSource::new(&format!(
        "/api/v1/feed/stream?after={after}"
    ))
    .ok()?;
    let mut items = source.subscribe("item").ok()?;
    leptos::task::spawn_local(async move {
        // Ends when the source is dropped (closed); the browser reconnects by itself
        // meanwhile, with Last-Event-ID.
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
    Some(LiveStream {
        user_id,
        _source: source,
    })
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
                <A href=item.href.clone() attr:class="text-red-900 underline">{item.title.clone()}</A>
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

#[component]
pub fn MePage() -> impl IntoView {
    let page = Resource::new(|| (), |()| get_feed(None));
    let live = use_context::<Live>();
    let all_read = ServerAction::<MarkRead>::new();
    Effect::new(move |_| {
        if matches!(all_read.value().get(), Some(Ok(_)))
            && let Some(live) = live
        {
            live.unread.set(Some(0));
        }
    });
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
                        let known: Vec<i64> = p.items.iter().map(|i| i.id).collect();
                        let live_items = move || {
                            live.map(|l| l.items.get())
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|i| !known.contains(&i.id))
                                .collect::<Vec<_>>()
                        };
                        let empty = p.items.is_empty();
                        view! {
                            <div class="mt-4 flex items-center justify-between">
                                <p class="text-stone-800">
                                    "新政策发布时，符合您订阅的会出现在这里。"
                                </p>
                                <ActionForm action=all_read>
                                    <button type="submit" class="text-sm text-red-800 underline">"全部标为已读"</button>
                                </ActionForm>
                            </div>
                            <ul class="mt-4 space-y-3" aria-live="polite" id="feed">
                                <For each=live_items key=|i| i.id let:item>
                                    <FeedItem item read=RwSignal::new(false) />
                                </For>
                                {p.items.into_iter().map(|item| {
                                    let read = RwSignal::new(item.read);
                                    view! { <FeedItem item read /> }
                                }).collect_view()}
                            </ul>
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
    let paused = RwSignal::new(s.paused);
    let gone = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(pause.value().get(), Some(Ok(()))) {
            paused.update(|p| *p = !*p);
        }
    });
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            gone.set(true);
        }
    });
    let (id, href, label) = (s.id, s.href, s.label);
    let meta = format!("{} 订阅 · 已推送 {} 条", s.created_on, s.delivered);
    view! {
        <li class="rounded-xl bg-white p-4 ring-1 ring-stone-200" class:hidden=move || gone.get()>
                <p class="font-medium">
                    <A href=href attr:class="text-red-900 underline">{label}</A>
                    {move || paused.get().then(|| view! { <span class="ml-2 text-sm text-amber-900">"（已暂停）"</span> })}
                </p>
                <p class="text-sm text-stone-700">{meta}</p>
                <div class="mt-2 flex gap-4 text-sm">
                    <ActionForm action=pause>
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="paused" value=move || (!paused.get()).to_string() />
                        <button type="submit" class="text-red-800 underline">{move || if paused.get() { "恢复推送" } else { "暂停推送" }}</button>
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
    let data = Resource::new(move || add.version().get(), |_| my_subscriptions());
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

/// "订阅此搜索" on a library view: one click turns its filters into a subscription.
#[component]
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
                    <A href=format!("/login?next={}", domain::text::url_encode(&back)) attr:class="text-red-800 underline">"登录"</A>
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
    let overview = Resource::new(move || retry.version().get(), |_| get_outbox());
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
