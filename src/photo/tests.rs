//! The photo module's tests: sources carrying every kind of metadata a phone or camera
//! writes (built here byte by byte), colour profiles, orientation, bombs and broken files.

use std::io::Cursor;
use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::*;

const SERIAL: &str = "SN-TEST-4417";
const MAKE: &str = "Testcam";

/// A `w` × `h` RGB picture: a smooth gradient with a red 12 × 12 block in its top-left corner.
fn picture(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            if x < 12 && y < 12 {
                out.extend_from_slice(&[230, 20, 20]);
            } else {
                out.extend_from_slice(&[40, (60 + x * 100 / w) as u8, (120 + y * 100 / h) as u8]);
            }
        }
    }
    out
}

/// A plain JPEG of `rgb` pixels, with nothing but JFIF.
fn plain_jpeg(rgb: &[u8], w: u32, h: u32, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    encoder.encode(rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

/// A little-endian TIFF IFD entry: tag, type, count and value bytes.
struct Entry(u16, u16, u32, Vec<u8>);

fn ascii(tag: u16, text: &str) -> Entry {
    let mut v = text.as_bytes().to_vec();
    v.push(0);
    Entry(tag, 2, v.len() as u32, v)
}

fn long(tag: u16, value: u32) -> Entry {
    Entry(tag, 4, 1, value.to_le_bytes().to_vec())
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let v = values.iter().flat_map(|(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes())).collect();
    Entry(tag, 5, values.len() as u32, v)
}

/// The bytes an IFD with `entries` takes, its values that do not fit in four bytes included.
fn ifd_size(entries: &[Entry]) -> u32 {
    2 + 12 * entries.len() as u32 + 4 + entries.iter().map(|e| if e.3.len() > 4 { (e.3.len() as u32 + 1) & !1 } else { 0 }).sum::<u32>()
}

/// Writes an IFD at `at` (its offset in the TIFF), its long values right after it.
fn write_ifd(tiff: &mut Vec<u8>, entries: &[Entry], next: u32) {
    let at = tiff.len() as u32;
    let mut data_at = at + 2 + 12 * entries.len() as u32 + 4;
    let mut data = Vec::new();
    tiff.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for Entry(tag, kind, count, value) in entries {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        if value.len() <= 4 {
            let mut inline = value.clone();
            inline.resize(4, 0);
            tiff.extend_from_slice(&inline);
        } else {
            tiff.extend_from_slice(&data_at.to_le_bytes());
            data.extend_from_slice(value);
            if value.len() % 2 == 1 {
                data.push(0);
            }
            data_at += (value.len() as u32 + 1) & !1;
        }
    }
    tiff.extend_from_slice(&next.to_le_bytes());
    tiff.extend_from_slice(&data);
}

/// A TIFF (EXIF) structure with camera make, model and serial number, the time taken, a GPS
/// position, `orientation`, and IFD1 holding `thumbnail` (a JPEG).
fn exif_tiff(orientation: u16, thumbnail: &[u8]) -> Vec<u8> {
    let exif_ifd = vec![ascii(0x9003, "2026:05:01 10:20:30"), ascii(0xA431, SERIAL)];
    let gps_ifd =
        vec![ascii(0x0001, "N"), rationals(0x0002, &[(51, 1), (28, 1), (3853, 100)]), ascii(0x0003, "W"), rationals(0x0004, &[(3, 1), (10, 1), (4477, 100)])];
    let ifd0_len = 5;
    let ifd0_size =
        ifd_size(&[ascii(0x010F, MAKE), ascii(0x0110, "Model 7"), Entry(0x0112, 3, 1, orientation.to_le_bytes().to_vec()), long(0x8769, 0), long(0x8825, 0)]);
    let exif_at = 8 + ifd0_size;
    let gps_at = exif_at + ifd_size(&exif_ifd);
    let ifd1_at = gps_at + ifd_size(&gps_ifd);
    let thumb_at = ifd1_at + ifd_size(&[long(0x0201, 0), long(0x0202, 0)]);
    let ifd0 = vec![
        ascii(0x010F, MAKE),
        ascii(0x0110, "Model 7"),
        Entry(0x0112, 3, 1, orientation.to_le_bytes().to_vec()),
        long(0x8769, exif_at),
        long(0x8825, gps_at),
    ];
    assert_eq!(ifd0.len(), ifd0_len);
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    write_ifd(&mut tiff, &ifd0, ifd1_at);
    assert_eq!(tiff.len() as u32, exif_at);
    write_ifd(&mut tiff, &exif_ifd, 0);
    write_ifd(&mut tiff, &gps_ifd, 0);
    assert_eq!(tiff.len() as u32, ifd1_at);
    write_ifd(&mut tiff, &[long(0x0201, thumb_at), long(0x0202, thumbnail.len() as u32)], 0);
    assert_eq!(tiff.len() as u32, thumb_at);
    tiff.extend_from_slice(thumbnail);
    tiff
}

fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&(body.len() as u16 + 2).to_be_bytes());
    s.extend_from_slice(body);
    s
}

