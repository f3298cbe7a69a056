/// <reference path="./interfaces/weft-plugin-host.d.ts" />
/// <reference path="./interfaces/weft-plugin-source-plugin.d.ts" />
/// <reference path="./interfaces/weft-plugin-types.d.ts" />
declare module 'weft:plugin/source@0.1.0' {
  export type * as WeftPluginHost010 from 'weft:plugin/host@0.1.0'; // import weft:plugin/host@0.1.0
  export type * as WeftPluginTypes010 from 'weft:plugin/types@0.1.0'; // import weft:plugin/types@0.1.0
  export * as sourcePlugin from 'weft:plugin/source-plugin@0.1.0'; // export weft:plugin/source-plugin@0.1.0
}
