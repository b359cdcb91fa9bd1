import { describe, expect, it } from 'vitest';
import { hostEntryProblem, parseHostEntry } from '../../src/cert-check/hosts.js';

describe('host entries', () => {
  it('defaults to port 443 and sends SNI for names', () => {
    expect(parseHostEntry('example.com')).toEqual({
      label: 'example.com',
      host: 'example.com',
      port: 443,
      address: 'example.com',
      servername: 'example.com',
    });
    expect(parseHostEntry('api.example.com:8443')).toMatchObject({
      host: 'api.example.com',
      port: 8443,
      address: 'api.example.com',
    });
  });

  it('connects to another address with =address, keeping the name for SNI and the host-name check', () => {
    expect(parseHostEntry('example.com:443=10.0.0.5')).toMatchObject({
      host: 'example.com',
      address: '10.0.0.5',
      servername: 'example.com',
    });
    expect(parseHostEntry('example.com=[2001:db8::1]')).toMatchObject({ port: 443, address: '2001:db8::1' });
  });

  it('sends no SNI for IP addresses; IPv6 in brackets', () => {
    expect(parseHostEntry('10.0.0.5:993')).toMatchObject({ host: '10.0.0.5', port: 993, servername: undefined });
    expect(parseHostEntry('[2001:db8::1]:8443')).toMatchObject({
      host: '2001:db8::1',
      port: 8443,
      servername: undefined,
    });
  });

  it('says what is allowed for a bad entry', () => {
    expect(hostEntryProblem('https://example.com')).toBe(
      'is a URL; expected host[:port][=address], e.g. example.com, example.com:8443 or example.com:443=10.0.0.5',
    );
    expect(hostEntryProblem('example.com:0')).toBe('has a port outside 1-65535');
    expect(hostEntryProblem('example.com:99999')).toBe('has a port outside 1-65535');
    expect(hostEntryProblem('2001:db8::1')).toMatch(/^does not name a host .*IPv6 addresses in brackets/);
    expect(hostEntryProblem('exa mple.com')).toMatch(/^does not name a host/);
    expect(hostEntryProblem('a=b=c')).toMatch(/more than one "="/);
    expect(hostEntryProblem('example.com=not an address')).toMatch(/address after "="/);
  });
});
