//! Policy consultation (政策咨询): asking, the public list of answered questions, each
//! consultation's page with the staff's actions, the personal center's list, the staff
//! inbox and the admin's routing table, calendar and word list.

use domain::consult::{
    AnswerForm, AskForm, ConsultDetail, ConsultFilter, ConsultList, ConsultSettings, ConsultStatus,
    ConsultSummary, SettingsForm,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::account::FormError;
use crate::components::{ErrorNotice, Loading, Pager, field_class, loaded};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::feed::signed_in;

/// What the ask page needs: the document asked about and the topics to choose from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AskContext {
    pub document: Option<(String, String)>,
    pub topics: Vec<String>,
}

#[server(endpoint = "consult/ask-context")]
pub async fn get_ask_context(document: String) -> Result<AskContext, AppError> {
    let state = crate::state::AppState::current()?;
    let back = match document.as_str() {
        "" => "/consult/new".to_owned(),
        d => format!("/consult/new?document={}", domain::text::url_encode(d)),
    };
    signed_in(&back).await?;
    let document = match document.as_str() {
        "" => None,
        id => state
            .documents
            .document(&state.db, &state.index, id)
            .await
            .ok()
            .map(|d| (d.id.clone(), d.title.clone())),
    };
    let settings_topics = service::feed::choices(&state.db, &state.index)
        .await?
        .into_iter()
        .find(|(f, _)| *f == domain::library::Facet::Topic)
        .map(|(_, v)| v)
        .unwrap_or_default();
    Ok(AskContext {
        document,
        topics: settings_topics,
    })
}

#[server(endpoint = "consult/ask")]
pub async fn ask(form: AskForm) -> Result<i64, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    let id = service::consult::ask(&state.db, user.as_ref(), &form)
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("/consultations/{id}"));
    Ok(id)
}

#[server(endpoint = "consult/detail")]
pub async fn get_consultation(id: i64) -> Result<ConsultDetail, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::consult::detail(&state.db, user.as_ref(), id)
        .await
        .map_err(respond)
}

#[server(endpoint = "consult/public")]
pub async fn public_consultations(page: u32) -> Result<ConsultList, AppError> {
    let state = crate::state::AppState::current()?;
    Ok(service::consult::public_list(&state.db, page).await?)
}

#[server(endpoint = "consult/mine")]
pub async fn my_consultations(page: u32) -> Result<ConsultList, AppError> {
    let state = crate::state::AppState::current()?;
    let user = signed_in("/me/consultations").await?;
    Ok(service::consult::mine(&state.db, Some(&user), page).await?)
}

/// The staff inbox; `query` is the page's URL query string (status, overdue, page).
#[server(endpoint = "consult/inbox")]
pub async fn inbox(query: String) -> Result<ConsultList, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = signed_in("/staff/inbox").await?;
    let filter = ConsultFilter::parse_query_string(&query).map_err(respond)?;
    service::consult::inbox(&state.db, Some(&user), &filter)
        .await
        .map_err(respond)
}

/// Q&A entries of the caller's department whose document changed, to check again.
#[server(endpoint = "qa/flagged")]
pub async fn flagged_qa() -> Result<Vec<domain::qa::FlaggedQa>, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = signed_in("/staff/inbox").await?;
    service::qa::flagged(&state.db, Some(&user))
        .await
        .map_err(respond)
}

#[server(endpoint = "consult/answer")]
pub async fn answer(id: i64, form: AnswerForm) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::consult::answer(&state.db, user.as_ref(), id, &form)
        .await
        .map_err(respond)
}

/// Publishes an earlier answer into the knowledge base.
#[server(endpoint = "consult/publish")]
pub async fn publish_answer(id: i64, form: AnswerForm) -> Result<String, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::consult::publish_answer(&state.db, user.as_ref(), id, &form)
        .await
        .map_err(respond)
}

#[server(endpoint = "consult/assign")]
pub async fn assign(id: i64, department: String) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::consult::assign(&state.db, user.as_ref(), id, &department)
        .await
        .map_err(respond)
}

