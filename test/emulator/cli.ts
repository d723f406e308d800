// Standalone emulator: npm run emulator -- --scenario FILE --port N [--record FILE] [--context-window N]
import { parseArgs } from 'node:util';
import { startEmulator } from './server';

const USAGE = `usage: npm run emulator -- [options]
  --scenario FILE        scenario JSON (a list of turns, or { turns, rules })
  --port N               port on 127.0.0.1 (default 0: a free port)
  --record FILE          append every exchange to FILE as JSON lines
  --context-window N     input tokens above N answer "prompt is too long" (default 200000)
  --stream-delay-ms N    delay between SSE events (default 0)
  --invalid-key KEY      this API key gets 401
  --control              enable the loopback test-control endpoints (/_emulator/enqueue, /rules, /reset, /requests)
  --quiet                do not log each request
  --help`;

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a non-negative integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      port: { type: 'string' },
      record: { type: 'string' },
      'context-window': { type: 'string' },
      'stream-delay-ms': { type: 'string' },
      'invalid-key': { type: 'string' },
      quiet: { type: 'boolean' },
      control: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quiet = values.quiet === true;
  const emu = await startEmulator({
    port: intOption('port', values.port) ?? 0,
    ...(values.scenario ? { scenario: values.scenario } : {}),
    ...(values.record ? { recordFile: values.record } : {}),
    ...(values['context-window'] ? { contextWindow: intOption('context-window', values['context-window']) } : {}),
    ...(values['stream-delay-ms'] ? { streamDelayMs: intOption('stream-delay-ms', values['stream-delay-ms']) } : {}),
    ...(values['invalid-key'] ? { invalidApiKey: values['invalid-key'] } : {}),
    ...(values.control ? { control: true } : {}),
    ...(quiet ? {} : { log: (line: string) => console.error(line) }),
  });
  console.log(`emulator listening on ${emu.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!quiet) console.error(`${signal}: closing`);
    void emu.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  console.error(USAGE);
  process.exit(2);
});