const XMP: &str = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"51,28.6N\" exif:BodySerialNumber=\"SN-TEST-4417\"/></rdf:RDF></x:xmpmeta>";

/// The phone photo: 64 × 48 stored, orientation 6 (turn a quarter clockwise to show), with
/// EXIF (GPS, make, model, serial, time, thumbnail), XMP, IPTC and a comment.
fn phone_jpeg() -> Vec<u8> {
    let thumbnail = plain_jpeg(&picture(16, 12), 16, 12, 80);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(exif_tiff(6, &thumbnail));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(XMP.as_bytes());
    // Photoshop 3.0 resource block 0x0404 (IPTC-NAA) holding record 2:80 (by-line) and 2:116
    // (copyright notice).
    let mut iptc = Vec::new();
    for (tag, text) in [(80u8, "Ann Example"), (116, SERIAL)] {
        iptc.extend_from_slice(&[0x1C, 2, tag]);
        iptc.extend_from_slice(&(text.len() as u16).to_be_bytes());
        iptc.extend_from_slice(text.as_bytes());
    }
    let mut app13 = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    app13.extend_from_slice(&(iptc.len() as u32).to_be_bytes());
    app13.extend_from_slice(&iptc);
    let body = plain_jpeg(&picture(64, 48), 64, 48, 95);
    let mut out = body[..2].to_vec();
    out.extend(segment(0xE1, &app1));
    out.extend(segment(0xE1, &xmp));
    out.extend(segment(0xED, &app13));
    out.extend(segment(0xFE, format!("Taken by serial {SERIAL} GPS on").as_bytes()));
    out.extend_from_slice(&body[2..]);
    out
}

/// The markers of a JPEG's segments up to the image data.
fn jpeg_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let mut at = 2;
    let mut markers = Vec::new();
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        at += 2 + u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
    }
    markers
}

/// The chunk names of a RIFF WebP.
fn webp_chunks(webp: &[u8]) -> Vec<String> {
    assert_eq!(&webp[..4], b"RIFF");
    assert_eq!(&webp[8..12], b"WEBP");
    let mut at = 12;
    let mut chunks = Vec::new();
    while at + 8 <= webp.len() {
        chunks.push(String::from_utf8_lossy(&webp[at..at + 4]).into_owned());
        let len = u32::from_le_bytes(webp[at + 4..at + 8].try_into().unwrap()) as usize;
        at += 8 + len + (len & 1);
    }
    chunks
}

/// The chunk names of a PNG.
fn png_chunks(png: &[u8]) -> Vec<String> {
    let mut at = 8;
    let mut chunks = Vec::new();
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        chunks.push(String::from_utf8_lossy(&png[at + 4..at + 8]).into_owned());
        at += 12 + len;
    }
    chunks
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every way `photo` is written carries nothing but pixels.
fn assert_clean(photo: &Photo) {
    let jpeg = photo.jpeg(75);
    let webp = photo.webp(75);
    let png = photo.png();
    for (name, bytes) in [("JPEG", &jpeg), ("WebP", &webp), ("PNG", &png)] {
        assert!(exif::Reader::new().read_from_container(&mut Cursor::new(bytes)).is_err(), "{name} has EXIF");
        assert!(!contains(bytes, SERIAL.as_bytes()), "{name} has the serial number");
        assert!(!contains(bytes, b"GPS"), "{name} has GPS bytes");
        assert!(!contains(bytes, MAKE.as_bytes()), "{name} has the camera make");
        assert!(!contains(bytes, b"xmpmeta") && !contains(bytes, b"ns.adobe.com"), "{name} has XMP");
    }
    let markers = jpeg_markers(&jpeg);
    assert!(markers.iter().all(|m| !matches!(m, 0xE1..=0xEF | 0xFE)), "JPEG keeps metadata segments: {markers:x?}");
    assert!(markers.contains(&0xC2), "JPEG is not progressive: {markers:x?}");
    let chunks = webp_chunks(&webp);
    assert!(chunks.iter().all(|c| matches!(c.as_str(), "VP8 " | "VP8L" | "VP8X" | "ALPH")), "WebP chunks {chunks:?}");
    let chunks = png_chunks(&png);
    assert!(chunks.iter().all(|c| matches!(c.as_str(), "IHDR" | "IDAT" | "IEND")), "PNG chunks {chunks:?}");
    // And each decodes again, at the same size.
    for bytes in [&jpeg, &webp, &png] {
        let again = decode(bytes).unwrap();
        assert_eq!((again.width(), again.height()), (photo.width(), photo.height()));
    }
}

