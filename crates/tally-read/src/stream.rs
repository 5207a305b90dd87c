//! Byte streams: an input opened, counted (for progress and for the decompression limit)
//! and decompressed when its first bytes say gzip or zstd, whatever its name says.
//!
//! Decompression bombs: a compressed input may inflate to at most [`RATIO`] times the
//! compressed bytes read so far plus [`SLACK`]. Deflate cannot exceed ~1032:1 and news text
//! compresses 3-10:1, so real archives never reach the limit while a bomb is stopped after
//! reading at most `SLACK` + `RATIO` × its size, with an error naming the input.
//!
//! Members: gzip members and zstd frames are decoded one after the other, and where each
//! starts (its byte in the stored input, and in the decompressed stream) is noted in
//! [`Members`], so that a WARC record can be named by the stored byte of the gzip member it
//! starts, the offset Common Crawl's CDX index gives.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Output allowed per compressed byte read.
pub const RATIO: u64 = 200;
/// Output allowed on top of `RATIO` × input: small inputs may inflate this far whatever
/// their ratio.
pub const SLACK: u64 = 64 << 20;

const BUF: usize = 256 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// An opened input: its (decompressed) bytes and how far into the stored bytes reading is.
pub struct Stream {
    pub reader: Box<dyn BufRead>,
    pub compression: Compression,
    /// Where the gzip members or zstd frames start (`None` for plain input).
    pub members: Option<Members>,
    stored: Rc<Cell<u64>>,
}

/// Where the members (gzip) or frames (zstd) of a compressed input start, as the decoder
/// meets them: shared between the decoder, which notes each start, and the reader, which
/// asks which member a decompressed byte is in.
#[derive(Clone)]
pub struct Members {
    /// `gzip member` or `zstd frame`.
    pub kind: &'static str,
    /// (decompressed byte, stored byte) of each member start not yet forgotten, in order.
    starts: Rc<RefCell<VecDeque<(u64, u64)>>>,
}

/// Member starts remembered at most: the decoder runs at most a buffer ahead of the reader,
/// so only a file of many tiny members fills this, and then the oldest are forgotten.
const MAX_STARTS: usize = 1 << 16;

impl Members {
    fn new(kind: &'static str) -> Members {
        Members { kind, starts: Rc::default() }
    }

    /// A member starts at decompressed byte `out`, stored byte `stored`.
    fn push(&self, out: u64, stored: u64) {
        let mut starts = self.starts.borrow_mut();
        // A member with no data before it: only the later one can hold a byte.
        if starts.back().is_some_and(|&(o, _)| o == out) {
            starts.pop_back();
        }
        if starts.len() >= MAX_STARTS {
            starts.pop_front();
        }
        starts.push_back((out, stored));
    }

    /// The member that decompressed byte `out` is in: the stored byte it starts at, and how
    /// far into its decompressed data `out` is. Members before it are forgotten, so ask in
    /// increasing order of `out`. `None` if it was forgotten already (or not met yet).
    pub fn locate(&self, out: u64) -> Option<(u64, u64)> {
        let mut starts = self.starts.borrow_mut();
        while starts.len() > 1 && starts[1].0 <= out {
            starts.pop_front();
        }
        let &(start, stored) = starts.front().filter(|&&(start, _)| start <= out)?;
        Some((stored, out - start))
    }
}

/// A buffered stored input that tells the stored byte its reading is at.
trait Tell: BufRead {
    fn tell(&self) -> u64;
}

impl<R: Read> Tell for BufReader<Counted<R>> {
    fn tell(&self) -> u64 {
        self.get_ref().stored.get() - self.buffer().len() as u64
    }
}

impl Stream {
    /// Opens `raw`: sniffs its first bytes for compression, and counts every stored byte
    /// read into `progress` as well.
    pub fn open(raw: impl Read + 'static, progress: Option<Arc<AtomicU64>>) -> io::Result<Stream> {
        let stored = Rc::new(Cell::new(0));
        let mut counted = BufReader::with_capacity(BUF, Counted { inner: raw, stored: stored.clone(), progress });
        let head = counted.fill_buf()?;
        let compression = Compression::sniff(head);
        let (reader, members): (Box<dyn BufRead>, _) = match compression {
            Compression::None => (Box::new(counted), None),
            Compression::Gzip => {
                let members = Members::new("gzip member");
                let gz = GzMembers { state: Gz::Between(counted), out: 0, members: members.clone() };
                (Box::new(BufReader::with_capacity(BUF, Limited::new(gz, stored.clone()))), Some(members))
            }
            Compression::Zstd => {
                let members = Members::new("zstd frame");
                let zst = ZstdFrames::new(counted, members.clone());
                (Box::new(BufReader::with_capacity(BUF, Limited::new(zst, stored.clone()))), Some(members))
            }
        };
        Ok(Stream { reader, compression, members, stored })
    }

