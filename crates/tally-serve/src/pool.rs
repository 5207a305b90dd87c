//! A pool of read-only ledger connections. SQLite in WAL mode lets many readers run beside
//! one writer; a connection is not shareable between threads at once, so each request
//! borrows one on a blocking thread and gives it back.

use std::path::PathBuf;
use std::sync::Mutex;
use tally_ledger::Ledger;

pub struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Ledger>>,
    /// Queries running at once. More than a few per core only adds switching and cache
    /// misses: requests beyond it wait their turn here, off the blocking threads.
    running: tokio::sync::Semaphore,
}

impl Pool {
    pub fn new(path: PathBuf) -> Pool {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Pool { path, idle: Mutex::new(Vec::new()), running: tokio::sync::Semaphore::new(cores * 2) }
    }

    /// Opens one connection now, so that a ledger that cannot be read fails at start-up.
    pub fn check(&self) -> tally_ledger::Result<()> {
        let ledger = Ledger::open_reader(&self.path)?;
        self.idle.lock().expect("pool lock").push(ledger);
        Ok(())
    }

    /// Runs `f` with a connection, on a blocking thread.
    pub async fn run<R: Send + 'static>(
        self: &std::sync::Arc<Self>,
        f: impl FnOnce(&Ledger) -> tally_ledger::Result<R> + Send + 'static,
    ) -> tally_ledger::Result<R> {
        let _permit = self.running.acquire().await.expect("the pool's semaphore is never closed");
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let ledger = pool.idle.lock().expect("pool lock").pop();
            let ledger = match ledger {
                Some(l) => l,
                None => Ledger::open_reader(&pool.path)?,
            };
            let out = f(&ledger);
            pool.idle.lock().expect("pool lock").push(ledger);
            out
        })
        .await
        .unwrap_or_else(|e| Err(tally_ledger::Error::Invalid(format!("request failed: {e}"))))
    }
}
