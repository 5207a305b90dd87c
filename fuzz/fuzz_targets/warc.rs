//! WARC archives (plain, or gzip when the bytes start with its magic): records, HTTP heads,
//! chunked bodies and content encodings must not panic, and reading always ends.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_read::{read_stream, Item};

fuzz_target!(|data: &[u8]| {
    let mut with_header = b"WARC/1.0\r\n".to_vec();
    with_header.extend_from_slice(data);
    for bytes in [data.to_vec(), with_header] {
        read_stream("crawl.warc", std::io::Cursor::new(bytes), &mut |item| {
            if let Item::Event(e) = item {
                assert!(!e.message().is_empty());
            }
        });
    }
});
