//! A party's calendar as a month on the page: the month around a deadline counted in the
//! party's working days, its weeks starting where the party's week starts (Saturday for a
//! Saturday-to-Wednesday week, Monday for Monday-to-Friday), its rest days and public
//! holidays marked. The month is the page's calendar's: Solar Hijri in Persian, Gregorian
//! otherwise; names and digits are the page's language's (ICU4X).

use crate::i18n::{Lang, Tr, iso_date as iso};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{E, YM};
use icu_locale_core::locale;
use policy::lifecycle::{Day, WorkingCalendar};
use std::sync::OnceLock;

/// The day a party's week starts: the first working day after its longest run of rest days
/// (the weekend), Monday = 0 … Sunday = 6. A week of working days only starts on Monday.
pub fn week_start(calendar: &WorkingCalendar) -> usize {
    let rest = |d: usize| !calendar.working[d % 7];
    let mut best: Option<(usize, usize)> = None; // (run length, day after the run)
    for start in 0..7 {
        // A run is counted from its first day only (the day before it works).
        if !rest(start) || rest(start + 6) {
            continue;
        }
        let len = (0..7).take_while(|i| rest(start + i)).count();
        if best.is_none_or(|(l, _)| len > l) {
            best = Some((len, (start + len) % 7));
        }
    }
    best.map_or(0, |(_, day)| day)
}

/// One day of the month as the page shows it.
pub struct Cell {
    /// The day of the month in the page's digits.
    pub number: String,
    /// `YYYY-MM-DD`, for `<time datetime>`.
    pub iso: String,
    /// A weekly rest day of the party.
    pub rest: bool,
    /// One of the party's public holidays.
    pub holiday: bool,
    /// The deadline itself.
    pub marked: bool,
}

/// The month around a day, in weeks of seven cells (`None` before the first and after the
/// last day of the month).
pub struct Month {
    /// The month and year, in the page's language and calendar.
    pub caption: String,
    /// Short weekday names, in the party's week order.
    pub weekdays: Vec<String>,
    /// The full name of the day the party's week starts on.
    pub starts_on: String,
    pub weeks: Vec<Vec<Option<Cell>>>,
}

/// A language's formatters: month and year, short weekday, long weekday.
type Formatters = (
    Option<DateTimeFormatter<YM>>,
    Option<DateTimeFormatter<E>>,
    Option<DateTimeFormatter<E>>,
);

/// The formatters of `lang`, made once.
fn formatters(lang: Lang) -> &'static Formatters {
    static ALL: OnceLock<[Formatters; 3]> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        [
            locale!("en-u-ca-gregory"),
            locale!("fa-u-ca-persian"),
            locale!("ru-u-ca-gregory"),
        ]
        .map(|l| {
            (
                DateTimeFormatter::try_new(l.clone().into(), YM::medium()).ok(),
                DateTimeFormatter::try_new(l.clone().into(), E::short()).ok(),
                DateTimeFormatter::try_new(l.into(), E::long()).ok(),
            )
        })
    });
    &all[lang.index()]
}

/// The first and last day of the month (of the page's calendar) that holds `day`.
fn bounds(lang: Lang, day: Day) -> (Day, Day) {
    let place = |d: Day| -> (i64, u32) {
        if lang == Lang::Fa {
            let (y, m, _) = d.solar_hijri();
            (i64::from(y), u32::from(m))
        } else {
            let (y, m, _) = d.ymd();
            (y, m)
        }
    };
    let here = place(day);
    let mut first = day;
    while place(first.plus(-1)) == here {
        first = first.plus(-1);
    }
    let mut last = day;
    while place(last.plus(1)) == here {
        last = last.plus(1);
    }
    (first, last)
}