    /// Stored (compressed) bytes read so far.
    pub fn stored_bytes(&self) -> u64 {
        self.stored.get()
    }

    /// How a read error is told: for compressed input, with the stored byte it happened at.
    pub fn describe(&self, e: &io::Error) -> String {
        if self.compression == Compression::None || e.kind() == io::ErrorKind::Other && is_limit(e) {
            return crate::io_message(e);
        }
        let what = match e.kind() {
            io::ErrorKind::UnexpectedEof => "truncated".to_string(),
            _ => crate::io_message(e),
        };
        format!("{} data broken after {} stored bytes: {what}", self.compression.name(), self.stored_bytes())
    }
}

fn is_limit(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<LimitExceeded>())
}

/// Counts bytes as they come from the file.
struct Counted<R> {
    inner: R,
    stored: Rc<Cell<u64>>,
    progress: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.stored.set(self.stored.get() + n as u64);
        if let Some(p) = &self.progress {
            p.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// The decompression limit was reached.
#[derive(Debug)]
pub struct LimitExceeded {
    out: u64,
    stored: u64,
}

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "decompressed data exceeds the limit ({} MB from {} stored bytes; at most {RATIO}x plus {} MB): \
             stopped reading, a likely decompression bomb",
            self.out / 1_000_000,
            self.stored,
            SLACK >> 20
        )
    }
}

impl std::error::Error for LimitExceeded {}

/// Stops a decompressor whose output runs away from its input.
struct Limited<R> {
    inner: R,
    out: u64,
    stored: Rc<Cell<u64>>,
}

impl<R> Limited<R> {
    fn new(inner: R, stored: Rc<Cell<u64>>) -> Self {
        Limited { inner, out: 0, stored }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let stored = self.stored.get();
        if self.out > SLACK + RATIO.saturating_mul(stored) {
            return Err(io::Error::other(LimitExceeded { out: self.out, stored }));
        }
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        Ok(n)
    }
}

/// A gzip stream of one or more members (crawlers write one per WARC record), each start
/// noted in `members`. Reads as flate2's `MultiGzDecoder` does.
struct GzMembers<R: Tell> {
    state: Gz<R>,
    /// Decompressed bytes given out so far.
    out: u64,
    members: Members,
}

enum Gz<R: Tell> {
    Between(R),
    In(flate2::bufread::GzDecoder<R>),
    Done,
}

impl<R: Tell> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match std::mem::replace(&mut self.state, Gz::Done) {
                Gz::Done => return Ok(0),
                Gz::Between(mut r) => {
                    match r.fill_buf() {
                        Ok([]) => return Ok(0),
                        Ok(_) => {}
                        Err(e) => {
                            self.state = Gz::Between(r);
                            return Err(e);
                        }
                    }
                    self.members.push(self.out, r.tell());
                    self.state = Gz::In(flate2::bufread::GzDecoder::new(r));
                }
                Gz::In(mut dec) => {
                    let n = match dec.read(buf) {
                        Ok(n) => n,
                        Err(e) => {
                            self.state = Gz::In(dec);
                            return Err(e);
                        }
                    };
                    if n > 0 || buf.is_empty() {
                        self.out += n as u64;
                        self.state = Gz::In(dec);
                        return Ok(n);
                    }
                    // The member ended (its trailer read and checked): the next may follow.
                    self.state = Gz::Between(dec.into_inner());
                }
            }
        }
    }
}

/// A zstd stream of one or more frames (`zstd` writes one; concatenated files have more),
/// each start noted in `members`.
struct ZstdFrames<R: Tell> {
    state: Zstd<R>,
    out: u64,
    members: Members,
}

enum Zstd<R: Tell> {
    Between(R),
    In(ruzstd::decoding::StreamingDecoder<R, ruzstd::decoding::FrameDecoder>),
    Done,
}

impl<R: Tell> ZstdFrames<R> {
    fn new(inner: R, members: Members) -> Self {
        ZstdFrames { state: Zstd::Between(inner), out: 0, members }
    }
}

