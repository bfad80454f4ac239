import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadResults } from '../../src/report/index.js';
import { FIXTURES, fixture, withTempDir } from './helpers.js';

describe('loadResults', () => {
  it('reads the fixture run', async () => {
    const r = await loadResults(path.join(FIXTURES, 'sample-run.json'));
    expect(r.scenarios).toHaveLength(5);
  });

  it('rejects another schema version with the versions in the message', async () => {
    await withTempDir(async (dir) => {
      const f = path.join(dir, 'old.json');
      await writeFile(f, JSON.stringify({ ...fixture(), schemaVersion: 0 }));
      await expect(loadResults(f)).rejects.toThrow(/schemaVersion 0.*reads 1\.\.2/);
    });
  });

  it('rejects a file that is not JSON or not a results file', async () => {
    await withTempDir(async (dir) => {
      const f = path.join(dir, 'x.json');
      await writeFile(f, '{"schemaVersion": 1, "runId": ');
      await expect(loadResults(f)).rejects.toThrow(/x\.json is not an isobench results file: it is not JSON/);
      await expect(loadResults(path.join(dir, 'missing.json'))).rejects.toThrow(/does not exist/);
      await writeFile(f, '[1, 2]');
      await expect(loadResults(f)).rejects.toThrow(/not a JSON object/);
      await writeFile(f, '{"foo": 1}');
      await expect(loadResults(f)).rejects.toThrow(/is not an isobench results file/);
      const { manifest: _dropped, ...noManifest } = fixture();
      await writeFile(f, JSON.stringify(noManifest));
      await expect(loadResults(f)).rejects.toThrow(/does not fit the results schema: manifest/);
    });
  });
});
