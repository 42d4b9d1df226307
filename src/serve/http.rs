//! The preview's HTTP side: pages from memory, the live-reload event stream, and the error
//! overlay. Only the files of the rendered site can be reached: a request is looked up in
//! the in-memory map, never joined to a folder on disk, and paths that try to climb
//! (`..`, encoded or not, backslashes, NUL) are refused with 400.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::diagnostic::Diagnostic;
use crate::pipeline::output::{Contents, OutputMap};
use crate::render::escape_markup;

pub const EVENTS_PATH: &str = "/__depeche/events";

/// Sent on the event channel when the server stops: ends every open event stream, so
/// that a graceful shutdown does not wait for browsers to hang up.
pub const SHUTDOWN: &str = "\u{0}shutdown";

/// What the server shows now: the last good site, and the problems of the last rebuild
/// when it failed.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: Arc<OutputMap>,
    /// Changes with every successful rebuild and every start of the server.
    pub build_id: String,
    /// The path under which the site lives (`/` or e.g. `/news/`).
    pub base_path: String,
    pub errors: Vec<Diagnostic>,
}

pub struct AppState {
    pub current: RwLock<Arc<Snapshot>>,
    /// Build ids of successful rebuilds, and of failed ones (so pages show the overlay).
    pub events: broadcast::Sender<String>,
    /// The address the server listens on: requests must name it (or loopback) as their
    /// Host, so that a page elsewhere cannot reach the preview through DNS rebinding.
    pub bind: IpAddr,
    /// How often the event stream sends a keep-alive: more often than connections are
    /// closed for idleness.
    pub keep_alive: Duration,
}

impl AppState {
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Swaps in a new snapshot, then tells the browsers: a reload never meets a
    /// half-updated site.
    pub fn publish(&self, snapshot: Snapshot) {
        let build_id = snapshot.build_id.clone();
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(snapshot);
        let _ = self.events.send(build_id);
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(serve_file)
        .layer(axum::middleware::from_fn_with_state(state.clone(), check_host))
        .with_state(state)
}

/// Answers 421 to a request whose Host is not the preview's own address: a web page
/// cannot then make the browser read the preview under a name of its own (DNS rebinding).
async fn check_host(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if host_allowed(host, state.bind) {
        next.run(request).await
    } else {
        plain(
            StatusCode::MISDIRECTED_REQUEST,
            "Misdirected request: the preview answers to localhost and its own address only",
        )
    }
}

/// Whether a Host header names the preview: `localhost`, a loopback address, or the
/// address it is bound to (any address, when it listens on all of them), with any port.
pub fn host_allowed(host: Option<&str>, bind: IpAddr) -> bool {
    let Some(host) = host else { return false };
    // The name without its port: `[::1]:1111` → `::1`, `localhost:1111` → `localhost`.
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(rest, |(inside, _)| inside),
        None => host
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(host, |(name, _)| name),
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bind || bind.is_unspecified(),
        Err(_) => false,
    }
}

async fn events(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let hello = state.snapshot().build_id.clone();
    let updates = BroadcastStream::new(state.events.subscribe())
        .filter_map(|message| message.ok())
        .take_while(|message| message != SHUTDOWN)
        .map(|build_id| Ok::<_, Infallible>(Event::default().event("reload").data(build_id)));
    let stream = tokio_stream::once(Ok(Event::default().event("hello").data(hello))).chain(updates);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(state.keep_alive))
}

/// The site path of a request, decoded, or `None` when it tries to leave the site.
pub fn safe_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    // Decoding twice catches `%252e%252e`, which some servers decode again.
    let twice = percent_encoding::percent_decode_str(&decoded).decode_utf8().ok()?;
    if twice.split('/').any(|segment| segment == ".." || segment == ".") || twice.contains('\\') {
        return None;
    }
    Some(decoded.into_owned())
}

fn plain(status: StatusCode, text: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text.to_string()).into_response()
}