impl<R: Tell> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match std::mem::replace(&mut self.state, Zstd::Done) {
                Zstd::Done => return Ok(0),
                Zstd::Between(mut r) => {
                    if r.fill_buf()?.is_empty() {
                        return Ok(0);
                    }
                    self.members.push(self.out, r.tell());
                    let dec = ruzstd::decoding::StreamingDecoder::new(r).map_err(|e| match e {
                        ruzstd::decoding::errors::FrameDecoderError::ReadFrameHeaderError(_) => {
                            io::Error::new(io::ErrorKind::UnexpectedEof, format!("zstd frame header: {e}"))
                        }
                        _ => io::Error::other(format!("zstd: {e}")),
                    })?;
                    self.state = Zstd::In(dec);
                }
                Zstd::In(mut dec) => {
                    let n = dec.read(buf).map_err(|e| {
                        // ruzstd reports a stream cut short as a failed block read.
                        io::Error::new(io::ErrorKind::UnexpectedEof, format!("zstd: {e}"))
                    })?;
                    if n > 0 || buf.is_empty() {
                        self.out += n as u64;
                        self.state = Zstd::In(dec);
                        return Ok(n);
                    }
                    self.state = Zstd::Between(dec.into_inner());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(bytes: Vec<u8>) -> (Stream, io::Result<Vec<u8>>) {
        let mut s = Stream::open(io::Cursor::new(bytes), None).unwrap();
        let mut out = Vec::new();
        let r = s.reader.read_to_end(&mut out).map(|_| out);
        (s, r)
    }

    #[test]
    fn gzip_members_are_concatenated() {
        let mut two = gz(b"first\n");
        two.extend(gz(b"second\n"));
        let (s, out) = read_all(two);
        assert_eq!(s.compression, Compression::Gzip);
        assert_eq!(out.unwrap(), b"first\nsecond\n");
    }

    #[test]
    fn member_starts_are_noted() {
        let parts: [&[u8]; 4] = [b"first\n", b"", b"second record\n", b"third\n"];
        let members: Vec<Vec<u8>> = parts.iter().map(|p| gz(p)).collect();
        let (s, out) = read_all(members.concat());
        assert_eq!(out.unwrap(), b"first\nsecond record\nthird\n");
        let m = s.members.expect("gzip has members");
        assert_eq!(m.kind, "gzip member");
        let at = |i: usize| members[..i].iter().map(Vec::len).sum::<usize>() as u64;
        // The empty member holds no byte: "second" is in the member after it.
        assert_eq!(m.locate(0), Some((0, 0)));
        assert_eq!(m.locate(3), Some((0, 3)));
        assert_eq!(m.locate(6), Some((at(2), 0)));
        assert_eq!(m.locate(10), Some((at(2), 4)));
        assert_eq!(m.locate(20), Some((at(3), 0)));
        assert_eq!(m.locate(3), None, "earlier members are forgotten");

        let zst = |d: &[u8]| ruzstd::encoding::compress_to_vec(d, ruzstd::encoding::CompressionLevel::Fastest);
        let frames = [zst(b"one\n"), zst(b"two\n")];
        let (s, out) = read_all(frames.concat());
        assert_eq!(out.unwrap(), b"one\ntwo\n");
        let m = s.members.expect("zstd has frames");
        assert_eq!(m.kind, "zstd frame");
        assert_eq!(m.locate(5), Some((frames[0].len() as u64, 1)));
        assert!(read_all(b"plain".to_vec()).0.members.is_none());
    }

    #[test]
    fn truncated_gzip_is_an_error_naming_the_byte() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
        let mut z = gz(&data);
        z.truncate(z.len() / 2);
        let (s, out) = read_all(z);
        let e = out.unwrap_err();
        assert!(s.describe(&e).starts_with("gzip data broken after "), "{}", s.describe(&e));
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        // 1 GB of zeros compresses to ~1 MB: more than RATIO allows.
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            e.write_all(&zeros).unwrap();
        }
        let bomb = e.finish().unwrap();
        let mut s = Stream::open(io::Cursor::new(bomb), None).unwrap();
        let mut sink = [0u8; 1 << 16];
        let mut total = 0u64;
        let err = loop {
            match s.reader.read(&mut sink) {
                Ok(0) => panic!("read to the end: {total} bytes"),
                Ok(n) => total += n as u64,
                Err(e) => break e,
            }
        };
        assert!(total < SLACK + RATIO * 2 * (1 << 20), "stopped early: {total}");
        assert!(s.describe(&err).contains("likely decompression bomb"), "{}", s.describe(&err));
    }

    #[test]
    fn zstd_frames_and_truncation() {
        let zst = |d: &[u8]| ruzstd::encoding::compress_to_vec(d, ruzstd::encoding::CompressionLevel::Fastest);
        let mut two = zst(b"one\n");
        two.extend(zst(b"two\n"));
        let (s, out) = read_all(two);
        assert_eq!(s.compression, Compression::Zstd);
        assert_eq!(out.unwrap(), b"one\ntwo\n");
        let data: Vec<u8> = (0..100_000u32).flat_map(|i| format!("{i} ").into_bytes()).collect();
        let mut z = zst(&data);
        z.truncate(z.len() - 100);
        let (s, out) = read_all(z);
        let e = out.unwrap_err();
        assert!(s.describe(&e).starts_with("zstd data broken after "), "{}", s.describe(&e));
    }

    #[test]
    fn plain_bytes_pass_through() {
        let (s, out) = read_all(b"WARC/1.0\r\n".to_vec());
        assert_eq!(s.compression, Compression::None);
        assert_eq!(out.unwrap(), b"WARC/1.0\r\n");
        assert_eq!(s.stored_bytes(), 10);
    }
}
