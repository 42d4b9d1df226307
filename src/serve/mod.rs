//! `depeche serve`: builds the site in memory, serves it on loopback, watches the site,
//! rebuilds what changed and reloads the browser. The server owns its state in one
//! place (`http::AppState`); the rebuild loop runs on its own thread and swaps a new
//! snapshot in when a rebuild succeeds.

pub mod http;
pub mod idle;
pub mod session;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::{broadcast, oneshot};

use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};
use crate::pipeline::incremental::RenderedSite;
use http::{AppState, Snapshot};
use session::{Rebuilt, Session};
use watch::Changes;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// Loopback unless asked otherwise: the preview is for the person at this machine.
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub include_drafts: bool,
    /// Print a line per rebuild (and diagnostics) on the terminal.
    pub verbose: bool,
    /// How long a connection may stay silent before it is closed.
    pub idle_timeout: std::time::Duration,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            open: false,
            include_drafts: false,
            verbose: true,
            idle_timeout: idle::IDLE_TIMEOUT,
        }
    }
}

/// A running preview server (for tests and tools); stops when dropped.
pub struct ServerHandle {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ServerHandle {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

fn new_build_id(counter: u64) -> String {
    let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{started:x}-{counter}")
}

fn now() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}

/// Applies one rebuild's outcome to the shared state and says what happened.
fn publish(
    state: &AppState,
    outcome: std::result::Result<Rebuilt, Vec<Diagnostic>>,
    last_good: Option<&Arc<RenderedSite>>,
    counter: u64,
    base_path: &str,
) -> std::result::Result<Rebuilt, Vec<Diagnostic>> {
    match outcome {
        Ok(rebuilt) => {
            state.publish(Snapshot {
                files: rebuilt.rendered.files.clone(),
                build_id: new_build_id(counter),
                base_path: base_path.to_string(),
                errors: Vec::new(),
            });
            Ok(rebuilt)
        }
        Err(errors) => {
            // Keep serving the last good site, with the errors shown over it.
            let files = last_good.map(|r| r.files.clone()).unwrap_or_default();
            state.publish(Snapshot {
                files,
                build_id: new_build_id(counter),
                base_path: base_path.to_string(),
                errors: errors.clone(),
            });
            Err(errors)
        }
    }
}

/// Builds, binds and starts serving on a thread of its own; returns once the server
/// answers.
pub fn spawn(options: ServeOptions) -> Result<ServerHandle> {
    let root = options.root.canonicalize().map_err(|e| Error::io("open the site folder", &options.root, e))?;
    let listener = std::net::TcpListener::bind((options.bind, options.port))
        .map_err(|e| Error::io("listen on", format!("{}:{}", options.bind, options.port), e))?;
    listener.set_nonblocking(true).map_err(|e| Error::io("listen on", format!("{}", options.bind), e))?;
    let addr = listener.local_addr().map_err(|e| Error::io("listen on", format!("{}", options.bind), e))?;

    let (events, _) = broadcast::channel(64);
    let state = Arc::new(AppState {
        current: RwLock::new(Arc::new(Snapshot::default())),
        events,
        bind: options.bind,
        keep_alive: options.idle_timeout / 2,
    });

    // The watch starts before the first build reads anything: a save made while it runs
    // waits in the channel and is rebuilt right after, rather than being missed.
    let (change_sender, change_receiver) = std::sync::mpsc::channel::<Changes>();
    let watch =
        watch::watch(&root, change_sender.clone()).map_err(|source| Error::Watch { path: root.clone(), source })?;

    // First build, before the first request.
    let started = Instant::now();
    let mut session = Session::new(&root, options.include_drafts);
    let first = rebuild_guarded(&mut session, &Changes::default());
    let base_path = session.base_path().to_string();
    let first = publish(&state, first, None, 0, &base_path);
    if options.verbose {
        report(&first, "first build", started, &root);
        println!("Serving {} at http://{addr}{base_path} — Ctrl-C to stop", root.display());
    }
    let rebuild_state = state.clone();
    let verbose = options.verbose;
    let watch_root = root.clone();
    let images = OffEditPath::new(change_sender.clone());
    images.start(&mut session);
    std::thread::spawn(move || {
        let mut watch = watch;
        let mut counter = 1;
        loop {
            // A brief that went missing is dropped only if it is still missing a moment later.
            let received = if !session.has_missing_briefs() {
                change_receiver.recv().map_err(|_| std::sync::mpsc::RecvTimeoutError::Disconnected)
            } else {
                change_receiver.recv_timeout(session::MISSING_GRACE)
            };
            let mut changes = match received {
                Ok(changes) => changes,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => session.missing_briefs(),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            };
            // Saves come in bursts: take every batch already waiting.
            while let Ok(more) = change_receiver.try_recv() {
                merge(&mut changes, more);
            }
            if !changes.new_folders.is_empty()
                && let Ok(renewed) = watch::watch(&watch_root, change_sender.clone())
            {
                watch = renewed;
            }
            let started = Instant::now();
            let outcome = rebuild_guarded(&mut session, &changes);
            let base_path = session.base_path().to_string();
            let outcome = publish(&rebuild_state, outcome, session.rendered(), counter, &base_path);
            counter += 1;
            if verbose {
                report(&outcome, &changes.describe(), started, &watch_root);
            }
            images.start(&mut session);
        }
        drop(watch);
    });

    let (shutdown, shutdown_receiver) = oneshot::channel::<()>();
    let (ready_sender, ready) = std::sync::mpsc::channel::<std::io::Result<()>>();
    let app = http::router(state.clone());
    let options_idle = options.idle_timeout;
    let thread = std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(runtime) => runtime,
            Err(error) => {
                let _ = ready_sender.send(Err(error));
                return;
            }
        };
        runtime.block_on(async move {
            let listener = match tokio::net::TcpListener::from_std(listener) {
                Ok(listener) => idle::IdleListener::new(listener, options_idle),
                Err(error) => {
                    let _ = ready_sender.send(Err(error));
                    return;
                }
            };
            let _ = ready_sender.send(Ok(()));
            let (stopping_sender, stopping) = tokio::sync::watch::channel(false);
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = shutdown_receiver.await;
                let _ = state.events.send(http::SHUTDOWN.to_string());
                let _ = stopping_sender.send(true);
            });
            // Let requests under way finish, but never wait long for a connection that
            // stays open (an event stream whose browser is gone).
            let cap = async move {
                let mut stopping = stopping;
                let _ = stopping.wait_for(|stopping| *stopping).await;
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            };
            tokio::select! {
                _ = server => {}
                _ = cap => {}
            }
        });
    });
    ready.recv().map_err(|_| Error::ServerStopped)?.map_err(|e| Error::io("start serving on", addr.to_string(), e))?;
    if options.open {
        let _ = open::that(format!("http://{addr}{base_path}"));
    }
    Ok(ServerHandle { addr, shutdown: Some(shutdown), thread: Some(thread) })
}

