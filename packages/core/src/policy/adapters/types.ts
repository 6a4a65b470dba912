import type { Issue } from '../../errors.js';
import type { CompiledPolicy } from '../ir.js';

/**
 * What an adapter returns for one policy object. `policy` is set if and only if no issue of
 * severity `error` was found: a policy that failed validation never reaches the engine.
 */
export interface AdapterResult {
  policy?: CompiledPolicy | undefined;
  issues: Issue[];
}
