//! Signing in and out. The same users and passwords as TAXII; passwords over plain HTTP
//! only from this host unless the operator allows more (as for Basic auth).

use crate::i18n::{Lang, Tr};
use crate::session::{self, LOGIN_COOKIE};
use crate::view::{self, Chrome, Viewer};
use crate::{Ws, pages};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use symbolon_core::signin::PasswordCheck;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    csrf: String,
    username: String,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

fn lang_of(headers: &HeaderMap, q: Option<&str>) -> Tr {
    Tr::new(
        q.and_then(Lang::from_code)
            .unwrap_or_else(|| view::accepted(headers)),
    )
}

/// The sign-in form, with a token of its own (cookie and field) against forged sign-ins.
fn form_page(
    ws: &Ws,
    tr: Tr,
    username: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let token = session::token();
    let c = Chrome::new(tr, "/ui/login", tr.t("login-title"), None);
    let mut r = view::page(&LoginPage {
        c,
        csrf: token.clone(),
        username: username.to_owned(),
        error,
    });
    *r.status_mut() = status;
    if let Ok(v) = session::set_cookie(LOGIN_COOKIE, &token, ws.opts.tls, Some(1800)).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn form(
    State(ws): State<Ws>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let (held, seen) = (ws.clone(), headers.clone());
    if pages::blocking(move || view::viewer(&held, &seen, None).is_ok()).await {
        return Redirect::to("/ui/").into_response();
    }
    form_page(
        &ws,
        lang_of(&headers, q.lang.as_deref()),
        "",
        None,
        StatusCode::OK,
    )
}

#[derive(serde::Deserialize)]
pub struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

fn from_loopback(peer: Option<&ConnectInfo<SocketAddr>>) -> bool {
    // No connection information: handed in by the process itself, not the network.
    peer.is_none_or(|c| match c.0.ip() {
        std::net::IpAddr::V4(v4) => v4.is_loopback(),
        std::net::IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map_or(v6.is_loopback(), |v4| v4.is_loopback()),
    })
}

pub async fn sign_in(
    State(ws): State<Ws>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
    Form(f): Form<Credentials>,
) -> Response {
    let tr = lang_of(&headers, q.lang.as_deref());
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok());
    let expected = session::cookie(cookies, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || !session::same_secret(expected, &f.csrf) {
        return form_page(
            &ws,
            tr,
            &f.username,
            Some(tr.t("login-expired")),
            StatusCode::FORBIDDEN,
        );
    }
    if !ws.opts.tls
        && !ws.opts.passwords_over_plain_http
        && !from_loopback(peer.as_ref().map(|e| &e.0))
    {
        return form_page(
            &ws,
            tr,
            &f.username,
            Some(tr.t("login-plain-http")),
            StatusCode::FORBIDDEN,
        );
    }
    let core = ws.core.clone();
    let (user, password) = (f.username.trim().to_owned(), f.password);
    let name = user.clone();
    let verified = pages::blocking(move || core.check_password(&name, &password)).await;
    match verified {
        Ok(PasswordCheck::Verified) => {
            let token = ws.sessions.start(&user);
            let mut r = Redirect::to("/ui/").into_response();
            for c in [
                session::set_cookie(session::COOKIE, &token, ws.opts.tls, None),
                session::set_cookie(LOGIN_COOKIE, "", ws.opts.tls, Some(0)),
            ] {
                if let Ok(v) = c.parse() {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            tracing::info!(user = %user, "workspace sign-in");
            r.extensions_mut().insert(symbolon_core::AnsweredFor(user));
            r
        }
        Ok(PasswordCheck::Slowed(wait)) => {
            let secs = symbolon_core::signin::retry_after_secs(wait);
            let mut r = form_page(
                &ws,
                tr,
                &user,
                Some(tr.tn("login-slowed", secs)),
                StatusCode::TOO_MANY_REQUESTS,
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
            r
        }
        Ok(PasswordCheck::Wrong) => {
            tracing::info!(user = %user, "workspace sign-in refused");
            form_page(
                &ws,
                tr,
                &user,
                Some(tr.t("login-wrong")),
                StatusCode::UNAUTHORIZED,
            )
        }
        Err(e) => {
            tracing::error!("workspace sign-in: {e}");
            form_page(
                &ws,
                tr,
                &user,
                Some(tr.t("error-failed")),
                StatusCode::INTERNAL_SERVER_ERROR,
            )
        }
    }
}

#[derive(serde::Deserialize)]
pub struct SignOut {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(ws): State<Ws>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<SignOut>,
) -> Response {
    if let Err(refused) = view::checked(v, &f.csrf) {
        return *refused;
    }
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok());
    let Some(token) = session::cookie(cookies, session::COOKIE) else {
        return Redirect::to("/ui/login").into_response();
    };
    ws.sessions.end(token);
    let mut r = Redirect::to("/ui/login").into_response();
    if let Ok(c) = session::set_cookie(session::COOKIE, "", ws.opts.tls, Some(0)).parse() {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}
