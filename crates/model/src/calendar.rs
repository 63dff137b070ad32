//! UTC calendar arithmetic (proleptic Gregorian), shared by the emulator (ISO-8601 and SigV4 times)
//! and the faces that build date objects from epoch seconds (Python's `datetime`s). Done by hand
//! because it is a few lines and a date crate would be the emulator's heaviest dependency.

/// Days since 1970-01-01 of a date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_index + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The UTC date and time of day of `seconds` since the Unix epoch (negative before it):
/// `(year, month, day, hour, minute, second)`.
pub fn utc_fields(seconds: i64) -> (i64, u32, u32, u32, u32, u32) {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    // Below 86,400: fits.
    let second_of_day = seconds.rem_euclid(86_400) as u32;
    (
        year,
        month,
        day,
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_round_trip_across_the_years_1_to_9999() {
        assert_eq!(utc_fields(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(utc_fields(-1), (1969, 12, 31, 23, 59, 59));
        assert_eq!(utc_fields(-62_135_596_800), (1, 1, 1, 0, 0, 0));
        assert_eq!(utc_fields(253_402_300_799), (9999, 12, 31, 23, 59, 59));
        assert_eq!(utc_fields(1_709_251_199), (2024, 2, 29, 23, 59, 59));
        let mut day = days_from_civil(1, 1, 1);
        while day <= days_from_civil(9999, 12, 31) {
            let (year, month, date, ..) = utc_fields(day * 86_400);
            assert_eq!(days_from_civil(year, month, date), day);
            day += 101;
        }
    }
}
