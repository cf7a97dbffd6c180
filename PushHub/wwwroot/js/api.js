// The hub's HTTP history API (PushHub/History/HistoryEndpoints.cs).
import { authHeaders } from "./session.js";

async function getJson(url, signal) {
  const response = await fetch(url, { headers: { accept: "application/json", ...authHeaders() }, signal });
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response.json();
}

/** The live quote per symbol: [{symbol, ts, price, size, bid, ask, seq, open, high, low, volume}]. All symbols when none are named. */
export function fetchQuotes(symbols, signal) {
  const query = symbols && symbols.length > 0 ? `?symbols=${encodeURIComponent(symbols.join(","))}` : "";
  return getJson(`/api/quotes${query}`, signal);
}

/** OHLCV bars: {symbol, interval, bars: [{start, open, high, low, close, volume, trades}]}. */
export function fetchBars(symbol, interval, from, to, signal) {
  const query = new URLSearchParams({ symbol, interval, from: from.toISOString(), to: to.toISOString() });
  return getJson(`/api/bars?${query}`, signal);
}

/** The symbol directory's matches, best first: {q, symbols: [{symbol, name, venue, assetClass, currency, timeZone, calendar, tickSize, active}]}. */
export function searchSymbols(q, limit, signal) {
  const query = new URLSearchParams({ q, limit: String(limit) });
  return getJson(`/api/symbols?${query}`, signal);
}
