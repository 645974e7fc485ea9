//! Tile-map layouts: which areas a tile map has, and where each one's tile stands.
//!
//! A layout is a YAML file of areas, each with its name, a short code for tiles too small for
//! the name, and its grid cell (`column` west to east, `row` north to south), with the names
//! that differ in another language under `translations`. soapbox ships [`BUILT_IN`] layouts;
//! a site may keep its own as `content/layouts/NAME.yaml`, which [`Layouts`] holds beside them
//! and a figure names with `layout: NAME`. Every rule is checked as a layout is read, so a
//! [`Layout`] always has areas named once each, one per cell, on a grid a chart can draw.

use crate::error::{suggestion, Error, Location, Result};
use crate::strings::Language;
use crate::yaml::{self, YamlText};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// The most columns a layout may have: at the narrowest width band (280 px) a tile is then
/// still wide enough for a short code at reading size.
pub const MAX_COLUMNS: u16 = 8;
/// The most rows a layout may have, so that a map keeps a shape a page can show.
pub const MAX_ROWS: u16 = 14;
/// The most characters of an area's code.
pub const MAX_CODE: usize = 4;

/// The layouts soapbox ships, by name, with their files' text.
pub const BUILT_IN: [(&str, &str); 1] = [("police-forces-england-wales", include_str!("layouts/police-forces-england-wales.yaml"))];

/// One area's tile.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Area {
    /// Its name as the layout gives it, which a figure's data labels use.
    pub name: String,
    /// Its name as shown in the language the figure is drawn in (see [`Layout::renamed`]).
    pub shown: String,
    pub code: String,
    pub column: u16,
    pub row: u16,
    /// Its name in other languages, by language tag.
    pub translations: BTreeMap<String, String>,
}

/// A validated layout. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Layout {
    pub name: String,
    /// What the areas are, as a description names them: "the police force areas of England and Wales".
    pub title: String,
    /// The title in other languages, by language tag.
    pub titles: BTreeMap<String, String>,
    /// In the file's order.
    pub areas: Vec<Area>,
    pub columns: u16,
    pub rows: u16,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    title: String,
    #[serde(default)]
    translations: BTreeMap<String, String>,
    areas: Vec<RawArea>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    name: String,
    code: String,
    column: u16,
    row: u16,
    #[serde(default)]
    translations: BTreeMap<String, String>,
}

impl Layout {
    /// Reads and validates the layout `name` from `text`, the file `file`.
    pub fn load(name: &str, file: &Path, text: &str) -> Result<Layout> {
        let src = YamlText { file, text, first_line: 1 };
        let raw: RawLayout = yaml::parse(&src)?;
        let at = |needle: &str, n: usize, message: String, hint: &str| {
            // An area is found by its `name: …`, else by its name alone (written in quotes).
            let bare = needle.trim_start_matches("name: ");
            let found = nth_place(text, needle, n).map(|i| (i, needle.len())).or_else(|| nth_place(text, bare, n).map(|i| (i, bare.len())));
            let loc = found.map_or_else(|| Location::file(file), |(i, len)| Location::in_text(file, text, i, len, 1));
            Error::new(message).at(loc).hint(hint)
        };
        if raw.title.trim().is_empty() {
            return Err(at(
                "title",
                0,
                "the layout's `title` is empty".into(),
                "say what the areas are, such as `title: the police force areas of England and Wales`",
            ));
        }
        if raw.areas.is_empty() {
            return Err(at("areas", 0, "this layout has no areas".into(), "list each area as `- { name: Durham, code: DU, column: 4, row: 1 }`"));
        }
        let mut names = BTreeSet::new();
        let mut codes = BTreeSet::new();
        let mut cells: BTreeMap<(u16, u16), &str> = BTreeMap::new();
        for area in &raw.areas {
            let name = area.name.trim();
            if name.is_empty() {
                return Err(at("name: ,", 0, "an area has an empty name".into(), "give every area its name"));
            }
            if !names.insert(name) {
                return Err(at(&format!("name: {name}"), 1, format!("the area `{name}` is listed twice"), "list each area once"));
            }
            let code = area.code.trim();
            if code.is_empty() || code.chars().count() > MAX_CODE || !code.chars().all(char::is_alphanumeric) {
                return Err(at(
                    &area.code,
                    0,
                    format!("`{}`, the code of `{name}`, is not a short code", area.code),
                    "write 1 to 4 letters or digits that a tile too small for the name can show, such as `DU` for Durham",
                ));
            }
            if !codes.insert(code) {
                return Err(at(
                    code,
                    1,
                    format!("the code `{code}` is given to two areas"),
                    "give each area its own code, so a reader can tell their tiles apart",
                ));
            }
            if area.column >= MAX_COLUMNS || area.row >= MAX_ROWS {
                return Err(at(
                    &format!("name: {name}"),
                    0,
                    format!("`{name}` stands at column {}, row {}, outside the grid", area.column, area.row),
                    &format!("columns are numbered 0 to {} and rows 0 to {}, so that every tile is large enough to read", MAX_COLUMNS - 1, MAX_ROWS - 1),
                ));
            }
            if let Some(other) = cells.insert((area.column, area.row), name) {
                return Err(at(
                    &format!("name: {name}"),
                    0,
                    format!("`{name}` and `{other}` both stand at column {}, row {}", area.column, area.row),
                    "give each area a cell of its own",
                ));
            }
            if let Some(tag) = area.translations.keys().chain(raw.translations.keys()).find(|t| Language::of(t).is_none()) {
                return Err(at(tag, 0, format!("`{tag}` is not a language tag soapbox knows"), "write `cy` for a name in Welsh"));
            }
        }
        let columns = raw.areas.iter().map(|a| a.column).max().unwrap_or(0) + 1;
        let rows = raw.areas.iter().map(|a| a.row).max().unwrap_or(0) + 1;
        let areas = raw
            .areas
            .into_iter()
            .map(|a| Area {
                name: a.name.trim().to_string(),
                shown: a.name.trim().to_string(),
                code: a.code.trim().to_string(),
                column: a.column,
                row: a.row,
                translations: a.translations,
            })
            .collect();
        Ok(Layout { name: name.to_string(), title: raw.title.trim().to_string(), titles: raw.translations, areas, columns, rows })
    }

