//! Colour as readers see it: WCAG contrast, colour-vision deficiency simulated with the
//! matrices of Machado, Oliveira and Fernandes (2009, full severity, in linear RGB), and
//! CIEDE2000 distance (Sharma, Wu and Dalal 2005). Charts, the built-in palette and the
//! colours a site or figure sets are all judged by these numbers.

use crate::error::Location;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::path::Path;

/// An sRGB colour, written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Colour(pub u8, pub u8, pub u8);

/// The least CIEDE2000 distance two colours of one chart keep, for every vision type.
pub const DISTINCT: f64 = 10.0;
/// The least contrast a series colour keeps with the white chart background (and white text
/// on it keeps with it).
pub const SERIES_CONTRAST: f64 = 4.5;

impl Colour {
    pub const WHITE: Colour = Colour(0xff, 0xff, 0xff);

    /// `#rrggbb` (or `#rgb`), in either case.
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.trim().strip_prefix('#')?;
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        match hex.len() {
            6 => Some(Colour(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Some(Colour(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => None,
        }
    }

    /// The colour in linear RGB, each channel 0 to 1.
    pub fn linear(self) -> [f64; 3] {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        [lin(self.0), lin(self.1), lin(self.2)]
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        let [r, g, b] = self.linear();
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }
}

impl std::fmt::Display for Colour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl Serialize for Colour {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Colour, D::Error> {
        let text = String::deserialize(d)?;
        Colour::parse(&text).ok_or_else(|| {
            crate::yaml::refusal(
                format!("`{text}` is not a colour"),
                "write a colour as # and six hex digits in quotes, such as \"#1d4e89\" (without quotes, YAML reads # as the start of a comment)",
            )
        })
    }
}

/// The built-in chart colours, in series order. Each keeps [`SERIES_CONTRAST`] against white,
/// and every two of them, and each with [`REMAINDER`], keep [`DISTINCT`] for every
/// [`Vision`] (a unit test holds this), so a seven-part stacked bar with its remainder reads
/// for every reader.
pub const PALETTE: [Colour; 8] = [
    Colour(0x1d, 0x4e, 0x89), // navy
    Colour(0xc0, 0x2b, 0x3a), // campaign red
    Colour(0x88, 0x56, 0xdd), // violet
    Colour(0x5c, 0x3a, 0x47), // aubergine
    Colour(0x18, 0x78, 0x8e), // teal
    Colour(0x83, 0x1b, 0x05), // rust
    Colour(0x10, 0x04, 0xec), // ultramarine
    Colour(0x8a, 0x68, 0x63), // clay
];
/// The "not recorded" remainder: grey, 3:1 against white and against a dark background.
pub const REMAINDER: Colour = Colour(0x8a, 0x8a, 0x8a);

/// What is wrong with the colours of one chart: a series colour too light to read on white,
/// or two colours that some reader cannot tell apart. Indices are into `series`, with
/// `series.len()` for the remainder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    TooLight(usize),
    Clash(usize, usize, Clash),
}

/// The first fault of a chart drawn in `series` colours, and [`REMAINDER`] when `remainder`.
/// A colour repeated (a chart with more series than the palette has colours) is two series
/// that no one can tell apart, and is a clash too.
pub fn chart_fault(series: &[Colour], remainder: bool) -> Option<Fault> {
    if let Some(i) = series.iter().position(|c| contrast(*c, Colour::WHITE) < SERIES_CONTRAST) {
        return Some(Fault::TooLight(i));
    }
    let mut all = series.to_vec();
    if remainder {
        all.push(REMAINDER);
    }
    clashes(&all).into_iter().next().map(|(i, j, c)| Fault::Clash(i, j, c))
}

/// A colour that a site or figure sets, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct SetColour {
    pub colour: Colour,
    pub at: Location,
}

/// `colours`, read from the list under `key:` in `text` (the file `file`), each with its
/// place: where it is written after the key, else the key itself.
pub fn locate(file: &Path, text: &str, key: &str, colours: &[Colour]) -> Vec<SetColour> {
    // ASCII lower case keeps every byte where it was.
    let lower = text.to_ascii_lowercase();
    let key_at = lower.match_indices(&format!("{key}:")).find(|(i, _)| lower[..*i].rsplit('\n').next().is_some_and(|l| l.trim().is_empty())).map(|(i, _)| i);
    let mut from = key_at.map_or(0, |k| k + key.len());
    colours
        .iter()
        .map(|colour| {
            let found = lower[from..].find(&colour.to_string()).map(|i| from + i);
            let at = match (found, key_at) {
                (Some(i), _) => {
                    from = i + 7;
                    Location::in_text(file, text, i, 7, 1)
                }
                (None, Some(k)) => Location::in_text(file, text, k, key.len(), 1),
                (None, None) => Location::file(file),
            };
            SetColour { colour: *colour, at }
        })
        .collect()
}

/// The colours of a chart's `count` series, in order: those set, then the built-in palette's
/// (repeating after its last).
pub fn series_colours(set: &[SetColour], count: usize) -> Vec<Colour> {
    (0..count).map(|i| set.get(i).map_or(PALETTE[i % PALETTE.len()], |c| c.colour)).collect()
}

/// The first fault of a site's palette, as a whole and with the remainder's grey, placed at
/// the colour to change.
pub fn palette_fault(palette: &[SetColour]) -> Option<crate::error::Error> {
    let colours: Vec<Colour> = palette.iter().map(|c| c.colour).collect();
    let remainder = colours.len();
    let error = match chart_fault(&colours, true)? {
        Fault::TooLight(i) => crate::error::Error::new(format!(
            "the palette colour {} is too light to read on white ({:.1}:1, and at least {SERIES_CONTRAST}:1 is needed)",
            colours[i],
            contrast(colours[i], Colour::WHITE)
        ))
        .at(palette[i].at.clone())
        .hint("choose a darker colour"),
        Fault::Clash(i, j, clash) => {
            let grey = if j == remainder { " (the grey of a chart's “not recorded” remainder)" } else { "" };
            crate::error::Error::new(format!("in the palette, {}{grey}", clash.words()))
                .at(palette[if j == remainder { i } else { j }].at.clone())
                .hint("choose colours that differ more in lightness, not only in hue")
        }
    };
    Some(error)
}

/// A list of colours as serde reads it, placed at no line yet: see [`locate`].
pub fn set_colours<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SetColour>, D::Error> {
    let colours = Vec::<Colour>::deserialize(d)?;
    Ok(colours.into_iter().map(|colour| SetColour { colour, at: Location::file("") }).collect())
}

/// WCAG contrast ratio of two colours.
/// `colour` receded behind what a chart highlights: most of its hue drained into grey, at
/// the lightness of [`REMAINDER`], so it keeps REMAINDER's 3:1 against a white and a dark
/// background while a trace of its hue still tells it from "not recorded".
pub fn receded(colour: Colour) -> Colour {
    let mix = |a: Colour, b: Colour, t: f64| {
        let one = |x: u8, y: u8| (f64::from(x) * (1.0 - t) + f64::from(y) * t).round().clamp(0.0, 255.0) as u8;
        Colour(one(a.0, b.0), one(a.1, b.1), one(a.2, b.2))
    };
    let drained = mix(colour, REMAINDER, 0.6);
    let target = REMAINDER.luminance();
    // Toward white or black, as far as brings it to REMAINDER's lightness.
    let toward = if drained.luminance() < target { Colour::WHITE } else { Colour(0, 0, 0) };
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..24 {
        let t = (lo + hi) / 2.0;
        if (mix(drained, toward, t).luminance() < target) == (toward == Colour::WHITE) {
            lo = t;
        } else {
            hi = t;
        }
    }
    mix(drained, toward, hi)
}

pub fn contrast(a: Colour, b: Colour) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// How a reader sees colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vision {
    Typical,
    Protanopia,
    Deuteranopia,
    Tritanopia,
}

