//! The JSON API under `/api/`: one endpoint per page, the same filters as the CLI, lists
//! paginated as `{total, limit, offset, items}`. `openapi.json` describes it all.

use crate::params::{Params, CLAIM_PARAMS, INCIDENT_PARAMS, PAGE_PARAMS, SEARCH_PARAMS, SOURCE_PARAMS};
use crate::{ingest, App, Failure};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/documents", get(documents).post(ingest::post_documents))
        .route("/documents/{id}", get(document))
        .route("/claims", get(claims))
        .route("/incidents", get(incidents))
        .route("/incidents/{id}", get(incident))
        .route("/sources", get(sources))
        .route("/search", get(search))
        .route("/overview", get(overview))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
}

/// A failure as the API answers it: `{"error": message, "status": code}`.
pub struct ApiError(pub Failure);

impl<E: Into<Failure>> From<E> for ApiError {
    fn from(e: E) -> ApiError {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        (status, Json(json!({"error": self.0.message(), "status": status.as_u16()}))).into_response()
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

/// A page of a list, and how many items the whole list has.
#[derive(Serialize)]
struct Page<T> {
    total: usize,
    limit: usize,
    offset: usize,
    items: Vec<T>,
}

fn page<T: Serialize>(total: usize, limit: usize, offset: usize, items: Vec<T>) -> ApiResult {
    Ok(Json(serde_json::to_value(Page { total, limit, offset, items }).expect("rows serialise")))
}

fn to_json(v: impl Serialize) -> ApiResult {
    Ok(Json(serde_json::to_value(v).expect("rows serialise")))
}

async fn documents(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> ApiResult {
    let (limit, offset) = Params::parse(q.as_deref(), PAGE_PARAMS)?.page()?;
    let (total, items) =
        app.readers.run(move |l| Ok((l.count_documents()?, l.documents(Some(limit), offset)?))).await?;
    page(total, limit, offset, items)
}

async fn document(State(app): State<Arc<App>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse(q.as_deref(), &[])?;
    let found = app.readers.run(move |l| crate::pages::load_document(l, &id)).await?;
    let (doc, text, claims, copies) = found.ok_or_else(|| Failure::NotFound("no such document".into()))?;
    to_json(json!({"document": doc, "text": text, "claims": claims, "copies": copies}))
}

async fn claims(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> ApiResult {
    let f = Params::parse(q.as_deref(), CLAIM_PARAMS)?.claim_filter()?;
    let (limit, offset) = (f.limit.unwrap_or_default(), f.offset);
    let (total, items) = app.readers.run(move |l| Ok((l.count_claims(&f)?, l.claims(&f)?))).await?;
    page(total, limit, offset, items)
}

async fn incidents(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> ApiResult {
    let f = Params::parse(q.as_deref(), INCIDENT_PARAMS)?.incident_filter()?;
    let (limit, offset) = (f.claims.limit.unwrap_or_default(), f.claims.offset);
    let (total, items) = app.readers.run(move |l| Ok((l.count_incidents(&f)?, l.incidents(&f)?))).await?;
    page(total, limit, offset, items)
}

async fn incident(State(app): State<Arc<App>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse(q.as_deref(), &[])?;
    let found = app.readers.run(move |l| l.incident(&id)).await?;
    to_json(found.ok_or_else(|| Failure::NotFound("no such incident".into()))?)
}

async fn sources(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> ApiResult {
    let f = Params::parse(q.as_deref(), SOURCE_PARAMS)?.source_filter()?;
    let (limit, offset) = (f.limit.unwrap_or_default(), f.offset);
    let (total, items) = app.readers.run(move |l| l.sources(&f)).await?;
    page(total, limit, offset, items)
}

async fn search(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), SEARCH_PARAMS)?;
    let (limit, offset) = p.page()?;
    let query = p.get("q").ok_or_else(|| Failure::BadRequest("search needs q, the words to look for".into()))?;
    let query = query.to_string();
    let (total, items) = app.readers.run(move |l| l.search(&query, limit, offset)).await?;
    page(total, limit, offset, items)
}

async fn overview(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse(q.as_deref(), &[])?;
    let (counts, timeline) = app.readers.run(|l| Ok((l.counts()?, l.timeline()?))).await?;
    let timeline: Vec<Value> = timeline
        .into_iter()
        .map(|(month, kind, claims)| json!({"month": month, "kind": kind, "claims": claims}))
        .collect();
    to_json(json!({"counts": counts, "timeline": timeline}))
}

async fn openapi() -> Response {
    let mut res = Response::new(include_str!("../assets/openapi.json").into());
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

async fn not_found() -> ApiError {
    ApiError(Failure::NotFound("no such endpoint; /api/openapi.json lists them".into()))
}
