//! The library pages (home, list and search, abolished section, document) and their
//! server functions.

use domain::library::{
    DocumentDetail, Facet, FacetCount, Hit, HomeOverview, LibraryQuery, SearchPage, Section, Sort,
};
use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{
    ActiveFilters, ErrorNotice, FacetAside, FacetSection, Loading, Pager, ValidityBadge, loaded,
};
use crate::error::AppError;

/// Searches and filters the library. `query` is the page's URL query string, parsed here
/// exactly as the JSON API parses it.
#[server(endpoint = "library/search")]
pub async fn search_library(query: String, section: Section) -> Result<SearchPage, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let mut parsed = LibraryQuery::parse_query_string(&query).map_err(respond)?;
    parsed.section = section;
    service::library::search(&state.db, &state.index, &parsed)
        .await
        .map_err(respond)
}

/// One document with everything its page shows.
#[server(endpoint = "library/document")]
pub async fn get_document(id: String) -> Result<Arc<DocumentDetail>, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    state
        .documents
        .document(&state.db, &state.index, &id)
        .await
        .map_err(respond)
}

/// Counts, entry points and the latest policies for the home page.
#[server(endpoint = "library/home")]
pub async fn get_home() -> Result<HomeOverview, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    service::library::home(&state.db, &state.index)
        .await
        .map_err(respond)
}

#[component]
fn SearchForm(
    #[prop(into)] q: String,
    /// Filters kept when the visitor searches again.
    #[prop(optional)]
    keep: Vec<(String, String)>,
    #[prop(default = "/library")] action: &'static str,
) -> impl IntoView {
    view! {
        <Form action=action method="get" attr:role="search" attr:class="flex gap-2">
            <label for="search-q" class="sr-only">"搜索政策"</label>
            <input
                id="search-q"
                name="q"
                type="search"
                value=q
                maxlength="100"
                placeholder="输入政策名称、关键词或文号，如：就业补贴、芜政〔2022〕12号"
                class="min-w-0 flex-1 rounded-lg border border-stone-400 bg-white px-3 py-2 text-base focus:outline-none focus:ring-2 focus:ring-red-800"
            />
            {keep
                .into_iter()
                .map(|(k, v)| view! { <input type="hidden" name=k value=v /> })
                .collect_view()}
            <button
                type="submit"
                class="shrink-0 rounded-lg bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900 focus:outline-none focus:ring-2 focus:ring-red-800 focus:ring-offset-2"
            >
                "搜索"
            </button>
        </Form>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_home());
    view! {
        <Title text="" />
        <Meta name="description" content="芜湖市政策文件库：查找、阅读和订阅全市现行有效的政策文件、政策解读和政策问答。" />
        <section class="rounded-2xl bg-red-800 px-4 py-8 text-white sm:px-8">
            <h1 class="text-2xl font-bold sm:text-3xl">"芜湖市政策文件库"</h1>
            <p class="mt-2 text-red-50">"变“人找政策”为“政策找人”：一站查找全市政策文件、解读和问答。"</p>
            <div class="mt-5 rounded-xl bg-white p-2 text-stone-900">
                <SearchForm q="" />
            </div>
        </section>
        {loaded(overview, |o| view! { <HomeBody o /> })}
    }
}

