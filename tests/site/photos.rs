//! Photos as readers get them: resized, in WebP with a JPEG fallback, offered with `srcset`,
//! and carrying nothing of what the camera wrote (GPS position, serial number, time, thumbnail,
//! XMP, IPTC), the right way up; static photos written again clean; a photo as a page's link
//! preview in each language; and the errors a campaigner meets with a photo.
//!
//! The photos are made by the tests, with their metadata written byte by byte, and the
//! fixture's pages (`tests/fixtures/photos`) show them.

use crate::common::TestSite;
use std::collections::BTreeMap;

/// The serial number and photographer the source photos carry: no output may.
const SERIAL: &str = "SN-48151623";
const PHOTOGRAPHER: &str = "Secret Photographer";

/// One IFD entry of a TIFF: tag, type, count and value bytes (little-endian).
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

fn ascii(tag: u16, text: &str) -> Entry {
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    Entry { tag, kind: 2, count: data.len() as u32, data }
}

fn short(tag: u16, value: u16) -> Entry {
    Entry { tag, kind: 3, count: 1, data: value.to_le_bytes().to_vec() }
}

fn long(tag: u16, value: u32) -> Entry {
    Entry { tag, kind: 4, count: 1, data: value.to_le_bytes().to_vec() }
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let data = values.iter().flat_map(|(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes())).collect();
    Entry { tag, kind: 5, count: values.len() as u32, data }
}

/// The bytes an IFD of `entries` takes, with the values that do not fit in an entry.
fn ifd_size(entries: &[Entry]) -> usize {
    2 + 12 * entries.len() + 4 + entries.iter().map(|e| if e.data.len() > 4 { (e.data.len() + 1) & !1 } else { 0 }).sum::<usize>()
}

/// Writes an IFD at the end of `tiff` (which starts at the TIFF header), then `next`.
fn write_ifd(tiff: &mut Vec<u8>, entries: &[Entry], next: u32) {
    let mut data_at = tiff.len() + 2 + 12 * entries.len() + 4;
    let mut data = Vec::new();
    tiff.extend((entries.len() as u16).to_le_bytes());
    for e in entries {
        tiff.extend(e.tag.to_le_bytes());
        tiff.extend(e.kind.to_le_bytes());
        tiff.extend(e.count.to_le_bytes());
        if e.data.len() <= 4 {
            let mut value = e.data.clone();
            value.resize(4, 0);
            tiff.extend(value);
        } else {
            tiff.extend((data_at as u32).to_le_bytes());
            data.extend(&e.data);
            if data.len() % 2 == 1 {
                data.push(0);
            }
            data_at += (e.data.len() + 1) & !1;
        }
    }
    tiff.extend(next.to_le_bytes());
    tiff.extend(data);
}

/// EXIF as a phone writes it: make, model, orientation, the time, a serial number, the GPS
/// position, and a thumbnail of the photo (IFD1).
fn exif(orientation: u16, thumbnail: &[u8]) -> Vec<u8> {
    let ifd0 = |exif_at: u32, gps_at: u32| {
        vec![ascii(0x010F, "PhoneMaker"), ascii(0x0110, "Phone 12 Pro"), short(0x0112, orientation), long(0x8769, exif_at), long(0x8825, gps_at)]
    };
    let exif_ifd = vec![ascii(0x9003, "2026:11:30 10:15:00"), ascii(0xA431, SERIAL)];
    let gps =
        vec![ascii(0x0001, "N"), rationals(0x0002, &[(51, 1), (30, 1), (2659, 100)]), ascii(0x0003, "W"), rationals(0x0004, &[(0, 1), (7, 1), (3966, 100)])];
    let ifd1 = |thumb_at: u32| vec![short(0x0103, 6), long(0x0201, thumb_at), long(0x0202, thumbnail.len() as u32)];
    let exif_at = 8 + ifd_size(&ifd0(0, 0));
    let gps_at = exif_at + ifd_size(&exif_ifd);
    let ifd1_at = gps_at + ifd_size(&gps);
    let thumb_at = ifd1_at + ifd_size(&ifd1(0));
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    write_ifd(&mut tiff, &ifd0(exif_at as u32, gps_at as u32), ifd1_at as u32);
    assert_eq!(tiff.len(), exif_at);
    write_ifd(&mut tiff, &exif_ifd, 0);
    write_ifd(&mut tiff, &gps, 0);
    write_ifd(&mut tiff, &ifd1(thumb_at as u32), 0);
    assert_eq!(tiff.len(), thumb_at);
    tiff.extend(thumbnail);
    tiff
}

