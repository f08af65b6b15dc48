//! What every page shares: who is looking (the session's user, looked up again), in which
//! language, the page's frame, error pages, and the headers that keep hostile content
//! inert.

use crate::Ws;
use crate::i18n::{Lang, Tr};
use crate::session::{self, Session};
use askama::Template;
use axum::extract::{FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use policy::Principal;
use std::sync::{Arc, Mutex};
use symbolon_core::{AnsweredFor, CoreError};

/// The signed-in user of a request.
pub struct Viewer {
    pub principal: Principal,
    pub session: Session,
    pub tr: Tr,
}

impl Viewer {
    pub fn caller(&self) -> symbolon_core::Caller<'_> {
        symbolon_core::Caller {
            principal: &self.principal,
            purpose: None,
        }
    }

    /// This node's local administrator: the operator's screens (peers, audit, consents,
    /// import and export) are theirs; for anyone else they do not exist.
    pub fn operates(&self) -> bool {
        self.principal.is_admin && self.principal.kind == policy::Kind::Local
    }

    /// Every collection (of every API root) the user may read or write, with the rights:
    /// the others do not exist for the user.
    pub fn collections(
        &self,
        core: &symbolon_core::Core,
    ) -> Result<Vec<(store::Collection, policy::Rights)>, CoreError> {
        let mut out = Vec::new();
        for root in core.api_roots()? {
            out.extend(core.collections_for(&self.principal, &root.name)?);
        }
        Ok(out)
    }

    /// The collections the user may read.
    pub fn readable(
        &self,
        core: &symbolon_core::Core,
    ) -> Result<Vec<store::Collection>, CoreError> {
        Ok(self
            .collections(core)?
            .into_iter()
            .filter(|(_, r)| r.can_read)
            .map(|(c, _)| c)
            .collect())
    }

    /// The frame of a page at `path` titled `title`.
    pub fn chrome(&self, path: &str, title: String) -> Chrome {
        let mut c = Chrome::new(self.tr, path, title, Some(&self.session));
        c.operator = self.operates();
        c
    }
}

/// The signed-in user, or the way to the sign-in page. `lang` (`?lang=`) sets and
/// remembers the user's language.
pub fn viewer(ws: &Ws, headers: &HeaderMap, lang: Option<&str>) -> Result<Viewer, Box<Response>> {
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok());
    let to_login = || Box::new(Redirect::to("/ui/login").into_response());
    let Some(token) = session::cookie(cookies, session::COOKIE) else {
        return Err(to_login());
    };
    let Some(s) = ws.sessions.get(token) else {
        return Err(to_login());
    };
    let principal = match ws.core.user_and_principal(&s.user) {
        Ok(Some((_, p))) => p,
        Ok(None) => {
            ws.sessions.end_all_of(&s.user);
            return Err(to_login());
        }
        Err(e) => return Err(Box::new(failure(Tr::new(Lang::En), &e))),
    };
    let chosen = lang.and_then(Lang::from_code);
    if let Some(l) = chosen {
        ws.prefs.set_lang(&s.user, l);
    }
    let lang = chosen
        .or_else(|| ws.prefs.lang(&s.user))
        .unwrap_or_else(|| accepted(headers));
    Ok(Viewer {
        principal,
        session: s,
        tr: Tr::new(lang),
    })
}

/// Where a request's [`Viewer`] leaves its user for [`headers`] to put on the response (an
/// extractor cannot touch the response itself).
#[derive(Clone, Default)]
struct WhoSlot(Arc<Mutex<Option<String>>>);

/// The signed-in user, for any handler: `?lang=` on the request sets and remembers the
/// language; without a live session, the way to the sign-in page.
impl FromRequestParts<Ws> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ws: &Ws) -> Result<Self, Response> {
        let lang = Query::<LangParam>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|q| q.0.lang);
        // The session, the user and the language preference are read (and now and then
        // written) from files and the store: off the async threads.
        let (ws2, headers) = (ws.clone(), parts.headers.clone());
        let v = crate::pages::blocking(move || viewer(&ws2, &headers, lang.as_deref()))
            .await
            .map_err(|r| *r)?;
        if let Some(mut who) = parts
            .extensions
            .get::<WhoSlot>()
            .and_then(|s| s.0.lock().ok())
        {
            *who = Some(v.session.user.clone());
        }
        Ok(v)
    }
}

