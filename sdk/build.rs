//! Writes the export macros with the absolute path of the WIT package, so a
//! plugin crate anywhere on disk can generate its export glue against it.
#![allow(
    clippy::expect_used,
    reason = "a build script: a missing WIT folder must stop the build with its message"
)]

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let wit = [manifest.join("wit"), manifest.join("../wit")]
        .into_iter()
        .find(|p| p.join("plugin.wit").exists())
        .expect("the weft WIT package (wit/plugin.wit) next to or above the SDK");
    let wit = wit.canonicalize().expect("canonical WIT path");
    println!(
        "cargo:rerun-if-changed={}",
        wit.join("plugin.wit").display()
    );
    let wit = wit.to_str().expect("UTF-8 WIT path").replace('\\', "\\\\");
    let template = include_str!("src/export_macro.rs.in");
    let mut out = String::new();
    for (role, world, iface) in [
        ("source", "source", "source_plugin"),
        ("transform", "transform", "transform_plugin"),
        ("sink", "sink", "sink_plugin"),
    ] {
        out.push_str(
            &template
                .replace("@ROLE@", role)
                .replace("@WORLD@", world)
                .replace("@IFACE@", iface)
                .replace("@WIT@", &wit),
        );
    }
    let dest =
        PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("export_macros.rs");
    fs::write(dest, out).expect("write export macros");
}
