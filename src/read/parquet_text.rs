//! A Parquet value as the text the CSV export of the same row holds, so that every reader parses Parquet cells
//! exactly as it parses CSV cells: numbers as their shortest decimal (a DOUBLE 0.1 is `0.1`, never the binary
//! 0.1000000000000000055…), DECIMALs from their unscaled integer and scale (exact), dates and timestamps as ISO
//! 8601 text, strings as they are, nulls empty.

use std::io::Write;

use parquet::data_type::Decimal;
use parquet::record::Field;

/// The Unix epoch (1970-01-01) as a Julian day number.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// Appends the text of `field` to `out`. `utc` says whether a timestamp column is adjusted to UTC (written
/// with `Z`). The error says what the value is when it has no text (a DECIMAL wider than 128 bits, a date
/// out of range).
pub fn write_field(field: &Field, utc: bool, out: &mut Vec<u8>) -> Result<(), String> {
    // Writing to a Vec cannot fail.
    let _ = match field {
        Field::Null => Ok(()),
        Field::Bool(value) => write!(out, "{value}"),
        Field::Byte(value) => write!(out, "{value}"),
        Field::Short(value) => write!(out, "{value}"),
        Field::Int(value) => write!(out, "{value}"),
        Field::Long(value) => write!(out, "{value}"),
        Field::UByte(value) => write!(out, "{value}"),
        Field::UShort(value) => write!(out, "{value}"),
        Field::UInt(value) => write!(out, "{value}"),
        Field::ULong(value) => write!(out, "{value}"),
        // Display of a float is the shortest decimal that reads back as the same float, without an exponent:
        // what a CSV writer that keeps full precision writes. (An f32 is formatted as f32: widening it to f64
        // first would show its binary noise.)
        Field::Float16(value) => write!(out, "{value}"),
        Field::Float(value) => write!(out, "{value}"),
        Field::Double(value) => write!(out, "{value}"),
        Field::Decimal(value) => return write_decimal(value, out),
        Field::Str(text) => out.write_all(text.as_bytes()),
        Field::Bytes(bytes) => out.write_all(bytes.data()),
        Field::Date(days) => return write_date(*days, out),
        Field::TimeMillis(millis) => write_time(i64::from(*millis) * 1_000_000, 3, out),
        Field::TimeMicros(micros) => write_time(micros.saturating_mul(1_000), 6, out),
        Field::TimestampMillis(millis) => return write_timestamp(i128::from(*millis) * 1_000_000, 3, utc, out),
        Field::TimestampMicros(micros) => return write_timestamp(i128::from(*micros) * 1_000, 6, utc, out),
        // Nested values do not occur in usage exports; their text is the row API's own.
        Field::Group(_) | Field::ListInternal(_) | Field::MapInternal(_) => write!(out, "{field}"),
    };
    Ok(())
}

/// A DECIMAL's unscaled value is a big-endian two's-complement integer; the point goes `scale` digits from
/// the right.
fn write_decimal(value: &Decimal, out: &mut Vec<u8>) -> Result<(), String> {
    let bytes = value.data();
    if bytes.len() > 16 {
        return Err(format!("a DECIMAL of {} bytes: at most 16 (38 digits) can be read", bytes.len()));
    }
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let mut full = if negative { [0xFF; 16] } else { [0; 16] };
    full[16 - bytes.len()..].copy_from_slice(bytes);
    let unscaled = i128::from_be_bytes(full);
    let digits = unscaled.unsigned_abs().to_string();
    if negative {
        out.push(b'-');
    }
    let scale = value.scale();
    if scale <= 0 {
        out.extend_from_slice(digits.as_bytes());
        out.extend(std::iter::repeat_n(b'0', scale.unsigned_abs() as usize));
        return Ok(());
    }
    let scale = scale as usize;
    if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        let _ = write!(out, "{whole}.{fraction}");
    } else {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
        out.extend_from_slice(digits.as_bytes());
    }
    Ok(())
}

fn write_date(days: i32, out: &mut Vec<u8>) -> Result<(), String> {
    let date = days
        .checked_add(UNIX_EPOCH_JULIAN_DAY)
        .and_then(|julian| time::Date::from_julian_day(julian).ok())
        .ok_or_else(|| format!("a DATE {days} days from 1970-01-01 is out of range"))?;
    let _ = write!(out, "{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day());
    Ok(())
}

/// `HH:MM:SS`, with the fraction (`digits` long) when it is not zero.
fn write_time(nanos: i64, digits: usize, out: &mut Vec<u8>) -> std::io::Result<()> {
    let seconds = nanos.div_euclid(1_000_000_000);
    let fraction = nanos.rem_euclid(1_000_000_000);
    write!(out, "{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)?;
    write_fraction(fraction, digits, out);
    Ok(())
}

fn write_fraction(nanos: i64, digits: usize, out: &mut Vec<u8>) {
    if nanos != 0 {
        let scaled = nanos / 10i64.pow(9 - digits as u32);
        let _ = write!(out, ".{scaled:0digits$}");
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, the fraction when not zero, and `Z` when the column is adjusted to UTC.
fn write_timestamp(nanos: i128, digits: usize, utc: bool, out: &mut Vec<u8>) -> Result<(), String> {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|_| format!("a TIMESTAMP {nanos} ns from 1970-01-01 is out of range"))?;
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    write_fraction(i64::from(at.nanosecond()), digits, out);
    if utc {
        out.push(b'Z');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(field: Field) -> String {
        let mut out = Vec::new();
        write_field(&field, true, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_their_shortest_decimal() {
        assert_eq!(text(Field::Double(0.1)), "0.1");
        assert_eq!(text(Field::Double(2.4)), "2.4");
        assert_eq!(text(Field::Double(24.0)), "24");
        assert_eq!(text(Field::Double(0.000_012_5)), "0.0000125");
        assert_eq!(text(Field::Float(0.1)), "0.1");
        assert_eq!(text(Field::Long(-7)), "-7");
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(text(Field::Decimal(Decimal::from_i64(12345, 10, 4))), "1.2345");
        assert_eq!(text(Field::Decimal(Decimal::from_i64(-5, 10, 3))), "-0.005");
        assert_eq!(text(Field::Decimal(Decimal::from_i32(42, 5, 0))), "42");
        let wide = Decimal::from_bytes((-1i128).to_be_bytes().to_vec().into(), 38, 2);
        assert_eq!(text(Field::Decimal(wide)), "-0.01");
    }

    #[test]
    fn dates_and_timestamps_are_iso_text() {
        assert_eq!(text(Field::Date(19_601)), "2023-09-01");
        assert_eq!(text(Field::TimestampMillis(1_693_526_400_000)), "2023-09-01T00:00:00Z");
        assert_eq!(text(Field::TimestampMicros(1_693_526_400_000_250)), "2023-09-01T00:00:00.000250Z");
        assert_eq!(text(Field::TimeMillis(3_723_004)), "01:02:03.004");
        let mut local = Vec::new();
        write_field(&Field::TimestampMillis(0), false, &mut local).unwrap();
        assert_eq!(local, b"1970-01-01T00:00:00");
    }

    #[test]
    fn nulls_are_empty_and_strings_as_they_are() {
        assert_eq!(text(Field::Null), "");
        assert_eq!(text(Field::Str(" Virtual Machines ".to_string())), " Virtual Machines ");
    }
}
