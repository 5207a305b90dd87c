//! Web pages: charset sniffing, script stripping, main text, metadata and comments must not
//! panic on any bytes, and comment ranges must lie on character boundaries of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tally_read::{read_stream, Item};

fuzz_target!(|data: &[u8]| {
    read_stream("page.html", std::io::Cursor::new(data.to_vec()), &mut |item| {
        if let Item::Document(d) = item {
            for [s, e] in d.comments {
                assert!(s <= e && e <= d.text.len());
                assert!(d.text.is_char_boundary(s) && d.text.is_char_boundary(e));
            }
        }
    });
    let text = String::from_utf8_lossy(data);
    let _ = tally_read::html::strip_scripts(&text);
});
