//! Charts that travel: share images, share pages, embeds, data downloads and link-preview tags.

use crate::common::{pages, real_tags, TestSite};
use soapbox::chart::image::{self, Brand, SIZES};
use soapbox::figure::Figure;
use std::collections::BTreeMap;

/// Width, height and iTXt text of a PNG, read from its chunks.
pub(crate) fn png_info(bytes: &[u8]) -> (u32, u32, BTreeMap<String, String>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let (w, h) = (u32::from_be_bytes(bytes[16..20].try_into().unwrap()), u32::from_be_bytes(bytes[20..24].try_into().unwrap()));
    let mut text = BTreeMap::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..at + 8 + len];
        if kind == b"iTXt" {
            // keyword \0 flag method language \0 translated \0 text
            let mut parts = data.splitn(2, |b| *b == 0);
            let key = String::from_utf8(parts.next().unwrap().to_vec()).unwrap();
            let rest = &parts.next().unwrap()[2..];
            let value = rest.splitn(3, |b| *b == 0).nth(2).unwrap();
            text.insert(key, String::from_utf8(value.to_vec()).unwrap());
        }
        at += 12 + len;
    }
    (w, h, text)
}

#[test]
fn every_image_has_its_size_its_context_and_fits_whatsapp() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let files = site.tree();
    let figures = ["platforms-england-wales", "offences-england-wales", "north-east-offences", "north-east-platforms"];
    for id in figures {
        let svg = String::from_utf8(files[&format!("figures/{id}.svg")].clone()).unwrap();
        let title_in_svg = svg.split("-title\">").nth(1).and_then(|s| s.split("</title>").next()).unwrap().replace("&#39;", "'");
        for size in SIZES {
            let path = format!("figures/{id}-{}x{}.png", size.width, size.height);
            let png = files.get(&path).unwrap_or_else(|| panic!("missing {path}"));
            let (w, h, text) = png_info(png);
            assert_eq!((w, h), (size.width, size.height), "{path}");
            assert!(png.len() < 300 * 1024, "{path} is {} bytes", png.len());
            assert_eq!(text["Title"], title_in_svg, "{path}: the PNG and the SVG carry the same title");
            assert!(text["Source"].starts_with("NSPCC"), "{path}");
        }
    }
    let (w, h, _) = png_info(&files["social-card.png"]);
    assert_eq!((w, h), (1200, 630));
}

#[test]
fn png_colours_match_the_svg_bars() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let yaml = std::fs::read_to_string(site.root().join("content/figures/stacked.yaml")).unwrap();
    let figure = Figure::load("stacked", std::path::Path::new("content/figures/stacked.yaml"), &yaml).unwrap();
    let brand = Brand {
        site_title: "Fixture campaign".into(),
        tagline: None,
        address: "fixture.example.org".into(),
        hashtag: Some("Fixture".into()),
        organisation: "Fixture Trust".into(),
        ..Brand::default()
    };
    for size in SIZES {
        let composed = image::compose(&figure, size, &brand).unwrap();
        let placed = composed.chart.expect("the fixture's stacked bar is drawn on every image");
        // The coloured parts of the bars, as the image lays the chart out at this size:
        // <rect x y width height fill> with a palette colour, inside the chart's group.
        let chart = composed.svg.split(") scale(").nth(1).unwrap();
        let mut bars = Vec::new();
        for rect in chart[..chart.find("</g>").unwrap()].split("<rect ").skip(1) {
            let rect = format!(" {}", &rect[..rect.find("/>").unwrap()]);
            let attr = |name: &str| rect.split(&format!(" {name}=\"")).nth(1).map(|s| s[..s.find('"').unwrap()].to_string());
            let num = |name: &str| attr(name).unwrap().parse::<f64>().unwrap();
            if num("height") >= 20.0 && num("width") >= 6.0 {
                // The middle of the bar's top edge: inside the colour, above any value label.
                bars.push((num("x") + num("width") / 2.0, num("y") + 3.0, attr("fill").unwrap()));
            }
        }
        assert!(bars.len() >= 6, "{size:?}: {bars:?}");
        let png = std::fs::read(site.out().join(format!("figures/stacked-{}x{}.png", size.width, size.height))).unwrap();
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        for (x, y, fill) in &bars {
            let (px, py) = ((placed.x + x * placed.scale) as u32, (placed.y + y * placed.scale) as u32);
            let pixel = pixmap.pixel(px, py).unwrap();
            let want = u32::from_str_radix(&fill[1..], 16).unwrap();
            let (r, g, b) = ((want >> 16) as u8, (want >> 8) as u8, want as u8);
            let near = |a: u8, b: u8| a.abs_diff(b) <= 3;
            assert!(near(pixel.red(), r) && near(pixel.green(), g) && near(pixel.blue(), b), "{size:?} at ({px},{py}): {pixel:?} is not {fill}");
        }
    }
}

