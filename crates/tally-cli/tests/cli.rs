//! The `tally` command end to end: formats, exit status, and bad input.

mod common;

use common::*;
use std::io::Write;

const ARTICLE: &str = "At least 27 people were killed and 60 wounded when shells hit the market, the ministry said.\n";

#[test]
fn text_file_gives_claims_with_spans() {
    let dir = scratch("text_file");
    let path = dir.join("report.txt");
    std::fs::write(&path, ARTICLE).unwrap();
    let out = tally(&["extract", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = json_lines(&out);
    assert_eq!(c.len(), 2);
    assert_eq!(c[0]["doc"], "report.txt");
    assert_eq!(c[0]["span"], serde_json::json!([0, 11]));
    assert_eq!(c[0]["kind"], "killed");
    assert_eq!(c[0]["count"]["qualifier"], "at_least");
    assert_eq!(c[1]["kind"], "injured");
    assert_eq!(c[1]["count"]["value"], 60);
    for field in ["place", "time", "perpetrator"] {
        assert!(c[0][field].is_null(), "{field} present and null: the text does not say");
    }
    assert_eq!(c[0]["source"]["text"], "the ministry");
    assert_eq!(c[0]["source"]["type"], "government");
    assert_eq!(c[0]["stance"], "asserted");
    assert!(c[0]["why"].as_array().unwrap().iter().any(|w| w == "rule:predicate"));
}

#[test]
fn html_visible_text_and_csv_from_stdin() {
    let dir = scratch("html");
    let path = dir.join("page.html");
    std::fs::write(&path, "<html><head><title>T</title><script>var x='9 killed';</script></head><body><p>Blast kills six in Aleppo</p></body></html>").unwrap();
    let out = tally(&["extract", path.to_str().unwrap()]);
    let c = json_lines(&out);
    assert_eq!(c.len(), 1, "script text is not visible text");
    assert_eq!(c[0]["count"]["text"], "six");

    let jsonl = br#"{"id": "d1", "text": "Rebels abducted 20 villagers, including \"two\" teachers."}"#;
    let out = tally_stdin(&["extract", "-", "--format", "csv"], jsonl);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("doc,span_start,span_end,kind,count_text,value"));
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("d1,16,18,captured,20,20,20,20,exact,villagers,civilian,,false,false,,,,Rebels,,asserted,"),
        "{row}"
    );
    // the sentence, quoted, then the context columns (no place, time or source here)
    assert!(row.ends_with(r#""Rebels abducted 20 villagers, including ""two"" teachers.",,,,,,,,,"#), "{row}");
}

#[test]
fn malformed_jsonl_line_is_reported_and_the_rest_goes_on() {
    let dir = scratch("malformed");
    let path = dir.join("batch.jsonl");
    std::fs::write(
        &path,
        "{\"id\": \"a\", \"text\": \"Five soldiers were killed.\"}\n{\"id\": \"b\", \"text\": \n{\"text\": \"no id\"}\n{\"id\": \"c\", \"text\": \"Two civilians died.\"}\n",
    )
    .unwrap();
    let out = tally(&["extract", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("batch.jsonl:2: malformed JSON"), "{err}");
    assert!(err.contains("batch.jsonl:3: document has no \"id\""), "{err}");
    let docs: Vec<_> = json_lines(&out).iter().map(|c| c["doc"].as_str().unwrap().to_string()).collect();
    assert_eq!(docs, ["a", "c"]);
}

#[test]
fn missing_binary_and_empty_inputs() {
    let dir = scratch("bad_inputs");
    let binary = dir.join("image.txt");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 1, 2]).unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let good = dir.join("good.txt");
    std::fs::write(&good, ARTICLE).unwrap();
    let missing = dir.join("nope.txt");
    let out = tally(&[
        "extract",
        missing.to_str().unwrap(),
        binary.to_str().unwrap(),
        empty.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("error: {}: no such file or directory", missing.display())), "{err}");
    assert!(err.contains(&format!("error: {}: binary file (NUL byte at byte 4), skipped", binary.display())), "{err}");
    assert!(err.contains(&format!("warning: {}: empty document", empty.display())), "{err}");
    assert!(err.contains("2 inputs failed"), "{err}");
    assert_eq!(json_lines(&out).len(), 2, "the good file is still read");
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning() {
    let dir = scratch("utf8");
    let path = dir.join("latin1.txt");
    let mut bytes = b"Caf\xe9 shelling: ".to_vec();
    bytes.extend_from_slice(b"twelve civilians were killed.");
    std::fs::write(&path, &bytes).unwrap();
    let out = tally(&["extract", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "a warning is not a failure");
    assert!(stderr(&out).contains("latin1.txt: invalid UTF-8 at byte 3"), "{}", stderr(&out));
    let c = json_lines(&out);
    assert_eq!(c[0]["count"]["value"], 12);
    // Spans point into the decoded text: U+FFFD takes three bytes where 0xE9 took one.
    assert_eq!(c[0]["span"], serde_json::json!([17, 23]));
}

#[test]
fn directories_are_read_recursively_in_order() {
    let dir = scratch("tree");
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(dir.join("b/2.txt"), "Nine soldiers were killed.").unwrap();
    std::fs::write(dir.join("a.txt"), "Four villagers were wounded.").unwrap();
    let out = tally(&["extract", dir.to_str().unwrap()]);
    let docs: Vec<_> = json_lines(&out).iter().map(|c| c["doc"].as_str().unwrap().to_string()).collect();
    assert_eq!(docs, ["a.txt", "2.txt"]);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tally(&["extract"]).status.code(), Some(2));
    assert_eq!(tally(&["extract", "x.txt", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(tally(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_200_mb_single_line_file() {
    let dir = scratch("huge");
    let path = dir.join("one-line.txt");
    let sentence = "Shelling killed 3 people in the old market on Friday and destroyed 2 homes as residents fled. ";
    let repeats = 200_000_000 / sentence.len() + 1;
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for _ in 0..repeats {
            f.write_all(sentence.as_bytes()).unwrap();
        }
    }
    let out = tally(&["extract", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = out.stdout.iter().filter(|&&b| b == b'\n').count() - 1;
    assert_eq!(rows, repeats * 2, "every sentence's two claims, across block boundaries");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn an_imported_gazetteer_resolves_what_the_builtin_one_lacks() {
    let dir = scratch("gazetteer");
    let dump = dir.join("XX.txt");
    std::fs::write(
        &dump,
        "9000001\tQaryat Tally\tQaryat Tally\tTally Village,Qariyat Tali\t35.1\t38.2\tP\tPPL\tSY\t\t09\t\t\t\t800\t\t\tAsia/Damascus\t2020-01-01\nbroken\n",
    )
    .unwrap();
    let out_dir = dir.join("gaz");
    let out = tally(&["gazetteer", "import", dump.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 places"));
    assert!(stderr(&out).contains("1 lines are not 19 tab-separated fields (lines 2"));
    let text = dir.join("a.txt");
    std::fs::write(&text, "Shelling killed four people in Qariyat Tali on Monday.").unwrap();
    let builtin = json_lines(&tally(&["extract", text.to_str().unwrap()]));
    assert!(builtin[0]["place"].is_null() || builtin[0]["place"]["geonames_id"].is_null());
    let imported = json_lines(&tally(&["extract", text.to_str().unwrap(), "--gazetteer", out_dir.to_str().unwrap()]));
    assert_eq!(imported[0]["place"]["geonames_id"], 9000001);
    assert_eq!(imported[0]["place"]["text"], "Qariyat Tali");
    assert_eq!(imported[0]["place"]["name"], "Qaryat Tally");
    let missing = tally(&["extract", text.to_str().unwrap(), "--gazetteer", dir.join("nope").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("not a gazetteer directory"));
}
