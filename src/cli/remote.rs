//! `--url` / `--token`: operator commands through a running host's admin
//! API (`weft dlq`, `weft lookup load`, `weft audit`, `weft report`), so
//! they work from any machine that can reach it, with a scoped token, and
//! leave the token's id in the audit trail.

use anyhow::Context;
use clap::Args;
use serde_json::Value;

/// Where the admin API is, and the token to use.
#[derive(Args, Clone, Default)]
pub struct RemoteArg {
    /// A running host's admin server, e.g. `https://weft.example:7070`
    /// (also WEFT_URL). Given, the command goes through its API instead of
    /// Redis or the ledger database.
    #[arg(long = "url", env = "WEFT_URL")]
    pub url: Option<String>,
    /// A token of the host's `[[admin.tokens]]` (also WEFT_TOKEN; prefer
    /// the variable: a command line is visible to other users).
    #[arg(long, env = "WEFT_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// An answer other than 2xx, as the server explained it.
#[derive(Debug, thiserror::Error)]
#[error("{url}: {status} {code}: {message}")]
pub struct Refused {
    /// The request URL.
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The error code of the JSON body (`unauthenticated`, `no_match`, …).
    pub code: String,
    /// Its message.
    pub message: String,
}

/// A client of one admin server.
pub struct Remote {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl RemoteArg {
    /// The client, when `--url` is given.
    pub fn remote(&self) -> anyhow::Result<Option<Remote>> {
        let Some(url) = self.url.as_deref().filter(|u| !u.is_empty()) else {
            return Ok(None);
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            anyhow::bail!("--url {url:?} must start with http:// or https://");
        }
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .context("cannot set up the HTTP client")?;
        Ok(Some(Remote {
            client,
            base: url.trim_end_matches('/').to_string(),
            token: self.token.clone().filter(|t| !t.is_empty()),
        }))
    }
}

impl Remote {
    /// `GET path?query`, its JSON body.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> anyhow::Result<Value> {
        let req = self.client.get(self.url(path)).query(query);
        self.send(req, path).await
    }

    /// `method path?query` with a body of `content_type`, its JSON answer.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, String)],
        content_type: &str,
        body: Vec<u8>,
    ) -> anyhow::Result<Value> {
        let req = self
            .client
            .request(method, self.url(path))
            .query(query)
            .header("content-type", content_type)
            .body(body);
        self.send(req, path).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, mut req: reqwest::RequestBuilder, path: &str) -> anyhow::Result<Value> {
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let url = self.url(path);
        let resp = req
            .send()
            .await
            .with_context(|| format!("cannot reach the admin server at {}", self.base))?;
        let status = resp.status();
        let body: Value = resp
            .json()
            .await
            .with_context(|| format!("{url}: the answer ({status}) is not JSON"))?;
        if status.is_success() {
            return Ok(body);
        }
        let text = |k: &str| body["error"][k].as_str().unwrap_or_default().to_string();
        let mut message = text("message");
        if status.as_u16() == 401 && self.token.is_none() {
            message.push_str(" (give --token or set WEFT_TOKEN)");
        }
        Err(Refused {
            url,
            status: status.as_u16(),
            code: text("code"),
            message,
        }
        .into())
    }
}

/// `s` as one URL path segment; `.` and `..` cannot be one (a URL parser
/// takes them as steps up the path, encoded or not).
pub fn segment(s: &str) -> anyhow::Result<String> {
    if s.is_empty() || s == "." || s == ".." {
        anyhow::bail!("{s:?} cannot name a pipeline, table or order in a URL");
    }
    Ok(weft_host::names::url_escape(s))
}
