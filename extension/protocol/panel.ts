/** Protocol entries of the chat panel's richer features (mentions, modes, models...). Merged into the maps in requests.ts / events.ts. */
import * as z from 'zod';
import { Attachment } from './model';

/** One completion for an `@`-mention in the composer; the webview turns the chosen one into an Attachment. */
export const MentionCandidate = z.strictObject({
  kind: Attachment.shape.kind,
  /** Workspace-relative path (file, folder, problems of one file). */
  path: z.string().max(4_096).optional(),
  label: z.string().max(200),
  detail: z.string().max(400).optional(),
  /** An MCP resource's server and URI. */
  server: z.string().max(64).optional(),
  uri: z.string().max(4_096).optional(),
});
export type MentionCandidate = z.infer<typeof MentionCandidate>;

export const ModelChoice = z.strictObject({
  id: z.string().max(200),
  label: z.string().max(200),
  contextWindow: z.number().int().positive(),
});
export type ModelChoice = z.infer<typeof ModelChoice>;

/** The most candidates one answer carries. */
export const MAX_MENTION_CANDIDATES = 50;

export const panelRequestSchemas = {
  /** Completions for `@query` in the composer: files and folders (files.exclude respected), problems, selection, open editors. */
  'panel/mentionCandidates': {
    params: z.strictObject({ query: z.string().max(200) }),
    result: z.strictObject({ candidates: z.array(MentionCandidate).max(MAX_MENTION_CANDIDATES) }),
  },
  /** The models the picker offers and the one in use. */
  'panel/models': { params: z.strictObject({}), result: z.strictObject({ models: z.array(ModelChoice), current: z.string() }) },
  /** Set `cairn.model` in the user settings (the host answers with config/changed too). */
  'panel/setModel': { params: z.strictObject({ id: z.string().min(1).max(200) }), result: z.strictObject({ model: z.string() }) },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const panelEventSchemas = {
  /** Put text and attachments into the composer without sending ("Add to Cairn chat"). */
  'panel/compose': z.strictObject({ text: z.string().max(200_000), attachments: z.array(Attachment).max(50) }),
} as const satisfies Record<string, z.ZodType>;
