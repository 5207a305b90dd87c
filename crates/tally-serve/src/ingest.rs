//! `POST /api/documents`: the server's only write. Off unless the server was started with
//! `--write-token`; a request must then carry `Authorization: Bearer <token>`.
//!
//! The body is JSON Lines, one document per line, as `tally ingest` reads them (optionally
//! gzip- or zstd-compressed). Lines that fail are reported by line number and the others
//! are stored: the answer is 200 when every line was stored, 422 when some were rejected
//! (the body then says what was stored and what was not). The ledger is linked again after
//! each request, so the pages show the new documents at once.

use crate::api::ApiError;
use crate::{App, Failure};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use tally_core::{Claim, Document};
use tally_extract::Extractor;
use tally_read::{Event, Item};

pub async fn post_documents(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Some(token) = app.write_token.as_deref() else {
        return Err(Failure::Forbidden(
            "this server is read-only: start it with --write-token to accept documents".into(),
        )
        .into());
    };
    if !authorised(&headers, token) {
        return Err(Failure::Unauthorized(
            "POST /api/documents needs the header Authorization: Bearer <write token>".into(),
        )
        .into());
    }
    if body.is_empty() {
        return Err(Failure::BadRequest("the body is empty: send documents as JSON Lines, one per line".into()).into());
    }
    let answer = tokio::task::spawn_blocking(move || store(&app, body))
        .await
        .map_err(|e| Failure::Internal(format!("ingest failed: {e}")))??;
    Ok(answer)
}

/// Compares the whole token whatever the first difference, so timing tells nothing.
fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else { return false };
    let Some(given) = given.strip_prefix("Bearer ") else { return false };
    given.len() == token.len() && given.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn store(app: &App, body: Bytes) -> Result<(StatusCode, Json<Value>), Failure> {
    let (batch, events) = read_jsonl(body);
    let errors: Vec<Value> =
        events.iter().map(|e| json!({"line": e.line(), "error": e.is_error(), "message": e.to_string()})).collect();
    let failed = events.iter().filter(|e| e.is_error()).count();
    if batch.is_empty() && failed == 0 {
        return Err(Failure::BadRequest("no documents in the body: send JSON Lines, one document per line".into()));
    }
    let writer = app.writer.as_ref().ok_or_else(|| Failure::Forbidden("this server is read-only".into()))?;
    let mut ledger = writer.lock().map_err(|_| Failure::Internal("the writer failed earlier".into()))?;
    let ingest = ledger.ingest(&batch)?;
    let link = ledger.link()?;
    let status = if failed == 0 { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(json!({"ingest": ingest, "link": link, "failed": failed, "events": errors}))))
}

/// Reads JSON Lines documents (optionally compressed) and extracts their claims, as `tally
/// ingest` would; returns them with what the reader reported about each line.
pub fn read_jsonl(body: impl AsRef<[u8]> + 'static) -> (Vec<(Document, Vec<Claim>)>, Vec<Event>) {
    let extractor = Extractor::english();
    let mut batch = Vec::new();
    let mut events = Vec::new();
    tally_read::read_stream("request.jsonl", std::io::Cursor::new(body), &mut |item| match item {
        Item::Document(mut doc) => {
            let claims = if doc.is_analysed() { extractor.analyse(&mut doc) } else { Vec::new() };
            batch.push((doc, claims));
        }
        Item::Event(e) => events.push(e),
    });
    (batch, events)
}
