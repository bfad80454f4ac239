import { describe, expect, it } from 'vitest';
import { forwardChainName, forwardJump, forwardRules } from '../../../src/engine/network/firewall.js';

describe('bridge forwarding rules (argv)', () => {
  it('one chain per home tag, within iptables\' 28-character limit', () => {
    expect(forwardChainName('0123abcd')).toBe('ISOBENCH-0123abcd');
    expect(forwardChainName('0123abcd').length).toBeLessThanOrEqual(28);
    expect(forwardChainName('0123abcd')).not.toBe(forwardChainName('0123abce'));
  });
  it('accepts only traffic that enters and leaves the same bridge', () => {
    expect(forwardRules('ib-0123abcd')).toEqual([['-i', 'ib-0123abcd', '-o', 'ib-0123abcd', '-j', 'ACCEPT']]);
  });
  it('FORWARD jumps to the chain only for the bridge\'s traffic', () => {
    expect(forwardJump('ib-0123abcd', 'ISOBENCH-0123abcd')).toEqual(['-i', 'ib-0123abcd', '-j', 'ISOBENCH-0123abcd']);
  });
});
