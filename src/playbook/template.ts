/**
 * Command templates: `lockout isolate --integration {{integration}} --dry-run`. A template is split into words
 * first and each word is filled in afterwards, so a value can never add or split arguments, and nothing runs
 * through a shell. (A tokenizer is hand-written here because the packages that exist either expand `$VAR` or
 * accept an unclosed quote silently; a playbook author needs the error.)
 */

export type Tokenized = { ok: true; words: string[] } | { ok: false; message: string };

const OPERATORS = new Set(['|', '||', '&', '&&', ';', '>', '>>', '<', '<<', '2>', '2>&1', '$(', '`']);

/** Split a command template into words: whitespace separates; '...' is literal; "..." allows \" and \\. */
export function tokenizeCommand(template: string): Tokenized {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (/\s/.test(c)) {
      if (inWord) {
        if (!quoted && OPERATORS.has(word)) return operator(word);
        words.push(word);
      }
      word = '';
      inWord = false;
      quoted = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = template.indexOf("'", i + 1);
      if (end < 0) return { ok: false, message: `unclosed ' at column ${i + 1}` };
      word += template.slice(i + 1, end);
      quoted = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < template.length && template[j] !== '"'; j++) {
        if (template[j] === '\\' && (template[j + 1] === '"' || template[j + 1] === '\\')) j++;
        word += template[j];
      }
      if (j >= template.length) return { ok: false, message: `unclosed " at column ${i + 1}` };
      quoted = true;
      i = j;
    } else if (c === '\\' && i + 1 < template.length) {
      word += template[++i];
    } else {
      word += c;
    }
  }
  if (inWord) {
    if (!quoted && OPERATORS.has(word)) return operator(word);
    words.push(word);
  }
  return { ok: true, words };
}

const operator = (w: string): Tokenized => ({
  ok: false,
  message: `"${w}" is a shell operator; commands run without a shell, one lockout command per step`,
});

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** A variable name, or `<step-id>.decision|decidedBy|role|reason` (what a decision step recorded). */
export const REF = /^(?:[A-Za-z][A-Za-z0-9_]*|[a-z0-9][a-z0-9-]*\.(?:decision|decidedBy|role|reason))$/;

/** The placeholders used in a text, in order of first use. */
export function placeholders(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1]!);
  return [...seen];
}

export type Rendered = { ok: true; argv: string[] } | { ok: false; missing: string[] };

/** Fill every word's placeholders. Any placeholder without a value is reported, none is left as text. */
export function renderWords(words: readonly string[], values: Readonly<Record<string, string | undefined>>): Rendered {
  const missing = new Set<string>();
  const argv = words.map((w) =>
    w.replace(PLACEHOLDER, (_m, name: string) => {
      const v = values[name];
      if (v === undefined || v === '') {
        missing.add(name);
        return '';
      }
      return v;
    }),
  );
  return missing.size ? { ok: false, missing: [...missing] } : { ok: true, argv };
}

/** Quote argv for display so that what is shown can be pasted into a shell. */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