async fn serve_file(State(state): State<Arc<AppState>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed");
    }
    let Some(path) = safe_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "Bad request: this path leaves the site");
    };
    let snapshot = state.snapshot();
    let within = path.strip_prefix(snapshot.base_path.as_str()).or_else(|| path.strip_prefix('/')).unwrap_or(&path);
    let key =
        if within.is_empty() || within.ends_with('/') { format!("{within}index.html") } else { within.to_string() };
    let key = key.trim_start_matches('/').to_string();
    if let Some(contents) = snapshot.files.get(&key) {
        return respond(&snapshot, &key, contents, StatusCode::OK, method).await;
    }
    if let Some(file) = in_copied_folder(&snapshot.files, &key) {
        return respond(&snapshot, &key, &Contents::Kept(file), StatusCode::OK, method).await;
    }
    // A folder asked for without its slash: send the browser to the folder, so that
    // relative links resolve as they will once published.
    if snapshot.files.contains_key(&format!("{key}/index.html")) {
        let location = format!("{path}/");
        return Response::builder()
            .status(StatusCode::PERMANENT_REDIRECT)
            .header(header::LOCATION, location)
            .body(Body::empty())
            .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "redirect"));
    }
    match snapshot.files.get("404.html") {
        Some(contents) => respond(&snapshot, "404.html", contents, StatusCode::NOT_FOUND, method).await,
        None => {
            let page = inject(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>",
                &snapshot,
            );
            (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
        }
    }
}

/// The file at `key` inside a folder the site copies whole (a shard of the search index),
/// if `key` lies in one and names a file there. What follows the folder must be plain
/// names (an empty one would make it an absolute path, leaving the site), and
/// [`read_regular_file`] refuses links.
fn in_copied_folder(files: &crate::pipeline::output::OutputMap, key: &str) -> Option<std::path::PathBuf> {
    let (folder, rest) =
        key.match_indices('/').find_map(|(at, _)| match files.get(&key[..=at]).map(AsRef::as_ref) {
            Some(Contents::KeptFolder(folder)) => Some((folder, &key[at + 1..])),
            _ => None,
        })?;
    let plain = |part: &str| !part.is_empty() && part != "." && part != ".." && !part.contains('\\');
    if !rest.split('/').all(plain) {
        return None;
    }
    let file = folder.join(rest);
    std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()).then_some(file)
}

async fn respond(snapshot: &Snapshot, key: &str, contents: &Contents, status: StatusCode, method: Method) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let bytes: Vec<u8> = match contents {
        Contents::Text(text) if is_html => inject(text, snapshot).into_bytes(),
        Contents::Text(text) => text.clone().into_bytes(),
        Contents::Bytes(bytes) => bytes.to_vec(),
        // A folder is served file by file ([`in_copied_folder`]).
        Contents::KeptFolder(_) => return plain(StatusCode::NOT_FOUND, "Not found"),
        Contents::Copy(source) | Contents::Kept(source) => {
            let source = source.clone();
            match tokio::task::spawn_blocking(move || read_regular_file(&source)).await {
                Ok(Ok(bytes)) => bytes,
                _ => return plain(StatusCode::NOT_FOUND, "Not found"),
            }
        }
    };
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let length = bytes.len();
    let body = if method == Method::HEAD { Body::empty() } else { Body::from(bytes) };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A copied file as the build found it: a regular file at that very path. A file swapped
/// for a symbolic link since (to `/etc/passwd`, say), or one under a folder swapped for a
/// link, is refused: the preview never serves what lies outside the site. On Linux the
/// file is opened without following links and its real path read back from the open
/// file, so no swap between check and read can slip through.
fn read_regular_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let refused = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "not the file the build found");
    #[cfg(target_os = "linux")]
    let mut file = {
        use rustix::fs::{Mode, OFlags};
        let fd = rustix::fs::open(path, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())?;
        let file = std::fs::File::from(fd);
        let real = std::fs::read_link(format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&file)))?;
        if real != path {
            return Err(refused());
        }
        file
    };
    #[cfg(not(target_os = "linux"))]
    let mut file = {
        if std::fs::symlink_metadata(path)?.file_type().is_symlink() || std::fs::canonicalize(path)? != path {
            return Err(refused());
        }
        std::fs::File::open(path)?
    };
    if !file.metadata()?.is_file() {
        return Err(refused());
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The live-reload script, and the error overlay when the last rebuild failed, added to
/// every HTML page the preview serves (never to `depeche build`'s output).
pub fn inject(html: &str, snapshot: &Snapshot) -> String {
    let mut addition = String::new();
    if !snapshot.errors.is_empty() {
        addition.push_str(&overlay(&snapshot.errors));
    }
    addition.push_str(&format!(
        "<script id=\"depeche-live-reload\" data-build=\"{}\">{LIVE_RELOAD}</script>",
        escape_markup(&snapshot.build_id)
    ));
    match html.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &html[..at], &html[at..]),
        None => format!("{html}{addition}"),
    }
}

