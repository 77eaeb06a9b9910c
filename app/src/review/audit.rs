//! The audit log of what staff did, for admins: "可追溯、可倒查".

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::field_class;
use crate::error::AppError;

/// The audit log for admins; `query` is the page's URL query string (unit, person,
/// action, page).
#[server(endpoint = "review/audit")]
pub async fn get_audit(query: String) -> Result<domain::audit::AuditPage, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = crate::feed::signed_in("/admin/audit").await?;
    let q = domain::audit::AuditQuery::parse_query_string(&query).map_err(respond)?;
    service::audit::list(&state.db, Some(&user), &q)
        .await
        .map_err(respond)
}

/// `/admin/audit`: who did what, when, from where; filtered by unit, person and action.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    use domain::audit::AuditAction;
    use leptos_router::components::{A, Form};
    use leptos_router::hooks::use_query_map;
    let query = use_query_map();
    let raw = move || query.with(|q| q.to_query_string().trim_start_matches('?').to_owned());
    let log = Resource::new(raw, get_audit);
    let value = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    view! {
        <Title text="审计日志" />
        <h1 class="text-2xl font-bold">"审计日志"</h1>
        <p class="mt-1 text-stone-700">"每一次发布、答复、转办和问答编写都记录在案，逐条哈希链接，不可改动、不可删除。"</p>
        <Transition fallback=crate::components::Loading>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(page) => view! {
                        <Form method="GET" action="/admin/audit" attr:class="mt-4 grid gap-3 rounded-xl bg-white p-4 ring-1 ring-stone-200 sm:grid-cols-4">
                            <div>
                                <label for="audit-unit" class="font-medium">"单位"</label>
                                <select id="audit-unit" name="unit" class=field_class()>
                                    <option value="">"全部单位"</option>
                                    {page.units.iter().map(|u| {
                                        let selected = value("unit") == *u;
                                        view! { <option value=u.clone() selected=selected>{u.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="audit-person" class="font-medium">"人员（姓名或账号）"</label>
                                <input id="audit-person" name="person" maxlength="50" value=value("person") class=field_class() />
                            </div>
                            <div>
                                <label for="audit-action" class="font-medium">"操作"</label>
                                <select id="audit-action" name="action" class=field_class()>
                                    <option value="">"全部操作"</option>
                                    {AuditAction::ALL.iter().map(|a| {
                                        let selected = value("action") == a.as_str();
                                        view! { <option value=a.as_str() selected=selected>{a.as_str()}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="flex items-end">
                                <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"筛选"</button>
                            </div>
                        </Form>
                        <p class="mt-4" role="status">{format!("共 {} 条记录", page.total)}</p>
                        <div class="mt-2 overflow-x-auto">
                            <table class="w-full min-w-[40rem] rounded-xl bg-white text-sm ring-1 ring-stone-200">
                                <thead><tr class="text-left">
                                    <th scope="col" class="p-2">"时间"</th>
                                    <th scope="col" class="p-2">"人员"</th>
                                    <th scope="col" class="p-2">"单位"</th>
                                    <th scope="col" class="p-2">"操作"</th>
                                    <th scope="col" class="p-2">"对象"</th>
                                    <th scope="col" class="p-2">"来源地址"</th>
                                </tr></thead>
                                <tbody>
                                    {page.entries.into_iter().map(|e| view! {
                                        <tr class="border-t border-stone-200 align-top" data-audit-entry=e.id>
                                            <td class="p-2 whitespace-nowrap">{e.at}</td>
                                            <td class="p-2">{e.actor}</td>
                                            <td class="p-2">{e.unit.unwrap_or_default()}</td>
                                            <td class="p-2">{e.action.as_str()}</td>
                                            <td class="p-2"><A href=e.href.clone() attr:class="text-red-800 underline">{e.detail.unwrap_or(e.href)}</A></td>
                                            <td class="p-2">{e.address.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <crate::components::ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
