//! Forms, sent in the background where the browser runs script.
//!
//! Every form is a plain HTML form that posts to its server function, which answers with a
//! redirect back to the page (or where it sends the visitor): that works with script off.
//! With script on, [`enhance`] sends a form posting to `/api/` with `fetch` instead, so a
//! refused form keeps what was typed and shows its error in the form's [`FormError`] slot;
//! an accepted one loads the page again (or the page the server names), which then shows
//! the new state. Forms inside islands are left to the island.
//!
//! [`FormError`]: crate::account::FormError

/// Takes over the submission of the page's server-function forms (call once, in the browser).
#[cfg(feature = "hydrate")]
pub fn enhance() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_submit = Closure::<dyn Fn(web_sys::SubmitEvent)>::new(|ev: web_sys::SubmitEvent| {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        if ev.default_prevented() || !handled_here(&form) {
            return;
        }
        ev.prevent_default();
        leptos::task::spawn_local(send(form));
    });
    let _ = document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_submit.forget();
}

/// A form this module sends: it posts url-encoded fields to a server function and no island
/// handles it. (File uploads stay plain multipart posts.)
#[cfg(feature = "hydrate")]
fn handled_here(form: &web_sys::HtmlFormElement) -> bool {
    form.method().eq_ignore_ascii_case("post")
        && form
            .get_attribute("action")
            .is_some_and(|a| a.starts_with("/api/"))
        && !form.enctype().contains("multipart")
        && form.closest("leptos-island").ok().flatten().is_none()
}

#[cfg(feature = "hydrate")]
async fn send(form: web_sys::HtmlFormElement) {
    let button = form
        .query_selector("button[type=submit]")
        .ok()
        .flatten()
        .and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlButtonElement>(b).ok());
    if let Some(b) = &button {
        // No second submission while the first is on its way.
        b.set_disabled(true);
    }
    let outcome = post(&form).await;
    if let Some(b) = &button {
        b.set_disabled(false);
    }
    match outcome {
        Ok(Some(next)) => go(&next),
        Ok(None) => go(&this_page()),
        Err(message) => show_error(&form, &message),
    }
}

/// Posts the form; `Ok(Some(path))` when the server sends the visitor elsewhere.
#[cfg(feature = "hydrate")]
async fn post(form: &web_sys::HtmlFormElement) -> Result<Option<String>, String> {
    use crate::error::AppError;
    let action = form.get_attribute("action").unwrap_or_default();
    let fields = web_sys::FormData::new_with_form(form)
        .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data))
        .map_err(|_| AppError::Transport("表单无法读取".to_owned()).to_string())?;
    let response = gloo_net::http::Request::post(&action)
        .header("Accept", "application/json")
        .body(fields)
        .map_err(|e| AppError::Transport(e.to_string()).to_string())?
        .send()
        .await
        .map_err(|_| "网络连接失败，请检查网络后重试".to_owned())?;
    if response.ok() {
        let headers = response.headers();
        return Ok(headers
            .get(leptos::server_fn::redirect::REDIRECT_HEADER)
            .and(headers.get("location")));
    }
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    Err(serde_json::from_str::<AppError>(&body)
        .map(|e| e.to_string())
        .unwrap_or_else(|_| match status {
            413 => "提交的内容过大，请删减后重试".to_owned(),
            _ => format!("提交未成功（{status}），请稍后再试"),
        }))
}

/// The current address without a plain post's error marks (`__path`, `__err`).
#[cfg(feature = "hydrate")]
fn this_page() -> String {
    let mut href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_else(|| "/".to_owned());
    leptos::server_fn::error::ServerFnUrlError::<crate::error::AppError>::strip_error_info(
        &mut href,
    );
    href
}

#[cfg(feature = "hydrate")]
fn go(path: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(path);
    }
}

/// Writes `message` into the form's error slot (made when the form has none).
#[cfg(feature = "hydrate")]
fn show_error(form: &web_sys::HtmlFormElement, message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let slot = match form.query_selector("[data-form-error]").ok().flatten() {
        Some(slot) => slot,
        None => {
            let Ok(slot) = document.create_element("div") else {
                return;
            };
            let _ = slot.set_attribute("data-form-error", "");
            let _ = form.append_child(&slot);
            slot
        }
    };
    let Ok(alert) = document.create_element("p") else {
        return;
    };
    let _ = alert.set_attribute("role", "alert");
    let _ = alert.set_attribute("class", crate::account::ERROR_CLASS);
    alert.set_text_content(Some(message));
    slot.set_inner_html("");
    let _ = slot.append_child(&alert);
}
