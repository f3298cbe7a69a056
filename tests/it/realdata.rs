//! Every file of `../shared/realdata` is accounted for: it is the
//! byte-identical input of at least one shipped case, whose expected file
//! says exactly what it maps to (`*.expected.jsonl`) or why it is refused
//! (`*.expected-error.txt`); `shipped_case_folders_pass` runs those cases
//! through the built components. A real file added without a case fails
//! here, naming it.

use std::collections::BTreeMap;
use std::path::Path;

fn digest(p: &Path) -> String {
    weft_host::stamp::sha256_hex(&std::fs::read(p).unwrap())
}

#[test]
fn every_real_file_is_the_input_of_a_judged_case() {
    let real = realdata_or_skip!("");
    let plugins = super::support::root().join("plugins");
    // Digest → the cases that take it as input.
    let mut inputs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for plugin in std::fs::read_dir(&plugins).unwrap().flatten() {
        let Ok(cases) = std::fs::read_dir(plugin.path().join("cases")) else {
            continue;
        };
        for c in cases.flatten() {
            let name = c.file_name().to_string_lossy().to_string();
            let Some((stem, _)) = name.split_once(".input.") else {
                continue;
            };
            let dir = c.path().parent().unwrap().to_path_buf();
            let judged = dir.join(format!("{stem}.expected.jsonl")).exists()
                || dir.join(format!("{stem}.expected-error.txt")).exists();
            assert!(judged, "case {} has no expected file", c.path().display());
            inputs
                .entry(digest(&c.path()))
                .or_default()
                .push(format!("{}/{stem}", plugin.file_name().to_string_lossy()));
        }
    }
    let mut missing = Vec::new();
    let mut counted = 0;
    for dir in std::fs::read_dir(&real).unwrap().flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            counted += 1;
            if !inputs.contains_key(&digest(&f.path())) {
                missing.push(format!(
                    "{}/{}",
                    dir.file_name().to_string_lossy(),
                    f.file_name().to_string_lossy()
                ));
            }
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "{} of {counted} real files are the input of no case (add a case that maps or refuses each):\n{}",
        missing.len(),
        missing.join("\n")
    );
    println!("{counted} real files, each the input of a judged case");
}
