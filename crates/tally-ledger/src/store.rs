//! Writing the ledger: documents and claims in (ingest), incidents recomputed (link).

use crate::fingerprint::{normalise, text_key, Sketch, COPY_THRESHOLD};
use crate::link::{self, LinkClaim, LinkPlace};
use crate::origin::{cited_origins, OriginType};
use crate::reconcile::{self, Member};
use crate::sources::SourceTally;
use crate::{Ledger, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use rustc_hash::FxHashMap;
use serde::Serialize;
use tally_core::{Claim, Count, Date, Document, Kind, PlacePrecision, Qualifier, Stance, VictimClass};

/// What one ingest batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IngestStats {
    /// New documents.
    pub added: usize,
    /// Documents already in the ledger with the same text: nothing written.
    pub unchanged: usize,
    /// Documents whose text changed since they were ingested: their claims were replaced.
    pub replaced: usize,
    /// Documents with the same text whose claims came from another analyser (an earlier
    /// version of tally): their claims were replaced by this one's.
    pub reanalysed: usize,
    /// New or replaced documents found to copy an earlier one (exactly or nearly).
    pub copies: usize,
    /// Claims written.
    pub claims: usize,
    /// Documents stored without analysis (not English).
    pub not_analysed: usize,
}

impl IngestStats {
    pub fn add(&mut self, o: IngestStats) {
        self.added += o.added;
        self.unchanged += o.unchanged;
        self.replaced += o.replaced;
        self.reanalysed += o.reanalysed;
        self.copies += o.copies;
        self.claims += o.claims;
        self.not_analysed += o.not_analysed;
    }
}

/// What linking found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LinkStats {
    pub claims: usize,
    pub incidents: usize,
    pub totals: usize,
    /// Incidents reported by more than one independent voice.
    pub corroborated: usize,
    pub contradicted: usize,
}

impl Ledger {
    /// Stores a batch of documents with their claims in one transaction. A document already
    /// stored under the same name with the same normalised text is skipped; with another text,
    /// its claims are replaced.
    pub fn ingest(&mut self, batch: &[(Document, Vec<Claim>)]) -> Result<IngestStats> {
        let tx = self.conn.transaction()?;
        let mut stats = IngestStats::default();
        for (doc, claims) in batch {
            ingest_one(&tx, doc, claims, &self.analyser, &mut stats)?;
        }
        if stats.added + stats.replaced + stats.reanalysed > 0 {
            tx.execute("UPDATE meta SET value = '0' WHERE key = 'linked'", [])?;
        }
        tx.commit()?;
        Ok(stats)
    }

    /// Recomputes every incident from the stored claims, in one transaction.
    pub fn link(&mut self) -> Result<LinkStats> {
        let tx = self.conn.transaction()?;
        index_new_texts(&tx)?;
        let claims = load_link_claims(&tx)?;
        let n = claims.len();
        let incidents = link::link(claims);
        let stats = write_incidents(&tx, &incidents, n)?;
        tx.execute("UPDATE meta SET value = '1' WHERE key = 'linked'", [])?;
        tx.commit()?;
        Ok(stats)
    }
}

