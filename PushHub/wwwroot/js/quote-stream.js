// The client side of the WebSocket protocol at /ws (docs/protocol.md): one socket, per-symbol
// sequence numbers, automatic reconnect with backoff, and resume from the last seq held (with the
// epoch those seqs belong to, so a hub whose positions were renumbered resets instead of continuing).
//
// Events (EventTarget):
//   "status"  detail {state: "connecting"|"live"|"reconnecting"|"offline", retryInMs?, attempt?}
//   "quote"   detail {symbol, seq, fields, snapshot: bool, merged?}  fields as received
//   "reset"   detail {symbol, seq, reason}                             a snapshot follows
//   "problem" detail {code, message}                                    an `error` from the server
//   "signal"  detail: rtc-answer, rtc-open, rtc-closed, or an error to an rtc-offer (rtc-link.js)
//   "identity" detail: the hub's authenticated / refreshed message {sub, symbols, scopes, expires}
//   "token-expiring" detail {in}                                      send refresh(token) in time
//   "revoked" detail {symbols, reason}                                a refresh dropped these
//   "auth-closed" detail {code, reason}  4001/4002: no reconnect until resumeWith(token)
//
// A "quote" (from the data channel, or on the WebSocket after the channel) is the symbol's whole
// quote: it supersedes anything older, so a seq it skips is no gap.

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15_000;
// The hub sends a heartbeat after 15 s (Hub:HeartbeatInterval) without traffic. After this long
// without a word the page asks (ping) and gives the link PONG_WAIT_MS to answer before dropping it.
const SILENCE_BEFORE_PING_MS = 20_000;
const PONG_WAIT_MS = 15_000;
// After a hub's "reconnect" (or close 1012), the reconnect is spread over this long.
const MOVE_SPREAD_MS = 250;
// A connection that stayed up this long resets the backoff.
const STABLE_AFTER_MS = 5_000;

export class QuoteStream extends EventTarget {
  #url;
  #maxRate;
  #socket = null;
  #wanted = new Set();
  #seqs = new Map();          // symbol -> last seq applied
  #epoch = null;              // the epoch those seqs belong to (subscribed, snapshot, reset carry it)
  #attempt = 0;
  #retryTimer = 0;
  #moving = false;            // the hub asked us to go elsewhere: reconnect at once
  #watchdog = 0;
  #lastMessageAt = 0;
  #pingSentAt = 0;
  #openedAt = 0;
  #stopped = false;
  #nextId = 1;
  #quotesSeen = false;        // full quotes arrived: deltas older than them are stale, not a gap

  #auth;
  #authClosed = false;

  constructor(url, { maxRate, auth } = {}) {
    super();
    this.#url = url;
    this.#maxRate = maxRate;
    this.#auth = auth ?? (() => null);
  }

  /** Replaces the token before it expires; subscriptions stay (docs/protocol.md, "refresh"). */
  refresh(token) {
    this.#send({ op: "refresh", token, id: this.#nextId++ });
  }

  /** After an auth-closed: connects again with a new token. */
  resumeWith() {
    this.#authClosed = false;
    this.#attempt = 0;
    this.#connect();
  }

