import { describe, expect, it } from 'vitest';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from './patch.js';

describe('patches', () => {
  const live = {
    metadata: { annotations: { a: '1', b: '2' } },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'v1', env: [{ name: 'X', value: '1' }] },
            { name: 'side', image: 's1' },
          ],
        },
      },
    },
  };

  it('merges containers by name and honours $setElementOrder, $patch: delete and null', () => {
    const patched = strategicMergePatch(live, {
      metadata: { annotations: { b: null } },
      spec: {
        template: {
          spec: {
            $setElementOrder: undefined,
            '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
            containers: [
              { name: 'app', image: 'v2' },
              { name: 'side', $patch: 'delete' },
            ],
          },
        },
      },
    }) as typeof live;
    expect(patched.metadata.annotations).toEqual({ a: '1' });
    expect(patched.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'v2', env: [{ name: 'X', value: '1' }] },
    ]);
  });

  it('replaces a whole map with $patch: replace (rollout undo of StatefulSets and DaemonSets)', () => {
    const patched = strategicMergePatch(live, {
      spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'app', image: 'v0' }] } } },
    }) as typeof live;
    expect(patched.spec.template).toEqual({ spec: { containers: [{ name: 'app', image: 'v0' }] } });
  });

  it('applies JSON merge patches (lists replaced) and JSON patches (rollout undo of Deployments)', () => {
    expect(
      (jsonMergePatch(live, { spec: { template: { spec: { containers: [] } } } }) as typeof live).spec.template.spec
        .containers,
    ).toEqual([]);
    const patched = jsonPatch(live, [
      { op: 'replace', path: '/metadata/annotations', value: { c: '3' } },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'extra' } },
    ]) as typeof live;
    expect(patched.metadata.annotations).toEqual({ c: '3' });
    expect(patched.spec.template.spec.containers.map((c) => c.name)).toEqual(['app', 'side', 'extra']);
    expect(() => jsonPatch(live, [{ op: 'replace', path: '/nope/x', value: 1 }])).toThrow(/does not exist/);
  });
});
