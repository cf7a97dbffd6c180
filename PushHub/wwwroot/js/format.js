// Number and time formatting for the dashboard: fixed locale so columns line up the same everywhere.

const LOCALE = "en-US";
const priceFormats = new Map();

function priceFormat(digits) {
  let format = priceFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: Math.min(2, digits), maximumFractionDigits: digits });
    priceFormats.set(digits, format);
  }
  return format;
}

/** Decimal places a price deserves: cents for most, more for pennies and FX. */
export function priceDigits(value) {
  const magnitude = Math.abs(value);
  return magnitude >= 1000 ? 2 : magnitude >= 1 ? 4 : 6;
}

export function formatPrice(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return "—";
  return priceFormat(priceDigits(value)).format(value);
}

export function formatChange(value) {
  if (value === undefined || value === null) return "—";
  const text = formatPrice(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

const percentFormat = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `changePercent` is already in percent (0.9178 means 0.92 %). */
export function formatPercent(value) {
  if (value === undefined || value === null) return "—";
  const rounded = Math.round(value * 100) / 100; // no "−0.00%"
  const text = percentFormat.format(Math.abs(rounded));
  return rounded > 0 ? `+${text}%` : rounded < 0 ? `−${text}%` : `${text}%`;
}

const volumeFormat = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 2 });
const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

export function formatVolume(value) {
  if (value === undefined || value === null) return "—";
  return value < 100_000 ? integerFormat.format(value) : volumeFormat.format(value);
}

const timeFormat = new Intl.DateTimeFormat(LOCALE, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

export function formatTime(date) {
  return timeFormat.format(date);
}

/** -1, 0 or 1: the direction for colouring. */
export function direction(value) {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}
