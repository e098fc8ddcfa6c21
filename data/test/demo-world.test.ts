import { demoWorldProperties } from './demo-world-properties.ts';

/** The world's properties with canonical rows written by the generator (the fallback path). */
demoWorldProperties('direct');
