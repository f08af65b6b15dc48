//! The agreement's lifecycle in calendar days (Art. 9.1, 9.3; the designation deadline of
//! competent authorities), derived from the notifications the parties exchanged.
//!
//! Dates are whole days (`Day`), proleptic Gregorian; the Solar Hijri rendering of a day is
//! `Day::solar_hijri`, computed with ICU4X's Persian calendar (`icu_calendar`), the same
//! arithmetic Iran's official calendar follows.

use std::collections::BTreeSet;
use std::fmt;

/// A calendar day, counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Day> {
        let day = Day(stix::timestamp::days_from_civil(y, m, d));
        (day.ymd() == (y, m, d)).then_some(day)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Day> {
        let mut it = s.splitn(3, '-');
        let (y, m, d) = (
            it.next()?.parse().ok()?,
            it.next()?.parse().ok()?,
            it.next()?.parse().ok()?,
        );
        Day::from_ymd(y, m, d)
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        stix::timestamp::civil_from_days(self.0)
    }

    pub fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Today (UTC).
    pub fn today() -> Day {
        Day(store::now_micros().div_euclid(86_400_000_000))
    }

    /// Day of the week, Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    pub fn weekday(self) -> usize {
        (self.0 + 3).rem_euclid(7) as usize
    }

    /// (year, month, day) in the Solar Hijri (Persian) calendar.
    pub fn solar_hijri(self) -> (i32, u8, u8) {
        let (y, m, d) = self.ymd();
        let iso =
            icu_calendar::Date::try_new_iso(y as i32, m as u8, d as u8).unwrap_or_else(|_| {
                // Days outside ICU's supported range are far outside any agreement's life.
                icu_calendar::Date::try_new_iso(1970, 1, 1).expect("1970-01-01 is a valid ISO date")
            });
        let persian = iso.to_calendar(icu_calendar::cal::Persian::new());
        (
            persian.era_year().year,
            persian.month().ordinal,
            persian.day_of_month().0,
        )
    }
}

/// A day travels as `YYYY-MM-DD`; anything else is refused when read.
impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let text = String::deserialize(d)?;
        Day::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD)")))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// A party's working week and public holidays, for deadlines counted in working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    /// Monday = 0 … Sunday = 6.
    pub working: [bool; 7],
    pub holidays: BTreeSet<Day>,
}

impl WorkingCalendar {
    /// Monday to Friday.
    pub fn monday_to_friday() -> Self {
        WorkingCalendar {
            working: [true, true, true, true, true, false, false],
            holidays: BTreeSet::new(),
        }
    }

    /// Saturday to Wednesday (Iran's public-sector week).
    pub fn saturday_to_wednesday() -> Self {
        WorkingCalendar {
            working: [true, true, true, false, false, true, true],
            holidays: BTreeSet::new(),
        }
    }

    pub fn is_working(&self, day: Day) -> bool {
        self.working[day.weekday()] && !self.holidays.contains(&day)
    }

    /// The `n`th working day after `from` (`from` itself not counted).
    pub fn add_working_days(&self, from: Day, n: u32) -> Option<Day> {
        if !self.working.iter().any(|w| *w) {
            return None;
        }
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.plus(1);
            if self.is_working(day) {
                left -= 1;
            }
        }
        Some(day)
    }
}

/// The timing rules of an agreement (defaults: the reference agreement).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimingRules {
    /// Art. 9.1: in force on the Nth day following receipt of the last notification.
    pub entry_into_force_days: i64,
    /// Competent authorities designated within N working days of entry into force.
    pub designation_working_days: u32,
    /// Art. 9.3: termination takes effect N days after the notice is received.
    pub termination_days: i64,
}

impl Default for TimingRules {
    fn default() -> Self {
        TimingRules {
            entry_into_force_days: 30,
            designation_working_days: 60,
            termination_days: 90,
        }
    }
}

/// A notification that moves the lifecycle, with the day the other party received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    /// Completion of a party's internal procedures (Art. 9.1).
    Ratification { party: String, received: Day },
    /// A party's notice of its intention to terminate (Art. 9.3).
    Termination { party: String, received: Day },
}

/// Where the agreement stands on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Not every party has ratified yet, or the 30 days have not passed.
    NotInForce,
    InForce,
    /// In force, but a termination notice was received; it ends on `effective`.
    TerminationPending {
        effective: Day,
    },
    /// Terminated (Art. 9.4: protection obligations and listed joint activities continue).
    Terminated {
        since: Day,
    },
}

