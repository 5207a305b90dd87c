//! Times `tally_serve::map`: parsing the embedded countries once, then rendering a regional
//! and a world view. Run with `cargo run --release -p tally-serve --example map_timing`.

use std::time::Instant;

use tally_serve::map::{MapPoint, WorldMap};

fn main() {
    let t = Instant::now();
    let map = WorldMap::get();
    println!("parse: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let ganja = MapPoint { lat: 40.0, lon: 46.5, label: "Ganja".into(), href: Some("/place/1".into()), class: "" };
    let views: [(&str, Vec<MapPoint>, f64, u32); 4] = [
        ("caucasus ±8°, 800 px", vec![ganja], 16.0, 800),
        ("world, 800 px", vec![], 16.0, 800),
        ("world, 1200 px", vec![], 16.0, 1200),
        ("world, 4000 px", vec![], 16.0, 4000),
    ];
    for (name, points, span, width) in views {
        let runs = 200;
        let t = Instant::now();
        let mut bytes = 0;
        for _ in 0..runs {
            bytes = std::hint::black_box(map.render(&points, span, width)).len();
        }
        let ms = t.elapsed().as_secs_f64() * 1e3 / f64::from(runs);
        println!("{name}: {bytes} bytes, {ms:.3} ms per render");
    }
}
