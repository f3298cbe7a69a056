//! Error answers of the admin and registry HTTP servers. Every answer with
//! a status of 400 or above is `{"error": {"code", "message"}}` with a
//! human message; internal detail (database, Redis, file system text) goes
//! to the log, never to the caller.

use axum::{
    extract::{rejection::JsonRejection, FromRequest, Request},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json, Router,
};
use serde::de::DeserializeOwned;

/// A JSON error body `{"error": {"code", "message"}}` with its status.
#[derive(Debug)]
pub struct ApiError(pub StatusCode, pub &'static str, pub String);

impl ApiError {
    /// A 500: `detail` is logged, the caller sees only `internal error`.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error answered 500: {detail}");
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error".into(),
        )
    }

    /// The generic error of a status: its code and a fixed message.
    pub fn of_status(status: StatusCode) -> ApiError {
        let (code, message) = describe(status);
        ApiError(status, code, message.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.1, "message": self.2}});
        (self.0, Json(body)).into_response()
    }
}

/// The code and fixed message of an error status.
pub fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => ("bad_request", "the request is malformed"),
        StatusCode::UNAUTHORIZED => ("unauthenticated", "a bearer token is required"),
        StatusCode::FORBIDDEN => ("forbidden", "this request is not allowed"),
        StatusCode::NOT_FOUND => ("not_found", "no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this method is not allowed on this resource",
        ),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than this server accepts",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "the request body must be JSON (Content-Type: application/json)",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "unprocessable",
            "the request body does not have the expected form",
        ),
        StatusCode::TOO_MANY_REQUESTS => ("too_many_requests", "too many requests; retry later"),
        StatusCode::SERVICE_UNAVAILABLE => {
            ("unavailable", "the service is unavailable; retry later")
        }
        s if s.is_server_error() => ("internal", "internal error"),
        _ => ("error", "the request failed"),
    }
}

/// Rewrites an error answer that is not JSON (axum's body-limit and
/// extractor rejections, method-not-allowed, …) into the JSON shape with
/// the status's code and fixed message; its text is dropped. Other
/// headers (e.g. `Allow`) are kept.
pub async fn rewrite(resp: Response) -> Response {
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    // JSON is already the shape; HTML is a page of this server meant for
    // a person (the dashboard's sign-in form with its reason).
    if resp.status().as_u16() < 400 || is_json {
        return resp;
    }
    let status = resp.status();
    let (mut parts, _text) = resp.into_parts();
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    (parts, ApiError::of_status(status)).into_response()
}

/// Gives a router JSON errors: unknown routes answer 404 JSON and every
/// non-JSON error answer is rewritten by [`rewrite`]. Call it last, after
/// every route and layer.
pub fn json_errors(router: Router) -> Router {
    router
        .fallback(|| async { ApiError::of_status(StatusCode::NOT_FOUND) })
        .layer(axum::middleware::map_response(rewrite))
}

/// A JSON request body whose rejections are JSON errors: a syntax error is
/// `bad_json` (400), a body of the wrong shape `invalid_body` (422), both
/// with the parser's one-line reason.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(r) => Err(rejection(r)),
        }
    }
}

fn rejection(r: JsonRejection) -> ApiError {
    let status = r.status();
    let reason = |text: String| text.lines().next().unwrap_or_default().to_string();
    match r {
        JsonRejection::JsonSyntaxError(e) => ApiError(status, "bad_json", reason(e.body_text())),
        JsonRejection::JsonDataError(e) => ApiError(status, "invalid_body", reason(e.body_text())),
        _ => ApiError::of_status(status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(resp: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn plain_text_errors_become_json_and_others_pass() {
        let plain = (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected request with `Content-Type: application/json`",
        )
            .into_response();
        let r = rewrite(plain).await;
        assert_eq!(r.status(), 415);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
        let v = body(r).await;
        assert_eq!(v["error"]["code"], "unsupported_media_type", "{v}");

        let not_allowed =
            (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET")], "").into_response();
        let r = rewrite(not_allowed).await;
        assert_eq!(r.headers()[header::ALLOW], "GET");
        assert_eq!(body(r).await["error"]["code"], "method_not_allowed");

        let own = ApiError(StatusCode::CONFLICT, "yanked", "x is yanked".into()).into_response();
        assert_eq!(body(rewrite(own).await).await["error"]["code"], "yanked");
        let ok = rewrite((StatusCode::OK, "ready\n").into_response()).await;
        assert_eq!(
            ok.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
    }

    #[test]
    fn internal_errors_hide_their_detail() {
        let e = ApiError::internal("database: no such table: deployments");
        assert_eq!(
            (e.0, e.1, e.2.as_str()),
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error"
            )
        );
    }
}