/// A JPEG segment: marker, length, payload.
fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out
}

/// A `w` × `h` JPEG, blue in its top-left corner and orange elsewhere, as a camera saves it:
/// with EXIF (GPS, serial number, orientation, thumbnail), XMP, IPTC and a comment.
pub fn camera_jpeg(w: u16, h: u16, orientation: u16) -> Vec<u8> {
    let pixels = |w: u16, h: u16| -> Vec<u8> {
        (0..u32::from(h))
            .flat_map(|y| (0..u32::from(w)).map(move |x| (x, y)))
            .flat_map(|(x, y)| if x < u32::from(w) / 4 && y < u32::from(h) / 4 { [20, 40, 220] } else { [230, 140, 40] })
            .collect()
    };
    let encode = |w: u16, h: u16| {
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 90).encode(&pixels(w, h), w, h, jpeg_encoder::ColorType::Rgb).unwrap();
        out
    };
    let thumbnail = encode(64, 48);
    let photo = encode(w, h);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(exif(orientation, &thumbnail));
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" exif:GPSLatitude=\"51,30.44N\" exif:GPSLongitude=\"0,7.66W\"><dc:creator>{PHOTOGRAPHER}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    );
    let mut iptc = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    let mut record = vec![0x1C, 0x02, 0x50];
    record.extend((PHOTOGRAPHER.len() as u16).to_be_bytes());
    record.extend(PHOTOGRAPHER.as_bytes());
    iptc.extend((record.len() as u32).to_be_bytes());
    iptc.extend(&record);
    let mut out = photo[..2].to_vec();
    out.extend(segment(0xE1, &app1));
    out.extend(segment(0xE1, xmp.as_bytes()));
    out.extend(segment(0xED, &iptc));
    out.extend(segment(0xFE, format!("camera {SERIAL}").as_bytes()));
    out.extend(&photo[2..]);
    out
}

/// A PNG with text, EXIF and XMP chunks.
fn png_with_metadata(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().unwrap();
        let pixels: Vec<u8> = (0..w * h).flat_map(|i| [(i % 200) as u8, 90, 160]).collect();
        writer.write_image_data(&pixels).unwrap();
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend(kind);
        c.extend(data);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        c.extend(crc.finalize().to_be_bytes());
        c
    };
    // After the signature and IHDR (8 + 25 bytes).
    let mut with = out[..33].to_vec();
    with.extend(chunk(b"tEXt", format!("Author\0{PHOTOGRAPHER}").as_bytes()));
    with.extend(chunk(b"eXIf", &exif(1, b"")));
    with.extend(chunk(b"iTXt", format!("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>{SERIAL}</x:xmpmeta>").as_bytes()));
    with.extend(&out[33..]);
    with
}

/// The JPEG markers of `bytes`, up to the image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], [0xFF, 0xD8], "a JPEG");
    let (mut markers, mut at) = (Vec::new(), 2);
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        at += 2 + usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
    }
    markers
}

/// The chunk names of a RIFF WebP.
fn webp_chunks(bytes: &[u8]) -> Vec<String> {
    assert_eq!((&bytes[..4], &bytes[8..12]), (&b"RIFF"[..], &b"WEBP"[..]), "a WebP");
    let (mut chunks, mut at) = (Vec::new(), 12);
    while at + 8 <= bytes.len() {
        chunks.push(String::from_utf8_lossy(&bytes[at..at + 4]).into_owned());
        let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        at += 8 + len + (len & 1);
    }
    chunks
}

