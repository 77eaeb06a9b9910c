//! Drafting and the three-level review: a unit's drafts, the draft page where the drafter
//! edits and submits and reviewers decide, the reviewer's queue, review levels for admins,
//! and the audit log.

pub mod audit;
pub mod grants;
pub mod lexicon;

use domain::library::DocType;
use domain::review::{
    ChangeForm, DecisionForm, DiffLine, DraftForm, DraftKind, DraftSummary, DraftView,
    DraftWarning, ReviewLevel, Stage,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::account::FormError;
use crate::components::{field_class, loaded};
use crate::error::AppError;

pub use audit::AuditLogPage;
pub use grants::GrantsPanel;
pub use lexicon::LexiconPage;

#[server(endpoint = "review/drafts")]
pub async fn get_drafts() -> Result<Vec<DraftSummary>, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::drafts(&state.db, user.as_ref())
        .await
        .map_err(respond)
}

#[server(endpoint = "review/queue")]
pub async fn get_queue() -> Result<Vec<DraftSummary>, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::queue(&state.db, user.as_ref())
        .await
        .map_err(respond)
}

#[server(endpoint = "review/draft")]
pub async fn get_draft(id: String) -> Result<DraftView, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::view(&state.db, user.as_ref(), &id)
        .await
        .map_err(respond)
}

/// Starts a draft and opens it.
#[server(endpoint = "review/create")]
pub async fn create_draft(form: DraftForm) -> Result<String, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    // The role is checked before the form, so a citizen learns nothing from the errors.
    service::review::require_drafter(user.as_ref()).map_err(respond)?;
    let draft = domain::review::Draft::parse(&form).map_err(respond)?;
    let id = service::review::create(&state.db, user.as_ref(), &draft)
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("/staff/drafts/{id}"));
    Ok(id)
}

#[server(endpoint = "review/update")]
pub async fn update_draft(id: String, form: DraftForm) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::require_drafter(user.as_ref()).map_err(respond)?;
    let draft = domain::review::Draft::parse(&form).map_err(respond)?;
    service::review::update(&state.db, user.as_ref(), &id, &draft)
        .await
        .map_err(respond)?;
    crate::notice::set("review/update", "已保存");
    Ok(())
}

/// Submits to 初审; answers the error-prone term warnings found.
#[server(endpoint = "review/submit")]
pub async fn submit_draft(id: String) -> Result<Vec<DraftWarning>, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::submit(&state.db, user.as_ref(), &id)
        .await
        .map_err(respond)
}

/// A reviewer's decision; answers the draft's new stage.
#[server(endpoint = "review/decide")]
pub async fn decide(id: String, form: DecisionForm) -> Result<Stage, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::require_reviewer(user.as_ref()).map_err(respond)?;
    let level = ReviewLevel::parse("level", &form.level).map_err(respond)?;
    let decision = domain::review::Decision::parse(&form).map_err(respond)?;
    service::review::decide(&state.db, user.as_ref(), &id, level, &decision)
        .await
        .map_err(respond)
}

/// The changes the caller may start on a published document (none for the public).
#[server(endpoint = "review/changeable")]
pub async fn changeable(document: String) -> Result<Vec<DraftKind>, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::lifecycle::changeable(&state.db, user.as_ref(), &document)
        .await
        .map_err(respond)
}

/// Starts a change of a published document (a revision, validity change, withdrawal or
/// added interpretation) and opens its draft.
#[server(endpoint = "review/start-change")]
pub async fn start_change(document: String, kind: String) -> Result<String, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::require_drafter(user.as_ref()).map_err(respond)?;
    let kind = DraftKind::parse("kind", &kind).map_err(respond)?;
    let id = service::review::lifecycle::start(&state.db, user.as_ref(), &document, kind)
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("/staff/drafts/{id}"));
    Ok(id)
}

/// The drafter saves the change's note, date, reason or replacing document.
#[server(endpoint = "review/save-change")]
pub async fn save_change(id: String, form: ChangeForm) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::lifecycle::save_change(&state.db, user.as_ref(), &id, &form)
        .await
        .map_err(respond)?;
    crate::notice::set("review/save-change", "已保存");
    Ok(())
}