#[component]
fn HomeBody(o: HomeOverview) -> impl IntoView {
    let stat = |label: &'static str, n: u64, href: &'static str| {
        view! {
            <A href=href attr:class="block rounded-xl bg-white p-4 shadow-sm ring-1 ring-stone-200 hover:ring-red-800">
                <span class="block text-2xl font-bold text-red-800">{n}</span>
                <span class="text-sm text-stone-700">{label}</span>
            </A>
        }
    };
    // Interpretations and Q&A are reached from each document until they have pages of their own.
    let figure = |label: &'static str, n: u64| {
        view! {
            <div class="rounded-xl bg-white p-4 shadow-sm ring-1 ring-stone-200">
                <span class="block text-2xl font-bold text-red-800">{n}</span>
                <span class="text-sm text-stone-700">{label}</span>
            </div>
        }
    };
    let entry_list = |title: &'static str,
                      id: &'static str,
                      items: Vec<domain::library::EntryPoint>| {
        view! {
            <section aria-labelledby=id class="mt-8">
                <h2 id=id class="text-lg font-bold">{title}</h2>
                <ul class="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-4">
                    {items
                        .into_iter()
                        .map(|e| {
                            view! {
                                <li>
                                    <A href=e.href attr:class="flex items-center justify-between gap-2 rounded-lg bg-white px-3 py-2 text-sm ring-1 ring-stone-200 hover:ring-red-800">
                                        <span>{e.label}</span>
                                        <span class="text-stone-600">{e.count}</span>
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <section aria-label="数据概览" class="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
            {stat("政策文件", o.documents, "/library")}
            {stat("现行有效", o.in_force, "/library?validity=%E7%8E%B0%E8%A1%8C%E6%9C%89%E6%95%88")}
            {figure("政策解读", o.interpretations)}
            {stat("政策问答", o.qa_entries, "/qa")}
        </section>
        {entry_list("按主题查找", "by-topic", o.topics)}
        {entry_list("按服务对象查找", "by-audience", o.audiences)}
        <section aria-labelledby="latest" class="mt-8">
            <div class="flex items-baseline justify-between">
                <h2 id="latest" class="text-lg font-bold">"最新政策"</h2>
                <A href="/library" attr:class="text-sm text-red-800 underline">"查看全部"</A>
            </div>
            <ol class="mt-3 divide-y divide-stone-200 rounded-xl bg-white ring-1 ring-stone-200">
                {o.latest.into_iter().map(|h| view! { <HitItem hit=h /> }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[component]
pub fn LibraryPage(section: Section) -> impl IntoView {
    let query = use_query_map();
    let raw = move || query.with(|q| q.to_query_string().trim_start_matches('?').to_owned());
    let results = Resource::new(raw, move |qs| search_library(qs, section));
    let parsed = move || {
        LibraryQuery::parse_query_string(&raw()).map(|mut q| {
            q.section = section;
            q
        })
    };
    let heading = match section {
        Section::All => "政策文件库",
        Section::Void => "废止失效的规范性文件",
    };
    let description = match section {
        Section::All => {
            "按主题、服务对象、发布机构、年份和效力查找芜湖市的政策文件，支持按文号和日常用语搜索。"
        }
        Section::Void => "芜湖市已废止、失效的规范性文件及其替代文件，供查询历史政策使用。",
    };
    view! {
        <Title text=heading />
        <Meta name="description" content=description />
        <h1 class="text-2xl font-bold">{heading}</h1>
        {(section == Section::Void)
            .then(|| view! {
                <p class="mt-1 text-stone-700">"以下文件已废止或失效，不再执行，仅供查阅。"</p>
            })}
        <div class="mt-4">
            {move || {
                let q = parsed().unwrap_or_default();
                let keep = q
                    .filters
                    .iter()
                    .map(|(f, v)| (f.param().to_owned(), v.clone()))
                    .collect::<Vec<_>>();
                let action = match section {
                    Section::All => "/library",
                    Section::Void => "/library/abolished",
                };
                view! { <SearchForm q=q.q.clone().unwrap_or_default() keep action /> }
            }}
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let page = results.await;
                match (page, parsed()) {
                    (Ok(page), Ok(q)) => view! { <Results page q /> }.into_any(),
                    (Err(e), _) => view! { <ErrorNotice error=e /> }.into_any(),
                    (_, Err(e)) => view! { <ErrorNotice error=AppError::from(e) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Results(page: SearchPage, q: LibraryQuery) -> impl IntoView {
    let pages = page.pages();
    let active: Vec<(Facet, String)> = q.filters.iter().map(|(f, v)| (*f, v.clone())).collect();
    // A view that names what to follow can be subscribed to (its page and order aside).
    let subscribable = domain::feed::SubscriptionSpec::from_query(&q)
        .is_ok()
        .then(|| {
            q.with_page(1)
                .to_query_string()
                .trim_start_matches('?')
                .to_owned()
        });
    let sort_link = |sort: Sort, label: &'static str| {
        let current = q.sort == sort;
        view! {
            <A
                href=q.with_sort(sort).href()
                attr:aria-current=current.then_some("true")
                attr:class=if current { "rounded px-2 py-1 bg-red-800 text-white" } else { "rounded px-2 py-1 text-red-800 underline" }
            >
                {label}
            </A>
        }
    };
    view! {
        <div class="mt-4 lg:grid lg:grid-cols-[16rem_1fr] lg:gap-6">
            <FacetPanel facets=page.facets.clone() q=q.clone() />
            <section aria-labelledby="results-heading" class="mt-4 lg:mt-0">
                <div class="flex flex-wrap items-center justify-between gap-2">
                    <h2 id="results-heading" class="font-medium" aria-live="polite">
                        "共 " <span id="result-total" class="font-bold text-red-800">{page.total}</span> " 件"
                    </h2>
                    <div class="flex items-center gap-1 text-sm">
                        <span class="text-stone-700">"排序："</span>
                        {q.q.is_some().then(|| sort_link(Sort::Relevance, "相关度"))}
                        {sort_link(Sort::Date, "发布日期")}
                    </div>
                </div>
                <ActiveFilters chips=active
                    .into_iter()
                    .map(|(f, v)| (format!("{}：{}", f.label(), v), q.with_filter(f, None).href()))
                    .collect() />
                {subscribable.map(|query| view! { <crate::feed::SubscribeThisSearch query /> })}
                {page.notice.clone().map(|n| view! {
                    <p role="status" class="mt-3 rounded-lg bg-amber-50 p-3 text-amber-950 ring-1 ring-amber-200">{n}</p>
                })}
                {page.exact.clone().map(|h| view! {
                    <div class="mt-3 rounded-lg bg-white p-3 ring-2 ring-red-800">
                        <p class="text-sm text-stone-700">"按文号精确匹配："</p>
                        <A href=format!("/documents/{}", h.id) attr:class="font-bold text-red-800 underline">{h.title.clone()}</A>
                    </div>
                })}
                <ol id="results" class="mt-3 divide-y divide-stone-200 rounded-xl bg-white ring-1 ring-stone-200">
                    {page.hits.into_iter().map(|h| view! { <HitItem hit=h /> }).collect_view()}
                </ol>
                <Pager page=q.page pages href=move |p| q.with_page(p).href() />
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn FacetPanel(
    facets: std::collections::BTreeMap<String, Vec<FacetCount>>,
    q: LibraryQuery,
) -> impl IntoView {
    view! {
        <FacetAside>
            {Facet::ALL
                .iter()
                .copied()
                .map(|facet| {
                    let q = q.clone();
                    view! {
                        <FacetSection
                            param=facet.param()
                            label=facet.label()
                            values=facets.get(facet.param()).cloned().unwrap_or_default()
                            selected=q.filter(facet).map(str::to_owned)
                            href=move |v| q.with_filter(facet, v).href()
                        />
                    }
                })
                .collect_view()}
        </FacetAside>
    }
    .into_any()
}

#[component]
pub fn HitItem(hit: Hit) -> impl IntoView {
    view! {
        <li class="p-4">
            <A href=format!("/documents/{}", hit.id) attr:class="text-base font-medium text-red-900 underline-offset-2 hover:underline">
                {hit.title.clone()}
            </A>
            <p class="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-stone-700">
                {hit.doc_number.clone().map(|n| view! { <span>{n}</span> })}
                {hit.issuer.clone().map(|i| view! { <span>{i}</span> })}
                {hit.published_date.clone().map(|d| view! { <span>{format!("发布：{d}")}</span> })}
                <span>{hit.doc_type.clone()}</span>
                <ValidityBadge validity=hit.validity.clone() />
            </p>
            <p class="mt-1 text-sm text-stone-700 [&_mark]:bg-amber-100 [&_mark]:text-stone-950" inner_html=hit.snippet.clone()></p>
        </li>
    }
    .into_any()
}

#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    // The document and what the caller may change of it in one wait: a second resource
    // per page cost a task, a transition and their bookkeeping on every view.
    let doc = Resource::new(id, |id| async move {
        let d = get_document(id.clone()).await?;
        let kinds = crate::review::changeable(id).await.unwrap_or_default();
        Ok((d, kinds))
    });
    loaded(doc, |(d, kinds)| view! { <DocumentView d kinds /> })
}

/// An interpretation's image (with its text alternative), video (with its captions) or
/// video link; other media as a link.
#[component]
fn InterpretationMedia(i: domain::interpretation::InterpretationView) -> impl IntoView {
    let url = i.media_url.clone()?;
    let video = url.ends_with(".mp4") || i.form == "视频解读";
    Some(if let Some(alt) = i.alt.clone().filter(|_| !video) {
        view! { <img src=url alt=alt class="mt-2 max-w-full rounded" loading="lazy" /> }.into_any()
    } else if video && url.starts_with("/files/") {
        view! {
            <video controls preload="metadata" class="mt-2 w-full rounded" src=url>
                {i.caption_url.clone().map(|c| view! { <track kind="captions" src=c srclang="zh" label="中文字幕" default=true /> })}
            </video>
        }
        .into_any()
    } else {
        let label = if video {
            "观看视频解读"
        } else {
            "查看图解"
        };
        view! { <p class="mt-2"><a href=url class="text-red-800 underline">{label}</a></p> }
            .into_any()
    })
}

/// `/interpretations/{id}`: one interpretation with the document it explains.
#[server(endpoint = "library/interpretation")]
pub async fn get_interpretation(
    id: String,
) -> Result<domain::interpretation::InterpretationPage, AppError> {
    let state = crate::state::AppState::current()?;
    service::library::interpretation(&state.db, &id)
        .await
        .map_err(crate::error::respond)
}

#[component]
pub fn InterpretationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let page = Resource::new(id, get_interpretation);
    loaded(page, |p| {
        let i = p.interpretation.clone();
        view! {
            <Title text=i.title.clone() />
            <Meta name="description" content=format!("{}：《{}》的政策解读", i.title, p.document_title) />
            <article class="mx-auto max-w-3xl">
                <p class="text-sm text-stone-700">
                    "解读文件："
                    <A href=format!("/documents/{}", p.document_id) attr:class="underline">{p.document_title.clone()}</A>
                </p>
                <h1 class="mt-2 text-xl font-bold leading-snug sm:text-2xl">{i.title.clone()}</h1>
                <p class="mt-2 flex flex-wrap gap-3 text-sm text-stone-700">
                    <span class="rounded bg-red-800 px-2 py-0.5 text-xs text-white">{i.form.clone()}</span>
                    <span>{i.org.clone().unwrap_or_default()}</span>
                    <span>{i.published_date.clone().unwrap_or_default()}</span>
                </p>
                <InterpretationMedia i=i.clone() />
                <div class="mt-4 space-y-3 rounded-xl bg-white p-4 leading-8 ring-1 ring-stone-200 sm:p-8">
                    {i.body.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                </div>
            </article>
        }
    })
}

/// 网页版 (this page), 下载版 (the official text, when there is one) and 打印.
#[component]
fn Versions(id: String, official: Option<String>) -> impl IntoView {
    let link = "rounded px-3 py-1 ring-1 ring-stone-400 hover:bg-stone-100";
    view! {
        <nav aria-label="文件版本" class="mt-3 flex flex-wrap gap-2 text-sm print:hidden">
            <span aria-current="page" class="rounded bg-red-800 px-3 py-1 text-white">"网页版"</span>
            {official.map(|href| view! { <a href=href class=link id="official-text">"下载版"</a> })}
            <a href=format!("/documents/{id}/print") class=link rel="alternate">"打印版"</a>
        </nav>
    }
}

/// `/documents/{id}/print`: the document alone, for paper: no navigation, black on white.
#[component]
pub fn DocumentPrintPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let doc = Resource::new(id, get_document);
    loaded(doc, |d| {
        let meta: Vec<String> = [
            d.issuer.clone(),
            d.doc_number.clone(),
            d.published_date.clone().map(|p| format!("发布日期：{p}")),
            Some(format!("有效性：{}", d.validity)),
        ]
        .into_iter()
        .flatten()
        .collect();
        view! {
            <Title text=format!("{}（打印版）", d.title) />
            <article class="mx-auto max-w-3xl bg-white p-6 text-black print:p-0">
                <p class="text-sm print:hidden">
                    <A href=format!("/documents/{}", d.id) attr:class="underline">"返回网页版"</A>
                    " · 请使用浏览器的打印功能"
                </p>
                <h1 class="mt-4 text-center text-2xl font-bold leading-snug">{d.title.clone()}</h1>
                <p class="mt-2 text-center text-sm">{meta.join(" · ")}</p>
                {match d.body_html.clone() {
                    Some(html) => view! { <div class="doc-body mt-6 space-y-3 text-base leading-8" inner_html=html></div> }.into_any(),
                    None => view! {
                        <div class="mt-6 space-y-3 text-base leading-8">
                            {d.body.iter().map(|p| view! { <p class="indent-8">{p.clone()}</p> }).collect_view()}
                        </div>
                    }.into_any(),
                }}
                {(!d.attachments.is_empty()).then(|| view! {
                    <p class="mt-6 text-sm">{format!("附件：{}", d.attachments.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("；"))}</p>
                })}
            </article>
        }
    })
}

#[component]
fn DocumentView(d: Arc<DocumentDetail>, kinds: Vec<domain::review::DraftKind>) -> impl IntoView {
    let article = articles::html(&d);
    view! {
        <Title text=d.title.clone() />
        <Meta name="description" content=description(&d) />
        <article inner_html=article></article>
        <crate::review::ChangeDocument document=d.id.clone() kinds />
    }
}

/// The page's summary for search engines and link previews.
fn description(d: &DocumentDetail) -> String {
    let mut about = format!("《{}》", d.title);
    if let Some(number) = &d.doc_number {
        about.push_str(&format!("（{number}）"));
    }
    if let Some(issuer) = &d.issuer {
        about = format!("{issuer}发布的{}{about}", d.doc_type);
    }
    about.push_str(&format!("，{}。", d.validity));
    let lead: String = d.body.iter().flat_map(|p| p.chars()).take(80).collect();
    format!("{about}{lead}")
}

/// What is inside a document page's `<article>`: everything the page shows of the document,
/// the same for every visitor, so rendered once while the document is kept. Plain links
/// and no reactive parts: it is rendered apart from the page (see [`articles`]).
fn article(d: &DocumentDetail) -> impl IntoView + use<> {
    let attachments = d.attachments.clone();
    let official = d
        .attachments
        .iter()
        .find(|a| a.official)
        .map(|a| a.href.clone());
    let interpretations = d.interpretations.clone();
    let qa = d.qa.clone();
    let related = d.related.clone();
    let body = d.body.clone();
    let row = |label: &'static str, value: Option<String>| {
        value.filter(|v| !v.is_empty()).map(|v| {
            view! {
                <div class="grid grid-cols-[6rem_1fr] gap-2 border-b border-stone-200 py-2 sm:grid-cols-[8rem_1fr]">
                    <dt class="text-stone-700">{label}</dt>
                    <dd>{v}</dd>
                </div>
            }
        })
    };
    let join = |v: &[String]| (!v.is_empty()).then(|| v.join("、"));
    let validity_text = match &d.validity_changed_date {
        Some(date) if d.validity != "现行有效" => format!("{}（{}）", d.validity, date),
        _ => d.validity.clone(),
    };
    // The reason of the change that put it where it is, when one was recorded.
    let reason = d
        .validity_history
        .last()
        .filter(|c| c.validity == d.validity)
        .and_then(|c| c.reason.clone());
    let banner = d.is_void().then(|| {
        let replaced = d.replaced_by.clone();
        view! {
            <div role="alert" id="validity-banner" class="mb-4 rounded-xl bg-red-50 p-4 text-red-950 ring-2 ring-red-700">
                <p class="font-bold">{format!("本文件已{}，不再执行。", d.validity)}</p>
                {reason.clone().map(|r| view! { <p class="mt-1">{format!("原因：{r}")}</p> })}
                {replaced.map(|r| view! {
                    <p class="mt-1">"现行文件："
                        <a href=format!("/documents/{}", r.id) class="font-medium underline">{r.title}</a>
                    </p>
                })}
            </div>
        }
    });
    let amended = (d.validity == "已修改").then(|| {
        d.replaced_by.clone().map(|r| view! {
            <div role="note" class="mb-4 rounded-xl bg-amber-50 p-4 text-amber-950 ring-1 ring-amber-300">
                "本文件已被修改，请以最新版本为准："
                <a href=format!("/documents/{}", r.id) class="font-medium underline">{r.title}</a>
            </div>
        })
    });
    view! {
            {banner}
            {amended}
            <h1 class="text-xl font-bold leading-snug sm:text-2xl">{d.title.clone()}</h1>
            <Versions id=d.id.clone() official=official />
            <section aria-label="文件信息" class="mt-4 rounded-xl bg-white px-4 ring-1 ring-stone-200">
                <dl class="text-sm">
                    {row("索引号", d.index_no.clone())}
                    {row("发文机关", d.issuer.clone())}
                    {row("发文字号", d.doc_number.clone())}
                    {row("成文日期", d.written_date.clone())}
                    {row("发布日期", d.published_date.clone())}
                    {row("施行日期", d.effective_date.clone())}
                    {row("文件类型", Some(d.doc_type.clone()))}
                    {row("层级", d.level.clone())}
                    {row("主题分类", join(&d.topics))}
                    {row("服务对象", join(&d.audiences))}
                    {row("特色分类", join(&d.categories))}
                    {row("有效性", Some(validity_text))}
                </dl>
            </section>
            {match d.body_html.clone() {
                // Rendered from the drafter's structured text and sanitized on the server.
                Some(html) => view! {
                    <section aria-label="正文" class="doc-body mt-6 space-y-3 rounded-xl bg-white p-4 text-base leading-8 ring-1 ring-stone-200 sm:p-8" inner_html=html></section>
                }.into_any(),
                None => view! {
                    <section aria-label="正文" class="mt-6 space-y-3 rounded-xl bg-white p-4 text-base leading-8 ring-1 ring-stone-200 sm:p-8">
                        {body.into_iter().map(|p| view! { <p class="indent-8">{p}</p> }).collect_view()}
                    </section>
                }.into_any(),
            }}
            {(!attachments.is_empty()).then(move || view! {
                <section aria-labelledby="attachments" class="mt-6">
                    <h2 id="attachments" class="text-lg font-bold">"附件"</h2>
                    <ul class="mt-2 list-inside list-disc">
                        {attachments.into_iter().map(|a| view! {
                            <li><a href=a.href.clone() class="text-red-800 underline">{a.name.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(interpretations.is_empty() && d.doc_type == "行政规范性文件" && !d.is_void()).then(|| view! {
                <p class="mt-6 rounded bg-amber-50 p-3 text-amber-950 ring-1 ring-amber-300" id="interpretation-pending">"解读待发布"</p>
            })}
            {(!interpretations.is_empty()).then(move || view! {
                <section aria-labelledby="interpretations" id="interpretation-list" class="mt-6">
                    <h2 id="interpretations" class="text-lg font-bold">"政策解读"</h2>
                    <div class="mt-2 space-y-3">
                        {interpretations.into_iter().map(|i| view! {
                            <details class="rounded-xl bg-white p-4 ring-1 ring-stone-200">
                                <summary class="cursor-pointer font-medium">
                                    <span class="mr-2 rounded bg-red-800 px-2 py-0.5 text-xs text-white">{i.form.clone()}</span>
                                    {i.title.clone()}
                                </summary>
                                <p class="mt-2 text-sm text-stone-700">
                                    {i.org.clone().unwrap_or_default()} " " {i.published_date.clone().unwrap_or_default()}
                                </p>
                                <InterpretationMedia i=i.clone() />
                                <div class="mt-2 space-y-2 leading-7">
                                    {i.body.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                                </div>
                                <p class="mt-2"><a href=i.href.clone() class="text-sm text-red-800 underline">"解读页面"</a></p>
                            </details>
                        }).collect_view()}
                    </div>
                </section>
            })}
            <History versions=d.versions.clone() changes=d.validity_history.clone() />
            <section aria-labelledby="qa" class="mt-6">
                <div class="flex flex-wrap items-baseline justify-between gap-2">
                    <h2 id="qa" class="text-lg font-bold">"政策问答"</h2>
                    <a href=format!("/consult/new?document={}", d.id) class="rounded bg-red-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-900" id="ask-about">"咨询此政策"</a>
                </div>
                {qa.is_empty().then(|| view! { <p class="mt-2 text-stone-700">"暂无问答。对这份文件有疑问，可以在线咨询主管部门。"</p> })}
                <ul class="mt-2 space-y-3 empty:hidden">
                    {qa.into_iter().map(|q| view! { <crate::qa::QaCard q link=true /> }).collect_view()}
                </ul>
            </section>
            {(!related.is_empty()).then(move || view! {
                <section aria-labelledby="related" class="mt-6">
                    <h2 id="related" class="text-lg font-bold">"相关文件"</h2>
                    <ul class="mt-2 space-y-1">
                        {related.into_iter().map(|r| view! {
                            <li>
                                <a href=format!("/documents/{}", r.id) class="text-red-800 underline">{r.title.clone()}</a>
                                {r.doc_number.clone().map(|n| view! { <span class="ml-2 text-sm text-stone-700">{n}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
    }
}

/// Articles rendered from kept documents. A document page's article is most of its HTML
/// and the same for every visitor; rendering it again for each signed-in visitor (whose
/// pages are never kept whole) was a good part of the page's cost.
pub mod articles {
    use std::sync::Arc;

    use domain::library::DocumentDetail;
    use leptos::tachys::view::RenderHtml;

    /// The article of `d` as HTML, from the process's kept articles when it has one for
    /// this very kept document.
    pub fn html(d: &Arc<DocumentDetail>) -> Arc<str> {
        #[cfg(feature = "ssr")]
        if let Ok(state) = crate::state::AppState::current() {
            return state.articles.html(d);
        }
        render(d)
    }

    fn render(d: &DocumentDetail) -> Arc<str> {
        super::article(d).to_html().into()
    }

    #[cfg(feature = "ssr")]
    pub use kept::Articles;

    #[cfg(feature = "ssr")]
    mod kept {
        use std::sync::{Arc, Mutex, PoisonError, Weak};

        use domain::library::DocumentDetail;
        use service::kept::Kept;

        /// What a kept article costs beyond its HTML.
        const OVERHEAD: usize = 256;

        /// Rendered articles by document id, each with the kept document it was rendered
        /// from. The document keeper hands out the same allocation for as long as the
        /// document is current, so an article is current exactly while its document is the
        /// one handed out: no freshness rule of its own to get wrong.
        pub struct Articles {
            kept: Mutex<Kept<(Weak<DocumentDetail>, Arc<str>)>>,
        }

        impl Articles {
            pub fn within(max_bytes: usize) -> Articles {
                Articles {
                    kept: Mutex::new(Kept::new(max_bytes)),
                }
            }

            pub fn html(&self, d: &Arc<DocumentDetail>) -> Arc<str> {
                if let Some(html) = self.current(d) {
                    return html;
                }
                let html = super::render(d);
                let weight = html.len() + OVERHEAD;
                let mut kept = self.lock();
                if kept.admits(weight) {
                    kept.insert(d.id.clone(), (Arc::downgrade(d), Arc::clone(&html)), weight);
                }
                drop(kept);
                html
            }

            /// The bytes kept now (within the bound).
            pub fn bytes(&self) -> usize {
                self.lock().bytes()
            }

            fn current(&self, d: &Arc<DocumentDetail>) -> Option<Arc<str>> {
                let kept = self.lock();
                let ((of, html), _) = kept.get(&d.id)?;
                // A weak reference keeps its allocation: an address that matches is the
                // same document, never a later one put where a dropped one was.
                std::ptr::eq(of.as_ptr(), Arc::as_ptr(d)).then(|| Arc::clone(html))
            }

            fn lock(&self) -> std::sync::MutexGuard<'_, Kept<(Weak<DocumentDetail>, Arc<str>)>> {
                // A panic elsewhere while holding the lock leaves a map that is still whole.
                self.kept.lock().unwrap_or_else(PoisonError::into_inner)
            }
        }
    }
}

/// 修订与效力记录: the published versions (when revised) and the validity changes, with
/// their dates and reasons.
#[component]
fn History(
    versions: Vec<domain::library::VersionView>,
    changes: Vec<domain::library::ValidityChange>,
) -> impl IntoView {
    (versions.len() > 1 || !changes.is_empty()).then(|| {
        view! {
            <section aria-labelledby="history" id="document-history" class="mt-6">
                <h2 id="history" class="text-lg font-bold">"修订与效力记录"</h2>
                <ol class="mt-2 space-y-2 text-sm">
                    {(versions.len() > 1).then(|| versions.iter().rev().map(|v| view! {
                        <li data-version=v.version>
                            <span class="font-medium">{format!("第 {} 版", v.version)}</span>
                            {v.published_at.clone().map(|p| view! { <span class="ml-2 text-stone-700">{p}</span> })}
                            <span class="block pl-4 text-stone-800">
                                {v.note.clone().unwrap_or_else(|| "首次发布".to_owned())}
                            </span>
                        </li>
                    }).collect_view())}
                    {changes.iter().rev().map(|c| view! {
                        <li data-validity=c.validity.clone()>
                            <span class="font-medium">{c.validity.clone()}</span>
                            {c.date.clone().map(|p| view! { <span class="ml-2 text-stone-700">{format!("{p} 起")}</span> })}
                            {c.reason.clone().map(|r| view! { <span class="block pl-4 text-stone-800">{format!("原因：{r}")}</span> })}
                            {c.replaced_by.clone().map(|r| view! {
                                <span class="block pl-4"><a href=format!("/documents/{r}") class="text-red-800 underline">"替代文件"</a></span>
                            })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::sync::Arc;

    use domain::library::DocumentDetail;

    use super::articles::Articles;

    fn detail(id: &str, title: &str, paragraphs: usize) -> Arc<DocumentDetail> {
        Arc::new(DocumentDetail {
            id: id.to_owned(),
            index_no: None,
            title: title.to_owned(),
            issuer: Some("芜湖市人民政府".to_owned()),
            doc_number: None,
            written_date: None,
            published_date: None,
            effective_date: None,
            doc_type: "行政规范性文件".to_owned(),
            level: None,
            topics: vec!["就业创业".to_owned()],
            audiences: Vec::new(),
            categories: Vec::new(),
            validity: "现行有效".to_owned(),
            validity_changed_date: None,
            replaced_by: None,
            body: vec!["第一条 为促进就业，制定本办法。".to_owned(); paragraphs],
            body_html: None,
            attachments: Vec::new(),
            versions: Vec::new(),
            validity_history: Vec::new(),
            interpretations: Vec::new(),
            qa: Vec::new(),
            related: Vec::new(),
            source_url: None,
        })
    }

    #[test]
    fn a_kept_documents_article_is_rendered_once_and_a_newer_reading_is_rendered_afresh() {
        let articles = Articles::within(1 << 20);
        let read = detail("d-1", "见习补贴办法", 3);
        let first = articles.html(&read);
        assert!(first.contains("<h1"), "{first}");
        assert!(first.contains("见习补贴办法"));
        assert!(
            Arc::ptr_eq(&first, &articles.html(&read)),
            "the same kept document was rendered again"
        );

        // A revision is a new reading of the document under the same id.
        let revised = detail("d-1", "见习补贴办法（修订）", 3);
        let second = articles.html(&revised);
        assert!(second.contains("见习补贴办法（修订）"), "{second}");
        assert!(Arc::ptr_eq(&second, &articles.html(&revised)));
        // The reading it replaced, asked for again (a request that began before the
        // revision), gets its own article, not the newer one.
        assert!(!articles.html(&read).contains("（修订）"));
    }

    #[test]
    fn kept_articles_stay_within_their_bound_whatever_the_number_of_documents() {
        let bound = 64 * 1024;
        let articles = Articles::within(bound);
        let mut readings = Vec::new();
        for i in 0..200 {
            let d = detail(&format!("d-{i}"), &format!("办法{i}"), 20);
            articles.html(&d);
            assert!(
                articles.bytes() <= bound,
                "{} bytes after {i}",
                articles.bytes()
            );
            readings.push(d);
        }
        assert!(
            articles.bytes() > bound / 2,
            "{} bytes kept",
            articles.bytes()
        );
        // The first went to make room: asked again, it is rendered again, and right.
        assert!(articles.html(&readings[0]).contains("办法0"));
    }
}