/// Asserts that `bytes` carries nothing of the camera's metadata.
fn assert_clean(path: &str, bytes: &[u8]) {
    let reader = exif::Reader::new();
    assert!(reader.read_from_container(&mut std::io::Cursor::new(bytes)).is_err(), "{path} carries EXIF");
    for needle in [SERIAL.as_bytes(), PHOTOGRAPHER.as_bytes(), b"GPS", b"xmpmeta", b"Photoshop", b"Exif"] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{path} carries `{}`", String::from_utf8_lossy(needle));
    }
    if path.ends_with(".jpg") {
        let markers = jpeg_markers(bytes);
        assert!(!markers.iter().any(|m| matches!(m, 0xE1..=0xEF | 0xFE)), "{path} has metadata segments: {markers:02x?}");
    } else if path.ends_with(".webp") {
        let chunks = webp_chunks(bytes);
        assert!(chunks.iter().all(|c| ["VP8 ", "VP8L", "VP8X", "ALPH"].contains(&c.as_str())), "{path}: {chunks:?}");
    }
}

/// The photo fixture with its photos: `march.jpg` (stored 2000 × 1200, shown upright as 1200
/// × 2000), `hand-in.jpg`, a decorative `border.png` and the static `photos/team.png`.
fn photo_site() -> TestSite {
    let site = TestSite::fixture("photos");
    let put = |rel: &str, bytes: &[u8]| {
        let path = site.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    put("content/march.jpg", &camera_jpeg(2000, 1200, 6));
    put("content/news/hand-in.jpg", &camera_jpeg(900, 600, 1));
    put("content/border.png", &png_with_metadata(600, 40));
    put("static/photos/team.png", &png_with_metadata(320, 200));
    site
}

/// The `srcset` of `format` in the picture of `html` whose `<img>` has `alt`.
fn srcset(html: &str, format: &str) -> Vec<(String, u32)> {
    let picture = html.split("<picture>").nth(1).and_then(|p| p.split("</picture>").next()).expect("a picture");
    let part = if format == "webp" { picture.split("<img").next().unwrap() } else { picture.split("<img").nth(1).unwrap() };
    let set = part.split("srcset=\"").nth(1).unwrap().split('"').next().unwrap();
    set.split(", ").map(|c| c.split_once(' ').map(|(u, w)| (u.to_string(), w.trim_end_matches('w').parse().unwrap())).unwrap()).collect()
}

/// The attributes of each `<img>` in minified HTML, where values lose their quotes when they can
/// and an empty value is written as the bare name.
fn images(html: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    html.split("<img ")
        .skip(1)
        .map(|tag| {
            let mut rest = &tag[..tag.find('>').expect("a closed tag")];
            let mut attributes = std::collections::BTreeMap::new();
            while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
                rest = &rest[start..];
                let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
                let name = rest[..name_end].to_string();
                rest = &rest[name_end..];
                let value = if let Some(after) = rest.strip_prefix('=') {
                    let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
                        let end = quoted.find('"').expect("a closed quote");
                        (&quoted[..end], &quoted[end + 1..])
                    } else {
                        let end = after.find(char::is_whitespace).unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    };
                    rest = next;
                    value.to_string()
                } else {
                    String::new()
                };
                attributes.insert(name, value);
            }
            attributes
        })
        .collect()
}

#[test]
fn the_fixtures_photo_carries_what_a_camera_writes() {
    let jpeg = camera_jpeg(400, 240, 6);
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&jpeg)).expect("the fixture has EXIF");
    for tag in [exif::Tag::GPSLatitude, exif::Tag::GPSLongitude, exif::Tag::Orientation, exif::Tag::BodySerialNumber] {
        assert!(exif.get_field(tag, exif::In::PRIMARY).is_some(), "{tag}");
    }
    assert!(exif.get_field(exif::Tag::JPEGInterchangeFormat, exif::In::THUMBNAIL).is_some(), "a thumbnail");
    assert!(jpeg_markers(&jpeg).contains(&0xED), "IPTC");
    let png = png_with_metadata(10, 10);
    assert!(exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&png)).is_ok(), "the PNG has EXIF");
}

