//! Review levels for admins, on `/admin/staff`: who holds 初审, 复审 and 终审 for which unit.

use domain::review::{GrantForm, GrantView, ReviewLevel};
use leptos::prelude::*;

use crate::account::FormError;
use crate::components::field_class;
use crate::error::AppError;

#[server(endpoint = "review/grants")]
pub async fn get_grants() -> Result<Vec<GrantView>, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::grants::list(&state.db, user.as_ref())
        .await
        .map_err(respond)
}

#[server(endpoint = "review/grant")]
pub async fn grant(form: GrantForm) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::grants::grant(&state.db, user.as_ref(), &form)
        .await
        .map_err(respond)
}

#[server(endpoint = "review/revoke")]
pub async fn revoke(id: i64) -> Result<(), AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::review::grants::revoke(&state.db, user.as_ref(), id)
        .await
        .map_err(respond)
}

/// The grant form and the list of levels held, each with 撤销.
#[component]
pub fn GrantsPanel() -> impl IntoView {
    let add = ServerAction::<Grant>::new();
    let remove = ServerAction::<Revoke>::new();
    let error = Signal::derive(move || {
        add.value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove.value().get().and_then(Result::err))
    });
    let grants = Resource::new(|| (), |()| get_grants());
    view! {
        <section aria-labelledby="grants-heading" class="mx-auto mt-6 max-w-2xl rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h2 id="grants-heading" class="text-xl font-bold">"审核级别"</h2>
            <p class="mt-1 text-stone-700">"初审由科室负责人、复审由分管负责人、终审由主要负责人担任，须为本单位工作人员；市政府及市政府办公室文件的终审由市政务公开办公室担任。同一份文件的各级审核须由不同的人完成。"</p>
            <ActionForm action=add attr:class="mt-4 grid gap-3 sm:grid-cols-3">
                <div>
                    <label for="grant-login" class="font-medium">"工作人员账号"</label>
                    <input id="grant-login" name="form[login]" required autocomplete="off" class=field_class() />
                </div>
                <div>
                    <label for="grant-unit" class="font-medium">"审核哪个单位的文件"</label>
                    <input id="grant-unit" name="form[unit]" required placeholder="芜湖市人力资源和社会保障局" class=field_class() />
                </div>
                <div>
                    <label for="grant-level" class="font-medium">"审核级别"</label>
                    <select id="grant-level" name="form[level]" class=field_class()>
                        {ReviewLevel::ALL.iter().map(|l| view! {
                            <option value=l.as_str()>{format!("{l}（{}）", l.duty())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="sm:col-span-3">
                    <FormError error />
                    <button type="submit" class="mt-2 rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"授予"</button>
                </div>
            </ActionForm>
            {crate::components::loaded(grants, move |list| view! {
                <table class="mt-4 w-full text-sm">
                    <caption class="sr-only">"已授予的审核级别"</caption>
                    <thead><tr class="text-left">
                        <th scope="col" class="p-2">"单位"</th>
                        <th scope="col" class="p-2">"级别"</th>
                        <th scope="col" class="p-2">"工作人员"</th>
                        <th scope="col" class="p-2"><span class="sr-only">"操作"</span></th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|g| view! {
                            <tr class="border-t border-stone-200" data-grant=g.login.clone()>
                                <td class="p-2">{g.unit.clone()}</td>
                                <td class="p-2">{g.level.as_str()}</td>
                                <td class="p-2">{format!("{}（{}）", g.user, g.login)}</td>
                                <td class="p-2">
                                    <ActionForm action=remove>
                                        <input type="hidden" name="id" value=g.id />
                                        <button type="submit" class="text-red-800 underline" aria-label=format!("撤销{}的{}{}", g.user, g.unit, g.level)>"撤销"</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
