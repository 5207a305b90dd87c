//! A tiny W3C WebDriver client that drives a real headless Chromium from tests.
//!
//! `Browser::start()` spawns its own `chromedriver` on a free loopback port and opens one session
//! with a throwaway profile; dropping the `Browser` ends the session, stops chromedriver and
//! removes the profile, so tests can each own a browser and run in parallel. It speaks HTTP/1.1
//! over `std::net::TcpStream` and JSON via `serde_json`, so it needs no extra crates. Every
//! WebDriver error panics with the WebDriver message, the command and the page URL: this is test
//! code, and a panic with context is the most useful failure.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const MISSING: &str = "headless browser tests need Debian's chromium and chromium-driver \
                       (apt-get install chromium chromium-driver); .ci/run installs them";
/// The W3C key under which an element reference travels.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One chromedriver process with one Chromium session.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
}

/// An element of the current page; valid until the page changes.
pub struct Element<'b> {
    browser: &'b Browser,
    id: String,
}

impl Browser {
    /// Spawns chromedriver (env `CHROMEDRIVER`, else `chromedriver` on PATH) and opens a headless
    /// Chromium session (binary from env `CHROMIUM`, else /usr/bin/chromium).
    pub fn start() -> Browser {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(Path::new(&chromium).exists(), "{chromium} not found: {MISSING}");
        let (driver, port) = spawn_driver();
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let profile = std::env::temp_dir().join(format!(
            "tally-browser-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).expect("create browser profile dir");
        let mut browser = Browser { driver, port, session: String::new(), profile };
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            &format!("--user-data-dir={}", browser.profile.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let value = browser.command("POST", "/session", Some(caps));
        browser.session = value["sessionId"].as_str().expect("new session has a sessionId").to_string();
        browser
    }

    /// Navigates and waits for the page to load.
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url }));
    }

    pub fn title(&self) -> String {
        string(self.cmd("GET", "/title", Value::Null))
    }

    pub fn current_url(&self) -> String {
        string(self.cmd("GET", "/url", Value::Null))
    }

    /// The first element matching `css`; panics with the selector and page URL if there is none.
    pub fn find(&self, css: &str) -> Element<'_> {
        self.try_find(css).unwrap_or_else(|| panic!("no element matches `{css}` on {}", self.current_url()))
    }

    pub fn try_find(&self, css: &str) -> Option<Element<'_>> {
        self.find_all(css).into_iter().next()
    }

    pub fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        self.find_under("", css)
    }

    /// Polls for `css` until it appears; panics after `timeout`.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Element<'_> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(element) = self.try_find(css) {
                return element;
            }
            if Instant::now() > deadline {
                panic!("`{css}` did not appear within {timeout:?} on {}", self.current_url());
            }
            sleep(Duration::from_millis(50));
        }
    }

    /// Runs `script` as a function body (use `return`; arguments in `arguments[i]`).
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.cmd("POST", "/execute/sync", json!({ "script": script, "args": args }))
    }

    /// Writes a PNG screenshot of the viewport to `path`, creating parent directories.
    pub fn screenshot(&self, path: impl AsRef<Path>) {
        let path = path.as_ref();
        let png = base64_decode(&string(self.cmd("GET", "/screenshot", Value::Null)));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create screenshot dir");
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// `base` is "" for the document or "/element/{id}" for a subtree.
    fn find_under(&self, base: &str, css: &str) -> Vec<Element<'_>> {
        let found = self.cmd("POST", &format!("{base}/elements"), json!({"using": "css selector", "value": css}));
        let list = found.as_array().expect("find elements returns a list");
        list.iter().map(|e| Element { browser: self, id: string(e[ELEMENT_KEY].clone()) }).collect()
    }

    /// A command within the session (`path` starts after `/session/{id}`); `Null` body means none.
    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let body = if method == "POST" { Some(body) } else { None };
        self.command(method, &format!("/session/{}{path}", self.session), body)
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| if b.is_null() { json!({}) } else { b });
        let (status, reply) =
            http(self.port, method, path, body.as_ref()).unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let value = reply.get("value").cloned().unwrap_or(Value::Null);
        if let Some(error) = value.get("error").and_then(Value::as_str) {
            let url = http(self.port, "GET", &format!("/session/{}/url", self.session), None)
                .ok()
                .and_then(|(_, v)| v["value"].as_str().map(str::to_string))
                .unwrap_or_else(|| "(unknown)".into());
            let message = value["message"].as_str().unwrap_or("").lines().next().unwrap_or("");
            panic!("WebDriver error `{error}` (HTTP {status}): {message}\n  command: {method} {path}\n  page: {url}");
        }
        value
    }
}