#[server(endpoint = "consult/reject")]
pub async fn reject(id: i64, reason: String) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::consult::reject(&state.db, user.as_ref(), id, &reason)
        .await
        .map_err(respond)
}

#[server(endpoint = "consult/close")]
pub async fn close(id: i64) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::consult::close(&state.db, user.as_ref(), id)
        .await
        .map_err(respond)
}

#[server(endpoint = "consult/settings")]
pub async fn get_consult_settings() -> Result<ConsultSettings, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = signed_in("/admin/consult").await?;
    service::consult::settings(&state.db, Some(&user))
        .await
        .map_err(respond)
}

#[server(endpoint = "consult/save-settings")]
pub async fn save_settings(form: SettingsForm) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::consult::save_settings(&state.db, user.as_ref(), &form)
        .await
        .map_err(respond)?;
    crate::notice::set("consult/save-settings", "已保存");
    Ok(())
}

fn status_class(status: ConsultStatus) -> &'static str {
    match status {
        ConsultStatus::Submitted => "bg-stone-100 text-stone-900 ring-stone-500",
        ConsultStatus::Assigned => "bg-sky-50 text-sky-900 ring-sky-700",
        ConsultStatus::Answered => "bg-emerald-50 text-emerald-900 ring-emerald-700",
        ConsultStatus::Closed => "bg-stone-50 text-stone-800 ring-stone-400",
        ConsultStatus::Rejected => "bg-amber-50 text-amber-950 ring-amber-600",
    }
}

#[component]
fn StatusBadge(status: ConsultStatus) -> impl IntoView {
    view! {
        <span class=format!("rounded px-1.5 text-sm ring-1 {}", status_class(status)) data-status=status.as_str()>
            {status.as_str()}
        </span>
    }
}

/// One consultation in a list; `clock` shows the due date and days left.
#[component]
fn ConsultItem(c: ConsultSummary, #[prop(optional)] clock: bool) -> impl IntoView {
    let overdue = c.deadline.overdue;
    view! {
        <li class="p-4" data-consultation=c.id data-overdue=overdue.to_string()>
            <A href=format!("/consultations/{}", c.id) attr:class="text-base font-medium text-red-900 hover:underline">{c.title.clone()}</A>
            <p class="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-700">
                <StatusBadge status=c.status />
                <span>{c.department.clone().unwrap_or_else(|| "待分办".to_owned())}</span>
                <span>{format!("提问：{}", c.asked_at)}</span>
                {clock.then(|| view! {
                    <span class=if overdue { "font-bold text-red-800" } else { "" }>
                        {format!("答复期限：{}", c.deadline.due_on)}
                        {(c.status.is_open()).then(|| format!("（{}）", c.deadline.describe()))}
                    </span>
                })}
                {(!c.public).then(|| view! { <span>"不公开"</span> })}
            </p>
            {c.document_title.clone().map(|t| view! { <p class="mt-1 text-sm text-stone-700">{format!("相关文件：{t}")}</p> })}
        </li>
    }
}

#[component]
fn ConsultListView(
    list: ConsultList,
    #[prop(optional)] clock: bool,
    href: fn(u32) -> String,
    empty: &'static str,
) -> impl IntoView {
    let pages = domain::library::page_count(list.total, domain::consult::LIST_PAGE);
    let page = list.page;
    view! {
        {list.items.is_empty().then(|| view! { <p class="mt-4 rounded-xl bg-white p-4 text-stone-700 ring-1 ring-stone-200">{empty}</p> })}
        <ol id="consultations" class="mt-3 divide-y divide-stone-200 rounded-xl bg-white ring-1 ring-stone-200 empty:hidden">
            {list.items.into_iter().map(|c| view! { <ConsultItem c clock /> }).collect_view()}
        </ol>
        <Pager page pages href />
    }
}

fn page_param() -> impl Fn() -> u32 + Copy {
    let query = use_query_map();
    move || query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1))
}

