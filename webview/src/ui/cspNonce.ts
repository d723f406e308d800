/**
 * The toolkit's FAST runtime probes `:focus-visible` support with a <style> element when it loads, and takes
 * the nonce for it from <meta property="csp-nonce">. Without one the webview's nonce-only style-src blocks the
 * probe (a CSP violation report) and the toolkit falls back to `:focus` rings on mouse clicks. This module
 * publishes the page's script nonce under that name; toolkit.ts imports it before the toolkit, so it runs first.
 */
if (typeof document !== 'undefined' && !document.querySelector('meta[property="csp-nonce"]')) {
  const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce;
  if (nonce) {
    const meta = document.createElement('meta');
    meta.setAttribute('property', 'csp-nonce');
    meta.setAttribute('content', nonce);
    document.head.appendChild(meta);
  }
}
export {};
