import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the Node runtime', () => {
  it('when any npm script, jest or nx runs, then it is the pinned Node 24 LTS, not the system Node', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('then package.json requires Node 24 and installs it as a dev dependency', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    expect(manifest.engines.node).toMatch(/^>=24/);
    expect(manifest.devDependencies.node).toMatch(/^24\./);
  });
});
