//! The two time formats the emulator meets: ISO-8601 in responses and the SigV4 basic format
//! (`20261125T120000Z`) in requests (the calendar arithmetic is `libivs_model::calendar`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use libivs_model::calendar::{self, days_from_civil};

/// The UTC date and time of day of a time, to the second: `(year, month, day, hour, minute,
/// second)`.
pub fn utc_fields(time: SystemTime) -> (i64, u32, u32, u32, u32, u32) {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs() as i64;
    calendar::utc_fields(seconds)
}

/// Formats a time as IVS does in JSON bodies, e.g. `2026-11-25T12:00:00Z` (whole seconds).
pub fn iso8601(time: SystemTime) -> String {
    let (year, month, day, hour, minute, second) = utc_fields(time);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// Parses the SigV4 request time (`x-amz-date` / `X-Amz-Date`), e.g. `20261125T120000Z`.
pub fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (year, month, day) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let (hour, minute, second) = (digits(9..11)?, digits(11..13)?, digits(13..15)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    let seconds = u64::try_from(seconds).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(seconds))
}

/// The absolute distance between two times.
pub fn distance(a: SystemTime, b: SystemTime) -> Duration {
    match a.duration_since(b) {
        Ok(ahead) => ahead,
        Err(behind) => behind.duration(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_the_same_instant() {
        let time = parse_amz_date("20261125T120000Z").unwrap();
        assert_eq!(iso8601(time), "2026-11-25T12:00:00Z");
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap = parse_amz_date("20240229T235959Z").unwrap();
        assert_eq!(iso8601(leap), "2024-02-29T23:59:59Z");
    }

    #[test]
    fn rejects_malformed_amz_dates() {
        for bad in [
            "",
            "2026-11-25T12:00:00Z",
            "20261325T120000Z",
            "2026112XT120000Z",
        ] {
            assert!(parse_amz_date(bad).is_none(), "{bad}");
        }
    }
}
