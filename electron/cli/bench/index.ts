import type { Bench } from './types';
import { storeBench } from './store';

/** Every `assay bench <name>`. */
export const BENCHES: readonly Bench[] = [storeBench];
