//! The analyst workspace: Symbolon in the browser, in Persian, Russian and English, served
//! under `/ui/` by `symbolon serve` on the TAXII listener.
//!
//! Pages are rendered on the server (askama templates, escaped by default) and read
//! nothing on their own: every list, count, search hit and panel is what the core's reader
//! (`Core::read`, `Core::referencing`, `Core::lookup`) serves the signed-in user, decided
//! by the policy and recorded in the audit log like a TAXII read. A withheld object is
//! therefore indistinguishable from one that does not exist, here as on TAXII.
//!
//! No page loads anything from elsewhere: the stylesheet and the Persian font are served
//! by the node (air-gapped sites), and the Content-Security-Policy forbids scripts and
//! every origin but the node's own. Pages work without JavaScript.

mod calendar;
mod date_input;
pub mod i18n;
mod keep;
mod pages;
mod prefs;
mod said;
pub mod session;
mod statics;
mod view;

use axum::Router;
use axum::routing::{get, post};
use std::path::Path;
use std::sync::Arc;
use symbolon_core::Core;

/// Largest bundle the import form takes (the default API root's `max_content_length`).
const UPLOAD_LIMIT: usize = symbolon_core::DEFAULT_MAX_CONTENT_LENGTH as usize;

/// How the node is served, as the workspace needs to know it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The node speaks TLS itself: the session cookie is `Secure`.
    pub tls: bool,
    /// Accept passwords over plain HTTP from other hosts too (`serve
    /// --allow-basic-over-http`); otherwise only from this host, as on TAXII.
    pub passwords_over_plain_http: bool,
}

#[derive(Clone)]
pub(crate) struct Ws {
    pub core: Arc<Core>,
    pub sessions: Arc<session::Sessions>,
    pub prefs: Arc<prefs::Prefs>,
    pub opts: Arc<Options>,
}

/// The workspace's routes, all under `/ui/`: merge them into the node's router.
pub fn router(core: Arc<Core>, opts: Options) -> Router {
    let prefs = prefs::Prefs::load(&prefs_path(core.dir()));
    let sessions = session::Sessions::load(&core.dir().join(symbolon_core::dir::SESSIONS_FILE));
    let ws = Ws {
        core,
        sessions: Arc::new(sessions),
        prefs: Arc::new(prefs),
        opts: Arc::new(opts),
    };
    Router::new()
        .route("/ui", get(pages::to_home))
        .route("/ui/", get(pages::collections::home))
        .route(
            "/ui/login",
            get(pages::login::form).post(pages::login::sign_in),
        )
        .route("/ui/logout", post(pages::login::sign_out))
        .route("/ui/c/{coll}", get(pages::objects::list))
        .route("/ui/c/{coll}/o/{id}", get(pages::object::show))
        .route("/ui/c/{coll}/o/{id}/sighting", post(pages::object::sight))
        .route("/ui/search", get(pages::search::search))
        .route(
            "/ui/incidents",
            get(pages::incidents::list).post(pages::incidents::open),
        )
        .route("/ui/incidents/{id}", get(pages::incidents::show))
        .route("/ui/incidents/{id}/{action}", post(pages::incidents::act))
        .route("/ui/agreement", get(pages::agreement::show))
        .route("/ui/consents", get(pages::consents::show))
        .route("/ui/consents/grant", post(pages::consents::grant))
        .route("/ui/consents/{id}/decline", post(pages::consents::decline))
        .route("/ui/consents/{id}/revoke", post(pages::consents::revoke))
        .route("/ui/notices", post(pages::consents::notice))
        .route("/ui/transfer", get(pages::transfer::show))
        .route(
            "/ui/transfer/import",
            post(pages::transfer::import).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/ui/transfer/export", post(pages::transfer::export))
        .route("/ui/peers", get(pages::operate::peers))
        .route("/ui/peers/{id}/resume", post(pages::operate::resume))
        .route("/ui/audit", get(pages::operate::audit))
        .route("/ui/audit/entries/{index}", get(pages::operate::entry))
        .route("/ui/static/{file}", get(statics::serve))
        .route("/ui/{*rest}", get(pages::not_found).post(pages::not_found))
        .layer(axum::middleware::from_fn(view::headers))
        .with_state(ws)
}

fn prefs_path(dir: &Path) -> std::path::PathBuf {
    dir.join(symbolon_core::dir::LANGUAGES_FILE)
}
