//! The one HTTP client of the commands that go online, and its manners: at most two
//! requests at once per host with a pause after each, a timeout per request, a user agent
//! naming Depeche and the site, redirects followed one hop at a time so that each is seen.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use tokio::sync::Semaphore;
use url::Url;

use crate::config::SourceSettings;

/// Requests one host may have under way at once.
pub const REQUESTS_PER_HOST: usize = 2;
/// Redirects followed before a link is called unreachable.
pub const MAX_REDIRECTS: usize = 10;
/// The most bytes of an API's answer read (a Commons file's metadata is a few KiB).
const MAX_ANSWER_BYTES: usize = 4 << 20;

/// A client with per-host limits, shared by every task of one command.
pub struct Client {
    inner: reqwest::Client,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    host_delay: Duration,
    timeout: Duration,
}

/// One redirect: its status and where it led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub status: u16,
    pub to: String,
}

/// How a request for a link ended, after its redirects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// The final answer's status.
    Status(u16),
    /// No answer: what went wrong, in words.
    Failed(String),
}

/// What asking for a link found: the redirects followed, in order, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub hops: Vec<Hop>,
    pub end: End,
}

/// Why an API could not be asked.
#[derive(Debug, thiserror::Error)]
pub enum AskError {
    #[error("{0}")]
    Unreachable(String),
    #[error("{url} answered {status}")]
    Status { url: String, status: String },
    #[error("the answer of {url} is not JSON: {reason}")]
    NotJson { url: String, reason: String },
}

impl Client {
    /// A client whose user agent names Depeche and `site` (the site's address, so that a
    /// server's owner can see who asks).
    pub fn new(settings: &SourceSettings, site: Option<&Url>) -> Result<Client, String> {
        let mut agent = format!("Depeche/{} (source checker", env!("CARGO_PKG_VERSION"));
        if let Some(site) = site {
            agent.push_str(&format!("; +{site}"));
        }
        agent.push(')');
        let inner = reqwest::Client::builder()
            .user_agent(agent)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .build()
            .map_err(|error| format!("cannot start the HTTP client: {error}"))?;
        Ok(Client {
            inner,
            hosts: Mutex::new(HashMap::new()),
            host_delay: settings.host_delay,
            timeout: settings.timeout,
        })
    }

    fn host_slots(&self, url: &Url) -> Arc<Semaphore> {
        let host = format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0));
        // A poisoned map only means another task panicked while inserting: the map is whole.
        let mut hosts = self.hosts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        hosts.entry(host).or_insert_with(|| Arc::new(Semaphore::new(REQUESTS_PER_HOST))).clone()
    }

    /// One request, within the host's limit; the slot is held for the pause after it.
    async fn send(&self, method: Method, url: &Url) -> Result<reqwest::Response, reqwest::Error> {
        let slots = self.host_slots(url);
        // The semaphore is never closed, so acquiring only waits.
        let _slot = slots.acquire().await.expect("host semaphores are never closed");
        let result = self.inner.request(method, url.clone()).send().await;
        tokio::time::sleep(self.host_delay).await;
        result
    }

    /// Asks for `url` as a link checker does: HEAD, then GET where HEAD is refused (many
    /// servers answer HEAD with 403, 404 or 405 for pages that exist), each redirect
    /// followed and recorded.
    pub async fn probe(&self, url: &Url) -> Probe {
        let mut hops = Vec::new();
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let mut response = self.send(Method::HEAD, &current).await;
            if let Ok(answer) = &response {
                let status = answer.status();
                if status.as_u16() >= 400 && status != StatusCode::TOO_MANY_REQUESTS {
                    response = self.send(Method::GET, &current).await;
                }
            }
            let answer = match response {
                Ok(answer) => answer,
                Err(error) => return Probe { hops, end: End::Failed(self.describe(&error)) },
            };
            let status = answer.status();
            if !status.is_redirection() {
                return Probe { hops, end: End::Status(status.as_u16()) };
            }
            let location = answer.headers().get(reqwest::header::LOCATION).and_then(|value| value.to_str().ok());
            let Some(next) = location.and_then(|location| current.join(location).ok()) else {
                return Probe { hops, end: End::Failed(format!("answered {status} without a valid Location")) };
            };
            hops.push(Hop { status: status.as_u16(), to: next.to_string() });
            current = next;
        }
        Probe { hops, end: End::Failed(format!("more than {MAX_REDIRECTS} redirects")) }
    }

    /// Asks an API for JSON with GET, within the host's limit.
    pub async fn get_json(&self, url: &Url) -> Result<serde_json::Value, AskError> {
        let answer = self.send(Method::GET, url).await.map_err(|error| AskError::Unreachable(self.describe(&error)))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(AskError::Status { url: url.to_string(), status: status.to_string() });
        }
        let bytes = read_limited(answer, MAX_ANSWER_BYTES)
            .await
            .map_err(|reason| AskError::NotJson { url: url.to_string(), reason })?;
        serde_json::from_slice(&bytes)
            .map_err(|error| AskError::NotJson { url: url.to_string(), reason: error.to_string() })
    }

    /// A failed request in words an editor can act on.
    fn describe(&self, error: &reqwest::Error) -> String {
        if error.is_timeout() {
            return format!("no answer within {} s", self.timeout.as_secs());
        }
        // The innermost cause says what happened (a DNS failure, a refused connection).
        let mut cause: &dyn std::error::Error = error;
        while let Some(inner) = cause.source() {
            cause = inner;
        }
        if error.is_connect() { format!("could not connect: {cause}") } else { format!("the request failed: {cause}") }
    }
}

/// The body of `answer`, refused past `limit` bytes whatever its headers claim.
async fn read_limited(mut answer: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(|error| error.to_string())? {
        if bytes.len() + chunk.len() > limit {
            return Err(format!("it is larger than {} MiB", limit >> 20));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
