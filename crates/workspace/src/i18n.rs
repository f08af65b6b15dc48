//! The workspace's three languages: every string from a Fluent file per language
//! (`locales/*.ftl`, CLDR plural categories chosen per language), numbers and dates from
//! ICU4X (Persian digits; Solar Hijri dates with the Gregorian beside them for Persian).
//! Fluent's own number formatting is left aside (fluent-rs formats numbers only in Latin
//! digits): counts are formatted here and handed to messages as text, with the number
//! beside them for the plural choice.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_datetime::input::Date;
use icu_decimal::DecimalFormatter;
use icu_locale_core::locale;
use policy::lifecycle::Day;
use std::sync::OnceLock;

/// A language of the agreement's texts (equally authentic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Fa,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fa, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
            Lang::Ru => "ru",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "fa" => Some(Lang::Fa),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The language's own name (what a language menu shows).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fa => "فارسی",
            Lang::Ru => "Русский",
        }
    }

    /// Its place in the per-language tables (bundles, formatters).
    pub(crate) fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Fa => 1,
            Lang::Ru => 2,
        }
    }

    /// Writing direction of the page.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            _ => "ltr",
        }
    }

    /// The first language of an `Accept-Language` header this workspace speaks, by
    /// weight; none: English.
    pub fn negotiate(accept: Option<&str>) -> Lang {
        let Some(accept) = accept else {
            return Lang::En;
        };
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, item) in accept.split(',').enumerate().take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            if let Some(lang) = Lang::from_code(primary)
                && q > 0.0
                && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi))
            {
                best = Some((q, i, lang));
            }
        }
        best.map_or(Lang::En, |(_, _, l)| l)
    }
}

const EN: &str = include_str!("../locales/en.ftl");
const FA: &str = include_str!("../locales/fa.ftl");
const RU: &str = include_str!("../locales/ru.ftl");

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 3]> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| {
        [Lang::En, Lang::Fa, Lang::Ru].map(|l| {
            let (text, id) = match l {
                Lang::En => (
                    EN,
                    "en".parse::<unic_langid::LanguageIdentifier>()
                        .unwrap_or_default(),
                ),
                Lang::Fa => (
                    FA,
                    "fa".parse::<unic_langid::LanguageIdentifier>()
                        .unwrap_or_default(),
                ),
                Lang::Ru => (
                    RU,
                    "ru".parse::<unic_langid::LanguageIdentifier>()
                        .unwrap_or_default(),
                ),
            };
            let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(r, _)| r);
            let mut b = FluentBundle::new_concurrent(vec![id]);
            // Pages put identifiers in <bdi> themselves; Unicode isolates inside HTML
            // attributes and titles would only get in the way.
            b.set_use_isolating(false);
            // A message defined twice is a mistake the tests catch (`every_message_...`).
            let _ = b.add_resource(resource);
            b
        })
    });
    &all[lang.index()]
}

