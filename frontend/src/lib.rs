//! The browser entry point. Pages arrive rendered; this wakes the page's islands (the live
//! feed and its badge, "订阅此搜索") and sends forms in the background.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::forms::enhance();
    // The loader wakes the islands right after this returns, in promise callbacks; a
    // timeout runs after them, so the mark means "everything on this page is live" (tests
    // wait for it).
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