fn ingest_one(
    tx: &Transaction,
    doc: &Document,
    claims: &[Claim],
    analyser: &str,
    stats: &mut IngestStats,
) -> Result<()> {
    let norm = normalise(&doc.text);
    let key = text_key(&norm);
    let existing: Option<(i64, String, String)> = tx
        .prepare_cached("SELECT id, key, analyser FROM documents WHERE name = ?1")?
        .query_row([&doc.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let id = match existing {
        Some((_, old, by)) if old == key && by == analyser => {
            stats.unchanged += 1;
            return Ok(());
        }
        Some((id, old, _)) if old == key => {
            // The same text, read by another analyser: only its claims change.
            tx.prepare_cached("DELETE FROM claims WHERE doc = ?1")?.execute([id])?;
            tx.prepare_cached("UPDATE documents SET analyser = ?1, dated = ?2, located = ?3 WHERE id = ?4")?
                .execute(params![analyser, doc.dated, located_json(doc), id])?;
            stats.reanalysed += 1;
            return insert_claims(tx, id, claims, stats);
        }
        Some((id, _, _)) => {
            for table in [
                "DELETE FROM claims WHERE doc = ?1",
                "DELETE FROM doc_bands WHERE doc = ?1",
                "DELETE FROM doc_sketches WHERE doc = ?1",
                "DELETE FROM origins WHERE doc = ?1",
            ] {
                tx.prepare_cached(table)?.execute([id])?;
            }
            stats.replaced += 1;
            id
        }
        None => {
            stats.added += 1;
            0
        }
    };
    let sketch = Sketch::of(&norm);
    let (copy_of, similarity) = find_copy(tx, &key, &sketch, id)?;
    stats.copies += copy_of.is_some() as usize;
    let analysed = doc.is_analysed();
    stats.not_analysed += !analysed as usize;
    let values = params![
        doc.id,
        key,
        doc.title,
        doc.published,
        doc.url,
        doc.outlet,
        doc.lang,
        analysed,
        doc.text,
        copy_of,
        similarity,
        doc.dated,
        located_json(doc)
    ];
    let id = if id == 0 {
        tx.prepare_cached(
            "INSERT INTO documents (name, key, title, published, url, outlet, lang, analysed, text, copy_of, similarity, dated, located, analyser)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(rusqlite::params_from_iter(values.iter().copied().chain([&analyser as &dyn rusqlite::ToSql])))?;
        tx.last_insert_rowid()
    } else {
        tx.prepare_cached(
            "UPDATE documents SET name = ?1, key = ?2, title = ?3, published = ?4, url = ?5, outlet = ?6, lang = ?7,
             analysed = ?8, text = ?9, copy_of = ?10, similarity = ?11, dated = ?12, located = ?13, analyser = ?14
             WHERE id = ?15",
        )?
        .execute(rusqlite::params_from_iter(
            values.iter().copied().chain([&analyser as &dyn rusqlite::ToSql, &id as &dyn rusqlite::ToSql]),
        ))?;
        id
    };
    store_sketch(tx, id, &sketch)?;
    let mut origin = tx.prepare_cached(
        "INSERT INTO origins (doc, name, type, text, span_start, span_end, cue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for o in cited_origins(&doc.text) {
        origin.execute(params![id, o.name, o.kind.as_str(), o.text, o.span[0], o.span[1], o.cue])?;
    }
    insert_claims(tx, id, claims, stats)
}

fn located_json(doc: &Document) -> Option<String> {
    doc.located.as_ref().map(|p| serde_json::to_string(p).expect("places serialise"))
}

/// A document's sketch and the bands that make it a candidate for later near copies.
fn store_sketch(tx: &Transaction, doc: i64, sketch: &Sketch) -> Result<()> {
    tx.prepare_cached("INSERT INTO doc_sketches (doc, sketch) VALUES (?1, ?2)")?
        .execute(params![doc, sketch.to_bytes()])?;
    let mut band = tx.prepare_cached("INSERT INTO doc_bands (band, doc) VALUES (?1, ?2)")?;
    for b in sketch.bands() {
        band.execute([b, doc])?;
    }
    Ok(())
}

/// Sketches the stored documents that have none: those of a ledger migrated from a version
/// whose sketches were computed another way. Their `copy_of` links stay as found then.
pub(crate) fn sketch_unsketched(tx: &Transaction) -> Result<()> {
    let mut stmt =
        tx.prepare("SELECT id, text FROM documents WHERE id NOT IN (SELECT doc FROM doc_sketches) ORDER BY id")?;
    // One text at a time: a ledger's texts need not fit in memory. The `NOT IN` list is
    // read once, before the first row, so the inserts below do not disturb the scan.
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let text: String = row.get(1)?;
        let text = normalise(&text);
        store_sketch(tx, row.get(0)?, &Sketch::of(&text))?;
    }
    Ok(())
}

fn insert_claims(tx: &Transaction, doc: i64, claims: &[Claim], stats: &mut IngestStats) -> Result<()> {
    for (idx, c) in claims.iter().enumerate() {
        insert_claim(tx, doc, idx, c)?;
    }
    stats.claims += claims.len();
    Ok(())
}

/// The earliest document this text copies, exactly (same key) or nearly (MinHash).
fn find_copy(tx: &Transaction, key: &str, sketch: &Sketch, me: i64) -> Result<(Option<i64>, Option<f64>)> {
    let exact: Option<(i64, Option<i64>)> = tx
        .prepare_cached("SELECT id, copy_of FROM documents WHERE key = ?1 AND id != ?2 ORDER BY id LIMIT 1")?
        .query_row(params![key, me], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((id, root)) = exact {
        return Ok((Some(root.unwrap_or(id)), Some(1.0)));
    }
    let bands = sketch.bands();
    let marks = vec!["?"; bands.len()].join(",");
    let mut stmt =
        tx.prepare_cached(&format!("SELECT DISTINCT doc FROM doc_bands WHERE band IN ({marks}) ORDER BY doc"))?;
    let mut candidates: Vec<i64> =
        stmt.query_map(rusqlite::params_from_iter(bands), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    candidates.retain(|&d| d != me);
    let mut sk = tx.prepare_cached("SELECT sketch FROM doc_sketches WHERE doc = ?1")?;
    for d in candidates {
        let s = sk.query_row([d], |r| Ok(Sketch::from_bytes(r.get_ref(0)?.as_blob()?)))?;
        let s = s.map_or(0.0, |other| other.similarity(sketch));
        if s >= COPY_THRESHOLD {
            let root: Option<i64> =
                tx.prepare_cached("SELECT copy_of FROM documents WHERE id = ?1")?.query_row([d], |r| r.get(0))?;
            return Ok((Some(root.unwrap_or(d)), Some(s)));
        }
    }
    Ok((None, None))
}

fn insert_claim(tx: &Transaction, doc: i64, idx: usize, c: &Claim) -> Result<()> {
    let count = c.count.as_ref();
    let place = c.place.as_ref();
    let time = c.time.as_ref();
    let answers = (!c.answers.is_empty()).then(|| c.answers.iter().map(usize::to_string).collect::<Vec<_>>().join(","));
    let json = serde_json::to_string(c).expect("claims serialise");
    tx.prepare_cached(
        "INSERT INTO claims (doc, idx, span_start, span_end, kind, value, low, high, qualifier, count_text,
         victims_class, cumulative, part_of, answers, stance, place_text, place_name, place_key, country, admin1,
         lat, lon, place_precision, time_start, time_end, source_text, source_type, perpetrator, sentence, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                 ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
    )?
    .execute(params![
        doc,
        idx,
        c.span[0],
        c.span[1],
        c.kind.map(Kind::as_str),
        count.and_then(|n| n.value),
        count.and_then(|n| n.low),
        count.and_then(|n| n.high),
        count.map(|n| n.qualifier.as_str()),
        count.map(|n| n.text.as_str()),
        c.victims.class.as_str(),
        c.cumulative,
        c.part_of,
        answers,
        c.stance.as_str(),
        place.map(|p| p.text.as_str()),
        place.map(|p| p.name.as_str()),
        place.map(place_key),
        place.map(|p| p.country.as_str()),
        place.and_then(|p| p.admin1.as_deref()),
        place.and_then(|p| p.lat),
        place.and_then(|p| p.lon),
        place.map(|p| p.precision.as_str()),
        time.and_then(|t| t.start.as_deref()),
        time.and_then(|t| t.end.as_deref()),
        c.source.as_ref().map(|s| s.text.as_str()),
        c.source.as_ref().map(|s| s.kind.as_str()),
        c.perpetrator.as_ref().map(|p| p.text.as_str()),
        c.sentence,
        json,
    ])?;
    Ok(())
}

/// A place's identity for linking: its GeoNames id; a gazetteer region without one
/// ("Idlib" the governorate, "Nagorno-Karabakh") "country/name"; a name the gazetteer does
/// not know "country:name", which linking reads as lying within the document's town.
fn place_key(p: &tally_core::PlaceRef) -> String {
    match (p.geonames_id, p.lat) {
        (Some(id), _) => id.to_string(),
        (None, Some(_)) => format!("{}/{}", p.country, p.name.to_lowercase()),
        (None, None) => format!("{}:{}", p.country, p.name.to_lowercase()),
    }
}

/// The key linking compares: a name the gazetteer does not know ("SY:al-quria") is keyed by
/// its spelling skeleton, so that "al-Quria" and "Al Quriyah" in two reports meet.
fn linking_key(stored: String) -> String {
    match stored.split_once(':') {
        Some((country, name)) => {
            let folded: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            format!("{country}:{}", tally_core::spelling_skeleton(&folded.join(" ")))
        }
        None => stored,
    }
}

/// A document's `located` town, as stored (JSON), in the form linking compares.
fn located_place(json: &str) -> Option<LinkPlace> {
    let p: tally_core::PlaceRef = serde_json::from_str(json).ok()?;
    Some(LinkPlace {
        key: linking_key(place_key(&p)),
        names_region: names_its_region(Some(p.name.clone()), p.admin1.clone()),
        country: p.country,
        admin1: p.admin1,
        precision: p.precision,
        within: None,
    })
}

/// "Idlib" in admin1 "Idlib", "Ar Raqqah" in "Ar-Raqqah": a town named like its region.
fn names_its_region(name: Option<String>, admin1: Option<String>) -> bool {
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    match (name, admin1) {
        (Some(n), Some(a)) => !a.is_empty() && letters(&n) == letters(&a),
        _ => false,
    }
}

fn day(s: Option<String>) -> Option<i64> {
    s.as_deref().and_then(Date::parse_iso).map(Date::days)
}

fn load_link_claims(tx: &Transaction) -> Result<Vec<LinkClaim>> {
    let mut stmt = tx.prepare(
        "SELECT c.id, c.doc, d.name, c.idx, c.span_start, c.kind, c.victims_class, c.cumulative, c.part_of, c.answers,
                c.place_key, c.country, c.admin1, c.place_precision, c.time_start, c.time_end, COALESCE(d.dated, d.published),
                c.place_text, c.place_name, c.low, c.value, d.located
         FROM claims c JOIN documents d ON d.id = c.doc",
    )?;
    // Each document's town is read once, not once per claim.
    let mut located_of: FxHashMap<i64, Option<LinkPlace>> = FxHashMap::default();
    let rows = stmt.query_map([], |r| {
        let doc: i64 = r.get(1)?;
        let located = match located_of.get(&doc) {
            Some(town) => town.clone(),
            None => {
                let town = r.get::<_, Option<String>>(21)?.as_deref().and_then(located_place);
                located_of.insert(doc, town.clone());
                town
            }
        };
        let place_key: Option<String> = r.get::<_, Option<String>>(10)?.map(linking_key);
        // A described place ("a popular market", "two villages") names no place to meet
        // other reports at: the claim links by its document's place.
        let described = r.get::<_, Option<String>>(17)?.is_some_and(|t| t.starts_with(|c: char| c.is_lowercase()))
            && place_key.as_deref().is_some_and(|k| k.contains(':'));
        let place = match place_key.filter(|_| !described) {
            Some(key) => Some(LinkPlace {
                within: None,
                names_region: names_its_region(r.get::<_, Option<String>>(18)?, r.get::<_, Option<String>>(12)?),
                key,
                country: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                admin1: r.get(12)?,
                precision: r
                    .get::<_, Option<String>>(13)?
                    .as_deref()
                    .and_then(PlacePrecision::parse)
                    .unwrap_or(PlacePrecision::Country),
            }),
            None => None,
        };
        let (start, end) = (day(r.get(14)?), day(r.get(15)?));
        Ok(LinkClaim {
            id: r.get(0)?,
            doc,
            doc_key: r.get(2)?,
            idx: r.get(3)?,
            span_start: r.get::<_, i64>(4)? as usize,
            kind: r.get::<_, Option<String>>(5)?.as_deref().and_then(Kind::parse),
            victims: VictimClass::parse(&r.get::<_, String>(6)?).unwrap_or(VictimClass::Unknown),
            cumulative: r.get(7)?,
            part_of: r.get(8)?,
            answers: r
                .get::<_, Option<String>>(9)?
                .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
                .unwrap_or_default(),
            place,
            time: start.zip(end),
            published: day(r.get(16)?),
            size: [r.get::<_, Option<i64>>(19)?, r.get(20)?].into_iter().flatten().max().map(|n| n.max(0) as u64),
            located,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// What an incident's rows say, loaded for reconciliation and labelling.
struct MemberRow {
    member: Member,
    doc: i64,
    place_text: Option<String>,
    place_key: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

fn load_members(tx: &Transaction) -> Result<FxHashMap<i64, MemberRow>> {
    let wire = wire_origins(tx)?;
    let mut stmt = tx.prepare(
        "SELECT c.id, d.name, d.outlet, d.published, COALESCE(d.copy_of, d.id), c.kind, c.victims_class,
                c.count_text, c.value, c.low, c.high, c.qualifier, c.part_of, c.stance, c.source_text,
                c.perpetrator, c.sentence, c.doc, c.place_text, c.place_key, c.lat, c.lon, r.outlet, c.source_type
         FROM claims c JOIN documents d ON d.id = c.doc JOIN documents r ON r.id = COALESCE(d.copy_of, d.id)",
    )?;
    let rows = stmt.query_map([], |r| {
        let count = match r.get::<_, Option<String>>(7)? {
            Some(text) => Some(Count {
                text,
                value: r.get(8)?,
                low: r.get(9)?,
                high: r.get(10)?,
                qualifier: Qualifier::parse(&r.get::<_, String>(11)?).unwrap_or(Qualifier::Exact),
            }),
            None => None,
        };
        let doc: i64 = r.get(17)?;
        let member = Member {
            claim: r.get(0)?,
            doc_name: r.get(1)?,
            outlet: r.get(2)?,
            published: r.get(3)?,
            copy_root: r.get(4)?,
            root_outlet: r.get(22)?,
            wire: wire.get(&doc).cloned(),
            kind: r.get::<_, Option<String>>(5)?.as_deref().and_then(Kind::parse),
            victims: VictimClass::parse(&r.get::<_, String>(6)?).unwrap_or(VictimClass::Unknown),
            count,
            subset: r.get::<_, Option<i64>>(12)?.is_some(),
            stance: Stance::parse(&r.get::<_, String>(13)?).unwrap_or(Stance::Asserted),
            source: r.get(14)?,
            source_type: r.get(23)?,
            perpetrator: r.get(15)?,
            quote: r.get(16)?,
        };
        let place_key = r.get::<_, Option<String>>(19)?.map(linking_key);
        Ok(MemberRow { member, doc, place_text: r.get(18)?, place_key, lat: r.get(20)?, lon: r.get(21)? })
    })?;
    let mut out = FxHashMap::default();
    for row in rows {
        let row = row?;
        out.insert(row.member.claim, row);
    }
    Ok(out)
}

/// Per document, the agency it names as its origin: the first one cited in a dateline, or
/// the only agency it cites at all.
fn wire_origins(tx: &Transaction) -> Result<FxHashMap<i64, String>> {
    let mut stmt = tx.prepare("SELECT doc, name, cue FROM origins WHERE type = ?1 ORDER BY doc, span_start")?;
    let mut per_doc: FxHashMap<i64, Vec<(String, String)>> = FxHashMap::default();
    for row in stmt.query_map([OriginType::Agency.as_str()], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))? {
        let (doc, name, cue) = row?;
        per_doc.entry(doc).or_default().push((name, cue));
    }
    Ok(per_doc
        .into_iter()
        .filter_map(|(doc, list)| {
            let dateline = list.iter().find(|(_, cue)| cue == "dateline").map(|(n, _)| n.clone());
            let only = list.iter().all(|(n, _)| *n == list[0].0).then(|| list[0].0.clone());
            Some((doc, dateline.or(only)?))
        })
        .collect())
}

fn write_incidents(tx: &Transaction, incidents: &[link::Incident], n_claims: usize) -> Result<LinkStats> {
    let members = load_members(tx)?;
    tx.execute("DELETE FROM incidents", [])?;
    // Rewriting every claim's incident is far cheaper without its index; it is rebuilt once.
    tx.execute("DROP INDEX IF EXISTS claims_incident", [])?;
    tx.execute("UPDATE claims SET incident = NULL", [])?;
    let mut set = tx.prepare("UPDATE claims SET incident = ?1 WHERE id = ?2")?;
    let mut insert = tx.prepare(
        "INSERT INTO incidents (id, label, total, place, place_variants, country, admin1, lat, lon, date_start, date_end,
         main_kind, claims, docs, origins, contradictions, disagreement, low, best, high, reconciliation, why)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
    )?;
    let mut stats = LinkStats { claims: n_claims, ..LinkStats::default() };
    let mut sources = SourceTally::default();
    let stats = write_each(&mut set, &mut insert, incidents, &members, &mut stats, &mut sources).map(|()| stats);
    tx.execute("CREATE INDEX claims_incident ON claims(incident)", [])?;
    write_sources(tx, sources)?;
    write_timeline(tx)?;
    stats
}

/// Adds the documents stored since the last link to the full-text index.
fn index_new_texts(tx: &Transaction) -> Result<()> {
    tx.execute_batch(
        "INSERT INTO documents_fts(rowid, title, text)
           SELECT id, title, text FROM documents
           WHERE id > (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_indexed');
         UPDATE meta SET value = (SELECT COALESCE(max(id), 0) FROM documents) WHERE key = 'fts_indexed';",
    )?;
    Ok(())
}

fn write_sources(tx: &Transaction, sources: SourceTally) -> Result<()> {
    tx.execute("DELETE FROM sources", [])?;
    let mut insert = tx.prepare(
        "INSERT INTO sources (role, key, name, claims, incidents, compared, above, below, matching, disputed, denied)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (key, r) in sources.rows() {
        insert.execute(params![
            r.role,
            key,
            r.name,
            r.claims,
            r.incidents,
            r.compared,
            r.above,
            r.below,
            r.matching,
            r.disputed,
            r.denied
        ])?;
    }
    Ok(())
}

/// Claims per month and kind, dated by the claim's time or else its document's date.
fn write_timeline(tx: &Transaction) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM timeline;
         INSERT INTO timeline (month, kind, claims)
         SELECT substr(COALESCE(c.time_start, d.dated, d.published), 1, 7) AS m, c.kind, count(*)
         FROM claims c JOIN documents d ON d.id = c.doc
         WHERE c.kind IS NOT NULL AND m IS NOT NULL AND length(m) = 7
         GROUP BY m, c.kind;",
    )?;
    Ok(())
}

fn write_each(
    set: &mut rusqlite::Statement,
    insert: &mut rusqlite::Statement,
    incidents: &[link::Incident],
    members: &FxHashMap<i64, MemberRow>,
    stats: &mut LinkStats,
    sources: &mut SourceTally,
) -> Result<()> {
    for inc in incidents {
        let rows: Vec<&MemberRow> = inc.claims.iter().filter_map(|c| members.get(c)).collect();
        let ms: Vec<Member> = rows.iter().map(|r| r.member.clone()).collect();
        let rec = reconcile::reconcile(&ms);
        let label = Label::of(inc, &rows, &rec);
        let mut docs: Vec<i64> = rows.iter().map(|r| r.doc).collect();
        docs.sort();
        docs.dedup();
        // The headline: the main kind's figure with most voices, then the widest.
        let main = rec.figures.iter().filter(|f| Some(f.kind) == label.kind).max_by_key(|f| (f.voices, f.high));
        insert.execute(params![
            inc.id,
            label.text,
            inc.total,
            label.place,
            serde_json::to_string(&label.variants).expect("strings serialise"),
            inc.place.as_ref().map(|p| p.country.as_str()),
            inc.place.as_ref().and_then(|p| p.admin1.as_deref()),
            label.lat,
            label.lon,
            inc.start.map(|d| Date::from_days(d).iso()),
            inc.end.map(|d| Date::from_days(d).iso()),
            label.kind.map(Kind::as_str),
            inc.claims.len(),
            docs.len(),
            rec.origins,
            rec.contradictions.len(),
            rec.disagreement,
            main.and_then(|f| f.low),
            main.and_then(|f| f.best),
            main.and_then(|f| f.high),
            serde_json::to_string(&rec).expect("reconciliations serialise"),
            serde_json::to_string(&inc.why).expect("strings serialise"),
        ])?;
        for c in &inc.claims {
            set.execute(params![inc.id, c])?;
        }
        sources.add(&inc.id, &rec);
        if inc.total {
            stats.totals += 1;
        } else {
            stats.incidents += 1;
        }
        stats.corroborated += (rec.origins > 1) as usize;
        stats.contradicted += !rec.contradictions.is_empty() as usize;
    }
    Ok(())
}

/// An incident's short label: place as most often written, date, main kind.
struct Label {
    text: String,
    place: Option<String>,
    variants: Vec<String>,
    kind: Option<Kind>,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl Label {
    fn of(inc: &link::Incident, rows: &[&MemberRow], rec: &reconcile::Reconciliation) -> Label {
        // The names written for the incident's own place come first; the others follow.
        let own = |r: &&&MemberRow| {
            r.place_key.is_some() && r.place_key.as_deref() == inc.place.as_ref().map(|p| p.key.as_str())
        };
        let mut variants: Vec<(String, usize, bool)> = Vec::new();
        let mut coords = None;
        for r in rows {
            let Some(t) = &r.place_text else { continue };
            let is_own = own(&r);
            match variants.iter_mut().find(|(v, _, _)| v == t) {
                Some((_, n, o)) => (*n, *o) = (*n + 1, *o || is_own),
                None => variants.push((t.clone(), 1, is_own)),
            }
            if coords.is_none() && is_own {
                coords = r.lat.zip(r.lon);
            }
        }
        variants.sort_by(|a, b| (b.2, b.1).cmp(&(a.2, a.1)));
        let place = variants.first().filter(|v| v.2).map(|(v, _, _)| v.clone());
        let kind =
            rec.figures.iter().max_by_key(|f| (f.voices, f.sources.len(), std::cmp::Reverse(f.kind))).map(|f| f.kind);
        let date = match (inc.start, inc.end) {
            (Some(s), Some(e)) if s == e => Date::from_days(s).iso(),
            (Some(s), Some(e)) => format!("{}..{}", Date::from_days(s).iso(), Date::from_days(e).iso()),
            _ => "date unknown".into(),
        };
        let kind_name = kind.map_or("claims", Kind::as_str);
        let text = if inc.total {
            format!("running total, {}, {kind_name}", inc.id.split('-').nth(1).unwrap_or("?").to_uppercase())
        } else {
            format!("{}, {date}, {kind_name}", place.as_deref().unwrap_or("place unknown"))
        };
        Label {
            text,
            place,
            variants: variants.into_iter().map(|(v, _, _)| v).collect(),
            kind,
            lat: coords.map(|c| c.0),
            lon: coords.map(|c| c.1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::place_key;
    use crate::{ClaimFilter, Ledger};
    use tally_core::{Claim, Document, PlacePrecision, PlaceRef};

    fn seven(doc: &str, count: &str) -> Claim {
        serde_json::from_value(serde_json::json!({
            "doc": doc, "span": [16, 17], "sentence": "Shelling killed 7 people.", "sentence_span": [0, 25],
            "kind": "killed", "count": {"text": count, "value": 7, "low": 7, "high": 7, "qualifier": "exact"},
            "victims": {"text": "people", "class": "unknown", "groups": []}, "cumulative": false,
            "ambiguous": false, "part_of": null, "place": null, "time": null, "perpetrator": null,
            "source": null, "stance": "asserted", "why": []
        }))
        .unwrap()
    }

    #[test]
    fn a_ledger_migrated_from_older_sketches_is_sketched_anew_and_finds_copies() {
        const STORY: &str = "Government warplanes struck a market in the town on Tuesday, killing at least 27 \
            people and wounding dozens more, a monitoring group said. Rescue workers pulled bodies from the \
            rubble of two buildings as the toll was expected to rise, according to local medics and residents.";
        let path = std::env::temp_dir().join(format!("tally-migrate-{}.db", std::process::id()));
        let remove = || {
            for s in ["", "-wal", "-shm"] {
                // (A file that is not there is what we want.)
                let _ = std::fs::remove_file(format!("{}{s}", path.display()));
            }
        };
        remove();
        {
            // A ledger written by a tally of schema 4: sketches in `documents`, computed another way.
            let conn = rusqlite::Connection::open(&path).unwrap();
            crate::schema::MIGRATIONS[..4].iter().for_each(|sql| conn.execute_batch(sql).unwrap());
            conn.pragma_update(None, "user_version", 4).unwrap();
            conn.execute(
                "INSERT INTO documents (name, key, analysed, text, sketch, analyser) VALUES ('a', 'k', 1, ?1, x'00', 'v')",
                [STORY],
            )
            .unwrap();
            conn.execute("INSERT INTO doc_bands VALUES (12345, 1)", []).unwrap();
        }
        let mut l = Ledger::open(&path).unwrap();
        assert_eq!(l.schema_version().unwrap(), crate::schema::MIGRATIONS.len());
        let bands: Vec<i64> = l
            .conn()
            .prepare("SELECT band FROM doc_bands WHERE doc = 1")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(bands.len(), 16, "the old bands are gone, the new ones written");
        assert!(!bands.contains(&12345));
        let copy = Document {
            id: "b".into(),
            text: format!("BEIRUT (Reuters) - {STORY} Editing by a desk."),
            ..Document::default()
        };
        assert_eq!(l.ingest(&[(copy, Vec::new())]).unwrap().copies, 1);
        let docs = l.documents(None, 0).unwrap();
        assert_eq!(docs.iter().find(|d| d.id == "b").unwrap().copy_of.as_deref(), Some("a"));
        drop(l);
        remove();
    }

    #[test]
    fn a_new_analyser_re_analyses_unchanged_texts_without_duplicates() {
        let mut l = Ledger::in_memory().unwrap();
        let doc = Document { id: "a".into(), text: "Shelling killed 7 people.".into(), ..Document::default() };
        l.set_analyser("v1");
        l.ingest(&[(doc.clone(), vec![seven("a", "7")])]).unwrap();
        let again = l.ingest(&[(doc.clone(), vec![seven("a", "7")])]).unwrap();
        assert_eq!((again.unchanged, again.reanalysed, again.claims), (1, 0, 0));
        // An upgraded tally reads the same text again: its claims replace the old ones.
        l.set_analyser("v2");
        let upgraded = l.ingest(&[(doc, vec![seven("a", "seven")])]).unwrap();
        assert_eq!((upgraded.unchanged, upgraded.reanalysed, upgraded.claims), (0, 1, 1));
        let stored = l.claims(&ClaimFilter::default()).unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].claim.count.as_ref().unwrap().text, "seven");
    }

    /// Two reports of seven killed in Idlib, without a time of their own, whose metadata
    /// dates lie twelve days apart: the date their texts give themselves decides.
    fn incidents_of_undated_reports(dated: Option<&str>) -> usize {
        let mut l = Ledger::in_memory().unwrap();
        let batch: Vec<(Document, Vec<Claim>)> = [("a", "2017-04-03"), ("b", "2017-04-15")]
            .iter()
            .map(|(id, published)| {
                let doc = Document {
                    id: id.to_string(),
                    text: format!("Report {id}: shelling killed 7 people."),
                    published: Some(published.to_string()),
                    dated: dated.map(String::from),
                    ..Document::default()
                };
                let mut claim = seven(id, "7");
                claim.place = Some(place(Some(170063), Some(35.9)));
                (doc, vec![claim])
            })
            .collect();
        l.ingest(&batch).unwrap();
        l.link().unwrap();
        let docs = l.documents(None, 0).unwrap();
        assert!(docs.iter().all(|d| d.dated.as_deref() == dated), "the date is kept with the document");
        let claims = l.claims(&ClaimFilter::default()).unwrap();
        let mut ids: Vec<_> = claims.iter().filter_map(|c| c.incident.clone()).collect();
        ids.dedup();
        ids.len()
    }

    #[test]
    fn undated_reports_are_read_against_the_date_their_text_gives() {
        assert_eq!(incidents_of_undated_reports(None), 2, "metadata twelve days apart: two incidents");
        assert_eq!(incidents_of_undated_reports(Some("2017-04-15")), 1);
    }

    #[test]
    fn the_town_a_lead_names_is_kept_with_its_document() {
        let mut l = Ledger::in_memory().unwrap();
        let town = PlaceRef { precision: PlacePrecision::Town, ..place(Some(170063), Some(35.9)) };
        let doc =
            Document { id: "a".into(), text: "Idlib.".into(), located: Some(town.clone()), ..Document::default() };
        l.ingest(&[(doc, Vec::new())]).unwrap();
        assert_eq!(l.documents(None, 0).unwrap()[0].located, Some(town));
    }

    fn place(geonames_id: Option<u64>, lat: Option<f64>) -> PlaceRef {
        PlaceRef {
            text: "Idlib".into(),
            span: [0, 5],
            name: "Idlib".into(),
            geonames_id,
            country: "SY".into(),
            admin1: Some("Idlib".into()),
            lat,
            lon: lat,
            precision: PlacePrecision::Region,
        }
    }

    #[test]
    fn a_region_the_gazetteer_knows_is_not_an_unknown_name() {
        assert_eq!(place_key(&place(Some(170063), Some(35.9))), "170063");
        // Linking reads "country:name" as a name no table lists; a known region without a
        // GeoNames id must not look like one.
        assert_eq!(place_key(&place(None, Some(35.9))), "SY/idlib");
        assert_eq!(place_key(&place(None, None)), "SY:idlib");
    }
}