/// The strings, numbers and dates of one page, in one language.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// Message `id`. A message missing in this language falls back to English, and a
    /// message missing everywhere shows its id (the tests make sure none is).
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// Message `id` with named arguments (text).
    pub fn ta(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, FluentValue::from(*v));
        }
        self.format(id, Some(&a))
    }

    /// Message `id` about `count` things: `$count` chooses the plural form, `$shown` is
    /// the count written in this language's digits.
    pub fn tn(&self, id: &str, count: u64) -> String {
        let mut a = FluentArgs::new();
        a.set("count", FluentValue::from(count as f64));
        a.set("shown", FluentValue::from(self.number(count)));
        self.format(id, Some(&a))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        for lang in [self.lang, Lang::En] {
            let b = bundle(lang);
            if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return b.format_pattern(pattern, args, &mut errors).into_owned();
            }
        }
        id.to_owned()
    }

    /// A value of a vocabulary the pages show (incident status, determination, task
    /// outcome, consent state) in words; a value no message covers is shown as written.
    pub fn vocab(&self, value: &str) -> String {
        self.vocab_known(value).unwrap_or_else(|| value.to_owned())
    }

    /// The words for a value of a vocabulary, when the workspace has them.
    pub fn vocab_known(&self, value: &str) -> Option<String> {
        let id = format!("vocab-{value}");
        Tr::has(Lang::En, &id).then(|| self.t(&id))
    }

    /// Message `id` when the workspace has one, else `otherwise` as given (a value from
    /// outside: a peer's vocabulary, the taxonomy's English name).
    fn t_or(&self, id: &str, otherwise: &str) -> String {
        if Tr::has(Lang::En, id) {
            self.t(id)
        } else {
            otherwise.to_owned()
        }
    }

    /// The kind of input a date is typed into: the browser's date picker, except in
    /// Persian, where people write Solar Hijri dates (`date_input::parse_day` reads both).
    pub fn date_input(&self) -> &'static str {
        match self.lang {
            Lang::Fa => "text",
            _ => "date",
        }
    }

    /// What separates the items of a list in a sentence ("، " in Persian).
    pub fn comma(&self) -> &'static str {
        match self.lang {
            Lang::Fa => "، ",
            _ => ", ",
        }
    }

    /// What separates two clauses ("؛ " in Persian).
    pub fn semicolon(&self) -> &'static str {
        match self.lang {
            Lang::Fa => "؛ ",
            _ => "; ",
        }
    }

    /// Why something was refused, as the core cites it (`Art. 6.2`, `rights`, `invalid`,
    /// `conflict`): the article in this language's words and digits ("بند ۲ ماده ۶",
    /// "п. 2 ст. 6"), a cause in words; anything else as cited.
    pub fn cause(&self, cited: &str) -> String {
        if let Some(number) = cited.strip_prefix("Art. ") {
            let digits = |part: &str| match part.parse::<u64>() {
                Ok(n) => self.number(n),
                Err(_) => part.to_owned(),
            };
            return match number.split_once('.') {
                Some((article, clause)) => self.ta(
                    "cause-article-clause",
                    &[("article", &digits(article)), ("clause", &digits(clause))],
                ),
                None => self.ta("cause-article", &[("article", &digits(number))]),
            };
        }
        self.t_or(&format!("cause-{cited}"), cited)
    }

    /// An RSIT class and type in words ("Malicious Code / C2 Server"), in this language;
    /// the taxonomy's English names where no message covers them.
    pub fn rsit(&self, c: &symbolon_core::incident::rsit::Class) -> String {
        format!(
            "{} / {}",
            self.t_or(&format!("rsit-{}", c.class), &c.class_name),
            self.t_or(&format!("rsit-{}--{}", c.class, c.kind), &c.kind_name)
        )
    }

    /// Whether every language has message `id` (for the tests).
    pub fn has(lang: Lang, id: &str) -> bool {
        bundle(lang).get_message(id).is_some()
    }

    /// A count in this language's digits and grouping (Persian: ۱۲٬۳۴۵).
    pub fn number(&self, n: u64) -> String {
        static FORMATTERS: OnceLock<[Option<DecimalFormatter>; 3]> = OnceLock::new();
        let all = FORMATTERS.get_or_init(|| {
            [locale!("en"), locale!("fa"), locale!("ru")]
                .map(|l| DecimalFormatter::try_new(l.into(), Default::default()).ok())
        });
        match &all[self.lang.index()] {
            Some(f) => f.format(&icu_decimal::input::Decimal::from(n)).to_string(),
            None => n.to_string(),
        }
    }

    /// A STIX timestamp (microseconds) as a date for people: for Persian the Solar Hijri
    /// date, with the Gregorian one beside it (`gregorian`); the time of day in UTC as
    /// written in the data (`HH:MM UTC`).
    pub fn date(&self, micros: i64) -> Dated {
        const DAY: i64 = 86_400_000_000;
        let iso = stix::timestamp::format(micros);
        let seconds = micros.rem_euclid(DAY) / 1_000_000;
        let time = format!("{:02}:{:02}", seconds / 3600, seconds / 60 % 60);
        let Some(date) = iso_date(Day(micros.div_euclid(DAY))) else {
            return Dated {
                local: iso.clone(),
                gregorian: None,
                time,
                iso,
            };
        };
        static FORMATTERS: OnceLock<[Option<DateTimeFormatter<YMD>>; 4]> = OnceLock::new();
        let all = FORMATTERS.get_or_init(|| {
            [
                locale!("en-u-ca-gregory"),
                locale!("fa-u-ca-persian"),
                locale!("ru-u-ca-gregory"),
                locale!("fa-u-ca-gregory"),
            ]
            .map(|l| DateTimeFormatter::try_new(l.into(), YMD::medium()).ok())
        });
        let fmt = |i: usize| {
            all[i]
                .as_ref()
                .map(|f| f.format(&date).to_string())
                .unwrap_or_else(|| iso[..10].to_owned())
        };
        let (local, gregorian) = match self.lang {
            Lang::En => (fmt(0), None),
            Lang::Fa => (fmt(1), Some(fmt(3))),
            Lang::Ru => (fmt(2), None),
        };
        Dated {
            local,
            gregorian,
            time: self.digits(&time),
            iso,
        }
    }

    /// A day of the agreement (a consent's last day, a deadline) as the page writes dates.
    pub fn day(&self, d: Day) -> Dated {
        self.date(d.0 * 86_400_000_000)
    }

    /// A timestamp the ledger keeps as text (RFC 3339, as a record was signed): as a date
    /// for people; text that is not one is shown as it is (a peer's record is what it says).
    pub fn stamp(&self, text: &str) -> Dated {
        match stix::timestamp::parse(text, false) {
            Ok(micros) => self.date(micros),
            Err(_) => Dated {
                local: text.to_owned(),
                gregorian: None,
                time: String::new(),
                iso: text.to_owned(),
            },
        }
    }

    /// ASCII digits of a short text (a time of day) in this language's digits.
    pub fn digits(&self, s: &str) -> String {
        if self.lang != Lang::Fa {
            return s.to_owned();
        }
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0x06F0 + d).unwrap_or(c),
                None => c,
            })
            .collect()
    }
}

