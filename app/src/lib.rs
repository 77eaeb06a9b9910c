//! The zhengce UI: pages rendered on the server, the few interactive parts (islands) that
//! also run in the browser, and the server functions they call.
//!
//! Pages are plain HTML: links navigate and forms post, with or without script. In the
//! browser, [`forms::enhance`] sends forms in the background so a refused one keeps what
//! was typed, and islands bring the live feed and its badge.

// Full (non-erased) release views nest deep types.
#![recursion_limit = "512"]

pub mod account;
pub mod components;
pub mod consult;
pub mod error;
pub mod feed;
pub mod forms;
pub mod library;
pub mod notice;
pub mod qa;
pub mod review;
#[cfg(feature = "ssr")]
pub mod state;
pub mod unit;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, StaticSegment, path};

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

/// Request extension carrying the CSP nonce the server chose for this response.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The site's stylesheet: `/pkg/{name}.css`, or with file hashing on, `/pkg/{name}.{hash}.css`
/// (the build writes the hashes to a file beside the server binary; read once, as every
/// page names the stylesheet).
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    static CSS_HASH: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let hash = options
        .hash_files
        .then(|| {
            CSS_HASH
                .get_or_init(|| {
                    let dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
                    let hashes =
                        std::fs::read_to_string(dir.join(options.hash_file.as_ref())).ok()?;
                    hashes.lines().find_map(|l| {
                        let (kind, hash) = l.split_once(':')?;
                        (kind.trim() == "css").then(|| format!(".{}", hash.trim()))
                    })
                })
                .clone()
        })
        .flatten()
        .unwrap_or_default();
    format!(
        "/{}/{}{hash}.css",
        options.site_pkg_dir, options.output_name
    )
}

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
                <link rel="stylesheet" id="leptos" href=stylesheet_href(&options) />
                <HydrationScripts options islands=true />
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
    view! {
        // The portal's name is the title underneath every page's own, so the document is
        // never untitled, not even while a lazily loaded page hydrates.
        <Title text="" formatter=|text: String| {
            if text.is_empty() { "芜湖市政策文件库".to_owned() } else { format!("{text} - 芜湖市政策文件库") }
        } />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/library") view=|| view! { <LibraryPage section=Section::All /> } ssr=SsrMode::Async />
                    <Route path=path!("/library/abolished") view=|| view! { <LibraryPage section=Section::Void /> } ssr=SsrMode::Async />
                    <Route path=path!("/documents/:id") view=DocumentPage ssr=SsrMode::Async />
                    <Route path=path!("/documents/:id/print") view=DocumentPrintPage ssr=SsrMode::Async />
                    <Route path=path!("/interpretations/:id") view=InterpretationPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/me") view=MePage ssr=SsrMode::Async />
                    <Route path=path!("/me/subscriptions") view=SubscriptionsPage ssr=SsrMode::Async />
                    <Route path=path!("/me/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/me/consultations") view=MyConsultationsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/drafts") view=DraftsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/drafts/new") view=DraftNewPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/drafts/:id") view=DraftPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/review") view=ReviewQueuePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/inbox") view=InboxPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/qa/new") view=QaNewPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/qa/:id/edit") view=QaEditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/staff") view=StaffPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/consult") view=ConsultAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/lexicon") view=LexiconPage ssr=SsrMode::Async />
                    <Route path=path!("/units") view=UnitsPage ssr=SsrMode::Async />
                    <Route path=path!("/units/:id") view=UnitPage ssr=SsrMode::Async />
                    <Route path=path!("/qa") view=QaListPage ssr=SsrMode::Async />
                    <Route path=path!("/qa/:id") view=QaEntryPage ssr=SsrMode::Async />
                    <Route path=path!("/consult/new") view=AskPage ssr=SsrMode::Async />
                    <Route path=path!("/consultations") view=ConsultationsPage ssr=SsrMode::Async />
                    <Route path=path!("/consultations/:id") view=ConsultationPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