/// Reloads the page when a rebuild finishes, and when the server restarted with another
/// build than the page's; reconnects after the server goes away.
const LIVE_RELOAD: &str = r#"(function () {
  var build = document.currentScript.getAttribute("data-build");
  function connect() {
    var source = new EventSource("/__depeche/events");
    source.addEventListener("hello", function (event) { if (event.data !== build) location.reload(); });
    source.addEventListener("reload", function () { location.reload(); });
    source.onerror = function () { source.close(); setTimeout(connect, 500); };
  }
  connect();
})();"#;

fn overlay(errors: &[Diagnostic]) -> String {
    let items: String = errors
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let place = match (d.line, d.column) {
                (Some(line), Some(column)) => format!("{}:{line}:{column}", d.path.display()),
                (Some(line), None) => format!("{}:{line}", d.path.display()),
                _ => d.path.display().to_string(),
            };
            let help =
                d.help.as_deref().map(|h| format!("<br><small>{}</small>", escape_markup(h))).unwrap_or_default();
            format!(
                "<li><code>{}</code> <strong>{}</strong>{help}</li>",
                escape_markup(&place),
                escape_markup(&d.message)
            )
        })
        .collect();
    format!(
        "<div id=\"depeche-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.5rem;background:#2b0a0a;color:#fff;font:15px/1.5 system-ui,sans-serif;border-top:4px solid #e5484d\"><p style=\"margin:0 0 .5rem\"><strong>The last change did not build.</strong> This is the last good version; fix the file and save to reload.</p><ul style=\"margin:0;padding-left:1.2rem\">{items}</ul></div>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_preview_s_own_names_are_answered() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for host in
            ["localhost", "localhost:1111", "LOCALHOST:80", "127.0.0.1:1111", "127.0.0.1", "[::1]:1111", "[::1]"]
        {
            assert!(host_allowed(Some(host), loopback), "{host}");
        }
        for host in ["attacker.example:1111", "evil.localhost.example", "192.168.1.5:1111", "localhost.:1111x", ""] {
            assert!(!host_allowed(Some(host), loopback), "{host}");
        }
        assert!(!host_allowed(None, loopback));
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(host_allowed(Some("192.168.1.5:1111"), lan));
        assert!(!host_allowed(Some("myhost.example:1111"), lan));
        let everywhere: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(host_allowed(Some("10.0.0.7:1111"), everywhere));
        assert!(!host_allowed(Some("rebound.example"), everywhere));
    }
    use crate::diagnostic::Code;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/%252e%252e/x",
            "/a%00b",
            "/./a",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
        assert_eq!(safe_path("/2022/03/flag/").as_deref(), Some("/2022/03/flag/"));
        assert_eq!(safe_path("/tags/%C3%A9t%C3%A9/").as_deref(), Some("/tags/été/"));
    }

    #[test]
    fn injection_goes_before_the_end_of_the_body() {
        let snapshot = Snapshot { build_id: "7".into(), ..Snapshot::default() };
        let html = inject("<html><body><p>x</p></body></html>", &snapshot);
        assert!(html.starts_with("<html><body><p>x</p><script id=\"depeche-live-reload\" data-build=\"7\">"));
        assert!(html.ends_with("</script></body></html>"));
        assert!(!html.contains("depeche-overlay"));
        let failed = Snapshot {
            errors: vec![Diagnostic::error(Code::UnknownKey, "content/a.md", "unknown key `<b>`").at(Some((3, 1)))],
            ..snapshot
        };
        let html = inject("<body></body>", &failed);
        assert!(html.contains("<code>content/a.md:3:1</code> <strong>unknown key `&lt;b&gt;`</strong>"));
    }
}
