//! Brand colours made to stand out from the window's rows, in either theme.

/// The window's theme, which follows the system's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The row background an icon must stand out from: the selected row's, the one nearest an
    /// icon's colour in each theme (`--selected` in ui/src/styles.css).
    fn background(self) -> [u8; 3] {
        match self {
            Theme::Light => [0xe8, 0xf0, 0xfa],
            Theme::Dark => [0x26, 0x31, 0x3f],
        }
    }
}

/// WCAG's contrast ratio for graphics: an icon at 3:1 from its background is seen.
const GRAPHICS: f64 = 3.0;

/// `hex` (`RRGGBB`), mixed towards black on the light theme or white on the dark one in steps of
/// 5% until it has [`GRAPHICS`] contrast with the theme's rows, as `#rrggbb`. A brand colour
/// that already stands out is kept as it is.
pub fn for_theme(hex: &str, theme: Theme) -> String {
    let rgb = parse(hex).unwrap_or([0x80, 0x80, 0x80]);
    let background = theme.background();
    let target = match theme {
        Theme::Light => 0.0,
        Theme::Dark => 255.0,
    };
    let mut mixed = rgb;
    for step in 0..=20 {
        let t = f64::from(step) / 20.0;
        mixed = rgb.map(|c| (f64::from(c) + (target - f64::from(c)) * t).round() as u8);
        if contrast(mixed, background) >= GRAPHICS {
            break;
        }
    }
    format!("#{:02x}{:02x}{:02x}", mixed[0], mixed[1], mixed[2])
}

fn parse(hex: &str) -> Option<[u8; 3]> {
    let hex = hex.trim_start_matches('#');
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// The WCAG contrast ratio of two sRGB colours, from 1 to 21.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_brand_colour_stands_out_in_both_themes() {
        for icon in super::super::all().iter().filter(|i| i.is_mono()) {
            for theme in [Theme::Light, Theme::Dark] {
                let adjusted = icon.colour(theme).unwrap();
                let ratio = contrast(parse(&adjusted).unwrap(), theme.background());
                assert!(
                    ratio >= GRAPHICS,
                    "{} on {theme:?}: {adjusted} at {ratio:.2}",
                    icon.id
                );
            }
        }
    }

    #[test]
    fn a_colour_that_stands_out_is_kept() {
        assert_eq!(for_theme("181717", Theme::Light), "#181717");
        assert_ne!(for_theme("181717", Theme::Dark), "#181717");
        assert_eq!(for_theme("FFFFFF", Theme::Dark), "#ffffff");
        assert_ne!(for_theme("FFFFFF", Theme::Light), "#ffffff");
    }

    #[test]
    fn contrast_matches_wcag() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([0x77, 0x77, 0x77], [255, 255, 255]) - 4.48).abs() < 0.01);
    }
}
