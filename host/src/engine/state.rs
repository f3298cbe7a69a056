//! Per-call store state: an empty WASI context (nothing granted), the memory
//! limiter, and the state of the host imports (see [`super::imports`]); and
//! the linker every plugin is instantiated with.

use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime_wasi::{p2::pipe::MemoryOutputPipe, WasiCtx, WasiCtxView, WasiView};

use super::{
    bindings::wit,
    imports::{self, HasImports, Imports},
    limits::CallLimits,
    CallContext,
};

/// Bytes of guest stdout/stderr kept per call (a panic message lands there).
const PIPE_CAPACITY: usize = 64 << 10;

/// Records a refused memory growth so the failure is classed `memory-limit`.
pub(crate) struct Limits {
    pub(crate) memory_cap: usize,
    pub(crate) denied: Option<usize>,
}

impl wasmtime::ResourceLimiter for Limits {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_cap {
            self.denied = Some(desired);
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1_000_000)
    }
}

/// The store data of one call.
pub(crate) struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    /// The memory cap, and the growth it refused.
    pub(crate) limits: Limits,
    /// What the guest wrote to stderr (a panic message lands there).
    pub(crate) stderr: MemoryOutputPipe,
    /// The state of the `weft:plugin/host` imports.
    pub(crate) imports: Imports,
}

impl HostState {
    /// The state of one call of `plugin` on the message `correlation_id`,
    /// with `memory_cap` bytes of linear memory and the imports serving
    /// `ctx` under `call_limits`.
    pub(crate) fn new(
        ctx: &CallContext,
        memory_cap: usize,
        call_limits: &CallLimits,
        correlation_id: &str,
        plugin: &str,
    ) -> HostState {
        let stderr = MemoryOutputPipe::new(PIPE_CAPACITY);
        // Deny by default: no preopened directories, no environment, no
        // arguments, no sockets, no name lookups. Output streams are kept in
        // memory so a panic message can be reported.
        let wasi = WasiCtx::builder()
            .stdout(MemoryOutputPipe::new(PIPE_CAPACITY))
            .stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        HostState {
            wasi,
            table: ResourceTable::new(),
            limits: Limits {
                memory_cap,
                denied: None,
            },
            stderr,
            imports: Imports::new(ctx, call_limits, correlation_id, plugin),
        }
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl wit::Host for HostState {}

/// The linker shared by every plugin: WASI p2 (nothing granted, Rust std
/// needs it), the `weft:plugin/types` interface (types only) and the four
/// `weft:plugin/host` imports, each linked by its own module.
pub(crate) fn linker(engine: &wasmtime::Engine) -> wasmtime::Result<Linker<HostState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    wit::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)?;
    let get: fn(&mut HostState) -> &mut Imports = |s| &mut s.imports;
    imports::log::add_to_linker::<_, HasImports>(&mut linker, get)?;
    imports::config::add_to_linker::<_, HasImports>(&mut linker, get)?;
    imports::lookup::add_to_linker::<_, HasImports>(&mut linker, get)?;
    imports::sequence::add_to_linker::<_, HasImports>(&mut linker, get)?;
    Ok(linker)
}
