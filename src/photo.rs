//! Photos: reading a JPEG, PNG or WebP and making the files a page serves from it.
//!
//! This module owns everything between a photo's bytes and the bytes written for it: knowing
//! the format from its magic bytes, measuring it from its header alone ([`probe`], which
//! refuses decompression bombs before a pixel is decoded), decoding it ([`decode`]) the right
//! way up (EXIF orientation applied) and in sRGB (an embedded colour profile converted), and
//! making the sizes a page offers ([`Photo::sizes`]), the link-preview crop ([`Photo::cover`])
//! and the encoded files ([`Photo::jpeg`], [`Photo::webp`], [`Photo::png`]).
//!
//! What comes out carries nothing from the source but its pixels: no EXIF (so no GPS position,
//! camera serial number or time), no XMP, no IPTC, no comments, no embedded thumbnail and no
//! colour profile (the pixels are sRGB, which is what a browser assumes without one). The
//! encoders are given pixels only, so there is nothing for metadata to ride along in.
//!
//! It is a pure library: no files, no site settings. The caller (load, check and render)
//! reads the bytes, adds the file and line to an error, and decides where outputs go. Output
//! is deterministic: the same bytes in give the same bytes out.

mod header;
#[cfg(test)]
mod tests;

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageBuffer, ImageDecoder, ImageFormat, ImageReader, Limits, Rgb, RgbImage, Rgba, RgbaImage};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The most pixels soapbox decodes in one image: 50 megapixels (an 8,660 × 5,773 photo, more
/// than any phone or most cameras take). A bigger image is refused from its header alone.
pub const MAX_PIXELS: u64 = 50_000_000;

/// The longest side soapbox reads, in pixels: WebP's own limit, so that every photo read
/// can be written.
pub const MAX_SIDE: u32 = 16_383;

/// The most memory a decoder may allocate for one image (512 MiB): a 50-megapixel PNG with
/// 16 bits a channel and transparency needs 400 MB. A second guard behind [`MAX_PIXELS`].
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// How photos are written: `photos:` in site.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The widths, in pixels, each photo is offered at (narrower photos are never enlarged).
    pub widths: Vec<u32>,
    /// JPEG and WebP quality, 1–100.
    pub quality: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { widths: vec![480, 800, 1200, 1600], quality: 75 }
    }
}

impl Settings {
    /// The most widths a photo may be offered at.
    pub const MAX_WIDTHS: usize = 8;
    /// The narrowest and widest width that may be asked for.
    pub const WIDTH_RANGE: (u32, u32) = (16, 4096);

    /// Whether the settings are usable; the message says the rule broken.
    pub fn checked(&self) -> Result<(), String> {
        let (low, high) = Self::WIDTH_RANGE;
        if self.widths.is_empty() || self.widths.len() > Self::MAX_WIDTHS {
            return Err(format!("`widths` needs between 1 and {} widths, not {}", Self::MAX_WIDTHS, self.widths.len()));
        }
        if let Some(w) = self.widths.iter().find(|w| !(low..=high).contains(*w)) {
            return Err(format!("each of `widths` must be between {low} and {high} pixels; {w} is not"));
        }
        if !(1..=100).contains(&self.quality) {
            return Err(format!("`quality` must be between 1 and 100, not {}", self.quality));
        }
        Ok(())
    }

    /// The widths sorted, smallest first, each once.
    pub fn sorted_widths(&self) -> Vec<u32> {
        let mut widths = self.widths.clone();
        widths.sort_unstable();
        widths.dedup();
        widths
    }
}

/// A photo's format, known from its first bytes (never from the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Starts `FF D8 FF`.
    Jpeg,
    /// Starts with the PNG signature, `89 50 4E 47 0D 0A 1A 0A`.
    Png,
    /// A RIFF file of type `WEBP`, still (an animated one is refused).
    Webp,
}

/// The file extensions of the photos soapbox makes into sizes: JPEG, PNG and WebP, in any case.
/// A page's image with another extension (an SVG, a GIF) is left as it is.
pub fn is_photo_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| !stem.is_empty() && ["jpg", "jpeg", "png", "webp"].iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

impl Kind {
    /// The format's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Webp => "WebP",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::Webp => ImageFormat::WebP,
        }
    }
}

/// What a photo's header says: its format and its size as shown, after orientation (a photo
/// taken with the phone on its side, stored 4000 × 3000 with orientation 6, is 3000 × 4000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// The format, from the magic bytes.
    pub kind: Kind,
    /// Pixels across, as shown.
    pub width: u32,
    /// Pixels down, as shown.
    pub height: u32,
}