/// The `content` of `<meta property|name=KEY>` in minified HTML.
fn meta(html: &str, key: &str) -> Option<String> {
    let head = &html[..html.find("</head>")?];
    for tag in head.split("<meta ").skip(1) {
        let tag = &tag[..tag.find('>')?];
        if tag.contains(&format!("property={key} "))
            || tag.ends_with(&format!("property={key}"))
            || tag.contains(&format!("name={key} "))
            || tag.ends_with(&format!("name={key}"))
        {
            let value = tag.split("content=").nth(1)?;
            let value = if let Some(quoted) = value.strip_prefix('"') { &quoted[..quoted.find('"')?] } else { value.split(' ').next()? };
            return Some(value.replace("&amp;", "&"));
        }
    }
    None
}

#[test]
fn every_page_has_the_full_preview_tag_set_under_base_url() {
    let site = TestSite::fixture("default");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    let base_line = config.lines().find(|l| l.starts_with("base_url:")).unwrap().to_string();
    site.write("content/site.yaml", &config.replace(&base_line, "base_url: https://campaigns.example.net/wild-west/"));
    site.build_ok();
    let files = site.tree();
    let html_pages: Vec<_> = pages(&files).into_iter().filter(|(p, _)| !p.ends_with("/embed/index.html")).collect();
    assert!(html_pages.len() >= 11);
    for (path, html) in html_pages {
        for key in [
            "og:title",
            "og:description",
            "og:url",
            "og:site_name",
            "og:locale",
            "og:image",
            "og:image:width",
            "og:image:height",
            "og:image:type",
            "og:image:alt",
            "twitter:card",
            "twitter:image:alt",
        ] {
            assert!(meta(&html, key).is_some_and(|v| !v.is_empty()), "{path}: no {key}");
        }
        assert_eq!(meta(&html, "twitter:card").unwrap(), "summary_large_image", "{path}");
        assert_eq!(meta(&html, "og:locale").unwrap(), if path.starts_with("cy/") { "cy" } else { "en_GB" }, "{path}");
        let url = meta(&html, "og:url").unwrap();
        assert_eq!(url, format!("https://campaigns.example.net/wild-west/{}", path.trim_end_matches("index.html")), "{path}");
        let image = meta(&html, "og:image").unwrap();
        let file = image.strip_prefix("https://campaigns.example.net/wild-west/").unwrap_or_else(|| panic!("{path}: {image}"));
        assert!(files.contains_key(file), "{path}: og:image {image} is not in the output");
        assert_eq!((meta(&html, "og:image:width").unwrap().as_str(), meta(&html, "og:image:height").unwrap().as_str()), ("1200", "630"));
    }
    let evidence = site.read("evidence/index.html");
    assert!(meta(&evidence, "og:image").unwrap().ends_with("figures/offences-england-wales-1200x630.png"), "the first chart on the page");
    let news = site.read("news/index.html");
    assert!(meta(&news, "og:image").unwrap().ends_with("social-card.png"), "pages without a chart use the site card");
    let share = site.read("figures/north-east-platforms/index.html");
    assert!(meta(&share, "og:image").unwrap().ends_with("figures/north-east-platforms-1200x630.png"));
    assert!(meta(&share, "og:image:alt").unwrap().contains("Cleveland, 62 in all"), "the generated description");
}

