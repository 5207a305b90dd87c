//! The ledger: documents and their claims in SQLite, linked into incidents and reconciled.
//!
//! Stages, one module each: `fingerprint` (text keys and MinHash sketches) and `origin`
//! (cited agencies) annotate documents as they are stored by `store`; `link` groups claims
//! into incidents; `reconcile` turns an incident's claims into low / best / high figures and
//! contradictions; `query` and `export` read it back. [`Ledger`] is the only handle: the CLI
//! and the server are shells over it.
//!
//! A ledger is one SQLite file in WAL mode. Ingest writes one transaction per batch and marks
//! the ledger unlinked; [`Ledger::link`] recomputes every incident in one transaction and
//! marks it linked. A crash at any point leaves either the old or the new state of a batch,
//! and re-running an ingest finishes the job (documents already stored are skipped).

pub mod export;
pub mod fingerprint;
pub mod link;
pub mod origin;
pub mod query;
pub mod reconcile;
mod schema;
pub mod search;
pub mod sources;
mod store;
pub mod synthetic;

pub use query::{ClaimFilter, DocRow, IncidentFilter, IncidentRow, IncidentSort};
pub use store::{IngestStats, LinkStats};

use rusqlite::Connection;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the ledger has schema version {found}, newer than this tally knows ({known}); upgrade tally")]
    NewerSchema { found: usize, known: usize },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    /// The analyser whose claims `ingest` stores (see `set_analyser`).
    analyser: String,
}

impl Ledger {
    /// Names the analyser (`tally_extract::ANALYSER`) whose claims the next batches carry: a
    /// stored document with the same text but another analyser's claims is re-analysed (its
    /// claims replaced) rather than left as it was.
    pub fn set_analyser(&mut self, analyser: &str) {
        self.analyser = analyser.to_string();
    }

    /// Opens (creating if needed) the ledger at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Ledger> {
        let conn = Connection::open(path)?;
        // Wait for other processes (a running ingest, a reader) before the first statement:
        // switching to WAL needs a lock too.
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A 64 MB page cache and checkpoints every ~64 MB of WAL: bulk ingest writes far more
        // than the defaults (2 MB, 4 MB) were sized for.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "wal_autocheckpoint", 16384)?;
        Ledger::setup(conn)
    }

    /// Opens an existing ledger for reading only (`PRAGMA query_only`), as the server's
    /// readers do: it is never created or migrated here, so open it once with
    /// [`Ledger::open`] first.
    pub fn open_reader(path: &Path) -> Result<Ledger> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "query_only", true)?;
        conn.pragma_update(None, "cache_size", -16384)?;
        // Readers map the file: pages are shared through the OS cache instead of copied into
        // each connection's own cache.
        conn.pragma_update(None, "mmap_size", 1i64 << 32)?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != schema::MIGRATIONS.len() {
            return Err(Error::Invalid(format!(
                "the ledger has schema version {version}, this tally reads version {}",
                schema::MIGRATIONS.len()
            )));
        }
        Ok(Ledger { conn, analyser: String::new() })
    }

    /// A ledger that lives in memory, for tests and evaluation.
    pub fn in_memory() -> Result<Ledger> {
        Ledger::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Ledger> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let known = schema::MIGRATIONS.len();
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < known {
            // The version is read again under the write lock: two processes opening a new
            // ledger at once must not both migrate it.
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let version: usize = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            for sql in schema::MIGRATIONS.get(version..).unwrap_or_default() {
                tx.execute_batch(sql)?;
            }
            store::sketch_unsketched(&tx)?;
            tx.pragma_update(None, "user_version", known.max(version))?;
            tx.commit()?;
        }
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > known {
            return Err(Error::NewerSchema { found: version, known });
        }
        Ok(Ledger { conn, analyser: String::new() })
    }

    /// Writes a consistent copy of the ledger to `path` (SQLite's `VACUUM INTO`): a backup
    /// that is safe while other connections write.
    pub fn vacuum_into(&self, path: &Path) -> Result<()> {
        let target = path.to_str().ok_or_else(|| Error::Invalid(format!("not a UTF-8 path: {}", path.display())))?;
        self.conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }

    /// The schema version (number of migrations applied).
    pub fn schema_version(&self) -> Result<usize> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// True when documents were added or replaced since incidents were last computed.
    pub fn needs_link(&self) -> Result<bool> {
        let v: String = self.conn.query_row("SELECT value FROM meta WHERE key = 'linked'", [], |r| r.get(0))?;
        Ok(v != "1")
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}
