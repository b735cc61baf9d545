import { registry } from '@neuralzoo/core';
import type { PointerNetConfig } from './config';
import { PointerNet, pointerNet } from './pointer';
import { POINTER_SORT_RECIPE } from './recipe';

export { PointerNet, pointerNet, sequenceAccuracy } from './pointer';
export { POINTER_NET_DEFAULTS, resolvePointerNetConfig } from './config';
export type { PointerNetConfig } from './config';
export { sortingTask, convexHullTask, convexHull } from './tasks';
export type { PointerTask } from './tasks';
export { POINTER_SORT_RECIPE, POINTER_HULL_RECIPE } from './recipe';
export type { PointerRecipe } from './recipe';

registry.register<Partial<PointerNetConfig>, PointerNet>({
  name: 'pointer_net',
  task: 'pointer',
  domain: 'nlp',
  create: (c) => pointerNet(c),
  recipe: POINTER_SORT_RECIPE,
  description: 'Pointer network (Vinyals et al., 2015): LSTM encoder/decoder whose attention points at input positions; SYNTHETIC sorting and convex hull',
});
