//! Server-side state handed to server functions as Leptos context.

use std::sync::Arc;

use leptos::prelude::*;
use sea_orm::DatabaseConnection;
use service::feed::live::Hub;
use service::library::SearchIndex;
use service::qa::QaIndex;

/// Cloned several times for every request (the router's state, each page's context), so
/// one shared allocation rather than a dozen reference counts and the Leptos options.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The Leptos integration takes its options from the router's state.
impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

pub struct Shared {
    pub db: DatabaseConnection,
    pub index: Arc<SearchIndex>,
    /// The Q&A knowledge base's index.
    pub qa: Arc<QaIndex>,
    /// Moves on whenever the indexes take in what was published (see `server::cache`).
    pub generation: service::index_sync::Generation,
    /// Documents read for their pages, kept while nothing is published.
    pub documents: service::library::KeptDocuments,
    /// The articles of kept documents, rendered once.
    pub articles: crate::library::articles::Articles,
    /// Wakes live feed streams; poked after a publish.
    pub hub: Arc<Hub>,
    /// Uploaded files, by content.
    pub files: service::files::FileStore,
    /// The proxies whose `X-Forwarded-For` names the client (`ZHENGCE_TRUSTED_PROXIES`).
    pub trusted_proxies: domain::net::TrustedProxies,
    /// Mark the session cookie `Secure` and `__Host-` (behind HTTPS).
    pub secure_cookies: bool,
    /// How long a session may go unused before it ends.
    pub session_idle: std::time::Duration,
    pub leptos_options: LeptosOptions,
}

impl AppState {
    /// The state provided by the server for this request, holding the request's render
    /// alive while it is used (see [`Current`]).
    pub fn current() -> Result<Current, crate::error::AppError> {
        let (state, owners) = held::<AppState>().ok_or(crate::error::AppError::Internal)?;
        Ok(Current {
            state,
            _owners: owners,
        })
    }
}

/// The server's state for one server function call, with strong references to the reactive
/// owners it runs under (its own and every one above it) for as long as the call lasts.
///
/// A page's data is loaded by a server function running as its own task. Were the visitor
/// to leave meanwhile (a phone losing its signal), the render's owners would go away while
/// the task looks up a context; the lookup then held the last reference to an owner, and
/// dropping it inside the lookup locked the lookup's own owner: the worker thread hung for
/// good, with the database connections of the tasks queued behind it. Held here, the owners
/// go away only when the call ends, outside any lookup. The call's first step runs as the
/// page renders, so they are all there to be held.
pub struct Current {
    state: AppState,
    _owners: Vec<Owner>,
}

impl std::ops::Deref for Current {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.state
    }
}

/// `T` from context, with the owners it was looked up under: held first, so none of them
/// can go away during the lookup.
fn held<T: Clone + 'static>() -> Option<(T, Vec<Owner>)> {
    let owners = owners();
    use_context::<T>().map(|value| (value, owners))
}

/// The current owner and its ancestors, nearest first.
fn owners() -> Vec<Owner> {
    let mut chain = Vec::new();
    let mut next = Owner::current();
    while let Some(owner) = next {
        next = owner.parent();
        chain.push(owner);
    }
    chain
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex, PoisonError};
    use std::time::Duration;

    use leptos::prelude::*;

    /// A context value whose lookup lets go of the render's last reference to the owner
    /// that provides it, as a visitor leaving at that moment would.
    struct Leaving(Arc<Mutex<Option<Owner>>>);

    impl Clone for Leaving {
        fn clone(&self) -> Self {
            drop(self.0.lock().unwrap_or_else(PoisonError::into_inner).take());
            Leaving(Arc::clone(&self.0))
        }
    }

    #[test]
    fn a_render_going_away_during_a_lookup_leaves_the_lookup_to_finish() {
        let (done, finished) = std::sync::mpsc::channel();
        // A lookup that deadlocks never returns: it runs on a thread of its own.
        std::thread::spawn(move || {
            let render = Owner::new();
            let component = render.with(Owner::new);
            let last = Arc::new(Mutex::new(None));
            render.with(|| provide_context(Leaving(Arc::clone(&last))));
            *last.lock().unwrap_or_else(PoisonError::into_inner) = Some(render);
            let found = component.with(super::held::<Leaving>).is_some();
            let _ = done.send(found);
        });
        let found = finished
            .recv_timeout(Duration::from_secs(10))
            .expect("the lookup finished instead of deadlocking");
        assert!(found);
    }
}