impl State {
    /// A short English name, for refusals and logs.
    pub fn name(&self) -> &'static str {
        match self {
            State::NotInForce => "not in force",
            State::InForce => "in force",
            State::TerminationPending { .. } => "in force, termination pending",
            State::Terminated { .. } => "terminated",
        }
    }
}

/// The dates that follow from the notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    pub entry_into_force: Option<Day>,
    /// Per party, the last day to designate its competent authorities.
    pub designation_deadlines: Vec<(String, Day)>,
    /// The earliest termination that takes effect.
    pub termination_effective: Option<Day>,
}

impl Lifecycle {
    /// The lifecycle when every party (working Monday to Friday) ratified on `received` and
    /// nothing else happened: in force from `entry_into_force_days` later. For tests and
    /// benchmarks that need an agreement in force.
    pub fn ratified_by(parties: &[&str], received: Day) -> Lifecycle {
        let cal = WorkingCalendar::monday_to_friday();
        let calendars: Vec<_> = parties
            .iter()
            .map(|p| (p.to_string(), cal.clone()))
            .collect();
        let notes: Vec<_> = parties
            .iter()
            .map(|p| Notification::Ratification {
                party: p.to_string(),
                received,
            })
            .collect();
        Lifecycle::derive(&TimingRules::default(), &calendars, &notes)
    }

    /// Derives the lifecycle. `parties` lists every party with its working calendar.
    pub fn derive(
        rules: &TimingRules,
        parties: &[(String, WorkingCalendar)],
        notifications: &[Notification],
    ) -> Lifecycle {
        let ratified = |p: &str| {
            notifications
                .iter()
                .filter_map(|n| match n {
                    Notification::Ratification { party, received } if party == p => Some(*received),
                    _ => None,
                })
                .min()
        };
        let all: Option<Vec<Day>> = parties.iter().map(|(p, _)| ratified(p)).collect();
        let entry_into_force = all
            .filter(|v| !v.is_empty())
            .and_then(|v| v.into_iter().max())
            .map(|last| last.plus(rules.entry_into_force_days));
        let designation_deadlines = match entry_into_force {
            Some(eif) => parties
                .iter()
                .filter_map(|(p, cal)| {
                    cal.add_working_days(eif, rules.designation_working_days)
                        .map(|d| (p.clone(), d))
                })
                .collect(),
            None => Vec::new(),
        };
        // A notice given before entry into force cannot end what has not begun: it counts
        // from entry into force at the earliest.
        let termination_effective = entry_into_force.and_then(|eif| {
            notifications
                .iter()
                .filter_map(|n| match n {
                    Notification::Termination { received, .. } => {
                        Some((*received).max(eif).plus(rules.termination_days))
                    }
                    _ => None,
                })
                .min()
        });
        Lifecycle {
            entry_into_force,
            designation_deadlines,
            termination_effective,
        }
    }

    pub fn state_at(&self, day: Day) -> State {
        match (self.entry_into_force, self.termination_effective) {
            (Some(eif), _) if day < eif => State::NotInForce,
            (None, _) => State::NotInForce,
            (Some(_), Some(end)) if day >= end => State::Terminated { since: end },
            (Some(_), Some(end)) => State::TerminationPending { effective: end },
            (Some(_), None) => State::InForce,
        }
    }

