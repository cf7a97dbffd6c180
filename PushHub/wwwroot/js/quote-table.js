// The live quote table: one row per watched symbol, repainted at most once per animation frame,
// with a short green/red flash when the last price moves.

import { direction, formatChange, formatPercent, formatPrice, formatVolume } from "./format.js";

const FLASH_MS = 700;
const FLASH_UP = "rgba(34, 197, 94, 0.32)";
const FLASH_DOWN = "rgba(239, 68, 68, 0.32)";
const prefersReducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

export class QuoteTable extends EventTarget {
  #body;
  #empty;
  #rows = new Map();     // symbol -> {row, cells, quote, shown, flash}
  #dirty = new Set();
  #frame = 0;
  #selected = null;

  constructor(body, empty) {
    super();
    this.#body = body;
    this.#empty = empty;
    body.addEventListener("click", e => this.#onClick(e));
    body.addEventListener("keydown", e => {
      if ((e.key === "Enter" || e.key === " ") && e.target.matches("tr")) {
        e.preventDefault();
        this.#select(e.target.dataset.symbol);
      }
    });
  }

  get symbols() { return [...this.#rows.keys()]; }

  quote(symbol) { return this.#rows.get(symbol)?.quote; }

  /** Makes the rows match the watchlist, in its order. */
  setSymbols(symbols) {
    for (const symbol of [...this.#rows.keys()]) {
      if (!symbols.includes(symbol)) {
        this.#rows.get(symbol).row.remove();
        this.#rows.delete(symbol);
        this.#dirty.delete(symbol);
      }
    }
    for (const symbol of symbols) {
      const entry = this.#rows.get(symbol) ?? this.#createRow(symbol);
      this.#body.append(entry.row); // re-appending keeps the watchlist order
    }
    this.#empty.hidden = symbols.length > 0;
  }

  /** Merges quote fields (a snapshot, a delta, or a tick from the history API). */
  apply(symbol, fields, { replace = false } = {}) {
    const entry = this.#rows.get(symbol);
    if (!entry) return;
    const before = entry.quote.price;
    entry.quote = replace ? { ...fields } : { ...entry.quote, ...fields };
    if (before !== undefined && entry.quote.price !== undefined && entry.quote.price !== before) {
      entry.flash = direction(entry.quote.price - before);
    }
    this.#dirty.add(symbol);
    this.#frame ||= requestAnimationFrame(() => this.#paint());
  }

  set selected(symbol) {
    this.#selected = symbol;
    for (const [s, { row }] of this.#rows) {
      row.classList.toggle("selected", s === symbol);
      if (s === symbol) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    }
  }

  #createRow(symbol) {
    const row = document.createElement("tr");
    row.dataset.symbol = symbol;
    row.tabIndex = 0;
    row.title = `Show ${symbol} on the chart`;
    row.innerHTML = `
      <th scope="row" class="col-symbol"><span class="sym"></span></th>
      <td class="num last" data-field="price">—</td>
      <td class="num change" data-field="change">—</td>
      <td class="num change-pct" data-field="changePercent">—</td>
      <td class="num col-bid" data-field="bid">—</td>
      <td class="num col-ask" data-field="ask">—</td>
      <td class="num col-volume" data-field="volume">—</td>
      <td class="col-remove"><button type="button" class="remove" aria-label="Remove ${symbol}" title="Remove ${symbol}">×</button></td>`;
    row.querySelector(".sym").textContent = symbol;
    const cells = Object.fromEntries([...row.querySelectorAll("[data-field]")].map(c => [c.dataset.field, c]));
    const entry = { row, cells, quote: {}, shown: {}, flash: 0 };
    this.#rows.set(symbol, entry);
    if (symbol === this.#selected) {
      row.classList.add("selected");
      row.setAttribute("aria-current", "true");
    }
    return entry;
  }

  #paint() {
    this.#frame = 0;
    for (const symbol of this.#dirty) {
      const entry = this.#rows.get(symbol);
      if (entry) this.#paintRow(entry);
    }
    this.#dirty.clear();
  }

  #paintRow(entry) {
    const { quote: q, cells, shown } = entry;
    const set = (field, text) => {
      if (shown[field] !== text) {
        cells[field].textContent = text;
        shown[field] = text;
      }
    };
    set("price", formatPrice(q.price));
    set("change", formatChange(q.change));
    set("changePercent", formatPercent(q.changePercent));
    set("bid", formatPrice(q.bid));
    set("ask", formatPrice(q.ask));
    set("volume", formatVolume(q.volume));
    const trend = direction(q.change ?? 0);
    entry.row.dataset.trend = trend > 0 ? "up" : trend < 0 ? "down" : "flat";
    if (entry.flash !== 0) {
      if (!prefersReducedMotion.matches) {
        const colour = entry.flash > 0 ? FLASH_UP : FLASH_DOWN;
        cells.price.animate([{ backgroundColor: colour }, { backgroundColor: "transparent" }], { duration: FLASH_MS, easing: "ease-out" });
      }
      cells.price.dataset.tick = entry.flash > 0 ? "up" : "down";
      entry.flash = 0;
    }
  }

  #onClick(e) {
    const row = e.target.closest("tr[data-symbol]");
    if (!row) return;
    if (e.target.closest("button.remove")) {
      this.dispatchEvent(new CustomEvent("remove", { detail: row.dataset.symbol }));
    } else {
      this.#select(row.dataset.symbol);
    }
  }

  #select(symbol) {
    this.dispatchEvent(new CustomEvent("select", { detail: symbol }));
  }
}
