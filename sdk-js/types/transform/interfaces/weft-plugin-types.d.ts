declare module 'weft:plugin/types@0.1.0' {
  /**
   * One unit of work travelling through weft.
   */
  export interface Message {
    /**
     * Unique id of the message.
     * 
     * Set by the host for messages entering weft (webhook, file drop).
     * A plugin may set the ids of its outputs (it should derive them
     * deterministically from the input, e.g. `shopify:450789469:created`,
     * so reprocessing yields the same ids); an output with an empty id
     * gets `<input id>/<index>` from the host. Ids are what the bus
     * deduplicates on.
     */
    id: string,
    /**
     * Groups every message of one business object (one order) across
     * channels and stages, e.g. `shopify:450789469`.
     * 
     * Sources set it on their outputs; an output with an empty
     * correlation id inherits the input's.
     */
    correlationId: string,
    /**
     * What the message is, e.g. `order.created`, `shipment.dispatched`.
     * 
     * Messages entering weft from outside have kind `raw`. Outputs must
     * set it: lower-case ASCII letters, digits, `.`, `_`, `-`.
     */
    kind: string,
    /**
     * MIME type of `payload`, e.g. `application/json`,
     * `application/edi-x12`. Set by whoever produces the payload. When it
     * names JSON (`application/json` or `+json`), the host checks the
     * payload parses as JSON.
     */
    contentType: string,
    /**
     * Free-form metadata: `(name, value)` pairs, names in lower case.
     * Names starting with `weft-` are reserved for the host (attempt
     * counts, plugin version, warnings). Plugins may add their own.
     */
    headers: Array<[string, string]>,
    /**
     * The document itself; canonical documents are UTF-8 JSON.
     */
    payload: Uint8Array,
  }
  /**
   * Why a plugin could not process a message.
   */
  export type PluginError = PluginErrorInvalid | PluginErrorRetryable;
  /**
   * The message can never be processed as it is (bad document,
   * violated business rule). The host sends it to the dead-letter
   * queue at once. The text says what is wrong and where.
   */
  export interface PluginErrorInvalid {
    tag: 'invalid',
    val: string,
  }
  /**
   * Processing may succeed later (a lookup not yet loaded, a
   * dependency temporarily unavailable). The host retries with
   * backoff, then dead-letters.
   */
  export interface PluginErrorRetryable {
    tag: 'retryable',
    val: string,
  }
  /**
   * Where in a pipeline a plugin runs.
   * # Variants
   * 
   * ## `"source"`
   * 
   * Turns a channel's own document (raw input) into canonical messages.
   * ## `"transform"`
   * 
   * Canonical messages in, canonical messages out (validate, enrich, route).
   * ## `"sink"`
   * 
   * Canonical messages in, outbound requests out (`http.request`,
   * `file`, `stream`), which the host delivers.
   */
  export type Role = 'source' | 'transform' | 'sink';
  /**
   * What a plugin says about itself; returned by `describe`.
   */
  export interface PluginInfo {
    /**
     * Plugin name: lower-case letters, digits and `-`, e.g. `shopify-orders`.
     */
    name: string,
    /**
     * Semantic version of this build, e.g. `0.1.0`.
     */
    version: string,
    /**
     * Must match the exported world.
     */
    role: Role,
    /**
     * One-line human description.
     */
    summary: string,
    /**
     * Message kinds accepted as input (`raw` for sources; `*` for any;
     * a trailing `.*` matches a prefix, e.g. `order.*`).
     */
    accepts: Array<string>,
    /**
     * Message kinds this plugin may emit.
     */
    emits: Array<string>,
  }
}
