//! Dashboard sign-in: a person pastes a token once on `/dashboard/login`
//! and gets a session cookie (`HttpOnly`, `SameSite=Strict`, `Secure` when
//! the server speaks TLS) naming a random session id kept in this
//! process's memory — never the token. A session counts only for reading
//! (see [`super::access`]); sign-in and sign-out refuse cross-site requests
//! (`Origin` / `Sec-Fetch-Site`).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::{Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;

use super::access::Access;
use crate::config::Scope;

/// The session cookie's name.
pub const COOKIE: &str = "weft_session";

/// Most sessions kept at once; the oldest go first beyond it.
const MAX_SESSIONS: usize = 10_000;

/// Most sessions of one token.
const PER_TOKEN: usize = 64;

struct Session {
    token_id: String,
    scopes: Vec<Scope>,
    expires: Instant,
}

/// The signed-in browsers of this process.
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    ttl: Duration,
    secure: bool,
}

impl Sessions {
    /// Sessions lasting `ttl`; `secure`: the cookie is sent over HTTPS only.
    pub fn new(ttl: Duration, secure: bool) -> Sessions {
        Sessions {
            map: Mutex::default(),
            ttl,
            secure,
        }
    }

    /// The token id and scopes of a live session.
    pub fn get(&self, id: &str) -> Option<(String, Vec<Scope>)> {
        let map = self.map.lock().ok()?;
        map.get(id)
            .filter(|s| s.expires > Instant::now())
            .map(|s| (s.token_id.clone(), s.scopes.clone()))
    }

    /// A new session for a token; its id, or `None` without randomness.
    fn open(&self, token_id: &str, scopes: &[Scope]) -> Option<String> {
        let mut raw = [0u8; 32];
        getrandom::fill(&mut raw).ok()?;
        let id = hex::encode(raw);
        let mut map = self.map.lock().ok()?;
        let now = Instant::now();
        map.retain(|_, s| s.expires > now);
        // A token's oldest session goes when it has PER_TOKEN (so one token
        // signing in again and again cannot push out the others); else the
        // oldest of all at MAX_SESSIONS.
        let oldest = |of: &dyn Fn(&Session) -> bool| {
            map.iter()
                .filter(|(_, s)| of(s))
                .min_by_key(|(_, s)| s.expires)
                .map(|(k, _)| k.clone())
        };
        let mine = map.values().filter(|s| s.token_id == token_id).count();
        let victim = if mine >= PER_TOKEN {
            oldest(&|s| s.token_id == token_id)
        } else if map.len() >= MAX_SESSIONS {
            oldest(&|_| true)
        } else {
            None
        };
        if let Some(k) = victim {
            map.remove(&k);
        }
        map.insert(
            id.clone(),
            Session {
                token_id: token_id.to_string(),
                scopes: scopes.to_vec(),
                expires: now + self.ttl,
            },
        );
        Some(id)
    }

    fn close(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(id);
        }
    }

    fn set_cookie(&self, value: &str, max_age: u64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("weft_session=; Max-Age=0"))
    }
}

/// The session id in a request's `Cookie` header.
pub fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .filter(|v| !v.is_empty())
}

/// Whether a browser sent this request from a page of this server. A
/// browser that sends `Sec-Fetch-Site` (every current one) is judged by it
/// alone — which also works behind a proxy that rewrites `Host`; otherwise
/// an `Origin` must name the host the request was sent to (`Host`, or
/// `X-Forwarded-Host` from a proxy). A client that sends neither, like curl
/// or a channel's webhook, is no browser under attack.
pub(super) fn same_origin(headers: &HeaderMap) -> bool {
    let get = |h: &str| headers.get(h).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = get("origin") else {
        return true;
    };
    let Some((_, origin_host)) = origin.split_once("://") else {
        return false;
    };
    [get("x-forwarded-host"), get("host")]
        .into_iter()
        .flatten()
        .any(|h| h.eq_ignore_ascii_case(origin_host))
}

/// Where to go after signing in: a dashboard path of this server, never
/// another site.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with("/dashboard")
                && !n.contains('\\')
                && n.bytes().all(|b| (0x21..0x7f).contains(&b)) =>
        {
            n
        }
        _ => "/dashboard",
    }
}

fn login_page(next: &str, error: Option<&str>, status: StatusCode) -> Response {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let error = error
        .map(|e| format!("<p role=alert style='color:#b3261e'>{}</p>", esc(e)))
        .unwrap_or_default();
    let body = format!(
        "<!doctype html><html><head><meta charset=utf-8><title>weft · Sign in</title>\
<style>body{{font:14px system-ui,sans-serif;margin:0;color:#1d2430}}nav{{background:#1d2430;padding:10px 16px;color:#fff}}\
main{{padding:24px;max-width:420px}}input{{width:100%;padding:6px;margin:6px 0 12px;font:inherit}}button{{padding:6px 14px;font:inherit}}</style></head>\
<body><nav>weft</nav><main><h1>Sign in</h1>{error}<form method=post action=/dashboard/login>\
<label for=token>Token (a <code>[[admin.tokens]]</code> entry with scope <code>read</code>)</label>\
<input id=token name=token type=password autocomplete=current-password required autofocus>\
<input type=hidden name=next value=\"{}\"><button type=submit>Sign in</button></form></main></body></html>",
        esc(next)
    );
    let mut r = (status, Html(body)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `?next=` of the sign-in page.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Next {
    /// A dashboard path to go on to.
    next: Option<String>,
}

/// `GET /dashboard/login`.
#[utoipa::path(get, path = "/dashboard/login", tag = "dashboard", security(()), params(Next),
    responses((status = 200, description = "The sign-in form", body = String, content_type = "text/html")))]
