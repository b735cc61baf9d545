/** Detection library: box formats, IoU, NMS, box coding, anchors, matching, mining, mAP, drawing. */
export * from './boxes';
export * from './nms';
export * from './coder';
export * from './anchors';
export * from './matching';
export * from './metrics';
export * from './detector';
export * from './recipe';
export * from './draw';
