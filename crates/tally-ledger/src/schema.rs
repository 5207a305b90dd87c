//! The ledger's SQLite schema, as numbered migrations.
//!
//! `PRAGMA user_version` records how many migrations a ledger has had; opening a ledger
//! applies the missing ones in one transaction. Never edit a released migration: add one.

/// Migration n brings a ledger from version n to n + 1.
pub const MIGRATIONS: &[&str] = &[
    // 1: documents, claims, copies, origins, incidents.
    r#"
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,          -- the id as ingested
        key TEXT NOT NULL,                  -- xxh3-128 of the normalised text
        title TEXT, published TEXT, url TEXT, outlet TEXT, lang TEXT,
        analysed INTEGER NOT NULL,          -- 0: stored, not analysed (not English)
        text TEXT NOT NULL,
        sketch BLOB NOT NULL,               -- MinHash of the text's 5-shingles
        copy_of INTEGER,                    -- the first document this one copies
        similarity REAL                     -- estimated Jaccard similarity with it
    );
    CREATE INDEX documents_key ON documents(key);
    CREATE INDEX documents_copy_of ON documents(copy_of);
    CREATE TABLE doc_bands (band INTEGER NOT NULL, doc INTEGER NOT NULL);
    CREATE INDEX doc_bands_band ON doc_bands(band);
    CREATE INDEX doc_bands_doc ON doc_bands(doc);
    CREATE TABLE origins (
        doc INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, text TEXT NOT NULL,
        span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, cue TEXT NOT NULL
    );
    CREATE INDEX origins_doc ON origins(doc);
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        doc INTEGER NOT NULL,
        idx INTEGER NOT NULL,               -- position in the document's claim list
        span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
        kind TEXT, value INTEGER, low INTEGER, high INTEGER, qualifier TEXT, count_text TEXT,
        victims_class TEXT NOT NULL, cumulative INTEGER NOT NULL, part_of INTEGER, answers TEXT,
        stance TEXT NOT NULL,
        place_text TEXT, place_name TEXT, place_key TEXT, country TEXT, admin1 TEXT,
        lat REAL, lon REAL, place_precision TEXT,
        time_start TEXT, time_end TEXT,
        source_text TEXT, source_type TEXT, perpetrator TEXT,
        sentence TEXT NOT NULL,
        incident TEXT,
        json TEXT NOT NULL,                 -- the whole claim record, with its `why`
        UNIQUE (doc, idx)
    );
    CREATE INDEX claims_kind ON claims(kind);
    CREATE INDEX claims_incident ON claims(incident);
    CREATE INDEX claims_time ON claims(time_start);
    CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        total INTEGER NOT NULL,
        place TEXT, place_variants TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL,
        date_start TEXT, date_end TEXT,
        main_kind TEXT,
        claims INTEGER NOT NULL, docs INTEGER NOT NULL, origins INTEGER NOT NULL,
        contradictions INTEGER NOT NULL, disagreement REAL NOT NULL,
        low INTEGER, best INTEGER, high INTEGER,
        reconciliation TEXT NOT NULL,       -- JSON: figures, sources, contradictions
        why TEXT NOT NULL                   -- JSON: why the documents were linked
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('linked', '1');
    "#,
    // 2: full-text search over documents; per-source and per-month summaries written by link.
    // New documents are indexed by link, in one statement (4x cheaper than a trigger per
    // row): `fts_indexed` is the last document id indexed. Documents already indexed keep
    // the index in step through triggers when they are replaced.
    r#"
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content = 'documents', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2',
        detail = none
    );
    INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
    INSERT INTO meta VALUES ('fts_indexed', (SELECT COALESCE(max(id), 0) FROM documents));
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents
    WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_indexed') BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents
    WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_indexed') BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TABLE sources (
        role TEXT NOT NULL,                 -- 'voice' (who claims) or 'outlet' (who publishes)
        key TEXT NOT NULL,                  -- lower-cased name
        name TEXT NOT NULL,
        claims INTEGER NOT NULL, incidents INTEGER NOT NULL,
        compared INTEGER NOT NULL,          -- figures set against a best that other voices share
        above INTEGER NOT NULL, below INTEGER NOT NULL, matching INTEGER NOT NULL,
        disputed INTEGER NOT NULL, denied INTEGER NOT NULL,
        PRIMARY KEY (role, key)
    );
    CREATE TABLE timeline (month TEXT NOT NULL, kind TEXT NOT NULL, claims INTEGER NOT NULL, PRIMARY KEY (month, kind));
    -- The new tables are filled by the next link.
    UPDATE meta SET value = '0' WHERE key = 'linked' AND EXISTS (SELECT 1 FROM documents);
    "#,
    // 3: which analyser (tally_extract::ANALYSER) produced each document's claims; '' for
    // documents stored before this was recorded, which the next ingest re-analyses.
    r#"
    ALTER TABLE documents ADD COLUMN analyser TEXT NOT NULL DEFAULT '';
    "#,
    // 4: the date the text gives itself (`Document::dated`), which linking reads undated
    // reports against before the metadata's. Documents stored before it are re-analysed.
    r#"
    ALTER TABLE documents ADD COLUMN dated TEXT;
    UPDATE documents SET analyser = '';
    "#,
    // 5: sketches are one-permutation MinHash (`fingerprint::Sketch::of`), 60 times cheaper
    // to compute; they move out of `documents` (whose rows carry the text) into their own
    // table, and the band index covers the document id, so finding the candidates of a new
    // document touches no table row. `Ledger::open` computes the new sketches and bands of
    // the documents already stored (`store::sketch_unsketched`) in the same transaction.
    r#"
    CREATE TABLE doc_sketches (doc INTEGER PRIMARY KEY, sketch BLOB NOT NULL);
    ALTER TABLE documents DROP COLUMN sketch;
    DELETE FROM doc_bands;
    CREATE INDEX doc_bands_band_doc ON doc_bands(band, doc);
    DROP INDEX doc_bands_band;
    "#,
    // 6: the town a story's lead names most (`Document::located`, the place record as JSON),
    // where linking reads figures placed only at country level. Documents stored before it
    // are re-analysed.
    r#"
    ALTER TABLE documents ADD COLUMN located TEXT;
    UPDATE documents SET analyser = '';
    "#,
];