fn near(a: [u8; 4], b: [u8; 4], tolerance: i32) -> bool {
    a.iter().zip(b).all(|(&x, y)| (i32::from(x) - i32::from(y)).abs() <= tolerance)
}

const RED: [u8; 4] = [230, 20, 20, 255];

#[test]
fn the_phone_fixture_really_carries_its_metadata() {
    let jpeg = phone_jpeg();
    let exif = exif::Reader::new().read_from_container(&mut Cursor::new(&jpeg)).unwrap();
    let field = |tag, ifd| exif.get_field(tag, ifd).unwrap_or_else(|| panic!("no {tag} in the fixture"));
    assert_eq!(field(exif::Tag::GPSLatitudeRef, exif::In::PRIMARY).display_value().to_string(), "N");
    assert!(field(exif::Tag::GPSLatitude, exif::In::PRIMARY).display_value().to_string().starts_with("51 deg 28 min"));
    assert!(field(exif::Tag::GPSLongitude, exif::In::PRIMARY).display_value().to_string().starts_with("3 deg 10 min"));
    assert!(field(exif::Tag::BodySerialNumber, exif::In::PRIMARY).display_value().to_string().contains(SERIAL));
    assert!(field(exif::Tag::Make, exif::In::PRIMARY).display_value().to_string().contains(MAKE));
    assert!(field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY).display_value().to_string().contains("2026-05-01"));
    assert_eq!(field(exif::Tag::Orientation, exif::In::PRIMARY).value.get_uint(0), Some(6));
    // The thumbnail: IFD1 points at a JPEG inside the EXIF data.
    let at = field(exif::Tag::JPEGInterchangeFormat, exif::In::THUMBNAIL).value.get_uint(0).unwrap() as usize;
    let len = field(exif::Tag::JPEGInterchangeFormatLength, exif::In::THUMBNAIL).value.get_uint(0).unwrap() as usize;
    let thumbnail = &exif.buf()[at..at + len];
    assert_eq!((decode(thumbnail).unwrap().width(), decode(thumbnail).unwrap().height()), (16, 12));
    // XMP, IPTC and a comment are there too.
    let markers = jpeg_markers(&jpeg);
    assert_eq!(markers.iter().filter(|&&m| m == 0xE1).count(), 2, "EXIF and XMP");
    assert!(markers.contains(&0xED) && markers.contains(&0xFE), "{markers:x?}");
    assert!(contains(&jpeg, b"http://ns.adobe.com/xap/1.0/\0") && contains(&jpeg, b"Photoshop 3.0\08BIM"));
}

#[test]
fn a_phone_photo_comes_out_upright_and_clean() {
    let jpeg = phone_jpeg();
    let probe = probe(&jpeg).unwrap();
    assert_eq!(probe, Probe { kind: Kind::Jpeg, width: 48, height: 64 }, "orientation 6 swaps the sides");
    let photo = decode(&jpeg).unwrap();
    assert_eq!((photo.width(), photo.height()), (48, 64));
    assert!(!photo.has_alpha());
    // Stored top left, turned a quarter clockwise: top right.
    assert!(near(photo.pixel(47 - 5, 5), RED, 12), "{:?}", photo.pixel(42, 5));
    assert!(!near(photo.pixel(5, 5), RED, 60), "{:?}", photo.pixel(5, 5));
    assert!(!near(photo.pixel(42, 58), RED, 60));
    assert_clean(&photo);
    for size in photo.sizes(&[16, 32, 1200]) {
        assert_clean(&size);
    }
    assert_clean(&photo.cover(40, 21, Focus::default()));
}