/// The month around `day` for a party with `calendar`, as `tr`'s language writes it.
pub fn month(tr: &Tr, calendar: &WorkingCalendar, day: Day) -> Month {
    let (caption_f, short_f, long_f) = formatters(tr.lang);
    let start = week_start(calendar);
    // 2024-01-01 was a Monday: the week's days from there.
    let monday = Day::from_ymd(2024, 1, 1).unwrap_or(Day(19_723));
    let name = |f: &Option<DateTimeFormatter<E>>, weekday: usize| -> String {
        let d = monday.plus(weekday as i64);
        match (f, iso(d)) {
            (Some(f), Some(date)) => f.format(&date).to_string(),
            _ => d.to_string(),
        }
    };
    let weekdays = (0..7).map(|i| name(short_f, (start + i) % 7)).collect();
    let caption = match (caption_f, iso(day)) {
        (Some(f), Some(date)) => f.format(&date).to_string(),
        _ => day.to_string(),
    };
    let (first, last) = bounds(tr.lang, day);
    let mut weeks = Vec::new();
    let mut week: Vec<Option<Cell>> = (0..(first.weekday() + 7 - start) % 7)
        .map(|_| None)
        .collect();
    let mut d = first;
    while d <= last {
        week.push(Some(Cell {
            number: tr.number((d.0 - first.0 + 1) as u64),
            iso: d.to_string(),
            rest: !calendar.working[d.weekday()],
            holiday: calendar.holidays.contains(&d),
            marked: d == day,
        }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        d = d.plus(1);
    }
    if !week.is_empty() {
        week.resize_with(7, || None);
        weeks.push(week);
    }
    Month {
        caption,
        weekdays,
        starts_on: name(long_f, start),
        weeks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_after_the_weekend() {
        assert_eq!(week_start(&WorkingCalendar::saturday_to_wednesday()), 5);
        assert_eq!(week_start(&WorkingCalendar::monday_to_friday()), 0);
        // Sunday to Thursday (Friday and Saturday off): Sunday.
        let mut sun_thu = WorkingCalendar::monday_to_friday();
        sun_thu.working = [true, true, true, true, false, false, true];
        assert_eq!(week_start(&sun_thu), 6);
        // Every day working: Monday; a single rest day: the day after it.
        let mut all = WorkingCalendar::monday_to_friday();
        all.working = [true; 7];
        assert_eq!(week_start(&all), 0);
        all.working[4] = false;
        assert_eq!(week_start(&all), 5);
    }

    #[test]
    fn a_persian_month_starts_on_saturday_for_iran_and_a_gregorian_one_on_monday_for_russia() {
        // 1403-01-01 (Nowruz) = 2024-03-20, a Wednesday; Farvardin has 31 days.
        let day = Day::from_ymd(2024, 3, 25).unwrap();
        let fa = month(
            &Tr::new(Lang::Fa),
            &WorkingCalendar::saturday_to_wednesday(),
            day,
        );
        assert_eq!(fa.weekdays.len(), 7);
        assert!(fa.starts_on.contains("شنبه"), "{}", fa.starts_on);
        // Saturday, Sunday, Monday, Tuesday are empty before Wednesday the 1st.
        let first_week = &fa.weeks[0];
        assert!(first_week[..4].iter().all(Option::is_none));
        let first = first_week[4].as_ref().unwrap();
        assert_eq!(
            (first.number.as_str(), first.iso.as_str()),
            ("۱", "2024-03-20")
        );
        let cells: Vec<&Cell> = fa.weeks.iter().flatten().flatten().collect();
        assert_eq!(cells.len(), 31);
        assert!(cells.iter().filter(|c| c.marked).count() == 1);
        // Thursdays and Fridays rest.
        assert!(cells.iter().filter(|c| c.rest).all(|c| {
            let d = Day::parse(&c.iso).unwrap().weekday();
            d == 3 || d == 4
        }));
        assert!(fa.caption.contains("۱۴۰۳"), "{}", fa.caption);

        let ru = month(
            &Tr::new(Lang::Ru),
            &WorkingCalendar::monday_to_friday(),
            day,
        );
        assert!(ru.starts_on.contains("понедельник"), "{}", ru.starts_on);
        // March 2024 began on a Friday: four empty cells, then the 1st.
        assert!(ru.weeks[0][..4].iter().all(Option::is_none));
        assert_eq!(ru.weeks[0][4].as_ref().unwrap().iso, "2024-03-01");
        assert_eq!(ru.weeks.iter().flatten().flatten().count(), 31);
    }
}
