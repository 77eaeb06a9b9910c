//! `/admin/lexicon`: the error-prone terms lexicon (错敏词) that drafts are checked against,
//! edited by admins as text.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::account::FormError;
use crate::components::{field_class, loaded};
use crate::error::AppError;

#[server(endpoint = "review/lexicon")]
pub async fn get_lexicon() -> Result<String, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    service::screening::lexicon_text(&state.db, user.as_ref())
        .await
        .map_err(respond)
}

/// Replaces the lexicon; answers the number of entries.
#[server(endpoint = "review/save-lexicon")]
pub async fn save_lexicon(text: String) -> Result<usize, AppError> {
    use crate::error::respond;
    let (state, user) = crate::account::context().await?;
    let n = service::screening::save_lexicon(&state.db, user.as_ref(), &text)
        .await
        .map_err(respond)?;
    crate::notice::set("review/save-lexicon", &format!("已保存，共 {n} 条"));
    Ok(n)
}

#[component]
pub fn LexiconPage() -> impl IntoView {
    let save = ServerAction::<SaveLexicon>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let text = Resource::new(|| (), |()| get_lexicon());
    view! {
        <Title text="错敏词库" />
        <h1 class="text-2xl font-bold">"错敏词库"</h1>
        <p class="mt-1 text-stone-700">
            "草稿提交和每一级审核时，正文和标题中的错敏词会提示建议写法，审核人须逐条核对。每行一条，格式为“错误写法=建议写法”，以 # 开头的行为注释。"
        </p>
        {loaded(text, move |text| view! {
            <ActionForm action=save attr:class="mt-4 space-y-3">
                <div>
                    <label for="lexicon-text" class="font-medium">
                        {format!("词条（共 {} 条）", text.lines().count())}
                    </label>
                    <textarea id="lexicon-text" name="text" rows="20" class=field_class() spellcheck="false">{text}</textarea>
                </div>
                <FormError error />
                <crate::notice::Notice key="review/save-lexicon" />
                <button type="submit" class="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900">"保存"</button>
            </ActionForm>
        })}
    }
}
