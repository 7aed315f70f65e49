//! Embeds `migrations/NNNN_name.sql` into the binary, in numeric order, so a fresh install needs
//! no files next to the executable. Generates `$OUT_DIR/migrations.rs`.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    let dir =
        Path::new(&env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR")).join("migrations");
    let mut found: Vec<(u32, String)> = Vec::new();
    for entry in fs::read_dir(&dir).expect("read migrations/") {
        let path = entry.expect("read migrations/ entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !name.ends_with(".sql") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
        let version: u32 = digits.parse().unwrap_or_else(|_| {
            panic!("migration {name:?} must start with its number, e.g. 0003_x.sql")
        });
        if let Some((_, other)) = found.iter().find(|(v, _)| *v == version) {
            panic!("migrations {other:?} and {name:?} share number {version}");
        }
        found.push((version, name));
    }
    found.sort();
    let mut out = String::from("/// Every migration as (version, file name, SQL), in order.\n");
    out.push_str("pub const MIGRATIONS: &[(u32, &str, &str)] = &[\n");
    for (version, name) in &found {
        let path = dir.join(name);
        out.push_str(&format!(
            "    ({version}, {name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("migrations.rs");
    fs::write(dest, out).expect("write migrations.rs");
}