impl Vision {
    pub const ALL: [Vision; 4] = [Vision::Typical, Vision::Protanopia, Vision::Deuteranopia, Vision::Tritanopia];

    pub fn name(self) -> &'static str {
        match self {
            Vision::Typical => "typical colour vision",
            Vision::Protanopia => "protanopia (red-blind)",
            Vision::Deuteranopia => "deuteranopia (green-blind)",
            Vision::Tritanopia => "tritanopia (blue-blind)",
        }
    }

    /// Machado et al. (2009), severity 1.0, for linear RGB.
    fn matrix(self) -> Option<[[f64; 3]; 3]> {
        match self {
            Vision::Typical => None,
            Vision::Protanopia => Some([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
            Vision::Deuteranopia => Some([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
            Vision::Tritanopia => Some([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]),
        }
    }

    /// `colour` as a reader with this vision sees it, in linear RGB clamped to the gamut.
    pub fn simulate(self, colour: Colour) -> [f64; 3] {
        let lin = colour.linear();
        let Some(m) = self.matrix() else { return lin };
        m.map(|row| (row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2]).clamp(0.0, 1.0))
    }
}

/// CIE L*a*b* (D65) of a linear RGB colour.
pub fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
    let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    let f = |t: f64| if t > 216.0 / 24389.0 { t.cbrt() } else { (24389.0 / 27.0 * t + 16.0) / 116.0 };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// The CIEDE2000 colour difference of two L*a*b* colours.
pub fn ciede2000([l1, a1, b1]: [f64; 3], [l2, a2, b2]: [f64; 3]) -> f64 {
    let pow7 = |c: f64| c.powi(7);
    let c_mean = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
    let g = 0.5 * (1.0 - (pow7(c_mean) / (pow7(c_mean) + pow7(25.0))).sqrt());
    let (a1, a2) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1, c2) = (a1.hypot(b1), a2.hypot(b2));
    let hue = |b: f64, a: f64| if a == 0.0 && b == 0.0 { 0.0 } else { b.atan2(a).to_degrees().rem_euclid(360.0) };
    let (h1, h2) = (hue(b1, a1), hue(b2, a2));
    let chromatic = c1 * c2 != 0.0;
    let dh = match h2 - h1 {
        _ if !chromatic => 0.0,
        d if d > 180.0 => d - 360.0,
        d if d < -180.0 => d + 360.0,
        d => d,
    };
    let (dl, dc) = (l2 - l1, c2 - c1);
    let dh_big = 2.0 * (c1 * c2).sqrt() * (dh / 2.0).to_radians().sin();
    let (l_mean, c_mean) = ((l1 + l2) / 2.0, (c1 + c2) / 2.0);
    let h_mean = match (h1 + h2, (h1 - h2).abs()) {
        (sum, _) if !chromatic => sum,
        (sum, diff) if diff <= 180.0 => sum / 2.0,
        (sum, _) if sum < 360.0 => (sum + 360.0) / 2.0,
        (sum, _) => (sum - 360.0) / 2.0,
    };
    let cos = |deg: f64| deg.to_radians().cos();
    let t = 1.0 - 0.17 * cos(h_mean - 30.0) + 0.24 * cos(2.0 * h_mean) + 0.32 * cos(3.0 * h_mean + 6.0) - 0.20 * cos(4.0 * h_mean - 63.0);
    let d_theta = 30.0 * (-((h_mean - 275.0) / 25.0).powi(2)).exp();
    let r_c = 2.0 * (pow7(c_mean) / (pow7(c_mean) + pow7(25.0))).sqrt();
    let s_l = 1.0 + 0.015 * (l_mean - 50.0).powi(2) / (20.0 + (l_mean - 50.0).powi(2)).sqrt();
    let s_c = 1.0 + 0.045 * c_mean;
    let s_h = 1.0 + 0.015 * c_mean * t;
    let r_t = -(2.0 * d_theta).to_radians().sin() * r_c;
    let (l, c, h) = (dl / s_l, dc / s_c, dh_big / s_h);
    (l * l + c * c + h * h + r_t * c * h).sqrt()
}

/// The distance of two colours as a reader with `vision` sees them.
pub fn distance(a: Colour, b: Colour, vision: Vision) -> f64 {
    ciede2000(lab(vision.simulate(a)), lab(vision.simulate(b)))
}

/// Two colours of one chart that some reader cannot tell apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clash {
    pub a: Colour,
    pub b: Colour,
    pub vision: Vision,
    pub distance: f64,
}

