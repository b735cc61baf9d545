export { randomShift, RandomShiftDataset } from './random-shift';
