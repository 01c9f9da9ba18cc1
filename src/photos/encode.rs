//! Decoding an upload by its content (never its name or declared type), with limits on its size
//! and the decoder's memory, and re-encoding it as JPEG — which writes no EXIF, so a phone's GPS
//! position never reaches the store. Pure code, unit-tested; callers run it on the blocking pool.

use std::io::Cursor;

/// Largest width or height an upload may have before decoding is refused.
const MAX_PIXELS_SIDE: u32 = 8000;
/// The decoder's memory ceiling: a crafted small file cannot make it allocate more.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// JPEG quality of every stored photo.
const QUALITY: u8 = 85;

/// Decodes `bytes` once and re-encodes the picture as a JPEG fitted to each largest side in
/// `sides`, aspect kept. Errors are locale keys for the message beside the field.
pub fn reencode(bytes: &[u8], sides: &[u32]) -> Result<Vec<Vec<u8>>, &'static str> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| "photo.not_image")?;
    if reader.format().is_none() {
        return Err("photo.not_image");
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_PIXELS_SIDE);
    limits.max_image_height = Some(MAX_PIXELS_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| "photo.not_image")?;
    sides
        .iter()
        .map(|side| {
            let img = img.thumbnail(*side, *side).to_rgb8();
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
                .encode_image(&img)
                .map_err(|_| "photo.not_image")?;
            Ok(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn non_images_are_refused_whatever_they_are_called() {
        assert_eq!(
            reencode(b"<html><script>alert(1)</script></html>", &[600]),
            Err("photo.not_image")
        );
        assert_eq!(reencode(b"", &[600]), Err("photo.not_image"));
    }

    #[test]
    fn images_become_jpegs_at_each_size() {
        let out = reencode(&png(1200, 900), &[600, 240]).unwrap();
        let sizes: Vec<(u32, u32)> = out
            .iter()
            .map(|j| {
                assert_eq!(&j[..2], &[0xFF, 0xD8]);
                let back = image::load_from_memory(j).unwrap();
                (back.width(), back.height())
            })
            .collect();
        assert_eq!(sizes, vec![(600, 450), (240, 180)]);
    }

    #[test]
    fn the_jpeg_carries_no_exif() {
        let jpeg = reencode(&png(50, 50), &[600]).unwrap().remove(0);
        // An APP1 segment (0xFFE1) is where EXIF lives.
        assert!(!jpeg.windows(2).any(|w| w == [0xFF, 0xE1]));
    }
}
