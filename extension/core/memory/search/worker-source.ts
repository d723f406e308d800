/**
 * The transcript scanner that runs in a worker thread. It is plain JavaScript in a string (started with
 * `new Worker(src, { eval: true })`) so it needs no separate bundle entry and survives any TS toolchain.
 *
 * Per file: read into one reused buffer (chunkBytes; lines that straddle a chunk are carried over), find the
 * anchor bytes with Buffer.indexOf, and only for the lines that contain it: decode (strict UTF-8), check the
 * other terms, JSON.parse, apply the role / tool / date filters, score and cut a snippet. Line numbers are
 * counted afterwards, only for files with hits. Torn last lines, non-UTF-8 and corrupt lines are reported.
 *
 * With a ripgrep binary (job.rgPath: VS Code's bundled one in the extension host, or one on PATH), ripgrep finds
 * the candidate lines instead of the byte scan; everything after that is the same code.
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

// ---------------------------------------------------------------- the ripgrep path
// ripgrep finds the lines that hold an anchor (fixed strings, the same anchors as the byte scan above, so both
// paths examine the same candidate lines) and prints them with their line number and byte offset; this thread
// checks, parses and scores them exactly as scan() does. ripgrep reads with mmap and SIMD, several times faster
// than reads plus Buffer.indexOf. One ripgrep per worker, single-threaded, over that worker's share of files.
const { spawn } = require('node:child_process');

function lastByte(path, size) {
  if (size === 0) return 10;
  let fd;
  try {
    fd = fs.openSync(path, 'r');
    const one = Buffer.alloc(1);
    return fs.readSync(fd, one, 0, 1, size - 1) === 1 ? one[0] : 10;
  } catch (e) { return 10; } finally { if (fd !== undefined) fs.closeSync(fd); }
}

function scanRg(job) {
  return new Promise(function (resolve, reject) {
    const terms = job.terms;
    const hits = [];
    const problems = [];
    const byPath = new Map();
    let scanned = 0;
    for (const f of job.files) {
      let size = 0;
      try { size = fs.statSync(f.path).size; } catch (e) { problems.push({ session: f.session, kind: 'unreadable', detail: String(e && e.code || e) }); continue; }
      scanned += size;
      // A torn last line (an interrupted write) is reported and never parsed, as the byte scan does.
      const torn = lastByte(f.path, size) !== 10;
      if (torn) problems.push({ session: f.session, kind: 'torn', detail: 'the last line is cut off (a write was interrupted); skipped' });
      byPath.set(f.path, { file: f, size: size, torn: torn, hits: [] });
    }
    if (!byPath.size) { resolve({ hits: hits, problems: problems, scannedBytes: scanned, candidates: 0, stopped: false }); return; }
    const args = ['--no-config', '--fixed-strings', '--text', '--line-number', '--byte-offset', '--no-heading', '--with-filename',
      '--null', '--color', 'never', '--no-ignore', '--hidden', '--threads', '1', '--mmap', '--max-columns', String(MAX_LINE_DECODE)];
    for (const a of job.anchors) args.push('-e', a);
    args.push('--');
    for (const p of byPath.keys()) args.push(p);
    const child = spawn(job.rgPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let candidates = 0, stopped = false, stderr = '', threshold = 0;
    let pending = null;
    const keep = job.maxHits;
    function onLine(line) {
      // path NUL lineNo ':' byteOffset ':' content
      const z = line.indexOf(0);
      if (z < 0) return;
      const rec = byPath.get(line.toString('utf8', 0, z));
      if (!rec) return;
      let c1 = line.indexOf(58, z + 1);
      const lineNo = Number(line.toString('latin1', z + 1, c1));
      const c2 = line.indexOf(58, c1 + 1);
      const off = Number(line.toString('latin1', c1 + 1, c2));
      const bytes = line.subarray(c2 + 1);
      if (rec.torn && off + bytes.length >= rec.size) return;
      if (bytes.length && bytes[0] === 91 /* [ */) return; // "[Omitted long line ...]": too long to decode anyway
      if (++candidates > job.maxCandidates) { stopped = true; child.kill(); return; }
      const before = problems.length;
      const h = checkLine(bytes, off, rec.file, terms, job, problems, threshold);
      for (let k = before; k < problems.length; k++) problems[k].line = lineNo;
      if (h) {
        h.line = lineNo;
        rec.hits.push(h);
        hits.push(h);
        // With a tool filter, hits are dropped afterwards: keep them all until then.
        if (!job.tool && hits.length > keep * 2) { hits.sort(rank); hits.length = keep; threshold = hits[keep - 1].score; }
      }
    }
    child.stdout.on('data', function (chunk) {
      if (stopped) return;
      let data = pending ? Buffer.concat([pending, chunk]) : chunk;
      let pos = 0, nl;
      while ((nl = data.indexOf(10, pos)) !== -1) {
        onLine(data.subarray(pos, nl));
        pos = nl + 1;
        if (stopped) break;
      }
      pending = pos < data.length ? Buffer.from(data.subarray(pos)) : null;
    });
    child.stderr.on('data', function (d) { if (stderr.length < 2000) stderr += d; });
    child.on('error', reject);
    child.on('close', function (code) {
      if (pending && !stopped) onLine(pending);
      // 0: matches, 1: none, 2: an error (e.g. a file vanished) that still searched the rest.
      if (code === 2 && !stopped && !candidates && stderr) { reject(new Error('ripgrep: ' + stderr.trim().split('\n')[0])); return; }
      if (job.tool) {
        for (const rec of byPath.values()) {
          for (const h of rec.hits) {
            if (h.tools.indexOf(job.tool) >= 0) continue;
            const ok = h.ids.length && h.ids.slice(0, 5).some(function (id) { return fileContains(rec.file.path, Buffer.from(JSON.stringify(id) + ',"name":' + JSON.stringify(job.tool))); });
            if (!ok) h.dropped = true;
          }
        }
      }
      const kept = hits.filter(function (h) { return !h.dropped; }).sort(rank);
      if (kept.length > keep) kept.length = keep;
      resolve({ hits: kept, problems: problems, scannedBytes: scanned, candidates: candidates, stopped: stopped });
    });
  });
}

parentPort.on('message', function (job) {
  const done = function (result) { parentPort.postMessage({ id: job.id, ok: true, result: result }); };
  const fail = function (e) { parentPort.postMessage({ id: job.id, ok: false, error: String(e && e.stack || e) }); };
  if (job.rgPath) { scanRg(job).then(done, fail); return; }
  try { done(scan(job)); } catch (e) { fail(e); }
});
`;