/// The drafter removes a file from their editable draft.
#[server(endpoint = "review/detach")]
pub async fn detach_file(id: String, file: i64) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::files::detach(&state.db, user.as_ref(), &id, file)
        .await
        .map_err(respond)
}

/// The drafter adds an interpretation to their editable draft.
#[server(endpoint = "review/add-interpretation")]
pub async fn add_interpretation(
    id: String,
    form: domain::interpretation::InterpretationInput,
) -> Result<i64, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::require_drafter(user.as_ref()).map_err(respond)?;
    let input = domain::interpretation::InterpretationDraft::parse(&form).map_err(respond)?;
    service::review::interpretations::add(&state.db, user.as_ref(), &id, &input)
        .await
        .map_err(respond)
}

#[server(endpoint = "review/remove-interpretation")]
pub async fn remove_interpretation(id: String, interpretation: i64) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::interpretations::remove(&state.db, user.as_ref(), &id, interpretation)
        .await
        .map_err(respond)
}

/// `/staff/drafts`: the unit's drafts with their stages.
#[component]
pub fn DraftsPage() -> impl IntoView {
    let drafts = Resource::new(|| (), |()| get_drafts());
    view! {
        <Title text="起草文件" />
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-2xl font-bold">"起草文件"</h1>
            <A href="/staff/drafts/new" attr:class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"新建草稿"</A>
        </div>
        <p class="mt-1 text-stone-700">"先审核后公开：草稿提交后经初审、复审、终审三级审核，终审通过即公开，并推送给订阅用户。"</p>
        {loaded(drafts, |list| view! { <DraftList list empty="本单位还没有草稿。" /> })}
    }
}

/// `/staff/review`: what waits for the caller's review levels.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let queue = Resource::new(|| (), |()| get_queue());
    view! {
        <Title text="待审文件" />
        <h1 class="text-2xl font-bold">"待审文件"</h1>
        <p class="mt-1 text-stone-700">"等待您所担任审核级别的本单位文件，先提交的在前。"</p>
        {loaded(queue, |list| view! { <DraftList list empty="目前没有等待您审核的文件。" /> })}
    }
}

