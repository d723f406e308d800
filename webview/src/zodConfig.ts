/**
 * The webview's CSP has no 'unsafe-eval'. zod would probe `new Function` on the first parse (a CSP violation
 * report in the webview console) before falling back to plain parsing; jitless skips the probe. Schemas read
 * this when they are built, so protocol.ts imports this module before the protocol.
 */
import { config } from 'zod';

config({ jitless: true });
