// A Ticker subscriber built on libdatachannel (node-datachannel) and the `ws` package: a second,
// independent WebRTC implementation for the hub to talk to, and the load client of the benchmarks.
//
//   node peer.mjs --url ws://127.0.0.1:8080/ws --symbols AAPL,MSFT [--sessions 1] [--concurrency 25]
//                 [--transport rtc|ws] [--print quotes|none] [--seconds 0] [--tamper-fingerprint yes]      (RTC_LOG=Debug: libdatachannel's log)
//
// Writes one JSON object per line on stdout:
//   {"event":"pair","session":0,"local":"host","remote":"host"}  the selected candidate pair's types
//   {"event":"open","session":0,"setupMs":12.3}            data channel open (offer sent -> open)
//   {"event":"quote","session":0,"via":"webrtc","symbol":"AAPL","seq":7,"price":123.45,"ts":"...","at":1732...}
//   {"event":"closed"|"error","session":0,"reason":"..."}
//   {"event":"rtc-open"|"rtc-closed","session":0,"reason":"..."}     what the hub said on the WebSocket
//   {"event":"summary","opened":500,"failed":0,"setupMs":{"p50":..,"p99":..,"max":..}}
import nodeDataChannel from "node-datachannel";
import { WebSocket } from "ws";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const url = args.url ?? "ws://127.0.0.1:8080/ws";
const symbols = (args.symbols ?? "AAPL").split(",");
const sessions = Number(args.sessions ?? 1);
const transport = args.transport ?? "rtc";
const print = args.print ?? "quotes";
const seconds = Number(args.seconds ?? 0);
// Test of the hub's DTLS check: offer a fingerprint that is not this peer's certificate's.
const tamperFingerprint = args["tamper-fingerprint"] === "yes";

nodeDataChannel.initLogger(process.env.RTC_LOG ?? "Error", (level, message) => process.stderr.write(`libdatachannel ${level}: ${message}\n`));
const emit = record => process.stdout.write(JSON.stringify(record) + "\n");
const setupTimes = [];
let failed = 0;
// node-datachannel closes a channel or connection whose JS object is garbage-collected: hold them.
const peers = [];

function start(session) {
  return new Promise(resolve => {
    const socket = new WebSocket(url);
    let pc = null;
    let offeredAt = 0;
    let settled = false;
    const done = ok => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!ok) failed++;
      resolve();
    };
    const timer = setTimeout(() => { emit({ event: "error", session, reason: "no open data channel within 20 s" }); done(false); }, 20_000);
    socket.on("error", e => { emit({ event: "error", session, reason: `websocket: ${e.message}` }); done(false); });
    socket.on("close", () => emit({ event: "closed", session, reason: "websocket closed" }));
    socket.on("open", () => {
      socket.send(JSON.stringify({ op: "subscribe", symbols, id: "s" }));
      if (transport !== "rtc") {
        done(true);
        return;
      }
      pc = new nodeDataChannel.PeerConnection(`s${session}`, { iceServers: [] });
      peers.push(pc);
      pc.onLocalDescription((sdp, type) => {
        if (type !== "offer") return;
        offeredAt = performance.now();
        const offered = tamperFingerprint ? sdp.replace(/(a=fingerprint:sha-256 )([0-9A-F]{2})/i, (_, a, b) => a + (b === "00" ? "01" : "00")) : sdp;
        socket.send(JSON.stringify({ op: "rtc-offer", sdp: offered, id: "rtc" }));
      });
      const channel = pc.createDataChannel("quotes", { unordered: true, maxRetransmits: 0 });
      peers.push(channel);
      channel.onOpen(() => {
        const setupMs = performance.now() - offeredAt;
        const pair = pc.getSelectedCandidatePair();
        if (pair) emit({ event: "pair", session, local: pair.local.type, remote: pair.remote.type });
        setupTimes.push(setupMs);
        emit({ event: "open", session, setupMs: Math.round(setupMs * 10) / 10 });
        done(true);
      });
      channel.onClosed(() => emit({ event: "closed", session, reason: "data channel closed" }));
      channel.onError(e => emit({ event: "error", session, reason: `data channel: ${e}` }));
      channel.onMessage(data => quote(session, "webrtc", String(data)));
    });
    socket.on("message", data => {
      const text = String(data);
      const message = JSON.parse(text);
      if (message.type === "rtc-answer") {
        pc.setRemoteDescription(message.sdp, "answer");
      } else if (message.type === "rtc-open" || message.type === "rtc-closed") {
        emit({ event: message.type, session, reason: message.reason, label: message.label });
      } else if (message.type === "error") {
        emit({ event: "error", session, reason: `${message.code}: ${message.message}` });
        if (message.id === "rtc") done(false);
      } else if (message.type === "delta" || message.type === "quote" || message.type === "snapshot") {
        quote(session, "websocket", text, message);
      }
    });
  });
}

function quote(session, via, text, parsed) {
  if (print === "none") return;
  const m = parsed ?? JSON.parse(text);
  if (m.type === "snapshot") return;
  emit({ event: "quote", session, via, symbol: m.symbol, seq: m.seq, price: m.price, ts: m.ts, at: Date.now() });
}

function percentile(sorted, p) {
  return sorted.length === 0 ? null : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 10) / 10;
}

// Sessions start a few at a time, as browsers arriving would; the hub answers each offer on its own.
const concurrency = Math.min(sessions, Number(args.concurrency ?? 25));
let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < sessions) await start(next++);
}));
const sorted = [...setupTimes].sort((a, b) => a - b);
emit({ event: "summary", opened: setupTimes.length, failed, setupMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: percentile(sorted, 1) } });
if (seconds > 0) {
  setTimeout(() => process.exit(0), seconds * 1000);
}