#[derive(serde::Deserialize)]
struct LangParam {
    lang: Option<String>,
}

/// The signed-in operator of this node (`Viewer::operates`); for anyone else the page does
/// not exist.
pub struct Operator(pub Viewer);

impl FromRequestParts<Ws> for Operator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ws: &Ws) -> Result<Self, Response> {
        let v = Viewer::from_request_parts(parts, ws).await?;
        if v.operates() {
            Ok(Operator(v))
        } else {
            Err(not_found(&v))
        }
    }
}

/// The user of a POST, if the form carries the session's CSRF token; otherwise the refusal.
pub fn checked(v: Viewer, csrf: &str) -> Result<Viewer, Box<Response>> {
    if !session::same_secret(&v.session.csrf, csrf) {
        return Err(Box::new(error_page(
            v.tr,
            Some(&v.session),
            StatusCode::FORBIDDEN,
            v.tr.t("error-csrf"),
            None,
        )));
    }
    Ok(v)
}

/// A form that acts only once the user ticked a confirmation (resuming a halted peer,
/// revoking a consent).
#[derive(serde::Deserialize)]
pub struct Confirmed {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub confirm: String,
}

/// The user of such a form, if it carries the session's CSRF token and the box was ticked;
/// otherwise the refusal, saying (message `unconfirmed`) what to tick.
pub fn confirmed(v: Viewer, form: &Confirmed, unconfirmed: &str) -> Result<Viewer, Box<Response>> {
    let v = checked(v, &form.csrf)?;
    if form.confirm != "yes" {
        return Err(Box::new(error_page(
            v.tr,
            Some(&v.session),
            StatusCode::BAD_REQUEST,
            v.tr.t(unconfirmed),
            None,
        )));
    }
    Ok(v)
}

/// A redirect (303) to a workspace path built from ids; its segments are percent-encoded,
/// so no id — even an operator's alias with a control character — makes an invalid
/// header (axum's `Redirect::to` would panic on one).
pub fn see(segments: &[&str]) -> Response {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'/')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'\\')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    let mut path = String::from("/ui");
    for s in segments {
        path.push('/');
        path.extend(percent_encoding::utf8_percent_encode(s, SEGMENT));
    }
    Redirect::to(&path).into_response()
}

