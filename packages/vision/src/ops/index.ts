export { roiAlign } from './roi-align';
export type { RoiAlignOptions } from './roi-align';
export { roiPool } from './roi-pool';
export type { RoiPoolOptions } from './roi-pool';
export type { RoiOutputSize } from './common';
