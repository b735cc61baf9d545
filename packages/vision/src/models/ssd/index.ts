import { registry } from '@neuralzoo/core';
import type { SsdConfig } from './config';
import { SSD_SCENES_RECIPE } from './recipe';
import { Ssd, ssd } from './ssd';

export { Ssd, ssd, ssdLoss, SsdConv } from './ssd';
export { SSD_DEFAULTS, resolveSsdConfig } from './config';
export type { SsdConfig } from './config';
export { SSD_SCENES_RECIPE } from './recipe';

registry.register<Partial<SsdConfig>, Ssd>({
  name: 'ssd',
  task: 'object-detection',
  domain: 'vision',
  create: (config) => ssd(config),
  recipe: SSD_SCENES_RECIPE,
  description: 'SSD (Liu et al., 2016): default boxes on 3 scales, smooth-L1 + cross-entropy with 3:1 hard negative mining',
  example: { config: { imageSize: 32, widths: [4, 8], neckWidths: [8], extraWidths: [8, 8] }, input: [2, 32, 32, 1], output: [2, 8 * 8 * 6 + 4 * 4 * 6 + 2 * 2 * 4, 15] },
});
