// The symbols the user watches, remembered in localStorage.

const STORAGE_KEY = "ticker.watchlist.v1";
const SELECTED_KEY = "ticker.selected.v1";
const CUSTOM_KEY = "ticker.watchlist.custom.v1";
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

  /** Whether a watchlist exists (chosen by the user, or a default from an earlier visit). */
  get isStored() { return this.#symbols !== null; }

  /** Whether the user has added or removed symbols; until then the default list may grow. */
  get isCustom() { return read(CUSTOM_KEY) === true; }

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

  /**
   * A default list made while the hub knew fewer symbols than it shows (a feed that has just
   * started) takes in the ones that have appeared since, in order; returns the added symbols.
   */
  topUp(known) {
    if (this.isCustom || (this.#symbols ?? []).length >= DEFAULT_SIZE) return [];
    const added = known.filter(s => !this.has(s)).slice(0, DEFAULT_SIZE - (this.#symbols ?? []).length);
    if (added.length > 0) {
      this.#symbols = [...(this.#symbols ?? []), ...added].sort();
      this.#save();
    }
    return added;
  }

  add(symbol) {
    if (this.has(symbol)) return false;
    this.#symbols = [...(this.#symbols ?? []), symbol];
    write(CUSTOM_KEY, true);
    this.#save();
    return true;
  }

  remove(symbol) {
    if (!this.has(symbol)) return false;
    this.#symbols = this.#symbols.filter(s => s !== symbol);
    write(CUSTOM_KEY, true);
    this.#save();
    return true;
  }

  #save() {
    write(STORAGE_KEY, this.#symbols);
    this.dispatchEvent(new Event("change"));
  }
}
