//! Writes photo-like JPEGs of our own making (no downloads): a sky, a sun, hills and
//! water, with grain, different for each seed, so that encoders see the detail of a real
//! photo rather than flat colour. Used for the image benchmark and the sample site.
//!
//! cargo run --release --example photos -- OUT_DIR COUNT WIDTH HEIGHT [FIRST_SEED]

use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};

/// A small fast generator (xorshift), enough for grain and shapes.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn photo(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut noise = Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (w, h) = (width as f32, height as f32);
    let sun = (w * (0.2 + 0.6 * noise.unit()), h * (0.15 + 0.2 * noise.unit()), h * (0.04 + 0.04 * noise.unit()));
    let phases: Vec<f32> = (0..6).map(|_| noise.unit() * std::f32::consts::TAU).collect();
    let horizon = h * (0.55 + 0.1 * noise.unit());
    let warm = noise.unit();
    let mut grain = Noise(seed ^ 0xD1B5_4A32_D192_ED03 | 1);
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let hill = horizon
            - h * 0.08 * ((fx / w * 7.0 + phases[0]).sin() + 0.5 * (fx / w * 19.0 + phases[1]).sin())
            - h * 0.02 * (fx / w * 53.0 + phases[2]).sin();
        let mut colour = if fy < hill {
            // Sky: a gradient warming towards the horizon, and the sun's glow.
            let t = fy / hill;
            let (dx, dy) = (fx - sun.0, fy - sun.1);
            let glow = (-(dx * dx + dy * dy).sqrt() / (sun.2 * 4.0)).exp();
            [
                60.0 + 150.0 * t * warm + 190.0 * glow,
                110.0 + 80.0 * t + 150.0 * glow,
                200.0 - 70.0 * t * warm + 60.0 * glow,
            ]
        } else if fy < horizon + h * 0.12 {
            // Hills: greens with stripes of fields.
            let field = ((fx / w * 40.0 + fy / h * 13.0 + phases[3]).sin() * 0.5 + 0.5) * 40.0;
            [50.0 + field, 90.0 + field * 0.8, 40.0]
        } else {
            // Water: the sky reflected, broken by ripples.
            let ripple = (fy / h * 180.0 + (fx / w * 9.0 + phases[4]).sin() * 3.0).sin() * 25.0;
            [40.0 + ripple + 60.0 * warm, 80.0 + ripple, 130.0 + ripple]
        };
        let g = (grain.unit() - 0.5) * 18.0;
        for c in &mut colour {
            *c = (*c + g).clamp(0.0, 255.0);
        }
        Rgb([colour[0] as u8, colour[1] as u8, colour[2] as u8])
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: photos OUT_DIR COUNT WIDTH HEIGHT [FIRST_SEED]");
        std::process::exit(2);
    }
    let out = std::path::Path::new(&args[1]);
    let number = |i: usize| args[i].parse::<u64>().unwrap_or_else(|_| panic!("{} is not a number", args[i]));
    let (count, width, height) = (number(2), number(3) as u32, number(4) as u32);
    let first = if args.len() > 5 { number(5) } else { 1 };
    std::fs::create_dir_all(out).expect("the output folder can be made");
    for seed in first..first + count {
        let image = photo(width, height, seed);
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 92)
            .write_image(image.as_raw(), width, height, ExtendedColorType::Rgb8)
            .expect("a JPEG encodes");
        let path = out.join(format!("photo-{seed:04}.jpg"));
        std::fs::write(&path, bytes).expect("the photo can be written");
    }
}