/// A day as ICU4X takes it (none for years outside its range).
pub(crate) fn iso_date(day: Day) -> Option<Date<icu_calendar::Iso>> {
    let (y, m, d) = day.ymd();
    Date::try_new_iso(i32::try_from(y).ok()?, m as u8, d as u8).ok()
}

/// A date as a page shows it.
#[derive(Debug, Clone)]
pub struct Dated {
    /// In the page's language and calendar.
    pub local: String,
    /// The Gregorian date, when the page's calendar is another.
    pub gregorian: Option<String>,
    /// `HH:MM` (UTC).
    pub time: String,
    /// The timestamp as stored (a `datetime` attribute, a tooltip).
    pub iso: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_counts_use_persian_digits_and_dates_the_solar_hijri_calendar() {
        let fa = Tr::new(Lang::Fa);
        assert_eq!(fa.number(12345), "۱۲٬۳۴۵");
        assert_eq!(Tr::new(Lang::En).number(12345), "12,345");
        // 2024-03-20 is 1 Farvardin 1403 (Nowruz).
        let d = fa.date(stix::timestamp::parse("2024-03-20T10:30:00Z", false).unwrap());
        assert!(d.local.contains("۱۴۰۳"), "{}", d.local);
        assert!(d.local.contains("فروردین"), "{}", d.local);
        assert!(d.gregorian.as_deref().is_some_and(|g| g.contains("۲۰۲۴")));
        assert_eq!(d.time, "۱۰:۳۰");
        let en =
            Tr::new(Lang::En).date(stix::timestamp::parse("2024-03-20T10:30:00Z", false).unwrap());
        assert!(
            en.local.contains("2024") && en.gregorian.is_none(),
            "{}",
            en.local
        );
    }