/// A PNG chunk: length, name, data and CRC.
fn chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(name);
    c.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(name);
    crc.update(data);
    c.extend_from_slice(&crc.finalize().to_be_bytes());
    c
}

/// A 40 × 30 RGBA PNG, its left half see-through, with eXIf (orientation 6, GPS, serial),
/// tEXt and an iTXt XMP packet.
fn phone_png() -> Vec<u8> {
    let (w, h) = (40u32, 30u32);
    let rgb = picture(w, h);
    let rgba: Vec<u8> = rgb.chunks(3).enumerate().flat_map(|(i, p)| [p[0], p[1], p[2], if (i as u32 % w) < w / 2 { 100 } else { 255 }]).collect();
    let mut plain = Vec::new();
    let mut encoder = png::Encoder::new(&mut plain, w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().unwrap().write_image_data(&rgba).unwrap();
    let ihdr_end = 8 + 8 + 13 + 4;
    let mut out = plain[..ihdr_end].to_vec();
    out.extend(chunk(b"eXIf", &exif_tiff(6, &plain_jpeg(&picture(16, 12), 16, 12, 80))));
    out.extend(chunk(b"tEXt", format!("Comment\0camera {SERIAL}").as_bytes()));
    let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    itxt.extend_from_slice(XMP.as_bytes());
    out.extend(chunk(b"iTXt", &itxt));
    out.extend_from_slice(&plain[ihdr_end..]);
    out
}

#[test]
fn a_png_with_metadata_and_transparency_comes_out_clean() {
    let png = phone_png();
    assert!(exif::Reader::new().read_from_container(&mut Cursor::new(&png)).unwrap().get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).is_some());
    assert_eq!(probe(&png).unwrap(), Probe { kind: Kind::Png, width: 30, height: 40 });
    let photo = decode(&png).unwrap();
    assert_eq!((photo.width(), photo.height()), (30, 40));
    assert!(photo.has_alpha());
    // The see-through left half is now the top half; the red corner is at the top right.
    assert_eq!(photo.pixel(3, 3)[3], 100);
    assert_eq!(photo.pixel(3, 35)[3], 255);
    assert_eq!(photo.pixel(26, 3), [230, 20, 20, 100]);
    assert_clean(&photo);
    // JPEG lays the see-through pixels on white; WebP keeps them.
    let jpeg = decode(&photo.jpeg(90)).unwrap();
    assert!(!jpeg.has_alpha());
    let top = jpeg.pixel(3, 30 - 25);
    assert!(top[1] > 150 && top[2] > 150, "flattened onto white: {top:?}");
    let webp = decode(&photo.webp(90)).unwrap();
    assert!(webp.has_alpha());
    assert!((i32::from(webp.pixel(3, 3)[3]) - 100).abs() <= 3);
    assert_eq!(decode(&photo.png()).unwrap(), photo, "PNG is lossless");
}

