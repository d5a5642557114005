//! The quoting of one CSV record, checked on its raw text: a quote opened and never closed, text after a
//! closing quote, a NUL byte.
//!
//! The CSV parser is lenient on purpose (it never fails on text): a quote opened and never closed makes the
//! rest of the file one cell, `"ab"c` reads as `abc`, a NUL byte is kept. Each of these is a damaged file, not
//! data, so every record is checked here before any reader sees it. The check follows the parser's own states
//! (RFC 4180 quoting, a doubled quote inside a quoted field, `\n` ending a record) so that it blames exactly
//! the records the parser misread; a quote inside an unquoted field (`5" disk`) is text, as the parser reads it.

/// What is wrong with a record's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A quoted field runs to the end of the file.
    UnclosedQuote,
    /// Something other than a delimiter or the line end follows a quoted field's closing quote.
    TextAfterQuote,
    /// A NUL byte.
    Nul,
}

/// A fault, the field it is in (0-based), its offset in the record's text and, for a quoted field, the offset
/// of its opening quote (else the fault's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxFault {
    pub fault: Fault,
    pub field: usize,
    pub offset: usize,
    pub opened: usize,
}

#[derive(Clone, Copy)]
enum State {
    /// At the start of a field.
    Start,
    Unquoted,
    Quoted,
    /// Right after a quote inside a quoted field: its end, or the first of a doubled quote.
    Closing,
    /// Blanks after a closing quote.
    Closed,
}

/// The first fault in `raw`, one record's text as the parser read it (its line end included).
pub fn check(raw: &[u8], delimiter: u8) -> Option<SyntaxFault> {
    if well_formed(raw, delimiter) { None } else { locate(raw, delimiter) }
}

/// Whether `raw` has no fault, found by jumping from quote to quote: usage exports quote a JSON cell or two in
/// every row, so a byte-by-byte walk of every record would cost as much as parsing it. [`locate`] agrees with it
/// and says where the fault is.
fn well_formed(raw: &[u8], delimiter: u8) -> bool {
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'"', 0, &raw[at..]) {
        let quote = at + found;
        if raw[quote] == 0 {
            return false;
        }
        at = quote + 1;
        // A quote that does not start a field is text, as the parser reads it.
        if quote > 0 && raw[quote - 1] != delimiter && raw[quote - 1] != b'\n' {
            continue;
        }
        // The quoted field: up to a quote that is not doubled.
        loop {
            let Some(found) = memchr::memchr2(b'"', 0, &raw[at..]) else {
                return false; // never closed
            };
            let next = at + found;
            if raw[next] == 0 {
                return false;
            }
            if raw.get(next + 1) == Some(&b'"') {
                at = next + 2;
                continue;
            }
            at = next + 1;
            break;
        }
        // After the closing quote: blanks, then the field's end.
        let blanks = raw[at..].iter().take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r')).count();
        match raw.get(at + blanks) {
            None => {}
            Some(&b) if b == delimiter || b == b'\n' => {}
            Some(_) => return false,
        }
        at += blanks;
    }
    true
}

/// The first fault of a record, walking it byte by byte as the parser does.
fn locate(raw: &[u8], delimiter: u8) -> Option<SyntaxFault> {
    let (mut state, mut field, mut opened) = (State::Start, 0usize, 0usize);
    for (offset, &byte) in raw.iter().enumerate() {
        let fault = |fault, opened| Some(SyntaxFault { fault, field, offset, opened });
        if byte == 0 {
            return fault(Fault::Nul, offset);
        }
        let ends_field = byte == delimiter || byte == b'\n';
        state = match state {
            State::Quoted if byte == b'"' => State::Closing,
            State::Quoted => State::Quoted,
            State::Closing if byte == b'"' => State::Quoted,
            State::Start if byte == b'"' => {
                opened = offset;
                State::Quoted
            }
            _ if ends_field => {
                field += 1;
                State::Start
            }
            State::Closing | State::Closed if matches!(byte, b' ' | b'\t' | b'\r') => State::Closed,
            State::Closing | State::Closed => return fault(Fault::TextAfterQuote, opened),
            State::Start | State::Unquoted => State::Unquoted,
        };
    }
    match state {
        State::Quoted => Some(SyntaxFault { fault: Fault::UnclosedQuote, field, offset: opened, opened }),
        _ => None,
    }
}

/// How many line ends `text` holds.
pub fn line_ends(text: &[u8]) -> u64 {
    text.iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(raw: &str) -> Option<(Fault, usize, usize)> {
        check(raw.as_bytes(), b',').map(|f| (f.fault, f.field, f.opened))
    }

    #[test]
    fn well_quoted_records_pass() {
        assert_eq!(fault("a,b,c\n"), None);
        assert_eq!(fault("\"a,1\",\"say \"\"hi\"\"\",c\r\n"), None);
        assert_eq!(fault("\"two\nlines\",b\n"), None);
        assert_eq!(fault("\"a\" ,b\n"), None);
        assert_eq!(fault("\"\",\"\"\n"), None);
        // A quote inside an unquoted field is text, as the parser reads it.
        assert_eq!(fault("5\" disk,b\n"), None);
        assert_eq!(fault("a,\"end\""), None);
    }

    #[test]
    fn a_quote_never_closed_is_blamed_where_it_opens() {
        assert_eq!(fault("a,\"b,c\nd,e,f\n"), Some((Fault::UnclosedQuote, 1, 2)));
        assert_eq!(fault("\"a"), Some((Fault::UnclosedQuote, 0, 0)));
    }

    /// The quick check and the byte-by-byte walk agree on every short text over the bytes that matter.
    #[test]
    fn the_quick_check_agrees_with_the_walk() {
        let alphabet = [b'"', b',', b'\n', b'a', b' ', b'\r', 0u8];
        let mut seed = 0x2545_f491_u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..200_000 {
            let len = next() % 14;
            let text: Vec<u8> = (0..len).map(|_| alphabet[next() % alphabet.len()]).collect();
            assert_eq!(well_formed(&text, b','), locate(&text, b',').is_none(), "{:?}", String::from_utf8_lossy(&text));
        }
    }

    #[test]
    fn text_after_a_closing_quote_and_nul_bytes_are_faults() {
        assert_eq!(fault("a,\"b\"c,d\n"), Some((Fault::TextAfterQuote, 1, 2)));
        assert_eq!(fault("a,\"b\" \"c\"\n"), Some((Fault::TextAfterQuote, 1, 2)));
        assert_eq!(check(b"a,\"b\" x", b',').map(|f| f.offset), Some(6));
        assert_eq!(fault("a,b\0,c\n"), Some((Fault::Nul, 1, 3)));
    }
}
