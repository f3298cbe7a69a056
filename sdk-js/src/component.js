// The glue between a plugin object ({ describe, process }) and the
// component's exports; used by the entry module bin/build.js writes.
import { PluginError } from './index.js';

/** The export object of a plugin: errors it throws as Invalid / Retryable
 * become the WIT `plugin-error`; anything else thrown traps the call. */
export function exportOf(plugin) {
  if (typeof plugin?.describe !== 'function' || typeof plugin?.process !== 'function') {
    throw new TypeError('the plugin module must export default { describe(), process(msg) }');
  }
  return {
    describe: () => plugin.describe(),
    process(msg) {
      try {
        return plugin.process(msg);
      } catch (e) {
        if (e instanceof PluginError) throw { payload: e.payload };
        throw e;
      }
    },
  };
}
