//! The parser and mappers never panic: every truncation of every real file,
//! and seeded mutations (delimiter bytes inserted, deleted or replaced,
//! random bytes) of each. A small xorshift PRNG keeps runs reproducible.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::*;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Runs one input; panics name the input's origin.
fn check(input: &[u8], origin: &dyn Fn() -> String) {
    let cfg = Config::default();
    match catch_unwind(AssertUnwindSafe(|| convert(input, &cfg))) {
        Ok(Ok(msgs)) => {
            for m in msgs {
                assert!(!m.id.is_empty(), "{}", origin());
            }
        }
        Ok(Err(PluginError::Invalid(reason))) => {
            assert!(
                !reason.contains('\n') && !reason.is_empty(),
                "{}: {reason}",
                origin()
            )
        }
        Ok(Err(e)) => panic!("{}: unexpected {e:?}", origin()),
        Err(_) => panic!("panicked on {}", origin()),
    }
}

#[test]
fn never_panics_on_truncations_and_mutations() {
    let mut all = files();
    if all.is_empty() {
        println!("note: no real files; fuzzing synthetic input only");
        all.push(("synthetic".into(), b"UNA:+.? 'UNB+UNOC:3+A:14+B:14+200101:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'LIN+1++4000862141404:EN'QTY+21:2'UNT+5+1'UNZ+1+1'".to_vec()));
    }
    let mut runs = 0usize;
    for (name, bytes) in &all {
        for cut in 0..=bytes.len() {
            check(&bytes[..cut], &|| format!("{name} truncated at {cut}"));
            runs += 1;
        }
    }
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let specials: &[u8] = b"+:?\'.,*\n\r \t\xC2\xA0\xE2\x80\xA6\xEF\xBB\xBFUNAHTZBGLIQ0";
    let per_file = 100_000usize.saturating_sub(runs) / all.len() + 400;
    for (name, bytes) in &all {
        for k in 0..per_file {
            let mut m = bytes.clone();
            let edits = 1 + rng.below(4);
            for _ in 0..edits {
                let at = rng.below(m.len() + 1);
                let byte = if rng.below(3) == 0 {
                    (rng.next() & 0xFF) as u8
                } else {
                    specials[rng.below(specials.len())]
                };
                match rng.below(3) {
                    0 => m.insert(at, byte),
                    1 if at < m.len() => {
                        m.remove(at);
                    }
                    _ if at < m.len() => m[at] = byte,
                    _ => m.push(byte),
                }
            }
            check(&m, &|| {
                format!("{name} mutation {k}: {:?}", String::from_utf8_lossy(&m))
            });
            runs += 1;
        }
    }
    println!("fuzz: {runs} inputs run without a panic");
    assert!(runs >= 100_000 || all.len() == 1, "{runs}");
}
