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

/// A fault, the field it is in (0-based) and its offset in the record's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxFault {
    pub fault: Fault,
    pub field: usize,
    pub offset: usize,
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
    // Most records hold neither byte: one pass that the compiler vectorises.
    if !raw.iter().any(|&b| b == b'"' || b == 0) {
        return None;
    }
    let (mut state, mut field, mut opened) = (State::Start, 0usize, 0usize);
    for (offset, &byte) in raw.iter().enumerate() {
        let fault = |fault| Some(SyntaxFault { fault, field, offset });
        if byte == 0 {
            return fault(Fault::Nul);
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
            State::Closing | State::Closed => return fault(Fault::TextAfterQuote),
            State::Start | State::Unquoted => State::Unquoted,
        };
    }
    match state {
        State::Quoted => Some(SyntaxFault { fault: Fault::UnclosedQuote, field, offset: opened }),
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
        check(raw.as_bytes(), b',').map(|f| (f.fault, f.field, f.offset))
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

    #[test]
    fn text_after_a_closing_quote_and_nul_bytes_are_faults() {
        assert_eq!(fault("a,\"b\"c,d\n"), Some((Fault::TextAfterQuote, 1, 5)));
        assert_eq!(fault("a,\"b\" \"c\"\n"), Some((Fault::TextAfterQuote, 1, 6)));
        assert_eq!(fault("a,b\0,c\n"), Some((Fault::Nul, 1, 3)));
    }
}