#[test]
fn photos_are_resized_upright_offered_with_srcset_and_carry_no_metadata() {
    let site = photo_site();
    site.build_ok();
    let files = site.tree();
    let home = site.read("index.html");
    // Upright: stored 2000 × 1200 with orientation 6, shown 1200 × 2000; never upscaled.
    let webp = srcset(&home, "webp");
    assert_eq!(webp.iter().map(|(_, w)| *w).collect::<Vec<_>>(), [480, 800, 1200], "{home}");
    let imgs = images(&home);
    let (march, border) = (&imgs[0], &imgs[1]);
    assert_eq!((march["width"].as_str(), march["height"].as_str()), ("1200", "2000"), "{home}");
    assert_eq!(march["alt"], "A march of campaigners with banners, seen from the front");
    assert_eq!(march.get("fetchpriority").map(String::as_str), Some("high"), "the first photo loads at once: {home}");
    assert!(!march.contains_key("loading"), "the first photo is not lazy: {home}");
    assert_eq!(
        (border["alt"].as_str(), border.get("loading").map(String::as_str)),
        ("", Some("lazy")),
        "the decorative photo, below a heading, loads lazily: {home}"
    );
    let jpeg = srcset(&home, "jpg");
    for (url, width) in webp.iter().chain(&jpeg) {
        let path = url.strip_prefix("/camp/").expect("under the base path");
        let bytes = files.get(path).unwrap_or_else(|| panic!("{path} is written"));
        assert_clean(path, bytes);
        let decoded = image::load_from_memory(bytes).unwrap().to_rgb8();
        assert_eq!(decoded.width(), *width, "{path}");
        assert_eq!(decoded.height(), width * 2000 / 1200, "{path}");
        // Orientation 6 turns the stored top-left corner to the top right.
        let top_right = decoded.get_pixel(decoded.width() - 3, 3);
        let top_left = decoded.get_pixel(3, 3);
        assert!(top_right[2] > 150 && top_right[0] < 100, "{path}: the blue corner is at the top right, not {top_right:?}");
        assert!(top_left[0] > 150, "{path}: orange at the top left, not {top_left:?}");
    }
    // Every published image is clean, and no source is published as it was.
    let sources = [std::fs::read(site.root().join("content/march.jpg")).unwrap(), std::fs::read(site.root().join("static/photos/team.png")).unwrap()];
    for (path, bytes) in files.iter().filter(|(p, _)| [".jpg", ".webp", ".png"].iter().any(|e| p.ends_with(e))) {
        if path.starts_with("media/") || path.starts_with("photos/") || path.ends_with("preview.jpg") {
            assert_clean(path, bytes);
        }
        assert!(!sources.contains(bytes), "{path} is a source as it was");
    }
    assert!(!files.contains_key("march.jpg") && !files.keys().any(|p| p.ends_with("/march.jpg")), "the original is not published");
    // The static photo keeps its address, written again without its chunks.
    let team = &files["photos/team.png"];
    assert_clean("photos/team.png", team);
    assert_eq!(image::load_from_memory(team).unwrap().to_rgb8().dimensions(), (320, 200));
    // Photo files have addresses a host may cache for a year.
    let headers = site.read("_headers");
    assert!(headers.contains(&format!("{}\n  Cache-Control: public, max-age=31536000, immutable", webp[0].0)), "{headers}");
}

#[test]
fn a_photo_previews_its_page_in_each_language_with_the_title_on_a_band() {
    let site = photo_site();
    site.build_ok();
    let files = site.tree();
    let (english, welsh) = (site.read("news/hand-in/index.html"), site.read("cy/news/hand-in/index.html"));
    assert!(english.contains("content=https://photos.example.org/camp/news/hand-in/preview.jpg property=og:image>"), "{english}");
    assert!(english.contains("content=image/jpeg property=og:image:type>"), "{english}");
    assert!(english.contains("content=\"Campaigners with banners on a march\""), "the preview's alt text");
    assert!(welsh.contains("cy/news/hand-in/preview.jpg"), "{welsh}");
    let (en, cy) = (&files["news/hand-in/preview.jpg"], &files["cy/news/hand-in/preview.jpg"]);
    assert_ne!(en, cy, "each language's title is on its card");
    for (path, card) in [("news/hand-in/preview.jpg", en), ("cy/news/hand-in/preview.jpg", cy)] {
        assert_clean(path, card);
        let decoded = image::load_from_memory(card).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (1200, 630), "{path}");
        // The band at the foot is solid: the brand's ink, whatever the photo.
        let band = decoded.get_pixel(20, 620);
        assert!(band[0] < 40 && band[2] > 40 && band[2] < 90, "{path}: the band is the site's ink, not {band:?}");
        // The photo fills the top, upright: orange at the top left of the crop.
        let photo = decoded.get_pixel(600, 20);
        assert!(photo[0] > 150 || photo[2] > 150, "{path}: the photo is at the top, not {photo:?}");
    }
}

