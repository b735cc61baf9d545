import { tf, F, manualSeed } from '../../../index';
import { dataParallel } from '../index';
import { MomentumSGD, mlp } from '../../../../fixtures/parallel/models';
const MODELS = require('path').join(__dirname, '../../../../fixtures/parallel/models.ts');
it('dbg', async () => {
  manualSeed(1);
  const model = mlp();
  const opt = new MomentumSGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  process.stderr.write('A\n');
  const s = dataParallel({ workers: 2, transport: 'threads', model: { module: MODELS, export: 'mlp' }, optimizer: { module: MODELS, export: 'MomentumSGD' } });
  await s.setup({ model, optimizer: opt, loss: F.crossEntropy });
  process.stderr.write('B\n');
  const x = tf.randomNormal([10, 8]); const y = tf.randomUniform([10], 0, 4, 'int32');
  const r = await s.forwardBackward([x], y);
  process.stderr.write('C ' + r.loss + '\n');
  await s.optimizerStep();
  process.stderr.write('D\n');
  await s.close();
}, 60000);