    #[test]
    fn russian_and_persian_plurals_follow_cldr() {
        let ru = Tr::new(Lang::Ru);
        assert_eq!(ru.tn("objects-count", 1), "1 объект");
        assert_eq!(ru.tn("objects-count", 3), "3 объекта");
        assert_eq!(ru.tn("objects-count", 5), "5 объектов");
        assert_eq!(ru.tn("objects-count", 21), "21 объект");
        assert_eq!(Tr::new(Lang::En).tn("objects-count", 1), "1 object");
        assert_eq!(Tr::new(Lang::En).tn("objects-count", 2), "2 objects");
        assert!(Tr::new(Lang::Fa).tn("objects-count", 2).contains('۲'));
    }

    #[test]
    fn accept_language_picks_the_heaviest_language_spoken_here() {
        assert_eq!(Lang::negotiate(Some("fa-IR,fa;q=0.9,en;q=0.8")), Lang::Fa);
        assert_eq!(Lang::negotiate(Some("de-DE,ru;q=0.5,en;q=0.4")), Lang::Ru);
        assert_eq!(Lang::negotiate(Some("de")), Lang::En);
        assert_eq!(Lang::negotiate(Some("en;q=0.2, ru")), Lang::Ru);
        assert_eq!(Lang::negotiate(None), Lang::En);
    }

    #[test]
    fn articles_are_cited_in_each_language() {
        assert_eq!(Tr::new(Lang::En).cause("Art. 6.2"), "Art. 6.2");
        assert_eq!(Tr::new(Lang::Fa).cause("Art. 6.2"), "بند ۲ ماده ۶");
        assert_eq!(Tr::new(Lang::Fa).cause("Art. 9"), "ماده ۹");
        assert_eq!(Tr::new(Lang::Ru).cause("Art. 6.2"), "п. 2 ст. 6");
        assert_eq!(
            Tr::new(Lang::Ru).cause("invalid"),
            "недопустимый объект STIX"
        );
        assert_eq!(Tr::new(Lang::En).cause("something else"), "something else");
    }

    #[test]
    fn every_rsit_class_and_type_has_words_in_every_language() {
        for c in symbolon_core::incident::rsit::classes() {
            for id in [
                format!("rsit-{}", c.class),
                format!("rsit-{}--{}", c.class, c.kind),
            ] {
                assert!(Tr::has(Lang::En, &id), "{id}");
            }
            assert_eq!(
                Tr::new(Lang::En).rsit(c),
                format!("{} / {}", c.class_name, c.kind_name),
                "the English words are the taxonomy's"
            );
        }
        let c2 = symbolon_core::incident::rsit::parse("malicious-code/c2-server").unwrap();
        assert_eq!(
            Tr::new(Lang::Fa).rsit(&c2),
            "کد مخرب / سرور فرماندهی و کنترل"
        );
        assert_eq!(
            Tr::new(Lang::Ru).rsit(&c2),
            "Вредоносный код / Сервер управления (C2)"
        );
    }

    #[test]
    fn every_message_exists_in_every_language_and_parses() {
        for (lang, text) in [(Lang::En, EN), (Lang::Fa, FA), (Lang::Ru, RU)] {
            if let Err((_, errors)) = FluentResource::try_new(text.to_owned()) {
                panic!("{}.ftl does not parse: {errors:?}", lang.code());
            }
        }
        let ids = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
                .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
                .collect()
        };
        let en = ids(EN);
        assert!(en.len() > 40, "{} messages", en.len());
        for (lang, text) in [(Lang::Fa, FA), (Lang::Ru, RU)] {
            let have = ids(text);
            let missing: Vec<&String> = en.iter().filter(|id| !have.contains(id)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            let extra: Vec<&String> = have.iter().filter(|id| !en.contains(id)).collect();
            assert!(extra.is_empty(), "{} has unknown {extra:?}", lang.code());
        }
        let mut sorted = en.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), en.len(), "a message is defined twice");
    }
}
