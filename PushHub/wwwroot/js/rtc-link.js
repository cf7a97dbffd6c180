// WebRTC data channel for quotes (docs/protocol.md, "WebRTC"): offered over the WebSocket, answered
// by the hub. Once the channel is open the hub sends each update there as the symbol's full quote,
// unordered and without retransmission, so a lost packet never holds back a newer price.
//
// Modes: "direct" (host candidates) or "relay" (only through the bundled TURN relay, as a browser
// behind a strict NAT would). Events (EventTarget):
//   "state"  detail {state: "negotiating"|"open"|"closed"|"failed", reason?}
import { authHeaders } from "./session.js";

const CHANNEL = { label: "quotes", options: { ordered: false, maxRetransmits: 0 } };

export class RtcLink extends EventTarget {
  #stream;
  #mode = "direct";
  #pc = null;
  #channel = null;
  #state = "closed";
  #offerId = null;   // only the answer to the latest offer counts
  #attempt = 0;      // a newer open() supersedes one still awaiting

  constructor(stream) {
    super();
    this.#stream = stream;
    stream.addEventListener("signal", e => this.#onSignal(e.detail));
  }

  get state() { return this.#state; }

  get mode() { return this.#mode; }

  /** The selected candidate pair's local type ("host", "prflx", "relay"...), for the header and tests. */
  async localCandidateType() {
    if (!this.#pc) return null;
    const stats = await this.#pc.getStats();
    for (const report of stats.values()) {
      if (report.type === "transport" && report.selectedCandidatePairId) {
        const pair = stats.get(report.selectedCandidatePairId);
        return stats.get(pair?.localCandidateId)?.candidateType ?? null;
      }
    }
    return null;
  }

  /** Negotiates a new session over the stream's WebSocket (call again after a reconnect). */
  async open(mode = this.#mode) {
    this.close();
    this.#mode = mode;
    const attempt = ++this.#attempt;
    this.#setState("negotiating");
    const config = {};
    if (this.#mode === "relay") {
      const response = await fetch("/api/turn-credentials", { headers: authHeaders() });
      if (attempt !== this.#attempt) return;
      if (!response.ok) {
        this.#setState("failed", `no relay: HTTP ${response.status}`);
        return;
      }
      const { urls, username, credential } = await response.json();
      if (attempt !== this.#attempt) return;
      config.iceServers = [{ urls: urls.filter(u => u.startsWith("turn:")), username, credential }];
      config.iceTransportPolicy = "relay";
    }
    const pc = this.#pc = new RTCPeerConnection(config);
    const channel = this.#channel = pc.createDataChannel(CHANNEL.label, CHANNEL.options);
    channel.addEventListener("open", () => { if (channel === this.#channel) this.#setState("open"); });
    channel.addEventListener("close", () => { if (channel === this.#channel) this.#setState("closed", "channel closed"); });
    channel.addEventListener("message", e => this.#onMessage(e.data));
    pc.addEventListener("connectionstatechange", () => {
      if (pc === this.#pc && pc.connectionState === "failed") this.#setState("failed", "ICE or DTLS failed");
    });
    await pc.setLocalDescription();
    if (pc !== this.#pc) return; // superseded (and closed) while the offer was made
    // ICE-lite on the hub: it learns this browser's address from the checks, so no candidates are sent.
    this.#offerId = this.#stream.signal({ op: "rtc-offer", sdp: pc.localDescription.sdp });
  }

  /** Closes the channel only (the session stays); updates continue on the WebSocket. */
  closeChannel() {
    this.#channel?.close();
  }

  /** Reopens a channel on the existing session. */
  reopenChannel() {
    if (!this.#pc) return;
    const channel = this.#channel = this.#pc.createDataChannel(CHANNEL.label, CHANNEL.options);
    channel.addEventListener("open", () => { if (channel === this.#channel) this.#setState("open"); });
    channel.addEventListener("close", () => { if (channel === this.#channel) this.#setState("closed", "channel closed"); });
    channel.addEventListener("message", e => this.#onMessage(e.data));
  }

  close() {
    const pc = this.#pc;
    this.#pc = this.#channel = this.#offerId = null;
    this.#attempt++;
    pc?.close();
    if (this.#state !== "closed") this.#setState("closed", "closed by the page");
  }

  async #onSignal(m) {
    if (!this.#pc || m.id === undefined || m.id !== this.#offerId) return; // an answer to an abandoned offer
    if (m.type === "rtc-answer") {
      try {
        await this.#pc.setRemoteDescription({ type: "answer", sdp: m.sdp });
      } catch (error) {
        this.#setState("failed", `answer refused: ${error.message}`);
      }
    } else if (m.type === "error") {
      this.#setState("failed", `${m.code}: ${m.message}`);
    }
  }

  #onMessage(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message.type === "quote") this.#stream.applyQuote(message, "webrtc");
  }

  #setState(state, reason) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: { state, reason } }));
  }
}