    /// The area named `name` in the layout's own language.
    pub fn area(&self, name: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.name == name)
    }

    /// The layout as shown in `language`: each area's name as the figure's own `labels`
    /// translate it, else as the layout does, else as written; and its title likewise.
    pub fn renamed(&self, language: Language, labels: &BTreeMap<String, String>) -> Layout {
        let in_language = |by: &BTreeMap<String, String>| by.iter().find(|(tag, _)| Language::of(tag) == Some(language)).map(|(_, text)| text.clone());
        let mut layout = self.clone();
        layout.title = if language == Language::English { self.title.clone() } else { in_language(&self.titles).unwrap_or_else(|| self.title.clone()) };
        for area in &mut layout.areas {
            area.shown = labels
                .get(&area.name)
                .cloned()
                .or_else(|| (language != Language::English).then(|| in_language(&area.translations)).flatten())
                .unwrap_or_else(|| area.name.clone());
        }
        layout
    }
}

/// The n-th (0-based) place `needle` stands in `text` as a whole value.
fn nth_place(text: &str, needle: &str, n: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-');
    text.match_indices(needle)
        .filter(|(i, _)| bounded(text[..*i].chars().next_back()) && bounded(text[i + needle.len()..].chars().next()))
        .nth(n)
        .map(|(i, _)| i)
}

/// The layouts a site's figures may name: soapbox's own and the site's, by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Layouts {
    by_name: BTreeMap<String, Arc<Layout>>,
}

impl Default for Layouts {
    fn default() -> Layouts {
        Layouts::built_in()
    }
}

impl Layouts {
    /// soapbox's own layouts. They are checked by this crate's tests, so one that does not
    /// load is a fault of this copy of soapbox, and is left out rather than stopping a build.
    pub fn built_in() -> Layouts {
        static BUILT: std::sync::OnceLock<Layouts> = std::sync::OnceLock::new();
        BUILT.get_or_init(Layouts::read_built_in).clone()
    }

    fn read_built_in() -> Layouts {
        let by_name = BUILT_IN
            .iter()
            .filter_map(|(name, text)| Layout::load(name, Path::new(&format!("(built in) {name}.yaml")), text).ok().map(|l| (name.to_string(), Arc::new(l))))
            .collect();
        Layouts { by_name }
    }

