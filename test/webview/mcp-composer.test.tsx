// MCP resources with @ and MCP prompts as slash commands in the composer: the resources the host lists appear in
// the @ list beside the workspace's items, a chosen one is attached with its server and URI; "/" offers /compact
// and the servers' prompts, a chosen prompt is completed, and sending it expands it through the host first (a
// missing argument or an unknown prompt is said, and nothing is sent).
import './setup';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { McpPromptInfo } from '../../webview/src/protocol';
import { hostDoes, renderApp } from './app';

const review: McpPromptInfo = { server: 'fixture', name: 'review', description: 'Review a file', arguments: [{ name: 'file', required: true }, { name: 'focus', required: false }] };

describe('composer and MCP', () => {
  it('@ lists MCP resources with the workspace\'s items; a chosen resource is sent as an attachment with its server and URI', async () => {
    const { host } = await renderApp({ seq: 0 });
    const input = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: 'see @read', selectionStart: 9, selectionEnd: 9 } });
    await waitFor(() => expect(host.requests('mcp/resources')).toHaveLength(1));
    expect(host.lastRequest('mcp/resources').params).toEqual({ query: 'read' });
    await hostDoes(() => {
      host.reply(host.lastRequest('panel/mentionCandidates'), { candidates: [{ kind: 'file', path: 'README.md', label: 'README.md' }] });
      host.reply(host.lastRequest('mcp/resources'), { candidates: [{ kind: 'mcp-resource', server: 'fixture', uri: 'fixture://readme', label: 'readme', detail: 'fixture · fixture://readme' }] });
    });
    const items = screen.getAllByTestId('mention-item');
    expect(items.map((i) => [i.getAttribute('data-kind'), i.textContent])).toEqual([['mcp-resource', 'MCPreadmefixture · fixture://readme'], ['file', 'fileREADME.md']]);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(input.value).toBe('see @readme ');
    expect(screen.getByTestId('composer-attachment').getAttribute('data-kind')).toBe('mcp-resource');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(host.lastRequest('chat/send').params).toEqual({ text: 'see @readme ', attachments: [{ kind: 'mcp-resource', label: 'readme', server: 'fixture', uri: 'fixture://readme' }] });
  });

  it('"/" offers /compact, /plan and the servers\' prompts; a chosen prompt is completed, then expanded by the host and sent', async () => {
    const { host } = await renderApp({ seq: 0 });
    const input = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: '/', selectionStart: 1, selectionEnd: 1 } });
    await waitFor(() => expect(host.requests('mcp/prompts')).toHaveLength(1));
    await hostDoes(() => host.reply(host.lastRequest('mcp/prompts'), { prompts: [review] }));
    expect(screen.getAllByTestId('slash-item').map((i) => i.getAttribute('data-name'))).toEqual(['compact', 'plan', 'mcp__fixture__review']);
    expect(screen.getAllByTestId('slash-item')[2]!.textContent).toContain('Review a file · <file> [focus]');
    fireEvent.change(input, { target: { value: '/mcp', selectionStart: 4, selectionEnd: 4 } });
    expect(screen.getAllByTestId('slash-item').map((i) => i.getAttribute('data-name'))).toEqual(['mcp__fixture__review']);
    fireEvent.keyDown(input, { key: 'Tab' });
    expect(input.value).toBe('/mcp__fixture__review ');
    expect(screen.queryByTestId('slash-menu')).toBeNull();
    fireEvent.change(input, { target: { value: '/mcp__fixture__review src/a.ts error handling' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(host.requests('mcp/getPrompt')).toHaveLength(1));
    expect(host.lastRequest('mcp/getPrompt').params).toEqual({ server: 'fixture', name: 'review', args: { file: 'src/a.ts', focus: 'error handling' } });
    expect(host.requests('chat/send')).toHaveLength(0);
    await hostDoes(() => host.reply(host.lastRequest('mcp/getPrompt'), { text: 'Review src/a.ts with a focus on error handling.' }));
    await waitFor(() => expect(host.requests('chat/send')).toHaveLength(1));
    expect(host.lastRequest('chat/send').params).toEqual({ text: 'Review src/a.ts with a focus on error handling.' });
  });

  it('a missing required argument or an unknown prompt is said and nothing is sent; /compact typed in full still compacts', async () => {
    const { host } = await renderApp({ seq: 0 });
    const input = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: '/', selectionStart: 1, selectionEnd: 1 } });
    await waitFor(() => expect(host.requests('mcp/prompts')).toHaveLength(1));
    await hostDoes(() => host.reply(host.lastRequest('mcp/prompts'), { prompts: [review] }));
    fireEvent.change(input, { target: { value: '/mcp__fixture__review' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('composer-note').textContent).toBe('/mcp__fixture__review needs <file>.'));
    fireEvent.change(input, { target: { value: '/mcp__fixture__nope x' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('composer-note').textContent).toContain('No MCP prompt named /mcp__fixture__nope'));
    expect(host.requests('mcp/getPrompt')).toHaveLength(0);
    expect(host.requests('chat/send')).toHaveLength(0);
    expect(input.value).toBe('/mcp__fixture__nope x');
    fireEvent.change(input, { target: { value: '/compact' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(host.requests('chat/compact')).toHaveLength(1));
  });
});
