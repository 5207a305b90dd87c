//! The JSON API and the pages over HTTP: every endpoint's status and shape, the filters
//! against the ledger's own answers, bad parameters (400 with a message, never 500),
//! escaping of hostile documents, security headers, and the write endpoint.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use support::ledger::{self, HOSTILE_ID};
use tally_ledger::{ClaimFilter, IncidentFilter, Ledger};
use tally_serve::client::{Client, Reply};

fn get(c: &mut Client, path: &str) -> Reply {
    c.get(path).unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

fn ok_json(c: &mut Client, path: &str) -> Value {
    let r = get(c, path);
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"), "GET {path}");
    r.json()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn lists_are_paginated_and_match_the_ledger() {
    let server = ledger::server();
    let mut c = Client::new(server.addr);
    let ledger = Ledger::open_reader(ledger::fixture()).unwrap();

    let docs = ok_json(&mut c, "/api/documents?limit=2&offset=1");
    assert_eq!(docs["total"], 805);
    assert_eq!((docs["limit"].as_u64(), docs["offset"].as_u64()), (Some(2), Some(1)));
    assert_eq!(docs["items"].as_array().unwrap().len(), 2);
    assert_eq!(docs["items"][0]["id"], "fakes-0002");
    let first = ok_json(&mut c, "/api/documents?limit=1");
    assert_eq!(first["items"][0]["id"], "fakes-0001");
    assert_eq!(ok_json(&mut c, "/api/documents?offset=100000")["items"].as_array().unwrap().len(), 0);

    let claims = ok_json(&mut c, "/api/claims?kind=injured&stance=asserted&limit=5");
    let f = ClaimFilter {
        kind: Some(tally_core::Kind::Injured),
        stance: Some(tally_core::Stance::Asserted),
        ..Default::default()
    };
    assert_eq!(claims["total"].as_u64().unwrap() as usize, ledger.count_claims(&f).unwrap());
    for item in claims["items"].as_array().unwrap() {
        assert_eq!((item["kind"].as_str(), item["stance"].as_str()), (Some("injured"), Some("asserted")));
        assert!(item["id"].is_i64() && item["why"].is_array() && item["span"].is_array());
    }

    let incidents = ok_json(&mut c, "/api/incidents?sort=disagreement&min_sources=2&limit=20");
    let f = IncidentFilter { min_sources: 2, ..Default::default() };
    assert_eq!(incidents["total"].as_u64().unwrap() as usize, ledger.count_incidents(&f).unwrap());
    let items = incidents["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let keys: Vec<(u64, f64)> =
        items.iter().map(|i| (i["contradictions"].as_u64().unwrap(), i["disagreement"].as_f64().unwrap())).collect();
    assert!(keys.windows(2).all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 >= w[1].1)), "{keys:?}");
    assert!(items.iter().all(|i| i["sources"].as_u64().unwrap() >= 2 && i["total"] == false));

    let places = ok_json(&mut c, "/api/incidents?place=Aleppo&from=2016-01-01&to=2016-12-31&limit=1000");
    assert!(places["total"].as_u64().unwrap() > 0);
    for i in places["items"].as_array().unwrap() {
        let id = i["id"].as_str().unwrap();
        let members = ok_json(&mut c, &format!("/api/claims?incident={id}&place=Aleppo&limit=1000"));
        assert!(members["total"].as_u64().unwrap() > 0, "incident {id} has no claim in Aleppo");
    }

    let outlets = ok_json(&mut c, "/api/sources?role=outlet&sort=claims&limit=5");
    let rows = outlets["items"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["role"] == "outlet"));
    let counts: Vec<u64> = rows.iter().map(|r| r["claims"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    for r in rows {
        let compared = r["compared"].as_u64().unwrap();
        assert_eq!(
            compared,
            r["above"].as_u64().unwrap() + r["below"].as_u64().unwrap() + r["matching"].as_u64().unwrap()
        );
    }
}

#[test]
fn one_incident_and_one_document_in_full() {
    let server = ledger::server();
    let mut c = Client::new(server.addr);
    let top = ok_json(&mut c, "/api/incidents?sort=sources&limit=1");
    let id = top["items"][0]["id"].as_str().unwrap().to_string();
    let inc = ok_json(&mut c, &format!("/api/incidents/{id}"));
    assert_eq!(inc["id"], id.as_str());
    let figures = inc["reconciliation"]["figures"].as_array().unwrap();
    assert!(!figures.is_empty());
    for f in figures {
        let (low, best, high) = (f["low"].as_u64(), f["best"].as_u64(), f["high"].as_u64());
        if let (Some(l), Some(b)) = (low, best) {
            assert!(l <= b && high.is_none_or(|h| b <= h), "{f}");
        }
        for s in f["sources"].as_array().unwrap() {
            assert!(s["voice_name"].is_string() && s["quote"].is_string() && s["doc"].is_string());
        }
    }
    let members = inc["members"].as_array().unwrap();
    assert_eq!(members.len() as u64, inc["claims"].as_u64().unwrap());

    let doc_name = members[0]["doc"].as_str().unwrap();
    let doc = ok_json(&mut c, &format!("/api/documents/{}", encode(doc_name)));
    assert_eq!(doc["document"]["id"], doc_name);
    let text = doc["text"].as_str().unwrap();
    let claims = doc["claims"].as_array().unwrap();
    assert_eq!(claims.len() as u64, doc["document"]["claims"].as_u64().unwrap());
    // Every span points at the words it claims.
    for cl in claims {
        let span: Vec<usize> = cl["span"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        if let Some(count) = cl["count"]["text"].as_str() {
            assert_eq!(&text[span[0]..span[1]], count);
        }
    }

    let hits = ok_json(&mut c, "/api/search?q=sarin+Khan&limit=3");
    assert!(hits["total"].as_u64().unwrap() >= 3);
    for h in hits["items"].as_array().unwrap() {
        let snippet = h["snippet"].as_str().unwrap();
        assert!(snippet.contains('\u{E000}') && snippet.contains('\u{E001}'), "{snippet}");
    }
    let prefix = ok_json(&mut c, "/api/search?q=Sheikh*");
    assert!(prefix["total"].as_u64().unwrap() >= hits["total"].as_u64().unwrap().min(1));

    let overview = ok_json(&mut c, "/api/overview");
    assert_eq!(overview["counts"]["documents"], 805);
    let timeline = overview["timeline"].as_array().unwrap();
    let dated: u64 = timeline.iter().map(|t| t["claims"].as_u64().unwrap()).sum();
    assert!(dated > 4000 && dated <= overview["counts"]["claims"].as_u64().unwrap(), "{dated}");
}

#[test]
fn bad_requests_are_400_with_a_message_never_500() {
    let server = ledger::server();
    let mut c = Client::new(server.addr);
    let cases = [
        ("/api/claims?kind=dead", "kind must be one of"),
        ("/api/claims?stance=maybe", "stance must be one of"),
        ("/api/claims?from=2020-02-30", "from must be a date"),
        ("/api/claims?to=yesterday", "to must be a date"),
        ("/api/claims?limit=0", "limit must be between 1 and 1000"),
        ("/api/claims?limit=5000", "limit must be between 1 and 1000"),
        ("/api/claims?offset=-1", "offset must be a whole number"),
        ("/api/claims?kinds=killed", "unknown parameter \"kinds\""),
        ("/api/claims?kind=killed&kind=injured", "given twice"),
        ("/api/incidents?sort=size", "sort must be one of sources, disagreement, date"),
        ("/api/incidents?min_sources=two", "min_sources must be a whole number"),
        ("/api/incidents?min_disagreement=inf", "finite"),
        ("/api/incidents?totals=maybe", "totals must be one of"),
        ("/api/documents?limit=abc", "limit must be a whole number"),
        ("/api/sources?role=reader", "role must be one of voice, outlet"),
        ("/api/sources?sort=loudest", "sort must be one of claims"),
        ("/api/search", "search needs q"),
        ("/api/search?q=%22()%22", "at least one word"),
        ("/api/overview?x=1", "unknown parameter"),
        ("/api/incidents/x?y=1", "unknown parameter"),
    ];
    for (path, message) in cases {
        let r = get(&mut c, path);
        assert_eq!(r.status, 400, "GET {path}: {}", r.text());
        let body = r.json();
        assert!(body["error"].as_str().unwrap().contains(message), "GET {path}: {body}");
        assert_eq!(body["status"], 400);
    }
    for path in ["/api/incidents/nope", "/api/documents/nope", "/api/nope"] {
        let r = get(&mut c, path);
        assert_eq!(r.status, 404, "GET {path}");
        assert!(r.json()["error"].is_string());
    }
    // Pages answer bad parameters with a page that says what is wrong.
    let r = get(&mut c, "/incidents?kind=dead");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("kind must be one of") && r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(get(&mut c, "/incidents/nope").status, 404);
    assert_eq!(get(&mut c, "/nowhere").status, 404);
}

#[test]
fn every_page_is_html_with_security_headers() {
    let server = ledger::server();
    let mut c = Client::new(server.addr);
    let inc = ok_json(&mut c, "/api/incidents?limit=1")["items"][0]["id"].as_str().unwrap().to_string();
    let pages = [
        "/".to_string(),
        "/incidents".into(),
        "/incidents?kind=killed&place=Idlib&min_sources=2&sort=date".into(),
        format!("/incidents/{inc}"),
        "/documents/fakes-0001".into(),
        "/sources".into(),
        "/sources?role=voice&sort=above".into(),
        "/search?q=Aleppo".into(),
        "/search".into(),
    ];
    for path in &pages {
        let r = get(&mut c, path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.text());
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"), "{path}");
        let csp = r.header("content-security-policy").unwrap();
        assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        // No page carries a script, and SVG carries no inline style (the CSP forbids both).
        assert!(!r.text().contains("<script") && !r.text().contains("style=\""), "{path}");
    }
    let api = get(&mut c, "/api/overview");
    assert!(api.header("content-security-policy").is_some());
    let css = get(&mut c, "/static/style.css");
    assert_eq!((css.status, css.header("content-type")), (200, Some("text/css; charset=utf-8")));
}

#[test]
fn hostile_documents_are_shown_as_text() {
    let server = ledger::server();
    let mut c = Client::new(server.addr);
    let path = format!("/documents/{}", encode(HOSTILE_ID));
    let r = get(&mut c, &path);
    assert_eq!(r.status, 200, "{}", r.text());
    let html = r.text();
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("href=\"javascript:"));
    assert!(html.contains("&lt;script&gt;window.__pwned = 4&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=&quot;window.__pwned = 5&quot;&gt;"));
    // The address is not a web address, so it is shown and not linked.
    assert!(html.contains("<dd>javascript:window.__pwned = 3</dd>"));
    // The claim in it was extracted and is marked.
    assert!(html.contains("class=\"claim k-killed\""));
    let search = get(&mut c, "/search?q=pwned");
    assert!(search.text().contains(&format!("href=\"{path}\"")) && !search.text().contains("<script"));
    let api = ok_json(&mut c, &format!("/api/documents/{}", encode(HOSTILE_ID)));
    assert_eq!(api["document"]["id"], HOSTILE_ID);
}

#[test]
fn openapi_describes_every_endpoint() {
    let server = ledger::server();
    let mut c = Client::new(server.addr);
    let spec = ok_json(&mut c, "/api/openapi.json");
    assert_eq!(spec["openapi"], "3.0.3");
    let paths: BTreeSet<String> = spec["paths"].as_object().unwrap().keys().cloned().collect();
    let expected: BTreeSet<String> = [
        "/api/overview",
        "/api/documents",
        "/api/documents/{id}",
        "/api/claims",
        "/api/incidents",
        "/api/incidents/{id}",
        "/api/sources",
        "/api/search",
        "/api/openapi.json",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(paths, expected);
    // Each documented GET answers 200 with the documented parameters' defaults; each
    // documented query parameter is one the endpoint accepts.
    let inc = ok_json(&mut c, "/api/incidents?limit=1")["items"][0]["id"].as_str().unwrap().to_string();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let concrete = path.replace("{id}", if path.contains("incidents") { &inc } else { "fakes-0001" });
        let concrete = if path == "/api/search" { format!("{concrete}?q=Aleppo") } else { concrete };
        assert_eq!(get(&mut c, &concrete).status, 200, "GET {concrete}");
        for p in op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "query") {
            let name = p["name"].as_str().unwrap();
            if concrete.contains(&format!("?{name}=")) {
                continue;
            }
            let sep = if concrete.contains('?') { '&' } else { '?' };
            let r = get(&mut c, &format!("{concrete}{sep}{name}="));
            assert_ne!(r.status, 400, "{path} documents {name}, which it rejects: {}", r.text());
        }
    }
}

#[test]
fn writes_need_a_token_and_are_idempotent() {
    let read_only = ledger::server();
    let mut c = Client::new(read_only.addr);
    let doc = br#"{"id": "posted-1", "text": "Five people were killed in an air strike on Idlib on Monday, the Civil Defence said.", "published": "2020-03-02", "outlet": "Wire"}"#;
    let r = c.request("POST", "/api/documents", &[("Authorization", "Bearer x")], doc).unwrap();
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.json()["error"].as_str().unwrap().contains("read-only"));

    let token = "a-long-enough-test-token";
    let (server, path) = ledger::writable_server(token, "writes");
    let mut c = Client::new(server.addr);
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];
    assert_eq!(c.request("POST", "/api/documents", &[], doc).unwrap().status, 401);
    assert_eq!(
        c.request("POST", "/api/documents", &[("Authorization", "Bearer wrong-token-of-same-len")], doc)
            .unwrap()
            .status,
        401
    );
    assert_eq!(c.request("POST", "/api/documents", &auth, b"").unwrap().status, 400);

    let r = c.request("POST", "/api/documents", &auth, doc).unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!((body["ingest"]["added"].as_u64(), body["ingest"]["claims"].as_u64()), (Some(1), Some(1)));
    let claims = ok_json(&mut c, "/api/claims?doc=posted-1");
    assert_eq!(claims["items"][0]["count"]["value"], 5);
    assert!(claims["items"][0]["incident"].is_string(), "linked after the write");
    // Sending it again changes nothing.
    let again = c.request("POST", "/api/documents", &auth, doc).unwrap().json();
    assert_eq!((again["ingest"]["added"].as_u64(), again["ingest"]["unchanged"].as_u64()), (Some(0), Some(1)));
    assert_eq!(ok_json(&mut c, "/api/documents?limit=1")["total"], 806);

    // A bad line is reported by number; the good one is stored.
    let mixed = b"{\"id\": \"posted-2\", \"text\": \"Two soldiers were wounded.\"}\n{not json\n";
    let r = c.request("POST", "/api/documents", &auth, mixed).unwrap();
    assert_eq!(r.status, 422, "{}", r.text());
    let body = r.json();
    assert_eq!((body["failed"].as_u64(), body["ingest"]["added"].as_u64()), (Some(1), Some(1)));
    assert_eq!(body["events"][0]["line"], 2);
    assert_eq!(ok_json(&mut c, "/api/documents?limit=1")["total"], 807);

    // Larger than --max-body (1 MiB in the tests).
    let big = vec![b' '; 2 << 20];
    assert_eq!(c.request("POST", "/api/documents", &auth, &big).unwrap().status, 413);
    drop(server);
    let _ = std::fs::remove_file(path);
}
