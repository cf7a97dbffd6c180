// The symbols the user watches, remembered in localStorage.

const STORAGE_KEY = "ticker.watchlist.v1";
const SELECTED_KEY = "ticker.selected.v1";
export const DEFAULT_SIZE = 12;

/** The stored format of tickers (Database/Migrations: ticks_symbol_format). */
const SYMBOL = /^[A-Z0-9^][A-Z0-9.:/^=_-]{0,31}$/;

export function normalizeSymbol(text) {
  return text.trim().toUpperCase();
}

export function isValidSymbol(symbol) {
  return SYMBOL.test(symbol);
}

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null");
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full quota: the watchlist still works for this visit.
  }
}

export class Watchlist extends EventTarget {
  #symbols;

  constructor() {
    super();
    const stored = read(STORAGE_KEY);
    this.#symbols = Array.isArray(stored) ? stored.filter(s => typeof s === "string" && isValidSymbol(s)) : null;
  }

  /** Whether the user (or an earlier visit) chose the symbols; false until a default is set. */
  get isStored() { return this.#symbols !== null; }

  get symbols() { return [...(this.#symbols ?? [])]; }

  get selected() {
    const selected = read(SELECTED_KEY);
    return this.has(selected) ? selected : this.symbols[0] ?? null;
  }

  set selected(symbol) { write(SELECTED_KEY, symbol); }

  has(symbol) { return (this.#symbols ?? []).includes(symbol); }

  setDefault(symbols) {
    this.#symbols = symbols.slice(0, DEFAULT_SIZE);
    this.#save();
  }

  add(symbol) {
    if (this.has(symbol)) return false;
    this.#symbols = [...(this.#symbols ?? []), symbol];
    this.#save();
    return true;
  }

  remove(symbol) {
    if (!this.has(symbol)) return false;
    this.#symbols = this.#symbols.filter(s => s !== symbol);
    this.#save();
    return true;
  }

  #save() {
    write(STORAGE_KEY, this.#symbols);
    this.dispatchEvent(new Event("change"));
  }
}