#[component]
fn DraftList(list: Vec<DraftSummary>, empty: &'static str) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200" role="status">{empty}</p> }
            .into_any();
    }
    view! {
        <ul class="mt-4 divide-y divide-stone-200 rounded-xl bg-white ring-1 ring-stone-200">
            {list.into_iter().map(|d| view! {
                <li class="p-4" data-draft=d.id.clone()>
                    <A href=format!("/staff/drafts/{}", d.id) attr:class="text-base font-medium text-red-900 hover:underline">{d.title.clone()}</A>
                    <p class="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-700">
                        <StageBadge stage=d.stage />
                        <KindBadge kind=d.kind />
                        <span>{d.unit.clone()}</span>
                        <span>{format!("起草：{}", d.author)}</span>
                        {(d.round > 1).then(|| view! { <span>{format!("第 {} 次提交", d.round)}</span> })}
                        <span>{format!("更新：{}", d.updated_at)}</span>
                    </p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn StageBadge(stage: Stage) -> impl IntoView {
    let tone = match stage {
        Stage::Published => "bg-green-50 text-green-900 ring-green-700",
        Stage::Returned => "bg-amber-50 text-amber-900 ring-amber-700",
        Stage::Editing => "bg-stone-50 text-stone-800 ring-stone-500",
        _ => "bg-red-50 text-red-900 ring-red-700",
    };
    view! {
        <span class=format!("rounded px-1.5 text-sm ring-1 {tone}") data-stage=stage.as_str()>{stage.as_str()}</span>
    }
}

/// What a change of a published document does; nothing for a new document.
#[component]
fn KindBadge(kind: DraftKind) -> impl IntoView {
    (kind != DraftKind::New).then(|| {
        view! {
            <span class="rounded bg-stone-100 px-1.5 text-sm text-stone-900 ring-1 ring-stone-500" data-kind=kind.as_str()>{kind.as_str()}</span>
        }
    })
}

/// The draft's fields, filled with `form`; `prefix` keeps ids unique on the page.
#[component]
fn DraftFields(form: DraftForm) -> impl IntoView {
    let selected = form.doc_type.clone();
    view! {
        <div>
            <label for="draft-title" class="font-medium">"标题"</label>
            <input id="draft-title" name="form[title]" required maxlength="200" value=form.title class=field_class() />
        </div>
        <div class="grid gap-4 sm:grid-cols-2">
            <div>
                <label for="draft-number" class="font-medium">"发文字号（选填）"</label>
                <input id="draft-number" name="form[doc_number]" placeholder="芜政〔2026〕1号" value=form.doc_number class=field_class() />
            </div>
            <div>
                <label for="draft-type" class="font-medium">"文件类型"</label>
                <select id="draft-type" name="form[doc_type]" class=field_class()>
                    {[DocType::Normative, DocType::Rule, DocType::Other]
                        .into_iter()
                        .map(|t| view! { <option value=t.as_str() selected=selected == t.as_str()>{t.as_str()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for="draft-topic" class="font-medium">"文件主题"</label>
                <input id="draft-topic" name="form[topic]" maxlength="50" value=form.topic class=field_class() />
            </div>
            <div>
                <label for="draft-audience" class="font-medium">"服务对象"</label>
                <input id="draft-audience" name="form[audience]" maxlength="50" value=form.audience class=field_class() />
            </div>
            <div>
                <label for="draft-category" class="font-medium">"特色分类（选填）"</label>
                <input id="draft-category" name="form[category]" maxlength="50" value=form.category class=field_class() />
            </div>
            <div>
                <label for="draft-index" class="font-medium">"索引号（选填）"</label>
                <input id="draft-index" name="form[index_no]" maxlength="50" value=form.index_no class=field_class() />
            </div>
        </div>
        <div>
            <label for="draft-body" class="font-medium">"正文"</label>
            <p id="draft-body-help" class="text-sm text-stone-700">
                "每行一段。“# ”开头为标题，“## ”为小标题，“1. ”为编号条目，“- ”为列表项，“| 项目 | 内容 |”为表格行（第一行为表头）。"
            </p>
            <textarea id="draft-body" name="form[body]" required rows="12" aria-describedby="draft-body-help" class=field_class()>{form.body}</textarea>
        </div>
    }
}

/// `/staff/drafts/new`: a new draft, saved before it is submitted.
#[component]
pub fn DraftNewPage() -> impl IntoView {
    let action = ServerAction::<CreateDraft>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text="新建草稿" />
        <section class="mx-auto max-w-2xl rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h1 class="text-2xl font-bold">"新建草稿"</h1>
            <p class="mt-1 text-stone-700">"保存后可继续修改，确认无误再提交审核。提交时自动检查个人信息、敏感词和错敏词。"</p>
            <ActionForm action attr:class="mt-4 space-y-4">
                <DraftFields form=DraftForm { doc_type: DocType::Normative.as_str().to_owned(), ..Default::default() } />
                <FormError error />
                <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"保存草稿"</button>
            </ActionForm>
        </section>
    }
}

#[derive(Clone, Copy)]
struct DraftActions {
    update: ServerAction<UpdateDraft>,
    change: ServerAction<SaveChange>,
    submit: ServerAction<SubmitDraft>,
    decide: ServerAction<Decide>,
    detach: ServerAction<DetachFile>,
    interpret: ServerAction<AddInterpretation>,
    uninterpret: ServerAction<RemoveInterpretation>,
}

/// `/staff/drafts/{id}`: the draft, what changed, its review history, and what the caller
/// may do: edit and submit (its drafter), or decide (the reviewer of the level it waits for).
#[component]
pub fn DraftPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let actions = DraftActions {
        update: ServerAction::new(),
        change: ServerAction::new(),
        submit: ServerAction::new(),
        decide: ServerAction::new(),
        detach: ServerAction::new(),
        interpret: ServerAction::new(),
        uninterpret: ServerAction::new(),
    };
    let draft = Resource::new(id, get_draft);
    loaded(draft, move |d| view! { <DraftDetail d actions /> })
}

#[component]
fn DraftDetail(d: DraftView, actions: DraftActions) -> impl IntoView {
    let s = d.summary.clone();
    let id = s.id.clone();
    view! {
        <Title text=s.title.clone() />
        <article>
            <p class="text-sm text-stone-700"><A href="/staff/drafts" attr:class="underline">"起草文件"</A></p>
            <h1 class="mt-2 text-xl font-bold leading-snug sm:text-2xl">{s.title.clone()}</h1>
            <p class="mt-2 flex flex-wrap items-center gap-3 text-sm text-stone-700">
                <StageBadge stage=s.stage />
                <KindBadge kind=s.kind />
                <span>{s.unit.clone()}</span>
                <span>{format!("起草：{}", s.author)}</span>
                {(s.round > 0).then(|| view! { <span>{format!("第 {} 次提交", s.round)}</span> })}
            </p>
            {d.document_id.clone().map(|doc| if s.stage == Stage::Published {
                view! {
                    <p class="mt-3 rounded bg-green-50 p-3 text-green-900 ring-1 ring-green-700" role="status">
                        "终审通过，已公开："
                        <A href=format!("/documents/{doc}") attr:class="underline" attr:id="published-link">"查看文件"</A>
                    </p>
                }.into_any()
            } else {
                view! {
                    <p class="mt-3 rounded bg-stone-50 p-3 ring-1 ring-stone-300">
                        {format!("{}：{}。", s.kind, s.kind.explain())}
                        <A href=format!("/documents/{doc}") attr:class="underline">"查看现行文件"</A>
                    </p>
                }.into_any()
            })}
            <Warnings warnings=d.warnings.clone() />
            {(!d.changes.is_empty()).then(|| view! { <Changes lines=d.changes.clone() /> })}
            {(s.kind != DraftKind::New).then(|| view! {
                <ChangePanel id=id.clone() kind=s.kind change=d.change.clone() editable=d.may_edit actions />
            })}
            {matches!(s.kind, DraftKind::New | DraftKind::Revision | DraftKind::Addendum).then(|| view! {
                <Files id=id.clone() files=d.files.clone() editable=d.may_edit actions />
                <Interpretations id=id.clone() items=d.interpretations.clone() files=d.files.clone() editable=d.may_edit actions />
            })}
            {if d.may_edit {
                view! { <EditPanel id=id.clone() kind=s.kind form=d.form.clone() actions /> }.into_any()
            } else if !s.kind.edits_content() {
                ().into_any()
            } else {
                view! {
                    <section aria-labelledby="text-heading" class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
                        <h2 id="text-heading" class="font-bold">"正文"</h2>
                        <div class="doc-body mt-2 space-y-2 leading-7" inner_html=d.body_html.clone()></div>
                    </section>
                }.into_any()
            }}
            {d.may_review.map(|level| view! {
                <DecisionPanel id=id.clone() level warned=!d.warnings.is_empty() actions />
            })}
            {(!d.reviews.is_empty()).then(|| view! {
                <section aria-labelledby="history-heading" class="mt-6">
                    <h2 id="history-heading" class="font-bold">"审核记录"</h2>
                    <ol class="mt-2 space-y-2 text-sm">
                        {d.reviews.iter().map(|r| view! {
                            <li data-review=r.level.as_str()>
                                <span class="text-stone-700">{r.at.clone()}</span>
                                {format!(" 第 {} 次提交 · {} · {}：{}", r.round, r.level, r.reviewer, r.decision)}
                                {r.comment.clone().map(|c| view! { <span class="block pl-4 text-stone-800">{format!("意见：{c}")}</span> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            })}
        </article>
    }
}

/// The draft's files; its drafter uploads (a plain multipart form: it works before the
/// page's script loads) and removes them.
#[component]
fn Files(
    id: String,
    files: Vec<domain::file::FileView>,
    editable: bool,
    actions: DraftActions,
) -> impl IntoView {
    let error = Signal::derive(move || actions.detach.value().get().and_then(Result::err));
    let upload = format!("/api/review/drafts/{id}/files");
    view! {
        <section aria-labelledby="files-heading" class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
            <h2 id="files-heading" class="font-bold">"附件"</h2>
            {if files.is_empty() {
                view! { <p class="mt-2 text-sm text-stone-700">"暂无附件。"</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 space-y-2 text-sm">
                        {files.into_iter().map(|f| {
                            let id = id.clone();
                            let label = format!("删除附件{}", f.name);
                            view! {
                                <li class="flex flex-wrap items-center gap-2" data-file=f.name.clone()>
                                    <a href=f.href.clone() class="text-red-800 underline">{f.name.clone()}</a>
                                    <span class="text-stone-700">{domain::file::human_size(f.size)}</span>
                                    {f.official.then(|| view! { <span class="rounded bg-red-50 px-1.5 text-red-900 ring-1 ring-red-700">"正式文本"</span> })}
                                    {editable.then(|| view! {
                                        <ActionForm action=actions.detach>
                                            <input type="hidden" name="id" value=id />
                                            <input type="hidden" name="file" value=f.id />
                                            <button type="submit" class="text-red-800 underline" aria-label=label>"删除"</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <FormError error />
            {editable.then(|| view! {
                <form method="post" enctype="multipart/form-data" action=upload class="mt-3 space-y-2 border-t border-stone-200 pt-3">
                    <div>
                        <label for="file-input" class="font-medium">"上传附件（PDF、OFD、Word、WPS、Excel、图片或 MP4，最大 50 MB）"</label>
                        <input id="file-input" type="file" name="file" required class="mt-1 block w-full text-sm" />
                    </div>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="official" value="on" />
                        "设为正式文本（下载版）"
                    </label>
                    <button type="submit" class="rounded px-4 py-2 font-medium ring-1 ring-stone-400 hover:bg-stone-100">"上传"</button>
                </form>
            })}
        </section>
    }
}

/// The draft's interpretations (reviewed and published with it); its drafter adds and
/// removes them.
#[component]
fn Interpretations(
    id: String,
    items: Vec<domain::interpretation::DraftInterpretation>,
    files: Vec<domain::file::FileView>,
    editable: bool,
    actions: DraftActions,
) -> impl IntoView {
    use domain::interpretation::InterpretationForm;
    let error = Signal::derive(move || {
        actions
            .interpret
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.uninterpret.value().get().and_then(Result::err))
    });
    let media: Vec<(i64, String)> = files
        .iter()
        .filter(|f| f.media_type.starts_with("image/") || f.media_type == "video/mp4")
        .map(|f| (f.id, f.name.clone()))
        .collect();
    let captions: Vec<(i64, String)> = files
        .iter()
        .filter(|f| f.media_type == "text/vtt")
        .map(|f| (f.id, f.name.clone()))
        .collect();
    let add_id = id.clone();
    view! {
        <section aria-labelledby="interpretations-heading" class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
            <h2 id="interpretations-heading" class="font-bold">"政策解读"</h2>
            <p class="mt-1 text-sm text-stone-700">"解读与文件同步起草、同步审核、同步发布。市本级行政规范性文件须有至少两种形式的解读。"</p>
            {if items.is_empty() {
                view! { <p class="mt-2 text-sm text-stone-700">"暂无解读。"</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 space-y-3">
                        {items.into_iter().map(|i| {
                            let id = id.clone();
                            let label = format!("删除解读{}", i.title);
                            view! {
                                <li class="rounded border border-stone-200 p-3" data-interpretation=i.form.as_str()>
                                    <p class="font-medium">
                                        <span class="mr-2 rounded bg-red-800 px-2 py-0.5 text-xs text-white">{i.form.as_str()}</span>
                                        {i.title.clone()}
                                    </p>
                                    {i.media.clone().zip(i.alt.clone()).map(|(src, alt)| view! {
                                        <img src=src alt=alt class="mt-2 max-h-64 rounded" loading="lazy" />
                                    })}
                                    {i.link.clone().map(|l| view! { <p class="mt-1 text-sm break-all">{format!("视频链接：{l}")}</p> })}
                                    <p class="mt-2 whitespace-pre-line text-sm leading-6">{i.body.clone()}</p>
                                    {editable.then(|| view! {
                                        <ActionForm action=actions.uninterpret attr:class="mt-2">
                                            <input type="hidden" name="id" value=id />
                                            <input type="hidden" name="interpretation" value=i.id />
                                            <button type="submit" class="text-sm text-red-800 underline" aria-label=label>"删除"</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <FormError error />
            {editable.then(move || view! {
                <ActionForm action=actions.interpret attr:class="mt-3 space-y-3 border-t border-stone-200 pt-3">
                    <input type="hidden" name="id" value=add_id />
                    <div class="grid gap-3 sm:grid-cols-2">
                        <div>
                            <label for="jd-form" class="font-medium">"解读形式"</label>
                            <select id="jd-form" name="form[form]" class=field_class()>
                                {InterpretationForm::ALL.iter().map(|f| view! { <option value=f.as_str()>{f.as_str()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="jd-title" class="font-medium">"解读标题"</label>
                            <input id="jd-title" name="form[title]" required maxlength="200" class=field_class() />
                        </div>
                    </div>
                    <div>
                        <label for="jd-body" class="font-medium">"解读正文（文字解读必填；图解、视频解读可写简介）"</label>
                        <textarea id="jd-body" name="form[body]" rows="5" class=field_class()></textarea>
                    </div>
                    <div class="grid gap-3 sm:grid-cols-2">
                        <div>
                            <label for="jd-file" class="font-medium">"图片或视频（先在上方上传）"</label>
                            <select id="jd-file" name="form[file]" class=field_class()>
                                <option value="">"不选"</option>
                                {media.into_iter().map(|(fid, name)| view! { <option value=fid>{name}</option> }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="jd-alt" class="font-medium">"图片的文字说明（图解必填）"</label>
                            <input id="jd-alt" name="form[alt]" maxlength="500" class=field_class() />
                        </div>
                        <div>
                            <label for="jd-caption" class="font-medium">"视频字幕（WEBVTT，选填）"</label>
                            <select id="jd-caption" name="form[caption]" class=field_class()>
                                <option value="">"不选"</option>
                                {captions.into_iter().map(|(fid, name)| view! { <option value=fid>{name}</option> }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="jd-link" class="font-medium">"视频链接（https，选填）"</label>
                            <input id="jd-link" name="form[link]" type="url" maxlength="500" class=field_class() />
                        </div>
                    </div>
                    <div>
                        <label for="jd-pairs" class="font-medium">"简明问答（每组一行“问：…”、一行“答：…”）"</label>
                        <textarea id="jd-pairs" name="form[pairs]" rows="4" class=field_class()></textarea>
                    </div>
                    <button type="submit" class="rounded px-4 py-2 font-medium ring-1 ring-stone-400 hover:bg-stone-100">"添加解读"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn Warnings(warnings: Vec<DraftWarning>) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        view! {
            <section aria-labelledby="warnings-heading" class="mt-4 rounded-xl bg-amber-50 p-4 ring-1 ring-amber-600">
                <h2 id="warnings-heading" class="font-bold">{format!("错敏词提示（{} 处）", warnings.len())}</h2>
                <ul class="mt-2 list-disc space-y-1 pl-5 text-sm">
                    {warnings.iter().map(|w| view! { <li data-warning=w.warning.found.clone()>{w.message()}</li> }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// What changed since the previous submission, line by line.
#[component]
fn Changes(lines: Vec<DiffLine>) -> impl IntoView {
    view! {
        <section aria-labelledby="changes-heading" class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
            <h2 id="changes-heading" class="font-bold">"与上次提交相比"</h2>
            <div class="mt-2 space-y-1 text-sm leading-6">
                {lines.into_iter().map(|l| match l {
                    DiffLine::Same(t) => view! { <p class="px-2">{t}</p> }.into_any(),
                    DiffLine::Added(t) => view! {
                        <p class="bg-green-50 px-2 text-green-900" data-change="added"><ins class="no-underline"><span class="sr-only">"新增："</span>"+ "{t}</ins></p>
                    }.into_any(),
                    DiffLine::Removed(t) => view! {
                        <p class="bg-red-50 px-2 text-red-900" data-change="removed"><del><span class="sr-only">"删除："</span>"− "{t}</del></p>
                    }.into_any(),
                }).collect_view()}
            </div>
        </section>
    }
}

/// The drafter's edit form and submit button.
#[component]
fn EditPanel(id: String, kind: DraftKind, form: DraftForm, actions: DraftActions) -> impl IntoView {
    let update_error = Signal::derive(move || actions.update.value().get().and_then(Result::err));
    let submit_error = Signal::derive(move || actions.submit.value().get().and_then(Result::err));
    let submit_id = id.clone();
    view! {
        <section aria-labelledby="edit-heading" class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
            <h2 id="edit-heading" class="font-bold">{if kind.edits_content() { "修改草稿" } else { "提交审核" }}</h2>
            {kind.edits_content().then(|| view! {
                <ActionForm action=actions.update attr:class="mt-3 space-y-4">
                    <input type="hidden" name="id" value=id />
                    <DraftFields form />
                    <FormError error=update_error />
                    <crate::notice::Notice key="review/update" />
                    <button type="submit" class="rounded px-4 py-2 font-medium ring-1 ring-stone-400 hover:bg-stone-100">"保存修改"</button>
                </ActionForm>
            })}
            <ActionForm action=actions.submit attr:class="mt-4 border-t border-stone-200 pt-4">
                <input type="hidden" name="id" value=submit_id />
                <p class="text-sm text-stone-700">"提交前请先保存修改。提交后由本单位初审、复审、终审依次审核。"</p>
                <FormError error=submit_error />
                <button type="submit" class="mt-2 rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"提交审核"</button>
            </ActionForm>
        </section>
    }
}

/// A change's own fields: the revision note, the validity change (to what, from when, why,
/// replaced by what) or the withdrawal notice; a form for the drafter, a summary for the
/// reviewers.
#[component]
fn ChangePanel(
    id: String,
    kind: DraftKind,
    change: ChangeForm,
    editable: bool,
    actions: DraftActions,
) -> impl IntoView {
    let error = Signal::derive(move || actions.change.value().get().and_then(Result::err));
    let reason_label = match kind {
        DraftKind::Revision => "修订说明（公开显示在修订记录中）",
        DraftKind::Withdrawal => "撤回原因（公开显示在撤回公告中）",
        _ => "变更原因（公开显示，并推送给订阅用户）",
    };
    if !editable {
        let rows: Vec<(&str, String)> = [
            ("变更后有效性", change.validity.clone()),
            ("生效日期", change.date.clone()),
            (reason_label, change.reason.clone()),
            ("替代文件", change.replaced_by.clone()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        return view! {
            <section aria-labelledby="change-heading" class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200" id="change-summary">
                <h2 id="change-heading" class="font-bold">{format!("{}内容", kind.as_str())}</h2>
                {if rows.is_empty() {
                    view! { <p class="mt-2 text-sm text-stone-700">"尚未填写。"</p> }.into_any()
                } else {
                    view! {
                        <dl class="mt-2 text-sm">
                            {rows.into_iter().map(|(k, v)| view! {
                                <div class="grid grid-cols-[8rem_1fr] gap-2 py-1"><dt class="text-stone-700">{k}</dt><dd>{v}</dd></div>
                            }).collect_view()}
                        </dl>
                    }.into_any()
                }}
            </section>
        }
        .into_any();
    }
    let validity = change.validity.clone();
    view! {
        <section aria-labelledby="change-heading" class="mt-4 rounded-xl bg-white p-4 ring-1 ring-stone-200">
            <h2 id="change-heading" class="font-bold">{format!("{}内容", kind.as_str())}</h2>
            <ActionForm action=actions.change attr:class="mt-3 space-y-4">
                <input type="hidden" name="id" value=id />
                {(kind == DraftKind::Validity).then(|| view! {
                    <div class="grid gap-4 sm:grid-cols-2">
                        <div>
                            <label for="change-validity" class="font-medium">"变更后有效性"</label>
                            <select id="change-validity" name="form[validity]" class=field_class()>
                                <option value="">"请选择"</option>
                                {["已修改", "废止", "失效"].into_iter().map(|v| view! {
                                    <option value=v selected=validity == v>{v}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="change-date" class="font-medium">"生效日期"</label>
                            <input id="change-date" type="date" name="form[date]" value=change.date.clone() class=field_class() />
                        </div>
                        <div class="sm:col-span-2">
                            <label for="change-replaced" class="font-medium">"替代文件（选填：文件编号或页面网址）"</label>
                            <input id="change-replaced" name="form[replaced_by]" maxlength="300" value=change.replaced_by.clone() class=field_class() />
                        </div>
                    </div>
                })}
                {(kind != DraftKind::Addendum).then(|| view! {
                    <div>
                        <label for="change-reason" class="font-medium">{reason_label}</label>
                        <textarea id="change-reason" name="form[reason]" rows="3" maxlength="500" class=field_class()>{change.reason.clone()}</textarea>
                    </div>
                })}
                {(kind == DraftKind::Addendum).then(|| view! {
                    <p class="text-sm text-stone-700">"在下方“政策解读”中添加解读后保存并提交审核。"</p>
                })}
                <FormError error />
                <crate::notice::Notice key="review/save-change" />
                <button type="submit" class="rounded px-4 py-2 font-medium ring-1 ring-stone-400 hover:bg-stone-100">{format!("保存{}内容", kind.as_str())}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// On a published document, for staff of its issuing organization: start a change of it,
/// of one of `kinds` (what [`changeable`] allows the caller; nothing shows when none).
#[component]
pub fn ChangeDocument(document: String, kinds: Vec<DraftKind>) -> impl IntoView {
    (!kinds.is_empty()).then(move || {
        let action = ServerAction::<StartChange>::new();
        let error = Signal::derive(move || action.value().get().and_then(Result::err));
        view! {
            <section aria-labelledby="manage-heading" class="mt-6 rounded-xl bg-stone-50 p-4 ring-1 ring-stone-300 print:hidden" id="manage">
                <h2 id="manage-heading" class="font-bold">"本单位文件管理"</h2>
                <ActionForm action attr:class="mt-2 space-y-2">
                    <input type="hidden" name="document" value=document />
                    <fieldset>
                        <legend class="text-sm text-stone-700">"变更须经初审、复审、终审后生效"</legend>
                        {kinds.into_iter().enumerate().map(|(n, k)| view! {
                            <label class="mt-1 flex items-start gap-2">
                                <input type="radio" name="kind" value=k.as_str() checked=n == 0 class="mt-1.5" />
                                <span><span class="font-medium">{k.as_str()}</span><span class="block text-sm text-stone-700">{k.explain()}</span></span>
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <FormError error />
                    <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"发起变更"</button>
                </ActionForm>
            </section>
        }
    })
}

/// A reviewer approves or returns the level they hold.
#[component]
fn DecisionPanel(
    id: String,
    level: ReviewLevel,
    warned: bool,
    actions: DraftActions,
) -> impl IntoView {
    let error = Signal::derive(move || actions.decide.value().get().and_then(Result::err));
    let last = level.next().is_none();
    view! {
        <section aria-labelledby="decide-heading" class="mt-6 rounded-xl bg-white p-4 ring-1 ring-stone-200">
            <h2 id="decide-heading" class="font-bold">{format!("{level}（{}）", level.duty())}</h2>
            {last.then(|| view! { <p class="mt-1 text-sm text-stone-700">"终审通过后文件立即公开，并推送给订阅用户。"</p> })}
            <ActionForm action=actions.decide attr:class="mt-3 space-y-3">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="form[level]" value=level.as_str() />
                <fieldset>
                    <legend class="font-medium">"审核结论"</legend>
                    <div class="mt-1 flex flex-wrap gap-4">
                        <label class="inline-flex items-center gap-2"><input type="radio" name="form[decision]" value="approve" checked=true />"通过"</label>
                        <label class="inline-flex items-center gap-2"><input type="radio" name="form[decision]" value="return" />"退回修改"</label>
                    </div>
                </fieldset>
                <div>
                    <label for="decide-comment" class="font-medium">"审核意见（退回时必填）"</label>
                    <textarea id="decide-comment" name="form[comment]" rows="3" maxlength="1000" class=field_class()></textarea>
                </div>
                {warned.then(|| view! {
                    <label class="flex items-center gap-2">
                        <input type="checkbox" name="form[acknowledged]" value="on" />
                        "已核对错敏词提示"
                    </label>
                })}
                <FormError error />
                <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"提交审核结论"</button>
            </ActionForm>
        </section>
    }
}
