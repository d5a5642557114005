//! Turns the bytes of an input into UTF-8 text, as a stream.
//!
//! Exports really arrive as: UTF-8 with or without BOM (Excel "CSV UTF-8", Cost Management), UTF-16 LE
//! or BE with BOM (Windows PowerShell `Out-File` and `>` redirection write "Unicode" = UTF-16 LE),
//! and Windows-1252 (Excel "CSV (Comma delimited)" on Western-European Windows). The encoding is
//! sniffed from the BOM, else from the first 64 KiB: NUL bytes in alternate positions mean UTF-16
//! without BOM, valid UTF-8 means UTF-8, anything else Windows-1252.

use std::io::{Cursor, Read};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

const SNIFF_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }

    fn transcoder(self) -> Option<&'static Encoding> {
        match self {
            TextEncoding::Utf16Le => Some(UTF_16LE),
            TextEncoding::Utf16Be => Some(UTF_16BE),
            TextEncoding::Windows1252 => Some(WINDOWS_1252),
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => None,
        }
    }
}

/// Decides the encoding from the first bytes of a file.
pub fn sniff(head: &[u8]) -> TextEncoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return TextEncoding::Utf8Bom;
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return TextEncoding::Utf16Le;
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return TextEncoding::Utf16Be;
    }
    let sample = &head[..head.len().min(512)];
    let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nuls = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let half = sample.len() / 2;
    if half > 0 && odd_nuls * 2 > half && even_nuls == 0 {
        return TextEncoding::Utf16Le;
    }
    if half > 0 && even_nuls * 2 > half && odd_nuls == 0 {
        return TextEncoding::Utf16Be;
    }
    match std::str::from_utf8(head) {
        Ok(_) => TextEncoding::Utf8,
        // An incomplete sequence at the very end is the sniff window cutting a character.
        Err(e) if e.error_len().is_none() => TextEncoding::Utf8,
        Err(_) => TextEncoding::Windows1252,
    }
}

/// Wraps `reader` so that it yields UTF-8 without BOM. Returns the encoding found and the first
/// bytes of the decoded text (for format detection), plus the reader positioned at the start.
pub fn utf8_reader(mut reader: Box<dyn Read + Send>) -> std::io::Result<(TextEncoding, Box<dyn Read + Send>)> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut reader).take(SNIFF_BYTES as u64).read_to_end(&mut head)?;
    let encoding = sniff(&head);
    let whole = Cursor::new(head).chain(reader);
    let decoded: Box<dyn Read + Send> = match encoding.transcoder() {
        None if encoding == TextEncoding::Utf8Bom => {
            let mut whole = whole;
            let mut bom = [0u8; 3];
            whole.read_exact(&mut bom)?;
            Box::new(whole)
        }
        None => Box::new(whole),
        Some(transcoder) => Box::new(DecodeReaderBytesBuilder::new().encoding(Some(transcoder)).build(whole)),
    };
    Ok((encoding, decoded))
}

/// A field's text: UTF-8 when it is valid UTF-8, else decoded as Windows-1252 (a file that sniffed
/// as UTF-8 can still hold a Windows-1252 byte further down).
pub fn field_text(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), false),
        Err(_) => (WINDOWS_1252.decode_without_bom_handling(bytes).0, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_boms_and_bomless_text() {
        assert_eq!(sniff(b"\xEF\xBB\xBFa,b"), TextEncoding::Utf8Bom);
        assert_eq!(sniff(b"\xFF\xFEa\0"), TextEncoding::Utf16Le);
        assert_eq!(sniff(b"\xFE\xFF\0a"), TextEncoding::Utf16Be);
        assert_eq!(sniff(b"a\0,\0b\0"), TextEncoding::Utf16Le);
        assert_eq!(sniff("caf\u{e9}".as_bytes()), TextEncoding::Utf8);
        assert_eq!(sniff(b"caf\xE9,x"), TextEncoding::Windows1252);
    }

    #[test]
    fn decodes_utf16_to_utf8() {
        let bytes: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Name,Café".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let (encoding, mut reader) = utf8_reader(Box::new(Cursor::new(bytes))).unwrap();
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(encoding, TextEncoding::Utf16Le);
        assert_eq!(text, "Name,Café");
    }
}