/// Reads a photo's header only, never its pixels: cheap for any file, and the way a
/// decompression bomb (a small file that says it is enormous) is refused. Refuses formats
/// other than JPEG, PNG and WebP (naming GIF, HEIC, AVIF, SVG, TIFF and BMP when it sees
/// them), headers cut short, and images over [`MAX_PIXELS`] or [`MAX_SIDE`]. The error has
/// no location: the caller adds the file, page and line.
pub fn probe(bytes: &[u8]) -> Result<Probe> {
    let header = header::read(bytes)?;
    let (width, height) = if header.swaps_sides() { (header.stored_height, header.stored_width) } else { (header.stored_width, header.stored_height) };
    Ok(Probe { kind: header.kind, width, height })
}

/// Where a crop is centred, as fractions of the width and height (0 to 1, from the left and
/// from the top): `focus: 30% 40%` in a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Focus {
    /// Across, from the left edge (0) to the right (1).
    pub x: f64,
    /// Down, from the top edge (0) to the bottom (1).
    pub y: f64,
}

impl Default for Focus {
    fn default() -> Self {
        Focus { x: 0.5, y: 0.5 }
    }
}

impl Focus {
    /// Reads `30% 40%` (across, then down, each 0–100%), or one of the words `centre`
    /// (`center`), `top`, `bottom`, `left` and `right`, or two words (`left top`, `right
    /// centre`): across first, then down.
    pub fn parse(text: &str) -> Result<Focus, String> {
        const RULE: &str = "write two percentages, across then down (`30% 40%`), or one of `centre`, `top`, `bottom`, `left`, `right`";
        let words: Vec<&str> = text.split_whitespace().collect();
        let word = |w: &str| -> Option<(Option<f64>, Option<f64>)> {
            match w.to_ascii_lowercase().as_str() {
                "centre" | "center" => Some((Some(0.5), Some(0.5))),
                "left" => Some((Some(0.0), None)),
                "right" => Some((Some(1.0), None)),
                "top" => Some((None, Some(0.0))),
                "bottom" => Some((None, Some(1.0))),
                _ => None,
            }
        };
        let percent = |w: &str, axis: &str| -> Result<f64, String> {
            if let Some((x, y)) = word(w) {
                let value = if axis == "across" { x } else { y };
                return value.ok_or_else(|| format!("`{w}` is not a place {axis}; {RULE}"));
            }
            let Some(number) = w.strip_suffix('%') else {
                return Err(format!("`{w}` is not a percentage (like `30%`); {RULE}"));
            };
            match number.parse::<f64>() {
                Ok(n) if (0.0..=100.0).contains(&n) => Ok(n / 100.0),
                Ok(_) => Err(format!("`{w}` is outside 0% to 100%")),
                Err(_) => Err(format!("`{w}` is not a percentage (like `30%`); {RULE}")),
            }
        };
        match words.as_slice() {
            [one] => match word(one) {
                Some((x, y)) => Ok(Focus { x: x.unwrap_or(0.5), y: y.unwrap_or(0.5) }),
                None if one.ends_with('%') => Err(format!("`{one}` gives only one percentage; {RULE}")),
                None => Err(format!("`{one}` is not a place in a photo; {RULE}")),
            },
            [across, down] => Ok(Focus { x: percent(across, "across")?, y: percent(down, "down")? }),
            [] => Err(format!("the focus is empty; {RULE}")),
            _ => Err(format!("`{}` has {} parts, not two; {RULE}", text.trim(), words.len())),
        }
    }
}

/// A decoded photo: the right way up, in sRGB, 8 bits a channel; RGB, or RGBA when some
/// pixel is not fully opaque.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pixels: Pixels,
}

#[derive(Debug, Clone, PartialEq)]
enum Pixels {
    Rgb(RgbImage),
    Rgba(RgbaImage),
}

