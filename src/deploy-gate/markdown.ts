/**
 * Reading a pull request body the way a reviewer does: ticked checklist boxes and the text under a heading.
 * HTML comments (template hints) and fenced code blocks (examples) never count.
 */

function visibleLines(body: string): string[] {
  const withoutComments = body.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of withoutComments.split(/\r?\n/)) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) lines.push(line);
  }
  return lines;
}

function normalise(text: string): string {
  return text
    .replace(/[*_`~]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The text of every ticked task-list item (`- [x] …`) outside comments and code blocks. */
export function tickedCheckboxes(body: string): string[] {
  return visibleLines(body).flatMap((line) => {
    const match = /^\s*(?:[-*+]|\d+[.)])\s+\[[xX]\]\s+(.+)$/.exec(line);
    return match?.[1] ? [match[1].trim()] : [];
  });
}

/** True when a ticked box's text starts with `label` (case, emphasis and spacing ignored). */
export function hasTickedCheckbox(body: string, label: string): boolean {
  const wanted = normalise(label);
  return tickedCheckboxes(body).some((text) => {
    const got = normalise(text);
    return got === wanted || (got.startsWith(wanted) && /^[\s:.,;(—–]/.test(got.slice(wanted.length)));
  });
}

/**
 * The content under an ATX heading (`## Rollback plan`, any level, case-insensitive, trailing `:` allowed),
 * up to the next heading of the same or a higher level; undefined when the heading is absent.
 */
export function sectionUnder(body: string, heading: string): string | undefined {
  const lines = visibleLines(body);
  const wanted = normalise(heading).replace(/:$/, '');
  let level = 0;
  const content: string[] = [];
  for (const line of lines) {
    const match = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (level === 0) {
      if (match?.[1] && normalise(match[2] ?? '').replace(/:$/, '') === wanted) level = match[1].length;
      continue;
    }
    if (match?.[1] && match[1].length <= level) break;
    content.push(line);
  }
  return level === 0 ? undefined : content.join('\n').trim();
}

/** Text that says nothing: empty, only punctuation, or a placeholder such as "TBD" or "N/A". */
export function isPlaceholder(text: string): boolean {
  const plain = normalise(text)
    .replace(/^[-*+]\s*/gm, '')
    .replace(/[.\s]+$/, '');
  return plain === '' || /^(?:[\W_]+|tbd|todo|n\/?a|none|-+|\.\.\.|…)$/i.test(plain);
}
