//! The web UI in a real headless Chromium: open the overview, go to the most contested
//! incident, check its "who says what" table against the API, follow a quote to its
//! document, click highlighted figures and read their fields, and show that a hostile
//! document's markup is text that never runs. Screenshots go to $TALLY_SCREENSHOTS (the
//! ones in docs/screenshots were taken so), else to a temporary directory.

mod support;

use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use support::browser::Browser;
use support::ledger::{self, HOSTILE_ID};
use tally_serve::client::Client;

fn shot(b: &Browser, name: &str) {
    let dir = std::env::var_os("TALLY_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("tally-screenshots-{}", std::process::id())));
    let path = dir.join(format!("{name}.png"));
    b.screenshot(&path);
    assert!(std::fs::read(&path).unwrap().starts_with(b"\x89PNG"));
}

fn api(c: &mut Client, path: &str) -> Value {
    let r = c.get(path).unwrap();
    assert_eq!(r.status, 200, "{path}");
    r.json()
}

#[test]
fn overview_incident_and_document_pages() {
    let server = ledger::server();
    let base = format!("http://{}", server.addr);
    let mut c = Client::new(server.addr);
    let b = Browser::start();

    b.goto(&format!("{base}/"));
    assert_eq!(b.title(), "Overview · tally");
    assert!(b.find("dl.counts").text().contains("805"));
    assert!(b.find_all("svg.chart rect").len() > 20);
    assert!(b.find_all("svg.map .map-point").len() > 10);
    shot(&b, "overview");

    // The most contested incident, from the overview's table.
    let link = b.find("table.list tbody tr td a");
    let label = link.text();
    link.click();
    let h1 = b.wait_for("h1", Duration::from_secs(5));
    assert_eq!(h1.text(), label);
    let url = b.current_url();
    let id = url.rsplit('/').next().unwrap().to_string();
    let detail = api(&mut c, &format!("/api/incidents/{id}"));
    let show = |v: &Value| v.as_u64().map_or("–".to_string(), |n| n.to_string());
    assert_eq!(
        b.find("#range").text(),
        format!("{} / {} / {}", show(&detail["low"]), show(&detail["best"]), show(&detail["high"]))
    );
    assert_eq!(b.find("#voices").text(), detail["sources"].to_string());
    let figure = &detail["reconciliation"]["figures"][0];
    let rows = b.find_all("section.figure table.who-says-what tbody tr");
    let first_table: Vec<_> = rows.iter().take(figure["sources"].as_array().unwrap().len()).collect();
    for (row, source) in first_table.iter().zip(figure["sources"].as_array().unwrap()) {
        assert_eq!(row.attr("data-claim").unwrap(), source["claim"].to_string());
        assert!(row.find("td.voice").text().starts_with(source["voice_name"].as_str().unwrap()));
        assert!(row.find("td.figure-text").text().starts_with(source["count_text"].as_str().unwrap()));
        assert_eq!(row.find("td.stance").text(), source["stance"].as_str().unwrap());
    }
    assert_eq!(b.find_all("svg.range").len(), detail["reconciliation"]["figures"].as_array().unwrap().len());
    shot(&b, "incident");

    // A quote leads to its document, with the claim's card open.
    let claim = figure["sources"][0]["claim"].as_i64().unwrap();
    first_table[0].find("td.quote a").click();
    let card = b.wait_for(&format!("#claim-{claim}"), Duration::from_secs(5));
    assert!(b.current_url().ends_with(&format!("#claim-{claim}")));
    assert!(card.is_displayed());
    assert!(card.find("td.field-figure").text().contains(figure["sources"][0]["count_text"].as_str().unwrap()));

    // Clicking highlighted figures in a document shows each one's fields, one at a time.
    b.goto(&format!("{base}/documents/fakes-0001"));
    let doc = api(&mut c, "/api/documents/fakes-0001");
    let claims = doc["claims"].as_array().unwrap();
    let spans = b.find_all("article a.claim");
    assert_eq!(spans.len(), claims.len());
    assert!(b.find_all(".claim-card").iter().all(|c| !c.is_displayed()));
    for (span, claim) in spans.iter().zip(claims) {
        span.click();
        let card = b.find(&format!("#claim-{}", claim["id"]));
        assert!(card.is_displayed());
        assert_eq!(card.find("td.field-kind").text(), claim["kind"].as_str().unwrap());
        let figure = card.find("td.field-figure").text();
        if let Some(count) = claim["count"]["text"].as_str() {
            assert!(
                figure.contains(count) && figure.contains(&format!("bytes {}–{}", claim["span"][0], claim["span"][1]))
            );
        }
        assert_eq!(card.find_all("ul.why li").len(), claim["why"].as_array().unwrap().len());
        assert_eq!(b.find_all(".claim-card").iter().filter(|c| c.is_displayed()).count(), 1);
    }
    spans[0].click();
    shot(&b, "document");
}

#[test]
fn lists_sources_and_search() {
    let server = ledger::server();
    let base = format!("http://{}", server.addr);
    let b = Browser::start();

    b.goto(&format!("{base}/incidents"));
    b.find(".sort a[href*='sort=disagreement']").click();
    b.wait_for(".sort a[aria-current][href*='sort=disagreement']", Duration::from_secs(5));
    let contradictions: Vec<u64> =
        b.find_all("table.list tbody tr").iter().map(|r| r.find_all("td")[8].text().parse().unwrap()).collect();
    assert!(contradictions.len() == 50 && contradictions.windows(2).all(|w| w[0] >= w[1]), "{contradictions:?}");
    shot(&b, "incidents");

    b.goto(&format!("{base}/sources?role=outlet"));
    let rows = b.find_all("table.sources tbody tr");
    assert!(!rows.is_empty() && rows.iter().all(|r| r.find_all("td")[1].text() == "outlet"));
    shot(&b, "sources");

    b.goto(&format!("{base}/search?q=sarin"));
    let hits = b.find_all("ol.hits li");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.find("mark").text().eq_ignore_ascii_case("sarin")));
    shot(&b, "search");
}

#[test]
fn hostile_markup_is_text_and_never_runs() {
    let server = ledger::server();
    let base = format!("http://{}", server.addr);
    let b = Browser::start();
    let encoded: String = HOSTILE_ID.bytes().map(|c| format!("%{c:02X}")).collect();
    for path in [format!("/documents/{encoded}"), "/search?q=pwned".into(), "/".into()] {
        b.goto(&format!("{base}{path}"));
        let state = b.execute(
            "return [typeof window.__pwned, document.scripts.length, document.images.length,
                     document.querySelectorAll('[onerror], a[href^=\"javascript:\"]').length]",
            vec![],
        );
        assert_eq!(state, serde_json::json!(["undefined", 0, 0, 0]), "{path}");
    }
    b.goto(&format!("{base}/documents/{encoded}"));
    assert!(b.find("h1").text().starts_with("<script>window.__pwned = 1</script>"));
    let text = b.find("article.doc-text").text();
    assert!(
        text.contains("<script>window.__pwned = 4</script>")
            && text.contains("<img src=x onerror=\"window.__pwned = 5\">")
    );
    // Its two claims, the figure and the denial that answers it, are marked.
    let marked: Vec<String> = b.find_all("article a.claim").iter().map(|a| a.text()).collect();
    assert_eq!(marked, ["12", "denied"]);
    shot(&b, "hostile");
}
