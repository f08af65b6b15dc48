//! Dates as analysts type them: Gregorian `YYYY-MM-DD`, or in Persian pages the Solar
//! Hijri date people there write (`۱۴۰۵/۰۹/۱۵`, `1405-09-15`), in Persian, Arabic-Indic or
//! ASCII digits. A year before 1700 is a Solar Hijri year (the Gregorian ones this node
//! deals with are far later; the Solar Hijri year 1700 is Gregorian 2321), converted with
//! ICU4X's Persian calendar.

use icu_calendar::Date;
use policy::lifecycle::Day;

/// [`parse_day`] for a form's field labelled by message `label`: the day, or the page that
/// says, in the user's language, what the field takes.
pub fn field(
    v: &crate::view::Viewer,
    label: &str,
    text: &str,
) -> Result<Day, Box<axum::response::Response>> {
    parse_day(text).ok_or_else(|| Box::new(crate::view::field_error(v, "form-date", label, text)))
}

/// The day `text` names, if it names one.
pub fn parse_day(text: &str) -> Option<Day> {
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            c => c,
        })
        .collect();
    let parts: Vec<&str> = ascii.split(['-', '/', '.']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if [y, m, d]
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 4)
    {
        return None;
    }
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let (y, m, d) = if y >= 1700 {
        (y, m, d)
    } else {
        let iso = Date::try_new_persian(y, m, d)
            .ok()?
            .to_calendar(icu_calendar::Iso);
        (
            iso.year().extended_year(),
            iso.month().ordinal,
            iso.day_of_month().0,
        )
    };
    Day::parse(&format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gregorian_and_solar_hijri_dates_in_any_digits() {
        let nowruz = Day::parse("2024-03-20");
        assert_eq!(parse_day("2024-03-20"), nowruz);
        assert_eq!(parse_day(" ۲۰۲۴-۰۳-۲۰ "), nowruz);
        // 1 Farvardin 1403 is Nowruz 2024.
        assert_eq!(parse_day("1403/01/01"), nowruz);
        assert_eq!(parse_day("۱۴۰۳/۰۱/۰۱"), nowruz);
        assert_eq!(parse_day("١٤٠٣-١-١"), nowruz);
        // 15 Azar 1405 is 6 December 2026.
        assert_eq!(parse_day("۱۴۰۵/۰۹/۱۵"), Day::parse("2026-12-06"));
        for bad in [
            "",
            "2024-13-01",
            "1403/13/01",
            "1403/12/31x",
            "tomorrow",
            "2024-03",
            "20240320",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
