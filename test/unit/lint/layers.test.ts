// The layer rule is part of the architecture: these tests fail if eslint.config.mjs stops enforcing it.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath });
  return (res?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rule', () => {
  it('fails when extension/core imports vscode', async () => {
    const errs = await importErrors('extension/core/agent/leak.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n");
    expect(errs.join()).toMatch(/never import vscode/);
  });
  it('fails when extension/core imports the host', async () => {
    expect(await importErrors('extension/core/agent/leak.ts', "import { activate } from '../../host/activate';\nexport const x = activate;\n")).toHaveLength(1);
  });
  it('fails when the agent core imports the UI protocol (it yields domain events instead)', async () => {
    const errs = await importErrors('extension/core/agent/leak.ts', "import type { ChatMessage } from '../../protocol/model';\nexport type X = ChatMessage;\n");
    expect(errs.join()).toMatch(/knows nothing of the UI protocol/);
    // The session layer may: it projects domain events into the panel's messages.
    expect(await importErrors('extension/core/session/ok.ts', "import type { ChatMessage } from '../../protocol/model';\nexport type X = ChatMessage;\n")).toEqual([]);
  });
  it('fails when extension/protocol imports the core', async () => {
    expect(await importErrors('extension/protocol/leak.ts', "import { redact } from '../core/util/redact';\nexport const x = redact;\n")).toHaveLength(1);
  });
  it('fails when the webview imports host or core code', async () => {
    expect(await importErrors('webview/src/leak.ts', "import { redact } from '../../extension/core/util/redact';\nexport const x = redact;\n")).toHaveLength(1);
  });
  it('fails when the toolkit is imported outside webview/src/ui', async () => {
    expect(await importErrors('webview/src/features/leak.tsx', "import { VSCodeButton } from '@vscode/webview-ui-toolkit/react';\nexport const x = VSCodeButton;\n")).toHaveLength(1);
  });
  it('allows the protocol in the webview, the toolkit in webview/src/ui, and vscode in the host', async () => {
    expect(await importErrors('webview/src/ok.ts', "import { PROTOCOL_VERSION } from '../../extension/protocol';\nexport const x = PROTOCOL_VERSION;\n")).toEqual([]);
    expect(await importErrors('webview/src/ui/ok.tsx', "import { VSCodeButton } from '@vscode/webview-ui-toolkit/react';\nexport const x = VSCodeButton;\n")).toEqual([]);
    expect(await importErrors('extension/host/ok.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n")).toEqual([]);
  });
});
