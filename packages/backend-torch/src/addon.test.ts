import * as fs from 'fs';
import { ADDON_PATH, INSTALL_HINT, addonAvailable, loadAddon } from './addon';

describe('native addon loader', () => {
  it('loads the addon when it is built, else says why and what to install', () => {
    if (fs.existsSync(ADDON_PATH)) {
      expect(addonAvailable()).toBe(true);
      expect(loadAddon().version()).toMatch(/^\d+\.\d+/);
    } else {
      expect(addonAvailable()).toBe(false);
      expect(() => loadAddon()).toThrow(INSTALL_HINT);
      expect(INSTALL_HINT).toContain('apt-get install libtorch-dev');
      expect(INSTALL_HINT).toContain('LIBTORCH=');
    }
  });
});
