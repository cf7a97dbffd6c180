// The price chart of the selected symbol: OHLC bars from /api/bars, then live updates merged into
// the current bar (or opening the next one). Drawn by TradingView's lightweight-charts, which
// Dashboard.targets copies from npm to /lib/.

import { fetchBars } from "./api.js";
import { formatPrice, formatTime, formatVolume, priceDigits } from "./format.js";

export const RANGES = {
  "1h": { span: 60 * 60_000, interval: "1m", seconds: 60 },
  "4h": { span: 4 * 60 * 60_000, interval: "1m", seconds: 60 },
  "24h": { span: 24 * 60 * 60_000, interval: "5m", seconds: 300 },
};

const UP = "#22c55e";
const DOWN = "#ef4444";
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const pad = n => String(n).padStart(2, "0");

export class PriceChart {
  #library;
  #chart;
  #candles;
  #volume;
  #legend;
  #note;
  #element;
  #symbol = null;
  #range = RANGES["1h"];
  #last = null;            // the newest bar shown
  #pending = [];           // live updates that arrived while history was loading
  #loading = null;         // AbortController of the history request in flight
  #barsLoaded = 0;

  constructor(element, legend, note) {
    this.#library = window.LightweightCharts;
    if (!this.#library) {
      throw new Error("lightweight-charts did not load (/lib/lightweight-charts.standalone.production.js)");
    }
    this.#element = element;
    this.#legend = legend;
    this.#note = note;
    const { createChart, CandlestickSeries, HistogramSeries, ColorType, CrosshairMode, TickMarkType } = this.#library;
    this.#chart = createChart(element, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: "transparent" },
        textColor: "#8a94a6",
        fontFamily: FONT,
        fontSize: 11,
        attributionLogo: true, // lightweight-charts' licence asks for the attribution
      },
      grid: {
        vertLines: { color: "rgba(148, 163, 184, 0.06)" },
        horzLines: { color: "rgba(148, 163, 184, 0.06)" },
      },
      crosshair: {
        mode: CrosshairMode.Normal,
        vertLine: { color: "rgba(148, 163, 184, 0.35)", labelBackgroundColor: "#1f2937" },
        horzLine: { color: "rgba(148, 163, 184, 0.35)", labelBackgroundColor: "#1f2937" },
      },
      rightPriceScale: { borderColor: "rgba(148, 163, 184, 0.12)" },
      timeScale: {
        borderColor: "rgba(148, 163, 184, 0.12)",
        timeVisible: true,
        secondsVisible: false,
        rightOffset: 3,
        // The chart works in UTC seconds; people read their own clock.
        tickMarkFormatter: (time, type) => {
          const d = new Date(time * 1000);
          switch (type) {
            case TickMarkType.Year: return String(d.getFullYear());
            case TickMarkType.Month: return d.toLocaleString("en-US", { month: "short" });
            case TickMarkType.DayOfMonth: return `${d.toLocaleString("en-US", { month: "short" })} ${d.getDate()}`;
            default: return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
          }
        },
      },
      localization: {
        timeFormatter: time => formatTime(new Date(time * 1000)),
      },
    });
    this.#candles = this.#chart.addSeries(CandlestickSeries, {
      upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false,
      priceLineColor: "rgba(148, 163, 184, 0.6)",
    });
    this.#candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.26 } });
    this.#volume = this.#chart.addSeries(HistogramSeries, {
      priceFormat: { type: "volume" }, priceScaleId: "volume", lastValueVisible: false, priceLineVisible: false,
    });
    this.#chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.#chart.subscribeCrosshairMove(param => this.#showLegend(param.time === undefined ? this.#last : this.#barAt(param)));
  }

  get symbol() { return this.#symbol; }

  get barsLoaded() { return this.#barsLoaded; }

  /** Shows a symbol's history over the range, then keeps its current bar live. */
  async show(symbol, rangeKey) {
    this.#loading?.abort();
    const loading = new AbortController();
    this.#loading = loading;
    this.#symbol = symbol;
    this.#range = RANGES[rangeKey] ?? RANGES["1h"];
    this.#last = null;
    this.#pending = [];
    this.#candles.setData([]);
    this.#volume.setData([]);
    this.#showLegend(null);
    this.#element.dataset.state = "loading";
    this.#setNote("");
    if (!symbol) {
      this.#element.dataset.state = "empty";
      return;
    }
    const to = new Date();
    let response;
    try {
      response = await fetchBars(symbol, this.#range.interval, new Date(to.getTime() - this.#range.span), to, loading.signal);
    } catch (error) {
      if (loading.signal.aborted) return;
      this.#loading = null;
      this.#element.dataset.state = "error";
      this.#setNote(`Could not load the history of ${symbol}: ${error.message}`);
      return;
    }
    if (loading.signal.aborted) return;
    this.#loading = null;
    const bars = response.bars.map(b => ({
      time: Math.floor(Date.parse(b.start) / 1000),
      open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume,
    }));
    this.#applyPriceFormat(bars.at(-1)?.close ?? this.#pending.at(-1)?.price);
    this.#candles.setData(bars);
    this.#volume.setData(bars.map(b => this.#volumeBar(b)));
    this.#last = bars.at(-1) ?? null;
    this.#barsLoaded = bars.length;
    this.#element.dataset.bars = String(bars.length);
    this.#element.dataset.state = "ready";
    Object.assign(window.tickerDebug ??= {}, { barsLoaded: bars.length, chartSymbol: symbol });
    for (const update of this.#pending.splice(0)) {
      this.#merge(update);
    }
    // Fit a full range; a few bars stretched to the whole width would read as a broken chart.
    if (bars.length >= 30) {
      this.#chart.timeScale().fitContent();
    } else {
      this.#chart.timeScale().applyOptions({ barSpacing: 10 });
      this.#chart.timeScale().scrollToRealTime();
    }
    this.#showLegend(this.#last);
    if (bars.length === 0) {
      this.#setNote(`No trades of ${symbol} in this range yet; new ones appear as they happen.`);
    }
  }

  /** A live trade of the shown symbol: price, its time, and the volume it added. */
  update(symbol, price, ts, volume) {
    if (symbol !== this.#symbol || price === undefined || !ts) return;
    const update = { price, time: Date.parse(ts) / 1000, volume: volume ?? 0 };
    if (this.#loading) {
      this.#pending.push(update);
    } else {
      this.#merge(update);
      this.#setNote("");
    }
  }

  #merge({ price, time, volume }) {
    const width = this.#range.seconds;
    const start = Math.floor(time / width) * width;
    const last = this.#last;
    if (last && start < last.time) return; // older than what is drawn: already in the history
    const bar = last && start === last.time
      ? { ...last, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price, volume: last.volume + volume }
      : { time: start, open: price, high: price, low: price, close: price, volume };
    if (!last) this.#applyPriceFormat(price);
    this.#last = bar;
    this.#candles.update(bar);
    this.#volume.update(this.#volumeBar(bar));
    this.#showLegend(bar);
  }

  #volumeBar(b) {
    return { time: b.time, value: b.volume, color: b.close >= b.open ? "rgba(34, 197, 94, 0.35)" : "rgba(239, 68, 68, 0.35)" };
  }

  #applyPriceFormat(price) {
    if (price === undefined) return;
    // Axis labels in cents for most prices; pennies and FX need more places.
    const precision = Math.abs(price) >= 1 ? 2 : priceDigits(price);
    this.#candles.applyOptions({ priceFormat: { type: "price", precision, minMove: 10 ** -precision } });
  }

  #barAt(param) {
    const candle = param.seriesData.get(this.#candles);
    const volume = param.seriesData.get(this.#volume);
    return candle ? { ...candle, volume: volume?.value } : null;
  }

  #showLegend(bar) {
    if (!bar) {
      this.#legend.replaceChildren();
      return;
    }
    const trend = bar.close >= bar.open ? "up" : "down";
    const item = (label, value) => {
      const span = document.createElement("span");
      span.className = "legend-item";
      span.innerHTML = `<span class="legend-label">${label}</span><span class="legend-value" data-trend="${trend}"></span>`;
      span.lastChild.textContent = value;
      return span;
    };
    const time = document.createElement("span");
    time.className = "legend-time";
    time.textContent = formatTime(new Date(bar.time * 1000));
    this.#legend.replaceChildren(time, item("O", formatPrice(bar.open)), item("H", formatPrice(bar.high)),
      item("L", formatPrice(bar.low)), item("C", formatPrice(bar.close)), item("Vol", formatVolume(bar.volume)));
  }

  #setNote(text) {
    this.#note.textContent = text;
    this.#note.hidden = text === "";
  }
}
