// RFC 3339 timestamps and plain YYYY-MM-DD dates, checked field by field
// (calendar included), as plugins/validate-order/src/datetime.rs.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** Whether `s` is an RFC 3339 date-time or a full date. */
export function isDateOrDatetime(s) {
  if (s.length === 10) return isDate(s);
  if (s.length < 11 || (s[10] !== 'T' && s[10] !== 't')) return false;
  return isDate(s.slice(0, 10)) && isTime(s.slice(11));
}

function isDate(s) {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function isTime(s) {
  const m = TIME.exec(s);
  if (!m) return false;
  const [h, mi, sec] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (h > 23 || mi > 59 || sec > 60) return false;
  if (m[5] !== undefined && (Number(m[5]) > 23 || Number(m[6]) > 59)) return false;
  return true;
}

function daysInMonth(y, m) {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}
