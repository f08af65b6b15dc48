//! `symbolon agreement status`: the agreement's state and dates in English, Persian or
//! Russian (the three authentic texts), each date in the Gregorian and the Solar Hijri
//! calendar.

use policy::agreement::localized;
use policy::lifecycle::{Day, State};
use symbolon_core::agreement::AgreementState;

/// A language the node speaks: the agreement's three authentic texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    En,
    Fa,
    Ru,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
            Lang::Ru => "ru",
        }
    }
}

struct Labels {
    agreement: &'static str,
    version: &'static str,
    node: &'static str,
    date: &'static str,
    state: &'static str,
    signed: &'static str,
    entry_into_force: &'static str,
    designation: &'static str,
    designated: &'static str,
    late: &'static str,
    termination: &'static str,
    awaiting: &'static str,
    none: &'static str,
    not_in_force: &'static str,
    in_force: &'static str,
    ends_on: &'static str,
    terminated: &'static str,
    survives: &'static str,
    months: [&'static str; 12],
}

const EN: Labels = Labels {
    agreement: "Agreement",
    version: "Policy version",
    node: "This node",
    date: "Date",
    state: "State",
    signed: "Signed",
    entry_into_force: "Entry into force",
    designation: "Competent authorities to be designated by",
    designated: "designated",
    late: "after the deadline",
    termination: "Termination takes effect",
    awaiting: "not yet: awaiting the notification of",
    none: "none",
    not_in_force: "not in force",
    in_force: "in force",
    ends_on: "termination takes effect on",
    terminated: "terminated since",
    survives: "information protection and agreed joint activities continue (Art. 9.4)",
    months: [
        "Farvardin",
        "Ordibehesht",
        "Khordad",
        "Tir",
        "Mordad",
        "Shahrivar",
        "Mehr",
        "Aban",
        "Azar",
        "Dey",
        "Bahman",
        "Esfand",
    ],
};

const FA: Labels = Labels {
    agreement: "موافقتنامه",
    version: "نسخه سیاست",
    node: "این گره",
    date: "تاریخ",
    state: "وضعیت",
    signed: "امضا",
    entry_into_force: "لازم‌الاجرا شدن",
    designation: "مهلت تعیین مراجع ذی‌صلاح",
    designated: "تعیین‌شده",
    late: "پس از مهلت",
    termination: "خاتمه",
    awaiting: "هنوز نه: در انتظار اعلام",
    none: "ندارد",
    not_in_force: "لازم‌الاجرا نشده",
    in_force: "لازم‌الاجرا",
    ends_on: "خاتمه از",
    terminated: "خاتمه‌یافته از",
    survives: "تعهدات حفاظت از اطلاعات و فعالیت‌های مشترک توافق‌شده ادامه دارد (ماده ۹ بند ۴)",
    months: [
        "فروردین",
        "اردیبهشت",
        "خرداد",
        "تیر",
        "مرداد",
        "شهریور",
        "مهر",
        "آبان",
        "آذر",
        "دی",
        "بهمن",
        "اسفند",
    ],
};

const RU: Labels = Labels {
    agreement: "Соглашение",
    version: "Версия политики",
    node: "Этот узел",
    date: "Дата",
    state: "Состояние",
    signed: "Подписано",
    entry_into_force: "Вступление в силу",
    designation: "Срок назначения компетентных органов",
    designated: "назначен",
    late: "после срока",
    termination: "Прекращение действия",
    awaiting: "ещё нет: ожидается уведомление",
    none: "нет",
    not_in_force: "не вступило в силу",
    in_force: "действует",
    ends_on: "прекращается с",
    terminated: "прекращено с",
    survives: "обязательства по защите информации и согласованные совместные мероприятия сохраняются (ст. 9.4)",
    months: [
        "фарвардина",
        "ордибехешта",
        "хордада",
        "тира",
        "мордада",
        "шахривара",
        "мехра",
        "абана",
        "азара",
        "дея",
        "бахмана",
        "эсфанда",
    ],
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Fa => &FA,
        Lang::Ru => &RU,
    }
}

fn persian_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            c.to_digit(10)
                .map_or(c, |d| char::from_u32(0x06F0 + d).unwrap_or(c))
        })
        .collect()
}

/// A day in both calendars, written the way each language writes dates.
pub fn both_calendars(day: Day, lang: Lang) -> String {
    let (y, m, d) = day.ymd();
    let (hy, hm, hd) = day.solar_hijri();
    let month = labels(lang).months[usize::from(hm.clamp(1, 12)) - 1];
    match lang {
        Lang::En => format!("{day} ({hd} {month} {hy} SH)"),
        Lang::Ru => format!("{d:02}.{m:02}.{y:04} ({hd} {month} {hy} г. с. х.)"),
        Lang::Fa => persian_digits(&format!("{hd} {month} {hy} ({y:04}-{m:02}-{d:02})")),
    }
}

/// The status report.
pub fn render(state: &AgreementState, at: Day, lang: Lang) -> String {
    let (agreement, lifecycle) = (&state.agreement, &state.lifecycle);
    let designated = state.designations();
    let l = labels(lang);
    let code = lang.code();
    let date = |d: Day| both_calendars(d, lang);
    let party_name = |id: &str| {
        agreement
            .party(id)
            .map_or(id.to_owned(), |p| localized(&p.name, code).to_owned())
    };
    let mut out = Vec::new();
    out.push(format!(
        "{}: {}",
        l.agreement,
        localized(&agreement.title, code)
    ));
    out.push(format!(
        "{}: {} ({})",
        l.version, agreement.version, agreement.id
    ));
    out.push(format!(
        "{}: {} / {}",
        l.node,
        state.authority,
        party_name(&state.party)
    ));
    out.push(format!("{}: {}", l.signed, date(agreement.signed)));
    out.push(format!("{}: {}", l.date, date(at)));
    let state = match lifecycle.state_at(at) {
        State::NotInForce => l.not_in_force.to_owned(),
        State::InForce => l.in_force.to_owned(),
        State::TerminationPending { effective } => {
            format!("{}; {} {}", l.in_force, l.ends_on, date(effective))
        }
        State::Terminated { since } => format!("{} {}; {}", l.terminated, date(since), l.survives),
    };
    out.push(format!("{}: {state}", l.state));
    match lifecycle.entry_into_force {
        Some(eif) => out.push(format!("{}: {}", l.entry_into_force, date(eif))),
        None => out.push(format!("{}: {}", l.entry_into_force, l.awaiting)),
    }
    for (party, due) in &lifecycle.designation_deadlines {
        let mut line = format!("{} ({}): {}", l.designation, party_name(party), date(*due));
        for (_, authority, on) in designated.iter().filter(|(p, ..)| p == party) {
            let late = if on > due {
                format!(" — {}", l.late)
            } else {
                String::new()
            };
            line.push_str(&format!(
                "; {} {authority} {}{late}",
                l.designated,
                date(*on)
            ));
        }
        out.push(line);
    }
    out.push(format!(
        "{}: {}",
        l.termination,
        lifecycle
            .termination_effective
            .map_or(l.none.to_owned(), date)
    ));
    out.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_both_calendars_in_each_language() {
        let d = Day::parse("2021-01-26").unwrap();
        assert_eq!(both_calendars(d, Lang::En), "2021-01-26 (7 Bahman 1399 SH)");
        assert_eq!(
            both_calendars(d, Lang::Ru),
            "26.01.2021 (7 бахмана 1399 г. с. х.)"
        );
        assert_eq!(both_calendars(d, Lang::Fa), "۷ بهمن ۱۳۹۹ (۲۰۲۱-۰۱-۲۶)");
    }
}
