//! Gzip-compressed exports (Cost Management's "Gzip" compression of CSV exports), decoded as a stream.
//!
//! The stream is decoded as it is read: nothing is held but the decoder's window, and the size the gzip trailer
//! declares (ISIZE) is never used to allocate anything. Several members one after another (what `cat a.gz b.gz`
//! makes, and what some tools write) are read as one text. A stream that stops early or is corrupt is a read
//! error saying so; the CSV reader reports it with the file's name.
//!
//! A stream that decodes to far more than a real export would (a "gzip bomb": a few MB that decode to many GB)
//! is stopped: once more than [`RATIO_CHECKED_FROM`] bytes are decoded, the text may be at most [`MAX_RATIO`]
//! times the compressed bytes read so far.

use std::io::{self, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::bufread::MultiGzDecoder;

/// The most a gzip input may expand: decoded text at most 100 times the compressed bytes read. CSV cost exports
/// compress about 10 to 30 times; 100 leaves room above that, while a bomb of repeated rows expands about 300
/// times and one of a repeated byte 1,000 (deflate's limit is 1,032).
pub const MAX_RATIO: u64 = 100;
/// The ratio is checked once this much text is decoded (16 MiB): a small file may expand as it likes (a header
/// row alone compresses well), and a bomb is stopped after a moment's work.
pub const RATIO_CHECKED_FROM: u64 = 16 * 1024 * 1024;

/// The decoded text of a gzip stream.
pub fn decode(compressed: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
    let read = Arc::new(AtomicU64::new(0));
    let counted = BufReader::with_capacity(32 * 1024, Counted { inner: compressed, read: read.clone() });
    Box::new(Explained { inner: MultiGzDecoder::new(counted), compressed: read, decoded: 0 })
}

/// The compressed stream, counting the bytes the decoder takes from it.
struct Counted {
    inner: Box<dyn Read + Send>,
    read: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.read.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

/// Says what a decoding error means for the user: flate2's own messages ("corrupt deflate stream",
/// "unexpected end of file") do not say that the file itself is damaged. Stops a stream that expands more
/// than [`MAX_RATIO`].
struct Explained {
    inner: MultiGzDecoder<BufReader<Counted>>,
    /// Bytes read from the file, some still in the decoder's buffer.
    compressed: Arc<AtomicU64>,
    decoded: u64,
}

impl Read for Explained {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf).map_err(|e| {
            let what = match e.kind() {
                io::ErrorKind::UnexpectedEof => "the gzip stream ends early: the file is truncated",
                _ => "the gzip stream is corrupt",
            };
            io::Error::new(e.kind(), format!("{what} ({e}); download or copy the export again"))
        })?;
        self.decoded = self.decoded.saturating_add(read as u64);
        let buffered = self.inner.get_ref().buffer().len() as u64;
        let compressed = self.compressed.load(Ordering::Relaxed).saturating_sub(buffered).max(1);
        if self.decoded > RATIO_CHECKED_FROM && self.decoded / compressed > MAX_RATIO {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the gzip stream expands more than {MAX_RATIO} times ({} MiB of text from {} KiB so far), far \
                     more than a cost export does: it is not one (a \"gzip bomb\"), and reading stopped",
                    self.decoded >> 20,
                    compressed >> 10
                ),
            ));
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    fn compress(text: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn decodes_one_or_several_members() {
        let mut bytes = compress(b"a,b\n");
        bytes.extend(compress(b"1,2\n"));
        let mut text = String::new();
        decode(Box::new(Cursor::new(bytes))).read_to_string(&mut text).unwrap();
        assert_eq!(text, "a,b\n1,2\n");
    }

    #[test]
    fn a_stream_that_expands_without_end_is_stopped() {
        // One MiB of a repeated row is a member of a few KiB; 64 of them (a valid gzip of 64 MiB) are stopped
        // after the first 16 MiB.
        let row = b"00000000-0000-0000-0000-000000000000,2024-01-01,Virtual Machines,1.0\n";
        let member = compress(&row.repeat((1 << 20) / row.len()));
        let bomb = member.repeat(64);
        let mut decoded = 0u64;
        let mut reader = decode(Box::new(Cursor::new(bomb)));
        let mut buffer = vec![0u8; 64 * 1024];
        let error = loop {
            match reader.read(&mut buffer) {
                Ok(0) => panic!("the bomb was read to its end"),
                Ok(read) => decoded += read as u64,
                Err(e) => break e,
            }
        };
        assert!(error.to_string().contains("expands more than 100 times"), "{error}");
        assert!(decoded <= RATIO_CHECKED_FROM + buffer.len() as u64, "{decoded}");
    }

    #[test]
    fn a_truncated_stream_is_an_error_that_says_so() {
        let bytes = compress(&b"SubscriptionId,Cost\n".repeat(200));
        let truncated = bytes[..bytes.len() / 2].to_vec();
        let error = decode(Box::new(Cursor::new(truncated))).read_to_end(&mut Vec::new()).unwrap_err();
        assert!(error.to_string().contains("truncated"), "{error}");
    }
}