pub async fn login_form(Query(q): Query<Next>) -> Response {
    login_page(safe_next(q.next.as_deref()), None, StatusCode::OK)
}

/// The sign-in form.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Login {
    /// A token with `read`.
    token: String,
    /// A dashboard path to go on to.
    next: Option<String>,
}

/// `POST /dashboard/login`: a token with `read` gets a session cookie and
/// goes on to `next`; anything else gets the form again (401/403).
#[utoipa::path(post, path = "/dashboard/login", tag = "dashboard", security(()),
    request_body(content = Login, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Signed in: the session cookie, and on to `next`"),
        (status = 200, description = "The page a client following a 303 arrives at", body = String, content_type = "text/html"),
        (status = 400, description = "Not the form", body = super::openapi::ErrorBody),
        (status = 401, description = "The token is not accepted: the form again", body = String, content_type = "text/html"),
        (status = 403, description = "A token without read, or a cross-site request: the form again", body = String, content_type = "text/html"),
        (status = 415, description = "Not a form body", body = super::openapi::ErrorBody),
        (status = 422, description = "A form without a token", body = super::openapi::ErrorBody),
        (status = 503, description = "No session could be made", body = String, content_type = "text/html"),
    ))]
pub async fn login(
    State(access): State<Arc<Access>>,
    headers: HeaderMap,
    Form(f): Form<Login>,
) -> Response {
    let next = safe_next(f.next.as_deref()).to_string();
    if !same_origin(&headers) {
        return login_page(
            &next,
            Some("sign in from this server's own page"),
            StatusCode::FORBIDDEN,
        );
    }
    if !access.enabled() {
        return Redirect::to(&next).into_response();
    }
    let Some((id, scopes)) = access.identify(&f.token) else {
        metrics::counter!("weft_admin_refused_total", "reason" => "invalid").increment(1);
        return login_page(
            &next,
            Some("that token is not accepted"),
            StatusCode::UNAUTHORIZED,
        );
    };
    if !scopes.iter().any(|s| s.grants(&Scope::Read)) {
        return login_page(
            &next,
            Some(&format!("token `{id}` does not have scope `read`")),
            StatusCode::FORBIDDEN,
        );
    }
    let Some(sid) = access.sessions.open(id, scopes) else {
        return login_page(
            &next,
            Some("no session could be made; retry"),
            StatusCode::SERVICE_UNAVAILABLE,
        );
    };
    let max_age = access.sessions.ttl.as_secs();
    let mut r = Redirect::to(&next).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        access.sessions.set_cookie(&sid, max_age),
    );
    r
}

/// `POST /dashboard/logout`: ends the session (same-origin only).
#[utoipa::path(post, path = "/dashboard/logout", tag = "dashboard", security(()),
    responses(
        (status = 303, description = "Signed out: the cookie cleared, on to the sign-in page"),
        (status = 200, description = "The sign-in page, for a client following the 303", body = String, content_type = "text/html"),
        (status = 403, description = "A cross-site request"),
    ))]
pub async fn logout(State(access): State<Arc<Access>>, headers: HeaderMap) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    if let Some(sid) = cookie(&headers) {
        access.sessions.close(sid);
    }
    let mut r = Redirect::to("/dashboard/login").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, access.sessions.set_cookie("", 0));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_requests_and_foreign_redirects_are_refused() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        assert!(same_origin(&h(&[])));
        assert!(same_origin(&h(&[
            ("origin", "http://h:1"),
            ("host", "h:1")
        ])));
        assert!(!same_origin(&h(&[
            ("origin", "http://evil"),
            ("host", "h:1")
        ])));
        assert!(!same_origin(&h(&[("sec-fetch-site", "cross-site")])));
        // Behind a proxy that sends its own Host: the browser's word counts.
        assert!(same_origin(&h(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://weft.example"),
            ("host", "127.0.0.1:7070")
        ])));
        assert!(same_origin(&h(&[
            ("origin", "https://weft.example"),
            ("host", "127.0.0.1:7070"),
            ("x-forwarded-host", "weft.example")
        ])));
        assert_eq!(safe_next(Some("//evil.example/dashboard")), "/dashboard");
        assert_eq!(safe_next(Some("https://evil.example")), "/dashboard");
        assert_eq!(safe_next(Some("/dashboard\r\nSet-Cookie: x")), "/dashboard");
        assert_eq!(
            safe_next(Some("/dashboard/orders?q=1")),
            "/dashboard/orders?q=1"
        );
        let c = h(&[("cookie", "a=b; weft_session=abc; c=d")]);
        assert_eq!(cookie(&c), Some("abc"));
    }
}

#[cfg(test)]
mod cap {
    use super::*;

    #[test]
    fn one_token_cannot_push_out_the_sessions_of_others() {
        let s = Sessions::new(Duration::from_secs(60), false);
        let other = s.open("other", &[Scope::Read]).expect("session");
        let mine: Vec<String> = (0..PER_TOKEN + 10)
            .map(|_| s.open("flood", &[Scope::Read]).expect("session"))
            .collect();
        assert!(
            s.get(&other).is_some(),
            "another token's session was evicted"
        );
        let live = mine.iter().filter(|id| s.get(id).is_some()).count();
        assert_eq!(live, PER_TOKEN);
        assert!(s.get(&mine[mine.len() - 1]).is_some(), "the newest stays");
    }
}
