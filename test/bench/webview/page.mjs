// The bench page: the built webview with acquireVsCodeApi stubbed. The stub answers session/snapshot with
// /snapshot.json and records when the answer was posted (window.__t0), so the bench can time the first render.
export const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><link rel="stylesheet" href="/webview.css"><title>bench</title></head>
<body data-where="sidebar"><div id="root"></div>
<script>
  window.__posted = [];
  const reply = (id, result) => window.postMessage({ kind: 'response', id, ok: true, result }, '*');
  window.acquireVsCodeApi = () => ({
    postMessage(m) {
      window.__posted.push(m);
      if (m.method === 'session/snapshot') {
        fetch('/snapshot.json').then((r) => r.text()).then((text) => {
          const snap = JSON.parse(text);
          window.__t0 = performance.now();
          reply(m.id, snap);
        });
      } else if (m.method === 'panel/models') reply(m.id, { models: [{ id: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5', contextWindow: 200000 }], current: 'claude-sonnet-4-5' });
      else if (m.method === 'panel/mentionCandidates') reply(m.id, { candidates: [] });
      else reply(m.id, {});
    },
    getState() { return undefined; },
    setState() {},
  });
  // First render: the first message element, then the frame after it was painted.
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid="message"]')) {
      obs.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.__t1 = performance.now(); }, 0));
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
</script>
<script type="module" src="/webview.js"></script>
</body></html>`;
