/** The model picker's requests: the known models, and writing `cairn.model` to the user settings. */
import * as vscode from 'vscode';
import { MODELS } from '../../core/providers/models';
import type { RequestParams, RequestResult } from '../../protocol/requests';
import { readConfig } from '../config';

export function listModels(): RequestResult<'panel/models'> {
  return { models: MODELS.map((m) => ({ id: m.id, label: m.label, contextWindow: m.contextWindow })), current: readConfig().model };
}

export async function setModel(p: RequestParams<'panel/setModel'>): Promise<RequestResult<'panel/setModel'>> {
  if (!MODELS.some((m) => m.id === p.id)) throw new Error(`Unknown model "${p.id}".`);
  await vscode.workspace.getConfiguration('cairn').update('model', p.id, vscode.ConfigurationTarget.Global);
  return { model: p.id };
}
