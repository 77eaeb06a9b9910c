//! The policy Q&A knowledge base (政策问答): search and filter, entry pages, and the staff
//! form for writing and editing entries.

use domain::qa::{QA_FACETS, QaDetail, QaForm, QaHit, QaPage, QaQuery, QaView};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::account::FormError;
use crate::components::{
    ActiveFilters, ErrorNotice, FacetAside, FacetSection, Loading, Pager, field_class, loaded,
};
use crate::error::AppError;

/// Searches the knowledge base; `query` is the page's URL query string, parsed as the JSON
/// API parses it.
#[server(endpoint = "qa/search")]
pub async fn search_qa(query: String) -> Result<QaPage, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let parsed = QaQuery::parse_query_string(&query).map_err(respond)?;
    service::qa::search(&state.db, &state.qa, &parsed)
        .await
        .map_err(respond)
}

#[server(endpoint = "qa/entry")]
pub async fn get_qa(id: String) -> Result<QaDetail, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::qa::entry(&state.db, user.as_ref(), &id)
        .await
        .map_err(respond)
}

/// An entry's form for editing (staff of its department, admins).
#[server(endpoint = "qa/form")]
pub async fn get_qa_form(id: String) -> Result<QaForm, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::qa::form_of(&state.db, user.as_ref(), &id)
        .await
        .map_err(respond)
}

/// Writes (or, with `id`, edits) an entry, then shows it.
#[server(endpoint = "qa/save")]
pub async fn save_qa(id: Option<String>, form: QaForm) -> Result<String, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    let id = service::qa::save(
        &state.db,
        user.as_ref(),
        id.as_deref().filter(|s| !s.is_empty()),
        &form,
    )
    .await
    .map_err(respond)?;
    leptos_axum::redirect(&format!("/qa/{id}"));
    Ok(id)
}

/// "答复部门：… · 科室 · 电话 …", for an entry.
pub fn contact_line(
    department: &Option<String>,
    section: &Option<String>,
    phone: &Option<String>,
) -> String {
    format!(
        "答复部门：{}{}{}",
        department.clone().unwrap_or_else(|| "—".to_owned()),
        section
            .clone()
            .map(|s| format!(" · {s}"))
            .unwrap_or_default(),
        phone
            .clone()
            .map(|p| format!(" · 电话 {p}"))
            .unwrap_or_default(),
    )
}

/// An entry in a list: question, answer, who answered and how to call them.
#[component]
pub fn QaCard(q: QaView, #[prop(optional)] link: bool) -> impl IntoView {
    let contact = contact_line(&q.department, &q.section, &q.phone);
    let question = format!("问：{}", q.question);
    view! {
        <li class="rounded-xl bg-white p-4 ring-1 ring-stone-200">
            <p class="font-medium">
                {if link {
                    view! { <a href=format!("/qa/{}", q.id) class="text-red-900 underline">{question}</a> }.into_any()
                } else {
                    view! { <span>{question}</span> }.into_any()
                }}
            </p>
            <p class="mt-1 whitespace-pre-line leading-7">{format!("答：{}", q.answer)}</p>
            <p class="mt-2 text-sm text-stone-700">{contact}</p>
        </li>
    }
}

