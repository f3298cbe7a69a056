declare module 'weft:plugin/host@0.1.0' {
  /**
   * Writes a log line into the host's log, tagged with the plugin, stage
   * and the message's correlation id.
   */
  export function log(level: LogLevel, message: string): void;
  /**
   * A per-deployment setting (`[stage.config]` in a pipeline,
   * `--config KEY=VALUE` on the command line). `none` when unset.
   */
  export function config(key: string): string | undefined;
  /**
   * Master data: the value stored under `key` in lookup table `table`
   * (SKU, customer, price maps), or `none` when there is no such entry.
   */
  export function lookup(table: string, key: string): string | undefined;
  /**
   * The next value (1, 2, 3, …) of the counter `name`, for control
   * numbers of outbound documents. The host keeps counters in Redis, so
   * every host of a deployment draws from the same sequence; offline
   * (`weft plugin run|test`) they start at 1 per run unless seeded with
   * `--sequence NAME=N`. An error means the counter store is
   * unreachable: return it as `retryable`.
   */
  export function nextSequence(name: string): bigint;
  /**
   * Severity of a log line.
   * # Variants
   * 
   * ## `"trace"`
   * 
   * ## `"debug"`
   * 
   * ## `"info"`
   * 
   * ## `"warn"`
   * 
   * ## `"error"`
   */
  export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
}
