//! What the matrix screen needs beyond the basic checks in `Matrix::validate`: each band's
//! range of scores (the bands cover 1..=size² without gaps or overlaps because each runs
//! from its own start to the next one's), a band the matrix can actually reach, and colours
//! dark text can be read on (the heat map writes scores and codes in #1a1a1a).

use super::{Band, Matrix};

/// The heat map's text colour.
pub const TEXT: &str = "#1a1a1a";
/// WCAG AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

fn channel(hex: &str) -> Option<f64> {
    let v = f64::from(u8::from_str_radix(hex, 16).ok()?) / 255.0;
    Some(if v <= 0.039_28 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    })
}

/// Relative luminance of `#rrggbb` (WCAG 2), `None` when it is not one.
pub fn luminance(colour: &str) -> Option<f64> {
    let h = colour.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    Some(0.2126 * channel(&h[0..2])? + 0.7152 * channel(&h[2..4])? + 0.0722 * channel(&h[4..6])?)
}

/// The contrast ratio of two colours (1–21).
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (x, y) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if x > y { (x, y) } else { (y, x) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// Each band with the last score it covers: up to the next band's start, the last to size².
pub fn ranges(m: &Matrix) -> Vec<(&Band, u32)> {
    let max = u32::from(m.size) * u32::from(m.size);
    m.bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let to = m
                .bands
                .get(i + 1)
                .map_or(max, |n| n.min_score.saturating_sub(1));
            (b, to)
        })
        .collect()
}

/// The checks `Matrix::validate` adds for the screen: an English name, a band some rating
/// reaches (on 5×5 no rating scores 7 or 11, so a band of 7 alone would stay empty), and a
/// background the text reads on. Each message names the band, Chinese first.
pub fn check(m: &Matrix) -> Result<(), String> {
    let size = u32::from(m.size);
    let reachable =
        |from: u32, to: u32| (1..=size).any(|l| (1..=size).any(|i| (from..=to).contains(&(l * i))));
    for (i, (b, to)) in ranges(m).into_iter().enumerate() {
        if m.bands[..i].iter().any(|o| o.key == b.key) {
            return Err(format!(
                "等级代码“{}”重复 · band key {} is used twice",
                b.key, b.key
            ));
        }
        if b.name_en.trim().is_empty() {
            return Err(format!(
                "“{}”缺少英文名称 · band {} needs an English name",
                b.name_zh, b.key
            ));
        }
        if !reachable(b.min_score, to) {
            return Err(format!(
                "“{}”（{}–{} 分）中没有可能出现的分数，请调整起始分 · band {} ({}–{}) holds no score a rating can give; move its start",
                b.name_zh, b.min_score, to, b.key, b.min_score, to
            ));
        }
        let ratio = contrast(&b.colour, TEXT).unwrap_or(0.0);
        if ratio < MIN_CONTRAST {
            return Err(format!(
                "“{}”的颜色 {} 太深，格中文字看不清（对比度 {ratio:.1}，至少 {MIN_CONTRAST}），请选浅一些的颜色 · band {} colour {} is too dark for the text on it (contrast {ratio:.1}, needs {MIN_CONTRAST}); pick a lighter one",
                b.name_zh, b.colour, b.key, b.colour
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast("#ffffff", "#000000").unwrap() - 21.0).abs() < 0.01);
        assert!((contrast("#777777", "#777777").unwrap() - 1.0).abs() < 0.01);
        assert_eq!(contrast("red", TEXT), None);
        for b in Matrix::default().bands {
            assert!(
                contrast(&b.colour, TEXT).unwrap() >= MIN_CONTRAST,
                "{}",
                b.colour
            );
        }
    }

    #[test]
    fn bands_run_to_the_next_start_and_the_last_to_the_top() {
        let m = Matrix::default();
        let r: Vec<(u32, u32)> = ranges(&m)
            .iter()
            .map(|(b, to)| (b.min_score, *to))
            .collect();
        assert_eq!(r, [(1, 4), (5, 9), (10, 16), (17, 25)]);
    }

    #[test]
    fn dark_colours_unreachable_bands_and_missing_names_are_named() {
        let mut m = Matrix::default();
        m.bands[3].colour = "#8b0000".into();
        let e = m.validate().unwrap_err().to_string();
        assert!(e.contains("极高") && e.contains("too dark"), "{e}");
        let mut m = Matrix::default();
        // 11 alone: no rating on 5×5 scores 11.
        m.bands[2].min_score = 11;
        m.bands[3].min_score = 12;
        m.bands[3].colour = "#f6a8a8".into();
        let e = m.validate().unwrap_err().to_string();
        assert!(e.contains("11–11") && e.contains("holds no score"), "{e}");
        let mut m = Matrix::default();
        m.bands[1].name_en = " ".into();
        assert!(
            m.validate()
                .unwrap_err()
                .to_string()
                .contains("English name")
        );
    }
}
