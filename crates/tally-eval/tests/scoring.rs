//! Scoring semantics on small hand-made cases, and the integrity of the shipped gold set.

use std::collections::HashSet;
use std::path::Path;
use tally_core::{Claim, Count, Kind, Qualifier, Stance, VictimClass, Victims};
use tally_eval::{crowd::article_figures, load_corpus, load_gold, score, GoldClaim};

fn claim(doc: &str, span: [usize; 2], kind: Kind, value: u64, part_of: Option<usize>) -> Claim {
    Claim {
        doc: doc.into(),
        span,
        sentence: String::new(),
        sentence_span: [0, 0],
        kind: Some(kind),
        count: Some(Count::new(value.to_string(), value, Qualifier::Exact)),
        victims: Victims { text: String::new(), class: VictimClass::Civilian, groups: vec![] },
        cumulative: false,
        ambiguous: false,
        part_of,
        place: None,
        time: None,
        perpetrator: None,
        source: None,
        stance: Stance::Asserted,
        answers: vec![],
        why: vec![],
    }
}

fn gold(doc: &str, span: [usize; 2], kind: &str, value: u64, part_of: Option<usize>) -> GoldClaim {
    let line = serde_json::json!({
        "doc": doc, "span": span, "kind": kind,
        "count": {"text": value.to_string(), "value": value, "low": value, "high": value, "qualifier": "exact"},
        "victims": {"text": "", "class": "civilian", "groups": []},
        "part_of": part_of, "place": null, "time": null, "perpetrator": null, "source": null, "stance": "asserted"
    });
    serde_json::from_value(line).unwrap()
}

fn docs(ids: &[&str]) -> HashSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn match_needs_kind_count_and_overlap() {
    let g = vec![gold("a", [0, 2], "killed", 27, None), gold("a", [10, 12], "injured", 60, None)];
    let p = vec![
        claim("a", [1, 3], Kind::Killed, 27, None),   // overlaps, agrees: match
        claim("a", [10, 12], Kind::Killed, 60, None), // wrong kind: spurious, and the gold is missed
        claim("b", [0, 2], Kind::Killed, 5, None),    // a document without gold claims: spurious
    ];
    let s = score(&g, &p, &docs(&["a", "b"]));
    assert_eq!((s.overall.gold, s.overall.predicted, s.overall.matched), (2, 3, 1));
    assert!((s.overall.precision - 1.0 / 3.0).abs() < 1e-9);
    assert!((s.overall.recall - 0.5).abs() < 1e-9);
    assert!((s.overall.f1 - 0.4).abs() < 1e-9);
    assert_eq!(s.per_kind[&Kind::Killed].predicted, 3);
    assert_eq!(s.per_kind[&Kind::Injured].matched, 0);
    assert_eq!(s.misses.len(), 1);
    assert_eq!(s.spurious.len(), 2);
}

#[test]
fn matching_is_one_to_one_and_values_must_agree() {
    let g = vec![gold("a", [0, 2], "killed", 27, None)];
    let twice = vec![claim("a", [0, 2], Kind::Killed, 27, None), claim("a", [0, 2], Kind::Killed, 27, None)];
    assert_eq!(score(&g, &twice, &docs(&["a"])).overall.matched, 1);
    let other_value = vec![claim("a", [0, 2], Kind::Killed, 28, None)];
    assert_eq!(score(&g, &other_value, &docs(&["a"])).overall.matched, 0);
    let no_overlap = vec![claim("a", [2, 4], Kind::Killed, 27, None)];
    assert_eq!(score(&g, &no_overlap, &docs(&["a"])).overall.matched, 0);
}

#[test]
fn part_of_is_scored_through_the_matching() {
    let g = vec![gold("a", [0, 2], "killed", 27, None), gold("a", [20, 21], "killed", 9, Some(0))];
    let right = vec![claim("a", [0, 2], Kind::Killed, 27, None), claim("a", [20, 21], Kind::Killed, 9, Some(0))];
    let wrong = vec![claim("a", [0, 2], Kind::Killed, 27, None), claim("a", [20, 21], Kind::Killed, 9, None)];
    let field = |claims: &[Claim]| {
        let s = score(&g, claims, &docs(&["a"]));
        s.fields.iter().find(|f| f.field == "part_of").map(|f| (f.correct, f.total)).unwrap()
    };
    assert_eq!(field(&right), (2, 2));
    assert_eq!(field(&wrong), (1, 2));
}

#[test]
fn a_wrong_field_is_listed_with_both_values() {
    let g = vec![gold("a", [0, 2], "killed", 27, None), gold("a", [20, 21], "killed", 9, None)];
    let mut placed = claim("a", [0, 2], Kind::Killed, 27, None);
    placed.place = Some(tally_core::PlaceRef {
        text: "Aleppo".into(),
        span: [5, 11],
        name: "Aleppo".into(),
        geonames_id: None,
        country: "SY".into(),
        admin1: None,
        lat: None,
        lon: None,
        precision: tally_core::PlacePrecision::Town,
    });
    let s = score(&g, &[placed, claim("a", [20, 21], Kind::Killed, 9, None)], &docs(&["a"]));
    let place = s.fields.iter().find(|f| f.field == "place").unwrap();
    assert_eq!((place.correct, place.total), (1, 2));
    let w = &place.wrong;
    assert_eq!(w.len(), 1);
    assert_eq!(
        (w[0].doc.as_str(), w[0].span, w[0].gold.as_str(), w[0].predicted.as_str()),
        ("a", [0, 2], "null", "\"Aleppo\"")
    );
    assert!(s.fields.iter().find(|f| f.field == "stance").unwrap().wrong.is_empty());
}

#[test]
fn crowd_figure_is_the_first_top_level_death_count() {
    let mut cumulative = claim("a", [0, 3], Kind::Killed, 400, None);
    cumulative.cumulative = true;
    let mut soldiers = claim("a", [5, 7], Kind::Killed, 12, None);
    soldiers.victims.class = VictimClass::Combatant;
    let claims = vec![
        cumulative,
        claim("a", [4, 5], Kind::Injured, 30, None),
        soldiers,
        claim("a", [8, 10], Kind::Killed, 27, None),
        claim("a", [11, 12], Kind::Killed, 9, Some(3)),
        claim("a", [13, 15], Kind::Killed, 31, None),
    ];
    assert_eq!(article_figures(&claims), (27, 12));
    assert_eq!(article_figures(&[]), (0, 0));
}

#[test]
fn gold_spans_cut_exactly_their_count_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = load_corpus(&root.join("tests/gold/docs.jsonl")).unwrap();
    let gold = load_gold(&root.join("tests/gold/claims.jsonl")).unwrap();
    assert!(corpus.len() >= 100, "the gold set annotates at least 100 articles");
    assert!(gold.len() >= 500);
    let texts: std::collections::HashMap<_, _> =
        corpus.iter().map(|d| (d.doc.id.as_str(), d.doc.text.as_str())).collect();
    for g in &gold {
        let text = texts.get(g.doc.as_str()).unwrap_or_else(|| panic!("{} is not in docs.jsonl", g.doc));
        assert_eq!(&text[g.span[0]..g.span[1]], g.count.text, "{} {:?}", g.doc, g.span);
    }
    let splits: HashSet<_> = corpus.iter().filter_map(|d| d.split.clone()).collect();
    assert_eq!(splits, HashSet::from(["dev".to_string(), "test".to_string()]));
}