/// A lossless WebP wrapped by hand in an extended (VP8X) file with EXIF and XMP chunks.
fn phone_webp() -> Vec<u8> {
    let (w, h) = (40u32, 30u32);
    let simple = webp::Encoder::from_rgb(&picture(w, h), w, h).encode_lossless().to_vec();
    assert_eq!(&simple[12..16], b"VP8L");
    let image_chunk = &simple[12..];
    let pad = |name: &[u8; 4], data: &[u8]| {
        let mut c = name.to_vec();
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let mut vp8x = vec![0x08 | 0x04, 0, 0, 0];
    vp8x.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(pad(b"VP8X", &vp8x));
    body.extend_from_slice(image_chunk);
    body.extend(pad(b"EXIF", &exif_tiff(6, &plain_jpeg(&picture(16, 12), 16, 12, 80))));
    body.extend(pad(b"XMP ", XMP.as_bytes()));
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

#[test]
fn a_webp_with_metadata_comes_out_clean_and_upright() {
    let webp = phone_webp();
    assert_eq!(webp_chunks(&webp), ["VP8X", "VP8L", "EXIF", "XMP "]);
    assert!(exif::Reader::new().read_from_container(&mut Cursor::new(&webp)).unwrap().get_field(exif::Tag::BodySerialNumber, exif::In::PRIMARY).is_some());
    assert_eq!(probe(&webp).unwrap(), Probe { kind: Kind::Webp, width: 30, height: 40 });
    let photo = decode(&webp).unwrap();
    assert_eq!((photo.width(), photo.height()), (30, 40));
    assert_eq!(photo.pixel(29 - 5, 5), RED, "lossless, turned a quarter clockwise");
    assert!(!photo.has_alpha());
    assert_clean(&photo);
}

/// sRGB's transfer curve, both ways (Display P3 uses it too).
fn to_linear(c: f64) -> f64 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn from_linear(c: f64) -> f64 {
    if c <= 0.0031308 {
        c * 12.92
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    }
}

#[test]
fn a_display_p3_photo_is_converted_to_srgb() {
    let p3 = [200u8, 100, 50];
    // Display P3 to sRGB, in linear light (both D65).
    let m = [[1.224_940, -0.224_940, 0.0], [-0.042_057, 1.042_057, 0.0], [-0.019_638, -0.078_636, 1.098_274]];
    let lin = p3.map(|c| to_linear(f64::from(c) / 255.0));
    let expected: Vec<u8> =
        m.iter().map(|row| (from_linear(row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2]).clamp(0.0, 1.0) * 255.0).round() as u8).collect();
    let (w, h) = (32u32, 32u32);
    let rgb: Vec<u8> = (0..w * h).flat_map(|_| p3).collect();
    let icc = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 100);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    encoder.add_icc_profile(&icc).unwrap();
    encoder.encode(&rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb).unwrap();
    let got = decode(&jpeg).unwrap().pixel(16, 16);
    let want = [expected[0], expected[1], expected[2], 255];
    assert!(near(got, want, 3), "P3 {p3:?} should be sRGB {want:?}, got {got:?}");
    assert!(!near(got, [200, 100, 50, 255], 8), "the profile was ignored: {got:?}");
    assert_clean(&decode(&jpeg).unwrap());
    // A broken profile is read as sRGB rather than failing.
    let mut broken = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut broken, 100);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    encoder.add_icc_profile(&icc[..40]).unwrap();
    encoder.encode(&rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb).unwrap();
    assert!(near(decode(&broken).unwrap().pixel(16, 16), [200, 100, 50, 255], 3));
}

#[test]
fn a_grey_photo_with_a_linear_profile_is_converted() {
    // Grey 128 in linear light is half the light: sRGB's curve writes that as 188.
    let icc = moxcms::ColorProfile::new_gray_with_gamma(1.0).encode().unwrap();
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 100);
    encoder.add_icc_profile(&icc).unwrap();
    encoder.encode(&[128u8; 16 * 16], 16, 16, jpeg_encoder::ColorType::Luma).unwrap();
    let photo = decode(&jpeg).unwrap();
    assert!(near(photo.pixel(8, 8), [188, 188, 188, 255], 2), "{:?}", photo.pixel(8, 8));
}

#[test]
fn a_cmyk_jpeg_decodes_to_sensible_rgb() {
    let (w, h) = (16u32, 16u32);
    // Left half full cyan, right half full black ink, as CMYK.
    let cmyk: Vec<u8> = (0..w * h).flat_map(|i| if i % w < w / 2 { [255, 0, 0, 0] } else { [0, 0, 0, 255] }).collect();
    let mut jpeg = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut jpeg, 95);
    encoder.encode(&cmyk, w as u16, h as u16, jpeg_encoder::ColorType::Cmyk).unwrap();
    let photo = decode(&jpeg).unwrap();
    let [r, g, b, _] = photo.pixel(2, 8);
    assert!(r < 60 && g > 190 && b > 190, "cyan came out {:?}", [r, g, b]);
    let [r, g, b, _] = photo.pixel(13, 8);
    assert!(r < 40 && g < 40 && b < 40, "black came out {:?}", [r, g, b]);
}