/// The language the browser asks for.
pub fn accepted(headers: &HeaderMap) -> Lang {
    Lang::negotiate(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// What the frame of every page needs.
pub struct Chrome {
    pub tr: Tr,
    pub title: String,
    /// Signed in: the user and the CSRF token of the sign-out form.
    pub user: Option<String>,
    pub csrf: String,
    /// The user operates this node (the peers and audit screens are theirs).
    pub operator: bool,
    /// The other languages, as links to this page in them.
    pub langs: Vec<(&'static str, &'static str, String)>,
}

impl Chrome {
    pub fn new(tr: Tr, path: &str, title: String, session: Option<&Session>) -> Chrome {
        let sep = if path.contains('?') { '&' } else { '?' };
        Chrome {
            tr,
            title,
            user: session.map(|s| s.user.clone()),
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
            operator: false,
            langs: Lang::ALL
                .iter()
                .filter(|l| **l != tr.lang)
                .map(|l| {
                    (
                        l.code(),
                        l.native_name(),
                        format!("{path}{sep}lang={}", l.code()),
                    )
                })
                .collect(),
        }
    }

    pub fn lang(&self) -> &'static str {
        self.tr.lang.code()
    }

    pub fn dir(&self) -> &'static str {
        self.tr.lang.dir()
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    /// Why a seal does not verify, in the page's language.
    pub fn seal_fault(&self, fault: &symbolon_core::provenance::SealFault) -> String {
        crate::said::seal_fault(self.tr, fault)
    }
}

/// A page, or the error page if the template failed.
pub fn page(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!("rendering a workspace page: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    message: String,
    /// What was wrong, in the page's language.
    said: Option<String>,
    /// The core's own account, in English (marked so).
    detail: Option<String>,
}

/// An error page with `status`.
pub fn error_page(
    tr: Tr,
    session: Option<&Session>,
    status: StatusCode,
    message: String,
    detail: Option<String>,
) -> Response {
    render_error(tr, session, status, message, None, detail)
}

fn render_error(
    tr: Tr,
    session: Option<&Session>,
    status: StatusCode,
    message: String,
    said: Option<String>,
    detail: Option<String>,
) -> Response {
    let c = Chrome::new(tr, "/ui/", tr.t("error-title"), session);
    let mut r = page(&ErrorPage {
        c,
        message,
        said,
        detail,
    });
    *r.status_mut() = status;
    r
}

/// A form filled in wrongly: 400, with what was wrong in the page's language (`said`, made
/// with [`isolated`] values) and, where the reason comes from a library, its English text.
pub fn form_error(v: &Viewer, said: String, detail: Option<String>) -> Response {
    render_error(
        v.tr,
        Some(&v.session),
        StatusCode::BAD_REQUEST,
        v.tr.t("error-invalid"),
        Some(said),
        detail,
    )
}

/// A field that does not take what was typed: message `message` ("{ $field }: { $value }
/// is not ...") with the field's label (message `label`) and the typed text, isolated.
pub fn field_error(v: &Viewer, message: &str, label: &str, typed: &str) -> Response {
    let said = v.tr.ta(
        message,
        &[("field", &v.tr.t(label)), ("value", &isolated(typed))],
    );
    form_error(v, said, None)
}

/// A refusal's headline in the page's language: by the article that refused (the reason
/// follows, said by [`crate::said::denial`]).
pub fn refused_line(tr: Tr, d: &policy::Denial) -> String {
    format!("{} ({})", tr.t("error-refused"), tr.cause(d.article.cite()))
}

/// What a user typed, for a sentence in any direction: kept in its own direction by
/// Unicode isolates (FSI … PDI), since it is text inside text, not an element.
pub fn isolated(typed: &str) -> String {
    let typed: String = typed.chars().take(200).collect();
    format!("\u{2068}{typed}\u{2069}")
}

/// "Nothing here": the same page for what does not exist and what the user may not see.
pub fn not_found(v: &Viewer) -> Response {
    error_page(
        v.tr,
        Some(&v.session),
        StatusCode::NOT_FOUND,
        v.tr.t("error-not-found"),
        None,
    )
}

/// The page for a core error: not found as not found, a refusal with the article that
/// refused, anything else as a failure of the node (logged, not shown in detail).
pub fn core_error(v: &Viewer, e: &CoreError) -> Response {
    match e {
        CoreError::NotFound(_) => not_found(v),
        CoreError::Refused(d) => render_error(
            v.tr,
            Some(&v.session),
            StatusCode::FORBIDDEN,
            refused_line(v.tr, d),
            Some(crate::said::denial(v.tr, d)),
            None,
        ),
        CoreError::Invalid(why) => error_page(
            v.tr,
            Some(&v.session),
            StatusCode::BAD_REQUEST,
            v.tr.t("error-invalid"),
            Some(why.clone()),
        ),
        CoreError::Mistake(m) => form_error(v, crate::said::mistake(v.tr, m), None),
        CoreError::Record(e) => form_error(v, crate::said::ledger_error(v.tr, e), None),
        CoreError::Source(e) => form_error(v, crate::said::source_error(v.tr, e), None),
        e => failure(v.tr, e),
    }
}

fn failure(tr: Tr, e: &CoreError) -> Response {
    tracing::error!("workspace: {e}");
    error_page(
        tr,
        None,
        StatusCode::INTERNAL_SERVER_ERROR,
        tr.t("error-failed"),
        None,
    )
}

/// Headers on every workspace answer: no script, no other origin, no framing, no
/// sniffing, no referrer leaving for a link's site, nothing kept in shared caches.
pub async fn headers(mut req: Request, next: Next) -> Response {
    let slot = WhoSlot::default();
    req.extensions_mut().insert(slot.clone());
    let mut resp = next.run(req).await;
    if let Some(user) = slot.0.lock().ok().and_then(|mut w| w.take()) {
        resp.extensions_mut().insert(AnsweredFor(user));
    }
    let h = resp.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::see;
    use axum::http::header;

    #[test]
    fn a_redirect_to_any_id_is_a_valid_header() {
        for (segs, want) in [
            (
                vec!["incidents", "incident--1"],
                "/ui/incidents/incident--1",
            ),
            (
                vec!["c", "odd\nalias/x?", "o", "indicator--2"],
                "/ui/c/odd%0Aalias%2Fx%3F/o/indicator--2",
            ),
        ] {
            let r = see(&segs);
            assert_eq!(r.headers().get(header::LOCATION).unwrap(), want);
        }
    }
}
