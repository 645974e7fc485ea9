//! Moments: an instant with the UTC offset it was written in, as `--at`, `publish_at`,
//! `expire_at` and an event's `start` and `end` give it.
//!
//! soapbox reads RFC 3339 itself (`2027-03-10T09:00:00+01:00`, or `Z` for UTC; seconds may
//! be left out) and carries no time-zone database: an offset says exactly which instant is
//! meant, and the reader sees the wall-clock time with that offset written beside it. A time
//! without an offset is refused, as it would name a different instant on every machine. The
//! library never reads the clock: the command line reads it once and passes the moment down,
//! so that two builds at the same moment are the same build.
//!
//! [`Schedule`] is a page's or figure's `publish_at` and `expire_at`, and says whether it is
//! live at a moment.

use crate::strings::Language;
use serde::de::{Deserialize, Deserializer};

/// An instant, and the offset from UTC it was written with. Two moments are equal when they
/// are the same instant, whatever their offsets.
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    /// Seconds since 1970-01-01T00:00:00Z.
    seconds: i64,
    /// Minutes east of UTC that the time was written in.
    offset: i32,
}

impl PartialEq for Moment {
    fn eq(&self, other: &Moment) -> bool {
        self.seconds == other.seconds
    }
}

impl Eq for Moment {}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Moment) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Moment {
    fn cmp(&self, other: &Moment) -> std::cmp::Ordering {
        self.seconds.cmp(&other.seconds)
    }
}

impl std::hash::Hash for Moment {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.seconds, self.offset).hash(state);
    }
}

/// Why a text is not a moment, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

/// A wall-clock time: the civil date and time at some offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

const EXAMPLE: &str =
    "write the date, the time and the offset from UTC, such as `2027-03-10T09:00:00+00:00` (or `Z` for UTC); in British summer time the offset is +01:00";

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), after Howard Hinnant's
/// `days_from_civil`.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day counted from 1970-01-01: the inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][usize::from(month.clamp(1, 12) - 1)]
}

/// `n` digits at the start of `text`, as a number.
fn digits(text: &str, n: usize) -> Option<u32> {
    let part = text.get(..n)?;
    part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
}

impl Moment {
    /// 1970-01-01T00:00:00Z.
    pub const EPOCH: Moment = Moment { seconds: 0, offset: 0 };

    /// The moment `seconds` after 1970-01-01T00:00:00Z, written in UTC: what the clock gives.
    pub fn from_unix(seconds: i64) -> Moment {
        Moment { seconds, offset: 0 }
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(self) -> i64 {
        self.seconds
    }

    /// Minutes east of UTC it was written in.
    pub fn offset_minutes(self) -> i32 {
        self.offset
    }

    /// Reads an RFC 3339 date and time with its offset: `2027-03-10T09:00:00+01:00`,
    /// `2027-03-10T08:00:00Z`; the seconds may be left out, and the `T` may be a space.
    pub fn parse(text: &str) -> Result<Moment, Refusal> {
        let written = text.trim();
        let refuse = |message: String| Refusal { message, hint: EXAMPLE.to_string() };
        let not = || refuse(format!("`{written}` is not a date and time"));
        let (year, month, day) = (digits(written, 4).ok_or_else(not)?, digits(written.get(5..).unwrap_or(""), 2), digits(written.get(8..).unwrap_or(""), 2));
        let (Some(month), Some(day)) = (month, day) else { return Err(not()) };
        if written.as_bytes().get(4) != Some(&b'-') || written.as_bytes().get(7) != Some(&b'-') {
            return Err(not());
        }
        let rest = &written[10..];
        if rest.is_empty() {
            return Err(Refusal {
                message: format!("`{written}` is a date without a time"),
                hint: format!("give the time and its offset from UTC too, such as `{written}T09:00:00+00:00`"),
            });
        }
        if !matches!(rest.as_bytes()[0], b'T' | b't' | b' ') {
            return Err(not());
        }
        let time = &rest[1..];
        let (hour, minute) = (digits(time, 2).ok_or_else(not)?, digits(time.get(3..).unwrap_or(""), 2).ok_or_else(not)?);
        if time.as_bytes().get(2) != Some(&b':') {
            return Err(not());
        }
        let mut zone = &time[5..];
        let mut second = 0;
        if let Some(after) = zone.strip_prefix(':') {
            second = digits(after, 2).ok_or_else(not)?;
            zone = &after[2..];
        }
        if zone.starts_with(['.', ',']) {
            return Err(refuse(format!("`{written}` has a fraction of a second; soapbox times go to the second")));
        }
        let offset = match zone {
            "" => {
                return Err(Refusal {
                    message: format!("`{written}` has no offset from UTC, so it could be any of several moments"),
                    hint: format!("add the offset: `{written}+00:00` for UTC (or `Z`), `{written}+01:00` in British summer time"),
                })
            }
            "Z" | "z" => 0,
            _ => {
                let sign = match zone.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return Err(not()),
                };
                let hours = digits(&zone[1..], 2).ok_or_else(not)?;
                let minutes = digits(zone.get(4..).unwrap_or(""), 2).ok_or_else(not)?;
                if zone.len() != 6 || zone.as_bytes()[3] != b':' || hours > 23 || minutes > 59 {
                    return Err(refuse(format!("`{zone}` in `{written}` is not an offset from UTC")));
                }
                sign * (hours as i32 * 60 + minutes as i32)
            }
        };
        let month = u8::try_from(month).unwrap_or(0);
        let year = i64::from(year);
        if !(1..=12).contains(&month) || day == 0 || day > u32::from(days_in_month(year, month)) {
            return Err(refuse(format!("`{written}` is not a date: there is no such day")));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(refuse(format!("`{written}` is not a time of day")));
        }
        let local = days_from_civil(year, month, day as u8) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
        Ok(Moment { seconds: local - i64::from(offset) * 60, offset })
    }

