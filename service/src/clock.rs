//! The city's clock: times are stored in UTC (RFC 3339) and shown in the city's own time,
//! UTC+8.

use chrono::{DateTime, FixedOffset, Utc};

const CITY_OFFSET_SECS: i32 = 8 * 3600;

fn in_city(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(CITY_OFFSET_SECS).map_or(t, |city| t.with_timezone(&city))
}

/// A stored time as the city reads it: `YYYY-MM-DD HH:MM` (empty if unreadable).
pub fn city_time(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| in_city(t).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The city's date at `t`: `YYYY-MM-DD`.
pub fn city_date(t: DateTime<Utc>) -> String {
    in_city(t.fixed_offset()).format("%Y-%m-%d").to_string()
}

/// Today in the city.
pub fn city_today() -> chrono::NaiveDate {
    in_city(Utc::now().fixed_offset()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_utc_times_read_in_the_citys_time() {
        assert_eq!(city_time("2026-11-26T16:30:00+00:00"), "2026-11-27 00:30");
        assert_eq!(city_time("not a time"), "");
    }
}
