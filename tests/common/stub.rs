//! A local HTTP server for the commands that go online: each request recorded (method,
//! path, Host, User-Agent, when), answered by a closure after an optional delay, with the
//! most requests one host had under way at once.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    pub host: String,
    pub user_agent: String,
    pub at: Instant,
}

impl Request {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A query parameter, decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        let url = url::Url::parse(&format!("http://stub{}", self.target)).ok()?;
        url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Answer {
    pub fn status(status: u16) -> Answer {
        Answer { status, headers: Vec::new(), body: String::new(), delay: Duration::ZERO }
    }

    pub fn redirect(status: u16, to: &str) -> Answer {
        Answer { headers: vec![("Location".into(), to.into())], ..Answer::status(status) }
    }

    pub fn json(body: &str) -> Answer {
        Answer {
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            ..Answer::status(200)
        }
    }

    pub fn after(mut self, delay: Duration) -> Answer {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Request) -> Answer + Send + Sync;

#[derive(Default)]
struct State {
    requests: Vec<Request>,
    in_flight: HashMap<String, usize>,
    most_in_flight: HashMap<String, usize>,
}

pub struct Stub {
    pub address: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl Stub {
    pub fn start(handler: impl Fn(&Request) -> Answer + Send + Sync + 'static) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let address = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let handler: Arc<Handler> = Arc::new(handler);
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (state, handler) = (shared.clone(), handler.clone());
                std::thread::spawn(move || serve(stream, &state, &*handler));
            }
        });
        Stub { address, state }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// The same server under another host name, which clients limit apart.
    pub fn url_as_localhost(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.address.port())
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The most requests a host (as the Host header names it) had under way at once.
    pub fn most_at_once(&self, host: &str) -> usize {
        self.state.lock().unwrap().most_in_flight.get(host).copied().unwrap_or(0)
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>, handler: &Handler) {
    let mut reader = BufReader::new(stream.try_clone().expect("a stream clones"));
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let (mut host, mut user_agent) = (String::new(), String::new());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "host" => host = value.trim().to_string(),
                "user-agent" => user_agent = value.trim().to_string(),
                _ => {}
            }
        }
    }
    let request = Request { method, target, host: host.clone(), user_agent, at: Instant::now() };
    {
        let mut state = state.lock().unwrap();
        state.requests.push(request.clone());
        let now = {
            let count = state.in_flight.entry(host.clone()).or_default();
            *count += 1;
            *count
        };
        let most = state.most_in_flight.entry(host.clone()).or_default();
        *most = (*most).max(now);
    }
    let answer = handler(&request);
    std::thread::sleep(answer.delay);
    // Counted as done before the answer is sent: the client cannot start its next request
    // to this host before then.
    *state.lock().unwrap().in_flight.entry(host).or_default() -= 1;
    let mut head =
        format!("HTTP/1.1 {} Stub\r\nContent-Length: {}\r\nConnection: close\r\n", answer.status, answer.body.len());
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = stream;
    let _ = stream.write_all(head.as_bytes());
    if request.method != "HEAD" {
        let _ = stream.write_all(answer.body.as_bytes());
    }
    let _ = stream.flush();
}
