//! The test ledger: the bundled FA-KES corpus plus one hostile document, ingested through
//! the same reader and extractor as `tally ingest`, and servers started over it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tally_ledger::Ledger;
use tally_serve::{Config, Running};

/// A document written to attack the pages: markup and script in every field.
pub const HOSTILE_ID: &str = "evil/<script>alert(1)</script>";
pub const HOSTILE: &str = r#"{"id": "evil/<script>alert(1)</script>", "title": "<script>window.__pwned = 1</script>Ganja report", "outlet": "<img src=x onerror=\"window.__pwned = 2\">", "url": "javascript:window.__pwned = 3", "published": "2020-10-11", "text": "<script>window.__pwned = 4</script> The Health Ministry said 12 civilians were killed in the shelling of Ganja on Sunday. <img src=x onerror=\"window.__pwned = 5\"> Read <a href=\"javascript:window.__pwned = 6\">more</a>. Officials denied the figure."}"#;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/fakes.jsonl")
}

/// The fixture ledger, built once per test binary in a temporary directory.
pub fn fixture() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("tally-serve-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("fixture.db");
        let _ = std::fs::remove_file(&path);
        let mut ledger = Ledger::open(&path).unwrap();
        let (mut docs, events) = tally_serve::read_jsonl(std::fs::read(corpus()).unwrap());
        assert!(events.is_empty(), "the bundled corpus reads cleanly");
        docs.extend(tally_serve::read_jsonl(HOSTILE.as_bytes().to_vec()).0);
        for batch in docs.chunks(500) {
            ledger.ingest(batch).unwrap();
        }
        ledger.link().unwrap();
        path
    })
}

/// A server over the fixture (read-only), on a free loopback port.
pub fn server() -> Running {
    tally_serve::start(config(fixture().to_path_buf(), None)).unwrap()
}

/// A server over a fresh copy of the fixture that accepts writes with `token`.
pub fn writable_server(token: &str, name: &str) -> (Running, PathBuf) {
    let path = fixture().with_file_name(format!("{name}.db"));
    let _ = std::fs::remove_file(&path);
    Ledger::open(fixture()).unwrap().vacuum_into(&path).unwrap();
    (tally_serve::start(config(path.clone(), Some(token.to_string()))).unwrap(), path)
}

fn config(db: PathBuf, write_token: Option<String>) -> Config {
    Config { db, bind: ([127, 0, 0, 1], 0).into(), write_token, max_body: 1 << 20 }
}
