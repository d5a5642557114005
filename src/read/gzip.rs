//! Gzip-compressed exports (Cost Management's "Gzip" compression of CSV exports), decoded as a stream.
//!
//! The stream is decoded as it is read: nothing is held but the decoder's window, and the size the gzip trailer
//! declares (ISIZE) is never used to allocate anything. Several members one after another (what `cat a.gz b.gz`
//! makes, and what some tools write) are read as one text. A stream that stops early or is corrupt is a read
//! error saying so; the CSV reader reports it with the file's name.

use std::io::{self, Read};

use flate2::read::MultiGzDecoder;

/// The decoded text of a gzip stream.
pub fn decode(compressed: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
    Box::new(Explained { inner: MultiGzDecoder::new(compressed) })
}

/// Says what a decoding error means for the user: flate2's own messages ("corrupt deflate stream",
/// "unexpected end of file") do not say that the file itself is damaged.
struct Explained<R> {
    inner: R,
}

impl<R: Read> Read for Explained<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let what = match e.kind() {
                io::ErrorKind::UnexpectedEof => "the gzip stream ends early: the file is truncated",
                _ => "the gzip stream is corrupt",
            };
            io::Error::new(e.kind(), format!("{what} ({e}); download or copy the export again"))
        })
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
    fn a_truncated_stream_is_an_error_that_says_so() {
        let bytes = compress(&b"SubscriptionId,Cost\n".repeat(200));
        let truncated = bytes[..bytes.len() / 2].to_vec();
        let error = decode(Box::new(Cursor::new(truncated))).read_to_end(&mut Vec::new()).unwrap_err();
        assert!(error.to_string().contains("truncated"), "{error}");
    }
}
