//! How plugin instances get their memory, and how it goes back to the
//! operating system.
//!
//! A fresh instance per message makes slot reuse the hot path, so the
//! pooling allocator keeps a little of each slot mapped: the first
//! [`KEEP_RESIDENT`] bytes of dirty pages are reset in place (found with the
//! `PAGEMAP_SCAN` ioctl where the kernel has it) and only the rest is
//! decommitted. Decommits are not batched: a batch holds the freed slots,
//! and their pages, until it is full (up to `cores × (batch - 1)` slots of
//! up to 64 MiB each), so a burst of memory-hungry calls used to leave the
//! host hundreds of MB larger.
//!
//! Measured on 2 cores (`tests/it/memory.rs`, 200 `memory-limit`
//! failures of `guest-alloc`, idle RSS 47 MB): batches of 16 with 8 MiB
//! kept resident stayed at 304–542 MB; unbatched, 83 MB with 8 MiB kept and
//! 54 MB with 1 MiB kept. The per-call cost of the Shopify and X12 bench
//! (`benches/plugin.rs`) did not change measurably with either; keeping
//! nothing resident made the Shopify call about 30 % slower.

/// Bytes of each linear memory slot kept mapped (reset in place) after a
/// call. Warm slots never hold more than this (1 MiB × `total_memories`).
const KEEP_RESIDENT: usize = 1 << 20;
/// Bytes of each table slot kept mapped after a call.
const TABLE_KEEP_RESIDENT: usize = 64 << 10;

/// What one plugin component may hold: [`super::EngineConfig::pool`].
///
/// A component over any of these is refused at load
/// ([`super::LoadError::Limits`]), naming the count and the limit.
/// Measured (`tests/it/languages.rs` prints them): a Rust guest holds up to
/// 3 core instances, 1 memory and 2 tables; an interpreter built in brings
/// its runtime as several modules: `woocommerce-orders-py` (componentize-py
/// 0.25) holds 14 core instances, 1 memory and 2 tables, `validate-order-js`
/// (componentize-js 0.23) 3, 1 and 2. The pool's totals
/// (`total_core_instances` = 16 per instance) hold a full pool of such
/// Python guests.
/// `[pool]` in `weft.toml`; every value must be at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PoolLimits {
    /// Core module instances one component may create. Default 32 (twice
    /// what a Python guest needs).
    #[serde(deserialize_with = "at_least_one")]
    pub core_instances_per_component: u32,
    /// Linear memories one component may define. Default 4.
    #[serde(deserialize_with = "at_least_one")]
    pub memories_per_component: u32,
    /// Tables one component may define. Default 32.
    #[serde(deserialize_with = "at_least_one")]
    pub tables_per_component: u32,
}

impl Default for PoolLimits {
    fn default() -> Self {
        PoolLimits {
            core_instances_per_component: 32,
            memories_per_component: 4,
            tables_per_component: 32,
        }
    }
}

/// Refuses 0: no component has no instance.
fn at_least_one<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = <u32 as serde::Deserialize>::deserialize(d)?;
    if v == 0 {
        return Err(serde::de::Error::custom("must be at least 1"));
    }
    Ok(v)
}

/// The pooling allocator for `instances` instances of at most `memory`
/// bytes of linear memory each, each within `per`.
pub(crate) fn config(
    instances: u32,
    memory: usize,
    per: PoolLimits,
) -> wasmtime::PoolingAllocationConfig {
    let mut pool = wasmtime::PoolingAllocationConfig::new();
    let n = instances.max(1);
    pool.total_component_instances(n)
        .total_core_instances(n * 16)
        .total_memories(n * 2)
        .total_tables(n * 16)
        .total_stacks(n)
        .max_core_instances_per_component(per.core_instances_per_component.max(1))
        .max_memories_per_component(per.memories_per_component.max(1))
        .max_tables_per_component(per.tables_per_component.max(1))
        .max_memory_size(memory)
        .decommit_batch_size(1)
        .pagemap_scan(wasmtime::Enabled::Auto)
        .linear_memory_keep_resident(KEEP_RESIDENT.min(memory))
        .table_keep_resident(TABLE_KEEP_RESIDENT);
    pool
}

/// Makes the C allocator give large freed buffers back to the operating
/// system; call it once at process start (the `weft` binary does).
///
/// glibc raises its mmap threshold to the size of each large block freed
/// (up to 32 MiB), after which multi-MB buffers (a plugin's outputs, headers
/// and log lines copied out of the guest) come from its arenas and stay
/// there when freed. Fixing the threshold at glibc's initial 128 KiB keeps
/// such buffers mapped on their own, returned on free. Measured with the
/// edge guests together (memory bomb, 10 MB headers, 5 MB log lines,
/// panics, 4 MB echoes; 800 messages): 217 MB → 84 MB ten seconds later,
/// idle 50 MB. Smaller allocations, the per-call hot path, are unaffected.
/// Does nothing on other C libraries.
#[expect(
    unsafe_code,
    reason = "glibc's allocator is tuned only through mallopt, a C function"
)]
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is safe to call at
    // any time, from any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 10);
    }
}