    /// The wall-clock time at the offset it was written in.
    pub fn civil(self) -> Civil {
        let local = self.seconds + i64::from(self.offset) * 60;
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let in_day = local.rem_euclid(86_400);
        Civil { year, month, day, hour: (in_day / 3600) as u8, minute: (in_day / 60 % 60) as u8, second: (in_day % 60) as u8 }
    }

    /// The same instant written in UTC.
    pub fn utc(self) -> Moment {
        Moment { seconds: self.seconds, offset: 0 }
    }

    /// RFC 3339, at its own offset: `2027-03-10T09:00:00+01:00`, `2027-03-10T08:00:00Z`.
    pub fn rfc3339(self) -> String {
        let c = self.civil();
        let zone = if self.offset == 0 {
            "Z".to_string()
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", self.offset.abs() / 60, self.offset.abs() % 60)
        };
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// iCalendar's UTC form (RFC 5545, 3.3.5, form 2): `20270310T080000Z`.
    pub fn ical_utc(self) -> String {
        let c = self.utc().civil();
        format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// The offset as a reader reads it: `UTC`, `UTC+1`, `UTC+5:30`, `UTC−3`.
    pub fn zone_name(self) -> String {
        if self.offset == 0 {
            return "UTC".to_string();
        }
        let sign = if self.offset < 0 { '\u{2212}' } else { '+' };
        let (hours, minutes) = (self.offset.abs() / 60, self.offset.abs() % 60);
        if minutes == 0 {
            format!("UTC{sign}{hours}")
        } else {
            format!("UTC{sign}{hours}:{minutes:02}")
        }
    }

    /// The date in words, in `language`: `10 March 2027`.
    pub fn date_in(self, language: Language) -> String {
        let c = self.civil();
        match u16::try_from(c.year) {
            Ok(year) => language.date(year, Some(c.month), Some(c.day)),
            Err(_) => format!("{}-{:02}-{:02}", c.year, c.month, c.day),
        }
    }

    /// The time of day on the 24-hour clock: `09:00`, `18:30:15` when it has seconds.
    pub fn clock(self) -> String {
        let c = self.civil();
        if c.second == 0 {
            format!("{:02}:{:02}", c.hour, c.minute)
        } else {
            format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second)
        }
    }

    /// The date, time and offset in words, in `language`: `10 March 2027, 09:00 (UTC+1)`.
    pub fn words_in(self, language: Language) -> String {
        format!("{}, {} ({})", self.date_in(language), self.clock(), self.zone_name())
    }
}

impl std::fmt::Display for Moment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl std::str::FromStr for Moment {
    type Err = String;

    fn from_str(text: &str) -> Result<Moment, String> {
        Moment::parse(text).map_err(|r| format!("{}; {}", r.message, r.hint))
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Moment, D::Error> {
        let text = String::deserialize(deserializer)?;
        Moment::parse(&text).map_err(|r| crate::yaml::refusal(r.message, r.hint))
    }
}

/// When a page or figure is on the site: from `publish_at` (if given) until `expire_at` (if
/// given).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Schedule {
    pub publish_at: Option<Moment>,
    pub expire_at: Option<Moment>,
}

/// Where something stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Live,
    /// Not yet published: it goes live then.
    Embargoed(Moment),
    /// Taken down then.
    Expired(Moment),
}

impl Schedule {
    /// Whether it has a time at all.
    pub fn is_set(self) -> bool {
        self.publish_at.is_some() || self.expire_at.is_some()
    }

    /// This schedule, each time it does not give taken from `from`.
    pub fn or(self, from: Schedule) -> Schedule {
        Schedule { publish_at: self.publish_at.or(from.publish_at), expire_at: self.expire_at.or(from.expire_at) }
    }

