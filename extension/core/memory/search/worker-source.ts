/**
 * The transcript scanner that runs in a worker thread. It is plain JavaScript in a string (started with
 * `new Worker(src, { eval: true })`) so it needs no separate bundle entry and survives any TS toolchain.
 *
 * Per file: read into one reused buffer (chunkBytes; lines that straddle a chunk are carried over), find the
 * anchor bytes with Buffer.indexOf, and only for the lines that contain it: decode (strict UTF-8), check the
 * other terms, JSON.parse, apply the role / tool / date filters, score and cut a snippet. Line numbers are
 * counted afterwards, only for files with hits. Torn last lines, non-UTF-8 and corrupt lines are reported.
 */
export const SCAN_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const CHUNK = workerData.chunkBytes;
const buf = Buffer.allocUnsafe(CHUNK);
const decoder = new TextDecoder('utf-8', { fatal: true });
const MAX_LINE_DECODE = 2 * 1024 * 1024;

function flatten(e, out) {
  if (e == null) return;
  if (typeof e === 'string') { out.push(e); return; }
  if (Array.isArray(e)) { for (const x of e) flatten(x, out); return; }
  if (typeof e === 'object') {
    for (const k of Object.keys(e)) {
      if (k === 'data' || k === 'signature' || k === 'usage' || k === 'source') continue;
      flatten(e[k], out);
    }
  }
}

function describe(entry) {
  const info = { ts: 0, role: 'meta', tools: [], ids: [], kind: String(entry.t || '') };
  info.ts = typeof entry.ts === 'number' ? entry.ts : (typeof entry.createdAt === 'number' ? entry.createdAt : 0);
  let text;
  if (entry.t === 'msg') {
    const blocks = Array.isArray(entry.content) ? entry.content : [];
    info.role = entry.role;
    if (entry.role === 'user' && blocks.length && blocks.every(function (b) { return b && b.type === 'tool_result'; })) info.role = 'tool';
    for (const b of blocks) {
      if (b && b.type === 'tool_use') info.tools.push(String(b.name));
      if (b && b.type === 'tool_result') info.ids.push(String(b.tool_use_id));
    }
    const parts = [];
    for (const b of blocks) {
      if (!b) continue;
      if (b.type === 'text') parts.push(b.text);
      else if (b.type === 'tool_use') parts.push(b.name + ' ' + JSON.stringify(b.input));
      else if (b.type === 'tool_result') flatten(b.content, parts);
      else if (b.type === 'thinking') parts.push(b.thinking);
    }
    text = parts.join('\n');
  } else if (entry.t === 'tool_result') {
    info.role = 'tool'; info.ids.push(String(entry.toolUseId)); text = String(entry.content);
  } else if (entry.t === 'tool_start') {
    info.role = 'tool'; info.tools.push(String(entry.name)); text = String(entry.name);
  } else if (entry.t === 'partial') {
    info.role = 'assistant'; text = String(entry.text);
  } else if (entry.t === 'title') {
    text = String(entry.title);
  } else {
    const parts = []; flatten(entry, parts); text = parts.join(' ');
  }
  info.text = text;
  return info;
}

function snippetOf(text, lowTerms, max) {
  const low = text.toLowerCase();
  let at = -1;
  for (const t of lowTerms) { const i = low.indexOf(t); if (i >= 0 && (at < 0 || i < at)) at = i; }
  if (at < 0) at = 0;
  const start = Math.max(0, at - Math.floor(max / 3));
  let s = text.slice(start, start + max).replace(/\s+/g, ' ').trim();
  if (start > 0) s = '\u2026' + s;
  if (start + max < text.length) s = s + '\u2026';
  return s;
}

function fileContains(path, needle) {
  let fd;
  try { fd = fs.openSync(path, 'r'); } catch (e) { return false; }
  try {
    let carry = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, carry, CHUNK - carry, null);
      if (n === 0) return false;
      const end = carry + n;
      if (buf.subarray(0, end).indexOf(needle) >= 0) return true;
      carry = Math.min(needle.length - 1, end);
      buf.copy(buf, 0, end - carry, end);
    }
  } finally { fs.closeSync(fd); }
}