#[test]
fn front_matter_image_chooses_the_preview_and_unknown_ones_fail() {
    let site = TestSite::fixture("kinds");
    site.write("content/about.md", "---\ntitle: About\nimage: donut\n---\nNo chart here.\n");
    site.build_ok();
    assert!(meta(&site.read("about/index.html"), "og:image").unwrap().ends_with("figures/donut-1200x630.png"));
    site.write("content/about.md", "---\ntitle: About\nimage: donnut\n---\n");
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("there is no figure `donnut`") && run.stderr.contains("did you mean `donut`?"), "{}", run.stderr);
}

#[test]
fn share_pages_offer_the_chart_data_downloads_links_and_embed_code() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let files = site.tree();
    let page = site.read("figures/north-east-platforms/index.html");
    assert!(page.contains("<details class=chart-data open>"), "the data table is open on the share page");
    assert!(page.contains("<caption>") && page.contains("<th scope=col>Facebook</th>") && page.contains("<th scope=row>Cleveland</th>"));
    assert!(page.contains("Stacked bar chart of Facebook"), "the generated description");
    for (tag, attrs) in real_tags(&page) {
        if tag == "a" {
            assert!(!attrs.iter().any(|a| a == "target" || a == "onclick"), "plain links only");
        }
    }
    for download in [
        "north-east-platforms.svg",
        "north-east-platforms-1200x630.png",
        "north-east-platforms-1080x1080.png",
        "north-east-platforms-1080x1350.png",
        "north-east-platforms.csv",
    ] {
        assert!(page.contains(&format!("/figures/{download}")), "a link to {download}");
        assert!(files.contains_key(&format!("figures/{download}")));
    }
    let encoded_url = "https%3A%2F%2Fwildwestweb.example.org%2Ffigures%2Fnorth-east-platforms%2F";
    for share in [
        "https://x.com/intent/tweet?text=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://www.linkedin.com/sharing/share-offsite/?url=",
        "https://wa.me/?text=",
        "https://bsky.app/intent/compose?text=",
        "mailto:?subject=",
    ] {
        let at = page.find(share).unwrap_or_else(|| panic!("no {share} link"));
        let href = &page[at..at + page[at..].find(['"', ' ', '>']).unwrap()];
        assert!(href.contains(encoded_url), "{href}: the share page's address");
        assert!(!href.contains("utm_"), "{href}: no tracking parameters");
        if !href.contains("facebook.com") && !href.contains("linkedin.com") {
            assert!(href.contains("%23WildWestWeb"), "{href}: the hashtag");
            assert!(href.contains("Facebook%20was%20the%20most-recorded"), "{href}: the title");
        }
    }
    assert!(
        page.contains("readonly rows=4><iframe src=\"https://wildwestweb.example.org/figures/north-east-platforms/embed/\""),
        "the embed snippet, as text to copy"
    );
    let button = real_tags(&page).into_iter().find(|(t, _)| t == "button").expect("a share-image button");
    assert!(button.1.contains(&"hidden".to_string()), "the share-image button is hidden until script shows it");

    let evidence = site.read("evidence/index.html");
    assert_eq!(evidence.matches("<details class=chart-data>").count(), 4, "a closed data table under every chart");
    assert_eq!(evidence.matches("https://bsky.app/intent/compose").count(), 4, "share links under every chart");
}

#[test]
fn embed_pages_are_bare_and_link_back() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let embed = site.read("figures/platforms-england-wales/embed/index.html");
    let tags: Vec<String> = real_tags(&embed).into_iter().map(|(t, _)| t).collect();
    for chrome in ["header", "nav", "footer"] {
        assert!(!tags.contains(&chrome.to_string()), "no site {chrome} in an embed");
    }
    assert_eq!(tags.iter().filter(|t| *t == "svg").count(), soapbox::chart::BANDS.len(), "one chart, a layout per width band");
    assert!(embed.contains("Source: NSPCC"));
    assert!(embed.contains("href=https://wildwestweb.example.org/figures/platforms-england-wales/ target=_top"));
}