/// A PNG whose header says `w` × `h`, with a token of image data.
fn bomb_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// A JPEG whose frame header says `w` × `h`.
fn bomb_jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut sof = vec![8];
    sof.extend_from_slice(&h.to_be_bytes());
    sof.extend_from_slice(&w.to_be_bytes());
    sof.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    let mut out = vec![0xFF, 0xD8];
    out.extend(segment(0xC0, &sof));
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

#[test]
fn decompression_bombs_are_refused_from_the_header() {
    let start = Instant::now();
    for (bytes, size) in
        [(bomb_png(100_000, 100_000), "100,000 × 100,000 pixels (10,000 megapixels)"), (bomb_jpeg(60_000, 60_000), "60,000 × 60,000 pixels (3,600 megapixels)")]
    {
        for err in [probe(&bytes).unwrap_err(), decode(&bytes).unwrap_err()] {
            assert!(err.message().contains(size), "{}", err.message());
            assert!(err.message().contains("at most 50 megapixels"), "{}", err.message());
            assert!(err.hint_text().unwrap().contains("resize"));
            assert!(err.location().is_none());
        }
    }
    // Just over the limit is refused; a long thin strip over WebP's side limit is too.
    assert!(probe(&bomb_png(10_000, 5_001)).unwrap_err().message().contains("(50 megapixels)"));
    assert!(probe(&bomb_png(20_000, 100)).unwrap_err().message().contains("at most 16,383 pixels on a side"));
    assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
}

#[test]
fn broken_files_give_clear_errors() {
    let jpeg = plain_jpeg(&picture(64, 48), 64, 48, 90);
    let cut = decode(&jpeg[..jpeg.len() * 2 / 3]).unwrap_err();
    assert!(cut.message().contains("could not be read as a JPEG"), "{}", cut.message());
    assert!(cut.hint_text().is_some());
    let png = phone_png();
    let cut = decode(&png[..png.len() - 30]).unwrap_err();
    assert!(cut.message().contains("could not be read as a PNG"), "{}", cut.message());
    let webp = phone_webp();
    let mut garbled = webp.clone();
    let mid = garbled.len() / 3;
    garbled[40..mid].fill(0x5A);
    assert!(decode(&garbled).unwrap_err().message().contains("could not be read as a WebP"));
    assert!(decode(&webp[..60]).unwrap_err().message().contains("could not be read as a WebP"));
}

#[test]
fn every_truncation_of_a_real_jpeg_is_an_error() {
    let jpeg = phone_jpeg();
    for end in 0..jpeg.len() - 1 {
        assert!(decode(&jpeg[..end]).is_err(), "cut at {end} of {} decoded", jpeg.len());
        let _ = probe(&jpeg[..end]);
    }
    let png = phone_png();
    for end in 0..png.len() - 12 {
        assert!(decode(&png[..end]).is_err(), "PNG cut at {end} of {} decoded", png.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), magic in 0usize..4) {
        let prefix: &[u8] = [&b""[..], b"\xFF\xD8\xFF", b"\x89PNG\r\n\x1a\n", b"RIFF\x40\0\0\0WEBPVP8L"][magic];
        let mut input = prefix.to_vec();
        input.extend_from_slice(&bytes);
        let _ = probe(&input);
        let _ = decode(&input);
    }

    #[test]
    fn damaged_photos_never_panic(at in 0usize..4000, value in any::<u8>(), end in 0usize..4000) {
        for mut bytes in [phone_jpeg(), phone_png(), phone_webp()] {
            let at = at % bytes.len();
            bytes[at] = value;
            bytes.truncate(end.max(at + 1));
            let _ = decode(&bytes);
        }
    }
}

#[test]
fn sizes_are_never_enlarged() {
    assert_eq!(widths(2000, &[480, 800, 1200, 1600]), [480, 800, 1200, 1600]);
    assert_eq!(widths(1000, &[480, 800, 1200, 1600]), [480, 800, 1000]);
    assert_eq!(widths(800, &[480, 800, 1200]), [480, 800]);
    assert_eq!(widths(300, &[480, 800]), [300]);
    assert_eq!(widths(1600, &[1600, 480, 480]), [480, 1600]);
    let photo = decode(&plain_jpeg(&picture(100, 60), 100, 60, 90)).unwrap();
    let sizes = photo.sizes(&[40, 80, 120]);
    let got: Vec<(u32, u32)> = sizes.iter().map(|s| (s.width(), s.height())).collect();
    assert_eq!(got, [(40, 24), (80, 48), (100, 60)]);
    assert_eq!(sizes[2], photo, "its own width is the photo itself");
    let small = photo.sizes(&[480]);
    assert_eq!((small.len(), small[0].width()), (1, 100));
    // The red corner stays in the corner of every size.
    assert!(near(sizes[0].pixel(1, 1), RED, 30), "{:?}", sizes[0].pixel(1, 1));
}

