//! The ledger commands end to end: ingest (idempotent, replacing, crash-safe), copies and
//! cited origins, incidents and reconciliation, filters, exports and errors.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const STORY: &str = "Government airstrikes on a market in the town of Atareb killed at least 27 civilians on \
    Tuesday, the Syrian Observatory for Human Rights said. Dozens of people were wounded in the strikes, and rescue \
    workers were still searching the rubble of two buildings late into the night.";

/// Four reports of one bombing (one a wire copy, one with a denial) and one unrelated report.
fn corpus(dir: &Path) -> PathBuf {
    let docs = [
        ("a", "alpha", "2016-08-10", format!("BEIRUT (AP) - {STORY} The monitor said the toll was likely to rise.")),
        ("b", "beta", "2016-08-10", format!("Syria news in brief. BEIRUT (AP) - {STORY} Copyright 2016 The Associated Press.")),
        (
            "c",
            "gamma",
            "2016-08-10",
            "The Health Ministry said 12 civilians were killed in Atareb on Tuesday. The army denied that its aircraft struck the town.".into(),
        ),
        ("d", "delta", "2016-08-11", "Rescuers told Reuters that 40 civilians died in Atareb on Tuesday in the air raids.".into()),
        ("e", "delta", "2015-03-02", "Five soldiers were killed in Homs on Sunday, state news agency SANA said.".into()),
    ];
    let path = dir.join("docs.jsonl");
    let text: String = docs
        .iter()
        .map(|(id, outlet, date, text)| {
            serde_json::json!({"id": id, "outlet": outlet, "published": date, "text": text}).to_string() + "\n"
        })
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn ingest(db: &Path, inputs: &[&Path]) -> serde_json::Value {
    let mut args = vec!["ingest", "--db", db.to_str().unwrap(), "--json"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let out = tally(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn db_arg(db: &Path) -> &str {
    db.to_str().unwrap()
}

#[test]
fn ingest_is_idempotent_and_replaces_changed_documents() {
    let dir = scratch("ledger-idempotent");
    let (db, docs) = (dir.join("t.db"), corpus(&dir));
    let first = ingest(&db, &[&docs]);
    assert_eq!(first["ingest"]["added"], 5);
    assert_eq!(first["ingest"]["copies"], 1);
    let claims = first["ingest"]["claims"].as_u64().unwrap();
    assert!(claims >= 7, "{first}");
    let again = ingest(&db, &[&docs]);
    assert_eq!((again["ingest"]["added"].as_u64(), again["ingest"]["unchanged"].as_u64()), (Some(0), Some(5)));
    assert_eq!(again["ingest"]["claims"], 0);
    let all = json_lines(&tally(&["claims", "--db", db_arg(&db), "--format", "jsonl"]));
    assert_eq!(all.len() as u64, claims);

    // Document e changes its figure: its claims are replaced, nothing is duplicated.
    let changed = dir.join("changed.jsonl");
    let e = serde_json::json!({"id": "e", "outlet": "delta", "published": "2015-03-02",
        "text": "Seven soldiers were killed in Homs on Sunday, state news agency SANA said."});
    std::fs::write(&changed, e.to_string() + "\n").unwrap();
    let third = ingest(&db, &[&changed]);
    assert_eq!(third["ingest"]["replaced"], 1);
    let of_e = json_lines(&tally(&["claims", "--db", db_arg(&db), "--doc", "e", "--format", "jsonl"]));
    assert_eq!(of_e.len(), 1);
    assert_eq!(of_e[0]["count"]["text"], "Seven");
    assert_eq!(json_lines(&tally(&["claims", "--db", db_arg(&db), "--format", "jsonl"])).len() as u64, claims);
}

#[test]
fn copies_origins_and_who_says_what() {
    let dir = scratch("ledger-incident");
    let (db, docs) = (dir.join("t.db"), corpus(&dir));
    ingest(&db, &[&docs]);
    let listed = json_lines(&tally(&["docs", "--db", db_arg(&db), "--format", "jsonl"]));
    let by_id = |id: &str| listed.iter().find(|d| d["id"] == id).unwrap().clone();
    assert_eq!(by_id("b")["copy_of"], "a");
    assert!(by_id("b")["similarity"].as_f64().unwrap() >= 0.5);
    assert_eq!(by_id("a")["copy_of"], serde_json::Value::Null);
    assert_eq!(by_id("a")["origins"][0]["name"], "Associated Press");
    assert_eq!(by_id("a")["origins"][0]["cue"], "dateline");
    assert_eq!(by_id("d")["origins"][0]["name"], "Reuters");

    let incidents = json_lines(&tally(&["incidents", "--db", db_arg(&db), "--format", "jsonl"]));
    let atareb = incidents.iter().find(|i| i["place"] == "Atareb").expect("an Atareb incident");
    let members: Vec<&str> = atareb["members"].as_array().unwrap().iter().map(|m| m["doc"].as_str().unwrap()).collect();
    for doc in ["a", "b", "c", "d"] {
        assert!(members.contains(&doc), "{doc} is linked: {members:?}");
    }
    assert!(!members.contains(&"e"));
    assert_eq!(atareb["date_start"], "2016-08-09");
    let killed = atareb["reconciliation"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "killed" && f["victims"] == "civilian")
        .unwrap();
    // SOHR (27, twice through one wire story), the ministry (12), the rescuers (40).
    assert_eq!(
        (killed["low"].as_u64(), killed["best"].as_u64(), killed["high"].as_u64()),
        (Some(12), Some(27), Some(40))
    );
    assert_eq!(killed["voices"], 3);
    let notes: Vec<&str> = killed["sources"].as_array().unwrap().iter().filter_map(|s| s["note"].as_str()).collect();
    assert_eq!(notes, ["superseded"], "the copy's figure is the same voice");
    let kinds: Vec<&str> = atareb["reconciliation"]["contradictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"intervals") && kinds.contains(&"denied"), "{kinds:?}");

    let id = atareb["id"].as_str().unwrap();
    let table = tally(&["incident", id, "--db", db_arg(&db), "--format", "table"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("low 12  best 27  high 40  from 3 voices"), "{text}");
    assert!(text.contains("The Health Ministry") && text.contains("Rescuers"), "{text}");
    // Stable ids: linking again gives the same incident.
    assert!(tally(&["link", "--db", db_arg(&db)]).status.success());
    assert!(tally(&["incident", id, "--db", db_arg(&db)]).status.success());
}

#[test]
fn filters_and_their_errors() {
    let dir = scratch("ledger-filters");
    let (db, docs) = (dir.join("t.db"), corpus(&dir));
    ingest(&db, &[&docs]);
    let count = |args: &[&str]| {
        let mut all = vec!["claims", "--db", db_arg(&db), "--format", "jsonl"];
        all.extend_from_slice(args);
        json_lines(&tally(&all)).len()
    };
    assert_eq!(count(&["--place", "Homs"]), 1);
    assert_eq!(count(&["--kind", "injured"]), 2);
    assert_eq!(count(&["--from", "2015-01-01", "--to", "2015-12-31"]), 1);
    assert_eq!(count(&["--outlet", "DELTA"]), 2);
    assert_eq!(count(&["--source", "health ministry"]), 1);
    let bad = tally(&["claims", "--db", db_arg(&db), "--from", "2016-13-40"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("not a date"), "{}", stderr(&bad));
    let bad_kind = tally(&["claims", "--db", db_arg(&db), "--kind", "exploded"]);
    assert_eq!(bad_kind.status.code(), Some(2));
    let missing = tally(&["incident", "nope", "--db", db_arg(&db)]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no incident \"nope\""));
}

#[test]
fn exports_follow_their_formats() {
    let dir = scratch("ledger-export");
    let (db, docs) = (dir.join("t.db"), corpus(&dir));
    ingest(&db, &[&docs]);
    let ucdp = tally(&["export", "--db", db_arg(&db), "--format", "ucdp-csv"]);
    let text = String::from_utf8_lossy(&ucdp.stdout).into_owned();
    let mut rows = text.lines();
    assert_eq!(
        rows.next().unwrap(),
        "id,country,where_description,latitude,longitude,date_start,date_end,deaths_civilians,best,low,high,\
         source_article,source_original,number_of_sources"
    );
    let atareb = rows.find(|r| r.contains("Atareb")).expect("an Atareb row");
    assert!(atareb.contains(",2016-08-09,2016-08-09,27,"), "{atareb}");
    let geo = tally(&["export", "--db", db_arg(&db), "--format", "geojson"]);
    let fc: serde_json::Value = serde_json::from_slice(&geo.stdout).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let homs = fc["features"].as_array().unwrap().iter().find(|f| f["properties"]["place"] == "Homs").unwrap();
    let lon = homs["geometry"]["coordinates"][0].as_f64().unwrap();
    assert!((36.0..37.5).contains(&lon), "Homs lies near 36.7°E: {lon}");
}

/// Kills an ingest mid-run and shows the ledger is consistent and re-running completes it.
#[test]
fn a_killed_ingest_leaves_a_consistent_ledger_that_a_rerun_completes() {
    let dir = scratch("ledger-crash");
    // FA-KES five times over (new ids, so nothing is skipped): far more batches than can be
    // committed in the time it takes to notice the first ones, however loaded the machine.
    let fakes =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/fakes.jsonl")).unwrap();
    let mut big = String::new();
    for round in 0..5 {
        for line in fakes.lines() {
            let mut doc: serde_json::Value = serde_json::from_str(line).unwrap();
            doc["id"] = format!("{}-{round}", doc["id"].as_str().unwrap()).into();
            big += &(doc.to_string() + "\n");
        }
    }
    let corpus = dir.join("big.jsonl");
    std::fs::write(&corpus, big).unwrap();
    const TOTAL: usize = 5 * 804;
    let db = dir.join("t.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(["ingest", "--db", db_arg(&db), "--batch", "20", corpus.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then SIGKILL (no chance to clean up).
    let stored = || {
        let out = tally(&["docs", "--db", db_arg(&db), "--format", "jsonl"]);
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    let mut waited = 0;
    while stored() < 60 && waited < 3000 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        waited += 1;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = stored();
    assert!(partial >= 60 && partial < TOTAL, "killed mid-run: {partial} of {TOTAL} stored");
    assert_eq!(partial % 20, 0, "only whole batches are stored: {partial}");

    let rerun = ingest(&db, &[&corpus]);
    assert_eq!(rerun["ingest"]["unchanged"].as_u64().unwrap() as usize, partial);
    assert_eq!(stored(), TOTAL);

    // The completed ledger holds exactly what a clean ingest holds.
    let clean = dir.join("clean.db");
    ingest(&clean, &[&corpus]);
    let claims = |db: &Path| tally(&["claims", "--db", db_arg(db), "--format", "jsonl"]).stdout;
    assert_eq!(claims(&db), claims(&clean));
    let incidents = |db: &Path| tally(&["incidents", "--db", db_arg(db), "--format", "csv"]).stdout;
    assert_eq!(incidents(&db), incidents(&clean));
}