  /** The epoch the held seqs belong to (null before the first subscribe was answered). */
  get epoch() { return this.#epoch; }

  /** The last seq applied per symbol: what a reconnect resumes from. */
  get positions() { return Object.fromEntries(this.#seqs); }

  get connected() { return this.#socket?.readyState === WebSocket.OPEN; }

  start() {
    this.#stopped = false;
    this.#connect();
    this.#watchdog = setInterval(() => this.#checkSilence(), 5_000);
    // Back on the network: try now instead of waiting out the backoff.
    addEventListener("online", () => {
      if (!this.#stopped && !this.#socket) {
        this.#attempt = 0;
        this.#connect();
      }
    });
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#watchdog);
    this.#socket?.close(1000, "bye");
  }

  /** Subscribes to symbols not yet subscribed. */
  add(symbols) {
    const fresh = symbols.filter(s => !this.#wanted.has(s));
    fresh.forEach(s => this.#wanted.add(s));
    if (fresh.length > 0 && this.connected) {
      this.#subscribe(fresh, false);
    }
  }

  remove(symbols) {
    const gone = symbols.filter(s => this.#wanted.delete(s));
    gone.forEach(s => this.#seqs.delete(s));
    if (gone.length > 0 && this.connected) {
      this.#send({ op: "unsubscribe", symbols: gone, id: this.#nextId++ });
    }
  }

  /** Drops the socket and reconnects, resuming every symbol (used when a gap is seen). */
  reconnectNow() {
    this.#drop(4000, "resume");
  }

  /** Abandons the socket at once: whatever it still delivers is ignored, the reconnect is scheduled now. */
  #drop(code, reason) {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = null;
    socket.close(code, reason);
    this.#scheduleReconnect();
  }

  #connect() {
    clearTimeout(this.#retryTimer);
    this.#emitStatus(this.#attempt === 0 ? "connecting" : "reconnecting", { attempt: this.#attempt });
    let socket;
    try {
      socket = new WebSocket(this.#url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.addEventListener("open", () => {
      if (socket !== this.#socket) return;
      this.#openedAt = this.#lastMessageAt = Date.now();
      this.#emitStatus("live");
      // In Auth:Mode=jwt the first message is the token; the hub allows nothing before it.
      const token = this.#auth();
      if (token) this.#send({ op: "auth", token, id: this.#nextId++ });
      if (this.#wanted.size > 0) {
        this.#subscribe([...this.#wanted], true);
      }
    });
    socket.addEventListener("message", e => {
      if (socket !== this.#socket) return;
      this.#lastMessageAt = Date.now();
      if (this.#openedAt && Date.now() - this.#openedAt > STABLE_AFTER_MS) {
        this.#attempt = 0;
      }
      let message;
      try {
        message = JSON.parse(e.data);
      } catch {
        return;
      }
      // With ?batch=1 a frame may carry several messages, in order, as an array.
      if (Array.isArray(message)) {
        for (const m of message) {
          if (socket !== this.#socket) return; // a gap in the batch dropped this socket
          this.#handle(m);
        }
      } else {
        this.#handle(message);
      }
    });
    socket.addEventListener("close", e => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      if (e.code === 4001 || e.code === 4002) {
        // Refused or expired: reconnecting with the same token would only be refused again.
        this.#authClosed = true;
        this.#emitStatus("offline");
        this.dispatchEvent(new CustomEvent("auth-closed", { detail: { code: e.code, reason: e.reason } }));
        return;
      }
      if (!this.#stopped && !this.#authClosed) {
        // 1012 "service restart": the hub is draining; another one is ready, so go now.
        if (e.code === 1012) this.#moving = true;
        this.#scheduleReconnect();
      }
    });
    // An "error" is always followed by "close", which does the reconnecting.
  }

  #scheduleReconnect() {
    const wasStable = this.#openedAt && Date.now() - this.#openedAt > STABLE_AFTER_MS;
    this.#openedAt = 0;
    if (wasStable) this.#attempt = 0;
    if (this.#moving) {
      // A hub restart, not a failure: reconnect (and resume) at once, spread over MOVE_SPREAD_MS so
      // the clients of one hub do not all land on the others in the same millisecond.
      this.#moving = false;
      this.#attempt = 1;
      const delay = Math.round(Math.random() * MOVE_SPREAD_MS);
      this.#emitStatus("reconnecting", { retryInMs: delay, attempt: this.#attempt });
      this.#retryTimer = setTimeout(() => this.#connect(), delay);
      return;
    }
    // Exponential backoff with full jitter on the upper half, so a restarted hub is not stampeded.
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.#attempt);
    const delay = this.#attempt === 0 ? 0 : Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    this.#attempt++;
    this.#emitStatus(navigator.onLine === false ? "offline" : "reconnecting", { retryInMs: delay, attempt: this.#attempt });
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #checkSilence() {
    if (!this.connected) return;
    const now = Date.now();
    if (this.#pingSentAt > this.#lastMessageAt) {
      if (now - this.#pingSentAt > PONG_WAIT_MS) {
        this.#drop(4001, "no answer");
      }
    } else if (now - this.#lastMessageAt > SILENCE_BEFORE_PING_MS) {
      this.#pingSentAt = now;
      this.#send({ op: "ping", id: `keepalive-${this.#nextId++}` });
    }
  }

  #subscribe(symbols, resuming) {
    const message = { op: "subscribe", symbols, id: this.#nextId++ };
    if (this.#maxRate) message.maxRate = this.#maxRate;
    if (resuming) {
      const resume = {};
      for (const s of symbols) {
        if (this.#seqs.has(s)) resume[s] = this.#seqs.get(s);
      }
      if (Object.keys(resume).length > 0) {
        message.resume = resume;
        if (this.#epoch) message.epoch = this.#epoch;
      }
    }
    this.#send(message);
  }

  #send(message) {
    this.#socket?.send(JSON.stringify(message));
  }

  /** Sends a WebRTC signaling message (an rtc-offer); returns its id, which its answer (a "signal" event) carries. */
  signal(message) {
    const id = `rtc-${this.#nextId++}`;
    this.#send({ ...message, id });
    return id;
  }

  /** A full quote from any path: applied when newer than what is held, else dropped as stale. */
  applyQuote(m, via) {
    if (!this.#wanted.has(m.symbol)) return;
    const last = this.#seqs.get(m.symbol);
    if (last !== undefined && m.seq <= last) return;
    this.#seqs.set(m.symbol, m.seq);
    this.#emitQuote(m, false, via);
  }

  #handle(m) {
    switch (m.type) {
      case "subscribed":
        // Sent after the hub judged our resume against our epoch: from here on its epoch is ours.
        if (m.epoch) this.#epoch = m.epoch;
        break;
      case "snapshot": {
        // The data channel may have brought a newer quote before this snapshot's frame arrived
        // (after a reset the held seq is gone, so a reset's snapshot always applies).
        if (m.epoch) this.#epoch = m.epoch;
        const held = this.#seqs.get(m.symbol);
        if (held !== undefined && m.seq < held) return;
        this.#seqs.set(m.symbol, m.seq);
        this.#emitQuote(m, true);
        break;
      }
      case "quote":
        this.applyQuote(m, "websocket");
        break;
      case "delta": {
        if (!this.#wanted.has(m.symbol)) return; // an update in flight before an unsubscribe
        const last = this.#seqs.get(m.symbol);
        if (last !== undefined) {
          // Already applied, or already superseded by a full quote from the data channel.
          if (m.seq === last || (m.seq < last && this.#quotesSeen)) return;
          if (m.seq < last || m.seq - last > Math.max(1, m.merged ?? 1)) {
            // Backwards, or a jump that `merged` does not explain: the protocol says reconnect
            // and resume from what we hold.
            this.reconnectNow();
            return;
          }
        }
        this.#seqs.set(m.symbol, m.seq);
        this.#emitQuote(m, false);
        break;
      }
      case "reconnect":
        // The hub is stopping (docs/protocol.md, "Hub restarts"): leave before its 1012 close.
        this.#moving = true;
        this.#drop(1000, "moving");
        break;
      case "reset":
        if (m.epoch) this.#epoch = m.epoch;
        this.#seqs.delete(m.symbol);
        this.dispatchEvent(new CustomEvent("reset", { detail: m }));
        break;
      case "error":
        if (String(m.id ?? "").startsWith("rtc-")) {
          this.dispatchEvent(new CustomEvent("signal", { detail: m }));
        } else {
          this.dispatchEvent(new CustomEvent("problem", { detail: m }));
        }
        break;
      case "authenticated":
      case "refreshed":
        this.dispatchEvent(new CustomEvent("identity", { detail: m }));
        break;
      case "token-expiring":
        this.dispatchEvent(new CustomEvent("token-expiring", { detail: m }));
        break;
      case "unsubscribed":
        if (m.reason) {
          m.symbols.forEach(s => { this.#wanted.delete(s); this.#seqs.delete(s); });
          this.dispatchEvent(new CustomEvent("revoked", { detail: m }));
        }
        break;
      case "rtc-answer":
      case "rtc-open":
      case "rtc-closed":
        this.dispatchEvent(new CustomEvent("signal", { detail: m }));
        break;
      default:
        break; // unsubscribed, heartbeat, pong: liveness only
    }
  }

  #emitQuote(m, snapshot, via = "websocket") {
    if (m.type === "quote") this.#quotesSeen = true;
    const { type, symbol, seq, merged, epoch, ...fields } = m;
    this.dispatchEvent(new CustomEvent("quote", { detail: { symbol, seq, merged, fields, snapshot, via } }));
  }

  #emitStatus(state, extra = {}) {
    this.dispatchEvent(new CustomEvent("status", { detail: { state, ...extra } }));
  }
}
