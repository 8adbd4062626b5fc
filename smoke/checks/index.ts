import type { SmokeCheck } from '../context';
import { exchangeBatchChecks } from './exchangeBatchChecks';
import { exchangeChecks } from './exchangeChecks';
import { graphChecks } from './graphChecks';
import { signInChecks } from './signInChecks';
import { unreachableChecks } from './unreachableChecks';

/** Every check of the smoke run, in the order it prints them. Add a row here (and its id in docs/FIDELITY.md). */
export const smokeChecks: readonly SmokeCheck[] = [...signInChecks, ...graphChecks, ...exchangeChecks, ...exchangeBatchChecks, ...unreachableChecks];