#[test]
fn the_press_pack_lists_every_figure_with_image_and_downloads() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let pack = site.read("figures/index.html");
    let ids = ["platforms-england-wales", "offences-england-wales", "north-east-offences", "north-east-platforms", "facebook-owned", "north-east-map"];
    for id in ids {
        assert!(pack.contains(&format!("href=/figures/{id}/>")), "{id}: share page");
        assert!(pack.contains(&format!("src=/figures/{id}-1200x630.png")), "{id}: image");
        assert!(pack.contains(&format!("href=/figures/{id}.csv")), "{id}: data");
    }
    let imgs: Vec<Vec<String>> = real_tags(&pack).into_iter().filter(|(t, _)| t == "img").map(|(_, a)| a).collect();
    assert_eq!(imgs.len(), ids.len());
    for attrs in imgs {
        for needed in ["width", "height", "alt", "loading"] {
            assert!(attrs.contains(&needed.to_string()), "{attrs:?} lacks {needed}");
        }
    }
    assert!(site.read("index.html").contains("href=/figures/>Figures and downloads</a>"), "linked from every page");
}

#[test]
fn csv_downloads_are_rfc_4180_with_gaps_left_empty() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let csv = site.read("figures/north-east-platforms.csv");
    assert_eq!(
        csv,
        "\u{feff}Label,Facebook,Instagram,Snapchat,WhatsApp,Kik,Phone calls,Not recorded,Total\r\nCleveland,22,11,7,1,,3,18,62\r\nDurham,21,20,6,1,2,,42,92\r\nNorthumbria,6,1,4,,,,8,19\r\n"
    );
}

#[test]
fn welsh_text_draws_and_missing_glyphs_are_refused() {
    let site = TestSite::fixture("kinds");
    site.write("content/figures/cymraeg.yaml", "title: \"Ŵyn a ŷd: â ê î ô û ŵ ŷ\"\nsource: Ystadegau Cymru\nchart: bar\nunit: count\ndata:\n  - { label: \"Gŵyl\", value: 3 }\n  - { label: \"Tŷ\", value: 5 }\n");
    site.build_ok();
    assert!(site.read("figures/cymraeg.svg").contains("Gŵyl"));
    site.write("content/figures/emoji.yaml", "title: \"Reports 📈\"\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: a, value: 3 }\n");
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("the chart font cannot draw `📈`") && run.stderr.contains("content/figures/emoji.yaml"), "{}", run.stderr);
}

#[test]
fn link_preview_text_is_at_least_29_px_for_every_default_figure() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = soapbox::load::load(root).unwrap();
    let brand = soapbox::render::brand(&site);
    for figure in site.figures.values() {
        let composed = image::compose(figure, SIZES[0], &brand).unwrap();
        let least = image::min_text(SIZES[0]) - 0.01;
        // A chart too dense to read at this size is left out, and the preview is its finding.
        let scale = composed.chart.map_or(1.0, |chart| chart.scale);
        if let Some(at) = composed.chart {
            // The chart's own group (a logo may be scaled too, before it).
            let group = format!("translate({:.2} {:.2}) scale(", at.x, at.y);
            let chart = composed.svg.split(group.as_str()).nth(1).unwrap();
            let chart_text = image::smallest_font(&chart[..chart.find("</g>").unwrap()]) * scale;
            assert!(chart_text >= least, "{}: chart text is {chart_text:.1} px", figure.id);
        } else {
            assert!(!composed.svg.contains("scale("), "{}", figure.id);
        }
        for size in composed.svg.split("font-size=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse::<f64>().unwrap()) {
            // Sizes inside the nested chart are in chart units; scaled, they are chart_text or more.
            assert!(size >= least || size * scale >= least, "{}: {size}", figure.id);
        }
    }
}