function lineNumbers(path, offsets) {
  const out = new Map();
  const sorted = Array.from(new Set(offsets)).sort(function (a, b) { return a - b; });
  let fd;
  try { fd = fs.openSync(path, 'r'); } catch (e) { return out; }
  try {
    let base = 0, lines = 0, k = 0;
    while (k < sorted.length) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const view = buf.subarray(0, n);
      let pos = 0;
      while (k < sorted.length && sorted[k] < base + n) {
        const target = sorted[k] - base;
        let i;
        while ((i = view.indexOf(10, pos)) !== -1 && i < target) { lines++; pos = i + 1; }
        out.set(sorted[k], lines + 1);
        k++;
      }
      let i;
      while ((i = view.indexOf(10, pos)) !== -1) { lines++; pos = i + 1; }
      base += n;
    }
  } finally { fs.closeSync(fd); }
  return out;
}

function scan(job) {
  const anchors = job.anchors.map(function (a) { return Buffer.from(a, 'utf8'); });
  const terms = job.terms;
  const hits = [];
  const problems = [];
  let scanned = 0, candidates = 0, stopped = false;
  const keep = job.maxHits;
  let threshold = 0;
  function push(h) {
    hits.push(h);
    if (hits.length > keep * 2) { hits.sort(rank); hits.length = keep; threshold = hits[keep - 1].score; }
  }
  for (const file of job.files) {
    if (stopped) break;
    let fd;
    try { fd = fs.openSync(file.path, 'r'); } catch (e) { problems.push({ session: file.session, kind: 'unreadable', detail: String(e && e.code || e) }); continue; }
    const fileHits = [];
    const seenOffsets = new Set();
    let carry = 0, fileOff = 0, skipping = false;
    try {
      for (;;) {
        const n = fs.readSync(fd, buf, carry, CHUNK - carry, null);
        scanned += n;
        let end = carry + n;
        let scanEnd;
        if (n === 0) {
          if (carry === 0) break;
          if (!skipping) problems.push({ session: file.session, kind: 'torn', detail: 'the last line is cut off (a write was interrupted); skipped' });
          scanEnd = 0;
          carry = 0;
          break;
        }
        const last = buf.lastIndexOf(10, end - 1);
        if (last === -1) {
          if (end < CHUNK) { carry = end; continue; }
          if (!skipping) problems.push({ session: file.session, kind: 'too-long', detail: 'a line longer than ' + CHUNK + ' bytes was skipped' });
          skipping = true; fileOff += end; carry = 0; continue;
        }
        scanEnd = last + 1;
        let from = 0;
        if (skipping) { from = buf.indexOf(10) + 1; skipping = false; }
        const view = buf.subarray(0, scanEnd);
        for (const anchor of anchors) {
          let pos = from, i;
          while ((i = view.indexOf(anchor, pos)) !== -1) {
            const ls = Math.max(from, view.lastIndexOf(10, i) + 1);
            const le = view.indexOf(10, i);
            pos = le + 1;
            const off = fileOff + ls;
            if (seenOffsets.has(off)) continue;
            seenOffsets.add(off);
            if (++candidates > job.maxCandidates) { stopped = true; break; }
            const h = checkLine(view.subarray(ls, le), off, file, terms, job, problems, threshold);
            if (h) fileHits.push(h);
          }
          if (stopped) break;
        }
        carry = end - scanEnd;
        buf.copy(buf, 0, scanEnd, end);
        fileOff += scanEnd;
        if (stopped) break;
      }
    } finally { fs.closeSync(fd); }
    if (job.tool) {
      for (let j = fileHits.length - 1; j >= 0; j--) {
        const h = fileHits[j];
        if (h.tools.indexOf(job.tool) >= 0) continue;
        const ok = h.ids.length && h.ids.slice(0, 5).some(function (id) { return fileContains(file.path, Buffer.from(JSON.stringify(id) + ',"name":' + JSON.stringify(job.tool))); });
        if (!ok) fileHits.splice(j, 1);
      }
    }
    const probs = problems.filter(function (p) { return p.session === file.session && p.offset !== undefined && p.line === undefined; }).slice(0, 20);
    if (fileHits.length || probs.length) {
      const nums = lineNumbers(file.path, fileHits.map(function (h) { return h.offset; }).concat(probs.map(function (p) { return p.offset; })));
      for (const h of fileHits) { h.line = nums.get(h.offset) || 0; push(h); }
      for (const p of probs) p.line = nums.get(p.offset);
    }
  }
  hits.sort(rank);
  if (hits.length > keep) hits.length = keep;
  return { hits: hits, problems: problems, scannedBytes: scanned, candidates: candidates, stopped: stopped };
}

