//! Publishing (staff and admins): a checked form that publishes at once and tells the
//! subscribers it concerns. The three-level review comes later.

use domain::library::DocType;
use domain::review::PublishForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::account::FormError;
use crate::components::field_class;
use crate::error::AppError;

#[server(endpoint = "review/publish")]
pub async fn publish(form: PublishForm) -> Result<String, AppError> {
    use crate::error::respond;
    let state = crate::state::AppState::current()?;
    let user = crate::account::caller().await?;
    // The role is checked before the form, so a citizen learns nothing from the errors.
    service::account::require_publisher(user.as_ref()).map_err(respond)?;
    let draft = domain::review::Draft::parse(&form).map_err(respond)?;
    let id = service::review::publish(&state.db, user.as_ref(), &draft)
        .await
        .map_err(respond)?;
    leptos_axum::redirect(&format!("/documents/{id}"));
    Ok(id)
}

#[component]
pub fn PublishPage() -> impl IntoView {
    let action = ServerAction::<Publish>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text="发布文件" />
        <section class="mx-auto max-w-2xl rounded-xl bg-white p-6 ring-1 ring-stone-200">
            <h1 class="text-2xl font-bold">"发布文件"</h1>
            <p class="mt-1 text-stone-700">"发布后立即公开，并推送给订阅了相应主题或服务对象的用户。"</p>
            <ActionForm action attr:class="mt-4 space-y-4">
                <div>
                    <label for="pub-title" class="font-medium">"标题"</label>
                    <input id="pub-title" name="form[title]" required maxlength="200" class=field_class() />
                </div>
                <div class="grid gap-4 sm:grid-cols-2">
                    <div>
                        <label for="pub-number" class="font-medium">"发文字号（选填）"</label>
                        <input id="pub-number" name="form[doc_number]" placeholder="芜政〔2026〕1号" class=field_class() />
                    </div>
                    <div>
                        <label for="pub-type" class="font-medium">"文件类型"</label>
                        <select id="pub-type" name="form[doc_type]" class=field_class()>
                            {[DocType::Normative, DocType::Rule, DocType::Other]
                                .into_iter()
                                .map(|t| view! { <option value=t.as_str()>{t.as_str()}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for="pub-topic" class="font-medium">"文件主题"</label>
                        <input id="pub-topic" name="form[topic]" maxlength="50" class=field_class() />
                    </div>
                    <div>
                        <label for="pub-audience" class="font-medium">"服务对象"</label>
                        <input id="pub-audience" name="form[audience]" maxlength="50" class=field_class() />
                    </div>
                    <div>
                        <label for="pub-category" class="font-medium">"特色分类（选填）"</label>
                        <input id="pub-category" name="form[category]" maxlength="50" class=field_class() />
                    </div>
                    <div>
                        <label for="pub-issuer" class="font-medium">"发布机构（管理员填写）"</label>
                        <input id="pub-issuer" name="form[issuer]" maxlength="50" class=field_class() />
                    </div>
                </div>
                <div>
                    <label for="pub-body" class="font-medium">"正文"</label>
                    <textarea id="pub-body" name="form[body]" required rows="10" class=field_class()></textarea>
                </div>
                <FormError error />
                <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"发布"</button>
            </ActionForm>
        </section>
    }
}