/// Issue 19: a figure's period and dates travel with it: on the chart's footer, the share and
/// embed pages, every share image (drawn, and in its metadata), and a CSV-on-the-Web metadata
/// file beside the CSV, which stays plain.
#[test]
fn the_dates_of_the_data_travel_with_the_chart() {
    let site = TestSite::fixture("default");
    let path = site.root().join("content/figures/north-east-offences.yaml");
    let yaml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("published: 2018\n", "period: { from: 2017-04, to: 2018-01 }\npublished: 2018-04-03\nupdated: 2018-05-01\n");
    site.write("content/figures/north-east-offences.yaml", &yaml);
    site.build_ok();
    let words = "Data for April 2017 to January 2018; published 3 April 2018, updated 1 May 2018.";
    for page in ["figures/north-east-offences/index.html", "figures/north-east-offences/embed/index.html", "evidence/index.html"] {
        assert!(site.read(page).contains(words), "{page} does not say how old the data is");
    }
    for size in ["1200x630", "1080x1080", "1080x1350"] {
        let png = site.tree()[&format!("figures/north-east-offences-{size}.png")].clone();
        let (_, _, text) = png_info(&png);
        assert_eq!(text.get("Comment").map(String::as_str), Some(words), "{size}");
    }
    let meta = site.read("figures/north-east-offences.csv-metadata.json");
    for expected in [
        r#""@context": "http://www.w3.org/ns/csvw""#,
        r#""url": "north-east-offences.csv""#,
        r#""dc:temporal": "2017-04/2018-01""#,
        r#""dc:issued": "2018-04-03""#,
        r#""dc:modified": "2018-05-01""#,
        r#""titles": "Number""#,
    ] {
        assert!(meta.contains(expected), "no {expected} in\n{meta}");
    }
    let csv = site.read("figures/north-east-offences.csv");
    assert!(!csv.contains("2017") && csv.starts_with("\u{feff}Label,Number\r\n"), "the CSV stays plain: {csv:?}");
    assert!(site.read("figures/north-east-offences/index.html").contains("north-east-offences.csv-metadata.json"), "the share page links it");
    // The URL plan knows the file: a page may link to it and `check` accepts the link.
    site.write("content/meta.md", "---\ntitle: Meta\n---\n[About the data](/figures/north-east-offences.csv-metadata.json)\n");
    site.build_ok();
}

/// The default site's figures and the fixture with every chart kind, as the build loads them.
fn every_kind_of_figure() -> Vec<Figure> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut figures = Vec::new();
    for dir in ["content/figures", "tests/fixtures/kinds/content/figures"] {
        let mut files: Vec<_> = std::fs::read_dir(repo.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for path in files {
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            figures.push(Figure::load(&id, &path, &std::fs::read_to_string(&path).unwrap()).unwrap());
        }
    }
    figures
}

/// The default site's brand: its ink background, white text and pink accent.
fn branded() -> Brand {
    let look = soapbox::brand::Look {
        background: soapbox::colour::Colour::parse("#0b1f3a").unwrap(),
        text: soapbox::colour::Colour::WHITE,
        accent: Some(soapbox::colour::Colour::parse("#ff8a98").unwrap()),
        logo: None,
        logo_at: None,
    };
    Brand {
        site_title: "#WildWestWeb".into(),
        address: "wildwestweb.example.org".into(),
        hashtag: Some("WildWestWeb".into()),
        organisation: "NSPCC".into(),
        look,
        ..Brand::default()
    }
}

/// The longest run of rows, between the first and last row that shows anything, where every
/// pixel is the background or the chart's white panel.
/// Rows inside the plot of a line or column chart count as full: the space between its lines
/// is the data's shape, not the layout's.
fn longest_empty_band(png: &[u8], chart: Option<image::Placement>, kind: soapbox::figure::ChartKind) -> (u32, u32) {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).unwrap();
    let background = pixmap.pixel(0, 0).unwrap();
    let blank = |p: resvg::tiny_skia::PremultipliedColorU8| p == background || (p.red(), p.green(), p.blue()) == (255, 255, 255);
    let plotted = |y: u32| {
        use soapbox::figure::ChartKind::{Column, Line};
        chart.filter(|_| matches!(kind, Line | Column)).is_some_and(|c| f64::from(y) >= c.y && f64::from(y) <= c.y + c.height * c.scale)
    };
    let empty: Vec<bool> = (0..pixmap.height()).map(|y| !plotted(y) && (0..pixmap.width()).all(|x| blank(pixmap.pixel(x, y).unwrap()))).collect();
    let first = empty.iter().position(|e| !e).unwrap() as u32;
    let last = empty.iter().rposition(|e| !e).unwrap() as u32;
    let (mut longest, mut at, mut run) = (0, 0, 0);
    for y in first..=last {
        run = if empty[y as usize] { run + 1 } else { 0 };
        if run > longest {
            (longest, at) = (run, y + 1 - run);
        }
    }
    (longest, at)
}