/// Signed-in users ask (`/consult/new`, `?document=` preselects the document).
#[component]
pub fn AskPage() -> impl IntoView {
    let query = use_query_map();
    let document = move || query.with(|q| q.get("document").unwrap_or_default());
    let context = Resource::new(document, get_ask_context);
    view! {
        <Title text="我要咨询" />
        {loaded(context, |c| view! { <AskFormView c /> })}
    }
}

#[component]
fn AskFormView(c: AskContext) -> impl IntoView {
    let action = ServerAction::<Ask>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let doc_id = c
        .document
        .as_ref()
        .map(|(id, _)| id.clone())
        .unwrap_or_default();
    view! {
        <section class="mx-auto max-w-2xl rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h1 class="text-2xl font-bold">"我要咨询"</h1>
            <p class="mt-1 text-stone-700">"您的问题将交给主管部门，一般在 5 个工作日内答复，答复会推送到您的个人中心。"</p>
            {c.document.clone().map(|(id, title)| view! {
                <p class="mt-3 rounded bg-stone-50 p-3 ring-1 ring-stone-200" id="ask-document">
                    "咨询的文件：" <A href=format!("/documents/{id}") attr:class="text-red-800 underline">{title}</A>
                </p>
            })}
            <ActionForm action attr:class="mt-4 space-y-4">
                <input type="hidden" name="form[document]" value=doc_id />
                <div>
                    <label for="ask-title" class="font-medium">"标题"</label>
                    <input id="ask-title" name="form[title]" required minlength="5" maxlength="50" class=field_class() placeholder="例如：高校毕业生就业见习补贴如何申请" />
                </div>
                <div>
                    <label for="ask-body" class="font-medium">"问题描述"</label>
                    <textarea id="ask-body" name="form[body]" required minlength="10" maxlength="1000" rows="6" aria-describedby="ask-body-hint" class=field_class()></textarea>
                    <p id="ask-body-hint" class="mt-1 text-sm text-stone-700">"10 至 1000 字。请勿填写身份证号、手机号、银行卡号等个人信息。"</p>
                </div>
                <div>
                    <label for="ask-topic" class="font-medium">"主题（选填）"</label>
                    <select id="ask-topic" name="form[topic]" class=field_class()>
                        <option value="">"不限"</option>
                        {c.topics.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="flex items-start gap-2">
                    <input id="ask-public" name="form[public]" type="checkbox" value="on" checked class="mt-1 h-5 w-5" />
                    <label for="ask-public">"同意公开问题和答复（公开时不显示您的姓名和联系方式），方便其他人查阅"</label>
                </div>
                <FormError error />
                <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"提交咨询"</button>
            </ActionForm>
        </section>
    }
}

/// Public answered consultations.
#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let page = page_param();
    let list = Resource::new(page, public_consultations);
    view! {
        <Title text="政策咨询" />
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-2xl font-bold">"政策咨询"</h1>
            <A href="/consult/new" attr:class="rounded bg-red-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-900">"我要咨询"</A>
        </div>
        <p class="mt-1 text-stone-700">"已答复并同意公开的网民咨询。也可以先在" <A href="/qa" attr:class="text-red-800 underline">"政策问答"</A> "中查找。"</p>
        {loaded(list, |list| view! { <ConsultListView list href=|p| format!("/consultations?page={p}") empty="暂无公开的咨询。" /> })}
    }
}

/// The asker's consultations in the personal center.
#[component]
pub fn MyConsultationsPage() -> impl IntoView {
    let page = page_param();
    let list = Resource::new(page, my_consultations);
    view! {
        <Title text="我的咨询" />
        <h1 class="text-2xl font-bold">"个人中心"</h1>
        <div class="mt-2"><crate::feed::CenterNav current="consultations" /></div>
        <p class="mt-4"><A href="/consult/new" attr:class="text-red-800 underline">"我要咨询"</A></p>
        {loaded(list, |list| view! { <ConsultListView list clock=true href=|p| format!("/me/consultations?page={p}") empty="您还没有提交过咨询。" /> })}
    }
}

