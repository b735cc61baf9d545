/**
 * Names of core's fused kernels, for backends that register native versions of them (as
 * @neuralzoo/backend-torch does): core runs a backend's kernel of that name when one is registered,
 * and its own loop (host-memory backends) or per-step ops otherwise. Inputs and attributes are those
 * core passes in backend/optim.ts (`AdamUpdateOptions`) and backend/recurrent.ts.
 */
import { ADAM_UPDATE_KERNEL } from './optim';
import { GRU_GRAD_KERNEL, GRU_KERNEL, LSTM_GRAD_KERNEL, LSTM_KERNEL } from './recurrent';

export const FUSED_KERNELS = Object.freeze({
  adamUpdate: ADAM_UPDATE_KERNEL,
  lstmSequence: LSTM_KERNEL,
  lstmSequenceGrad: LSTM_GRAD_KERNEL,
  gruSequence: GRU_KERNEL,
  gruSequenceGrad: GRU_GRAD_KERNEL,
} as const);
