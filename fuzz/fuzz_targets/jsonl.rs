//! JSON Lines (plain, gzip or zstd by their magic bytes): any bytes give documents or
//! located errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_read::{read_stream, Item};

fuzz_target!(|data: &[u8]| {
    read_stream("dump.jsonl", std::io::Cursor::new(data.to_vec()), &mut |item| {
        if let Item::Event(e) = item {
            assert!(e.line().is_some() || e.offset().is_some() || e.message().contains("data"), "{e}");
        }
    });
});
