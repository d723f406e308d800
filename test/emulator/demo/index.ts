// The offline demo model: requests for its id are answered by the scripted tour (see README.md, "The demo tour").
import { DEMO_MODEL } from '../../../extension/core/providers/models';
import type { Brain } from '../types';
import { demoTour } from './tour';

/** The model id Cairn's demo mode sends; the emulator plays the tour for it. */
export const DEMO_MODEL_ID = DEMO_MODEL.id;

/** The brains the emulator has unless told otherwise: model id -> brain. */
export const DEFAULT_BRAINS: Readonly<Record<string, Brain>> = { [DEMO_MODEL_ID]: demoTour };

export { demoTour } from './tour';
export { matchIntent, INTENTS } from './intents';
export { SCRIPTED, FOOTER } from './say';