#[test]
fn a_big_step_down_is_smooth_and_keeps_its_colours() {
    // Fine black-and-white stripes one pixel wide average to grey, not to a moiré of stripes.
    let (w, h) = (1200u32, 300u32);
    let rgb: Vec<u8> = (0..h).flat_map(|_| (0..w).flat_map(|x| if x % 2 == 0 { [0u8; 3] } else { [255u8; 3] })).collect();
    let photo = Photo::from_rgba_pixels(w, h, rgb.chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect()).unwrap();
    assert!(!photo.has_alpha());
    let small = &photo.sizes(&[100])[0];
    assert_eq!((small.width(), small.height()), (100, 25));
    for x in 0..100 {
        let [r, g, b, _] = small.pixel(x, 12);
        assert!((110..=145).contains(&r) && r == g && g == b, "pixel {x} is {r} {g} {b}");
    }
}

#[test]
fn sixteen_bit_grey_becomes_eight_bit_rgb() {
    let (w, h) = (8u32, 4u32);
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::GrayscaleAlpha);
    encoder.set_depth(png::BitDepth::Sixteen);
    // Grey 0x8080 everywhere, fully opaque.
    let data: Vec<u8> = (0..w * h).flat_map(|_| [0x80, 0x80, 0xFF, 0xFF]).collect();
    encoder.write_header().unwrap().write_image_data(&data).unwrap();
    let photo = decode(&bytes).unwrap();
    assert!(!photo.has_alpha(), "fully opaque is RGB");
    assert_eq!(photo.pixel(3, 2), [128, 128, 128, 255]);
    assert_eq!(photo.rgba().len(), (w * h * 4) as usize);
}

#[test]
fn settings_say_which_rule_is_broken() {
    assert_eq!(Settings::default(), Settings { widths: vec![480, 800, 1200, 1600], quality: 75 });
    assert_eq!(Settings::default().checked(), Ok(()));
    let with = |widths: Vec<u32>, quality| Settings { widths, quality }.checked().unwrap_err();
    assert!(with(vec![], 75).contains("between 1 and 8 widths"));
    assert!(with(vec![100; 9], 75).contains("not 9"));
    assert!(with(vec![480, 8000], 75).contains("between 16 and 4096 pixels; 8000 is not"));
    assert!(with(vec![10], 75).contains("10 is not"));
    assert!(with(vec![480], 0).contains("`quality` must be between 1 and 100"));
    assert!(with(vec![480], 101).contains("not 101"));
    assert_eq!(Settings { widths: vec![800, 480, 800], quality: 75 }.sorted_widths(), [480, 800]);
    let read: Settings = serde_yaml::from_str("widths: [320, 640]").unwrap();
    assert_eq!(read, Settings { widths: vec![320, 640], quality: 75 });
    assert!(serde_yaml::from_str::<Settings>("width: [320]").unwrap_err().to_string().contains("unknown field `width`"));
}

#[test]
fn focus_reads_percentages_and_words() {
    assert_eq!(Focus::parse("30% 40%"), Ok(Focus { x: 0.3, y: 0.4 }));
    assert_eq!(Focus::parse(" 0%   100% "), Ok(Focus { x: 0.0, y: 1.0 }));
    assert_eq!(Focus::parse("12.5% 50%"), Ok(Focus { x: 0.125, y: 0.5 }));
    assert_eq!(Focus::parse("centre"), Ok(Focus::default()));
    assert_eq!(Focus::parse("center"), Ok(Focus::default()));
    assert_eq!(Focus::parse("top"), Ok(Focus { x: 0.5, y: 0.0 }));
    assert_eq!(Focus::parse("Bottom"), Ok(Focus { x: 0.5, y: 1.0 }));
    assert_eq!(Focus::parse("left"), Ok(Focus { x: 0.0, y: 0.5 }));
    assert_eq!(Focus::parse("right"), Ok(Focus { x: 1.0, y: 0.5 }));
    assert_eq!(Focus::parse("left top"), Ok(Focus { x: 0.0, y: 0.0 }));
    assert_eq!(Focus::parse("70% bottom"), Ok(Focus { x: 0.7, y: 1.0 }));
    let err = |s: &str| Focus::parse(s).unwrap_err();
    assert!(err("30%").contains("only one percentage"));
    assert!(err("30 40").contains("`30` is not a percentage"));
    assert!(err("130% 40%").contains("`130%` is outside 0% to 100%"));
    assert!(err("top left").contains("`top` is not a place across"));
    assert!(err("middle").contains("`middle` is not a place in a photo"));
    assert!(err("").contains("empty"));
    assert!(err("1% 2% 3%").contains("3 parts"));
    assert!(err("x% 5%").contains("not a percentage"));
}

