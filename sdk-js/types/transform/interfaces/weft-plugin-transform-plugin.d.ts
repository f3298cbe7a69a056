/// <reference path="./weft-plugin-types.d.ts" />
declare module 'weft:plugin/transform-plugin@0.1.0' {
  /**
   * Static facts about the plugin; must not depend on the input.
   */
  export function describe(): PluginInfo;
  /**
   * Maps one canonical message to zero or more canonical messages.
   */
  export function process(msg: Message): Array<Message>;
  export type Message = import('weft:plugin/types@0.1.0').Message;
  export type PluginError = import('weft:plugin/types@0.1.0').PluginError;
  export type PluginInfo = import('weft:plugin/types@0.1.0').PluginInfo;
}
