// The Ticker dashboard: wires the watchlist, the live quote stream, the table and the chart.

import { fetchQuotes, searchSymbols } from "./api.js";
import { direction, formatChange, formatPercent, formatPrice } from "./format.js";
import { PriceChart, RANGES } from "./price-chart.js";
import { QuoteStream } from "./quote-stream.js";
import { QuoteTable } from "./quote-table.js";
import { RtcLink } from "./rtc-link.js";
import { askForToken, authMode, currentToken, tokenFromPage } from "./session.js";
import { DEFAULT_SIZE, Watchlist, isValidSymbol, normalizeSymbol } from "./watchlist.js";

const $ = id => document.getElementById(id);
const RANGE_KEY = "ticker.range.v1";
const TRANSPORT_KEY = "ticker.transport.v1";
const TRANSPORTS = ["websocket", "webrtc", "relay"];
// Per symbol, more updates per second than a person can read are merged by the hub.
const MAX_RATE = 20;

const debug = window.tickerDebug = {
  barsLoaded: 0, updates: 0, lastDelayMs: null, status: "connecting",
  transport: "websocket", rtcState: "closed", rtcReason: null, lastVia: null, via: { websocket: 0, webrtc: 0 },
};

const watchlist = new Watchlist();
const table = new QuoteTable($("quote-rows"), $("empty"));
const chart = new PriceChart($("chart"), $("legend"), $("chart-note"));
// batch=1: the hub may send several updates in one frame, far fewer frames for a busy watchlist.
const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws?batch=1`;
const stream = new QuoteStream(wsUrl, { maxRate: MAX_RATE, auth: currentToken });
debug.positions = () => stream.positions;
debug.epoch = () => stream.epoch;
const link = new RtcLink(stream);
debug.candidateType = () => link.localCandidateType();
debug.closeChannel = () => link.closeChannel();
debug.reopenChannel = () => link.reopenChannel();
debug.reconnect = () => stream.reconnectNow();
let transport = new URLSearchParams(location.search).get("transport") ?? localStorage.getItem(TRANSPORT_KEY);
if (!TRANSPORTS.includes(transport)) transport = "websocket";
let range = localStorage.getItem(RANGE_KEY);
if (!Object.hasOwn(RANGES, range ?? "")) range = "1h";
let selected = null;

// ---- header: status, delay, update rate ----------------------------------------------------

const STATUS_TEXT = { connecting: "Connecting", live: "Live", reconnecting: "Reconnecting", offline: "Offline" };
let retryTimer = 0;

function showStatus({ state, retryInMs }) {
  debug.status = state;
  const pill = $("status");
  pill.dataset.state = state;
  document.body.dataset.connection = state; // prices shown while not live are dimmed as stale
  clearInterval(retryTimer);
  const text = pill.querySelector(".status-text");
  if (state === "reconnecting" && retryInMs > 0) {
    const due = Date.now() + retryInMs;
    const tick = () => {
      const seconds = Math.ceil((due - Date.now()) / 1000);
      text.textContent = seconds > 0 ? `Reconnecting in ${seconds}s` : "Reconnecting";
    };
    tick();
    retryTimer = setInterval(tick, 250);
  } else {
    text.textContent = STATUS_TEXT[state] ?? state;
  }
}

let updatesThisSecond = 0;
let latestDelay = null;
setInterval(() => {
  $("rate").textContent = `${updatesThisSecond}/s`;
  updatesThisSecond = 0;
}, 1000);
// A readable four times a second; the first measurement shows at once.
function showDelay() {
  if (latestDelay !== null) {
    $("delay").textContent = `${Math.max(0, Math.round(latestDelay))} ms`;
    $("delay").dataset.level = latestDelay < 100 ? "good" : latestDelay < 1000 ? "fair" : "poor";
  }
}
setInterval(showDelay, 250);

// ---- transport: WebSocket, or a WebRTC data channel (direct or through the relay) ---------

const VIA_TEXT = { websocket: "WebSocket", webrtc: "WebRTC" };
const RTC_TEXT = { negotiating: "connecting…", open: "open", closed: "closed", failed: "failed" };

function showTransport() {
  debug.transport = transport;
  for (const button of $("transport").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.transport === transport));
  }
  showVia();
}

function showVia() {
  const readout = $("via");
  const via = debug.lastVia ?? "websocket";
  const path = via === "webrtc" && transport === "relay" ? "WebRTC via relay" : VIA_TEXT[via];
  readout.textContent = transport === "websocket" ? path : `${path} · channel ${RTC_TEXT[debug.rtcState] ?? debug.rtcState}`;
  readout.title = debug.rtcReason ?? "";
  readout.dataset.level = transport === "websocket" || debug.rtcState === "open" ? "good" : debug.rtcState === "failed" ? "poor" : "fair";
}

function useTransport(next) {
  transport = next;
  localStorage.setItem(TRANSPORT_KEY, next);
  latestDelay = null;
  if (next === "websocket") {
    link.close();
  } else if (stream.connected) {
    link.open(next === "relay" ? "relay" : "direct").catch(error => console.warn(error));
  }
  showTransport();
}

// A failed session (ICE, DTLS, the hub refusing the offer) is tried again after a pause; meanwhile
// updates come over the WebSocket.
const RTC_RETRY_MS = 5_000;
let rtcRetry = 0;

link.addEventListener("state", ({ detail: { state, reason } }) => {
  clearTimeout(rtcRetry);
  if (state === "failed") {
    rtcRetry = setTimeout(() => {
      if (transport !== "websocket" && stream.connected) link.open(transport === "relay" ? "relay" : "direct").catch(e => console.warn(e));
    }, RTC_RETRY_MS);
  }
  debug.rtcState = state;
  debug.rtcReason = reason ?? null;
  if (state === "open") debug.rtcOpens = (debug.rtcOpens ?? 0) + 1;
  if (state !== "open" && reason) console.info(`data channel ${state}: ${reason}`);
  showVia();
});

// What the hub says about the session (rtc-open / rtc-closed with its reason): for the header's tooltip and tests.
stream.addEventListener("signal", ({ detail: m }) => {
  if (m.type === "rtc-closed") debug.hubRtcClosed = m.reason;
});

// A new WebSocket is a new signaling channel: the hub ended the old session with the old socket.
stream.addEventListener("status", ({ detail: { state } }) => {
  if (state === "live" && transport !== "websocket") {
    link.open(transport === "relay" ? "relay" : "direct").catch(error => console.warn(error));
  }
});

$("transport").addEventListener("click", e => {
  const button = e.target.closest("button[data-transport]");
  if (button && button.dataset.transport !== transport) useTransport(button.dataset.transport);
});

// ---- chart header ---------------------------------------------------------------------------

function showChartQuote() {
  const quote = table.quote(selected) ?? {};
  $("chart-last").textContent = quote.price === undefined ? "" : formatPrice(quote.price);
  const change = $("chart-change");
  change.textContent = quote.change === undefined ? "" : `${formatChange(quote.change)} (${formatPercent(quote.changePercent)})`;
  const trend = direction(quote.change ?? 0);
  change.dataset.trend = trend > 0 ? "up" : trend < 0 ? "down" : "flat";
  document.title = selected && quote.price !== undefined ? `${selected} ${formatPrice(quote.price)} · Ticker` : "Ticker — live quotes";
}

function select(symbol) {
  selected = symbol;
  watchlist.selected = symbol;
  table.selected = symbol;
  $("chart-symbol").textContent = symbol ?? "—";
  showChartQuote();
  chart.show(symbol, range).then(() => { debug.barsLoaded = chart.barsLoaded; });
}

function showRange() {
  for (const button of $("range").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.range === range));
  }
}

// ---- live quotes ----------------------------------------------------------------------------

stream.addEventListener("status", e => showStatus(e.detail));

stream.addEventListener("quote", ({ detail: { symbol, fields, snapshot, via } }) => {
  const before = table.quote(symbol);
  table.apply(symbol, fields, { replace: snapshot });
  if (!snapshot) {
    debug.updates++;
    debug.via[via]++;
    if (debug.lastVia !== via) {
      debug.lastVia = via;
      showVia();
    }
    updatesThisSecond++;
    if (fields.ts) {
      const first = latestDelay === null;
      latestDelay = debug.lastDelayMs = Date.now() - Date.parse(fields.ts);
      if (first) showDelay();
    }
  }
  if (symbol === selected) {
    showChartQuote();
    if (fields.price !== undefined || fields.volume !== undefined) {
      // The session volume's growth is what this update traded (several trades when merged).
      const grew = fields.volume !== undefined && before?.volume !== undefined ? fields.volume - before.volume : undefined;
      const traded = snapshot ? 0 : grew !== undefined && grew >= 0 ? grew : fields.size ?? 0;
      chart.update(symbol, fields.price ?? before?.price, fields.ts ?? before?.ts, traded);
    }
  }
});

// Updates the hub could no longer replay are missing from the chart's bars: read them again.
stream.addEventListener("reset", ({ detail: { symbol } }) => {
  if (symbol === selected) {
    chart.show(symbol, range).then(() => { debug.barsLoaded = chart.barsLoaded; });
  }
});

// ---- identity (Auth:Mode=jwt): who is signed in, which symbols the token refuses ------------

debug.refused = [];
function showRefused(symbols) {
  for (const symbol of symbols) {
    if (!debug.refused.includes(symbol)) debug.refused.push(symbol);
    if (watchlist.remove(symbol)) {
      stream.remove([symbol]);
      showSymbols();
    }
  }
  const line = $("refused");
  line.textContent = `Not included in your access: ${debug.refused.join(", ")}`;
  line.hidden = debug.refused.length === 0;
}

stream.addEventListener("identity", ({ detail }) => {
  debug.identity = detail.sub;
  $("identity-stat").hidden = false;
  $("identity").textContent = detail.sub;
  $("identity-stat").title = `Symbols: ${detail.symbols.join(", ")} · scopes: ${detail.scopes.join(" ")}`;
});
stream.addEventListener("revoked", ({ detail }) => showRefused(detail.symbols));
stream.addEventListener("token-expiring", async ({ detail }) => {
  stream.refresh(await askForToken(`Your session ends in ${detail.in} s: paste a new token to keep the stream.`));
});
stream.addEventListener("auth-closed", async ({ detail }) => {
  await askForToken(detail.code === 4002 ? "Your session ended: sign in again." : `The hub refused the token (${detail.reason}).`);
  stream.resumeWith();
});

stream.addEventListener("problem", ({ detail }) => {
  if (detail.code === "forbidden" && detail.symbol) {
    showRefused([detail.symbol]);
    // The whole request was refused: ask again for the rest, one by one, so the allowed ones stream.
    stream.remove(watchlist.symbols);
    stream.add(watchlist.symbols);
  } else if (detail.code === "invalid-symbol" || detail.code === "too-many-symbols") {
    showAddError(detail.message);
  } else {
    console.warn(`hub: ${detail.code}: ${detail.message}`);
  }
});

// ---- watchlist: add, remove, select ---------------------------------------------------------

function showAddError(message) {
  const error = $("add-error");
  error.textContent = message;
  error.hidden = !message;
}

function showSymbols() {
  table.setSymbols(watchlist.symbols);
  $("symbol-count").textContent = watchlist.symbols.length > 0 ? String(watchlist.symbols.length) : "";
}

/** Fills rows that have no live quote yet with the latest stored tick, so nothing starts blank. */
async function seed(symbols) {
  if (symbols.length === 0) return;
  try {
    for (const tick of await fetchQuotes(symbols)) {
      if (table.quote(tick.symbol)?.price === undefined) {
        table.apply(tick.symbol, { price: tick.price, bid: tick.bid ?? undefined, ask: tick.ask ?? undefined, size: tick.size, ts: tick.ts });
      }
    }
    showChartQuote();
  } catch (error) {
    console.warn(error);
  }
}

$("add-form").addEventListener("submit", e => {
  e.preventDefault();
  const input = $("add-input");
  const symbol = normalizeSymbol(input.value);
  if (!symbol) return;
  if (!isValidSymbol(symbol)) {
    showAddError(`${symbol} is not a ticker: upper-case letters, digits and . : / ^ = _ - (e.g. AAPL, BRK.B, BTC-USD).`);
    return;
  }
  showAddError("");
  input.value = "";
  if (watchlist.add(symbol)) {
    showSymbols();
    stream.add([symbol]);
    seed([symbol]);
  }
  select(symbol);
});

// The add box suggests from the symbol directory by ticker or name ("apple" offers AAPL); with the
// box empty, or the directory unreachable, it offers the tickers the hub has quotes for.
let searching = null;
let searchTimer = 0;
let knownOptions = [];

$("add-input").addEventListener("input", () => {
  showAddError("");
  clearTimeout(searchTimer);
  searchTimer = setTimeout(suggest, 150);
});

async function suggest() {
  const q = $("add-input").value.trim();
  searching?.abort();
  if (q === "") {
    $("known-symbols").replaceChildren(...knownOptions);
    return;
  }
  searching = new AbortController();
  try {
    const { symbols } = await searchSymbols(q, 10, searching.signal);
    $("known-symbols").replaceChildren(...symbols.map(s => new Option(`${s.name} · ${s.venue}`, s.symbol)));
  } catch (error) {
    if (error.name !== "AbortError") console.warn(error);
  }
}

table.addEventListener("remove", ({ detail: symbol }) => {
  watchlist.remove(symbol);
  stream.remove([symbol]);
  showSymbols();
  if (symbol === selected) select(watchlist.symbols[0] ?? null);
});

table.addEventListener("select", ({ detail: symbol }) => {
  if (symbol !== selected) select(symbol);
});

$("range").addEventListener("click", e => {
  const button = e.target.closest("button[data-range]");
  if (!button || button.dataset.range === range) return;
  range = button.dataset.range;
  localStorage.setItem(RANGE_KEY, range);
  showRange();
  chart.show(selected, range).then(() => { debug.barsLoaded = chart.barsLoaded; });
});

// ---- start ----------------------------------------------------------------------------------

async function knownQuotes() {
  try {
    return await fetchQuotes();
  } catch (error) {
    console.warn(error);
    return [];
  }
}

function offerSymbols(quotes) {
  knownOptions = quotes.map(q => new Option(q.symbol));
  if ($("add-input").value.trim() === "") $("known-symbols").replaceChildren(...knownOptions);
}

async function start() {
  showRange();
  showTransport();
  showStatus({ state: "connecting" });
  if (await authMode() === "jwt" && !tokenFromPage()) {
    await askForToken("This hub needs a token (make token SUB=you SYMBOLS=AAPL,MSFT).");
  }
  stream.start();
  let quotes = await knownQuotes();
  // A first visit watches the first symbols the hub knows; an empty database is polled until it has some.
  while (!watchlist.isStored && quotes.length === 0) {
    showSymbols();
    await new Promise(resolve => setTimeout(resolve, 2000));
    quotes = await knownQuotes();
  }
  offerSymbols(quotes);
  if (!watchlist.isStored) {
    watchlist.setDefault(quotes.slice(0, DEFAULT_SIZE).map(q => q.symbol));
  }
  showSymbols();
  stream.add(watchlist.symbols);
  await seed(watchlist.symbols);
  select(watchlist.selected);
  $("footer-info").textContent = `${quotes.length} symbols on this hub`;
  let refresh = 0;
  setInterval(async () => {
    // Every few seconds while a first visit's default list is short of symbols, else each minute.
    const short = !watchlist.isCustom && watchlist.symbols.length < DEFAULT_SIZE;
    if (!short && ++refresh % 20 !== 0) return;
    const known = await knownQuotes();
    offerSymbols(known);
    $("footer-info").textContent = `${known.length} symbols on this hub`;
    const added = watchlist.topUp(known.map(q => q.symbol));
    if (added.length > 0) {
      showSymbols();
      stream.add(added);
      await seed(added);
    }
  }, 3000);
}

start();
