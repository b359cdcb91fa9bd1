/**
 * Repository path patterns as the policy writes them: `*` within one path segment, `**` across segments,
 * `?` one character, `{a,b}` alternatives. Paths are relative, with `/`.
 */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 3 : 2;
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      out += '(?:';
      braces++;
    } else if (c === '}' && braces > 0) {
      out += ')';
      braces--;
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${out}$`);
}

export function pathMatcher(patterns: readonly string[]): (path: string) => boolean {
  const compiled = patterns.map((p) => globToRegExp(p.replace(/^\.?\//, '')));
  return (path) => compiled.some((re) => re.test(path));
}
