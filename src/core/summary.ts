import { appendFile } from 'node:fs/promises';
import { redact } from './secrets.js';

/**
 * One way to write job summaries. Built up in memory, written once by the run wrapper
 * (also when the action fails), redacted on the way out. GitHub renders it as Markdown,
 * and the CLI prints the same text.
 */
export class Summary {
  private readonly parts: string[] = [];

  heading(text: string, level: 1 | 2 | 3 | 4 = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${text}`);
    return this;
  }

  paragraph(markdown: string): this {
    this.parts.push(markdown);
    return this;
  }

  list(items: readonly string[]): this {
    if (items.length) this.parts.push(items.map((i) => `- ${i}`).join('\n'));
    return this;
  }

  table(headers: readonly string[], rows: readonly (readonly (string | number | boolean | undefined)[])[]): this {
    const line = (cells: readonly unknown[]) => `| ${cells.map(cell).join(' | ')} |`;
    this.parts.push(
      [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => line(r))].join('\n'),
    );
    return this;
  }

  /** A collapsed block; `body` is shown as preformatted text unless `markdown` is set. */
  details(title: string, body: string, options: { markdown?: boolean } = {}): this {
    const content = options.markdown ? body : `\n\`\`\`\n${body.replace(/```/g, "'''")}\n\`\`\`\n`;
    this.parts.push(`<details><summary>${escapeHtml(title)}</summary>\n\n${content}\n</details>`);
    return this;
  }

  code(text: string, language = ''): this {
    this.parts.push(`\`\`\`${language}\n${text.replace(/```/g, "'''")}\n\`\`\``);
    return this;
  }

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  toMarkdown(): string {
    return redact(`${this.parts.join('\n\n')}\n`);
  }

  /** Appends to `GITHUB_STEP_SUMMARY` when the runner provides it. */
  async write(path: string | undefined): Promise<void> {
    if (!path || this.isEmpty) return;
    await appendFile(path, `${this.toMarkdown()}\n`, 'utf8');
  }
}

function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Markdown link, or the plain text when there is no URL. */
export function link(text: string, url: string | undefined): string {
  return url ? `[${text.replace(/[[\]]/g, '')}](${url})` : text;
}
