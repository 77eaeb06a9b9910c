//! The browser entry point: hydrate the server-rendered page. Pages are lazy routes (their
//! code arrives in chunks), so hydration waits for the current page's chunks first.

// Full (non-erased) release views nest deep types.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