/// Decodes a photo: [`probe`] first (so a bomb is never decoded), then the pixels under
/// [`MAX_DECODE_BYTES`]; applies the EXIF orientation; converts an embedded colour profile
/// (RGB or grey) to sRGB; 16 bits become 8 and grey becomes RGB.
///
/// A colour profile that cannot be parsed or converted is treated as sRGB: a broken profile
/// never fails a build, since the photo is still a photo and sRGB is what most are anyway.
/// A CMYK JPEG's inks are turned into RGB by the decoder (a plain conversion, without its
/// CMYK profile: the decoder gives no access to the ink values).
pub fn decode(bytes: &[u8]) -> Result<Photo> {
    let header = header::read(bytes)?;
    let kind = header.kind;
    let unreadable = |err: image::ImageError| {
        Error::new(format!("this file could not be read as a {}: {}", kind.name(), plain(&err)))
            .hint("the file may be damaged or cut short: open it in an image editor and save it again")
    };
    if kind == Kind::Jpeg && !header::jpeg_complete(bytes, &header) {
        return Err(Error::new("this file could not be read as a JPEG: it ends before its image does (the file is cut short)")
            .hint("copy or download the photo again, or open it in an image editor and save it again"));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (w, h) = decoder.dimensions();
    if (w, h) != (header.stored_width, header.stored_height) {
        return Err(Error::new(format!(
            "this file could not be read as a {}: its header says {} × {} pixels but its image is {} × {}",
            kind.name(),
            header.stored_width,
            header.stored_height,
            w,
            h
        ))
        .hint("open it in an image editor and save it again"));
    }
    let icc = decoder.icc_profile().ok().flatten();
    let image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    let mut image = to_srgb(image, icc.as_deref());
    image.apply_orientation(header.orientation);
    Ok(Photo::from_dynamic(image))
}

/// The decoder's message without the noise of its types ("Format error decoding Png: ...").
fn plain(err: &image::ImageError) -> String {
    let text = err.to_string();
    match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("Format error") => rest.to_string(),
        _ => text,
    }
}

/// 8-bit sRGB: converted through `icc` when it is an RGB or grey profile that moxcms can
/// read and convert from; left as it is otherwise.
fn to_srgb(image: DynamicImage, icc: Option<&[u8]>) -> DynamicImage {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let grey = matches!(image.color(), image::ColorType::L8 | image::ColorType::L16 | image::ColorType::La8 | image::ColorType::La16);
    let alpha = image.color().has_alpha();
    let profile = icc.and_then(|icc| ColorProfile::new_from_slice(icc).ok());
    let srgb = ColorProfile::new_srgb();
    let convert = |src: &[u8], from: Layout, to: Layout, profile: &ColorProfile, channels: usize| -> Option<Vec<u8>> {
        let transform = profile.create_transform_8bit(from, &srgb, to, TransformOptions::default()).ok()?;
        let mut out = vec![0u8; src.len() / from.channels() * channels];
        transform.transform(src, &mut out).ok()?;
        Some(out)
    };
    let (w, h) = (image.width(), image.height());
    match profile {
        Some(p) if p.color_space == DataColorSpace::Gray && grey => {
            let converted = if alpha {
                let la = image.to_luma_alpha8();
                convert(la.as_raw(), Layout::GrayAlpha, Layout::Rgba, &p, 4).and_then(|v| RgbaImage::from_raw(w, h, v)).map(DynamicImage::ImageRgba8)
            } else {
                let l = image.to_luma8();
                convert(l.as_raw(), Layout::Gray, Layout::Rgb, &p, 3).and_then(|v| RgbImage::from_raw(w, h, v)).map(DynamicImage::ImageRgb8)
            };
            converted.unwrap_or_else(|| eight_bit(image))
        }
        Some(p) if p.color_space == DataColorSpace::Rgb && !grey => {
            let image = eight_bit(image);
            let converted = match &image {
                DynamicImage::ImageRgba8(rgba) => {
                    convert(rgba.as_raw(), Layout::Rgba, Layout::Rgba, &p, 4).and_then(|v| RgbaImage::from_raw(w, h, v)).map(DynamicImage::ImageRgba8)
                }
                DynamicImage::ImageRgb8(rgb) => {
                    convert(rgb.as_raw(), Layout::Rgb, Layout::Rgb, &p, 3).and_then(|v| RgbImage::from_raw(w, h, v)).map(DynamicImage::ImageRgb8)
                }
                _ => None,
            };
            converted.unwrap_or(image)
        }
        _ => eight_bit(image),
    }
}

