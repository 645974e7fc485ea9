//! Reading a photo's header without its pixels: the format from the magic bytes, the stored
//! size, and the EXIF orientation. Nothing here allocates in proportion to the image's size,
//! so a decompression bomb is measured and refused before anything is decoded.

use image::metadata::Orientation;

use super::{Kind, MAX_PIXELS, MAX_SIDE};
use crate::error::{Error, Result};

/// What the header says: the format, the size as stored (before orientation) and the
/// orientation the EXIF data asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Header {
    pub kind: Kind,
    pub stored_width: u32,
    pub stored_height: u32,
    pub orientation: Orientation,
    /// Where the header ends and the image data begins (JPEG: after the frame header).
    pub data_start: usize,
}

impl Header {
    /// Whether showing the photo turns it a quarter turn, swapping width and height.
    pub fn swaps_sides(&self) -> bool {
        matches!(self.orientation, Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH)
    }
}

/// The hint for a file soapbox cannot read at all.
const RESAVE: &str = "open it in an image editor and save it again (export as JPEG for photos)";

/// Reads the header of `bytes`, refusing formats soapbox does not read, truncated headers
/// and images over [`MAX_PIXELS`] or [`MAX_SIDE`].
pub(super) fn read(bytes: &[u8]) -> Result<Header> {
    let header = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg(bytes)?
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)?
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes)?
    } else {
        return Err(unknown(bytes));
    };
    let (w, h) = (header.stored_width, header.stored_height);
    if w == 0 || h == 0 {
        return Err(Error::new(format!("this {} says it is {} × {} pixels, which is empty", header.kind.name(), w, h)).hint(RESAVE));
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS {
        return Err(Error::new(format!(
            "this image is {} × {} pixels ({} megapixels); soapbox decodes images of at most {} megapixels",
            thousands(u64::from(w)),
            thousands(u64::from(h)),
            megapixels(pixels),
            MAX_PIXELS / 1_000_000
        ))
        .hint("resize it in an image editor first: 4,000 pixels across is plenty for a web page"));
    }
    if w.max(h) > MAX_SIDE {
        return Err(Error::new(format!(
            "this image is {} × {} pixels; soapbox reads images of at most {} pixels on a side",
            thousands(u64::from(w)),
            thousands(u64::from(h)),
            thousands(u64::from(MAX_SIDE))
        ))
        .hint("crop or resize it in an image editor first"));
    }
    Ok(header)
}

/// The error for bytes that are not JPEG, PNG or WebP, naming the format when it is known.
fn unknown(bytes: &[u8]) -> Error {
    let brand = bytes.get(8..12).filter(|_| bytes.get(4..8) == Some(&b"ftyp"[..]));
    let trimmed = {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
        &b[start..]
    };
    let named = if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("a GIF")
    } else if matches!(brand, Some(b"avif" | b"avis")) {
        Some("an AVIF image")
    } else if matches!(brand, Some(b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1")) {
        Some("a HEIC image")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("a TIFF image")
    } else if trimmed.starts_with(b"<svg") || (trimmed.starts_with(b"<?xml") && bytes.windows(4).take(4096).any(|w| w == b"<svg")) {
        Some("an SVG drawing")
    } else if bytes.starts_with(b"BM") && bytes.len() > 14 {
        Some("a BMP image")
    } else {
        None
    };
    match named {
        Some(what) => Error::new(format!("this file is {what}; soapbox reads photos in JPEG, PNG and WebP"))
            .hint("export it as JPEG (or PNG if it has transparency) from an image editor or the phone's share menu"),
        None => Error::new("this file is not an image soapbox can read; soapbox reads photos in JPEG, PNG and WebP").hint(RESAVE),
    }
}

fn truncated(kind: Kind) -> Error {
    Error::new(format!("this {} ends before its header does: the file is cut short", kind.name())).hint(RESAVE)
}

