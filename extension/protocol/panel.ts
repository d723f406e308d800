/** Protocol entries of the chat panel's richer features (mentions, modes, models...). Merged into the maps in requests.ts / events.ts. */
import * as z from 'zod';

export const panelRequestSchemas = {} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
export const panelEventSchemas = {} as const satisfies Record<string, z.ZodType>;