#[test]
fn cover_fills_the_card_and_keeps_the_focus_in_frame() {
    // 200 × 100 with a red block at 150..170 × 40..60 (the "face").
    let (w, h) = (200u32, 100u32);
    let rgb: Vec<u8> =
        (0..h).flat_map(|y| (0..w).flat_map(move |x| if (150..170).contains(&x) && (40..60).contains(&y) { [230, 20, 20] } else { [30, 90, 160] })).collect();
    let photo = decode(&plain_jpeg(&rgb, w, h, 95)).unwrap();
    // A square crop: 100 × 100 around 80% across is 110..210, pushed back to 100..200.
    let card = photo.cover(50, 50, Focus { x: 0.8, y: 0.5 });
    assert_eq!((card.width(), card.height()), (50, 50));
    assert!(near(card.pixel(30, 25), RED, 40), "the face is in frame: {:?}", card.pixel(30, 25));
    // Centred, the face (at 150..170) falls outside the middle 50..150.
    let centred = photo.cover(50, 50, Focus::default());
    assert!((0..50).all(|x| !near(centred.pixel(x, 25), RED, 40)));
    // The link-preview size, from a photo smaller than it: enlarged to fill.
    let card = photo.cover(1200, 630, Focus { x: 0.8, y: 0.5 });
    assert_eq!((card.width(), card.height()), (1200, 630));
    assert_eq!(card.rgba().len(), 1200 * 630 * 4);
    // A tall crop from a wide photo, with the focus past the edge, stays inside the photo.
    let strip = photo.cover(10, 100, Focus { x: 1.0, y: 0.0 });
    assert_eq!((strip.width(), strip.height()), (10, 100));
}

#[test]
fn encoding_is_deterministic() {
    let photo = decode(&phone_png()).unwrap();
    assert_eq!(photo.jpeg(75), photo.jpeg(75));
    assert_eq!(photo.webp(75), photo.webp(75));
    assert_eq!(photo.png(), photo.png());
    assert_eq!(decode(&phone_jpeg()).unwrap(), decode(&phone_jpeg()).unwrap());
    assert_ne!(photo.jpeg(30), photo.jpeg(90), "quality is used");
}

/// Times the whole job on a 12-megapixel photo: `cargo test --release --lib photo::tests::twelve -- --ignored --nocapture`.
#[test]
#[ignore = "a timing, not a check"]
fn twelve_megapixels() {
    let (w, h) = (4000u32, 3000u32);
    let rgb: Vec<u8> = (0..h).flat_map(|y| (0..w).flat_map(move |x| [(x % 256) as u8, (y % 256) as u8, ((x ^ y) % 256) as u8])).collect();
    let source = plain_jpeg(&rgb, w, h, 90);
    let start = Instant::now();
    let photo = decode(&source).unwrap();
    let decoded = start.elapsed();
    let sizes = photo.sizes(&Settings::default().widths);
    let sized = start.elapsed();
    let mut bytes = 0;
    for size in &sizes {
        bytes += size.jpeg(75).len() + size.webp(75).len();
    }
    let encoded = start.elapsed();
    let card = photo.cover(1200, 630, Focus::default()).jpeg(75).len();
    println!(
        "12 MP: decode {decoded:?}, sizes {:?}, JPEG + WebP of {} sizes {:?} ({bytes} bytes), card {:?} ({card} bytes)",
        sized - decoded,
        sizes.len(),
        encoded - sized,
        start.elapsed() - encoded
    );
}