function rank(a, b) { return b.score - a.score || b.ts - a.ts || a.offset - b.offset; }

function isWordChar(c) { return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 95 || c > 127; }

/** Per term: present at all, present as a whole word, occurrences (capped). */
function termScore(low, terms) {
  let whole = 0, present = 0, occ = 0;
  for (const t of terms) {
    let i = low.indexOf(t.plain), c = 0, w = false;
    if (i >= 0) present++;
    while (i >= 0 && c < 5) {
      c++;
      if (!w && !isWordChar(low.charCodeAt(i - 1)) && !isWordChar(low.charCodeAt(i + t.plain.length))) w = true;
      i = low.indexOf(t.plain, i + t.plain.length);
    }
    if (w) whole++;
    occ += c;
  }
  return { present: present, score: whole * 100 + (present - whole) * 30 + Math.min(occ, 10) };
}

function checkLine(bytes, offset, file, terms, job, problems, threshold) {
  let str;
  try {
    str = bytes.length > MAX_LINE_DECODE ? null : decoder.decode(bytes);
  } catch (e) {
    problems.push({ session: file.session, offset: offset, kind: 'not-utf8', detail: 'a line with invalid UTF-8 bytes was skipped' });
    return null;
  }
  if (str === null) return null;
  const low = str.toLowerCase();
  let matched = 0;
  for (const t of terms) if (low.indexOf(t.escaped) >= 0) matched++;
  if (job.all && matched < terms.length) return null;
  // Upper bound of the final score: a line that cannot enter the top hits is not parsed.
  if (matched * 100 + 10 < threshold) return null;
  let entry;
  try { entry = JSON.parse(str); } catch (e) {
    problems.push({ session: file.session, offset: offset, kind: 'corrupt', detail: 'a line that is not valid JSON was skipped' });
    return null;
  }
  if (!entry || typeof entry !== 'object') return null;
  const info = describe(entry);
  if (job.role && info.role !== job.role) return null;
  if (job.since !== undefined && info.ts && info.ts < job.since) return null;
  if (job.until !== undefined && info.ts && info.ts > job.until) return null;
  if (job.tool && info.tools.indexOf(job.tool) < 0 && !info.ids.length) return null;
  const ts = termScore(info.text.toLowerCase(), terms);
  if (ts.present === 0 || (job.all && ts.present < terms.length)) return null;
  return { session: file.session, offset: offset, line: 0, ts: info.ts, role: info.role, kind: info.kind, tools: info.tools, ids: info.ids, score: ts.score,
    snippet: snippetOf(info.text, terms.map(function (t) { return t.plain; }), job.snippetChars) };
}

function lowerPriority() {
  // Linux: a worker thread can lower its own priority (nice 10), so the host's event loop wins the CPU at once.
  try {
    const tid = Number(String(fs.readlinkSync('/proc/thread-self')).split('/').pop());
    if (tid > 0) require('node:os').setPriority(tid, 10);
  } catch (e) { /* not Linux, or not allowed: fine */ }
}
lowerPriority();

parentPort.on('message', function (job) {
  try { parentPort.postMessage({ id: job.id, ok: true, result: scan(job) }); }
  catch (e) { parentPort.postMessage({ id: job.id, ok: false, error: String(e && e.stack || e) }); }
});
`;
