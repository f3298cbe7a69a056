//! The EDI sources as components, under the host, on broken input: every
//! real X12 and EDIFACT file cut at many points and with seeded byte
//! mutations. Each call must end in outputs or a plain `invalid` — never a
//! trap, timeout, memory-limit, bad output or schema failure — and the
//! engine stays healthy. (The crates' own native fuzz tests run far more
//! inputs; this shows the component behaves the same.)

use weft_host::{
    engine::CallContext,
    masterdata::{MemorySequences, Services},
    FailureClass, Message,
};

use super::support::{engine, load, plugin_path, root};

/// xorshift64: reproducible mutations without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Truncations at 24 evenly spaced points plus 24 mutated copies (a byte
/// replaced by a delimiter-ish or random byte, deleted, or duplicated).
fn variants(bytes: &[u8], rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for k in 0..24 {
        out.push(bytes[..bytes.len() * k / 24].to_vec());
    }
    const NASTY: &[u8] = b"*~|^:>+'?\n\r\x00\xff ";
    for _ in 0..24 {
        let mut b = bytes.to_vec();
        for _ in 0..1 + rng.below(4) {
            if b.is_empty() {
                break;
            }
            let i = rng.below(b.len());
            match rng.below(4) {
                0 => b[i] = NASTY[rng.below(NASTY.len())],
                1 => b[i] = rng.next() as u8,
                2 => {
                    b.remove(i);
                }
                _ => {
                    let c = b[i];
                    b.insert(i, c);
                }
            }
        }
        out.push(b);
    }
    out
}

fn run(plugin_name: &str, dirs: &[&str], content_type: &str) -> (usize, usize) {
    let (engine, _cache) = engine();
    let plugin = load(&engine, &plugin_path(plugin_name));
    // Counters for the 997 control numbers, as a pipeline has in Redis.
    let services = Services::memory(Default::default(), MemorySequences::default());
    let ctx = CallContext::new(Default::default(), &services);
    let mut rng = Rng(0x0005_eed0_fed1);
    let (mut ran, mut refused) = (0, 0);
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(root().join("../shared/realdata").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            for (k, input) in variants(&bytes, &mut rng).into_iter().enumerate() {
                let msg = Message::raw(format!("fuzz-{k}"), content_type, input);
                ran += 1;
                match plugin.process(&msg, &ctx) {
                    Ok(_) => {}
                    Err(e) if e.class == FailureClass::Invalid => refused += 1,
                    Err(e) => panic!(
                        "{plugin_name} on {} variant {k}: {} {}",
                        f.display(),
                        e.class,
                        e.message
                    ),
                }
            }
        }
    }
    (ran, refused)
}

#[test]
fn x12_component_never_traps_on_cut_or_mutated_real_files() {
    realdata_or_skip!("x12");
    let (ran, refused) = run(
        "x12",
        &["x12", "x12-lenient", "x12-malformed"],
        "application/edi-x12",
    );
    eprintln!("x12 component: {ran} inputs, {refused} refused as invalid, none trapped");
    assert!(ran >= 47 * 48, "{ran}");
    assert!(refused > 0);
}

#[test]
fn edifact_component_never_traps_on_cut_or_mutated_real_files() {
    realdata_or_skip!("edifact");
    let (ran, refused) = run("edifact", &["edifact"], "application/edifact");
    eprintln!("edifact component: {ran} inputs, {refused} refused as invalid, none trapped");
    assert!(ran >= 9 * 48, "{ran}");
    assert!(refused > 0);
}
