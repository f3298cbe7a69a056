//! A reproducible fuzzer: every truncation of every input, and seeded
//! mutations (delimiter bytes inserted, deleted or replaced, random bytes)
//! of each, run through a mapping that must never panic.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{Message, PluginError};

/// A small xorshift PRNG, so fuzz runs are reproducible.
pub struct XorShift(pub u64);

impl XorShift {
    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// A mapping run on one input.
type Run<'a> = dyn Fn(&[u8]) -> Result<Vec<Message>, PluginError> + 'a;

/// Runs one input; it must give messages with ids or an `invalid` reason
/// on one line, never panic. Panics name the input's origin.
fn check(run: &Run, input: &[u8], origin: &dyn Fn() -> String) {
    match catch_unwind(AssertUnwindSafe(|| run(input))) {
        Ok(Ok(msgs)) => {
            for m in msgs {
                assert_host_valid(&m, origin);
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

/// The host's rules for outputs (it refuses others as `bad-output`): an id
/// and kind, ids of at most 512 characters, no control characters in ids
/// or headers.
fn assert_host_valid(m: &Message, origin: &dyn Fn() -> String) {
    let clean = |s: &str| !s.contains(char::is_control);
    assert!(
        !m.id.is_empty() && m.id.chars().count() <= 512 && clean(&m.id),
        "{}: bad id {:?}",
        origin(),
        m.id
    );
    assert!(
        m.correlation_id.chars().count() <= 512 && clean(&m.correlation_id),
        "{}: bad correlation id {:?}",
        origin(),
        m.correlation_id
    );
    assert!(!m.kind.is_empty(), "{}: empty kind", origin());
    for (name, value) in &m.headers {
        assert!(
            clean(name) && clean(value),
            "{}: header {name:?} = {value:?} has control characters",
            origin()
        );
    }
}

/// Runs `run` on every truncation of every `(name, bytes)` input, then on
/// seeded mutations of each (bytes from `specials` or random ones), about
/// 100 000 inputs in all; `synthetic` is fuzzed alone when there are no
/// inputs (real files absent). Panics when `run` panics, fails with a
/// retryable error, emits a message the host would refuse (no id or kind,
/// control characters in ids or headers), or gives an `invalid` reason
/// that is empty or spans lines.
pub fn fuzz(
    mut inputs: Vec<(String, Vec<u8>)>,
    synthetic: &[u8],
    specials: &[u8],
    run: impl Fn(&[u8]) -> Result<Vec<Message>, PluginError>,
) {
    if inputs.is_empty() {
        println!("note: no real files; fuzzing synthetic input only");
        inputs.push(("synthetic".into(), synthetic.to_vec()));
    }
    let mut runs = 0usize;
    for (name, bytes) in &inputs {
        for cut in 0..=bytes.len() {
            check(&run, &bytes[..cut], &|| {
                format!("{name} truncated at {cut}")
            });
            runs += 1;
        }
    }
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let per_file = 100_000usize.saturating_sub(runs) / inputs.len() + 400;
    for (name, bytes) in &inputs {
        for k in 0..per_file {
            let mut m = bytes.clone();
            let edits = 1 + rng.below(4);
            for _ in 0..edits {
                let at = rng.below(m.len() + 1);
                let byte = if rng.below(3) == 0 {
                    (rng.next_u64() & 0xFF) as u8
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
            check(&run, &m, &|| {
                format!("{name} mutation {k}: {:?}", String::from_utf8_lossy(&m))
            });
            runs += 1;
        }
    }
    println!("fuzz: {runs} inputs run without a panic");
    assert!(runs >= 100_000 || inputs.len() == 1, "{runs}");
}
