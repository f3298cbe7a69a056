// JSON for plugins. A document that does not parse gets the reason the
// Rust SDK gives (serde_json's wording, `expected value at line 1 column
// 1`), so golden cases are shared across languages; with
// `{ exactNumbers: true }` numbers come back as JsonNumber (their text),
// never as floats.

/** A document that is not JSON; `message` is the serde_json-style reason. */
export class JsonError extends Error {}

/** A JSON number kept as written (`text`), read with Decimal.parse. */
export class JsonNumber {
  constructor(text) {
    this.text = text;
  }
  /** Whether it was written as an integer (no fraction, no exponent). */
  isInteger() {
    return !/[.eE]/.test(this.text);
  }
  toString() {
    return this.text;
  }
  toJSON() {
    return Number(this.text);
  }
}

// A number is handed to JSON.parse as a string starting with MARK (written
// escaped, as JSON text must), which the reviver turns back.
const MARK = '\u0000weft-number\u0000';
const MARK_TEXT = '\\u0000weft-number\\u0000';
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Parses `text`; throws JsonError with the serde_json-style reason. */
export function parseJson(text, { exactNumbers = false } = {}) {
  try {
    if (!exactNumbers) return JSON.parse(text);
    const marked = text.replace(TOKENS, (t) => (t[0] === '"' ? t : `"${MARK_TEXT}${t}"`));
    return JSON.parse(marked, (_k, v) =>
      typeof v === 'string' && v.startsWith(MARK) ? new JsonNumber(v.slice(MARK.length)) : v,
    );
  } catch {
    throw new JsonError(diagnose(text));
  }
}

function at(prefix, reason) {
  const line = prefix.split('\n').length;
  const col = [...prefix.slice(prefix.lastIndexOf('\n') + 1)].length;
  return `${reason} at line ${line} column ${col}`;
}

/** Why `text` is not one JSON value, worded as serde_json words it. */
export function diagnose(text) {
  const s = text;
  let i = 0;
  let depth = 0;
  const fail = (reason) => new JsonError(at(s.slice(0, Math.min(i + 1, s.length)), reason));
  const eof = (reason) => new JsonError(at(s, reason));
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  const digits = () => {
    while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
  };
  const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
  const string = () => {
    i++;
    for (;;) {
      if (i >= s.length) throw eof('EOF while parsing a string');
      const c = s[i];
      if (c === '"') return void i++;
      if (c.charCodeAt(0) < 0x20) throw fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (c === '\\') {
        i++;
        if (i >= s.length) throw eof('EOF while parsing a string');
        if (s[i] === 'u') {
          const hex = s.slice(i + 1, i + 5);
          if (!/^[0-9a-fA-F]*$/.test(hex)) throw fail('invalid escape');
          if (hex.length < 4) throw eof('EOF while parsing a string');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(s[i])) throw fail('invalid escape');
      }
      i++;
    }
  };
  const number = () => {
    if (s[i] === '-') i++;
    if (i >= s.length) throw eof('EOF while parsing a value');
    if (s[i] === '0') i++;
    else if (isDigit(s[i])) digits();
    else throw fail('invalid number');
    if (s[i] === '.') {
      i++;
      if (i >= s.length) throw eof('EOF while parsing a value');
      if (!isDigit(s[i])) throw fail('invalid number');
      digits();
    }
    if (s[i] === 'e' || s[i] === 'E') {
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      if (i >= s.length) throw eof('EOF while parsing a value');
      if (!isDigit(s[i])) throw fail('invalid number');
      digits();
    }
  };
  const container = (close, what) => {
    if (++depth > 128) throw fail('recursion limit exceeded');
    i++;
    let first = true;
    for (;;) {
      ws();
      if (i >= s.length) throw eof(`EOF while parsing ${what}`);
      if (s[i] === close) {
        if (!first) throw fail('trailing comma');
        i++;
        break;
      }
      first = false;
      if (close === '}') {
        if (s[i] !== '"') throw fail('key must be a string');
        string();
        ws();
        if (i >= s.length) throw eof(`EOF while parsing ${what}`);
        if (s[i] !== ':') throw fail('expected `:`');
        i++;
      }
      value();
      ws();
      if (i >= s.length) throw eof(`EOF while parsing ${what}`);
      if (s[i] === ',') {
        i++;
        ws();
        if (s[i] === close) throw fail('trailing comma');
        continue;
      }
      if (s[i] === close) {
        i++;
        break;
      }
      throw fail(`expected \`,\` or \`${close}\``);
    }
    depth--;
  };
  const value = () => {
    ws();
    if (i >= s.length) throw eof('EOF while parsing a value');
    const c = s[i];
    if (c === '{') container('}', 'an object');
    else if (c === '[') container(']', 'a list');
    else if (c === '"') string();
    else if (c === '-' || isDigit(c)) number();
    else if ('ntf'.includes(c)) {
      const word = { n: 'null', t: 'true', f: 'false' }[c];
      for (let k = 0; k < word.length; k++) {
        if (i + k >= s.length) {
          i = s.length;
          throw eof('EOF while parsing a value');
        }
        if (s[i + k] !== word[k]) {
          i += k;
          throw fail('expected ident');
        }
      }
      i += word.length;
    } else throw fail('expected value');
  };
  try {
    value();
    ws();
    if (i < s.length) throw fail('trailing characters');
  } catch (e) {
    if (e instanceof JsonError) return e.message;
    throw e;
  }
  return 'invalid JSON';
}