/// The image as 8-bit RGB, or RGBA when it has an alpha channel.
fn eight_bit(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => image,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// The widths a photo `own` pixels wide is offered at, given the settings' widths: those at
/// or below its own width, and its own width too when a wider one was asked for, so a photo
/// is never enlarged (a 300-pixel photo gives just 300). Sorted, each once.
pub fn widths(own: u32, settings_widths: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = settings_widths.iter().copied().filter(|&w| w <= own && w > 0).collect();
    if settings_widths.iter().any(|&w| w > own) || out.is_empty() {
        out.push(own);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The height of a `width`-pixel copy of a `w` × `h` photo, rounded, at least 1.
pub fn scaled_height(w: u32, h: u32, width: u32) -> u32 {
    ((u64::from(h) * u64::from(width) * 2 + u64::from(w)) / (u64::from(w) * 2)).max(1) as u32
}

impl Photo {
    fn from_dynamic(image: DynamicImage) -> Photo {
        match eight_bit(image) {
            DynamicImage::ImageRgba8(rgba) => Photo::from_rgba(rgba),
            DynamicImage::ImageRgb8(rgb) => Photo { pixels: Pixels::Rgb(rgb) },
            _ => unreachable!("eight_bit gives RGB or RGBA"),
        }
    }

    /// RGBA kept only when some pixel is not fully opaque.
    fn from_rgba(rgba: RgbaImage) -> Photo {
        if rgba.pixels().all(|p| p[3] == 255) {
            Photo { pixels: Pixels::Rgb(DynamicImage::ImageRgba8(rgba).to_rgb8()) }
        } else {
            Photo { pixels: Pixels::Rgba(rgba) }
        }
    }

    /// Pixels across.
    pub fn width(&self) -> u32 {
        match &self.pixels {
            Pixels::Rgb(p) => p.width(),
            Pixels::Rgba(p) => p.width(),
        }
    }

    /// Pixels down.
    pub fn height(&self) -> u32 {
        match &self.pixels {
            Pixels::Rgb(p) => p.height(),
            Pixels::Rgba(p) => p.height(),
        }
    }

    /// Whether some pixel is not fully opaque (then [`Photo::png`] is the fallback to JPEG).
    pub fn has_alpha(&self) -> bool {
        matches!(self.pixels, Pixels::Rgba(_))
    }

    /// The pixels as RGBA, row by row from the top left (alpha 255 for an opaque photo).
    pub fn rgba(&self) -> Vec<u8> {
        match &self.pixels {
            Pixels::Rgb(p) => DynamicImage::ImageRgb8(p.clone()).to_rgba8().into_raw(),
            Pixels::Rgba(p) => p.as_raw().clone(),
        }
    }

    /// The pixel at `x`, `y` (counted from the top left, inside the photo) as RGBA.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        match &self.pixels {
            Pixels::Rgb(p) => {
                let Rgb([r, g, b]) = *p.get_pixel(x, y);
                [r, g, b, 255]
            }
            Pixels::Rgba(p) => p.get_pixel(x, y).0,
        }
    }

    /// A photo made from RGBA pixels (`width` × `height` × 4 bytes), for pictures drawn
    /// rather than read, such as a link-preview card; `None` when the sizes do not match.
    pub fn from_rgba_pixels(width: u32, height: u32, rgba: Vec<u8>) -> Option<Photo> {
        RgbaImage::from_raw(width, height, rgba).map(Photo::from_rgba)
    }

    /// This photo resized to exactly `width` × `height` (each at least 1).
    fn resized(&self, width: u32, height: u32) -> Photo {
        let (width, height) = (width.max(1), height.max(1));
        if (width, height) == (self.width(), self.height()) {
            return self.clone();
        }
        // Far smaller: average boxes of pixels down to twice the size first (quick, and free
        // of aliasing), then Lanczos3 for the last step, where sharpness is decided.
        let prescale = self.width() >= 3 * width && self.height() >= 3 * height;
        let (pw, ph) = (2 * width, 2 * height);
        let pixels = match &self.pixels {
            Pixels::Rgb(p) if prescale => Pixels::Rgb(image::imageops::resize(&image::imageops::thumbnail(p, pw, ph), width, height, FilterType::Lanczos3)),
            Pixels::Rgba(p) if prescale => Pixels::Rgba(image::imageops::resize(&image::imageops::thumbnail(p, pw, ph), width, height, FilterType::Lanczos3)),
            Pixels::Rgb(p) => Pixels::Rgb(image::imageops::resize(p, width, height, FilterType::Lanczos3)),
            Pixels::Rgba(p) => Pixels::Rgba(image::imageops::resize(p, width, height, FilterType::Lanczos3)),
        };
        Photo { pixels }
    }

    /// The photo at each of [`widths`]`(self.width(), widths)`, narrowest first, heights in
    /// proportion. Each is resized (Lanczos3) from the next wider one rather than from the
    /// original, and a step to a third or less of the size first averages boxes of pixels
    /// down to twice the size: both keep a 12-megapixel photo quick.
    pub fn sizes(&self, widths: &[u32]) -> Vec<Photo> {
        let plan = self::widths(self.width(), widths);
        let mut out: Vec<Photo> = Vec::with_capacity(plan.len());
        let mut from = self.clone();
        for &w in plan.iter().rev() {
            let next = from.resized(w, scaled_height(self.width(), self.height(), w));
            from = next.clone();
            out.push(next);
        }
        out.reverse();
        out
    }

    /// Scaled to cover `width` × `height` exactly and cropped, keeping `focus` as near the
    /// middle as the edges allow: the link-preview picture (1200 × 630). The crop is taken
    /// first and then scaled, so a small photo is enlarged to fill the card.
    pub fn cover(&self, width: u32, height: u32, focus: Focus) -> Photo {
        let (width, height) = (width.clamp(1, MAX_SIDE), height.clamp(1, MAX_SIDE));
        let (w, h) = (f64::from(self.width()), f64::from(self.height()));
        let aim = f64::from(width) / f64::from(height);
        let (cw, ch) = if w / h > aim { ((h * aim).round().max(1.0), h) } else { (w, (w / aim).round().max(1.0)) };
        let place = |size: f64, crop: f64, at: f64| -> u32 { (at.clamp(0.0, 1.0) * size - crop / 2.0).round().clamp(0.0, size - crop) as u32 };
        let (x0, y0) = (place(w, cw, focus.x), place(h, ch, focus.y));
        let (cw, ch) = (cw as u32, ch as u32);
        let cropped = match &self.pixels {
            Pixels::Rgb(p) => Pixels::Rgb(image::imageops::crop_imm(p, x0, y0, cw, ch).to_image()),
            Pixels::Rgba(p) => Pixels::Rgba(image::imageops::crop_imm(p, x0, y0, cw, ch).to_image()),
        };
        Photo { pixels: cropped }.resized(width, height)
    }

    /// A progressive JPEG (optimised Huffman tables, 4:2:0 colour) at `quality` (1–100);
    /// transparency is flattened onto white. Nothing but the pixels is written.
    pub fn jpeg(&self, quality: u8) -> Vec<u8> {
        let rgb: std::borrow::Cow<'_, RgbImage> = match &self.pixels {
            Pixels::Rgb(p) => std::borrow::Cow::Borrowed(p),
            Pixels::Rgba(p) => std::borrow::Cow::Owned(flatten(p)),
        };
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
        encoder.set_progressive(true);
        encoder.set_optimized_huffman_tables(true);
        encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
        // A photo is at most MAX_SIDE on a side (probe and cover see to it), within JPEG's 65,535.
        let (w, h) = (rgb.width().min(65_535) as u16, rgb.height().min(65_535) as u16);
        match encoder.encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb) {
            Ok(()) => out,
            Err(err) => unreachable!("a JPEG of {w} × {h} pixels could not be encoded: {err}"),
        }
    }

    /// A lossy WebP at `quality` (1–100), keeping transparency. Nothing but the pixels is
    /// written.
    pub fn webp(&self, quality: u8) -> Vec<u8> {
        let (w, h) = (self.width(), self.height());
        let encoder = match &self.pixels {
            Pixels::Rgb(p) => webp::Encoder::from_rgb(p.as_raw(), w, h),
            Pixels::Rgba(p) => webp::Encoder::from_rgba(p.as_raw(), w, h),
        };
        match encoder.encode_simple(false, f32::from(quality.clamp(1, 100))) {
            Ok(memory) => memory.to_vec(),
            Err(err) => unreachable!("a WebP of {w} × {h} pixels could not be encoded: {err:?}"),
        }
    }

    /// A PNG, the fallback for a photo with transparency (JPEG has none). Nothing but the
    /// pixels is written.
    pub fn png(&self) -> Vec<u8> {
        let (w, h) = (self.width(), self.height());
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        let data = match &self.pixels {
            Pixels::Rgb(p) => {
                encoder.set_color(png::ColorType::Rgb);
                p.as_raw()
            }
            Pixels::Rgba(p) => {
                encoder.set_color(png::ColorType::Rgba);
                p.as_raw()
            }
        };
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Balanced);
        let written = encoder.write_header().and_then(|mut writer| writer.write_image_data(data));
        match written {
            Ok(()) => out,
            Err(err) => unreachable!("a PNG of {w} × {h} pixels could not be encoded: {err}"),
        }
    }
}

/// Transparent pixels laid on white, for JPEG.
fn flatten(rgba: &RgbaImage) -> RgbImage {
    ImageBuffer::from_fn(rgba.width(), rgba.height(), |x, y| {
        let Rgba([r, g, b, a]) = *rgba.get_pixel(x, y);
        let over = |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8;
        Rgb([over(r), over(g), over(b)])
    })
}
