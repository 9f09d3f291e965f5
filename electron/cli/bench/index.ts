import type { Bench } from './types';
import { storeBench } from './store';
import { exportBench } from './export';
import { importBench } from './import';
import { figuresBench } from './figures';
import { crashBench } from './crash';
import { coldBench } from './cold';
import { rmarkdownBench } from './rmarkdown';

/** Every `assay bench <name>`. */
export const BENCHES: readonly Bench[] = [storeBench, importBench, exportBench, figuresBench, crashBench, coldBench, rmarkdownBench];