    /// Where it stands at `at`: live from `publish_at` on, and down from `expire_at` on.
    pub fn status(self, at: Moment) -> Status {
        match (self.publish_at, self.expire_at) {
            (Some(publish), _) if at < publish => Status::Embargoed(publish),
            (_, Some(expire)) if at >= expire => Status::Expired(expire),
            _ => Status::Live,
        }
    }

    pub fn is_live(self, at: Moment) -> bool {
        self.status(at) == Status::Live
    }

    /// Why the times cannot both hold, if they cannot: the expiry is not after the publishing.
    pub fn problem(self) -> Option<Refusal> {
        let (publish, expire) = (self.publish_at?, self.expire_at?);
        (expire <= publish).then(|| Refusal {
            message: format!("`expire_at` ({expire}) is not after `publish_at` ({publish}), so this would never be live"),
            hint: "`expire_at` is when it comes down; give a later time, or remove it".to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Moment {
        Moment::parse(text).unwrap()
    }

    #[test]
    fn offsets_name_the_same_instant() {
        assert_eq!(at("2027-03-10T09:00:00+01:00"), at("2027-03-10T08:00:00Z"));
        assert_eq!(at("2027-03-10T08:00:00z"), at("2027-03-10 08:00+00:00"));
        assert_eq!(at("1970-01-01T00:00:00Z").unix(), 0);
        assert_eq!(at("2000-03-01T00:00:00Z").unix(), 951_868_800);
        assert_eq!(at("2027-03-10T09:00:00-05:30").unix(), at("2027-03-10T14:30:00Z").unix());
        // Across a day, a month and a year.
        assert_eq!(at("2027-01-01T00:30:00+01:00").utc().rfc3339(), "2026-12-31T23:30:00Z");
    }

    #[test]
    fn written_back_as_given() {
        for text in ["2027-03-10T09:00:00+01:00", "2027-03-10T08:00:00Z", "2024-02-29T23:59:59-09:30", "1969-12-31T23:59:59Z"] {
            assert_eq!(at(text).rfc3339(), text);
        }
        assert_eq!(at("2027-03-10T09:00:00+01:00").ical_utc(), "20270310T080000Z");
        assert_eq!(at("2027-03-10T09:00+01:00").words_in(Language::English), "10 March 2027, 09:00 (UTC+1)");
        assert_eq!(at("2027-04-10T09:30+05:30").words_in(Language::Welsh), "10 Ebrill 2027, 09:30 (UTC+5:30)");
        assert_eq!(at("2027-04-10T09:30-03:00").zone_name(), "UTC\u{2212}3");
        assert_eq!(at("2027-04-10T09:30Z").zone_name(), "UTC");
    }

    #[test]
    fn every_day_round_trips() {
        for days in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(d >= 1 && d <= days_in_month(y, m));
        }
    }

    #[test]
    fn what_is_not_a_moment_is_refused_with_a_reason() {
        let refused = |text: &str| Moment::parse(text).unwrap_err().message;
        assert!(refused("2027-03-10T09:00:00").contains("no offset from UTC"));
        assert!(refused("2027-03-10").contains("without a time"));
        assert!(refused("2027-02-29T09:00Z").contains("no such day"));
        assert!(refused("2027-03-10T24:00Z").contains("not a time of day"));
        assert!(refused("2027-03-10T09:00:00.5Z").contains("fraction"));
        assert!(refused("2027-03-10T09:00+25:00").contains("not an offset"));
        for bad in ["", "tomorrow", "10/03/2027 09:00", "2027-3-10T09:00Z", "2027-03-10X09:00Z", "2027-03-10T9:00Z", "2027-03-10T09:00+0100"] {
            assert!(Moment::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_schedule_is_live_between_its_times() {
        let s = Schedule { publish_at: Some(at("2027-03-10T09:00Z")), expire_at: Some(at("2027-04-10T09:00Z")) };
        assert_eq!(s.status(at("2027-03-10T08:59:59Z")), Status::Embargoed(at("2027-03-10T09:00Z")));
        assert_eq!(s.status(at("2027-03-10T10:00+01:00")), Status::Live, "the minute it goes live");
        assert_eq!(s.status(at("2027-04-10T09:00Z")), Status::Expired(at("2027-04-10T09:00Z")));
        assert!(Schedule::default().is_live(at("1970-01-01T00:00Z")));
        assert!(Schedule { expire_at: s.publish_at, ..s }.problem().is_some());
        assert!(s.problem().is_none());
        let own = Schedule { publish_at: None, expire_at: Some(at("2027-05-01T00:00Z")) };
        assert_eq!(own.or(s), Schedule { publish_at: s.publish_at, expire_at: own.expire_at });
    }
}