    /// Adds a site's layout, which takes the place of a built-in one of the same name.
    pub fn add(&mut self, layout: Layout) {
        self.by_name.insert(layout.name.clone(), Arc::new(layout));
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Layout>> {
        self.by_name.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.by_name.keys().map(String::as_str)
    }

    /// "did you mean …?" for a name that is no layout.
    pub fn suggest(&self, name: &str) -> String {
        suggestion(name, self.names())
    }
}

/// Whether `rel` (relative to the site root) is a layout file: `content/layouts/NAME.yaml`.
pub fn is_layout(rel: &Path) -> bool {
    rel.parent() == Some(Path::new("content/layouts")) && rel.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn police() -> Layout {
        Layout::load("police-forces-england-wales", Path::new("p.yaml"), BUILT_IN[0].1).unwrap()
    }

    const FORCES: [&str; 43] = [
        "Avon and Somerset",
        "Bedfordshire",
        "Cambridgeshire",
        "Cheshire",
        "City of London",
        "Cleveland",
        "Cumbria",
        "Derbyshire",
        "Devon and Cornwall",
        "Dorset",
        "Durham",
        "Dyfed-Powys",
        "Essex",
        "Gloucestershire",
        "Greater Manchester",
        "Gwent",
        "Hampshire",
        "Hertfordshire",
        "Humberside",
        "Kent",
        "Lancashire",
        "Leicestershire",
        "Lincolnshire",
        "Merseyside",
        "Metropolitan Police",
        "Norfolk",
        "North Wales",
        "North Yorkshire",
        "Northamptonshire",
        "Northumbria",
        "Nottinghamshire",
        "South Wales",
        "South Yorkshire",
        "Staffordshire",
        "Suffolk",
        "Surrey",
        "Sussex",
        "Thames Valley",
        "Warwickshire",
        "West Mercia",
        "West Midlands",
        "West Yorkshire",
        "Wiltshire",
    ];

    #[test]
    fn the_police_layout_has_every_force_once_in_a_cell_of_its_own() {
        let layout = police();
        let mut names: Vec<&str> = layout.areas.iter().map(|a| a.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, FORCES);
        let cells: BTreeSet<(u16, u16)> = layout.areas.iter().map(|a| (a.column, a.row)).collect();
        assert_eq!(cells.len(), 43, "no two forces share a cell");
        assert_eq!(Layouts::built_in().get("police-forces-england-wales").map(|l| l.areas.len()), Some(43));
    }

    #[test]
    fn the_police_layout_keeps_real_neighbours_beside_each_other() {
        let layout = police();
        let cell = |name: &str| layout.area(name).map(|a| (i32::from(a.column), i32::from(a.row))).unwrap_or_else(|| panic!("no {name}"));
        let pairs = [
            ("Durham", "Cleveland"),
            ("Durham", "Northumbria"),
            ("Durham", "Cumbria"),
            ("Durham", "North Yorkshire"),
            ("Dyfed-Powys", "North Wales"),
            ("Dyfed-Powys", "Gwent"),
            ("Dyfed-Powys", "South Wales"),
            ("Dyfed-Powys", "West Mercia"),
            ("Gwent", "South Wales"),
            ("Gwent", "Gloucestershire"),
            ("North Wales", "Cheshire"),
            ("Cumbria", "Lancashire"),
            ("Cumbria", "Northumbria"),
            ("Lancashire", "Merseyside"),
            ("Lancashire", "Greater Manchester"),
            ("Lancashire", "North Yorkshire"),
            ("Lancashire", "West Yorkshire"),
            ("Greater Manchester", "Merseyside"),
            ("Greater Manchester", "Cheshire"),
            ("Greater Manchester", "West Yorkshire"),
            ("Greater Manchester", "Derbyshire"),
            ("Merseyside", "Cheshire"),
            ("West Yorkshire", "South Yorkshire"),
            ("West Yorkshire", "North Yorkshire"),
            ("North Yorkshire", "Cleveland"),
            ("North Yorkshire", "Humberside"),
            ("South Yorkshire", "Humberside"),
            ("South Yorkshire", "Derbyshire"),
            ("South Yorkshire", "Nottinghamshire"),
            ("Humberside", "Lincolnshire"),
            ("Lincolnshire", "Nottinghamshire"),
            ("Lincolnshire", "Leicestershire"),
            ("Lincolnshire", "Norfolk"),
            ("Cheshire", "Staffordshire"),
            ("Cheshire", "West Mercia"),
            ("Derbyshire", "Staffordshire"),
            ("Derbyshire", "Nottinghamshire"),
            ("Staffordshire", "West Midlands"),
            ("Staffordshire", "West Mercia"),
            ("West Mercia", "West Midlands"),
            ("West Mercia", "Gloucestershire"),
            ("Leicestershire", "Nottinghamshire"),
            ("Leicestershire", "Northamptonshire"),
            ("Leicestershire", "Warwickshire"),
            ("Warwickshire", "West Midlands"),
            ("Warwickshire", "Northamptonshire"),
            ("Warwickshire", "Thames Valley"),
            ("Norfolk", "Cambridgeshire"),
            ("Norfolk", "Suffolk"),
            ("Suffolk", "Cambridgeshire"),
            ("Suffolk", "Essex"),
            ("Cambridgeshire", "Hertfordshire"),
            ("Cambridgeshire", "Bedfordshire"),
            ("Cambridgeshire", "Northamptonshire"),
            ("Bedfordshire", "Hertfordshire"),
            ("Bedfordshire", "Thames Valley"),
            ("Hertfordshire", "Essex"),
            ("Hertfordshire", "Metropolitan Police"),
            ("Gloucestershire", "Avon and Somerset"),
            ("Gloucestershire", "Wiltshire"),
            ("Avon and Somerset", "Wiltshire"),
            ("Avon and Somerset", "Devon and Cornwall"),
            ("Avon and Somerset", "Dorset"),
            ("Devon and Cornwall", "Dorset"),
            ("Dorset", "Hampshire"),
            ("Dorset", "Wiltshire"),
            ("Wiltshire", "Hampshire"),
            ("Wiltshire", "Thames Valley"),
            ("Thames Valley", "Hampshire"),
            ("Thames Valley", "Surrey"),
            ("Thames Valley", "Metropolitan Police"),
            ("Hampshire", "Surrey"),
            ("Hampshire", "Sussex"),
            ("Surrey", "Sussex"),
            ("Surrey", "Metropolitan Police"),
            ("Surrey", "Kent"),
            ("Metropolitan Police", "City of London"),
            ("Metropolitan Police", "Kent"),
            ("Kent", "Sussex"),
        ];
        let far: Vec<String> = pairs
            .iter()
            .filter(|(a, b)| {
                let ((ac, ar), (bc, br)) = (cell(a), cell(b));
                (ac - bc).abs() > 1 || (ar - br).abs() > 1
            })
            .map(|(a, b)| format!("{a}–{b}"))
            .collect();
        assert!(far.is_empty(), "not neighbours on the grid: {far:?}");
    }

    #[test]
    fn welsh_names_are_shown_on_welsh_maps() {
        let layout = police().renamed(Language::Welsh, &BTreeMap::new());
        let shown = |name: &str| layout.area(name).unwrap().shown.clone();
        assert_eq!(shown("North Wales"), "Gogledd Cymru");
        assert_eq!(shown("South Wales"), "De Cymru");
        assert_eq!(shown("Dyfed-Powys"), "Dyfed-Powys");
        assert_eq!(shown("Gwent"), "Gwent");
        assert_eq!(layout.title, "ardaloedd heddlu Cymru a Lloegr");
        let english = police().renamed(Language::English, &BTreeMap::new());
        assert_eq!(english.area("North Wales").unwrap().shown, "North Wales");
        let own = police().renamed(Language::Welsh, &BTreeMap::from([("North Wales".to_string(), "Y Gogledd".to_string())]));
        assert_eq!(own.area("North Wales").unwrap().shown, "Y Gogledd", "a figure's own translation comes first");
    }

    #[test]
    fn a_broken_layout_is_refused_at_its_line() {
        let refused = |text: &str| Layout::load("x", Path::new("content/layouts/x.yaml"), text).unwrap_err();
        let e = refused("title: t\nareas:\n  - { name: A, code: A, column: 0, row: 0 }\n  - { name: B, code: B, column: 0, row: 0 }\n");
        assert!(e.message().contains("`B` and `A` both stand at column 0, row 0"), "{}", e.message());
        assert_eq!(e.location().and_then(|l| l.line).map(|l| l.0), Some(4));
        let e = refused("title: t\nareas:\n  - { name: A, code: A, column: 0, row: 0 }\n  - { name: A, code: B, column: 1, row: 0 }\n");
        assert!(e.message().contains("listed twice"), "{}", e.message());
        assert_eq!(e.location().and_then(|l| l.line).map(|l| l.0), Some(4));
        let e = refused("title: t\nareas:\n  - { name: A, code: LONGER, column: 0, row: 0 }\n");
        assert!(e.message().contains("not a short code") && e.hint_text().is_some());
        let e = refused("title: t\nareas:\n  - { name: A, code: A, column: 8, row: 0 }\n");
        assert!(e.message().contains("outside the grid"), "{}", e.message());
        let e = refused("title: t\nareas:\n  - { name: A, code: A, colum: 0, row: 0 }\n");
        assert!(e.hint_text().is_some_and(|h| h.contains("column")), "{:?}", e.hint_text());
        let e = refused("title: t\nareas:\n  - { name: A, code: A, column: 0, row: 0, translations: { xx: B } }\n");
        assert!(e.message().contains("`xx`"), "{}", e.message());
    }
}