#[component]
pub fn QaListPage() -> impl IntoView {
    let query = use_query_map();
    let raw = move || query.with(|q| q.to_query_string().trim_start_matches('?').to_owned());
    let results = Resource::new(raw, search_qa);
    let parsed = move || QaQuery::parse_query_string(&raw());
    view! {
        <Title text="政策问答" />
        <Meta name="description" content="芜湖市政策问答：各部门对政策问题的权威答复，注明答复部门、科室和咨询电话。" />
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-2xl font-bold">"政策问答"</h1>
            <A href="/consult/new" attr:class="rounded bg-red-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-900">"我要咨询"</A>
        </div>
        <p class="mt-1 text-stone-700">"各部门对政策问题的答复，每条都注明答复部门、科室和咨询电话。"</p>
        {move || {
            let q = parsed().unwrap_or_default();
            view! {
                <Form action="/qa" method="get" attr:role="search" attr:class="mt-4 flex gap-2">
                    <label for="qa-q" class="sr-only">"搜索问答"</label>
                    <input id="qa-q" name="q" type="search" value=q.q.clone().unwrap_or_default() maxlength="100"
                        placeholder="输入您想问的问题，如：灵活就业怎么交社保"
                        class="min-w-0 flex-1 rounded-lg border border-stone-400 bg-white px-3 py-2 text-base focus:outline-none focus:ring-2 focus:ring-red-800" />
                    {q.department.clone().map(|d| view! { <input type="hidden" name="department" value=d /> })}
                    {q.topic.clone().map(|t| view! { <input type="hidden" name="topic" value=t /> })}
                    <button type="submit" class="shrink-0 rounded-lg bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"搜索"</button>
                </Form>
            }
        }}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match (results.await, parsed()) {
                    (Ok(page), Ok(q)) => view! { <QaResults page q /> }.into_any(),
                    (Err(e), _) => view! { <ErrorNotice error=e /> }.into_any(),
                    (_, Err(e)) => view! { <ErrorNotice error=AppError::from(e) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QaResults(page: QaPage, q: QaQuery) -> impl IntoView {
    let pages = page.pages();
    let facet_q = q.clone();
    let active: Vec<(&'static str, &'static str, String)> = QA_FACETS
        .iter()
        .filter_map(|(p, l)| q.filter(p).map(|v| (*p, *l, v.to_owned())))
        .collect();
    view! {
        <div class="mt-4 lg:grid lg:grid-cols-[16rem_1fr] lg:gap-6">
            <FacetAside>
                {QA_FACETS.iter().map(move |(param, label)| {
                    let q = facet_q.clone();
                    view! {
                        <FacetSection
                            param
                            label
                            values=page.facets.get(*param).cloned().unwrap_or_default()
                            selected=q.filter(param).map(str::to_owned)
                            href=move |v| q.with_filter(param, v).href()
                        />
                    }
                }).collect_view()}
            </FacetAside>
            <section aria-labelledby="qa-results-heading" class="mt-4 lg:mt-0">
                <h2 id="qa-results-heading" class="font-medium" aria-live="polite">
                    "共 " <span id="qa-total" class="font-bold text-red-800">{page.total}</span> " 条问答"
                </h2>
                <ActiveFilters chips=active
                    .into_iter()
                    .map(|(param, label, value)| (format!("{label}：{value}"), q.with_filter(param, None).href()))
                    .collect() />
                {page.notice.clone().map(|n| view! {
                    <p role="status" class="mt-3 rounded-lg bg-amber-50 p-3 text-amber-950 ring-1 ring-amber-200">
                        {n} " " <A href="/consult/new" attr:class="font-medium underline">"在线咨询"</A>
                    </p>
                })}
                <ol id="qa-results" class="mt-3 divide-y divide-stone-200 rounded-xl bg-white ring-1 ring-stone-200">
                    {page.hits.into_iter().map(|h| view! { <QaHitItem hit=h /> }).collect_view()}
                </ol>
                <Pager page=q.page pages href=move |p| q.with_page(p).href() />
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn QaHitItem(hit: QaHit) -> impl IntoView {
    view! {
        <li class="p-4">
            <A href=format!("/qa/{}", hit.id) attr:class="text-base font-medium text-red-900 hover:underline">{hit.question.clone()}</A>
            <p class="mt-1 text-sm text-stone-800 [&_mark]:bg-amber-100 [&_mark]:text-stone-950" inner_html=hit.snippet.clone()></p>
            <p class="mt-1 text-sm text-stone-700">{contact_line(&hit.department, &hit.section, &hit.phone)}</p>
            {hit.document_id.clone().zip(hit.document_title.clone()).map(|(id, title)| view! {
                <p class="mt-1 text-sm">"相关文件："
                    <A href=format!("/documents/{id}") attr:class="text-red-800 underline">{title}</A>
                </p>
            })}
        </li>
    }
}

#[component]
pub fn QaEntryPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let entry = Resource::new(id, get_qa);
    loaded(entry, |d| view! { <QaEntryView d /> })
}

#[component]
fn QaEntryView(d: QaDetail) -> impl IntoView {
    let q = d.entry.clone();
    let related = d.related.clone();
    let department_href = q.department.clone().map(|dep| {
        QaQuery::default()
            .with_filter("department", Some(&dep))
            .href()
    });
    view! {
        <Title text=q.question.clone() />
        <Meta name="description" content=format!(
            "{}答复：{}",
            q.department.clone().unwrap_or_default(),
            q.answer.chars().take(100).collect::<String>()
        ) />
        <article class="rounded-xl bg-white p-4 ring-1 ring-stone-200 sm:p-8">
            <p class="text-sm text-stone-700"><A href="/qa" attr:class="underline">"政策问答"</A></p>
            <h1 class="mt-2 text-xl font-bold leading-snug sm:text-2xl">{format!("问：{}", q.question)}</h1>
            <div class="mt-4 whitespace-pre-line text-base leading-8">{format!("答：{}", q.answer)}</div>
            <dl class="mt-6 grid grid-cols-[6rem_1fr] gap-y-2 border-t border-stone-200 pt-4 text-sm">
                <dt class="text-stone-700">"答复部门"</dt>
                <dd>{match department_href {
                    Some(href) => view! { <A href=href attr:class="text-red-800 underline">{q.department.clone().unwrap_or_default()}</A> }.into_any(),
                    None => view! { <span>"—"</span> }.into_any(),
                }}</dd>
                <dt class="text-stone-700">"答复科室"</dt>
                <dd>{q.section.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                <dt class="text-stone-700">"咨询电话"</dt>
                <dd>{match q.phone.clone() {
                    Some(p) => {
                        let tel = format!("tel:{}", p.replace(['-', ' '], ""));
                        view! { <a href=tel class="text-red-800 underline">{p}</a> }.into_any()
                    }
                    None => view! { <span>"—"</span> }.into_any(),
                }}</dd>
                {d.topic.clone().map(|t| view! { <dt class="text-stone-700">"主题"</dt><dd>{t}</dd> })}
                {d.published_date.clone().map(|t| view! { <dt class="text-stone-700">"发布日期"</dt><dd>{t}</dd> })}
                {q.document_id.clone().zip(q.document_title.clone()).map(|(id, title)| view! {
                    <dt class="text-stone-700">"相关文件"</dt>
                    <dd><A href=format!("/documents/{id}") attr:class="text-red-800 underline" attr:id="qa-document">{title}</A></dd>
                })}
                {d.consultation_id.map(|c| view! {
                    <dt class="text-stone-700">"来源"</dt>
                    <dd><A href=format!("/consultations/{c}") attr:class="text-red-800 underline">"网民咨询"</A></dd>
                })}
            </dl>
            <p class="mt-6 flex flex-wrap gap-4 text-sm">
                <A href=match &q.document_id { Some(doc) => format!("/consult/new?document={doc}"), None => "/consult/new".to_owned() } attr:class="text-red-800 underline">"没有解决您的问题？在线咨询"</A>
                {d.editable.then(|| view! { <A href=format!("/staff/qa/{}/edit", q.id) attr:class="text-red-800 underline">"修改此问答"</A> })}
            </p>
        </article>
        {(!related.is_empty()).then(|| view! {
            <section aria-labelledby="related-qa" class="mt-6">
                <h2 id="related-qa" class="text-lg font-bold">"同一文件的其他问答"</h2>
                <ul class="mt-2 space-y-3">
                    {related.into_iter().map(|r| view! { <QaCard q=r link=true /> }).collect_view()}
                </ul>
            </section>
        })}
    }
    .into_any()
}

/// Staff write a new entry (`/staff/qa/new`, `?document=` preselects the document).
#[component]
pub fn QaNewPage() -> impl IntoView {
    let query = use_query_map();
    let document = query.with_untracked(|q| q.get("document").unwrap_or_default());
    let form = QaForm {
        document,
        ..Default::default()
    };
    view! { <QaFormView id=None form /> }
}

/// Staff edit an entry of their department.
#[component]
pub fn QaEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let form = Resource::new(id, get_qa_form);
    loaded(
        form,
        move |form| view! { <QaFormView id=Some(id()) form /> },
    )
}

#[component]
fn QaFormView(id: Option<String>, form: QaForm) -> impl IntoView {
    let action = ServerAction::<SaveQa>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let heading = if id.is_some() {
        "修改政策问答"
    } else {
        "新增政策问答"
    };
    view! {
        <Title text=heading />
        <section class="mx-auto max-w-2xl rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h1 class="text-2xl font-bold">{heading}</h1>
            <p class="mt-1 text-stone-700">"主动解读群众关心的问题。提交时会检查个人信息和敏感词。"</p>
            <ActionForm action attr:class="mt-4 space-y-4">
                <input type="hidden" name="id" value=id.clone().unwrap_or_default() />
                <div>
                    <label for="qa-question" class="font-medium">"问题"</label>
                    <input id="qa-question" name="form[question]" required maxlength="200" value=form.question class=field_class() />
                </div>
                <div>
                    <label for="qa-answer" class="font-medium">"答复内容"</label>
                    <textarea id="qa-answer" name="form[answer]" required rows="8" class=field_class()>{form.answer}</textarea>
                </div>
                <div class="grid gap-4 sm:grid-cols-2">
                    <div>
                        <label for="qa-section" class="font-medium">"答复科室"</label>
                        <input id="qa-section" name="form[section]" required maxlength="50" value=form.section class=field_class() placeholder="就业促进科" />
                    </div>
                    <div>
                        <label for="qa-phone" class="font-medium">"咨询电话"</label>
                        <input id="qa-phone" name="form[phone]" required type="tel" maxlength="30" value=form.phone class=field_class() placeholder="0553-1234567" />
                    </div>
                    <div>
                        <label for="qa-document" class="font-medium">"相关文件编号（选填）"</label>
                        <input id="qa-document" name="form[document]" maxlength="60" value=form.document class=field_class() />
                    </div>
                    <div>
                        <label for="qa-topic" class="font-medium">"主题（选填）"</label>
                        <input id="qa-topic" name="form[topic]" maxlength="60" value=form.topic class=field_class() />
                    </div>
                    <div>
                        <label for="qa-department" class="font-medium">"答复部门（管理员填写）"</label>
                        <input id="qa-department" name="form[department]" maxlength="60" value=form.department class=field_class() />
                    </div>
                </div>
                <FormError error />
                <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"保存并发布"</button>
            </ActionForm>
        </section>
    }
}