#[test]
fn builds_give_the_same_photos_and_a_warm_build_makes_none_again() {
    let (a, b) = (photo_site(), photo_site());
    a.build_ok();
    b.build_ok();
    let media =
        |site: &TestSite| -> BTreeMap<String, Vec<u8>> { site.tree().into_iter().filter(|(p, _)| p.starts_with("media/") || p.ends_with(".jpg")).collect() };
    assert_eq!(media(&a), media(&b), "the same photos give the same files");
    // The disk cache holds every size; a warm build finds them there and rewrites none.
    let entries = |site: &TestSite| -> BTreeMap<String, std::time::SystemTime> {
        std::fs::read_dir(site.root().join(".soapbox-cache/images"))
            .unwrap()
            .flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().modified().unwrap()))
            .collect()
    };
    let before = entries(&a);
    assert!(before.len() >= media(&a).len(), "every photo file is cached: {} entries", before.len());
    a.build_ok();
    assert_eq!(entries(&a), before, "a warm build stores nothing anew");
    assert_eq!(media(&a), media(&b));
}

/// A way to spoil a built photo site.
type Spoil = Box<dyn Fn(&TestSite)>;

#[test]
fn photo_mistakes_are_refused_at_their_page_and_line() {
    let cases: [(&str, Spoil, &str, &str); 6] = [
        (
            "a missing photo",
            Box::new(|s: &TestSite| s.remove("content/news/hand-in.jpg")),
            "there is no photo at `content/news/hand-in.jpg`",
            "content/news/hand-in.md:11:1",
        ),
        (
            "a misspelt photo",
            Box::new(|s: &TestSite| s.write("content/news/hand-in.md", "---\ntitle: We handed in the petition\n---\n\n![Campaigners](hand_in.jpg)\n")),
            "did you mean `hand-in.jpg`?",
            "content/news/hand-in.md:5:1",
        ),
        (
            "a decompression bomb",
            Box::new(|s: &TestSite| std::fs::write(s.root().join("content/news/hand-in.jpg"), bomb_png()).unwrap()),
            "megapixels",
            "content/news/hand-in.md:11:1",
        ),
        (
            "a truncated photo",
            Box::new(|s: &TestSite| {
                let whole = camera_jpeg(900, 600, 1);
                std::fs::write(s.root().join("content/news/hand-in.jpg"), &whole[..whole.len() / 2]).unwrap()
            }),
            "content/news/hand-in.jpg",
            "content/news/hand-in.md:11:1",
        ),
        (
            "a static file where a preview card goes",
            Box::new(|s: &TestSite| s.write("static/news/hand-in/preview.jpg", "not a card")),
            "would overwrite the preview card of the page built from `content/news/hand-in.md`",
            "static/news/hand-in/preview.jpg",
        ),
        (
            "a photo without alt text",
            Box::new(|s: &TestSite| s.write("content/news/hand-in.md", "---\ntitle: We handed in the petition\n---\n\n![](hand-in.jpg)\n")),
            "this image has no alt text",
            "content/news/hand-in.md:5:1",
        ),
    ];
    for (what, spoil, message, at) in cases {
        let site = photo_site();
        site.build_ok();
        let before = site.tree();
        spoil(&site);
        let run = site.build(&[]);
        assert!(!run.ok, "{what} is refused");
        assert!(run.stderr.contains(message), "{what}: {}", run.stderr);
        assert!(run.stderr.contains(at), "{what} is placed at {at}: {}", run.stderr);
        assert_eq!(site.tree(), before, "{what}: the output folder is untouched");
    }
}

/// A PNG of a few hundred bytes whose header says 100,000 × 100,000 pixels.
fn bomb_png() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 100_000u32.to_be_bytes().to_vec();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    for (kind, data) in [(&b"IHDR"[..], ihdr), (b"IDAT", vec![0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), (b"IEND", Vec::new())] {
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(kind);
        out.extend(&data);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(&data);
        out.extend(crc.finalize().to_be_bytes());
    }
    out
}
