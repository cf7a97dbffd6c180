// Captures Chromium's data-channel offer and its first ICE connectivity checks as test vectors.
// Usage: node capture.js [outDir]   (needs /usr/bin/chromium; writes chromium-offer.sdp.txt,
// chromium-binding-*.hex and chromium-capture.json; see README.md). Not part of the build.
'use strict';
const http = require('http');
const dgram = require('dgram');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const outDir = process.argv[2] || path.join(__dirname, '..');
const UFRAG = 'Hub1';                     // known server credentials, recorded in chromium-capture.json
const PWD = 'CapturePassword0123456789';
const FPR = Array.from(crypto.randomBytes(32), b => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
const candidateIp = process.env.CANDIDATE_IP || '127.0.0.1';

const page = `<!doctype html><script>
(async () => {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('q', { ordered: false, maxRetransmits: 0 });
  await pc.setLocalDescription();
  console.log('OFFER ' + JSON.stringify(pc.localDescription.sdp));
  const r = await fetch('/answer', { method: 'POST', body: pc.localDescription.sdp });
  await pc.setRemoteDescription({ type: 'answer', sdp: await r.text() });
  pc.oniceconnectionstatechange = () => console.log('ICE ' + pc.iceConnectionState);
})().catch(e => console.log('ERROR ' + e));
</script>`;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = buf => { let c = 0xFFFFFFFF; for (const b of buf) c = crcTable[(c ^ b) & 0xFF] ^ (c >>> 8); return (c ^ 0xFFFFFFFF) >>> 0; };

// Binding success: XOR-MAPPED-ADDRESS (IPv4), MESSAGE-INTEGRITY, FINGERPRINT (RFC 8489 §14).
function success(req, rinfo) {
  const xma = Buffer.alloc(12);
  xma.writeUInt16BE(0x0020, 0); xma.writeUInt16BE(8, 2); xma.writeUInt16BE(0x0001, 4);
  xma.writeUInt16BE(rinfo.port ^ 0x2112, 6);
  const ip = rinfo.address.split('.').map(Number);
  const cookie = [0x21, 0x12, 0xA4, 0x42];
  for (let i = 0; i < 4; i++) xma[8 + i] = ip[i] ^ cookie[i];
  const head = Buffer.alloc(20);
  head.writeUInt16BE(0x0101, 0); req.copy(head, 4, 4, 20);
  head.writeUInt16BE(12 + 24, 2);
  const mac = crypto.createHmac('sha1', PWD).update(Buffer.concat([head, xma])).digest();
  const mi = Buffer.concat([Buffer.from([0x00, 0x08, 0x00, 0x14]), mac]);
  head.writeUInt16BE(12 + 24 + 8, 2);
  const body = Buffer.concat([head, xma, mi]);
  const fp = Buffer.alloc(8);
  fp.writeUInt16BE(0x8028, 0); fp.writeUInt16BE(4, 2); fp.writeUInt32BE((crc32(body) ^ 0x5354554E) >>> 0, 4);
  return Buffer.concat([body, fp]);
}

const udp = dgram.createSocket('udp4');
const checks = [];
let offer = null;
udp.on('message', (msg, rinfo) => {
  if (msg.length < 20 || msg[0] > 3 || msg.readUInt16BE(0) !== 0x0001) return;
  checks.push({ hex: msg.toString('hex'), from: `${rinfo.address}:${rinfo.port}` });
  udp.send(success(msg, rinfo), rinfo.port, rinfo.address);
});

udp.bind(0, '0.0.0.0', () => {
  const udpPort = udp.address().port;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', d => body += d);
      req.on('end', () => {
        offer = body;
        const mid = (/a=mid:(\S+)/.exec(body) || [])[1] || '0';
        res.end(['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', `a=group:BUNDLE ${mid}`, 'a=ice-lite',
          `m=application ${udpPort} UDP/DTLS/SCTP webrtc-datachannel`, `c=IN IP4 ${candidateIp}`,
          `a=ice-ufrag:${UFRAG}`, `a=ice-pwd:${PWD}`, `a=fingerprint:sha-256 ${FPR}`, 'a=setup:passive',
          `a=mid:${mid}`, 'a=sctp-port:5000', 'a=max-message-size:262144',
          `a=candidate:1 1 udp 2130706431 ${candidateIp} ${udpPort} typ host`, 'a=end-of-candidates', ''].join('\r\n'));
      });
      return;
    }
    res.setHeader('content-type', 'text/html');
    res.end(page);
  });
  server.listen(0, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}/`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-'));
    const chrome = spawn('/usr/bin/chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${dir}`, '--enable-logging=stderr', '--v=0', url], { stdio: ['ignore', 'ignore', 'pipe'] });
    chrome.stderr.on('data', d => { for (const l of String(d).split('\n')) if (/CONSOLE/.test(l)) console.error(l.slice(0, 200)); });
    setTimeout(() => {
      chrome.kill('SIGKILL');
      const useCandidate = checks.find(c => hasAttr(Buffer.from(c.hex, 'hex'), 0x0025));
      if (!offer || checks.length === 0) { console.error('nothing captured'); process.exit(1); }
      fs.writeFileSync(path.join(outDir, 'chromium-offer.sdp.txt'), offer);
      fs.writeFileSync(path.join(outDir, 'chromium-binding-first.hex'), checks[0].hex + '\n');
      if (useCandidate) fs.writeFileSync(path.join(outDir, 'chromium-binding-use-candidate.hex'), useCandidate.hex + '\n');
      fs.writeFileSync(path.join(outDir, 'chromium-capture.json'), JSON.stringify({
        serverUfrag: UFRAG, serverPwd: PWD, browserUfrag: (/a=ice-ufrag:(\S+)/.exec(offer) || [])[1],
        firstFrom: checks[0].from, useCandidateFrom: useCandidate && useCandidate.from, checks: checks.length,
      }, null, 2) + '\n');
      console.error(`captured ${checks.length} checks; use-candidate: ${!!useCandidate}`);
      process.exit(0);
    }, 8000);
  });
});

function hasAttr(msg, type) {
  for (let o = 20; o + 4 <= msg.length;) {
    const t = msg.readUInt16BE(o), l = msg.readUInt16BE(o + 2);
    if (t === type) return true;
    o += 4 + ((l + 3) & ~3);
  }
  return false;
}
