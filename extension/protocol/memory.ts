/** Protocol entries of the memory view (owned by the memory feature). Merged into the maps in requests.ts / events.ts. */
import * as z from 'zod';

export const memoryRequestSchemas = {} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
export const memoryEventSchemas = {} as const satisfies Record<string, z.ZodType>;
