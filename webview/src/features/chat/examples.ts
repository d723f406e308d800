/**
 * The example prompts of an empty session (they fill the composer). Each also starts a part of the offline demo's
 * scripted tour (test/emulator/demo/), which a unit test checks, so the examples work without an API key too.
 */
export const EXAMPLE_PROMPTS: ReadonlyArray<{ icon: string; text: string }> = [
  { icon: 'book', text: 'Explain how this project is organised and where to start reading.' },
  { icon: 'beaker', text: 'Run the tests and fix whatever fails.' },
  { icon: 'search', text: 'Find the TODO comments and suggest which to tackle first.' },
];
