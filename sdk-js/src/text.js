// Text helpers for error reasons (the Rust SDK's `text`): control
// characters escaped so a reason stays on one line, long values clipped.

const isControl = (c) => {
  const o = c.codePointAt(0);
  return o < 0x20 || (o >= 0x7f && o < 0xa0);
};
const escape = (c) =>
  ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\u{${c.codePointAt(0).toString(16)}}`;

/** `s` with control characters escaped (`\n`, `\u{7}`). */
export function escapeControls(s) {
  let out = '';
  for (const c of s) out += isControl(c) ? escape(c) : c;
  return out;
}

/** `s` with every control character replaced by a space. */
export function controlsToSpaces(s) {
  let out = '';
  for (const c of s) out += isControl(c) ? ' ' : c;
  return out;
}

/** Document text quoted in a reason: its first `max` characters (code
 * points), controls escaped, `…` appended when there were more. */
export function clip(s, max) {
  const chars = [...s];
  const head = escapeControls(chars.slice(0, max).join(''));
  return chars.length > max ? head + '…' : head;
}