/// The staff inbox with status and overdue filters.
/// "关联文件有变化": the department's Q&A entries to check again, shown only when there are any.
#[component]
fn FlaggedQaList() -> impl IntoView {
    let list = Resource::new(|| (), |_| flagged_qa());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => ().into_any(),
                    Ok(items) => view! {
                        <section aria-labelledby="flagged-qa" class="mt-4 rounded-xl bg-amber-50 p-4 ring-1 ring-amber-600">
                            <h2 id="flagged-qa" class="font-bold text-amber-950">
                                {format!("关联文件有变化、待复核的政策问答（{} 条）", items.len())}
                            </h2>
                            <ul class="mt-2 space-y-2 text-sm">
                                {items.into_iter().map(|q| view! {
                                    <li>
                                        <A href=format!("/staff/qa/{}/edit", q.id) attr:class="text-red-800 underline">{q.question}</A>
                                        <p class="text-stone-800">{q.flag}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let raw = move || query.with(|q| q.to_query_string().trim_start_matches('?').to_owned());
    let list = Resource::new(raw, inbox);
    let filter = move || ConsultFilter::parse_query_string(&raw()).unwrap_or_default();
    let tab = move |status: Option<ConsultStatus>, label: &'static str| {
        let f = filter();
        let here = f.status == status && !f.overdue;
        let href = ConsultFilter {
            status,
            department: f.department.clone(),
            ..Default::default()
        }
        .to_query_string();
        view! {
            <A href=format!("/staff/inbox?{href}") attr:aria-current=here.then_some("page")
                attr:class=if here { "rounded px-2 py-1 bg-red-800 text-white" } else { "rounded px-2 py-1 text-red-800 underline" }>{label}</A>
        }
    };
    view! {
        <Title text="待办咨询" />
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-2xl font-bold">"待办咨询"</h1>
            <A href="/staff/qa/new" attr:class="text-sm text-red-800 underline">"新增政策问答"</A>
        </div>
        <nav aria-label="办理状态" class="mt-3 flex flex-wrap gap-2 text-sm">
            {move || view! {
                {tab(None, "待办理")}
                {tab(Some(ConsultStatus::Answered), "已答复")}
                {tab(Some(ConsultStatus::Closed), "已办结")}
                {tab(Some(ConsultStatus::Rejected), "不予受理")}
                {
                    let f = filter();
                    let href = ConsultFilter { overdue: true, department: f.department.clone(), ..Default::default() }.to_query_string();
                    view! {
                        <A href=format!("/staff/inbox?{href}") attr:aria-current=f.overdue.then_some("page")
                            attr:class=if f.overdue { "rounded px-2 py-1 bg-red-800 text-white" } else { "rounded px-2 py-1 text-red-800 underline" }>"已超期"</A>
                    }
                }
            }}
        </nav>
        <FlaggedQaList />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => {
                        let overdue = list.overdue;
                        view! {
                            <p class="mt-3 text-sm" aria-live="polite">
                                "共 " <span id="inbox-total" class="font-bold text-red-800">{list.total}</span> " 件"
                                {(overdue > 0).then(|| view! { <span class="ml-3 font-bold text-red-800">{format!("其中超期未办 {overdue} 件")}</span> })}
                            </p>
                            <ConsultListView list clock=true href=|p| format!("/staff/inbox?page={p}") empty="没有符合条件的咨询。" />
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One consultation: the question, the answer, the record, and what the viewer may do.
#[component]
pub fn ConsultationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let answer = ServerAction::<Answer>::new();
    let publish = ServerAction::<PublishAnswer>::new();
    let assign = ServerAction::<Assign>::new();
    let reject = ServerAction::<Reject>::new();
    let close = ServerAction::<Close>::new();
    let detail = Resource::new(id, get_consultation);
    let actions = Actions {
        answer,
        publish,
        assign,
        reject,
        close,
    };
    loaded(detail, move |d| view! { <ConsultationView d actions /> })
}

#[derive(Clone, Copy)]
struct Actions {
    answer: ServerAction<Answer>,
    publish: ServerAction<PublishAnswer>,
    assign: ServerAction<Assign>,
    reject: ServerAction<Reject>,
    close: ServerAction<Close>,
}

#[component]
fn ConsultationView(d: ConsultDetail, actions: Actions) -> impl IntoView {
    let s = d.summary.clone();
    let id = s.id;
    let open = s.status.is_open();
    let row = |label: &'static str, value: String| {
        view! {
            <div class="grid grid-cols-[6rem_1fr] gap-2 border-b border-stone-200 py-2">
                <dt class="text-stone-700">{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <Title text=s.title.clone() />
        <article>
            <p class="text-sm text-stone-700"><A href="/consultations" attr:class="underline">"政策咨询"</A></p>
            <h1 class="mt-2 text-xl font-bold leading-snug sm:text-2xl">{s.title.clone()}</h1>
            <p class="mt-2 flex flex-wrap items-center gap-3 text-sm">
                <StatusBadge status=s.status />
                {(open && s.deadline.overdue).then(|| view! { <span class="font-bold text-red-800">"已超期"</span> })}
            </p>
            <dl class="mt-3 rounded-xl bg-white px-4 text-sm ring-1 ring-stone-200">
                {row("办理部门", s.department.clone().unwrap_or_else(|| "待分办".to_owned()))}
                {row("提问时间", s.asked_at.clone())}
                {open.then(|| row("答复期限", format!("{}（{}）", s.deadline.due_on, s.deadline.describe())))}
                {d.topic.clone().map(|t| row("主题", t))}
                {row("是否公开", if s.public { "公开".to_owned() } else { "不公开".to_owned() })}
            </dl>
            {d.document_id.clone().zip(s.document_title.clone()).map(|(doc, title)| view! {
                <p class="mt-3 text-sm">"相关文件：" <A href=format!("/documents/{doc}") attr:class="text-red-800 underline">{title}</A></p>
            })}
            <section aria-labelledby="question" class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
                <h2 id="question" class="font-bold">"问题"</h2>
                <p class="mt-2 whitespace-pre-line leading-7">{d.body.clone()}</p>
            </section>
            {d.answer.clone().map(|a| view! {
                <section aria-labelledby="answer-heading" id="answer" class="mt-4 rounded-xl bg-emerald-50 p-4 ring-1 ring-emerald-700">
                    <h2 id="answer-heading" class="font-bold">"答复"</h2>
                    <p class="mt-2 whitespace-pre-line leading-7">{a}</p>
                    <p class="mt-2 text-sm text-stone-800">
                        {format!("{} · {}", s.department.clone().unwrap_or_default(), d.answered_at.clone().unwrap_or_default())}
                    </p>
                    {d.qa_id.clone().map(|q| view! {
                        <p class="mt-1 text-sm"><A href=format!("/qa/{q}") attr:class="text-red-800 underline" attr:id="answer-qa">"已收入政策问答"</A></p>
                    })}
                </section>
            })}
            {d.reject_reason.clone().map(|r| view! {
                <section aria-labelledby="reject-heading" class="mt-4 rounded-xl bg-amber-50 p-4 ring-1 ring-amber-600">
                    <h2 id="reject-heading" class="font-bold">"不予受理"</h2>
                    <p class="mt-2 leading-7">{r}</p>
                </section>
            })}
            {d.allowed.close.then(|| {
                let close = actions.close;
                view! {
                    <ActionForm action=close attr:class="mt-4">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="rounded px-3 py-1.5 text-sm ring-1 ring-stone-400 hover:bg-stone-100">"问题已解决，确认办结"</button>
                    </ActionForm>
                }
            })}
            {(d.allowed.answer || d.allowed.publish).then(|| view! { <AnswerPanel d=d.clone() actions /> })}
            {d.allowed.assign.then(|| view! { <TransferPanel d=d.clone() actions /> })}
            {(!d.log.is_empty()).then(|| view! {
                <section aria-labelledby="log-heading" class="mt-6">
                    <h2 id="log-heading" class="font-bold">"办理记录"</h2>
                    <ol class="mt-2 space-y-1 text-sm">
                        {d.log.iter().map(|l| view! { <li><span class="text-stone-700">{l.at.clone()}</span> " " {l.text.clone()}</li> }).collect_view()}
                    </ol>
                </section>
            })}
        </article>
    }
    .into_any()
}

/// Staff answer (optionally publishing into the knowledge base), or publish an earlier answer.
#[component]
fn AnswerPanel(d: ConsultDetail, actions: Actions) -> impl IntoView {
    let id = d.summary.id;
    let publish_only = !d.allowed.answer;
    let error = Signal::derive(move || {
        actions
            .answer
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.publish.value().get().and_then(Result::err))
    });
    let fields = move || {
        view! {
            <div class="grid gap-4 sm:grid-cols-2">
                <div class="sm:col-span-2">
                    <label for="qa-question" class="font-medium">"问答中的问题（选填，默认用标题）"</label>
                    <input id="qa-question" name="form[question]" maxlength="200" class=field_class() />
                </div>
                <div>
                    <label for="answer-section" class="font-medium">"答复科室"</label>
                    <input id="answer-section" name="form[section]" maxlength="50" class=field_class() placeholder="就业促进科" />
                </div>
                <div>
                    <label for="answer-phone" class="font-medium">"咨询电话"</label>
                    <input id="answer-phone" name="form[phone]" type="tel" maxlength="30" value=d.phone.clone().unwrap_or_default() class=field_class() />
                </div>
            </div>
        }
    };
    view! {
        <section aria-labelledby="answer-form-heading" class="mt-6 rounded-xl bg-white p-4 ring-1 ring-stone-200">
            {if publish_only {
                view! {
                    <h2 id="answer-form-heading" class="font-bold">"发布到政策问答"</h2>
                    <ActionForm action=actions.publish attr:class="mt-3 space-y-4">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="form[answer]" value="" />
                        {fields()}
                        <FormError error />
                        <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"发布到政策问答"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <h2 id="answer-form-heading" class="font-bold">"答复"</h2>
                    <ActionForm action=actions.answer attr:class="mt-3 space-y-4">
                        <input type="hidden" name="id" value=id />
                        <div>
                            <label for="answer-text" class="font-medium">"答复内容"</label>
                            <textarea id="answer-text" name="form[answer]" required rows="6" class=field_class()></textarea>
                        </div>
                        <div class="flex items-start gap-2">
                            <input id="answer-publish" name="form[publish]" type="checkbox" value="on" class="mt-1 h-5 w-5" />
                            <label for="answer-publish">"同时发布到政策问答（需填写答复科室和电话）"</label>
                        </div>
                        {fields()}
                        <FormError error />
                        <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"提交答复"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// Staff transfer a consultation, or decline it with a reason.
#[component]
fn TransferPanel(d: ConsultDetail, actions: Actions) -> impl IntoView {
    let id = d.summary.id;
    let assign_error = Signal::derive(move || actions.assign.value().get().and_then(Result::err));
    let reject_error = Signal::derive(move || actions.reject.value().get().and_then(Result::err));
    view! {
        <section aria-labelledby="transfer-heading" class="mt-6 grid gap-4 rounded-xl bg-white p-4 ring-1 ring-stone-200 sm:grid-cols-2">
            <h2 id="transfer-heading" class="sr-only">"转办或不予受理"</h2>
            <ActionForm action=actions.assign attr:class="space-y-2">
                <input type="hidden" name="id" value=id />
                <label for="assign-department" class="font-medium">"转交部门"</label>
                <select id="assign-department" name="department" class=field_class()>
                    {d.departments.iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                </select>
                <FormError error=assign_error />
                <button type="submit" class="rounded px-3 py-1.5 ring-1 ring-stone-400 hover:bg-stone-100">"转办"</button>
            </ActionForm>
            <ActionForm action=actions.reject attr:class="space-y-2">
                <input type="hidden" name="id" value=id />
                <label for="reject-reason" class="font-medium">"不予受理的理由"</label>
                <textarea id="reject-reason" name="reason" rows="2" maxlength="500" class=field_class()></textarea>
                <FormError error=reject_error />
                <button type="submit" class="rounded px-3 py-1.5 ring-1 ring-stone-400 hover:bg-stone-100">"不予受理"</button>
            </ActionForm>
        </section>
    }
}

/// Admins keep the routing table, the calendar, the deadline and the words, and see how
/// each department is doing.
#[component]
pub fn ConsultAdminPage() -> impl IntoView {
    let save = ServerAction::<SaveSettings>::new();
    let settings = Resource::new(|| (), |()| get_consult_settings());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <Title text="咨询设置" />
        <h1 class="text-2xl font-bold">"咨询设置"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => view! {
                        <section aria-labelledby="load-heading" class="mt-4">
                            <h2 id="load-heading" class="text-lg font-bold">"各部门办理情况"</h2>
                            <div class="mt-2 overflow-x-auto">
                                <table class="w-full min-w-[28rem] rounded-xl bg-white text-sm ring-1 ring-stone-200">
                                    <thead><tr class="text-left">
                                        <th scope="col" class="p-2">"部门"</th>
                                        <th scope="col" class="p-2">"办理中"</th>
                                        <th scope="col" class="p-2">"超期"</th>
                                        <th scope="col" class="p-2">"已答复"</th>
                                    </tr></thead>
                                    <tbody>
                                        {s.load.iter().map(|l| {
                                            let name = l.department.clone().unwrap_or_else(|| "待分办".to_owned());
                                            let href = match &l.department {
                                                Some(d) => format!("/staff/inbox?department={}", domain::text::url_encode(d)),
                                                None => "/staff/inbox".to_owned(),
                                            };
                                            view! {
                                                <tr class="border-t border-stone-200">
                                                    <td class="p-2"><A href=href attr:class="text-red-800 underline">{name}</A></td>
                                                    <td class="p-2">{l.open}</td>
                                                    <td class={if l.overdue > 0 { "p-2 font-bold text-red-800" } else { "p-2" }}>{l.overdue}</td>
                                                    <td class="p-2">{l.answered}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                        <ActionForm action=save attr:class="mt-6 space-y-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
                            <div>
                                <label for="set-routes" class="font-medium">"分办规则（每行一条：主题=部门）"</label>
                                <textarea id="set-routes" name="form[routes]" rows="6" class=field_class()>
                                    {s.routes.iter().map(|(t, d)| format!("{t}={d}")).collect::<Vec<_>>().join("\n")}
                                </textarea>
                                <p class="mt-1 text-sm text-stone-700">{format!("主题可选：{}", s.topics.join("、"))}</p>
                            </div>
                            <div class="grid gap-4 sm:grid-cols-2">
                                <div>
                                    <label for="set-holidays" class="font-medium">"法定节假日（每行一个日期）"</label>
                                    <textarea id="set-holidays" name="form[holidays]" rows="6" class=field_class()>{s.holidays.join("\n")}</textarea>
                                </div>
                                <div>
                                    <label for="set-makeup" class="font-medium">"调休上班日（每行一个日期）"</label>
                                    <textarea id="set-makeup" name="form[makeup_workdays]" rows="6" class=field_class()>{s.makeup_workdays.join("\n")}</textarea>
                                </div>
                                <div>
                                    <label for="set-due" class="font-medium">"答复时限（工作日）"</label>
                                    <input id="set-due" name="form[due_days]" type="number" min="1" max="60" value=s.due_days.to_string() class=field_class() />
                                </div>
                                <div>
                                    <label for="set-words" class="font-medium">"敏感词（每行一个）"</label>
                                    <textarea id="set-words" name="form[sensitive_words]" rows="6" class=field_class()>{s.sensitive_words.join("\n")}</textarea>
                                </div>
                            </div>
                            <FormError error />
                            <crate::notice::Notice key="consult/save-settings" />
                            <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"保存设置"</button>
                        </ActionForm>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