    /// May a new transfer leave the node on `day`? Only while the agreement is in force
    /// (Art. 9.4 keeps protecting what is held after termination, but nothing new goes out).
    pub fn transfers_allowed(&self, day: Day) -> bool {
        matches!(
            self.state_at(day),
            State::InForce | State::TerminationPending { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    /// Russia's notice received 10 May 2021, Iran's 1 June 2021.
    fn ratified_by_both() -> Vec<Notification> {
        vec![
            Notification::Ratification {
                party: "RU".into(),
                received: d("2021-05-10"),
            },
            Notification::Ratification {
                party: "IR".into(),
                received: d("2021-06-01"),
            },
        ]
    }

    fn parties() -> Vec<(String, WorkingCalendar)> {
        vec![
            ("IR".into(), WorkingCalendar::saturday_to_wednesday()),
            ("RU".into(), WorkingCalendar::monday_to_friday()),
        ]
    }

    #[test]
    fn the_signature_date_is_7_bahman_1399() {
        assert_eq!(d("2021-01-26").solar_hijri(), (1399, 11, 7));
        assert_eq!(d("2021-03-21").solar_hijri(), (1400, 1, 1));
        assert_eq!(d("2021-03-20").solar_hijri(), (1399, 12, 30));
        assert_eq!(
            d("2021-01-26").weekday(),
            1,
            "26 January 2021 was a Tuesday"
        );
    }

    #[test]
    fn in_force_on_the_30th_day_after_the_last_ratification() {
        let l = Lifecycle::derive(&TimingRules::default(), &parties(), &ratified_by_both());
        // 1 June + 30 days = 1 July 2021.
        assert_eq!(l.entry_into_force, Some(d("2021-07-01")));
        assert_eq!(l.state_at(d("2021-06-30")), State::NotInForce);
        assert_eq!(l.state_at(d("2021-07-01")), State::InForce);
    }

    #[test]
    fn one_ratification_is_not_enough() {
        let l = Lifecycle::derive(
            &TimingRules::default(),
            &parties(),
            &[Notification::Ratification {
                party: "RU".into(),
                received: d("2021-05-10"),
            }],
        );
        assert_eq!(l.entry_into_force, None);
        assert!(!l.transfers_allowed(d("2030-01-01")));
    }

    #[test]
    fn designation_deadlines_follow_each_partys_working_week_and_holidays() {
        let mut ir = WorkingCalendar::saturday_to_wednesday();
        // 9 and 10 Mordad 1400 (31 July, 1 August 2021) as public holidays, for the example.
        ir.holidays.insert(d("2021-07-31"));
        ir.holidays.insert(d("2021-08-01"));
        let l = Lifecycle::derive(
            &TimingRules::default(),
            &[
                ("IR".into(), ir),
                ("RU".into(), WorkingCalendar::monday_to_friday()),
            ],
            &[
                Notification::Ratification {
                    party: "RU".into(),
                    received: d("2021-06-01"),
                },
                Notification::Ratification {
                    party: "IR".into(),
                    received: d("2021-06-01"),
                },
            ],
        );
        // In force Thursday 1 July 2021. Russia, Mon-Fri: July has 21 working days after the
        // 1st (2-30 July: weeks of 5,6-9,12-16,19-23,26-30 → 1+5*4=21), August 22 (2-31),
        // so 43 by 31 August; 17 more in September (1-23: 1,2,3 + 6-10 + 13-17 + 20-23 = 17)
        // → 23 September 2021.
        assert_eq!(l.designation_deadlines[1], ("RU".into(), d("2021-09-23")));
        // Iran, Sat-Wed: 2-31 July has 21 such days (3,4,5,6,7 10-14 17-21 24-28 31), minus the
        // holiday on the 31st = 20; August: 1 (holiday), 2,3,4 7-11 14-18 21-25 28-31 = 22 → 42;
        // September needs 18 more: 1, 4-8, 11-15, 18-22, 25-26 → 26 September 2021.
        assert_eq!(l.designation_deadlines[0], ("IR".into(), d("2021-09-26")));
    }

    #[test]
    fn termination_takes_effect_90_days_after_the_notice() {
        let l = Lifecycle::derive(
            &TimingRules::default(),
            &parties(),
            &[
                ratified_by_both(),
                vec![Notification::Termination {
                    party: "RU".into(),
                    received: d("2024-01-15"),
                }],
            ]
            .concat(),
        );
        // 15 January 2024 + 90 days = 14 April 2024 (2024 is a leap year: 16 + 29 + 31 + 14).
        assert_eq!(l.termination_effective, Some(d("2024-04-14")));
        assert_eq!(
            l.state_at(d("2024-04-13")),
            State::TerminationPending {
                effective: d("2024-04-14")
            }
        );
        assert!(l.transfers_allowed(d("2024-04-13")));
        assert_eq!(
            l.state_at(d("2024-04-14")),
            State::Terminated {
                since: d("2024-04-14")
            }
        );
        assert!(!l.transfers_allowed(d("2024-04-14")));
    }

    #[test]
    fn days_parse_only_real_dates() {
        assert!(Day::parse("2021-02-29").is_none());
        assert!(Day::parse("2020-02-29").is_some());
        assert!(Day::parse("2021-1-x").is_none());
        assert_eq!(d("2021-01-26").to_string(), "2021-01-26");
    }
}
