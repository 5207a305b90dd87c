//! `tally serve`: the web UI and JSON API (tally-serve) over a ledger.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Clone)]
pub struct ServeArgs {
    /// The ledger file (SQLite).
    #[arg(long, env = "TALLY_DB", default_value = "tally.db")]
    pub db: PathBuf,
    #[command(flatten)]
    pub server: ServerArgs,
}

/// How to serve; shared by `tally serve` and `tally demo --serve`.
#[derive(clap::Args, Clone)]
pub struct ServerArgs {
    /// Address to listen on. The default answers this machine only; give 0.0.0.0:8080 to
    /// open it to the network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Accept POST /api/documents from requests carrying this bearer token (else read-only).
    #[arg(long, env = "TALLY_WRITE_TOKEN")]
    pub write_token: Option<String>,
    /// The largest request body accepted, in MiB.
    #[arg(long, default_value_t = 32)]
    pub max_body_mib: usize,
}

impl ServerArgs {
    pub fn run(&self, db: PathBuf) -> anyhow::Result<ExitCode> {
        if self.write_token.as_deref().is_some_and(|t| t.len() < 16) {
            anyhow::bail!("--write-token must be at least 16 characters");
        }
        let config = tally_serve::Config {
            db,
            bind: self.bind,
            write_token: self.write_token.clone(),
            max_body: self.max_body_mib.max(1) << 20,
        };
        tally_serve::serve(config)?;
        Ok(ExitCode::SUCCESS)
    }
}

pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    args.server.run(args.db)
}