/// A rebuild that survives a bug: a panic anywhere in it becomes an error shown in the
/// overlay, and the session starts afresh, so that the preview keeps watching and the
/// next save rebuilds everything.
fn rebuild_guarded(session: &mut Session, changes: &Changes) -> std::result::Result<Rebuilt, Vec<Diagnostic>> {
    let outcome = guarded(|| session.rebuild(changes));
    if outcome.as_ref().is_err_and(|errors| errors.iter().any(|e| e.code == Code::Internal)) {
        *session = session.fresh();
    }
    outcome
}

/// `work`, with a panic turned into an `internal-error` diagnostic.
fn guarded<T>(
    work: impl FnOnce() -> std::result::Result<T, Vec<Diagnostic>>,
) -> std::result::Result<T, Vec<Diagnostic>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Err(vec![
            Diagnostic::error(
                Code::Internal,
                crate::config::CONFIG_FILE,
                format!("Depeche stopped on an internal error while rebuilding: {message}"),
            )
            .with_help("this is a bug in Depeche: please report it; the preview keeps watching and rebuilds everything on the next save"),
        ])
    })
}

fn merge(into: &mut Changes, more: Changes) {
    into.briefs.extend(more.briefs);
    into.content_files |= more.content_files;
    into.static_files |= more.static_files;
    into.everything |= more.everything;
    into.work_done |= more.work_done;
    into.new_folders.extend(more.new_folders);
    into.described.extend(more.described);
}

/// Does the work a rebuild left for later ([`crate::pipeline::PendingWork`]: new images'
/// variants, the search index) on a thread of its own, one batch at a time, and asks for
/// a rebuild when it is done: an edit that brings a 12-megapixel photo is shown at once
/// with the photo as it is, then with its variants; a saved brief is served at once, and
/// found by search a moment later.
struct OffEditPath {
    busy: Arc<std::sync::atomic::AtomicBool>,
    rebuild: std::sync::mpsc::Sender<Changes>,
}

impl OffEditPath {
    fn new(rebuild: std::sync::mpsc::Sender<Changes>) -> OffEditPath {
        OffEditPath { busy: Arc::default(), rebuild }
    }

    /// Starts on the session's pending images, unless a batch is being made: the rebuild
    /// that follows it finds what is still missing and leaves it pending again.
    fn start(&self, session: &mut Session) {
        use std::sync::atomic::Ordering;
        if self.busy.load(Ordering::Acquire) {
            return;
        }
        let Some(pending) = session.take_pending_work() else {
            return;
        };
        self.busy.store(true, Ordering::Release);
        let (busy, rebuild) = (self.busy.clone(), self.rebuild.clone());
        std::thread::spawn(move || {
            // A panic on a hostile file must not leave the preview waiting for ever.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pending.make()));
            busy.store(false, Ordering::Release);
            let _ = rebuild.send(Changes {
                work_done: true,
                described: ["images and search".into()].into(),
                ..Changes::default()
            });
        });
    }
}

/// One terminal line per rebuild: what changed, what was re-rendered, how long it took.
fn report(
    outcome: &std::result::Result<Rebuilt, Vec<Diagnostic>>,
    what: &str,
    started: Instant,
    root: &std::path::Path,
) {
    let elapsed = started.elapsed().as_millis();
    match outcome {
        Ok(rebuilt) => {
            let warnings = crate::report::summary(&rebuilt.diagnostics).map(|s| format!(", {s}")).unwrap_or_default();
            println!(
                "{} {what}: rendered {} of {} pages ({} briefs) in {elapsed} ms{warnings}",
                now(),
                rebuilt.stats.rendered,
                rebuilt.stats.pages,
                rebuilt.briefs
            );
        }
        Err(errors) => {
            crate::report::print(errors, root);
            let counts = crate::report::summary(errors).unwrap_or_default();
            println!("{} {what}: {counts}; still serving the last good version", now());
        }
    }
}

/// Serves until Ctrl-C.
pub fn run(options: ServeOptions) -> Result<()> {
    let handle = spawn(options)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("start", "the signal handler", e))?;
    runtime.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    println!("\nStopping.");
    handle.stop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_rebuilding_becomes_an_error_and_the_next_rebuild_runs() {
        let outcome: std::result::Result<(), Vec<Diagnostic>> = guarded(|| panic!("year out of range"));
        let errors = outcome.unwrap_err();
        assert_eq!(errors[0].code, Code::Internal);
        assert!(errors[0].message.contains("year out of range"), "{}", errors[0].message);
        assert_eq!(guarded(|| Ok(3)), Ok(3));
    }
}
