//! One-time confirmations after a form ("已保存", "已添加：李科员").
//!
//! A form's server function answers with the page again (a redirect back, or a reload when
//! sent in the background), so what it confirms has to survive one request: the function
//! calls [`set`], which leaves a short-lived cookie, and the next page shows it beside the
//! form it belongs to ([`Notice`]) and clears it. Pages carrying one are never kept.

use leptos::prelude::*;

/// The cookie's name.
pub const COOKIE: &str = "zc_notice";

/// Leaves `message` for the form `key` (its server function's endpoint) on the next page.
#[cfg(feature = "ssr")]
pub fn set(key: &str, message: &str) {
    set_cookie(&hex(&format!("{key}\n{message}")), 60);
}

/// Writes (or, with `max_age` 0, clears) the cookie; over HTTPS only when the portal runs
/// on it, like the session cookie.
#[cfg(feature = "ssr")]
fn set_cookie(value: &str, max_age: u32) {
    let secure = crate::state::AppState::current().is_ok_and(|s| s.secure_cookies);
    let secure = if secure { "; Secure" } else { "" };
    crate::account::server::set_header(
        http::header::SET_COOKIE,
        &format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"),
    );
}

/// The confirmation left for the form `key`, shown once.
#[component]
pub fn Notice(key: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let message = take(key);
    #[cfg(not(feature = "ssr"))]
    let message: Option<String> = {
        let _ = key;
        None
    };
    message.map(|m| {
        view! { <p role="status" class="mt-3 rounded bg-green-50 p-3 text-green-900 ring-1 ring-green-700">{m}</p> }
    })
}

/// The message the request's cookie carries for `key`; clears the cookie when it does.
#[cfg(feature = "ssr")]
fn take(key: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let text = unhex(&crate::account::server::cookie_value(
        &parts.headers,
        COOKIE,
    )?)?;
    let (for_key, message) = text.split_once('\n')?;
    if for_key != key {
        return None;
    }
    set_cookie("", 0);
    Some(message.to_owned())
}

/// Cookie-safe text: the UTF-8 bytes in hexadecimal.
#[cfg(feature = "ssr")]
fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

#[cfg(feature = "ssr")]
fn unhex(value: &str) -> Option<String> {
    if !value.len().is_multiple_of(2) || value.len() > 2048 {
        return None;
    }
    let bytes = (0..value.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(value.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_notice_survives_the_cookie_round_trip() {
        let text = "review/update\n已保存：第二条";
        assert_eq!(unhex(&hex(text)).as_deref(), Some(text));
    }

    #[test]
    fn a_malformed_cookie_is_no_notice() {
        assert_eq!(unhex("e5b"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex(&"ab".repeat(2000)), None);
    }
}
