//! The zhengce UI: pages and components rendered on the server and hydrated in the
//! browser, and the server functions they call.

// Full (non-erased) release views nest deep types.
#![recursion_limit = "512"]

pub mod account;
pub mod components;
pub mod consult;
pub mod error;
pub mod feed;
pub mod library;
pub mod qa;
pub mod review;
#[cfg(feature = "ssr")]
pub mod state;
pub mod unit;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, StaticSegment, lazy_route, path};

use crate::account::{AccountPage, LoginPage, RegisterPage, StaffPage};
use crate::components::{Layout, NotFound};
use crate::consult::{
    AskPage, ConsultAdminPage, ConsultationPage, ConsultationsPage, InboxPage, MyConsultationsPage,
};
use crate::feed::{MePage, OutboxPage, SubscriptionsPage};
use crate::library::{DocumentPage, DocumentPrintPage, HomePage, InterpretationPage, LibraryPage};
use crate::qa::{QaEditPage, QaEntryPage, QaListPage, QaNewPage};
use crate::review::{
    AuditLogPage, DraftNewPage, DraftPage, DraftsPage, LexiconPage, ReviewQueuePage,
};
use crate::unit::{UnitPage, UnitsPage};
use domain::library::Section;

/// Declares pages whose code is loaded on first visit: built with `cargo leptos --split`,
/// each page's own code is a separate wasm chunk (code that pages share goes into shared
/// chunks), so a phone downloads what the page it opens needs, not every page. Without
/// `--split` they are ordinary routes.
macro_rules! lazy_pages {
    ($($route:ident => $page:expr;)+) => {$(
        #[derive(Clone)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                view! { {preload_chunks()} {$page} }.into_any()
            }
        }
    )+};
}

lazy_pages! {
    HomeRoute => view! { <HomePage /> };
    LibraryRoute => view! { <LibraryPage section=Section::All /> };
    AbolishedRoute => view! { <LibraryPage section=Section::Void /> };
    DocumentRoute => view! { <DocumentPage /> };
    DocumentPrintRoute => view! { <DocumentPrintPage /> };
    InterpretationRoute => view! { <InterpretationPage /> };
    QaListRoute => view! { <QaListPage /> };
    QaEntryRoute => view! { <QaEntryPage /> };
    ConsultationsRoute => view! { <ConsultationsPage /> };
    ConsultationRoute => view! { <ConsultationPage /> };
    LoginRoute => view! { <LoginPage /> };
    RegisterRoute => view! { <RegisterPage /> };
    MeRoute => view! { <MePage /> };
    SubscriptionsRoute => view! { <SubscriptionsPage /> };
    AccountRoute => view! { <AccountPage /> };
    MyConsultationsRoute => view! { <MyConsultationsPage /> };
    AskRoute => view! { <AskPage /> };
    DraftsRoute => view! { <DraftsPage /> };
    DraftNewRoute => view! { <DraftNewPage /> };
    DraftRoute => view! { <DraftPage /> };
    ReviewQueueRoute => view! { <ReviewQueuePage /> };
    InboxRoute => view! { <InboxPage /> };
    QaNewRoute => view! { <QaNewPage /> };
    QaEditRoute => view! { <QaEditPage /> };
    StaffRoute => view! { <StaffPage /> };
    ConsultAdminRoute => view! { <ConsultAdminPage /> };
    OutboxRoute => view! { <OutboxPage /> };
    AuditRoute => view! { <AuditLogPage /> };
    LexiconRoute => view! { <LexiconPage /> };
    UnitsRoute => view! { <UnitsPage /> };
    UnitRoute => view! { <UnitPage /> };
}

/// The `<head>` preloads of the wasm chunks this page's code lives in.
///
/// The framework emits them itself after rendering, but outside the page's reactive owner:
/// that step then finds the owner its worker thread last ran, another request's (whose
/// page gets the preloads, several times under load) or none (this page gets none). So
/// each lazy page emits them while it renders, under its own owner, and takes the names
/// from the framework's list, which leaves its step nothing to do.
fn preload_chunks() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use leptos_meta::Link;
        let names = use_context::<leptos::PrefetchLazyFn>()
            .and_then(|p| {
                p.0.try_write_value()
                    .map(|mut set| std::mem::take(&mut *set))
            })
            .unwrap_or_default();
        let manifest = use_context::<leptos::WasmSplitManifest>()
            .and_then(|m| m.0.try_read_value().map(|m| m.clone()));
        manifest
            .filter(|_| !names.is_empty())
            .map(|(pkg, chunks, split_js)| {
                let mut modules: Vec<&String> =
                    names.iter().flat_map(|n| chunks.get(*n).into_iter().flatten()).collect();
                modules.sort();
                modules.dedup();
                let links = modules
                    .into_iter()
                    .map(|module| {
                        view! {
                            <Link rel="preload" href=format!("{pkg}/{module}.wasm") as_="fetch"
                                type_="application/wasm" crossorigin="anonymous" />
                        }
                    })
                    .collect_view();
                view! {
                    {links}
                    <Link rel="modulepreload" href=format!("{pkg}/{split_js}") crossorigin="anonymous" />
                }
            })
    }
}

/// Request extension carrying the CSP nonce the server chose for this response.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The HTML document around the app; the inline bootstrap script carries the CSP nonce.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#9f1d20" />
                <link rel="icon" href="/favicon.ico" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-stone-50 text-stone-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Marks the page once the browser has taken over (tests wait for it).
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/zhengce.css" />
        // The portal's name is the title underneath every page's own, so the document is
        // never untitled, not even while a lazily loaded page hydrates.
        <Title text="" formatter=|text: String| {
            if text.is_empty() { "芜湖市政策文件库".to_owned() } else { format!("{text} - 芜湖市政策文件库") }
        } />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/library") view={Lazy::<LibraryRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/library/abolished") view={Lazy::<AbolishedRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/documents/:id") view={Lazy::<DocumentRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/documents/:id/print") view={Lazy::<DocumentPrintRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/interpretations/:id") view={Lazy::<InterpretationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/me") view={Lazy::<MeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/me/subscriptions") view={Lazy::<SubscriptionsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/me/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/me/consultations") view={Lazy::<MyConsultationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/drafts") view={Lazy::<DraftsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/drafts/new") view={Lazy::<DraftNewRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/drafts/:id") view={Lazy::<DraftRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/review") view={Lazy::<ReviewQueueRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/inbox") view={Lazy::<InboxRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/qa/new") view={Lazy::<QaNewRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/qa/:id/edit") view={Lazy::<QaEditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/staff") view={Lazy::<StaffRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/consult") view={Lazy::<ConsultAdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/outbox") view={Lazy::<OutboxRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/lexicon") view={Lazy::<LexiconRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/units") view={Lazy::<UnitsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/units/:id") view={Lazy::<UnitRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/qa") view={Lazy::<QaListRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/qa/:id") view={Lazy::<QaEntryRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/consult/new") view={Lazy::<AskRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/consultations") view={Lazy::<ConsultationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/consultations/:id") view={Lazy::<ConsultationRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