#[test]
fn no_share_image_has_an_empty_band_between_its_header_and_footer() {
    // Every kind, the fixture's two-bar chart among them, on the default site's brand. (On a
    // white background the chart's panel is not drawn, so its padding would count as gaps.)
    // The gaps between blocks are at most 44 px, and a line of text brings its own leading:
    // up to 90 px is a gap between blocks, where the images before this test had bands of
    // 130–180.
    for brand in [branded()] {
        for figure in every_kind_of_figure() {
            for size in SIZES {
                let composed = image::compose(&figure, size, &brand).unwrap();
                let png = image::rasterize(&composed.svg, &[]).unwrap();
                let (band, at) = longest_empty_band(&png, composed.chart, figure.kind);
                assert!(band <= 90, "{} at {}x{}: {band} empty rows from row {at}", figure.file.display(), size.width, size.height);
            }
        }
    }
}

#[test]
fn every_text_is_12_px_or_more_when_an_image_is_shown_500_px_wide() {
    for figure in every_kind_of_figure() {
        for size in SIZES {
            let composed = image::compose(&figure, size, &branded()).unwrap();
            let svg = composed.svg;
            let least = 12.0 * f64::from(size.width) / 500.0;
            let sizes = |text: &str| text.split("font-size=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse::<f64>().unwrap()).collect::<Vec<_>>();
            // Text of the image itself, then the chart's text times the scale it is drawn at.
            let shown: Vec<f64> = match composed.chart {
                // A chart too dense for a link preview makes way for its finding.
                None => {
                    assert!(size.width > size.height && !svg.contains(" scale("), "{}: only a link preview drops its chart", figure.file.display());
                    sizes(&svg)
                }
                Some(_) => {
                    let (outside, chart) = svg.split_once("scale(").unwrap();
                    let (scale, chart) = chart.split_once(')').unwrap();
                    let (chart, after) = chart.split_once("</g>").unwrap();
                    let scale: f64 = scale.parse().unwrap();
                    let mut shown: Vec<f64> = sizes(outside).into_iter().chain(sizes(after)).collect();
                    let in_chart = sizes(chart);
                    assert!(!in_chart.is_empty(), "{}: the chart has labels", figure.file.display());
                    shown.extend(in_chart.iter().map(|px| px * scale));
                    shown
                }
            };
            assert!(shown.len() >= 3, "title, source and address");
            for px in shown {
                assert!(
                    px >= least - 0.01,
                    "{} at {}x{}: text of {px:.1} px is {:.1} px at 500 px wide",
                    figure.file.display(),
                    size.width,
                    size.height,
                    px * 500.0 / f64::from(size.width)
                );
            }
        }
    }
}

#[test]
fn the_donut_headlines_its_value_beside_the_title_and_draws_true_arcs() {
    let figure = every_kind_of_figure().into_iter().find(|f| f.id == "platforms-england-wales").unwrap();
    assert_eq!(figure.headline.as_deref(), Some("facebook_owned"));
    for size in SIZES {
        let svg = image::compose(&figure, size, &branded()).unwrap().svg;
        let at = svg.find(">52%</text>").unwrap_or_else(|| panic!("{size:?} lacks 52%"));
        let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
        let px: f64 = tag.split("font-size=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!(px >= 96.0, "{size:?}: the headline is {px} px");
        assert!(tag.contains("fill=\"#ff8a98\""), "in the accent: {tag}");
        assert!(!svg.contains("<polygon") && svg.matches(" 0 0 1 ").count() + svg.matches(" 0 1 1 ").count() >= 3, "{size:?}: arcs");
    }
}

#[test]
fn the_brand_background_and_logo_are_drawn_on_every_image() {
    let site = TestSite::fixture("default");
    // A PNG logo of one colour, to find in the images.
    let mut red = resvg::tiny_skia::Pixmap::new(16, 16).unwrap();
    red.fill(resvg::tiny_skia::Color::from_rgba8(0, 200, 0, 255));
    std::fs::write(site.root().join("static/logo.png"), red.encode_png().unwrap()).unwrap();
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write("content/site.yaml", &config.replace("logo: favicon.svg", "logo: logo.png"));
    site.build_ok();
    let files = site.tree();
    for size in SIZES {
        let png = &files[&format!("figures/offences-england-wales-{}x{}.png", size.width, size.height)];
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).unwrap();
        let corner = pixmap.pixel(2, size.height - 2).unwrap();
        assert_eq!((corner.red(), corner.green(), corner.blue()), (0x0b, 0x1f, 0x3a), "{size:?}: the brand background");
        let logo = (0..pixmap.width()).flat_map(|x| (0..pixmap.height()).map(move |y| (x, y))).filter(|(x, y)| {
            let p = pixmap.pixel(*x, *y).unwrap();
            (p.red(), p.green(), p.blue()) == (0, 200, 0)
        });
        assert!(logo.count() >= 60 * 60, "{size:?}: the logo is drawn in its square");
    }
    let card = resvg::tiny_skia::Pixmap::decode_png(&files["social-card.png"]).unwrap();
    assert_eq!(card.pixel(1, 1).map(|p| (p.red(), p.green(), p.blue())), Some((0x0b, 0x1f, 0x3a)));
}

#[test]
fn brand_colours_and_logos_are_refused_with_file_and_line() {
    let site = TestSite::fixture("default");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (from, to, needle, words) in [
        ("background: \"#0b1f3a\"", "background: \"#0b1f3\"", "background:", "six hex digits"),
        ("text: \"#ffffff\"", "text: \"#2a3f5f\"", "text:", "contrast of"),
        ("accent: \"#ff8a98\"", "accent: \"#c8102e\"", "accent:", "at least 3:1"),
        ("logo: favicon.svg", "logo: missing.png", "logo:", "no logo `static/missing.png`"),
        ("logo: favicon.svg", "logo: logo.gif", "logo:", "PNG or SVG"),
    ] {
        let text = config.replace(from, to);
        site.write("content/site.yaml", &text);
        let run = site.build(&[]);
        assert!(!run.ok, "{to} was accepted");
        let at = format!("content/site.yaml:{}:", line_of(&text, needle));
        assert!(run.stderr.contains(words) && run.stderr.contains(&at), "{to}: wanted {words} at {at}:\n{}", run.stderr);
    }
}

#[test]
fn lettering_set_as_text_in_a_logo_or_an_icon_is_refused_with_a_hint() {
    let site = TestSite::fixture("default");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    let lettered = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><text x="4" y="40" font-size="30">WW</text></svg>"#;
    site.write("static/lettered.svg", lettered);
    site.write("content/site.yaml", &config.replace("logo: favicon.svg", "logo: lettered.svg"));
    let run = site.build(&[]);
    let line = config.lines().position(|l| l.contains("logo:")).unwrap() + 1;
    assert!(!run.ok && run.stderr.contains("`static/lettered.svg` sets its lettering as text"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("content/site.yaml:{line}:")) && run.stderr.contains("Object to Path"), "{}", run.stderr);
    // The icons are drawn from static/favicon.svg, with or without a logo.
    site.write("content/site.yaml", &config.replace("logo: favicon.svg", ""));
    site.write("static/favicon.svg", lettered);
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("could not draw the icon from static/favicon.svg: it sets its lettering as text"), "{}", run.stderr);
}

#[test]
fn a_headline_must_name_one_of_the_figures_values() {
    let site = TestSite::fixture("default");
    let path = "content/figures/platforms-england-wales.yaml";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap().replace("headline: facebook_owned", "headline: facebook_own");
    site.write(path, &text);
    let run = site.build(&[]);
    let line = text.lines().position(|l| l.starts_with("headline:")).unwrap() + 1;
    assert!(!run.ok && run.stderr.contains("`headline` names `facebook_own`") && run.stderr.contains(&format!("{path}:{line}:")), "{}", run.stderr);
    assert!(run.stderr.contains("facebook_owned"), "the hint names the value meant: {}", run.stderr);
}