/// The vision under which `a` and `b` come closest, when that is nearer than [`DISTINCT`].
pub fn clash(a: Colour, b: Colour) -> Option<Clash> {
    Vision::ALL
        .into_iter()
        .map(|vision| Clash { a, b, vision, distance: distance(a, b, vision) })
        .min_by(|x, y| x.distance.total_cmp(&y.distance))
        .filter(|c| c.distance < DISTINCT)
}

/// Every pair of `colours` that some reader cannot tell apart, as indices into `colours`.
pub fn clashes(colours: &[Colour]) -> Vec<(usize, usize, Clash)> {
    let mut found = Vec::new();
    for (i, a) in colours.iter().enumerate() {
        for (j, b) in colours.iter().enumerate().skip(i + 1) {
            if let Some(c) = clash(*a, *b) {
                found.push((i, j, c));
            }
        }
    }
    found
}

impl Clash {
    /// The problem in words, for campaign staff.
    pub fn words(&self) -> String {
        format!(
            "the colours {} and {} look almost the same to readers with {} (a difference of {:.1}, and at least {DISTINCT} is needed)",
            self.a,
            self.b,
            self.vision.name(),
            self.distance
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ciede2000_matches_sharma_wu_and_dalals_test_pairs() {
        // Pairs 1, 2, 3, 7, 17, 18, 19, 20 and 25 of Sharma, Wu and Dalal (2005), table 1.
        let pairs = [
            ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
            ([50.0, 3.1571, -77.2803], [50.0, 0.0, -82.7485], 2.8615),
            ([50.0, 2.8361, -74.0200], [50.0, 0.0, -82.7485], 3.4412),
            ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
            ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
            ([50.0, 2.5, 0.0], [61.0, -5.0, 29.0], 22.8977),
            ([50.0, 2.5, 0.0], [56.0, -27.0, -3.0], 31.9030),
            ([50.0, 2.5, 0.0], [58.0, 24.0, 15.0], 19.4535),
            ([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644),
        ];
        for (a, b, expected) in pairs {
            let found = ciede2000(a, b);
            assert!((found - expected).abs() < 5e-5, "{a:?} {b:?}: {found} is not {expected}");
            assert!((ciede2000(b, a) - expected).abs() < 5e-5, "symmetric");
        }
    }

    #[test]
    fn simulation_applies_machados_matrices_in_linear_rgb() {
        // Pure red's linear channels are 1, 0, 0: each simulation gives its matrix's first
        // column, clamped to the gamut.
        assert_eq!(Vision::Protanopia.simulate(Colour(255, 0, 0)), [0.152286, 0.114503, 0.0]);
        assert_eq!(Vision::Deuteranopia.simulate(Colour(255, 0, 0)), [0.367322, 0.280085, 0.0]);
        assert_eq!(Vision::Tritanopia.simulate(Colour(0, 0, 255)), [0.0, 0.147602, 0.3039]);
        // Grey stays grey: each row of every matrix sums to 1.
        let grey = Colour(0x8a, 0x8a, 0x8a);
        for vision in Vision::ALL {
            assert!(distance(grey, grey, vision) < 1e-9);
            assert!(ciede2000(lab(vision.simulate(grey)), lab(grey.linear())) < 0.01, "{vision:?}");
        }
        assert!((lab(Colour::WHITE.linear())[0] - 100.0).abs() < 1e-3);
    }

    #[test]
    fn red_and_green_collapse_for_red_green_blindness_only() {
        // An orange-red and a green of the same lightness: plain to most, not to deuteranopes.
        let (red, green) = (Colour(0xc0, 0x5a, 0x2b), Colour(0x6a, 0x7a, 0x2b));
        assert!(distance(red, green, Vision::Typical) > 15.0);
        let found = clash(red, green).unwrap();
        assert!(matches!(found.vision, Vision::Deuteranopia | Vision::Protanopia), "{found:?}");
        assert!(found.words().contains("#c05a2b") && found.words().contains("#6a7a2b"));
    }

    #[test]
    fn the_built_in_palette_is_told_apart_by_every_reader() {
        for c in PALETTE {
            assert!(contrast(c, Colour::WHITE) >= SERIES_CONTRAST, "{c}");
        }
        assert_eq!(chart_fault(&PALETTE, true), None, "{:?}", clashes(&[&PALETTE[..], &[REMAINDER]].concat()));
        // The palette that came before, whose blue and purple read alike to protanopes.
        let before = [Colour(0x1d, 0x4e, 0x89), Colour(0xc0, 0x2b, 0x3a), Colour(0x00, 0x73, 0x6b), Colour(0x6f, 0x3f, 0x9e)];
        assert!(matches!(chart_fault(&before, false), Some(Fault::Clash(0, 3, Clash { vision: Vision::Protanopia, .. }))));
        assert_eq!(chart_fault(&[PALETTE[0], Colour(0xcc, 0xcc, 0xcc)], false), Some(Fault::TooLight(1)));
        assert!(matches!(chart_fault(&[PALETTE[0], PALETTE[0]], false), Some(Fault::Clash(0, 1, _))), "a repeated colour");
    }

    #[test]
    fn set_colours_are_found_where_they_are_written() {
        let text = "title: T\ncolours: [\"#1D4E89\", '#c02b3a',\n  \"#1d4e89\", \"#fff\"]\n";
        let colours = [PALETTE[0], PALETTE[1], PALETTE[0], Colour::WHITE];
        let found = locate(Path::new("f.yaml"), text, "colours", &colours);
        let lines: Vec<(usize, usize)> = found.iter().map(|s| s.at.line.map(|(l, c, _)| (l, c)).unwrap()).collect();
        assert_eq!(lines, [(2, 12), (2, 23), (3, 4), (2, 1)], "the same colour twice is found twice; a short one at its key");
    }

    #[test]
    fn colours_are_read_as_hex() {
        assert_eq!(Colour::parse("#1D4E89"), Some(Colour(0x1d, 0x4e, 0x89)));
        assert_eq!(Colour::parse("#fff"), Some(Colour::WHITE));
        for bad in ["1d4e89", "#1d4e8", "#ggg", "navy", "#1d4e89ff", "#ÿÿ"] {
            assert_eq!(Colour::parse(bad), None, "{bad}");
        }
        assert_eq!(Colour(0x1d, 0x4e, 0x89).to_string(), "#1d4e89");
        assert!((contrast(Colour(0, 0, 0), Colour::WHITE) - 21.0).abs() < 1e-9);
    }
}
