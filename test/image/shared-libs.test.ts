import { describe, expect, it } from 'vitest';
import { parseLdd } from '../../src/image/recipe/shared-libs.js';

// Captured from `ldd /usr/bin/sysbench` on Debian 12 (trimmed).
const SYSBENCH = `	linux-vdso.so.1 (0x00007fe1a28bd000)
	libmariadb.so.3 => /lib/x86_64-linux-gnu/libmariadb.so.3 (0x00007fe1a2850000)
	libluajit-5.1.so.2 => /lib/x86_64-linux-gnu/libluajit-5.1.so.2 (0x00007fe1a251c000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fe1a225a000)
	/lib64/ld-linux-x86-64.so.2 (0x00007fe1a28bf000)
	libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007fe1a223b000)
`;

describe('parseLdd', () => {
  it('returns libraries and the loader, without the vDSO, sorted and unique', () => {
    expect(parseLdd(SYSBENCH + SYSBENCH, '/usr/bin/sysbench')).toEqual([
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib/x86_64-linux-gnu/libluajit-5.1.so.2',
      '/lib/x86_64-linux-gnu/libmariadb.so.3',
      '/lib/x86_64-linux-gnu/libz.so.1',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });
  it('returns nothing for a static binary', () => {
    expect(parseLdd('\tnot a dynamic executable\n', '/bin/busybox')).toEqual([]);
    expect(parseLdd('\tstatically linked\n', '/bin/busybox')).toEqual([]);
  });
  it('fails when a library is missing', () => {
    expect(() => parseLdd('\tlibgone.so.1 => not found\n', '/usr/bin/x')).toThrow(/libgone\.so\.1/);
  });
});