fn corrupt(kind: Kind, what: &str) -> Error {
    Error::new(format!("this file could not be read as a {}: {what}", kind.name())).hint(RESAVE)
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The orientation in an EXIF payload (a TIFF structure, with or without the `Exif\0\0`
/// prefix); none or a broken one means "as stored".
fn orientation(exif: &[u8]) -> Orientation {
    let tiff = exif.strip_prefix(b"Exif\0\0").unwrap_or(exif);
    Orientation::from_exif_chunk(tiff).unwrap_or(Orientation::NoTransforms)
}

/// Walks the JPEG's segments up to the frame header (SOF), noting the EXIF orientation.
fn jpeg(b: &[u8]) -> Result<Header> {
    let kind = Kind::Jpeg;
    let mut orient = Orientation::NoTransforms;
    let mut at = 2;
    loop {
        // Markers may be padded with any number of 0xFF bytes.
        while b.get(at) == Some(&0xFF) && b.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (b.get(at), b.get(at + 1)) else {
            return Err(if at + 1 >= b.len() { truncated(kind) } else { corrupt(kind, "a segment does not start with a marker") });
        };
        at += 2;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return Err(corrupt(kind, "it has no frame header giving its size")),
            _ => {}
        }
        let len = be16(b, at).ok_or_else(|| truncated(kind))? as usize;
        if len < 2 {
            return Err(corrupt(kind, "a segment has a length shorter than itself"));
        }
        let body = b.get(at + 2..at + len).ok_or_else(|| truncated(kind))?;
        match marker {
            0xE1 if body.starts_with(b"Exif\0\0") => orient = orientation(body),
            // Every start-of-frame (0xC4 is DHT, 0xC8 JPG and 0xCC DAC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let (Some(h), Some(w)) = (be16(body, 1), be16(body, 3)) else {
                    return Err(truncated(kind));
                };
                if h == 0 {
                    return Err(corrupt(kind, "its height is given after the image data (DNL), which soapbox does not read"));
                }
                return Ok(Header { kind, stored_width: w, stored_height: h, orientation: orient, data_start: at + len });
            }
            _ => {}
        }
        at += len;
    }
}

/// Reads IHDR, then any `eXIf` chunk before the image data.
fn png(b: &[u8]) -> Result<Header> {
    let kind = Kind::Png;
    let mut at = 8;
    let (w, h) = match (be32(b, at), b.get(at + 4..at + 8), be32(b, at + 8), be32(b, at + 12)) {
        (Some(13), Some(b"IHDR"), Some(w), Some(h)) => (w, h),
        (_, Some(t), _, _) if t != b"IHDR" => return Err(corrupt(kind, "its first chunk is not IHDR")),
        _ => return Err(truncated(kind)),
    };
    at += 8 + 13 + 4;
    let mut orient = Orientation::NoTransforms;
    while let (Some(len), Some(tag)) = (be32(b, at), b.get(at + 4..at + 8)) {
        if tag == b"IDAT" || tag == b"IEND" {
            break;
        }
        let Some(body) = b.get(at + 8..(at + 8).saturating_add(len as usize)) else { break };
        if tag == b"eXIf" {
            orient = orientation(body);
        }
        at += 12 + len as usize;
    }
    Ok(Header { kind, stored_width: w, stored_height: h, orientation: orient, data_start: 0 })
}

/// Reads the first chunk (VP8, VP8L or VP8X), and the EXIF chunk of an extended file.
fn webp(b: &[u8]) -> Result<Header> {
    let kind = Kind::Webp;
    let tag = b.get(12..16).ok_or_else(|| truncated(kind))?;
    let body = b.get(20..).ok_or_else(|| truncated(kind))?;
    let short = || truncated(kind);
    let (w, h, orient) = match tag {
        b"VP8 " => {
            if body.get(3..6).ok_or_else(short)? != [0x9D, 0x01, 0x2A] {
                return Err(corrupt(kind, "its VP8 frame has no start code"));
            }
            (le16(body, 6).ok_or_else(short)? & 0x3FFF, le16(body, 8).ok_or_else(short)? & 0x3FFF, Orientation::NoTransforms)
        }
        b"VP8L" => {
            if *body.first().ok_or_else(short)? != 0x2F {
                return Err(corrupt(kind, "its lossless data has no signature"));
            }
            let bits = le32(body, 1).ok_or_else(short)?;
            ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, Orientation::NoTransforms)
        }
        b"VP8X" => {
            let flags = *body.first().ok_or_else(short)?;
            if flags & 0x02 != 0 {
                return Err(Error::new("this WebP is animated; soapbox reads still photos").hint("export one frame as JPEG or a still WebP"));
            }
            let (w, h) = (le24(body, 4).ok_or_else(short)? + 1, le24(body, 7).ok_or_else(short)? + 1);
            let mut orient = Orientation::NoTransforms;
            let mut at = 12 + 8 + le32(b, 16).ok_or_else(short)? as usize;
            while let (Some(tag), Some(len)) = (b.get(at..at + 4), le32(b, at + 4)) {
                let Some(chunk) = b.get(at + 8..(at + 8).saturating_add(len as usize)) else { break };
                if tag == b"EXIF" {
                    orient = orientation(chunk);
                }
                at += 8 + len as usize + (len as usize & 1);
            }
            (w, h, orient)
        }
        _ => return Err(corrupt(kind, "its first chunk is not VP8, VP8L or VP8X")),
    };
    Ok(Header { kind, stored_width: w, stored_height: h, orientation: orient, data_start: 0 })
}