impl<'b> Element<'b> {
    pub fn click(&self) {
        self.cmd("POST", "/click");
    }

    /// The rendered text; empty for elements that are not displayed.
    pub fn text(&self) -> String {
        string(self.cmd("GET", "/text"))
    }

    pub fn attr(&self, name: &str) -> Option<String> {
        self.cmd("GET", &format!("/attribute/{name}")).as_str().map(str::to_string)
    }

    pub fn is_displayed(&self) -> bool {
        self.cmd("GET", "/displayed").as_bool().expect("displayed is a boolean")
    }

    /// The first descendant matching `css`; panics if there is none.
    pub fn find(&self, css: &str) -> Element<'b> {
        let found = self.browser.find_under(&format!("/element/{}", self.id), css).into_iter().next();
        found
            .unwrap_or_else(|| panic!("no element matches `{css}` inside an element on {}", self.browser.current_url()))
    }

    /// Every descendant matching `css`, in document order.
    pub fn find_all(&self, css: &str) -> Vec<Element<'b>> {
        self.browser.find_under(&format!("/element/{}", self.id), css)
    }

    fn cmd(&self, method: &str, path: &str) -> Value {
        self.browser.cmd(method, &format!("/element/{}{path}", self.id), Value::Null)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Spawns chromedriver on a free port and waits (≤ 10 s) for `/status` to report ready. The port
/// is free when probed but could be taken before chromedriver binds it; then it tries another.
fn spawn_driver() -> (Child, u16) {
    let exe = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    for _attempt in 0..3 {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let mut child = match Command::new(&exe).arg(format!("--port={port}")).stdout(Stdio::null()).spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!("{exe} not found: {MISSING}"),
            Err(e) => panic!("cannot start {exe}: {e}"),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if child.try_wait().ok().flatten().is_some() {
                break; // exited, most likely because the port was taken: try another
            }
            if let Ok((_, status)) = http(port, "GET", "/status", None) {
                if status["value"]["ready"] == true {
                    return (child, port);
                }
            }
            sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("{exe} did not become ready on a loopback port within 10 s");
}

/// One HTTP/1.1 request with a JSON body and `Connection: close`; returns status and JSON reply.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // chromedriver answers `Connection: close` but keeps the socket open, so the reply ends where
    // its framing says (Content-Length or chunked), not at EOF; EOF only ends an unframed body.
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{what} in HTTP reply"));
    let (mut raw, mut buf) = (Vec::new(), [0; 16 * 1024]);
    let (head, payload) = loop {
        let n = stream.read(&mut buf)?;
        raw.extend_from_slice(&buf[..n]);
        let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            if n == 0 {
                return Err(bad("no header end"));
            }
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
        let body = &raw[split + 4..];
        let header = |name: &str| head.lines().find_map(|l| l.strip_prefix(name)).map(str::trim);
        let payload = if header("transfer-encoding:").is_some_and(|t| t.contains("chunked")) {
            dechunk(body)
        } else if let Some(len) = header("content-length:").and_then(|n| n.parse::<usize>().ok()) {
            body.get(..len).map(<[u8]>::to_vec)
        } else {
            (n == 0).then(|| body.to_vec())
        };
        match payload {
            Some(payload) => break (head, payload),
            None if n == 0 => return Err(bad("truncated body")),
            None => {}
        }
    };
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad("no status"))?;
    let value = if payload.is_empty() { Value::Null } else { serde_json::from_slice(&payload)? };
    Ok((status, value))
}

/// Decodes a `Transfer-Encoding: chunked` body (trailers ignored); `None` until it is complete.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_field = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_field.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// Standard base64 (padding and whitespace ignored).
fn base64_decode(text: &str) -> Vec<u8> {
    let sextet = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("invalid base64 byte {c:#x}"),
    };
    let (mut out, mut acc, mut bits) = (Vec::with_capacity(text.len() * 3 / 4), 0u32, 0);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        acc = (acc << 6 | u32::from(sextet(c))) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn string(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => panic!("expected a string from WebDriver, got {other}"),
    }
}
