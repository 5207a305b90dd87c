//! `tally serve`: a web UI and a JSON API over a ledger.
//!
//! The server is a shell over tally-ledger, as the CLI is: every page and endpoint is one
//! ledger query (run on a pool of read-only SQLite connections, off the async threads)
//! and a rendering. Modules:
//! - `params`: query strings to typed ledger filters, with 400s that say what is wrong;
//! - `api`: the JSON endpoints under `/api/` and the OpenAPI description;
//! - `pages`: the HTML pages (askama templates in `templates/`, escaped by default);
//! - `chart` and `map`: inline SVG (claims over time, figure ranges, an offline world map);
//! - `ingest`: `POST /api/documents`, the only write, behind `--write-token`.
//!
//! Article text is untrusted: templates escape everything, pages carry no script at all, and
//! every response has a Content-Security-Policy that forbids scripts and foreign resources.

mod api;
mod chart;
pub mod client;
mod highlight;
mod ingest;
pub mod map;
mod pages;
mod params;
mod pool;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
pub use ingest::read_jsonl;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tally_ledger::Ledger;

/// How `tally serve` was started.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub bind: SocketAddr,
    /// When set, `POST /api/documents` accepts requests that carry it as a bearer token.
    pub write_token: Option<String>,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
}

impl Config {
    pub fn new(db: PathBuf) -> Config {
        Config { db, bind: ([127, 0, 0, 1], 8080).into(), write_token: None, max_body: 32 << 20 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no ledger at {0}: build one with `tally ingest` (or run `tally demo --serve`)")]
    NoLedger(PathBuf),
    #[error("opening the ledger {0}: {1}")]
    Ledger(PathBuf, tally_ledger::Error),
    #[error("listening on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Why a request failed; the API answers it as JSON, the pages as HTML.
#[derive(Debug)]
pub enum Failure {
    BadRequest(String),
    Unauthorized(String),
    Forbidden(String),
    NotFound(String),
    Internal(String),
}

impl Failure {
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::BadRequest(m)
            | Failure::Unauthorized(m)
            | Failure::Forbidden(m)
            | Failure::NotFound(m)
            | Failure::Internal(m) => m,
        }
    }
}

impl From<tally_ledger::Error> for Failure {
    fn from(e: tally_ledger::Error) -> Failure {
        match e {
            // The ledger's own checks of what it was asked (a date, a search with no word).
            tally_ledger::Error::Invalid(m) => Failure::BadRequest(m),
            other => {
                eprintln!("tally serve: {other}");
                Failure::Internal("the ledger could not answer; the server log says why".into())
            }
        }
    }
}

/// What every handler shares.
pub struct App {
    readers: Arc<pool::Pool>,
    /// The one writing connection, present only with a write token.
    writer: Option<Mutex<Ledger>>,
    write_token: Option<String>,
}

impl App {
    /// Opens the ledger (migrating it if it is older than this tally) and its reader pool.
    pub fn open(config: &Config) -> Result<Arc<App>, Error> {
        if !config.db.exists() {
            return Err(Error::NoLedger(config.db.clone()));
        }
        let mut ledger = Ledger::open(&config.db).map_err(|e| Error::Ledger(config.db.clone(), e))?;
        ledger.set_analyser(tally_extract::ANALYSER);
        let writer = config.write_token.as_ref().map(|_| Mutex::new(ledger));
        let readers = Arc::new(pool::Pool::new(config.db.clone()));
        readers.check().map_err(|e| Error::Ledger(config.db.clone(), e))?;
        // Parse the base map now, not on the first page that needs it.
        map::WorldMap::get();
        Ok(Arc::new(App { readers, writer, write_token: config.write_token.clone() }))
    }
}

/// The whole site: pages, API and static assets, with security headers on every response.
pub fn router(app: Arc<App>, max_body: usize) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .route("/static/style.css", get(style))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app)
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        // Each blocking thread may hold a ledger connection: keep their number bounded.
        .max_blocking_threads(64)
        .build()
}

/// A server running on threads of its own (for tests and benchmarks); stopped on drop.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Starts a server in the background and returns once it listens.
pub fn start(config: Config) -> Result<Running, Error> {
    let app = App::open(&config)?;
    let runtime = runtime()?;
    let listener =
        runtime.block_on(tokio::net::TcpListener::bind(config.bind)).map_err(|e| Error::Bind(config.bind, e))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = router(app, config.max_body);
    let thread = std::thread::spawn(move || {
        runtime.block_on(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        })
    });
    Ok(Running { addr, stop: Some(stop), thread: Some(thread) })
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves until the process is stopped. Prints the address it listens on.
pub fn serve(config: Config) -> Result<(), Error> {
    let app = App::open(&config)?;
    runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.bind).await.map_err(|e| Error::Bind(config.bind, e))?;
        let addr = listener.local_addr()?;
        eprintln!("tally: serving {} on http://{addr}/ (stop with Ctrl-C)", config.db.display());
        if config.write_token.is_none() {
            eprintln!("tally: read-only (start with --write-token to accept POST /api/documents)");
        }
        axum::serve(listener, router(app, config.max_body)).await?;
        Ok(())
    })
}

/// Scripts are never allowed: pages have none, and article text must not bring any.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                   base-uri 'none'; frame-ancestors 'none'";

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

async fn style() -> Response {
    let mut res = Response::new(include_str!("../assets/style.css").into());
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}
