//! Word lists: month names, weekday names, filler words and prefixes that
//! pages put in front of dates. All entries are lowercase; callers lowercase
//! their input first and drop trailing dots ("Dec." → "dec").

/// Month number (1–12) for a month name or abbreviation in English, German,
/// French or Spanish.
///
/// Deliberately missing: Spanish "ago" (agosto) and "set" (setiembre), which
/// collide with the English words "ago" and "set".
pub(super) fn month_number(word: &str) -> Option<u32> {
    let month = match word {
        "january" | "jan" | "januar" | "jänner" | "jän" | "janvier" | "janv" | "enero" | "ene" => {
            1
        }
        "february" | "feb" | "febr" | "februar" | "feber" | "février" | "fevrier" | "févr"
        | "fevr" | "fév" | "fev" | "febrero" => 2,
        "march" | "mar" | "märz" | "maerz" | "marz" | "mrz" | "mär" | "mars" | "marzo" => 3,
        "april" | "apr" | "avril" | "avr" | "abril" | "abr" => 4,
        "may" | "mai" | "mayo" => 5,
        "june" | "jun" | "juni" | "juin" | "junio" => 6,
        "july" | "jul" | "juli" | "juillet" | "juil" | "julio" => 7,
        "august" | "aug" | "août" | "aout" | "agosto" => 8,
        "september" | "sep" | "sept" | "septembre" | "septiembre" | "setiembre" => 9,
        "october" | "oct" | "oktober" | "okt" | "octobre" | "octubre" => 10,
        "november" | "nov" | "novembre" | "noviembre" => 11,
        "december" | "dec" | "dezember" | "dez" | "décembre" | "decembre" | "déc" | "diciembre"
        | "dic" => 12,
        _ => return None,
    };
    Some(month)
}

/// Words that are both a month and a weekday abbreviation ("mar": March, and
/// Spanish "martes"). When a text has two month words, these yield.
pub(super) fn is_also_weekday(word: &str) -> bool {
    word == "mar"
}

/// Weekday names and abbreviations; they carry no information we trust
/// (pages get them wrong), so they are skipped.
pub(super) fn is_weekday(word: &str) -> bool {
    matches!(
        word,
        // English
        "monday" | "mon" | "tuesday" | "tue" | "tues" | "wednesday" | "wed" | "thursday"
            | "thu" | "thur" | "thurs" | "friday" | "fri" | "saturday" | "sat" | "sunday" | "sun"
            // German
            | "montag" | "mo" | "dienstag" | "di" | "mittwoch" | "mi" | "donnerstag" | "do"
            | "freitag" | "fr" | "samstag" | "sa" | "sonnabend" | "sonntag" | "so"
            // French
            | "lundi" | "lun" | "mardi" | "mercredi" | "mer" | "jeudi" | "jeu" | "vendredi"
            | "ven" | "samedi" | "sam" | "dimanche" | "dim"
            // Spanish
            | "lunes" | "martes" | "miércoles" | "miercoles" | "mié" | "mie" | "jueves" | "jue"
            | "viernes" | "vie" | "sábado" | "sabado" | "sáb" | "sab" | "domingo" | "dom"
    )
}

/// Small words that may sit between the parts of a written date or time
/// ("12 de diciembre de 2025", "am 12. Dezember um 18:00 Uhr", "today at 9").
pub(super) fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "on" | "at"
            | "the"
            | "of"
            | "am"
            | "um"
            | "uhr"
            | "den"
            | "le"
            | "à"
            | "a"
            | "de"
            | "del"
            | "el"
            | "la"
            | "las"
    )
}

/// Labels that pages put before a date. Matched at the start of the
/// lowercased text, followed by a non-letter; stripping repeats, so
/// "Posted on" is "posted" then "on".
pub(super) const PREFIXES: &[&str] = &[
    "last updated",
    "last modified",
    "updated",
    "modified",
    "published",
    "posted",
    "created",
    "date",
    "zuletzt aktualisiert",
    "aktualisiert",
    "veröffentlicht",
    "erstellt",
    "datum",
    "stand",
    "mis à jour",
    "publié",
    "publicado",
    "actualizado",
    "fecha",
    "am",
    "on",
    "le",
    "el",
    "发布于",
    "发布时间",
    "发表于",
    "更新于",
    "更新时间",
];

/// English abbreviations, used to rewrite CJK dates into a written form.
pub(super) const ENGLISH_ABBR: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_english_abbreviation_maps_back_to_its_month() {
        for (i, abbr) in ENGLISH_ABBR.iter().enumerate() {
            assert_eq!(month_number(abbr), Some(i as u32 + 1), "{abbr}");
        }
    }

    #[test]
    fn colliding_words_are_not_months() {
        for word in ["ago", "set", "now", "mon", "sat"] {
            assert_eq!(month_number(word), None, "{word}");
        }
    }
}
