//! `/units` and `/units/{id}`: the city's units, each with a front page of its own
//! (documents, interpretations, Q&A, consultations answered, contact) on one back end.

use domain::unit::{UnitDetail, UnitGroup};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::loaded;
use crate::error::AppError;

#[server(endpoint = "unit/list")]
pub async fn get_units() -> Result<Vec<UnitGroup>, AppError> {
    let state = crate::state::AppState::current()?;
    service::unit::list(&state.db)
        .await
        .map_err(crate::error::respond)
}

#[server(endpoint = "unit/detail")]
pub async fn get_unit(id: String) -> Result<UnitDetail, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let missing = || respond(service::ServiceError::NotFound("该单位".to_owned()));
    let id = id.parse().map_err(|_| missing())?;
    service::unit::detail(&state.db, &state.index, &state.qa, id)
        .await
        .map_err(respond)
}

#[component]
pub fn UnitsPage() -> impl IntoView {
    let units = Resource::new(|| (), |()| get_units());
    view! {
        <Title text="部门和区县" />
        <h1 class="text-2xl font-bold">"部门和区县"</h1>
        <p class="mt-1 text-stone-700">"市政府、市直部门和各县市区的政策文件、解读、问答与咨询答复，各单位分别公开。"</p>
        {loaded(units, |groups| view! {
            {groups.into_iter().map(|g| view! {
                <section class="mt-6" aria-labelledby=format!("level-{}", g.level)>
                    <h2 id=format!("level-{}", g.level) class="text-lg font-bold">{g.level.clone()}</h2>
                    <ul class="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                        {g.units.into_iter().map(|u| view! {
                            <li class="rounded-xl bg-white p-4 ring-1 ring-stone-200" data-unit=u.id>
                                <A href=u.href() attr:class="font-medium text-red-900 hover:underline">{u.name.clone()}</A>
                                <p class="mt-1 text-sm text-stone-700">
                                    {format!("文件 {} · 解读 {} · 问答 {} · 咨询答复 {}", u.documents, u.interpretations, u.qa, u.answered)}
                                </p>
                                {(u.awaiting_interpretation > 0).then(|| view! {
                                    <p class="mt-1 text-sm text-amber-900">{format!("解读待发布 {}", u.awaiting_interpretation)}</p>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        })}
    }
}

#[component]
pub fn UnitPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let unit = Resource::new(id, get_unit);
    loaded(unit, |d| view! { <UnitView d /> })
}

#[component]
fn UnitView(d: UnitDetail) -> impl IntoView {
    let u = d.unit.clone();
    let all_documents = format!("/library?issuer={}", domain::text::url_encode(&u.name));
    let all_qa = format!("/qa?department={}", domain::text::url_encode(&u.name));
    let heading = "mt-6 flex flex-wrap items-baseline justify-between gap-2";
    let list = "mt-2 divide-y divide-stone-200 rounded-xl bg-white ring-1 ring-stone-200";
    let empty = |text: &'static str| view! { <p class="mt-2 text-stone-700">{text}</p> };
    view! {
        <Title text=u.name.clone() />
        <p class="text-sm text-stone-700"><A href="/units" attr:class="underline">"部门和区县"</A></p>
        <h1 class="mt-2 text-2xl font-bold">{u.name.clone()}</h1>
        <p class="mt-1 text-stone-700">
            {u.level.clone().unwrap_or_default()}
            {u.phone.clone().map(|p| format!(" · 咨询电话 {p}"))}
        </p>
        <section aria-labelledby="unit-docs">
            <div class=heading>
                <h2 id="unit-docs" class="text-lg font-bold">{format!("政策文件（{}）", u.documents)}</h2>
                <A href=all_documents attr:class="text-sm text-red-800 underline">"全部文件"</A>
            </div>
            {if d.documents.is_empty() { empty("暂无文件。").into_any() } else { view! {
                <ul class=list>
                    {d.documents.into_iter().map(|h| view! {
                        <li class="p-3">
                            <A href=format!("/documents/{}", h.id) attr:class="text-red-900 hover:underline">{h.title.clone()}</A>
                            <p class="text-sm text-stone-700">{[h.doc_number.clone(), h.published_date.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any() }}
        </section>
        <section aria-labelledby="unit-interpretations">
            <h2 id="unit-interpretations" class="mt-6 text-lg font-bold">{format!("政策解读（{}）", u.interpretations)}</h2>
            {(u.awaiting_interpretation > 0).then(|| view! {
                <p class="mt-1 text-sm text-amber-900">{format!("另有 {} 份规范性文件解读待发布", u.awaiting_interpretation)}</p>
            })}
            {if d.interpretations.is_empty() { empty("暂无解读。").into_any() } else { view! {
                <ul class=list>
                    {d.interpretations.into_iter().map(|i| view! {
                        <li class="p-3">
                            <A href=format!("/documents/{}", i.document_id) attr:class="text-red-900 hover:underline">{i.title.clone()}</A>
                            <p class="text-sm text-stone-700">{[Some(i.form.clone()), i.published_date.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any() }}
        </section>
        <section aria-labelledby="unit-qa">
            <div class=heading>
                <h2 id="unit-qa" class="text-lg font-bold">{format!("政策问答（{}）", u.qa)}</h2>
                <A href=all_qa attr:class="text-sm text-red-800 underline">"全部问答"</A>
            </div>
            {if d.qa.is_empty() { empty("暂无问答。").into_any() } else { view! {
                <ul class=list>
                    {d.qa.into_iter().map(|q| view! {
                        <li class="p-3"><A href=format!("/qa/{}", q.id) attr:class="text-red-900 hover:underline">{q.question.clone()}</A></li>
                    }).collect_view()}
                </ul>
            }.into_any() }}
        </section>
        <section aria-labelledby="unit-consultations">
            <h2 id="unit-consultations" class="mt-6 text-lg font-bold">{format!("咨询答复（{}）", u.answered)}</h2>
            {if d.consultations.is_empty() { empty("暂无公开的咨询答复。").into_any() } else { view! {
                <ul class=list>
                    {d.consultations.into_iter().map(|c| view! {
                        <li class="p-3"><A href=format!("/consultations/{}", c.id) attr:class="text-red-900 hover:underline">{c.title.clone()}</A></li>
                    }).collect_view()}
                </ul>
            }.into_any() }}
        </section>
    }
}