/// Whether a JPEG's image data ends with its end-of-image marker. The JPEG decoder is
/// lenient and paints a file cut short grey to the bottom; soapbox refuses it instead. Inside
/// the image data a 0xFF byte is always followed by 0x00 or a marker, so 0xFF 0xD9 after the
/// frame header is the true end (an EXIF thumbnail's end marker comes before the frame).
pub(super) fn jpeg_complete(bytes: &[u8], header: &Header) -> bool {
    bytes.get(header.data_start..).is_some_and(|data| memchr::memmem::rfind(data, &[0xFF, 0xD9]).is_some())
}

/// `12345678` as `12,345,678`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A pixel count in megapixels: whole and with thousands separators from 100 up, else to
/// one decimal place (`50.4`, `3,600`).
fn megapixels(pixels: u64) -> String {
    if pixels >= 100_000_000 {
        thousands((pixels + 500_000) / 1_000_000)
    } else {
        let tenths = (pixels + 50_000) / 100_000;
        if tenths.is_multiple_of(10) {
            (tenths / 10).to_string()
        } else {
            format!("{}.{}", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
        assert_eq!(megapixels(10_000_000_000), "10,000");
        assert_eq!(megapixels(3_600_000_000), "3,600");
        assert_eq!(megapixels(50_410_000), "50.4");
        assert_eq!(megapixels(60_000_000), "60");
    }

    #[test]
    fn other_formats_are_named() {
        let says = |bytes: &[u8]| read(bytes).unwrap_err().message().to_string();
        assert!(says(b"GIF89a\x01\x00\x01\x00").contains("a GIF"));
        assert!(says(b"\0\0\0\x18ftypheic\0\0\0\0").contains("HEIC"));
        assert!(says(b"\0\0\0\x1cftypavif\0\0\0\0").contains("AVIF"));
        assert!(says(b"II*\0\x08\0\0\0").contains("TIFF"));
        assert!(says(b"  <svg xmlns=\"http://www.w3.org/2000/svg\"/>").contains("SVG"));
        assert!(says(b"<?xml version=\"1.0\"?>\n<svg/>").contains("SVG"));
        let plain = says(b"hello, world");
        assert!(plain.contains("JPEG, PNG and WebP"), "{plain}");
        assert!(says(b"").contains("JPEG, PNG and WebP"));
        let gif = read(b"GIF89a\x01\x00\x01\x00").unwrap_err();
        assert!(gif.hint_text().unwrap().contains("export it as JPEG"));
    }

    #[test]
    fn headers_cut_short_say_so() {
        for bytes in [&b"\xFF\xD8\xFF"[..], b"\xFF\xD8\xFF\xE0\x00\x10JFIF", b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0", b"RIFF\0\0\0\0WEBPVP8 "] {
            let err = read(bytes).unwrap_err();
            assert!(err.message().contains("cut short"), "{}", err.message());
        }
    }

    #[test]
    fn animated_webp_is_refused() {
        let mut b = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0".to_vec();
        b.extend_from_slice(&[0x02, 0, 0, 0, 9, 0, 0, 9, 0, 0]);
        assert!(read(&b).unwrap_err().message().contains("animated"));
    }
}
